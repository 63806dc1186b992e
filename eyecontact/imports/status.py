"""An import's state as the job queue moves it: waiting again after a stopped worker, or failed
with a message for the user when it could not finish."""

from __future__ import annotations

from django.utils import timezone

from .models import ImportBatch

__all__ = ["STILL_RUNNING", "batch_fail_unfinished", "batch_wait_again"]

# An import in one of these states has not finished: the page polls it, the queue may resume it.
STILL_RUNNING = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)


def batch_fail_unfinished(*, batch_pk: int, errors: list[str]) -> bool:
    """Marks import ``batch_pk`` failed with ``errors`` (what to tell the user) if it has not
    finished; one that is done, failed or undone already is left as it is."""
    return bool(
        ImportBatch.objects.filter(pk=batch_pk, status__in=STILL_RUNNING).update(
            status=ImportBatch.Status.FAILED, errors=errors, finished_at=timezone.now()
        )
    )


def batch_wait_again(*, batch_pk: int) -> None:
    """Import ``batch_pk`` is queued again (its worker stopped): it shows as waiting."""
    ImportBatch.objects.filter(pk=batch_pk).update(status=ImportBatch.Status.PENDING)
