"""Periodic work, queued by the workers themselves: no cron line to remember.

Each piece of periodic work has a :class:`~.models.Schedule` row saying when it is next due.
Every worker looks at the rows as it beats; the first to see one due moves it to its next time
with a conditional UPDATE and queues the task. The others find the row moved and do nothing, so
the work runs once however many workers there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from eyecontact.accounts.models import Workspace
from eyecontact.insights.feeds import digest_send

from .models import Schedule

__all__ = ["DIGEST", "digests_task", "next_digest_at", "schedule_run_due"]

DIGEST = "weekly-digest"
DIGEST_WEEKDAY = 0  # Monday
DIGEST_HOUR = 7  # in the installation's time zone (EYECONTACT_TIME_ZONE)


def next_digest_at(after: dt.datetime) -> dt.datetime:
    """The first Monday 07:00 (local time) after ``after``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = after.astimezone(zone)
    day = local.date() + dt.timedelta(days=(DIGEST_WEEKDAY - local.weekday()) % 7)
    moment = dt.datetime.combine(day, dt.time(DIGEST_HOUR), tzinfo=zone)
    if moment <= local:
        moment += dt.timedelta(days=7)
    return moment


@task()
def digests_task() -> int:
    """E-mails the weekly keep-in-touch digest to every workspace that asked for one."""
    return sum(digest_send(workspace=workspace) for workspace in Workspace.objects.all())


_SCHEDULES: dict[str, tuple[Callable[[dt.datetime], dt.datetime], Callable[[], object]]] = {
    DIGEST: (next_digest_at, digests_task.enqueue),
}


def schedule_run_due(now: dt.datetime | None = None) -> list[str]:
    """Queues the periodic work that is due; returns the names of what this call queued."""
    moment = now or timezone.now()
    queued = []
    for name, (next_at, enqueue) in _SCHEDULES.items():
        row = Schedule.objects.filter(name=name).first()
        if row is None:
            try:
                with transaction.atomic():
                    Schedule.objects.create(name=name, next_at=next_at(moment))
            except IntegrityError:
                pass  # another worker made it at the same moment
            continue
        if row.next_at > moment:
            continue
        with transaction.atomic():
            moved = Schedule.objects.filter(pk=row.pk, next_at=row.next_at).update(
                next_at=next_at(moment), last_at=moment
            )
            if moved:
                enqueue()
                queued.append(name)
    return queued
