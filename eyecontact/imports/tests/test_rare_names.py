"""An import joins a row to the one person already known by its rare name: the LinkedIn
connection met at a former employer's address, or invited by an address that spells his name.
Strangers on a follow list, two rows of one name in a file, and common names go to review."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from django.conf import LazySettings

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import batch_undo, import_file
from eyecontact.people.models import Identity, MatchReview, Person
from eyecontact.people.selectors import review_gain, reviews_open, reviews_open_count
from eyecontact.people.services import review_reject

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
OWNER = "morgan.ellery@example.net"
_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tu", "vo", "zi", "dra", "pel")


def _names(count: int) -> list[tuple[str, str]]:
    words = ["".join(p).capitalize() for p in itertools.permutations(_SYLLABLES, 3)]
    return [(words[2 * n], words[2 * n + 1]) for n in range(count)]


def _connections(extra: list[tuple[str, str, str]]) -> bytes:
    """A LinkedIn export: 300 connections with names nobody else has, then ``extra``
    (given, family, company)."""
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    rows = [(g, f, f"Employer {n % 30}") for n, (g, f) in enumerate(_names(300))] + extra
    for n, (given, family, company) in enumerate(rows):
        slug = f"{given}-{family}-{n}".lower()
        url = f"https://www.linkedin.com/in/{slug}"
        lines.append(f"{given},{family},{url},,{company},Engineer,12 Mar 2025")
    return ("\n".join(lines) + "\n").encode()


def _calendar(attendees: list[tuple[str, str]]) -> bytes:
    """One meeting in person per attendee (CN, address); an empty CN sends the address alone."""
    events = []
    for n, (cn, email) in enumerate(attendees):
        attendee = f"ATTENDEE;CN={cn}:mailto:{email}" if cn else f"ATTENDEE:mailto:{email}"
        events.append(
            "BEGIN:VEVENT\r\n"
            f"UID:meeting-{n}@example.net\r\n"
            f"DTSTART:2025061{n % 9}T090000Z\r\nDTEND:2025061{n % 9}T100000Z\r\n"
            "SUMMARY:Coffee\r\nLOCATION:Café Einstein\\, Berlin\r\n"
            f"ORGANIZER;CN=Morgan Ellery:mailto:{OWNER}\r\n"
            f"{attendee}\r\n"
            "END:VEVENT\r\n"
        )
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Eye Contact tests//EN\r\n"
    return (text + "".join(events) + "END:VCALENDAR\r\n").encode()


def _run(workspace: Workspace, name: str, data: bytes) -> ImportBatch:
    batch = import_file(
        workspace=workspace, file_name=name, data=data, until=UNTIL, owner_emails=[OWNER]
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return batch


def _person(workspace: Workspace, kind: str, value: str) -> Person:
    return Identity.objects.get(workspace=workspace, kind=kind, value=value).person


_GODOFREDO = [("Godofredo", "Aliaga", "Quarry Labs")]


def _card(first_name: str, phone: str) -> bytes:
    """A phone book entry: a first name and a phone."""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;{first_name};;;\r\nFN:{first_name}\r\n"
        f"TEL;type=CELL:{phone}\r\nEND:VCARD\r\n"
    ).encode()


def _google(given: str, family: str, phone: str) -> bytes:
    """Google Contacts' export with one contact: the name, a phone and a personal address."""
    header = "First Name,Middle Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,"
    header += "Phone 1 - Label,Phone 1 - Value"
    email = f"{given}.{family}98@mailbox.example".lower()
    return f"{header}\n{given},,{family},* Home,{email},Mobile,{phone}\n".encode()


def _follow_list(*, follows_back: bool) -> bytes:
    """A follower tool's list of the accounts the user follows, with "Godofredo Aliaga"."""
    back = str(follows_back).lower()
    return (
        "id,name,screen_name,profile_image,following,followed_by,description,extra\n"
        f'"4417","Godofredo Aliaga","galiaga","","true","{back}","Logistics","{{}}"\n'
    ).encode()


@pytest.mark.django_db
class RareNameImportTests:
    def test_a_meeting_at_a_former_employers_address_is_with_the_connection(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        batch = _run(
            workspace,
            "calendar.ics",
            _calendar(
                [
                    ("Godofredo Aliaga", "godofredo.aliaga@tidewater.example"),
                    ("", "galiaga@umber-foods.example"),
                ]
            ),
        )
        assert _person(workspace, "email", "godofredo.aliaga@tidewater.example") == connection
        assert _person(workspace, "email", "galiaga@umber-foods.example") == connection
        assert connection.touches.filter(channel="in_person").count() == 2
        row = SourceRecord.objects.get(
            workspace=workspace, first_batch=batch, key__contains="tidewater"
        )
        assert row.decision == SourceRecord.Decision.MATCHED
        assert any("the only person here named Godofredo Aliaga" in e for e in row.evidence)
        assert not MatchReview.objects.filter(workspace=workspace).exists()

    def test_two_people_of_the_name_in_one_file_go_to_review(self, workspace: Workspace) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        # Two cards of the name, each with an X account of its own: two people.
        cards = "".join(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Godofredo Aliaga\r\nN:Aliaga;Godofredo;;;\r\n"
            f"EMAIL:godofredo{n}@mailbox.example\r\n"
            f"X-SOCIALPROFILE;type=twitter;x-userid={n}:http://twitter.com/g{n}\r\n"
            "END:VCARD\r\n"
            for n in (329, 511)
        )
        _run(workspace, "contacts.vcf", cards.encode())
        assert not connection.identities.filter(kind="email").exists()
        reviews = MatchReview.objects.filter(workspace=workspace, status="open")
        assert connection.pk in {r.person_a_id for r in reviews} | {r.person_b_id for r in reviews}

    def test_an_account_the_user_follows_with_the_rare_name_is_the_connection(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        # Followed by the user, not following back: the user chose the account.
        _run(workspace, "x_following.csv", _follow_list(follows_back=False))
        assert _person(workspace, "x", "id:4417") == connection
        row = SourceRecord.objects.get(workspace=workspace, source_format="x_csv")
        assert any("the only person here named Godofredo Aliaga" in e for e in row.evidence)
        assert not MatchReview.objects.filter(workspace=workspace).exists()

    def test_an_account_that_only_follows_the_user_is_not_joined_by_name_alone(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        # Anyone may follow the user: a namesake, an account wearing the name.
        listed = (
            "id,name,screen_name,following,followed_by\n4417,Godofredo Aliaga,galiaga,false,true\n"
        )
        _run(workspace, "x_followers.csv", listed.encode())
        account = _person(workspace, "x", "id:4417")
        assert account != connection
        assert MatchReview.objects.filter(workspace=workspace, status="open").exists()

    def test_two_followed_accounts_of_the_rare_name_are_not_the_connection(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        listed = (
            "id,name,screen_name,following,followed_by\n"
            "4417,Godofredo Aliaga,galiaga,true,false\n"
            "5120,Godofredo Aliaga,godo_aliaga,true,false\n"
        )
        _run(workspace, "x_following.csv", listed.encode())
        assert _person(workspace, "x", "id:4417") != connection
        assert _person(workspace, "x", "id:5120") != connection

    def test_a_mutual_follow_of_the_rare_name_is_the_connection(self, workspace: Workspace) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        _run(workspace, "x_following.csv", _follow_list(follows_back=True))
        assert _person(workspace, "x", "id:4417") == connection
        row = SourceRecord.objects.get(workspace=workspace, source_format="x_csv")
        assert row.decision == SourceRecord.Decision.MATCHED
        assert any("the only person here named Godofredo Aliaga" in e for e in row.evidence)
        assert not MatchReview.objects.filter(workspace=workspace).exists()

    def test_an_archive_shows_the_follow_back_that_a_named_list_leaves_out(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections(_GODOFREDO))
        connection = Person.objects.get(workspace=workspace, display_name="Godofredo Aliaga")
        for kind in ("follower", "following"):
            archive = f'window.YTD.{kind}.part0 = [{{"{kind}": {{"accountId": "4417"}}}}]'
            _run(workspace, f"{kind}.js", archive.encode())
        account = _person(workspace, "x", "id:4417")
        # A list of followed accounts with their names, without a follows-you column.
        listed = "id,screen_name,name\n4417,galiaga,Godofredo Aliaga\n"
        _run(workspace, "x_following.csv", listed.encode())
        assert _person(workspace, "x", "id:4417") == connection
        assert not Person.objects.filter(pk=account.pk).exists()

    def test_a_mutual_follow_of_a_name_two_people_carry_goes_to_review(
        self, workspace: Workspace
    ) -> None:
        two = [("Godofredo", "Aliaga", "Quarry Labs"), ("Godofredo", "Aliaga", "Umber Foods")]
        _run(workspace, "Connections.csv", _connections(two))
        _run(workspace, "x_following.csv", _follow_list(follows_back=True))
        account = _person(workspace, "x", "id:4417")
        assert account.display_name == "Godofredo Aliaga"
        assert account.source_records.filter(source_format="linkedin").count() == 0

    def test_a_phone_book_first_name_and_its_complete_contact_are_the_connection(
        self, workspace: Workspace
    ) -> None:
        company = "Orchard Corvid Robotics"
        _run(workspace, "Connections.csv", _connections([("Thomas", "Fodemann", company)]))
        connection = Person.objects.get(workspace=workspace, display_name="Thomas Fodemann")
        _run(workspace, "contacts.vcf", _card("Thomas", "+49 171 5550199"))
        phone_book = _person(workspace, "phone", "+491715550199")
        assert phone_book != connection
        # Google Contacts has him whole: the name, the same phone, his own address.
        _run(workspace, "contacts.csv", _google("Thomas", "Fodemann", "+49 171 5550199"))
        assert _person(workspace, "phone", "+491715550199") == connection
        assert _person(workspace, "email", "thomas.fodemann98@mailbox.example") == connection
        assert not Person.objects.filter(pk=phone_book.pk).exists()

    def test_a_phone_shared_with_someone_of_another_first_name_stays_theirs(
        self, workspace: Workspace
    ) -> None:
        company = "Orchard Corvid Robotics"
        _run(workspace, "Connections.csv", _connections([("Thomas", "Fodemann", company)]))
        connection = Person.objects.get(workspace=workspace, display_name="Thomas Fodemann")
        _run(workspace, "contacts.vcf", _card("Anna", "+49 171 5550199"))
        anna = _person(workspace, "phone", "+491715550199")
        _run(workspace, "contacts.csv", _google("Thomas", "Fodemann", "+49 171 5550199"))
        # A phone the two share: the row goes where the phone is, and nothing is merged.
        assert _person(workspace, "email", "thomas.fodemann98@mailbox.example") == anna
        assert Person.objects.filter(pk=connection.pk).exists()
        assert not connection.identities.filter(kind__in=["email", "phone"]).exists()

    def test_two_friends_of_the_connections_name_are_namesakes_not_the_connection(
        self, workspace: Workspace
    ) -> None:
        _run(workspace, "Connections.csv", _connections([("Gregory", "Sabreimann", "Umber")]))
        connection = Person.objects.get(workspace=workspace, display_name="Gregory Sabreimann")
        friends = [{"name": "Greg Sabreimann", "timestamp": 1700000000 + n} for n in (0, 1)]
        _run(workspace, "your_friends.json", json.dumps({"friends_v2": friends}).encode())
        # A friends list names each friend once: either could be the connection.
        greg = Person.objects.filter(workspace=workspace, display_name="Greg Sabreimann")
        assert greg.count() == 2
        reviews = MatchReview.objects.filter(workspace=workspace, status="open")
        assert {(r.person_a_id, r.person_b_id) for r in reviews} >= {
            tuple(sorted((connection.pk, p.pk))) for p in greg
        }

    def test_a_small_network_leaves_the_name_to_review(self, workspace: Workspace) -> None:
        lines = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        lines += "Godofredo,Aliaga,https://www.linkedin.com/in/ga,,Quarry Labs,CTO,12 Mar 2025\n"
        _run(workspace, "Connections.csv", lines.encode())
        _run(
            workspace,
            "calendar.ics",
            _calendar([("Godofredo Aliaga", "godofredo.aliaga@tidewater.example")]),
        )
        connection = _person(workspace, "linkedin", "ga")
        assert not connection.identities.filter(kind="email").exists()
        assert MatchReview.objects.filter(workspace=workspace, status="open").count() == 1


@pytest.mark.django_db
class AttendeeNameTests:
    def test_an_address_first_invited_without_a_name_takes_the_name_of_a_later_meeting(
        self, workspace: Workspace
    ) -> None:
        _run(
            workspace,
            "calendar.ics",
            _calendar(
                [
                    ("", "k.fitzgerald@umber.example"),
                    ("Kavya Fitzgerald", "k.fitzgerald@umber.example"),
                ]
            ),
        )
        person = _person(workspace, "email", "k.fitzgerald@umber.example")
        assert person.display_name == "Kavya Fitzgerald"
        assert person.touches.count() == 2


@pytest.mark.django_db
class ReviewCapTests:
    def test_the_review_queue_holds_the_best_across_imports_and_the_rest_wait(
        self, workspace: Workspace, settings: LazySettings
    ) -> None:
        settings.REVIEW_QUEUE_SIZE = 4
        _run(workspace, "Connections.csv", (FIXTURES / "linkedin/Connections.csv").read_bytes())
        friends = _run(
            workspace, "your_friends.json", (FIXTURES / "facebook/your_friends.json").read_bytes()
        )
        found = friends.counts["reviews"] + friends.counts["reviews_held"]
        assert (friends.counts["reviews"], found) == (4, MatchReview.objects.count())
        assert found > 4
        data = (FIXTURES / "linkedin/Connections_2021.csv").read_bytes()
        later = _run(workspace, "Connections_2021.csv", data)
        assert later.counts["reviews"] + later.counts["reviews_held"] >= 1
        undecided = MatchReview.objects.filter(workspace=workspace).annotate(gain=review_gain())
        assert undecided.count() == found + later.counts["reviews"] + later.counts["reviews_held"]
        waiting = undecided.filter(status=MatchReview.Status.OPEN)
        held = undecided.filter(status=MatchReview.Status.HELD)
        assert reviews_open_count(workspace=workspace) == waiting.count() == 4
        assert min(r.gain for r in waiting) >= max(r.gain for r in held)
        # The later import's likelier possible duplicate pushed a weaker one back.
        assert later.counts["reviews"] == 1
        assert waiting.filter(source_batch=later).get().score == max(r.score for r in undecided)
        # Undoing that import takes its possible duplicates back; held-back ones fill the queue.
        batch_undo(batch=later)
        assert reviews_open_count(workspace=workspace) == 4
        assert MatchReview.objects.filter(workspace=workspace).count() == found

    def test_deciding_one_brings_the_best_held_back_one_in(
        self, workspace: Workspace, other_workspace: Workspace, settings: LazySettings
    ) -> None:
        settings.REVIEW_QUEUE_SIZE = 4
        for target in (workspace, other_workspace):
            _run(target, "Connections.csv", (FIXTURES / "linkedin/Connections.csv").read_bytes())
            data = (FIXTURES / "facebook/your_friends.json").read_bytes()
            _run(target, "your_friends.json", data)
        theirs = list(
            MatchReview.objects.filter(workspace=other_workspace).values_list("pk", "status")
        )
        held = MatchReview.objects.filter(workspace=workspace, status=MatchReview.Status.HELD)
        best_held = held.annotate(gain=review_gain()).order_by("-gain", "-score", "id").first()
        assert best_held is not None
        before = held.count()
        first = reviews_open(workspace=workspace).first()
        assert first is not None
        review_reject(review=first)
        assert reviews_open_count(workspace=workspace) == 4
        assert held.count() == before - 1
        best_held.refresh_from_db()
        assert best_held.status == MatchReview.Status.OPEN
        # Another workspace's queue is its own.
        assert (
            list(MatchReview.objects.filter(workspace=other_workspace).values_list("pk", "status"))
            == theirs
        )
