"""Imports that run on the queue, so a large export holds no page (or API request) open.

::

    upload page / API ──import_submit()──▶ ImportBatch (pending) + ImportUpload + queued task
    worker ──import_task──▶ import_file(batch=…, progress=…) ──▶ batch done or failed
    import page / poll URL ◀── the batch's status, and its Progress row

The uploaded bytes wait in the database (:class:`~.models.ImportUpload`), so any worker, on any
machine, can run the import (it copies them into a temporary file and reads that as a stream),
and a worker that stops before the end leaves the file there for another to try again (see
:mod:`.recovery`). The import itself is one transaction: a worker killed in the middle wrote
nothing of it.

``EYECONTACT_IMPORTS_INLINE = True`` (the test settings) runs the import in the calling thread
instead of queueing it, so most tests stay deterministic; the tests of the queue turn it off.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_tasks import task

from eyecontact.accounts.models import User
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import ImportFailed, Upload, import_file
from eyecontact.imports.status import STILL_RUNNING, batch_fail_unfinished

from .holding import import_hold, import_release
from .models import ImportUpload
from .progress import progress_forget, progress_get, progress_report

__all__ = [
    "INTERRUPTED",
    "PROBLEM",
    "import_progress",
    "import_progress_key",
    "import_run",
    "import_submit",
    "import_task",
]

logger = logging.getLogger(__name__)

PROBLEM = "{file}: the import stopped on an unexpected problem; nothing was changed"
INTERRUPTED = (
    "{file}: the import stopped twice when the worker running it stopped; nothing was changed. "
    "Upload the file again."
)


def import_progress_key(batch_pk: int) -> str:
    """The name a queued import's progress is kept under."""
    return f"import:{batch_pk}"


def import_progress(batch_pk: int) -> tuple[int, int] | None:
    """(steps done, steps in all) of a queued import, from any process, or None."""
    return progress_get(import_progress_key(batch_pk))


def import_submit(
    *,
    batch: ImportBatch,
    file_name: str,
    data: Upload,
    actor: User | None,
    accept_removals: bool = False,
) -> None:
    """Queues a waiting import; a worker runs it. Call it inside the request's transaction or not:
    the task is only seen by workers once the upload is committed with it."""
    if getattr(settings, "EYECONTACT_IMPORTS_INLINE", False):
        # A failed import's batch holds the errors, naming the file and line.
        with contextlib.suppress(ImportFailed):
            import_file(
                workspace=batch.workspace,
                file_name=file_name,
                data=data,
                actor=actor,
                batch=batch,
                accept_removals=accept_removals,
            )
        return
    with transaction.atomic():
        upload = ImportUpload.objects.create(
            batch=batch,
            file_name=file_name,
            data=data if isinstance(data, bytes) else Path(data).read_bytes(),
            accept_removals=accept_removals,
        )
        result = import_task.enqueue(batch_pk=batch.pk)
        upload.task_id = str(result.id)
        upload.save(update_fields=["task_id"])


@task()
def import_task(batch_pk: int) -> str:
    """The queued import of one uploaded file; returns how the batch ended."""
    return import_run(batch_pk=batch_pk)


def import_run(*, batch_pk: int) -> str:
    """Runs one waiting import to its end; the batch records how it went."""
    upload = ImportUpload.objects.defer("data").filter(batch_id=batch_pk).first()
    batch = (
        ImportBatch.objects.select_related("workspace", "created_by").filter(pk=batch_pk).first()
    )
    if upload is None or batch is None:
        return "gone"  # ended already (a retry racing a late finish), or deleted with its workspace
    if batch.status not in STILL_RUNNING:
        upload.delete()
        return str(batch.status)
    if not import_hold(batch_pk):
        return "held"  # another worker still runs it; recovery looks again once it ends
    try:
        ImportUpload.objects.filter(pk=upload.pk).update(attempts=upload.attempts + 1)
        key = import_progress_key(batch_pk)
        progress_report(key, 0, 0)
        try:
            with _stored_file(upload.pk) as stored:
                import_file(
                    workspace=batch.workspace,
                    file_name=upload.file_name,
                    data=stored,
                    actor=batch.created_by,
                    batch=batch,
                    accept_removals=upload.accept_removals,
                    progress=lambda done, total: progress_report(key, done, total),
                )
        except ImportFailed:
            pass  # the batch holds the errors, naming the file and line
        except Exception:
            # Before the import could record anything itself (a lost batch, a dropped database).
            logger.exception("Background import of %s failed", upload.file_name)
            batch_fail_unfinished(batch_pk=batch_pk, errors=[PROBLEM.format(file=upload.file_name)])
        ImportUpload.objects.filter(pk=upload.pk).delete()
        progress_forget(key)
    finally:
        import_release(batch_pk)
    return str(ImportBatch.objects.values_list("status", flat=True).get(pk=batch_pk))


@contextlib.contextmanager
def _stored_file(upload_pk: int) -> Iterator[Path]:
    """The uploaded bytes copied from the database into a temporary file, deleted after: the
    import reads the file as a stream, and the bytes are not held while it runs."""
    data = ImportUpload.objects.filter(pk=upload_pk).values_list("data", flat=True).get()
    with tempfile.NamedTemporaryFile(prefix="eyecontact-upload-") as stored:
        stored.write(data)
        del data
        stored.flush()
        yield Path(stored.name)
