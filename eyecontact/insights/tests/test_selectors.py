"""The fading list and reminders at their edges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.events.attendees import attendees_import
from eyecontact.events.services import event_create
from eyecontact.insights.plan import plan_suggestions
from eyecontact.insights.selectors import (
    Reminder,
    fading_list,
    reminders_list,
    reminders_schedule,
    strengths,
)
from eyecontact.insights.services import (
    reminder_done,
    reminder_snooze,
    settings_update,
    tag_person,
    tag_update,
)
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, person_update, touch_log

MakePerson = Callable[..., Person]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.mark.django_db
class FadingTests:
    def test_people_past_their_cadence_fade_strongest_first(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        close = make_person("Close Friend", cadence_days=30)
        acquaintance = make_person("Acquaintance", cadence_days=30)
        fresh = make_person("Seen Last Week", cadence_days=30)
        for _ in range(3):
            touch_log(workspace=workspace, people=[close], channel="in_person", when=days_ago(60))
        touch_log(workspace=workspace, people=[acquaintance], channel="phone", when=days_ago(90))
        touch_log(workspace=workspace, people=[fresh], channel="in_person", when=days_ago(7))
        fading = fading_list(workspace=workspace)
        assert [f.person for f in fading] == [close, acquaintance]
        assert fading[0].overdue_days == 30
        assert "every 30 days" in fading[0].why

    def test_without_a_cadence_nobody_fades(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        person = make_person()
        touch_log(workspace=workspace, people=[person], channel="in_person", when=days_ago(900))
        assert fading_list(workspace=workspace) == []

    def test_only_high_touch_contact_keeps_someone_from_fading(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        pen_pal = make_person("Pen Pal", cadence_days=60)
        touch_log(workspace=workspace, people=[pen_pal], channel="in_person", when=days_ago(200))
        touch_log(workspace=workspace, people=[pen_pal], channel="message", when=days_ago(1))
        assert [f.person for f in fading_list(workspace=workspace)] == [pen_pal]

    def test_someone_never_met_in_person_or_by_phone_never_fades(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """Whatever the cadence: their own, a tag's or the workspace's default."""
        own = make_person("Only Online", cadence_days=90)
        tagged = make_person("Tagged Online")
        tag_person(person=tagged, name="Clients")
        tag_update(tag=tagged.tags.get(), cadence_days=30)
        make_person("Default Online")
        settings_update(workspace=workspace, default_cadence_days=30)
        touch_log(workspace=workspace, people=[own], channel="email", when=days_ago(200))
        touch_log(workspace=workspace, people=[tagged], channel="video", when=days_ago(200))
        met = make_person("Met Once")
        touch_log(workspace=workspace, people=[met], channel="in_person", when=days_ago(200))
        assert [f.person for f in fading_list(workspace=workspace)] == [met]
        assert [r.person for r in reminders_list(workspace=workspace)] == [met]

    def test_never_met_people_are_for_an_events_plan_instead(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        online = make_person(
            "Only Online", cadence_days=90, identities=[("email", "only@online.example")]
        )
        connection_add(person=online, network="linkedin", kind="connection")
        summit = event_create(
            workspace=workspace,
            name="Summit",
            starts_on=timezone.localdate() + dt.timedelta(days=10),
        )
        attendees_import(
            event=summit,
            file_name="attendees.csv",
            data=b"Name,Email\nOnly Online,only@online.example\n",
        )
        assert fading_list(workspace=workspace) == []
        groups = plan_suggestions(event=summit)
        assert [s.person for s in groups["online_to_real"]] == [online]

    def test_a_planned_meeting_does_not_count_until_it_happens(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person("Friend", cadence_days=30)
        touch_log(workspace=workspace, people=[friend], channel="in_person", when=days_ago(100))
        upcoming = timezone.now() + dt.timedelta(days=5)
        with pytest.raises(ValidationError, match="more than a day from now"):
            touch_log(workspace=workspace, people=[friend], channel="in_person", when=upcoming)
        [fading] = fading_list(workspace=workspace)
        assert fading.person == friend

    def test_a_tag_cadence_applies_unless_the_person_has_their_own(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        client, own_pace = make_person("Client"), make_person("Own Pace")
        for person in (client, own_pace):
            touch_log(workspace=workspace, people=[person], channel="in_person", when=days_ago(45))
            tag_person(person=person, name="Clients")
        tag_update(tag=client.tags.get(), cadence_days=30)
        person_update(person=own_pace, cadence_days=60)
        assert [f.person for f in fading_list(workspace=workspace)] == [client]

    def test_changing_a_cadence_changes_who_fades(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person("Friend", cadence_days=30)
        touch_log(workspace=workspace, people=[friend], channel="in_person", when=days_ago(45))
        assert fading_list(workspace=workspace)
        person_update(person=friend, cadence_days=90)
        assert fading_list(workspace=workspace) == []

    def test_a_workspace_default_cadence_covers_everyone(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person("Friend")
        touch_log(workspace=workspace, people=[friend], channel="phone", when=days_ago(400))
        settings_update(workspace=workspace, default_cadence_days=365)
        assert [f.person for f in fading_list(workspace=workspace)] == [friend]

    def test_strength_uses_the_workspace_settings(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person()
        touch_log(workspace=workspace, people=[friend], channel="social", when=days_ago(0))
        before = strengths(workspace=workspace, person_ids=[friend.pk])[friend.pk].score
        settings_update(workspace=workspace, weight_social=5)
        after = strengths(workspace=workspace, person_ids=[friend.pk])[friend.pk].score
        assert after == pytest.approx(before * 5, rel=1e-3)

    def test_bad_settings_are_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            settings_update(workspace=workspace, half_life_days=0)
        assert "half_life_days" in caught.value.message_dict


@pytest.mark.django_db
class ReminderTests:
    def test_reminders_list_this_week_overdue_first(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        overdue = make_person("Overdue", cadence_days=30)
        due_soon = make_person("Due Soon", cadence_days=30)
        later = make_person("Later", cadence_days=30)
        touch_log(workspace=workspace, people=[overdue], channel="in_person", when=days_ago(40))
        touch_log(workspace=workspace, people=[due_soon], channel="in_person", when=days_ago(26))
        touch_log(workspace=workspace, people=[later], channel="in_person", when=days_ago(5))
        reminders = reminders_list(workspace=workspace)
        assert [r.person for r in reminders] == [overdue, due_soon]
        assert reminders[0].overdue and not reminders[1].overdue
        assert reminders[1].why.startswith("Due ")

    def test_a_snoozed_reminder_hides_until_its_day(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person("Friend", cadence_days=30)
        reminder_snooze(person=friend, until=timezone.localdate() + dt.timedelta(days=3))
        assert reminders_list(workspace=workspace) == []
        with pytest.raises(ValidationError):
            reminder_snooze(person=friend, until=timezone.localdate())

    def test_a_done_reminder_returns_when_the_cadence_comes_round(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        friend = make_person("Friend", cadence_days=30)
        reminder_done(person=friend)
        assert reminders_list(workspace=workspace) == []
        reminder_done(person=friend, day=timezone.localdate() - dt.timedelta(days=31))
        assert [r.person for r in reminders_list(workspace=workspace)] == [friend]


class ReminderScheduleTests:
    """Where each reminder lands: its due day, a few a day, the strongest first."""

    @staticmethod
    def reminder(name: str, due_on: dt.date, strength: float) -> Reminder:
        return Reminder(
            person=Person(display_name=name, sort_name=name),
            due_on=due_on,
            why="",
            strength=strength,
            overdue=False,
        )

    def test_overdue_ones_fill_today_strongest_first_and_the_rest_move_on(self) -> None:
        today = dt.date(2026, 12, 6)
        reminders = [
            self.reminder(name, today - dt.timedelta(days=10), strength)
            for name, strength in (("Weak", 1.0), ("Strong", 9.0), ("Middle", 5.0))
        ]
        schedule = reminders_schedule(reminders, today=today, per_day=2)
        assert [(day, r.person.display_name) for day, r in schedule] == [
            (today, "Strong"),
            (today, "Middle"),
            (today + dt.timedelta(days=1), "Weak"),
        ]

    def test_a_reminder_due_later_stays_on_its_day(self) -> None:
        today = dt.date(2026, 12, 6)
        later = self.reminder("Later", today + dt.timedelta(days=4), 1.0)
        assert reminders_schedule([later], today=today) == [(today + dt.timedelta(days=4), later)]

    def test_a_day_must_take_at_least_one(self) -> None:
        with pytest.raises(ValueError, match="per_day"):
            reminders_schedule([], today=dt.date(2026, 12, 6), per_day=0)
