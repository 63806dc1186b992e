"""Waiting for the database's write lock: briefly for a phone, patiently for an import.

SQLite lets one writer at a time. An import writes its file in one transaction (all or
nothing), which holds the lock for seconds, a heavy user's export for tens of seconds; the
connection's busy timeout (``OPTIONS["timeout"]``) says how long any other writer waits before
SQLite answers "database is locked". Two kinds of writer want something else than that default:

- **A booth capture** waits :data:`CAPTURE_WAIT_S` at most, so that its phone hears within the
  capture's latency aim either "stored" or, with :func:`is_lock_busy` true, a JSON 503 with
  ``Retry-After`` (:data:`RETRY_AFTER_S`): the capture then stays in the phone's queue, which
  sends it again after that many seconds and, the ``client_id`` making it idempotent, stores
  it exactly once.
- **An import** waits :data:`IMPORT_WAIT_S`: a second import started while one is written
  simply runs after it, instead of failing once the default timeout is out.

PostgreSQL has row locks and writers that do not wait for each other's tables, so both waits
only change SQLite connections; a lock error there (``lock_timeout``, a deadlock) still counts as
busy for :func:`is_lock_busy`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

__all__ = [
    "CAPTURE_WAIT_S",
    "IMPORT_WAIT_S",
    "RETRY_AFTER_S",
    "is_lock_busy",
    "lock_wait",
]

CAPTURE_WAIT_S = 0.15
IMPORT_WAIT_S = 600.0
RETRY_AFTER_S = 5
# PostgreSQL's SQLSTATEs for a lock not granted in time and a deadlock.
_PG_LOCK_STATES = {"55P03", "40P01"}


def is_lock_busy(error: BaseException) -> bool:
    """Whether a database error means "another writer holds the lock; try again soon"."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _PG_LOCK_STATES:
        return True
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text or "busy" in text


@contextmanager
def lock_wait(seconds: float, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within the block, SQLite waits ``seconds`` for the write lock, then the connection goes
    back to its configured wait. Nested blocks and other databases are left alone."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    usual = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(usual * 1000)}")
