"""Birthdays and photos of imported address books are kept and shown on the person's card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import vobject

from eyecontact.accounts.models import Workspace
from eyecontact.contacts.cards import card_text
from eyecontact.contacts.models import ContactDetails
from eyecontact.contacts.selectors import book_cards, card_photo
from eyecontact.contacts.services import contact_details_keep
from eyecontact.imports.services import import_file
from eyecontact.people.models import Identity, Person

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def imported(workspace: Workspace, name: str) -> None:
    batch = import_file(
        workspace=workspace,
        file_name=name,
        data=(FIXTURES / name).read_bytes(),
        until=UNTIL,
        owner_emails=["morgan.ellery@example.net"],
    )
    assert batch.status == "done", batch.errors


def person_with(workspace: Workspace, email: str) -> Person:
    return Identity.objects.get(workspace=workspace, kind="email", value=email).person


class ImportedDetailsTests:
    def test_a_vcard_birthday_and_photo_reach_the_phone_card(self, workspace: Workspace) -> None:
        imported(workspace, "contacts.vcf")
        sofia = person_with(workspace, "sofia.andersson@mail.example")
        kwame = person_with(workspace, "kwame.mensah@harbor-bio.example")
        assert ContactDetails.objects.get(person=sofia).birthday == "1992-11-03"
        photo = card_photo(kwame.pk)
        assert photo.startswith(b"\xff\xd8")  # the JPEG the card carried, decoded
        (entry,) = book_cards(workspace, [kwame.pk])
        card = vobject.readOne(card_text(entry.card, photo=photo))
        assert card.photo.value == photo

    def test_a_google_birthday_with_or_without_the_year_is_kept(self, workspace: Workspace) -> None:
        imported(workspace, "google_contacts.csv")
        birthdays = dict(
            ContactDetails.objects.filter(workspace=workspace).values_list(
                "person__display_name", "birthday"
            )
        )
        assert birthdays["Priya Raghunathan"] == "1990-07-14"
        assert birthdays["Hannah Schmidt"] == "--03-02"

    def test_importing_again_keeps_a_birthday_typed_on_the_phone(
        self, workspace: Workspace
    ) -> None:
        imported(workspace, "contacts.vcf")
        sofia = person_with(workspace, "sofia.andersson@mail.example")
        contact_details_keep(person=sofia, birthday="1992-11-04")
        imported(workspace, "contacts.vcf")
        assert ContactDetails.objects.get(person=sofia).birthday == "1992-11-04"


class ExportTests:
    def test_the_whole_workspace_downloads_as_vcard_4_folded_at_75_octets(
        self, workspace: Workspace, user: object
    ) -> None:
        import base64

        from django.test import Client

        from eyecontact.accounts.models import User
        from eyecontact.accounts.services import token_create

        assert isinstance(user, User)
        imported(workspace, "contacts.vcf")
        _, key = token_create(user=user)
        auth = base64.b64encode(f"{user.email}:{key}".encode()).decode()
        response = Client(HTTP_AUTHORIZATION=f"Basic {auth}").get(
            f"/dav/addressbooks/{workspace.slug}/"
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{workspace.slug}.vcf"'
        text = response.getvalue().decode()
        lines = text.split("\r\n")
        assert max(len(line.encode()) for line in lines) <= 75
        cards = list(vobject.readComponents(text))
        assert len(cards) == Person.objects.filter(workspace=workspace).count()
        assert {card.version.value for card in cards} == {"4.0"}
        by_name = {card.fn.value: card for card in cards}
        assert by_name["Sofia Andersson"].bday.value == "19921103"
        # RFC 6350's own form of a photo (vobject reads a data URI only up to its comma).
        unfolded = text.replace("\r\n ", "")
        kwame = unfolded[unfolded.index("FN:Dr. Kwame Mensah") :]
        assert "\r\nPHOTO:data:image/jpeg;base64,/9j/" in kwame[: kwame.index("END:VCARD")]
