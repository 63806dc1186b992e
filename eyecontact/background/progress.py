"""How far a piece of background work has got, written by the worker, read by any server.

Progress is for the eye only: a report that cannot be written (the database busy for longer
than its timeout) is logged and skipped, never a reason to stop the work.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError

from .models import Progress

logger = logging.getLogger(__name__)

__all__ = ["progress_forget", "progress_get", "progress_report"]


def progress_report(key: str, done: int, total: int) -> None:
    """Records that ``done`` steps of ``total`` are behind the work named ``key``."""
    try:
        # One statement each, no read-then-write transaction to upgrade on SQLite.
        if not Progress.objects.filter(key=key).update(done=done, total=total):
            Progress.objects.create(key=key, done=done, total=total)
    except DatabaseError:
        logger.warning("Progress of %s not recorded (%s of %s)", key, done, total, exc_info=True)


def progress_get(key: str) -> tuple[int, int] | None:
    """(steps done, steps in all) of the work named ``key``, or None before it reports."""
    row = Progress.objects.filter(key=key).values_list("done", "total").first()
    return (row[0], row[1]) if row is not None else None


def progress_forget(key: str) -> None:
    Progress.objects.filter(key=key).delete()
