"""Only people become people: company and place cards, mailing lists, shared mailboxes and rooms
are kept as organisations, linked to the meetings they hosted or that happened there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch, Organization
from eyecontact.imports.services import batch_undo, import_file
from eyecontact.imports.sources import ContactRecord, parse_file
from eyecontact.imports.sources.parties import PartyKind, attendee_kind, contact_kind
from eyecontact.people.models import Identity, Person, Touch

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
OWNER_EMAIL = "morgan.ellery@example.net"
# What TRUTH.md lists as not a person, as the files name them.
NOT_PEOPLE = (
    "Café Kranzler",
    "Founders Breakfast Berlin",
    "hello@founders-breakfast.example",
    "berlin-founders@lists.founders-breakfast.example",
    "c_1883a7b9d2e4f6a8c0b1@resource.calendar.google.com",
    "CCH Hamburg-Meeting Room 4 (8)",
)
SAMPLES = (
    "linkedin/Connections.csv",
    "vcard/contacts.vcf",
    "google/contacts.csv",
    "google/outlook_contacts.csv",
    "calendar/calendar.ics",
    "calendar/calendar_outlook.ics",
)


class AttendeeKindTests:
    @pytest.mark.parametrize(
        ("email", "name", "cutype", "kind"),
        [
            ("liesl.brandt@corvid-robotics.example", "Liesl Brandt", "INDIVIDUAL", "person"),
            ("priya.raghu@mail.example", "", "INDIVIDUAL", "person"),
            ("hello@founders-breakfast.example", "Founders Breakfast Berlin", "", "organization"),
            ("info@kirin-labs.example", "", "INDIVIDUAL", "organization"),
            ("team@parkstudio.example", "Park Studio team", "INDIVIDUAL", "organization"),
            ("TEAM+berlin@parkstudio.example", "", "INDIVIDUAL", "organization"),
            (
                "berlin-founders@lists.founders-breakfast.example",
                "berlin-founders@lists.founders-breakfast.example",
                "INDIVIDUAL",
                "mailing_list",
            ),
            ("robotics@googlegroups.com", "", "INDIVIDUAL", "mailing_list"),
            ("staff-all@harbor-bio.example", "", "INDIVIDUAL", "mailing_list"),
            ("everyone@harbor-bio.example", "Everyone", "GROUP", "mailing_list"),
            ("", "", "INDIVIDUAL", "person"),
            (
                "c_1883a7b9d2e4f6a8c0b1@resource.calendar.google.com",
                "CCH Hamburg-Meeting Room 4 (8)",
                "INDIVIDUAL",
                "room",
            ),
            ("room4@cch.example", "Room 4", "RESOURCE", "room"),
            ("foundersbreakfast@gmail.com", "Founders Breakfast Berlin", "", "organization"),
            ("robotics.meetup@gmail.com", "Berlin Robotics Meetup", "INDIVIDUAL", "organization"),
            ("team.lead@example.com", "Teamleader", "INDIVIDUAL", "person"),
            ("aoife@cliffside-analytics.example", "Aoife Ni Bhriain", "INDIVIDUAL", "person"),
            ("marcus@feldwerk.example", "Marcus Feld", "INDIVIDUAL", "person"),
            ("saal-b@cch.example", "Saal B", "room", "room"),
        ],
    )
    def test_each_attendee_is_what_its_address_and_cutype_say(
        self, email: str, name: str, cutype: str, kind: PartyKind
    ) -> None:
        assert attendee_kind(email, name, cutype) == kind

    def test_a_list_invited_by_its_address_as_its_name_is_a_list(self) -> None:
        assert attendee_kind("", "mailto:founders@lists.example", "INDIVIDUAL") == "mailing_list"


def record(**fields: object) -> ContactRecord:
    return ContactRecord(source_format="vcard", file_name="x.vcf", line=1, key="k", **fields)  # type: ignore[arg-type]


class ContactKindTests:
    @pytest.mark.parametrize(
        ("fields", "kind"),
        [
            ({"full_name": "Chloe Park", "emails": ("chloe@parkstudio.example",)}, "person"),
            ({"full_name": "Café Kranzler", "is_organization": True}, "organization"),
            ({"organization": "Café Kranzler", "is_organization": True}, "organization"),
            ({"emails": ("info@kirin-labs.example",)}, "organization"),
            ({"emails": ("founders@lists.example",)}, "mailing_list"),
            ({"full_name": "Kofi", "phones": ("+233245550198",)}, "person"),
            ({"emails": ("liesl.brandt@corvid-robotics.example",)}, "person"),
            # A name says a person is behind the shared address.
            ({"full_name": "Sam Okoro", "emails": ("info@summit.example",)}, "person"),
        ],
    )
    def test_each_row_is_a_person_or_not(self, fields: dict[str, object], kind: str) -> None:
        assert contact_kind(record(**fields)) == kind

    @pytest.mark.parametrize(
        ("name", "file_name"),
        [("vcard/contacts.vcf", "Café Kranzler"), ("google/contacts.csv", "Café Kranzler")],
    )
    def test_the_samples_company_cards_are_organizations(self, name: str, file_name: str) -> None:
        result = parse_file(name, (FIXTURES / name).read_bytes())
        kinds = {
            (c.full_name or c.organization): contact_kind(c)
            for c in result.contacts
            if c.organization == file_name
        }
        assert kinds == {"Café Kranzler": "organization"}


class MeetingOthersTests:
    def parse(self) -> dict[str, tuple[list[str], list[tuple[str, str, str]]]]:
        result = parse_file(
            "calendar.ics",
            (FIXTURES / "calendar/calendar.ics").read_bytes(),
            until=UNTIL,
            owner_emails=[OWNER_EMAIL],
        )
        return {
            m.summary: (
                [a.email for a in m.attendees],
                [(o.kind, o.name, o.email) for o in m.others],
            )
            for m in result.meetings
        }

    def test_the_breakfast_hosts_and_its_list_are_not_attendees(self) -> None:
        people, others = self.parse()["Berlin founders breakfast #14"]
        assert people == ["seun@kola-payments.example", "marcus@feldwerk.example"]
        assert others == [
            ("organization", "Founders Breakfast Berlin", "hello@founders-breakfast.example"),
            ("mailing_list", "", "berlin-founders@lists.founders-breakfast.example"),
        ]

    def test_the_meeting_room_is_kept_apart(self) -> None:
        people, others = self.parse()["Kirin Labs follow-up"]
        assert people == ["m.tanaka@kirin-labs.example"]
        assert others == [
            (
                "room",
                "CCH Hamburg-Meeting Room 4 (8)",
                "c_1883a7b9d2e4f6a8c0b1@resource.calendar.google.com",
            )
        ]

    def test_a_group_organizer_is_not_the_meetings_organizer(self) -> None:
        text = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20250205T070000Z\r\n"
            "DTEND:20250205T080000Z\r\nLOCATION:Factory Berlin\r\nSUMMARY:Breakfast\r\n"
            "ORGANIZER;CN=Founders Breakfast Berlin:mailto:team@founders.example\r\n"
            "ATTENDEE;CN=Seun Adeyemi;PARTSTAT=ACCEPTED:mailto:seun@kola-payments.example\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        (meeting,) = parse_file("c.ics", text.encode(), until=UNTIL).meetings
        assert meeting.organizer is None
        assert [(o.kind, o.name) for o in meeting.others] == [
            ("organization", "Founders Breakfast Berlin")
        ]


def import_samples(workspace: Workspace, names: tuple[str, ...] = SAMPLES) -> list[ImportBatch]:
    return [
        import_file(
            workspace=workspace,
            file_name=name,
            data=(FIXTURES / name).read_bytes(),
            until=UNTIL,
            owner_emails=[OWNER_EMAIL],
        )
        for name in names
    ]


@pytest.mark.django_db
class NotPeopleImportTests:
    def test_no_sample_non_person_becomes_a_person(self, workspace: Workspace) -> None:
        import_samples(workspace)
        names = set(
            Person.objects.filter(workspace=workspace).values_list("display_name", flat=True)
        )
        assert names.isdisjoint(NOT_PEOPLE)
        addresses = set(
            Identity.objects.filter(workspace=workspace, kind="email").values_list(
                "value", flat=True
            )
        )
        assert addresses.isdisjoint(NOT_PEOPLE)
        assert not Touch.people.through.objects.filter(
            touch__workspace=workspace, person__display_name__in=NOT_PEOPLE
        ).exists()

    def test_they_are_kept_as_organizations_linked_to_their_meetings(
        self, workspace: Workspace
    ) -> None:
        import_samples(workspace)
        kept = {
            (o.kind, o.name or o.email): sorted(o.touches.values_list("note", flat=True))
            for o in Organization.objects.filter(workspace=workspace)
        }
        assert kept == {
            ("organization", "Café Kranzler"): ["Coffee with Liesl"],
            ("organization", "Founders Breakfast Berlin"): ["Berlin founders breakfast #14"],
            ("mailing_list", "berlin-founders@lists.founders-breakfast.example"): [
                "Berlin founders breakfast #14"
            ],
            ("room", "CCH Hamburg-Meeting Room 4 (8)"): ["Kirin Labs follow-up"],
        }

    def test_a_meeting_at_a_place_is_linked_whichever_file_came_first(
        self, workspace: Workspace
    ) -> None:
        import_samples(workspace, ("calendar/calendar.ics", "vcard/contacts.vcf"))
        cafe = Organization.objects.get(workspace=workspace, name="Café Kranzler")
        assert list(cafe.touches.values_list("note", flat=True)) == ["Coffee with Liesl"]

    def test_the_breakfast_counts_only_its_people(self, workspace: Workspace) -> None:
        import_samples(workspace, ("calendar/calendar.ics",))
        breakfast = Touch.objects.get(workspace=workspace, note="Berlin founders breakfast #14")
        assert sorted(breakfast.people.values_list("display_name", flat=True)) == ["Seun Adeyemi"]

    def test_importing_again_keeps_each_organization_once(self, workspace: Workspace) -> None:
        import_samples(workspace)
        before = sorted(
            Organization.touches.through.objects.values_list("organization__key", "touch_id")
        )
        again = import_samples(workspace)
        assert all(batch.counts["organizations_new"] == 0 for batch in again)
        assert Organization.objects.filter(workspace=workspace).count() == 4
        after = sorted(
            Organization.touches.through.objects.values_list("organization__key", "touch_id")
        )
        assert after == before

    def test_undoing_the_calendar_takes_back_its_lists_and_rooms(
        self, workspace: Workspace
    ) -> None:
        _, calendar = import_samples(workspace, ("vcard/contacts.vcf", "calendar/calendar.ics"))
        batch_undo(batch=calendar)
        remaining = Organization.objects.filter(workspace=workspace)
        assert [(o.name, o.touches.count()) for o in remaining] == [("Café Kranzler", 0)]
