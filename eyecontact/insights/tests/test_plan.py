"""Importing an attendee list and planning whom to meet at the event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.events.attendees import attendees_import, attendees_known
from eyecontact.events.models import Attendee, Event
from eyecontact.events.services import event_create
from eyecontact.insights.models import PlanItem
from eyecontact.insights.plan import plan_pick, plan_suggestions, plan_tick_met
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
ATTENDEES = (
    "First Name,Last Name,Company,E-mail Address,Badge ID\n"
    "Anneliese,Brandt,Corvid Robotics GmbH,,B-1\n"
    "Robert,Miller,Acme Corp,,B-2\n"
    "Grace,Liu,Northwind,grace@northwind.example,B-3\n"
    "Stranger,Danger,Nowhere Inc,,B-4\n"
    ",,,,\n"
)


@pytest.fixture
def summit(workspace: Workspace) -> Event:
    start = timezone.localdate() + dt.timedelta(days=10)
    return event_create(
        workspace=workspace,
        name="Hamburg Robotics Summit",
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
        city="Hamburg",
    )


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.mark.django_db
class AttendeeImportTests:
    def test_attendees_are_matched_to_people_i_know(
        self, summit: Event, make_person: MakePerson
    ) -> None:
        anneliese = make_person("Anneliese Brandt", organization="Corvid Robotics")
        grace = make_person("Grace Liu", identities=[("email", "grace@northwind.example")])
        report = attendees_import(event=summit, file_name="attendees.csv", data=ATTENDEES.encode())
        assert (report.added, report.known) == (4, 2)
        assert {a.person for a in attendees_known(event=summit)} == {anneliese, grace}

    def test_importing_the_list_again_updates_it(self, summit: Event) -> None:
        attendees_import(event=summit, file_name="a.csv", data=ATTENDEES.encode())
        newer = ATTENDEES.replace("Acme Corp", "Acme Robotics")
        report = attendees_import(event=summit, file_name="a.csv", data=newer.encode())
        assert (report.added, report.updated) == (0, 4)
        assert Attendee.objects.get(badge_id="B-2").organization == "Acme Robotics"

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"Shoe size,Colour\n44,red\n", "expected a header with a Name column"),
            (b"", "empty"),
            (b"\x00\x01\x02binary", "not a text file"),
        ],
    )
    def test_a_bad_list_is_refused_with_the_file_named(
        self, summit: Event, data: bytes, message: str
    ) -> None:
        with pytest.raises(ValidationError, match=message) as caught:
            attendees_import(event=summit, file_name="list.csv", data=data)
        assert "list.csv" in caught.value.messages[0]
        assert not Attendee.objects.exists()


@pytest.mark.django_db
class PlanTests:
    def test_the_plan_groups_online_fading_and_strong_people(
        self, workspace: Workspace, summit: Event, make_person: MakePerson
    ) -> None:
        online = make_person("Anneliese Brandt", organization="Corvid Robotics")
        connection_add(
            person=online, network="linkedin", kind="connection", connected_on=dt.date(2021, 3, 1)
        )
        fading = make_person("Robert Miller", organization="Acme Corp", cadence_days=90)
        touch_log(workspace=workspace, people=[fading], channel="in_person", when=days_ago(200))
        strong = make_person("Grace Liu", identities=[("email", "grace@northwind.example")])
        for days in (10, 40, 70):
            touch_log(
                workspace=workspace, people=[strong], channel="in_person", when=days_ago(days)
            )
        attendees_import(event=summit, file_name="a.csv", data=ATTENDEES.encode())
        groups = plan_suggestions(event=summit)
        assert [s.person for s in groups["online_to_real"]] == [online]
        assert (
            groups["online_to_real"][0].reason
            == "Connected on LinkedIn since March 2021, never met."
        )
        assert [s.person for s in groups["renew"]] == [fading]
        assert [s.person for s in groups["say_hello"]] == [strong]
        assert "3 in-person meetings" in groups["say_hello"][0].reason

    def test_ticking_who_was_met_logs_in_person_touches_at_the_event(
        self, workspace: Workspace, summit: Event, make_person: MakePerson
    ) -> None:
        jane, john = make_person("Jane Doe"), make_person("John Roe")
        plan_pick(event=summit, person=jane, group="say_hello", reason="Old friend")
        # The summit is over by the time anyone is ticked.
        summit.starts_on -= dt.timedelta(days=12)
        summit.ends_on -= dt.timedelta(days=12)
        summit.save(update_fields=["starts_on", "ends_on"])
        touches = plan_tick_met(event=summit, people=[jane, john], day=summit.starts_on)
        assert len(touches) == 2
        assert all(t.event == summit and t.channel == "in_person" for t in touches)
        jane.refresh_from_db()
        assert jane.last_in_person_at is not None
        assert PlanItem.objects.filter(met=True).count() == 2
        assert plan_tick_met(event=summit, people=[jane]) == []

    def test_ticking_before_the_event_has_happened_is_refused(
        self, summit: Event, make_person: MakePerson
    ) -> None:
        jane = make_person("Jane Doe")
        with pytest.raises(ValidationError, match="more than a day from now"):
            plan_tick_met(event=summit, people=[jane], day=summit.starts_on)
        jane.refresh_from_db()
        assert jane.last_in_person_at is None
        assert not PlanItem.objects.filter(met=True).exists()

    def test_a_day_outside_the_event_is_refused(
        self, summit: Event, make_person: MakePerson
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            plan_tick_met(
                event=summit, people=[make_person()], day=summit.ends_on + dt.timedelta(days=1)
            )
        assert "day" in caught.value.message_dict

    def test_people_of_another_workspace_cannot_be_planned(
        self, summit: Event, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace)
        with pytest.raises(ValidationError):
            plan_pick(event=summit, person=stranger, group="renew", reason="")
