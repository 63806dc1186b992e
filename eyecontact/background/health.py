"""Whether this installation can serve and get its background work done, for ``/healthz``."""

from __future__ import annotations

import dataclasses
import logging

from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .recovery import workers_alive
from .routers import LIVE

__all__ = ["Health", "health_check"]

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Health:
    """What a load balancer or a monitor needs to know; ``ok`` sums it up."""

    database: str
    queue: str
    workers: int
    waiting: int
    oldest_waiting_s: float | None

    @property
    def ok(self) -> bool:
        return self.database == "ok" and self.queue == "ok"


def _database() -> str:
    try:
        for alias in ("default", LIVE):
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.warning("Health check: the database does not answer: %s", exc)
        return "unreachable"
    return "ok"


def health_check() -> Health:
    """The database answers; the queue can be read and at least one worker beats."""
    database = _database()
    if database != "ok":
        return Health(database, "unknown", 0, 0, None)
    try:
        ready = DBTaskResult.objects.ready()
        waiting = ready.count()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        workers = len(workers_alive())
    except DatabaseError as exc:
        logger.warning("Health check: the queue cannot be read: %s", exc)
        return Health(database, "unreadable", 0, 0, None)
    age = round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
    return Health(database, "ok" if workers else "no worker", workers, waiting, age)
