"""The calendar feed of reminders, the plan export and the weekly digest."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.services import event_create
from eyecontact.insights.feeds import digest_send, plan_ics, reminders_ics
from eyecontact.insights.plan import plan_pick
from eyecontact.insights.services import feed_create, feed_find, feed_revoke, settings_update
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]


def overdue_friend(workspace: Workspace, make_person: MakePerson) -> Person:
    friend = make_person("Priya Raghunathan", cadence_days=30)
    when = timezone.now() - dt.timedelta(days=45)
    touch_log(workspace=workspace, people=[friend], channel="in_person", when=when)
    return friend


@pytest.mark.django_db
class CalendarFeedTests:
    def test_the_feed_is_valid_icalendar_with_one_entry_per_reminder(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        overdue_friend(workspace, make_person)
        feed, secret = feed_create(workspace=workspace, user=user)
        assert feed_find(secret) == feed
        calendar = Calendar.from_ical(reminders_ics(feed=feed))
        [entry] = calendar.walk("VEVENT")
        assert str(entry["summary"]) == "Get in touch with Priya Raghunathan"
        assert entry.decoded("dtstart") == timezone.localdate()
        assert "every 30 days" in str(entry["description"])

    def test_a_revoked_feed_is_refused(self, workspace: Workspace, user: User) -> None:
        feed, secret = feed_create(workspace=workspace, user=user)
        feed_revoke(feed=feed)
        assert feed_find(secret) is None
        assert feed_find("not-a-secret") is None

    def test_a_feed_stops_when_its_user_leaves_the_workspace(
        self, workspace: Workspace, user: User
    ) -> None:
        _, secret = feed_create(workspace=workspace, user=user)
        workspace.memberships.filter(user=user).delete()
        assert feed_find(secret) is None


@pytest.mark.django_db
class PlanExportTests:
    def test_the_plan_exports_as_a_calendar_entry_over_the_event(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        start = dt.date(2027, 1, 6)
        ces = event_create(
            workspace=workspace,
            name="CES",
            starts_on=start,
            ends_on=start + dt.timedelta(days=3),
            city="Las Vegas",
        )
        plan_pick(event=ces, person=make_person("Jane Doe"), group="renew", reason="Overdue")
        [entry] = Calendar.from_ical(plan_ics(event=ces)).walk("VEVENT")
        assert entry.decoded("dtstart") == start
        assert entry.decoded("dtend") == start + dt.timedelta(days=4)
        assert "Jane Doe: Overdue" in str(entry["description"])


@pytest.mark.django_db
class DigestTests:
    def test_the_digest_goes_only_when_asked_for(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        overdue_friend(workspace, make_person)
        assert digest_send(workspace=workspace) == 0
        settings_update(workspace=workspace, weekly_digest=True)
        output = io.StringIO()
        call_command("send_digests", stdout=output)
        assert output.getvalue().startswith("1 digest")
        [message] = mail.outbox
        assert message.to == ["morgan@example.net"]
        assert "Priya Raghunathan" in message.body


@pytest.mark.django_db
class FeedDaysTests:
    def test_a_backlog_is_spread_a_few_a_day_over_the_coming_days_not_piled_on_today(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        for n in range(12):
            friend = make_person(f"Friend {n:02}", cadence_days=30)
            when = timezone.now() - dt.timedelta(days=60 + n)
            touch_log(workspace=workspace, people=[friend], channel="phone", when=when)
        feed, _ = feed_create(workspace=workspace, user=user)
        entries = Calendar.from_ical(reminders_ics(feed=feed)).walk("VEVENT")
        days = [entry.decoded("dtstart") for entry in entries]
        today = timezone.localdate()
        assert len(days) == 12
        assert {day: days.count(day) for day in sorted(set(days))} == {
            today: 5,
            today + dt.timedelta(days=1): 5,
            today + dt.timedelta(days=2): 2,
        }

    def test_days_are_the_feed_owners_in_their_time_zone(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        overdue_friend(workspace, make_person)
        feed, _ = feed_create(workspace=workspace, user=user)
        # 23:30 UTC on 6 December is already 7 December in Tokyo and still the 6th in New York.
        late = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
        for zone, day in (("Asia/Tokyo", 7), ("America/New_York", 6)):
            user.time_zone = zone
            user.save(update_fields=["time_zone"])
            feed.refresh_from_db()
            entry = Calendar.from_ical(reminders_ics(feed=feed, now=late)).walk("VEVENT")[0]
            assert entry.decoded("dtstart") == dt.date(2026, 12, day)
