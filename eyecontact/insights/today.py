"""Today's plan, for the home page: whom to contact today, who is fading, what is coming up.

A workspace that is still new also gets its first three steps, each marked done once it is:
import the exports of the networks (where the people already are), log the last person met,
and say how often to see the closest people (a cadence, which is what reminders run on).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.events.models import Event
from eyecontact.imports.models import ImportBatch
from eyecontact.people.models import Person, Touch

from .models import KeepInTouchSettings, Tag
from .selectors import FadingPerson, Reminder, fading_list, reminders_list, reminders_schedule

__all__ = ["FirstSteps", "TodayPlan", "today_plan"]

FADING_SHOWN = 5
EVENTS_SHOWN = 5
UPCOMING_DAYS = 60


@dataclass(frozen=True)
class FirstSteps:
    """What a new workspace has done of its first three steps."""

    imported: bool
    logged: bool
    cadence_set: bool

    @property
    def done(self) -> bool:
        return self.imported and self.logged and self.cadence_set


@dataclass(frozen=True)
class TodayPlan:
    """The home page's figures: today's reminders, the strongest fading, the next events."""

    today: dt.date
    due_today: list[Reminder]
    due_later: int
    fading: list[FadingPerson]
    fading_count: int
    upcoming: list[Event]
    steps: FirstSteps


def _first_steps(workspace: Workspace) -> FirstSteps:
    settings = KeepInTouchSettings.objects.filter(workspace=workspace).first()
    cadence_set = (
        (settings is not None and settings.default_cadence_days is not None)
        or Tag.objects.filter(workspace=workspace, cadence_days__isnull=False).exists()
        or Person.objects.filter(workspace=workspace, cadence_days__isnull=False).exists()
    )
    return FirstSteps(
        imported=ImportBatch.objects.filter(workspace=workspace).exists(),
        logged=Touch.objects.filter(workspace=workspace).exists(),
        cadence_set=cadence_set,
    )


def today_plan(*, workspace: Workspace, now: dt.datetime | None = None) -> TodayPlan:
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    scheduled = reminders_schedule(reminders_list(workspace=workspace, now=moment), today=today)
    fading = fading_list(workspace=workspace, now=moment)
    upcoming = list(
        Event.objects.filter(
            workspace=workspace,
            ends_on__gte=today,
            starts_on__lte=today + dt.timedelta(days=UPCOMING_DAYS),
        ).order_by("starts_on", "name")[:EVENTS_SHOWN]
    )
    due_today = [reminder for day, reminder in scheduled if day == today]
    return TodayPlan(
        today=today,
        due_today=due_today,
        due_later=len(scheduled) - len(due_today),
        fading=fading[:FADING_SHOWN],
        fading_count=len(fading),
        upcoming=upcoming,
        steps=_first_steps(workspace),
    )
