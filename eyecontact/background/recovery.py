"""Work left behind by a worker that stopped: never "running" for ever.

A worker beats every few seconds (:class:`~.models.WorkerBeat`). A task still marked running by a
worker that has not beaten for ``EYECONTACT_WORKER_STALE_S`` seconds was cut off (the process was
killed, the machine lost power); so was an import whose task ended while the import had not
(a worker stopped hard in the middle). The import's transaction never committed, so the
workspace is as it was; its uploaded file is still in the database. It is queued once more; an
import cut off a second time ends failed, with a message asking for the file again.

A worker only late to beat is not taken for gone where the database can tell: on PostgreSQL an
import is queued again only when no worker holds it (:mod:`.holding`), so it never runs twice
at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eyecontact.imports.status import STILL_RUNNING, batch_fail_unfinished, batch_wait_again

from .holding import import_held
from .imports import INTERRUPTED, import_progress_key, import_task
from .models import ImportUpload, WorkerBeat
from .progress import progress_forget

__all__ = ["MAX_ATTEMPTS", "STOPPED", "imports_recover", "tasks_recover", "workers_alive"]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
STOPPED = "The worker running this task stopped before it ended."


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.EYECONTACT_WORKER_STALE_S)


def workers_alive() -> set[str]:
    """The ids of the workers that beat recently."""
    return set(
        WorkerBeat.objects.filter(seen_at__gte=_stale_before()).values_list("worker_id", flat=True)
    )


def tasks_recover() -> int:
    """Marks failed the tasks whose worker is gone; returns how many."""
    alive = workers_alive()
    marked = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive or (result.started_at and result.started_at >= _stale_before()):
            continue  # alive, or started so recently that its worker may not have beaten yet
        marked += DBTaskResult.objects.filter(pk=result.pk, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="eyecontact.background.recovery.WorkerStopped",
            traceback=STOPPED,
        )
    return marked


def imports_recover() -> tuple[int, int]:
    """Queues again (or ends failed) the imports whose worker stopped; (retried, failed)."""
    tasks_recover()
    retried = failed = 0
    uploads = ImportUpload.objects.select_related("batch").only(
        "batch__status", "batch__file_name", "task_id", "attempts", "file_name"
    )
    for upload in uploads:
        if upload.batch.status not in STILL_RUNNING:
            ImportUpload.objects.filter(pk=upload.pk).delete()
            continue
        status = (
            DBTaskResult.objects.filter(id=upload.task_id).values_list("status", flat=True).first()
            if upload.task_id
            else None
        )
        if status in ("READY", "RUNNING"):
            continue  # waiting for a worker, or in the hands of a live one
        with transaction.atomic():
            if import_held(upload.pk):
                continue  # its worker lives, only late to beat: it still runs the import
            if upload.attempts >= MAX_ATTEMPTS:
                gone = ImportUpload.objects.filter(pk=upload.pk, task_id=upload.task_id).delete()
                if gone[0]:
                    batch_fail_unfinished(
                        batch_pk=upload.pk, errors=[INTERRUPTED.format(file=upload.file_name)]
                    )
                    progress_forget(import_progress_key(upload.pk))  # no bar left behind
                    failed += 1
                continue
            result = import_task.enqueue(batch_pk=upload.pk)
            claimed = ImportUpload.objects.filter(pk=upload.pk, task_id=upload.task_id).update(
                task_id=str(result.id)
            )
            if not claimed:
                # Another worker queued it first: take this task back.
                transaction.set_rollback(True)
                continue
            batch_wait_again(batch_pk=upload.pk)
            logger.warning("Import of %s cut off by a stopped worker; queued again", upload)
            retried += 1
    return retried, failed
