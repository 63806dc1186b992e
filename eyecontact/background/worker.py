"""The worker: runs queued tasks, beats, and looks after work others left behind.

``eyecontact worker`` runs one in its own process (on a server, as many as wanted, on as many
machines); ``eyecontact serve`` runs one in a thread of the web server when no separate worker
runs (a laptop). Tasks are claimed in the database by django-tasks' database worker, each by one
worker only. Beside it, a housekeeping thread beats every ``EYECONTACT_WORKER_BEAT_S`` seconds
and, as it beats, queues again the imports a stopped worker cut off (:mod:`.recovery`), queues
the periodic work that is due (:mod:`.schedule`), and once a minute queues the matching of booth
captures left waiting.

A worker asked to stop (SIGTERM, Ctrl+C) finishes the task it runs, then ends; asked twice, it
ends at once, and the import it was running is retried by another worker (nothing of it was
written: an import is one transaction).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker

from eyecontact.events.resolver import captures_resume

from .models import WorkerBeat
from .recovery import imports_recover
from .routers import LIVE
from .schedule import schedule_run_due

__all__ = ["Worker", "housekeep", "worker_beat", "worker_forget"]

logger = logging.getLogger(__name__)

CAPTURES_EVERY_S = 60.0
FORGET_AFTER_S = 24 * 3600.0  # beats of workers long gone are removed


def worker_beat(worker_id: str) -> None:
    """Records that the worker is alive now."""
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            seen_at=now,
        )


def worker_forget(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def housekeep(worker_id: str, *, captures: bool = True) -> None:
    """One beat: say so, queue again what stopped workers left, queue what is due."""
    worker_beat(worker_id)
    WorkerBeat.objects.filter(
        seen_at__lt=timezone.now() - dt.timedelta(seconds=FORGET_AFTER_S)
    ).delete()
    imports_recover()
    schedule_run_due()
    if captures:
        captures_resume()


class Worker:
    """A queue worker with its housekeeping; ``run()`` blocks, ``start()`` uses threads."""

    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None) -> None:
        self.worker_id = worker_id or f"{socket.gethostname()[:40]}-{get_random_string(12)}"
        self._tasks = DatabaseWorker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _housekeeping(self) -> None:
        last_captures = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            captures = now - last_captures >= CAPTURES_EVERY_S
            try:
                close_old_connections()
                housekeep(self.worker_id, captures=captures)
                if captures:
                    last_captures = now
            except Exception:
                # A dropped or busy database: the next beat tries again.
                logger.exception("Worker housekeeping failed; trying again at the next beat")
            finally:
                connections.close_all()
            self._stop.wait(settings.EYECONTACT_WORKER_BEAT_S)

    def _start_housekeeping(self) -> None:
        worker_beat(self.worker_id)  # alive before the first task is claimed
        connections[LIVE].close()
        thread = threading.Thread(
            target=self._housekeeping, name="eyecontact-worker-beat", daemon=True
        )
        thread.start()
        self._threads.append(thread)

    def run(self) -> None:
        """Runs tasks until asked to stop by a signal (the ``eyecontact worker`` process)."""
        self._start_housekeeping()
        self._tasks.configure_signals()
        try:
            self._tasks.run()
        finally:
            self.stop()

    def start(self) -> None:
        """Runs tasks in a background thread (the worker inside ``eyecontact serve``)."""
        self._start_housekeeping()

        def tasks() -> None:
            try:
                self._tasks.run()
            finally:
                connections.close_all()

        thread = threading.Thread(target=tasks, name="eyecontact-worker", daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        """Ends after the running task; the worker's beat is removed."""
        self._tasks.running = False
        self._stop.set()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout)
        try:
            worker_forget(self.worker_id)
        finally:
            connections.close_all()
