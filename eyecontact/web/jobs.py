"""Imports that run in the background, so a large export does not hold a page open.

::

    upload page ──batch_create()──▶ ImportBatch (pending)
                └─import_submit()──▶ one worker thread ──▶ import_file(batch=…, progress=…)
    import page ◀── polls every second (htmx): the batch's status, and import_progress()

One worker per process runs imports one after another: SQLite has one writer anyway, and an
import holds the write lock for its whole transaction. ``eyecontact serve`` is one process with
threads (waitress), so every request sees the same worker.

Progress is kept in this process's memory, not in the batch row. The loader reports it from
inside the import's transaction, where a row written would stay invisible to the polling page
until the import commits (and on SQLite another connection could not write it at all). The
batch's status lives in the database, so any process serving the page sees the import end.

A server that stops (a restart, a crash) takes its waiting and running imports with it: the file
was only in its memory, and the import's transaction never committed, so nothing of it was
written. ``eyecontact serve`` calls :func:`imports_interrupted` as it starts, so those batches say
so instead of showing "Running" for ever.

The job is just another front door: it calls :func:`~eyecontact.imports.services.import_file`,
which records success or failure on the batch. ``EYECONTACT_IMPORTS_INLINE = True`` (the test
settings) runs the job in the calling thread, so tests are deterministic.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from eyecontact.accounts.models import User
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import ImportFailed, import_file

__all__ = [
    "INTERRUPTED",
    "PROBLEM",
    "import_progress",
    "import_run",
    "import_submit",
    "imports_interrupted",
]

logger = logging.getLogger(__name__)

PROBLEM = "{file}: the import stopped on an unexpected problem; nothing was changed"
INTERRUPTED = (
    "{file}: the import stopped when the server stopped; nothing was changed. "
    "Upload the file again."
)

_lock = threading.Lock()
_progress: dict[int, tuple[int, int]] = {}
_executor: ThreadPoolExecutor | None = None


def _worker() -> ThreadPoolExecutor:
    global _executor  # one worker per process, started on first use
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eyecontact-import")
        return _executor


def import_progress(batch_pk: int) -> tuple[int, int] | None:
    """(steps done, steps in all) of an import running in this process, or None."""
    with _lock:
        return _progress.get(batch_pk)


def _report(batch_pk: int, done: int, total: int) -> None:
    with _lock:
        _progress[batch_pk] = (done, total)


def import_run(*, batch_pk: int, file_name: str, data: bytes, actor_pk: int | None) -> None:
    """Runs one waiting import to its end; the batch records how it went."""
    try:
        batch = ImportBatch.objects.select_related("workspace").get(pk=batch_pk)
        actor = User.objects.filter(pk=actor_pk).first() if actor_pk else None
        import_file(
            workspace=batch.workspace,
            file_name=file_name,
            data=data,
            actor=actor,
            batch=batch,
            progress=lambda done, total: _report(batch_pk, done, total),
        )
    except ImportFailed:
        pass  # the batch holds the errors, naming the file and line
    except Exception:
        # Before the import could record anything itself (a lost batch, a dropped database).
        logger.exception("Background import of %s failed", file_name)
        ImportBatch.objects.filter(
            pk=batch_pk, status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING]
        ).update(
            status=ImportBatch.Status.FAILED,
            errors=[PROBLEM.format(file=file_name)],
            finished_at=timezone.now(),
        )
    finally:
        with _lock:
            _progress.pop(batch_pk, None)


def _in_worker(batch_pk: int, file_name: str, data: bytes, actor_pk: int | None) -> None:
    close_old_connections()
    try:
        import_run(batch_pk=batch_pk, file_name=file_name, data=data, actor_pk=actor_pk)
    finally:
        # The worker thread outlives the request: give its connection back now.
        connection.close()


def import_submit(
    *, batch: ImportBatch, file_name: str, data: bytes, actor: User | None
) -> Future[None] | None:
    """Queues a waiting import on the worker; returns its future (None when run inline)."""
    actor_pk = actor.pk if actor is not None else None
    if getattr(settings, "EYECONTACT_IMPORTS_INLINE", False):
        import_run(batch_pk=batch.pk, file_name=file_name, data=data, actor_pk=actor_pk)
        return None
    _report(batch.pk, 0, 0)
    return _worker().submit(_in_worker, batch.pk, file_name, data, actor_pk)


def imports_interrupted() -> int:
    """Marks as failed the imports a stopped server left waiting or running; returns how many.

    Only for a server starting: an import another process (``eyecontact import``) runs at that
    moment is marked too, and its own end writes its real outcome over the mark.
    """
    stopped = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING]
    )
    marked = 0
    for batch in stopped.only("pk", "file_name"):
        marked += ImportBatch.objects.filter(
            pk=batch.pk, status__in=[ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING]
        ).update(
            status=ImportBatch.Status.FAILED,
            errors=[INTERRUPTED.format(file=batch.file_name)],
            finished_at=timezone.now(),
        )
    return marked
