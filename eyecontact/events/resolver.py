"""Matching booth captures to people after the phone has its answer.

::

    phone ──POST capture──▶ capture_store() ──INSERT──▶ Capture (waiting) ──▶ 201 to the phone
                                 └─ on commit: capture_stored() queues captures_task (once)
    a worker ──captures_task──▶ CaptureResolver.drain() ──▶ person, touch, resolved_at

At a busy booth the phones' answers must not wait for the person to be found: that takes a
dozen queries and the matcher, ten times what storing the capture costs. So the matching is a
task on the background queue (:mod:`eyecontact.background`), and it gives way while captures
keep arriving: in a rush it resolves a small batch and pauses, so the phones keep the database;
once the floor is quiet it drains the rest at full speed. At most one matching task waits in the
queue at a time: a capture stored while one waits is matched by it. Captures are claimed in the
database (a batch at a time, rows another worker holds skipped), so several workers (or the
``resolve_captures`` command) can match side by side without matching a capture twice. A
capture that fails to match is logged and left waiting, and skipped while the booth stays busy;
it is tried again once the floor is quiet.

A capture waiting when a worker stops is not lost: it stays in the database, marked as not yet
resolved, and the next matching task (after the next capture, at ``eyecontact serve``'s start,
or the worker's look for waiting captures every minute) picks it up.

``EYECONTACT_CAPTURES_INLINE = True`` (the test settings) resolves each capture in the request
that stored it, so tests are deterministic.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .exhibits import capture_resolve, captures_resolve_waiting
from .models import Capture

__all__ = [
    "CaptureResolver",
    "capture_stored",
    "captures_queue",
    "captures_resume",
    "captures_task",
]

logger = logging.getLogger(__name__)

RUSH_WINDOW_S = 1.0  # a capture stored this recently means the booth is busy
RUSH_BATCH = 1  # captures resolved between pauses while the booth is busy
RUSH_PAUSE_S = 0.2
QUIET_BATCH = 100


class CaptureResolver:
    """Resolves waiting captures, giving way to the phones while captures keep arriving."""

    def __init__(self) -> None:
        # Captures that failed to match: skipped while the booth is busy, tried again after.
        self._failed: set[int] = set()

    def busy(self) -> bool:
        """A capture arrived in the last moment (on any server)."""
        last = Capture.objects.order_by("-pk").values_list("received_at", flat=True).first()
        return last is not None and timezone.now() - last < dt.timedelta(seconds=RUSH_WINDOW_S)

    def drain(self) -> int:
        """Resolves every waiting capture, pausing while captures keep arriving."""
        total = 0
        retried = False
        while True:
            busy = self.busy()
            if not busy and not retried:
                self._failed.clear()  # a quiet turn tries the failing ones once more
                retried = True
            limit = RUSH_BATCH if busy else QUIET_BATCH
            done = captures_resolve_waiting(limit=limit, failed=self._failed)
            total += done
            if not done:
                return total
            if busy:
                time.sleep(RUSH_PAUSE_S)


@task()
def captures_task() -> int:
    """The queued matching of every waiting booth capture; returns how many were matched."""
    return CaptureResolver().drain()


def captures_queue() -> bool:
    """Queues the matching task unless one already waits; True when it queued one."""
    if DBTaskResult.objects.ready().filter(task_path=captures_task.module_path).exists():
        return False
    captures_task.enqueue()
    return True


def captures_resume() -> bool:
    """Queues the matching of captures left waiting (at a server's start, and every minute)."""
    if getattr(settings, "EYECONTACT_CAPTURES_INLINE", False):
        return False
    if not Capture.objects.filter(resolved_at__isnull=True).exists():
        return False
    if DBTaskResult.objects.running().filter(task_path=captures_task.module_path).exists():
        return False  # a worker is at it, and drains what arrives meanwhile
    return captures_queue()


def capture_stored(capture: Capture) -> Capture:
    """A new capture was stored: queue its matching once it commits (in tests, match it now)."""
    if getattr(settings, "EYECONTACT_CAPTURES_INLINE", False):
        return capture_resolve(capture)
    transaction.on_commit(captures_queue)
    return capture
