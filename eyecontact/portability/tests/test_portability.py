"""Exporting a workspace as JSON and restoring it: lossless, atomic, and strict about files."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from django.apps import apps
from django.conf import LazySettings
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create, user_create
from eyecontact.contacts.cards import card_etag
from eyecontact.contacts.dav import SYNC_PREFIX
from eyecontact.contacts.models import ContactDetails
from eyecontact.contacts.scans import business_card_submit
from eyecontact.contacts.selectors import book_changes, book_revision
from eyecontact.contacts.services import book_refresh, contact_details_keep
from eyecontact.contacts.tests.test_dav import D, members, sync_collection
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import capture_record, exhibit_add_cost, exhibit_create
from eyecontact.events.services import event_create
from eyecontact.imports.services import import_file
from eyecontact.insights.plan import plan_pick
from eyecontact.insights.services import reminder_snooze, settings_update, tag_person
from eyecontact.networks.snapshots import snapshot_record
from eyecontact.people.models import MatchReview, Person, PersonMerge, Touch
from eyecontact.people.selectors import people_list
from eyecontact.people.services import (
    connection_add,
    person_create,
    person_delete,
    person_merge,
    person_unmerge,
    reviews_queue_sort,
    touch_log,
)
from eyecontact.portability import (
    EXPORT_FORMAT,
    NOT_EXPORTED,
    SECTIONS,
    workspace_export,
    workspace_restore,
)

MakePerson = Callable[..., Person]
PHOTO = b"\x89PNG\r\n\x1a\n a photo of Jane"
CES_DAY = dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC)
LINKEDIN = Path(__file__).resolve().parents[2] / "imports/tests/fixtures/linkedin/Connections.csv"


def export(workspace: Workspace) -> dict[str, Any]:
    out = io.StringIO()
    workspace_export(workspace=workspace, out=out)
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """An export without what legitimately differs between two exports of the same data."""
    return {key: value for key, value in data.items() if key != "exported_at"}


@pytest.fixture
def full_workspace(
    workspace: Workspace, user: User, make_person: MakePerson, settings: LazySettings
) -> Workspace:
    """A workspace with every kind of row an export carries, built through the services."""
    # A review queue of one: possible duplicates are held back behind it too.
    settings.REVIEW_QUEUE_SIZE = 1
    ces = event_create(
        workspace=workspace,
        name="CES 2026",
        kind="trade_show",
        city="Las Vegas",
        starts_on=dt.date(2026, 1, 6),
        ends_on=dt.date(2026, 1, 9),
    )
    jane = make_person(
        "Jane Doe",
        organization="Acme Robotics",
        city="Berlin",
        notes="Loves sailing.",
        cadence_days=60,
        identities=[("email", "jane@acme.example"), ("phone", "+49 30 1234567")],
    )
    jose = make_person("José Núñez", identities=[("linkedin", "jose-nunez-1")])
    jose_again = make_person("Jose Nunez", title="CTO", identities=[("email", "jn@mail.example")])
    kim = make_person("Kim Min-jun")
    gone = make_person("Someone Leaving")
    touch_log(
        workspace=workspace,
        people=[jane, jose],
        channel="in_person",
        when=CES_DAY,
        where="CES, Las Vegas",
        event=ces,
        note="Booth chat about the pilot.",
        actor=user,
    )
    touch_log(workspace=workspace, people=[jane], channel="email", when=dt.date(2026, 2, 1))
    touch_log(workspace=workspace, people=[kim], channel="phone", when=CES_DAY)
    connection_add(person=jose, network="linkedin", kind="connection", connected_on=CES_DAY.date())
    connection_add(person=kim, network="x", kind="follower")
    # One merge undone (the two are then known to be different people), one that stands.
    person_merge(keep=jose, drop=jose_again, actor=user)
    person_unmerge(merge=PersonMerge.objects.get(kept=jose), actor=user)
    jane_again = make_person("Jane D.", identities=[("email", "jane.d@mail.example")])
    person_merge(keep=jane, drop=jane_again, actor=user)
    person_delete(person=gone, actor=user)
    # Importers fill the review queue; no service makes a review by hand.
    MatchReview.objects.create(
        workspace=workspace,
        person_a=jane,
        person_b=kim,
        score=0.61,
        evidence=["same city"],
    )
    import_file(workspace=workspace, file_name="Connections.csv", data=LINKEDIN.read_bytes())
    # A meeting in a room with a mailing list invited: both kept as organisations, not people.
    import_file(
        workspace=workspace,
        file_name="calendar.ics",
        data=(
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:breakfast-1\r\nDTSTART:20251201T080000Z\r\n"
            b"DTEND:20251201T090000Z\r\nLOCATION:Factory Berlin\r\nSUMMARY:Breakfast\r\n"
            b"ATTENDEE;CN=Grace Hopper;PARTSTAT=ACCEPTED:mailto:grace@navy.example\r\n"
            b"ATTENDEE:mailto:founders@lists.founders.example\r\n"
            b"ATTENDEE;CUTYPE=RESOURCE;CN=Room 4:mailto:room4@resource.calendar.google.com\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
        until=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    tag_person(person=jane, name="Investors")
    attendees_import(
        event=ces,
        file_name="attendees.csv",
        data=b"Name,Company,Email\nJane Doe,Acme Robotics,jane@acme.example\nAda Lovelace,,\n",
    )
    plan_pick(event=ces, person=kim, group="renew", reason="Not seen for a year")
    for day, ids in ((dt.date(2025, 1, 1), [1, 2, 3]), (dt.date(2025, 2, 1), [2, 3, 4])):
        snapshot_record(workspace=workspace, kind="follower", taken_on=day, account_ids=ids)
    snapshot_record(
        workspace=workspace, kind="following", taken_on=dt.date(2025, 2, 1), account_ids=[3, 9]
    )
    reminder_snooze(person=kim, until=timezone.localdate() + dt.timedelta(days=30))
    settings_update(workspace=workspace, half_life_days=120)
    booth = exhibit_create(event=ces, name="Booth B12", staff=[user])
    exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("12500.00"))
    capture_record(
        exhibit=booth,
        actor=user,
        client_id=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        kind="conversation",
        captured_at=CES_DAY,
        name="Ada Booth",
        rating=4,
    )
    # A birthday and a photo, a card photo that could not be read, and a phone that synced.
    contact_details_keep(person=jane, birthday="1985-03-14", photo=PHOTO, photo_type="image/png")
    contact_details_keep(person=kim, birthday="--02-29")
    business_card_submit(
        workspace=workspace,
        actor=user,
        photo=b"not a photo",
        client_id=uuid.UUID("87654321-4321-8765-4321-876543218765"),
    )
    book_refresh(workspace=workspace)
    MatchReview.objects.create(
        workspace=workspace, person_a=jose, person_b=kim, score=0.52, evidence=["same city"]
    )
    reviews_queue_sort(workspace_id=workspace.pk)
    return workspace


class WorkspaceExportTests:
    def test_export_names_its_format_and_holds_every_section(
        self, full_workspace: Workspace
    ) -> None:
        data = export(full_workspace)
        assert data["format"] == EXPORT_FORMAT
        assert data["version"] == 1
        assert data["workspace"]["name"] == "Morgan's network"
        assert data["workspace"]["default_region"] == "DE"
        assert {section.key for section in SECTIONS} <= set(data)
        for key in ("people", "identities", "touches", "events", "connections", "merges"):
            assert data[key], key
        assert data["import_batches"] and data["source_records"]
        assert sorted(o["name"] or o["email"] for o in data["organizations"]) == [
            "Room 4",
            "founders@lists.founders.example",
        ]
        assert all(o["touches"] for o in data["organizations"])

    def test_touches_name_their_people_and_event_by_file_ids(
        self, full_workspace: Workspace
    ) -> None:
        data = export(full_workspace)
        people = {row["id"]: row["display_name"] for row in data["people"]}
        events = {row["id"]: row["name"] for row in data["events"]}
        booth_touch = next(t for t in data["touches"] if t["event"] is not None)
        assert sorted(people[ref] for ref in booth_touch["people"]) == ["Jane Doe", "José Núñez"]
        assert events[booth_touch["event"]] == "CES 2026"
        assert booth_touch["created_by"] == "morgan@example.net"
        assert booth_touch["occurred_at"] == "2026-01-08T10:00:00+00:00"

    def test_ids_are_positions_so_exports_do_not_depend_on_the_database(
        self, full_workspace: Workspace
    ) -> None:
        data = export(full_workspace)
        for section in SECTIONS:
            assert [row["id"] for row in data[section.key]] == list(
                range(1, len(data[section.key]) + 1)
            )

    def test_derived_fields_are_left_out(self, full_workspace: Workspace) -> None:
        person = export(full_workspace)["people"][0]
        assert "search_text" not in person
        assert "touch_count" not in person
        assert {"source", "source_key", "source_batch", "created_at"} <= set(person)
        # What an import would put back on undo names people by their ids here.
        assert all("restore" not in batch for batch in export(full_workspace)["import_batches"])

    def test_other_workspaces_stay_out(
        self, full_workspace: Workspace, other_workspace: Workspace
    ) -> None:
        stranger = person_create(workspace=other_workspace, display_name="Stranger")
        touch_log(workspace=other_workspace, people=[stranger], channel="phone")
        data = export(full_workspace)
        assert "Stranger" not in {row["display_name"] for row in data["people"]}
        assert len(data["touches"]) == Touch.objects.filter(workspace=full_workspace).count()

    def test_export_reads_in_a_bounded_number_of_queries(
        self, workspace: Workspace, make_person: MakePerson, django_assert_max_num_queries: Any
    ) -> None:
        people = [make_person(f"Person {n}") for n in range(40)]
        for person in people:
            touch_log(workspace=workspace, people=[person, people[0]], channel="email")
        with django_assert_max_num_queries(2 * len(SECTIONS) + 12):
            export(workspace)


class WorkspaceRestoreTests:
    def test_export_then_restore_into_an_empty_database_gives_identical_data(
        self, full_workspace: Workspace, user: User
    ) -> None:
        before = export(full_workspace)
        # Empty the database of this workspace's rows; the user stays to own the restore.
        full_workspace.delete()
        assert not Person.objects.exists()
        result = workspace_restore(data=json.loads(json.dumps(before)), owner=user)
        after = export(result.workspace)
        assert comparable(after) == comparable(before)
        assert {r["status"] for r in before["match_reviews"]} == {"open", "held"}
        assert result.workspace.slug == "morgans-network"
        assert result.unknown_users == ()

    def test_restore_beside_the_original_differs_only_in_name(
        self, full_workspace: Workspace, user: User
    ) -> None:
        before = export(full_workspace)
        result = workspace_restore(data=before, owner=user, workspace_name="Copy")
        after = export(result.workspace)
        assert after["workspace"]["name"] == "Copy"
        after["workspace"]["name"] = before["workspace"]["name"]
        assert comparable(after) == comparable(before)

    def test_restore_recomputes_search_and_figures(
        self, full_workspace: Workspace, user: User
    ) -> None:
        result = workspace_restore(data=export(full_workspace), owner=user, workspace_name="Copy")
        found = list(people_list(workspace=result.workspace, query="jane@acme.example"))
        assert [p.display_name for p in found] == ["Jane Doe"]
        jane = found[0]
        original = Person.objects.get(workspace=full_workspace, display_name="Jane Doe")
        assert jane.touch_count == original.touch_count == 2
        assert jane.last_in_person_at == original.last_in_person_at == CES_DAY
        assert jane.sort_name == original.sort_name
        assert jane.created_at == original.created_at

    def test_restored_merge_can_still_be_undone(
        self, full_workspace: Workspace, user: User
    ) -> None:
        result = workspace_restore(data=export(full_workspace), owner=user, workspace_name="Copy")
        merge = PersonMerge.objects.get(workspace=result.workspace, undone_at__isnull=True)
        dropped = person_unmerge(merge=merge, actor=user)
        assert dropped.workspace_id == result.workspace.pk
        assert dropped.display_name == "Jane D."
        assert dropped.identities.filter(value="jane.d@mail.example").exists()

    def test_users_without_an_account_here_are_reported(
        self, full_workspace: Workspace, user: User
    ) -> None:
        data = export(full_workspace)
        stranger = user_create(email="stranger@example.org", password=PASSWORD)
        data["touches"][0]["created_by"] = "nobody@example.org"
        result = workspace_restore(data=data, owner=stranger)
        assert result.unknown_users == ("nobody@example.org",)
        assert result.workspace.memberships.get().user == stranger

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda d: [], "not an Eye Contact workspace export"),
            (lambda d: {"hello": "world"}, "not an Eye Contact workspace export"),
            (lambda d: {**d, "format": "vcard"}, "not an Eye Contact workspace export"),
            (lambda d: {**d, "version": 2}, "format version 2"),
            (lambda d: {**d, "people": {"a": 1}}, "'people' must be a list"),
            (lambda d: {**d, "gadgets": []}, "does not know"),
            (lambda d: {**d, "touches": [{**d["touches"][0], "colour": "red"}]}, "unknown fields"),
            (lambda d: {**d, "touches": [{**d["touches"][0], "people": [999]}]}, "not in people"),
            (lambda d: {**d, "touches": [{**d["touches"][0], "channel": "fax"}]}, "channel"),
            (
                lambda d: {**d, "touches": [{**d["touches"][0], "occurred_at": "soon"}]},
                "occurred_at",
            ),
            (lambda d: {**d, "identities": [{**d["identities"][0], "person": None}]}, "required"),
            (lambda d: {**d, "people": [*d["people"], d["people"][0]]}, "appears twice"),
        ],
    )
    def test_a_bad_or_foreign_file_is_refused_and_nothing_is_written(
        self, full_workspace: Workspace, user: User, change: Callable[..., Any], message: str
    ) -> None:
        workspaces, people = Workspace.objects.count(), Person.objects.count()
        with pytest.raises(ValidationError) as caught:
            workspace_restore(data=change(export(full_workspace)), owner=user)
        assert message in caught.value.message_dict["file"][0]
        assert Workspace.objects.count() == workspaces
        assert Person.objects.count() == people


class AddressBookRestoreTests:
    def test_birthdays_photos_and_card_scans_come_back(
        self, full_workspace: Workspace, user: User
    ) -> None:
        data = export(full_workspace)
        people = {row["id"]: row["display_name"] for row in data["people"]}
        details = {people[row["person"]]: row for row in data["contact_details"]}
        assert details["Jane Doe"]["birthday"] == "1985-03-14"
        assert details["Kim Min-jun"]["birthday"] == "--02-29"
        [scan] = data["business_cards"]
        assert scan["status"] == "unreadable"
        full_workspace.delete()
        restored = workspace_restore(data=json.loads(json.dumps(data)), owner=user).workspace
        jane = ContactDetails.objects.get(workspace=restored, person__display_name="Jane Doe")
        assert (jane.birthday, bytes(jane.photo), jane.photo_type) == (
            "1985-03-14",
            PHOTO,
            "image/png",
        )
        again = business_card_submit(
            workspace=restored,
            actor=user,
            photo=b"sent again",
            client_id=uuid.UUID("87654321-4321-8765-4321-876543218765"),
        )
        assert bytes(again.photo) == b"not a photo"  # the same scan, not a second one
        assert again.status == "unreadable"

    def test_a_phone_syncing_after_a_restore_downloads_nothing_and_doubles_nothing(
        self, full_workspace: Workspace, user: User
    ) -> None:
        """Restored into another database (every person id changes), the book keeps its
        revision and each card its name, UID and ETag: the phone's token still holds and
        brings no change."""
        synced = book_refresh(workspace=full_workspace)
        cards = {e.name: (e.card.uid, card_etag(e.card)) for e in synced.entries}
        assert len(cards) >= 5
        data = export(full_workspace)
        old_ids = set(Person.objects.filter(workspace=full_workspace).values_list("pk", flat=True))
        full_workspace.delete()
        restored = workspace_restore(data=json.loads(json.dumps(data)), owner=user).workspace
        new_ids = set(Person.objects.filter(workspace=restored).values_list("pk", flat=True))
        assert not old_ids & new_ids
        again = book_refresh(workspace=restored)
        assert again.revision == synced.revision == book_revision(restored)
        assert {e.name: (e.card.uid, card_etag(e.card)) for e in again.entries} == cards
        assert book_changes(restored, synced.revision) == []

        # What the phone asks, with the token it had: nothing to fetch.
        _, key = token_create(user=user, name="Phone")
        credentials = base64.b64encode(f"{user.email}:{key}".encode()).decode()
        phone = Client(HTTP_AUTHORIZATION=f"Basic {credentials}")
        answer = phone.generic(
            "REPORT",
            f"/dav/addressbooks/{restored.slug}/",
            sync_collection(f"{SYNC_PREFIX}{synced.revision}"),
            content_type="application/xml",
        )
        assert answer.status_code == 207, answer.content
        root = fromstring(answer.content)
        assert members(root) == {}
        assert root.findtext(f"{D}sync-token") == f"{SYNC_PREFIX}{synced.revision}"

        # Someone new is a new card, once, beside the restored ones.
        person_create(workspace=restored, display_name="Nora New")
        after = book_refresh(workspace=restored)
        assert after.revision == synced.revision + 1
        assert len({e.name for e in after.entries}) == len(cards) + 1
        assert len({e.card.uid for e in after.entries}) == len(cards) + 1


class ExportCoverageTests:
    def test_every_model_that_belongs_to_a_workspace_is_exported_or_deliberately_left_out(
        self,
    ) -> None:
        exported = {section.model for section in SECTIONS}
        for model in apps.get_models():
            fields = {f.name: f for f in model._meta.concrete_fields}
            owned = "workspace" in fields and fields["workspace"].related_model is Workspace
            if owned:
                assert model in exported or model in NOT_EXPORTED, model._meta.label

    def test_sections_refer_only_to_sections_before_them(self) -> None:
        seen: set[type] = {User, Workspace}
        for section in SECTIONS:
            relations = [
                *(f for f in section.model._meta.concrete_fields if f.is_relation),
                *section.model._meta.many_to_many,
            ]
            for relation in relations:
                assert relation.related_model in seen, (section.key, relation.name)
            seen.add(section.model)
