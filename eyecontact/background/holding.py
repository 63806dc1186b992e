"""Which imports a worker holds, as the database itself knows it (PostgreSQL).

Beats say a worker is alive only as well as they arrive: a worker slowed down (a busy machine,
a long pause of the process) can miss its beats while it still imports, and a second worker
must not import the same file beside it. So on PostgreSQL the worker running an import holds
a session advisory lock named after the batch, on its own connection (the ``live`` alias), for
as long as it runs it. The database releases it the moment that connection ends, which is the
moment the process ends however it ended (``kill -9`` included). Before recovery queues an
import again it takes the same lock for its transaction: when it cannot, the import is still
running, whatever the beats say.

SQLite has no such lock and serves one machine: there, the beats alone decide.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from .routers import LIVE

__all__ = ["import_hold", "import_held", "import_release"]

# The first key of the application's advisory locks for imports; the second is the batch's id.
IMPORTS = 0x45436942


def _key(batch_pk: int) -> list[int]:
    return [IMPORTS, batch_pk & 0x7FFFFFFF]


def import_hold(batch_pk: int) -> bool:
    """Takes hold of an import for this worker; False when another worker holds it."""
    connection = connections[LIVE]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _key(batch_pk))
        row = cursor.fetchone()
    return bool(row and row[0])


def import_release(batch_pk: int) -> None:
    connection = connections[LIVE]
    if connection.vendor != "postgresql" or connection.connection is None:
        return  # a closed connection released it
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _key(batch_pk))


def import_held(batch_pk: int) -> bool:
    """Whether a worker holds the import now (the lock is tried and let go at once)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _key(batch_pk))
        row = cursor.fetchone()
        if not (row and row[0]):
            return True
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _key(batch_pk))
    return False
