"""Importing real-looking exports: matching across sources, idempotence, undo, bad files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import workspace_create
from eyecontact.imports.loading import LoadContext, LoadReport, load, resolving
from eyecontact.imports.loading.touches import touches_write
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import (
    ImportFailed,
    batch_undo,
    import_file,
    import_files,
    source_record_split,
)
from eyecontact.imports.sources import ParseResult
from eyecontact.networks.models import FollowSnapshot
from eyecontact.people.models import Connection, Identity, MatchReview, Person, Touch
from eyecontact.people.search import search_words
from eyecontact.people.services import person_create, touch_log

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
OWNER_EMAIL = "morgan.ellery@example.net"


def run(workspace: Workspace, name: str, data: bytes | None = None) -> ImportBatch:
    payload = (FIXTURES / name).read_bytes() if data is None else data
    return import_file(
        workspace=workspace, file_name=name, data=payload, until=UNTIL, owner_emails=[OWNER_EMAIL]
    )


def person_with(workspace: Workspace, kind: str, value: str) -> Person:
    return Identity.objects.get(workspace=workspace, kind=kind, value=value).person


@pytest.mark.django_db
class LinkedInImportTests:
    def test_connections_become_people_with_dated_connections(self, workspace: Workspace) -> None:
        batch = run(workspace, "linkedin/Connections.csv")
        assert batch.status == ImportBatch.Status.DONE
        assert batch.counts["skipped"] == {"hidden member": 2}
        anneliese = person_with(workspace, "linkedin", "anneliese-brandt-7f3a21")
        assert anneliese.display_name == "Anneliese Brandt"
        assert anneliese.organization == "Corvid Robotics GmbH"
        connection = anneliese.connections.get()
        assert (connection.network, connection.kind) == ("linkedin", "connection")
        assert connection.connected_on == dt.date(2025, 3, 12)
        assert batch.counts["people_new"] == Person.objects.filter(workspace=workspace).count()

    def test_importing_the_same_file_again_changes_nothing(self, workspace: Workspace) -> None:
        run(workspace, "linkedin/Connections.csv")
        before = (Person.objects.count(), Identity.objects.count(), Connection.objects.count())
        again = run(workspace, "linkedin/Connections.csv")
        after = (Person.objects.count(), Identity.objects.count(), Connection.objects.count())
        assert before == after
        assert again.counts["people_new"] == 0
        assert again.counts["people_unchanged"] == before[0]

    def test_a_big_file_imported_again_changes_nothing(
        self, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Past a size, the rows imported before are read in one pass instead of by key."""
        monkeypatch.setattr(resolving, "_READ_WHOLE_FORMAT", 0)
        first = run(workspace, "linkedin/Connections.csv")
        again = run(workspace, "linkedin/Connections.csv")
        assert again.counts["people_new"] == 0
        assert again.counts["people_unchanged"] == first.counts["people_new"]
        assert SourceRecord.objects.filter(last_batch=again).count() == first.counts["people_new"]

    def test_a_newer_export_updates_jobs_and_marks_vanished_connections(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections_2021.csv")
        jose = person_with(workspace, "email", "jose.alvarez@lumen-freight.example")
        assert jose.organization == "Lumen Logistics"
        newer = run(workspace, "linkedin/Connections.csv")
        jose.refresh_from_db()
        assert jose.organization == "Lumen Freight S.L."
        assert newer.counts["people_updated"] >= 1
        old_rows = SourceRecord.objects.filter(
            source_format="linkedin", missing_since__isnull=False
        )
        removed = Connection.objects.filter(removed_on__isnull=False)
        assert old_rows.count() == removed.count() == newer.counts["connections_removed"]

    def test_a_title_the_user_typed_is_not_overwritten(self, workspace: Workspace) -> None:
        run(workspace, "linkedin/Connections_2021.csv")
        jose = person_with(workspace, "email", "jose.alvarez@lumen-freight.example")
        jose.organization = "Lumen (my own note)"
        jose.save()
        run(workspace, "linkedin/Connections.csv")
        jose.refresh_from_db()
        assert jose.organization == "Lumen (my own note)"

    def test_two_cards_of_one_person_imported_again_change_nothing(
        self, workspace: Workspace
    ) -> None:
        """Each card, imported again, is weighed against what the card imported last said,
        whatever order the rows come back in (the first card's key sorts after the second's)."""
        cards = (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:zz-first\r\nFN:Ines Okafor\r\n"
            b"ORG:Kestrel Labs\r\nEMAIL:ines@okafor.example\r\nEND:VCARD\r\n"
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:aa-second\r\nFN:Ines Okafor\r\n"
            b"ORG:Heron Works\r\nEMAIL:ines@okafor.example\r\nEND:VCARD\r\n"
        )
        run(workspace, "contacts.vcf", cards)
        ines = person_with(workspace, "email", "ines@okafor.example")
        assert SourceRecord.objects.filter(person=ines).count() == 2
        shown = ines.organization
        again = run(workspace, "contacts.vcf", cards)
        ines.refresh_from_db()
        assert ines.organization == shown
        assert again.counts["people_updated"] == 0
        assert again.counts["people_unchanged"] == 2


@pytest.mark.django_db
class CrossSourceTests:
    def test_one_human_across_sources_becomes_one_person(self, workspace: Workspace) -> None:
        for name in (
            "linkedin/Connections.csv",
            "vcard/contacts.vcf",
            "google/contacts.csv",
            "calendar/calendar.ics",
        ):
            run(workspace, name)
        liesl = person_with(workspace, "email", "liesl.brandt@corvid-robotics.example")
        assert liesl == person_with(workspace, "linkedin", "anneliese-brandt-7f3a21")
        priya = person_with(workspace, "linkedin", "priya-raghunathan-03b9")
        assert priya == person_with(workspace, "email", "priya.raghu@mail.example")
        # Seven runs on Thursdays, one coffee-free online review: eight calendar touches.
        assert priya.touches.count() == 8
        assert priya.touches.filter(channel="in_person").count() == 7
        assert priya.touches.filter(channel="video").count() == 1

    def test_people_are_found_by_the_words_and_addresses_a_later_file_adds(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections_2021.csv")
        jose = person_with(workspace, "email", "jose.alvarez@lumen-freight.example")
        run(workspace, "linkedin/Connections.csv")
        run(workspace, "vcard/contacts.vcf")
        jose.refresh_from_db()
        words = set(jose.search_words.values_list("word", flat=True))
        assert set(search_words(jose.search_text)) == words
        # The new employer from the newer export, the private address from the card.
        assert "jose.alvarez.ruiz@mail.example" in jose.search_text.split()
        assert {"lumen", "freight", "mail"} <= words

    def test_the_owner_is_never_imported_as_a_contact(self, workspace: Workspace) -> None:
        run(workspace, "calendar/calendar.ics")
        assert not Identity.objects.filter(value=OWNER_EMAIL).exists()
        assert not Person.objects.filter(display_name__icontains="Morgan Ellery").exists()

    def test_name_only_lookalikes_go_to_review_not_merged(self, workspace: Workspace) -> None:
        run(workspace, "linkedin/Connections.csv")
        batch = run(workspace, "facebook/your_friends.json")
        assert batch.counts["reviews"] > 0
        review = MatchReview.objects.filter(person_a__display_name="Zoë Dupont").get()
        assert review.person_b.display_name == "Zoë Dupont"
        assert review.status == MatchReview.Status.OPEN
        assert 0.6 <= review.score < 0.9

    def test_calendar_meetings_are_logged_once_however_often_imported(
        self, workspace: Workspace
    ) -> None:
        first = run(workspace, "calendar/calendar.ics")
        second = run(workspace, "calendar/calendar.ics")
        assert first.counts["touches_new"] == Touch.objects.count() > 0
        assert second.counts["touches_new"] == 0
        assert second.counts["touches_unchanged"] == first.counts["touches_new"]

    def test_followers_without_names_are_kept_by_account(self, workspace: Workspace) -> None:
        run(workspace, "x/follower.js")
        lukasz = person_with(workspace, "x", "id:48213977")
        assert lukasz.connections.get().kind == "follower"
        assert lukasz.display_name


@pytest.mark.django_db
class BadFileTests:
    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            ("Connections.csv", b"Name,Shoe size\nBob,44\n", "Connections.csv"),
            ("friends.json", b'{"friends_v2": [', "friends.json"),
            ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "photo.jpg"),
            ("export.zip", b"PK\x03\x04truncated", "export.zip"),
        ],
    )
    def test_a_bad_file_is_refused_with_its_name_and_nothing_is_written(
        self, workspace: Workspace, name: str, data: bytes, expected: str
    ) -> None:
        with pytest.raises(ImportFailed) as caught:
            run(workspace, name, data)
        batch = caught.value.batch
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.errors and batch.errors[0].startswith(expected)
        assert not Person.objects.exists()
        assert not SourceRecord.objects.exists()

    def test_an_archive_is_imported_as_one_batch(self, workspace: Workspace) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.write(FIXTURES / "x/follower.js", "data/follower.js")
            archive.write(FIXTURES / "x/following.js", "data/following.js")
            archive.write(FIXTURES / "x/account.js", "data/account.js")
        batch = run(workspace, "twitter-archive.zip", buffer.getvalue())
        assert batch.status == ImportBatch.Status.DONE
        assert batch.counts["connections_new"] == Connection.objects.count() == 40


def run_together(workspace: Workspace, uploads: list[tuple[str, bytes]]) -> list[ImportBatch]:
    return list(
        import_files(workspace=workspace, uploads=uploads, until=UNTIL, owner_emails=[OWNER_EMAIL])
    )


def fixture_uploads(*names: str) -> list[tuple[str, bytes]]:
    return [(name, (FIXTURES / name).read_bytes()) for name in names]


def ledger(workspace: Workspace) -> list[tuple[object, ...]]:
    """Every imported row with the person it became, as names, not ids."""
    return sorted(
        SourceRecord.objects.filter(workspace=workspace).values_list(
            "source_format", "key", "decision", "person__display_name"
        )
    )


SEVERAL = (
    "linkedin/Connections.csv",
    "facebook/your_friends.json",
    "vcard/contacts.vcf",
    "calendar/calendar.ics",
)


@pytest.mark.django_db
class ImportFilesTests:
    def test_several_files_import_as_they_would_one_by_one(
        self, workspace: Workspace, user: User
    ) -> None:
        batches = run_together(workspace, fixture_uploads(*SEVERAL))
        assert [b.status for b in batches] == [ImportBatch.Status.DONE] * len(SEVERAL)
        assert [b.file_name for b in batches] == list(SEVERAL)
        together = ledger(workspace)
        other = workspace_create(name="One by one", owner=user, default_region="DE")
        for name in SEVERAL:
            run(other, name)
        assert together == ledger(other)
        assert Touch.objects.filter(workspace=workspace).count() == (
            Touch.objects.filter(workspace=other).count()
        )

    def test_importing_the_same_files_again_changes_nothing(self, workspace: Workspace) -> None:
        run_together(workspace, fixture_uploads(*SEVERAL))
        before = (ledger(workspace), Identity.objects.count(), Touch.objects.count())
        again = run_together(workspace, fixture_uploads(*SEVERAL))
        assert (ledger(workspace), Identity.objects.count(), Touch.objects.count()) == before
        assert sum(b.counts["people_new"] + b.counts["touches_new"] for b in again) == 0

    def test_a_bad_file_read_ahead_is_named_and_writes_nothing(self, workspace: Workspace) -> None:
        uploads = fixture_uploads("linkedin/Connections.csv")
        uploads += [("Broken.csv", b"Name,Shoe size\nBob,44\n")]
        uploads += fixture_uploads("vcard/contacts.vcf")
        good, bad, cards = run_together(workspace, uploads)
        assert (good.status, bad.status, cards.status) == ("done", "failed", "done")
        assert bad.errors == [
            "Broken.csv, line 1: expected a LinkedIn, Google, Outlook or X header; "
            "found: 'Name,Shoe size'"
        ]
        assert not Person.objects.filter(source_batch=bad).exists()
        assert not SourceRecord.objects.filter(last_batch=bad).exists()
        assert SourceRecord.objects.filter(last_batch=cards).exists()

    def test_a_file_that_fails_while_written_takes_back_only_its_own_rows(
        self, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(
            context: LoadContext,
            results: Sequence[ParseResult],
            identity_owner: dict[tuple[str, str], int],
            report: LoadReport,
        ) -> set[int]:
            if any(result.meetings for result in results):
                raise RuntimeError("the disk is full")
            return touches_write(context, results, identity_owner, report)

        monkeypatch.setattr(load, "touches_write", broken)
        linkedin, calendar = run_together(
            workspace, fixture_uploads("linkedin/Connections.csv", "calendar/calendar.ics")
        )
        assert linkedin.status == ImportBatch.Status.DONE
        assert calendar.status == ImportBatch.Status.FAILED
        assert calendar.errors == [
            "calendar/calendar.ics: the import stopped on an unexpected problem; nothing was "
            "changed"
        ]
        assert Person.objects.filter(workspace=workspace).count() == (linkedin.counts["people_new"])
        assert not SourceRecord.objects.filter(source_format="ical").exists()


@pytest.mark.django_db
class UndoTests:
    def test_undo_takes_back_everything_an_import_added(
        self, workspace: Workspace, user: User
    ) -> None:
        mine = person_create(workspace=workspace, display_name="Typed By Hand")
        batch = run(workspace, "calendar/calendar.ics")
        assert Touch.objects.exists()
        batch_undo(batch=batch, actor=user)
        assert list(Person.objects.all()) == [mine]
        assert not Touch.objects.exists()
        assert not Identity.objects.exists()
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.UNDONE

    def test_undo_keeps_people_the_user_has_since_met(self, workspace: Workspace) -> None:
        batch = run(workspace, "linkedin/Connections.csv")
        anneliese = person_with(workspace, "linkedin", "anneliese-brandt-7f3a21")
        touch_log(workspace=workspace, people=[anneliese], channel="in_person")
        batch_undo(batch=batch)
        assert list(Person.objects.all()) == [anneliese]
        assert not Connection.objects.exists()

    def test_an_undone_import_can_be_imported_again(self, workspace: Workspace) -> None:
        batch = run(workspace, "linkedin/Connections.csv")
        count = Person.objects.count()
        batch_undo(batch=batch)
        again = run(workspace, "linkedin/Connections.csv")
        assert again.counts["people_new"] == count == Person.objects.count()


@pytest.mark.django_db
class SplitTests:
    def test_an_automatic_match_can_be_split_and_stays_split(self, workspace: Workspace) -> None:
        run(workspace, "linkedin/Connections.csv")
        run(workspace, "google/contacts.csv")
        priya = person_with(workspace, "linkedin", "priya-raghunathan-03b9")
        row = SourceRecord.objects.get(source_format="google_csv", person=priya)
        split = source_record_split(record=row)
        assert split != priya
        assert person_with(workspace, "email", "priya.raghu@mail.example") == split
        run(workspace, "google/contacts.csv")
        assert person_with(workspace, "email", "priya.raghu@mail.example") == split


@pytest.mark.django_db
class MeetingAttendanceTests:
    def test_a_guest_who_declined_was_not_met(self, workspace: Workspace) -> None:
        run(workspace, "calendar/calendar.ics")
        marcus = person_with(workspace, "email", "marcus@feldwerk.example")
        assert not marcus.touches.filter(note__startswith="Berlin founders breakfast").exists()


@pytest.mark.django_db
class FollowListTests:
    def test_each_x_list_becomes_a_dated_snapshot_and_goes_with_an_undo(
        self, workspace: Workspace
    ) -> None:
        followers = run(workspace, "x/follower.js")
        run(workspace, "x/following.js")
        snapshots = FollowSnapshot.objects.filter(workspace=workspace)
        assert sorted(snapshots.values_list("kind", "count")) == [
            ("follower", 20),
            ("following", 20),
        ]
        assert followers.counts["follow_lists"] == 1
        batch_undo(batch=followers)
        assert list(snapshots.values_list("kind", flat=True)) == ["following"]

    def test_the_same_list_imported_twice_is_one_snapshot(self, workspace: Workspace) -> None:
        run(workspace, "x/follower.js")
        run(workspace, "x/follower.js")
        assert FollowSnapshot.objects.filter(workspace=workspace).count() == 1


def card(name: str, family: str, given: str, organization: str, x_id: str) -> bytes:
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{name}\r\nN:{family};{given};;;\r\nORG:{organization}\r\n"
        f"X-SOCIALPROFILE;type=twitter;x-user=someone;x-userid={x_id}:http://twitter.com/someone\r\n"
        "END:VCARD\r\n"
    ).encode()


@pytest.mark.django_db
class NamelessAccountTests:
    """A follower known only by account id, later named by a card that gives the account."""

    def test_a_card_naming_a_follower_joins_them_with_the_matching_connection(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections.csv")
        run(workspace, "x/follower.js")
        follower = person_with(workspace, "x", "id:3141592653")
        people = Person.objects.count()
        data = card("Anneliese Brandt", "Brandt", "Anneliese", "Corvid Robotics GmbH", "3141592653")
        run(workspace, "contacts.vcf", data)
        anneliese = person_with(workspace, "linkedin", "anneliese-brandt-7f3a21")
        assert person_with(workspace, "x", "id:3141592653") == anneliese
        assert not Person.objects.filter(pk=follower.pk).exists()
        assert Person.objects.count() == people - 1
        assert set(anneliese.connections.values_list("network", "kind")) == {
            ("linkedin", "connection"),
            ("x", "follower"),
        }
        rows = SourceRecord.objects.filter(person=anneliese)
        assert set(rows.values_list("source_format", flat=True)) == {"linkedin", "x", "vcard"}
        again = run(workspace, "contacts.vcf", data)
        assert (again.counts["people_new"], again.counts["people_matched"]) == (0, 0)
        assert Person.objects.count() == people - 1

    def test_a_follower_nobody_else_matches_takes_the_cards_name(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "x/follower.js")
        follower = person_with(workspace, "x", "id:3141592653")
        people = Person.objects.count()
        run(workspace, "contacts.vcf", card("Kofi Mensah", "Mensah", "Kofi", "", "3141592653"))
        follower.refresh_from_db()
        assert (follower.display_name, follower.given_name, follower.family_name) == (
            "Kofi Mensah",
            "Kofi",
            "Mensah",
        )
        assert Person.objects.count() == people
        row = SourceRecord.objects.get(source_format="vcard")
        assert (row.person, row.decision) == (follower, SourceRecord.Decision.IDENTITY)

    def test_a_card_with_a_known_address_and_a_follower_account_joins_the_two(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections.csv")
        run(workspace, "x/follower.js")
        jose = person_with(workspace, "email", "jose.alvarez@lumen-freight.example")
        follower = person_with(workspace, "x", "id:3141592653")
        data = (
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:José\r\nEMAIL:jose.alvarez@lumen-freight.example\r\n"
            "X-SOCIALPROFILE;type=twitter;x-userid=3141592653:http://twitter.com/jose\r\n"
            "END:VCARD\r\n"
        ).encode()
        run(workspace, "contacts.vcf", data)
        assert person_with(workspace, "x", "id:3141592653") == jose
        assert not Person.objects.filter(pk=follower.pk).exists()
        assert jose.connections.filter(network="x", kind="follower").exists()
