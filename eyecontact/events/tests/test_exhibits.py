"""Capturing at the booth, and the exhibit report."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import user_create, workspace_add_member
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import (
    NOT_STAFF,
    capture_record,
    exhibit_add_cost,
    exhibit_cost_delete,
    exhibit_cost_update,
    exhibit_create,
    exhibit_leads,
    exhibit_report,
    leads_csv,
    leads_vcard,
)
from eyecontact.events.models import Capture, Event, Exhibit
from eyecontact.events.services import event_create
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
FIXTURES = Path(__file__).parent / "fixtures"
MECARD = (
    "MECARD:N:Brandt,Anneliese;ORG:Corvid Robotics GmbH;"
    "EMAIL:a.brandt@corvid-robotics.example;TEL:+4915123456789;;"
)
SUMMIT_DAY = dt.date(2025, 9, 17)


def at(hour: int, minute: int = 0, day: dt.date = SUMMIT_DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def summit(workspace: Workspace) -> Event:
    return event_create(
        workspace=workspace,
        name="Hamburg Robotics Summit 2025",
        kind="trade_show",
        starts_on=SUMMIT_DAY,
        ends_on=SUMMIT_DAY + dt.timedelta(days=2),
        city="Hamburg",
    )


@pytest.fixture
def booth(summit: Event, user: User) -> Exhibit:
    return exhibit_create(event=summit, name="Booth B12", currency="EUR", staff=[user])


@pytest.mark.django_db
class CaptureTests:
    def test_a_conversation_becomes_an_in_person_touch_at_the_event(
        self, booth: Exhibit, user: User
    ) -> None:
        capture, created = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            captured_at=at(10, 42),
            payload=MECARD,
            rating=4,
            note="Wants a demo",
            follow_up=True,
        )
        assert created
        assert capture.payload_kind == "mecard"
        person = capture.person
        assert person is not None
        assert (person.display_name, person.organization) == (
            "Anneliese Brandt",
            "Corvid Robotics GmbH",
        )
        touch = person.touches.get()
        assert (touch.channel, touch.event, touch.where) == ("in_person", booth.event, "Booth B12")
        assert set(person.identities.values_list("kind", flat=True)) == {"email", "phone"}

    def test_the_same_capture_sent_twice_is_stored_once(self, booth: Exhibit, user: User) -> None:
        client_id = uuid.uuid4()
        sent = {"kind": "conversation", "payload": MECARD, "captured_at": at(10, 0)}
        first, created = capture_record(exhibit=booth, actor=user, client_id=client_id, **sent)
        again, created_again = capture_record(
            exhibit=booth, actor=user, client_id=client_id, **sent
        )
        assert (created, created_again) == (True, False)
        assert first.pk == again.pk
        # The resend is answered with the capture as stored, its person and times included.
        assert again.person is not None
        assert (again.person.pk, again.person.display_name) == (
            first.person_id,
            "Anneliese Brandt",
        )
        assert (again.received_at, again.resolved_at) == (first.received_at, first.resolved_at)
        assert timezone.is_aware(again.received_at)
        assert again.follow_up is False
        assert Capture.objects.count() == 1
        assert Touch.objects.count() == 1

    def test_a_resend_inside_a_transaction_leaves_it_usable(
        self, booth: Exhibit, user: User
    ) -> None:
        client_id = uuid.uuid4()
        with transaction.atomic():  # as a device's queue sent in one request
            first, _ = capture_record(
                exhibit=booth, actor=user, client_id=client_id, kind="visit", payload=MECARD
            )
            again, created = capture_record(
                exhibit=booth, actor=user, client_id=client_id, kind="visit", payload=MECARD
            )
            later, later_created = capture_record(
                exhibit=booth, actor=user, client_id=uuid.uuid4(), kind="visit", name="Ada Byron"
            )
        assert (created, later_created) == (False, True)
        assert again.pk == first.pk
        assert Capture.objects.count() == 2

    def test_a_client_id_used_at_another_exhibit_is_refused(
        self, booth: Exhibit, summit: Event, user: User
    ) -> None:
        other = exhibit_create(event=summit, name="Booth C3", staff=[user])
        client_id = uuid.uuid4()
        capture_record(exhibit=booth, actor=user, client_id=client_id, kind="visit", name="Ada")
        with pytest.raises(ValidationError) as refused:
            capture_record(exhibit=other, actor=user, client_id=client_id, kind="visit", name="Ada")
        assert "another exhibit" in str(refused.value.message_dict["client_id"])
        assert Capture.objects.filter(exhibit=other).count() == 0

    def test_a_known_person_is_found_not_duplicated(
        self, booth: Exhibit, user: User, make_person: MakePerson
    ) -> None:
        liesl = make_person(
            "Liesl Brandt", identities=[("email", "a.brandt@corvid-robotics.example")]
        )
        capture, _ = capture_record(
            exhibit=booth, actor=user, client_id=uuid.uuid4(), kind="visit", payload=MECARD
        )
        assert capture.person == liesl
        assert not liesl.touches.exists()  # a visit is not a conversation

    def test_a_badge_id_is_looked_up_in_the_attendee_list(self, booth: Exhibit, user: User) -> None:
        attendees_import(
            event=booth.event,
            file_name="leads.csv",
            data=(FIXTURES / "lead_export_ILLUSTRATIVE.csv").read_bytes(),
        )
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            payload="HRS25-004217",
        )
        assert capture.person is not None
        assert capture.person.display_name == "Misaki Tanaka"
        assert capture.attendee is not None and capture.attendee.person == capture.person

    @pytest.mark.parametrize(
        ("payload", "said"),
        [
            ("WIFI:T:WPA;S:HRS25-Guest;P:robots2025;H:false;;", "a Wi-Fi network, not a badge"),
            ("https://hamburg-robotics.example/floorplan", "a web link, not a badge"),
            ("https://app.hamburg-robotics.example/p/unknown42", "a web link, not a badge"),
            ("Welcome to the summit!", "plain text, not a badge"),
        ],
    )
    def test_a_code_that_is_not_a_badge_is_refused_as_one(
        self, booth: Exhibit, user: User, payload: str, said: str
    ) -> None:
        with pytest.raises(ValidationError) as refused:
            capture_record(
                exhibit=booth,
                actor=user,
                client_id=uuid.uuid4(),
                kind="visit",
                payload=payload,
                name="Henrik Vogel",
            )
        [message] = refused.value.message_dict["payload"]
        assert said in message and "type their name" in message
        assert not Capture.objects.exists()
        assert not Person.objects.exists()

    def test_a_link_to_the_event_app_of_a_listed_attendee_is_a_badge(
        self, booth: Exhibit, user: User
    ) -> None:
        attendees_import(
            event=booth.event,
            file_name="leads.csv",
            data=(FIXTURES / "lead_export_ILLUSTRATIVE.csv").read_bytes(),
        )
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            captured_at=at(12, 12),
            payload="https://app.hamburg-robotics.example/p/q8Xk2Lm9",
        )
        assert capture.payload_kind == "url"
        assert capture.person is not None and capture.person.display_name == "Henrik Vogel"

    def test_a_linkedin_profile_is_a_badge(self, booth: Exhibit, user: User) -> None:
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="visit",
            captured_at=at(12, 0),
            payload="https://www.linkedin.com/in/zoe-dupont-design?utm_source=share",
            name="Zoe Dupont",
        )
        assert capture.payload_kind == "linkedin"
        assert capture.person is not None
        assert capture.person.identities.get().value == "zoe-dupont-design"

    def test_a_name_typed_by_hand_creates_the_person(self, booth: Exhibit, user: User) -> None:
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            name="Henrik Vogel",
            organization="Student",
        )
        assert capture.person is not None and capture.person.display_name == "Henrik Vogel"

    def test_someone_not_on_the_staff_is_refused(
        self, booth: Exhibit, workspace: Workspace
    ) -> None:
        colleague = user_create(email="sam@example.net", password=PASSWORD)
        workspace_add_member(workspace=workspace, user=colleague)
        with pytest.raises(PermissionDenied, match=NOT_STAFF):
            capture_record(
                exhibit=booth, actor=colleague, client_id=uuid.uuid4(), kind="visit", name="X"
            )
        assert not Capture.objects.exists()

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"kind": "hug", "name": "X"}, "kind"),
            ({"kind": "visit", "name": "X", "rating": 9}, "rating"),
            ({"kind": "visit"}, "payload"),
            ({"kind": "visit", "payload": "x" * 9000}, "payload"),
            ({"kind": "visit", "attendee_id": 999_999}, "attendee_id"),
        ],
    )
    def test_bad_captures_name_the_field_and_store_nothing(
        self, booth: Exhibit, user: User, kwargs: dict[str, object], field: str
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            capture_record(exhibit=booth, actor=user, client_id=uuid.uuid4(), **kwargs)
        assert field in caught.value.message_dict
        assert not Capture.objects.exists()
        assert not Person.objects.exists()


@pytest.mark.django_db
class ReportTests:
    def test_costs_per_entrant_and_conversation_and_the_follow_through(
        self, booth: Exhibit, user: User, workspace: Workspace
    ) -> None:
        exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        exhibit_add_cost(exhibit=booth, category="travel", amount=Decimal("1000"))
        talks = []
        for n, hour in enumerate((10, 10, 14)):
            capture, _ = capture_record(
                exhibit=booth,
                actor=user,
                client_id=uuid.uuid4(),
                kind="conversation",
                captured_at=at(hour, n),
                name=f"Visitor {n}",
            )
            talks.append(capture)
        capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="visit",
            captured_at=at(15, 0),
            name="Passer By",
        )
        followed = talks[0].person
        assert followed is not None
        touch_log(
            workspace=workspace,
            people=[followed],
            channel="phone",
            when=at(9, day=dt.date(2025, 10, 1)),
        )
        touch_log(
            workspace=workspace,
            people=[followed],
            channel="in_person",
            when=at(9, day=dt.date(2026, 3, 1)),
        )
        connection_add(
            person=followed,
            network="linkedin",
            kind="connection",
            connected_on=dt.date(2025, 9, 20),
        )
        later = talks[1].person
        assert later is not None
        connection_add(
            person=later, network="x", kind="following", connected_on=dt.date(2025, 11, 10)
        )
        report = exhibit_report(exhibit=booth, now=at(12, day=dt.date(2026, 6, 1)))
        assert (report.entrants, report.conversations) == (4, 3)
        assert report.cost == Decimal("4000")
        assert report.cost_per_entrant == Decimal("1000.00")
        assert report.cost_per_conversation == Decimal("1333.33")
        assert report.by_hour == {10: 2, 14: 1}
        assert report.by_staff == {user.email: 3}
        assert (report.followed_up_30, report.followed_up_90) == (1, 1)
        assert (report.connected_30, report.connected_90) == (1, 2)
        assert (report.lasting, report.cost_per_lasting) == (1, Decimal("4000.00"))
        figures = report.as_dict()
        assert figures["published_cost_per_conversation"] == "260.00"

    def test_an_exhibit_with_no_captures_has_no_cost_per_head(self, booth: Exhibit) -> None:
        report = exhibit_report(exhibit=booth)
        assert (report.cost_per_entrant, report.cost_per_conversation) == (None, None)

    def test_a_negative_cost_is_refused(self, booth: Exhibit) -> None:
        with pytest.raises(ValidationError):
            exhibit_add_cost(exhibit=booth, category="stand", amount=Decimal("-5"))

    def test_leads_export_as_csv_and_vcard(self, booth: Exhibit, user: User) -> None:
        capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            captured_at=at(11, 0),
            payload=MECARD,
            note="=cmd|calc",
        )
        rows = "".join(leads_csv(exhibit=booth)).splitlines()
        assert rows[0].startswith("captured_at,kind,name")
        assert "Anneliese Brandt" in rows[1]
        assert "'=cmd|calc" in rows[1]
        card = leads_vcard(exhibit=booth)
        assert "FN:Anneliese Brandt" in card
        assert "EMAIL;TYPE=INTERNET:a.brandt@corvid-robotics.example" in card


@pytest.mark.django_db
class OutsideTheEventTests:
    @pytest.mark.parametrize(
        "day",
        [SUMMIT_DAY - dt.timedelta(days=2), SUMMIT_DAY + dt.timedelta(days=4)],
        ids=["two days before", "two days after the last day"],
    )
    def test_a_capture_outside_the_event_days_is_flagged_and_not_met_here(
        self, booth: Exhibit, user: User, day: dt.date
    ) -> None:
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            captured_at=at(10, 0, day=day),
            payload=MECARD,
        )
        assert capture.outside_dates
        person = capture.person
        assert person is not None, "the person is still found"
        assert capture.touch is None
        assert not person.touches.exists()
        person.refresh_from_db()
        assert person.last_in_person_at is None
        report = exhibit_report(exhibit=booth)
        assert (report.entrants, report.conversations, report.outside_dates) == (0, 0, 1)
        assert report.as_dict()["captures_outside_event_dates"] == 1
        assert len("".join(leads_csv(exhibit=booth)).splitlines()) == 1

    @pytest.mark.parametrize(
        "day",
        [SUMMIT_DAY - dt.timedelta(days=1), SUMMIT_DAY + dt.timedelta(days=3)],
        ids=["set-up day", "the day after"],
    )
    def test_a_day_either_side_still_counts(self, booth: Exhibit, user: User, day: dt.date) -> None:
        capture, _ = capture_record(
            exhibit=booth,
            actor=user,
            client_id=uuid.uuid4(),
            kind="conversation",
            captured_at=at(10, 0, day=day),
            payload=MECARD,
        )
        assert not capture.outside_dates
        assert capture.touch is not None and capture.touch.event == booth.event
        assert exhibit_report(exhibit=booth).conversations == 1


@pytest.mark.django_db
class OneCountTests:
    def test_the_report_charts_and_exports_count_the_same_people(
        self, booth: Exhibit, user: User, workspace: Workspace
    ) -> None:
        """Two staff, a visitor seen twice, one talked to twice, a capture outside the dates."""
        sam = user_create(email="sam@example.net", password=PASSWORD)
        workspace_add_member(workspace=workspace, user=sam)
        booth.staff.add(sam)

        def capture(actor: User, kind: str, hour: int, name: str, **fields: object) -> None:
            given, family = name.split()
            capture_record(
                exhibit=booth,
                actor=actor,
                client_id=uuid.uuid4(),
                kind=kind,
                captured_at=fields.pop("when", at(hour, 0)),
                payload=f"MECARD:N:{family},{given};EMAIL:{given.lower()}@example.org;;",
                **fields,
            )

        capture(user, "visit", 9, "Ada Lovelace")
        capture(sam, "conversation", 10, "Ada Lovelace", rating=3)  # visited, then talked
        capture(user, "conversation", 11, "Grace Hopper", note="Wants a demo")
        capture(sam, "conversation", 15, "Grace Hopper", rating=5)  # talked twice
        capture(user, "visit", 12, "Linus Torvalds")
        capture(user, "visit", 13, "Linus Torvalds")  # came by twice
        capture(sam, "conversation", 10, "Late Larry", when=at(10, 0, day=dt.date(2025, 12, 1)))

        report = exhibit_report(exhibit=booth)
        leads = exhibit_leads(exhibit=booth)
        assert [lead.person.display_name for lead in leads] == [
            "Ada Lovelace",
            "Grace Hopper",
            "Linus Torvalds",
        ]
        assert (report.entrants, report.conversations, report.outside_dates) == (3, 2, 1)
        assert report.by_staff == {sam.email: 1, user.email: 1}
        assert sum(report.by_staff.values()) == report.conversations
        assert sum(report.by_hour.values()) == report.conversations
        rows = "".join(leads_csv(exhibit=booth)).splitlines()[1:]
        assert len(rows) == report.entrants
        kinds = [row.split(",")[1] for row in rows]
        assert kinds.count("conversation") == report.conversations
        grace = next(row for row in rows if "Grace Hopper" in row)
        assert "Wants a demo" in grace and ",5," in grace and user.email in grace
        assert leads_vcard(exhibit=booth).count("BEGIN:VCARD") == report.entrants


@pytest.mark.django_db
class CostLineTests:
    def test_a_cost_line_is_corrected_and_the_report_follows(self, booth: Exhibit) -> None:
        cost = exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        exhibit_cost_update(cost=cost, category="stand", amount=Decimal("2500.50"), note=" Walls ")
        cost.refresh_from_db()
        assert (cost.category, cost.amount, cost.note) == ("stand", Decimal("2500.50"), "Walls")
        report = exhibit_report(exhibit=booth)
        assert report.cost == Decimal("2500.50")
        assert report.costs_by_category == {"stand": Decimal("2500.50")}

    def test_a_negative_correction_is_refused_and_nothing_changes(self, booth: Exhibit) -> None:
        cost = exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        with pytest.raises(ValidationError):
            exhibit_cost_update(cost=cost, category="space", amount=Decimal("-1"))
        cost.refresh_from_db()
        assert cost.amount == Decimal("3000")

    def test_a_cost_line_is_deleted(self, booth: Exhibit) -> None:
        keep = exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        gone = exhibit_add_cost(exhibit=booth, category="travel", amount=Decimal("800"))
        exhibit_cost_delete(cost=gone)
        assert list(booth.costs.all()) == [keep]
        assert exhibit_report(exhibit=booth).cost == Decimal("3000")
