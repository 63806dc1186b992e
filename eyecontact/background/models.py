"""What the queue keeps beside its tasks: uploads waiting, progress, live workers, schedules."""

from __future__ import annotations

from django.db import models

from eyecontact.imports.models import ImportBatch


class ImportUpload(models.Model):
    """An uploaded export file waiting for a worker to import it; gone once the import ends."""

    batch = models.OneToOneField(
        ImportBatch, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    file_name = models.CharField(max_length=1000)
    data = models.BinaryField()
    # The uploader marked the connections a much shorter export lacks as removed all the same.
    accept_removals = models.BooleanField(default=False)
    # The queued task now in charge of it, and how many times a worker started on it.
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.file_name


class Progress(models.Model):
    """How far a piece of background work has got (steps done of all), for pages following it.

    Kept on the ``live`` database alias (see the package docstring).
    """

    key = models.CharField(max_length=100, unique=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.done}/{self.total}"


class WorkerBeat(models.Model):
    """A worker process (or a server's worker thread) that is alive, as of its last beat.

    Kept on the ``live`` database alias, so a worker beats while an import holds the main
    database.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host} ({self.pid})"


class Schedule(models.Model):
    """A piece of periodic work and when it is next due (the weekly digest)."""

    name = models.CharField(max_length=50, unique=True)
    next_at = models.DateTimeField()
    last_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} next at {self.next_at:%Y-%m-%d %H:%M}"
