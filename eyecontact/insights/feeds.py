"""iCalendar for calendar apps, and the weekly e-mail digest.

The reminders feed is what a calendar app subscribes to from a secret address: one all-day
event per reminder on its due day (overdue ones spread over the coming days), saying why, and
each birthday as an all-day event repeated every year (29 February on the last day of
February; a birthday without a year from a leap year, with no age). The plan of an event
exports the same way. The digest e-mails each member who asked for it this week's reminders.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from eyecontact.accounts.models import Workspace
from eyecontact.common.zones import zone_for
from eyecontact.contacts.selectors import birthdays_list
from eyecontact.events.models import Event

from .models import CalendarFeed
from .plan import plan_items
from .selectors import keep_in_touch_settings, reminders_list, reminders_schedule

__all__ = ["digest_send", "plan_ics", "reminders_ics"]

PRODID = "-//Eye Contact//Keep in touch//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]
    return f"{digest}@eyecontact"


def reminders_ics(*, feed: CalendarFeed, now: dt.datetime | None = None) -> bytes:
    """The feed's calendar: who to contact in the next two weeks, each on their day, and
    everyone's birthday, every year.

    Days are the feed owner's, in their time zone; a backlog of overdue people is spread over
    the coming days, a few a day (see :func:`reminders_schedule`), not piled on today.
    """
    moment = now or timezone.now()
    with timezone.override(zone_for(feed.user.time_zone)):
        today = timezone.localdate(moment)
        reminders = reminders_list(
            workspace=feed.workspace, now=moment, horizon_days=14, birthdays=False
        )
    calendar = _calendar(f"Eye Contact: keep in touch ({feed.workspace.name})")
    for day, reminder in reminders_schedule(reminders, today=today):
        entry = CalendarEvent()
        entry.add("uid", _uid(feed.pk, reminder.person.pk, reminder.due_on))
        entry.add("dtstamp", moment)
        entry.add("dtstart", day)
        entry.add("dtend", day + dt.timedelta(days=1))
        entry.add("summary", f"Get in touch with {reminder.person.display_name}")
        entry.add("description", reminder.why)
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    for person, birthday in birthdays_list(workspace=feed.workspace):
        entry = CalendarEvent()
        entry.add("uid", _uid(feed.pk, "birthday", person.pk))
        entry.add("dtstamp", moment)
        entry.add("dtstart", birthday.first_day)
        entry.add("dtend", birthday.first_day + dt.timedelta(days=1))
        entry.add("rrule", birthday.yearly_rule)
        entry.add("summary", f"Birthday: {person.display_name}")
        if birthday.year is not None:
            entry.add("description", f"Born {birthday.first_day.day} {birthday.first_day:%B %Y}")
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


def plan_ics(*, event: Event, now: dt.datetime | None = None) -> bytes:
    """The plan for an event as one calendar entry per day of it, listing whom to meet."""
    moment = now or timezone.now()
    calendar = _calendar(f"Eye Contact: plan for {event.name}")
    items = list(plan_items(event=event))
    lines = [f"- {item.person.display_name}: {item.reason}" for item in items]
    entry = CalendarEvent()
    entry.add("uid", _uid("plan", event.pk))
    entry.add("dtstamp", moment)
    entry.add("dtstart", event.starts_on)
    entry.add("dtend", event.ends_on + dt.timedelta(days=1))
    entry.add("summary", f"Whom to meet at {event.name}")
    entry.add("location", ", ".join(p for p in (event.venue, event.city) if p))
    entry.add("description", "\n".join(lines) or "Nobody picked yet.")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())


def digest_send(*, workspace: Workspace, now: dt.datetime | None = None) -> int:
    """E-mails this week's reminders to the members if the workspace asked for a digest.

    Returns how many e-mails were sent; none when the digest is off or nobody is due.
    """
    if not keep_in_touch_settings(workspace=workspace).weekly_digest:
        return 0
    reminders = reminders_list(workspace=workspace, now=now)
    if not reminders:
        return 0
    lines = [f"- {r.person.display_name}: {r.why}" for r in reminders]
    week = settings.EYECONTACT_BASE_URL + reverse("keep_week", kwargs={"slug": workspace.slug})
    body = (
        f"Who to get in touch with this week ({workspace.name}):\n\n"
        + "\n".join(lines)
        + f"\n\nThe week's list, to mark who you reached: {week}\n"
        + "\nHigh touch, not high tech: a coffee or a call beats a like.\n"
    )
    recipients = list(workspace.members.filter(is_active=True).values_list("email", flat=True))
    for address in recipients:
        send_mail(
            subject=f"Eye Contact: {len(reminders)} people to get in touch with this week",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    return len(recipients)
