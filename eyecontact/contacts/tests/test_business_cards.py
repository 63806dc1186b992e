"""Business cards: generated card photos read by Tesseract, the field split, the API."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from eyecontact.accounts.models import AuditEntry, User, Workspace
from eyecontact.contacts.business_cards import card_fields
from eyecontact.contacts.models import BusinessCardScan
from eyecontact.contacts.ocr import COULD_NOT_READ, UnreadableCard, read_card
from eyecontact.people.models import Identity, Person
from eyecontact.people.services import person_create

from .cardgen import PEOPLE, card_set, draw_card


def fields_right(person: object, read: object) -> dict[str, bool]:
    from .cardgen import Person as Shown

    assert isinstance(person, Shown)
    website = person.website.removeprefix("www.")
    return {
        "name": read.name == person.name,  # type: ignore[attr-defined]
        "title": read.title == person.title,  # type: ignore[attr-defined]
        "organization": read.organization == person.organization,  # type: ignore[attr-defined]
        "email": person.email in read.emails,  # type: ignore[attr-defined]
        "phone": person.phone in read.phones,  # type: ignore[attr-defined]
        "website": any(w.removeprefix("www.") == website for w in read.websites),  # type: ignore[attr-defined]
    }


def test_at_least_nine_fields_in_ten_are_read_right_from_generated_cards() -> None:
    """Twelve people, three layouts, five fonts, five languages, tilted and blurred."""
    right = total = 0
    for person, photo in card_set():
        _, read = read_card(photo, default_region=person.region)
        checks = fields_right(person, read)
        right += sum(checks.values())
        total += len(checks)
    assert total == 72
    assert right / total >= 0.9, f"{right} of {total} fields right"


@pytest.mark.parametrize(
    "photo",
    [
        b"not an image at all",
        b"",
    ],
)
def test_what_is_not_a_photo_cannot_be_read(photo: bytes) -> None:
    with pytest.raises(UnreadableCard, match="Could not read this card"):
        read_card(photo)


def test_a_photo_without_a_card_cannot_be_read() -> None:
    blank = io.BytesIO()
    Image.new("RGB", (1200, 700), (120, 120, 125)).save(blank, "JPEG")
    with pytest.raises(UnreadableCard):
        read_card(blank.getvalue())


@pytest.mark.parametrize(
    ("text", "name", "title", "organization", "emails", "phones"),
    [
        (
            "ACME Robotics GmbH\nDr. Anna Schmidt\nHead of Perception\n"
            "E: anna.schmidt@acme-robotics.de\nT: +49 89 5555 0123\nwww.acme-robotics.de",
            "Dr. Anna Schmidt",
            "Head of Perception",
            "ACME Robotics GmbH",
            ("anna.schmidt@acme-robotics.de",),
            ("+498955550123",),
        ),
        (
            "Jean Dupont\nDirecteur commercial\nBoulangerie Dupont\njean@boulangerie-dupont.fr\n"
            "01 45 55 01 23",
            "Jean Dupont",
            "Directeur commercial",
            "Boulangerie Dupont",
            ("jean@boulangerie-dupont.fr",),
            ("+33145550123",),
        ),
        ("", "", "", "", (), ()),
    ],
)
def test_card_text_is_split_into_fields(
    text: str,
    name: str,
    title: str,
    organization: str,
    emails: tuple[str, ...],
    phones: tuple[str, ...],
) -> None:
    region = "FR" if "dupont" in text else "DE"
    read = card_fields(text, region)
    assert (read.name, read.title, read.organization) == (name, title, organization)
    assert (read.emails, read.phones) == (emails, phones)


@pytest.fixture
def api(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
class BusinessCardApiTests:
    def test_a_card_photo_proposes_a_known_person_then_adds_what_is_new(
        self, api: Client, workspace: Workspace, user: User
    ) -> None:
        lena = PEOPLE[0]
        known = person_create(
            workspace=workspace, display_name="Lena Hartmann", identities=[("email", lena.email)]
        )
        photo = draw_card(lena, 0, draw_fonts()[0], seed=1)
        url = f"/api/workspaces/{workspace.slug}/business-cards"
        sent = api.post(url, {"photo": upload(photo)})
        assert sent.status_code == 202
        answer = sent.json()
        assert answer["status"] == "read"
        assert answer["fields"]["name"] == "Lena Hartmann"
        assert answer["match_id"] == known.pk
        confirmed = api.post(
            f"{url}/{answer['id']}/confirm",
            {**answer["fields"], "person_id": known.pk},
            content_type="application/json",
        )
        assert confirmed.status_code == 200, confirmed.content
        assert confirmed.json()["person_id"] == known.pk
        assert Identity.objects.filter(person=known, kind="phone", value=lena.phone).exists()
        assert Person.objects.filter(workspace=workspace).count() == 1
        assert AuditEntry.objects.filter(action="contacts.business_card").count() == 1

    def test_a_bad_photo_says_it_could_not_be_read_and_keeps_the_photo(
        self, api: Client, workspace: Workspace
    ) -> None:
        url = f"/api/workspaces/{workspace.slug}/business-cards"
        answer = api.post(url, {"photo": upload(b"\x89PNG broken")}).json()
        assert (answer["status"], answer["message"]) == ("unreadable", COULD_NOT_READ)
        kept = api.get(f"{url}/{answer['id']}/photo")
        assert kept.content == b"\x89PNG broken"
        assert bytes(BusinessCardScan.objects.get().photo) == b"\x89PNG broken"

    def test_a_photo_sent_again_with_its_client_id_is_kept_once(
        self, api: Client, workspace: Workspace
    ) -> None:
        """A phone that never heard the answer sends the queued photo again."""
        url = f"/api/workspaces/{workspace.slug}/business-cards"
        client_id = "6f1c1d9e-3b7a-4a55-9d1e-2f0c8a7b5e11"
        photo = draw_card(PEOPLE[0], 1, draw_fonts()[1], seed=2)
        first = api.post(url, {"photo": upload(photo), "client_id": client_id})
        again = api.post(url, {"photo": upload(photo), "client_id": client_id})
        assert first.status_code == again.status_code == 202
        assert first.json()["id"] == again.json()["id"]
        assert again.json()["fields"]["name"] == "Lena Hartmann"
        assert again.json()["photo_url"] == f"{url}/{first.json()['id']}/photo"
        other = api.post(url, {"photo": upload(photo)}).json()
        assert other["id"] != first.json()["id"]
        assert BusinessCardScan.objects.count() == 2

    def test_a_client_id_that_is_not_an_id_is_refused_by_name(
        self, api: Client, workspace: Workspace
    ) -> None:
        url = f"/api/workspaces/{workspace.slug}/business-cards"
        response = api.post(url, {"photo": upload(b"x"), "client_id": "not-an-id"})
        assert response.status_code == 422
        assert "client_id" in str(response.json()["detail"])
        assert not BusinessCardScan.objects.exists()

    def test_another_workspace_s_card_is_not_found(
        self, api: Client, workspace: Workspace, other_user: User
    ) -> None:
        from eyecontact.accounts.services import workspace_create

        theirs = workspace_create(name="Theirs", owner=other_user)
        scan = BusinessCardScan.objects.create(workspace=theirs, photo=b"x")
        response = api.get(f"/api/workspaces/{workspace.slug}/business-cards/{scan.pk}")
        assert response.status_code == 404


def draw_fonts() -> list:  # type: ignore[type-arg]
    from .cardgen import FONTS

    return FONTS


def upload(data: bytes) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = "card.jpg"
    return file
