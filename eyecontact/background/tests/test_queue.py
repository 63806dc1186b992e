"""The queue: imports and periodic work run by workers, progress in the database, stops survived."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eyecontact.accounts.models import User, Workspace
from eyecontact.background.imports import INTERRUPTED, import_progress, import_submit
from eyecontact.background.models import ImportUpload, Schedule, WorkerBeat
from eyecontact.background.progress import progress_report
from eyecontact.background.recovery import MAX_ATTEMPTS, STOPPED, imports_recover
from eyecontact.background.routers import LIVE
from eyecontact.background.schedule import DIGEST, next_digest_at, schedule_run_due
from eyecontact.background.worker import housekeep, worker_beat
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import batch_create
from eyecontact.insights.services import settings_update
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

FIXTURES = Path(__file__).resolve().parents[2] / "imports" / "tests" / "fixtures"
ALL_DATABASES = ["default", LIVE]


@pytest.fixture(autouse=True)
def queued(settings: Any) -> None:
    """Imports go through the queue in these tests."""
    settings.EYECONTACT_IMPORTS_INLINE = False


def queue(workspace: Workspace, user: User, name: str, data: bytes) -> ImportBatch:
    batch = batch_create(workspace=workspace, file_name=name, data=data, actor=user)
    import_submit(batch=batch, file_name=name, data=data, actor=user)
    return batch


def connections_csv(rows: int) -> bytes:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [
        f"Given{n},Family{n},https://www.linkedin.com/in/person-{n},person{n}@example.org,"
        f"Company {n % 300},Engineer,17 Sep 2025"
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(databases=ALL_DATABASES)
class QueuedImportTests:
    def test_an_import_waits_in_the_database_until_a_worker_runs_it(
        self, workspace: Workspace, user: User, run_queued: Callable[[], int]
    ) -> None:
        data = (FIXTURES / "linkedin/Connections.csv").read_bytes()
        batch = queue(workspace, user, "Connections.csv", data)
        upload = ImportUpload.objects.get()
        assert bytes(upload.data) == data
        assert DBTaskResult.objects.get(id=upload.task_id).status == "READY"
        assert run_queued() == 1
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE
        assert batch.counts["people_new"] == Person.objects.filter(workspace=workspace).count()
        assert not ImportUpload.objects.exists()
        assert import_progress(batch.pk) is None  # forgotten once done

    def test_a_bad_file_ends_failed_with_its_errors(
        self, workspace: Workspace, user: User, run_queued: Callable[[], int]
    ) -> None:
        batch = queue(workspace, user, "shoes.csv", b"Name,Shoe size\nBob,44\n")
        run_queued()
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.errors[0].startswith("shoes.csv")
        assert not ImportUpload.objects.exists()

    def test_progress_reported_inside_the_import_is_seen_before_it_commits(
        self, workspace: Workspace, user: User, run_queued: Callable[[], int], monkeypatch: Any
    ) -> None:
        """The import's page reads progress the import's own transaction has not committed."""
        seen: list[tuple[int, int] | None] = []
        batch = queue(
            workspace, user, "Connections.csv", (FIXTURES / "linkedin/Connections.csv").read_bytes()
        )

        def report_and_look(key: str, done: int, total: int) -> None:
            progress_report(key, done, total)
            seen.append(import_progress(batch.pk))

        monkeypatch.setattr("eyecontact.background.imports.progress_report", report_and_look)
        run_queued()
        assert seen[0] == (0, 0)
        assert seen[-1] is not None
        assert seen[-1][0] == seen[-1][1] - 1 or seen[-1][0] == seen[-1][1]
        assert len(seen) > 3


@pytest.mark.django_db(databases=ALL_DATABASES)
class RecoveryTests:
    def _cut_off(self, workspace: Workspace, user: User, *, attempts: int) -> ImportBatch:
        """An import whose worker stopped beating in the middle of it."""
        batch = queue(
            workspace, user, "contacts.vcf", (FIXTURES / "vcard/contacts.vcf").read_bytes()
        )
        upload = ImportUpload.objects.get()
        long_ago = timezone.now() - dt.timedelta(minutes=5)
        DBTaskResult.objects.filter(id=upload.task_id).update(
            status="RUNNING", worker_ids=["gone"], started_at=long_ago
        )
        WorkerBeat.objects.create(worker_id="gone", started_at=long_ago, seen_at=long_ago)
        ImportUpload.objects.filter(pk=upload.pk).update(attempts=attempts)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
        return batch

    def test_an_import_a_stopped_worker_cut_off_is_queued_again_and_done_once(
        self, workspace: Workspace, user: User, run_queued: Callable[[], int]
    ) -> None:
        batch = self._cut_off(workspace, user, attempts=1)
        first_task = ImportUpload.objects.get().task_id
        assert imports_recover() == (1, 0)
        assert imports_recover() == (0, 0)  # queued once, whoever looks again
        stopped = DBTaskResult.objects.get(id=first_task)
        assert (stopped.status, stopped.traceback) == ("FAILED", STOPPED)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PENDING
        assert run_queued() == 1
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE

    def test_an_import_cut_off_twice_ends_failed_with_a_message(
        self, workspace: Workspace, user: User
    ) -> None:
        batch = self._cut_off(workspace, user, attempts=MAX_ATTEMPTS)
        progress_report(f"import:{batch.pk}", 40, 100)  # as far as the stopped worker got
        assert imports_recover() == (0, 1)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.errors == [INTERRUPTED.format(file="contacts.vcf")]
        assert batch.finished_at is not None
        assert not ImportUpload.objects.exists()
        assert import_progress(batch.pk) is None  # no progress left for a page to show

    def test_an_import_of_a_live_worker_is_left_alone(
        self, workspace: Workspace, user: User
    ) -> None:
        batch = self._cut_off(workspace, user, attempts=1)
        worker_beat("gone")  # it beats again: it is alive, only slow
        assert imports_recover() == (0, 0)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.RUNNING


@pytest.mark.django_db(databases=ALL_DATABASES)
class ScheduleTests:
    def test_the_digest_is_due_on_monday_morning_in_the_installations_time_zone(
        self, settings: Any
    ) -> None:
        settings.TIME_ZONE = "Europe/Berlin"
        sunday = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
        due = next_digest_at(sunday)
        assert (due.isoformat(), due.astimezone(dt.UTC).hour) == ("2026-03-02T07:00:00+01:00", 6)
        assert next_digest_at(due) == due + dt.timedelta(days=7)

    def test_the_worker_queues_the_weekly_digest_once_and_it_is_sent(
        self,
        workspace: Workspace,
        user: User,
        make_person: Callable[..., Person],
        run_queued: Callable[[], int],
    ) -> None:
        settings_update(workspace=workspace, weekly_digest=True)
        friend = make_person("Ada Lovelace", cadence_days=30)
        when = timezone.now() - dt.timedelta(days=45)
        touch_log(workspace=workspace, people=[friend], channel="in_person", when=when)
        now = timezone.now()
        assert schedule_run_due(now) == []  # the first look only plans the next one
        row = Schedule.objects.get(name=DIGEST)
        assert row.next_at > now
        later = row.next_at + dt.timedelta(minutes=1)
        assert schedule_run_due(later) == [DIGEST]
        assert schedule_run_due(later) == []  # another worker looking at the same moment
        assert run_queued() == 1
        [sent] = mail.outbox
        assert sent.to == [user.email]
        assert "Ada Lovelace" in sent.body


def _database_url(alias: str) -> str:
    settings = connections[alias].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}{port}/{settings['NAME']}"


WORKER = """
import os, sys
import django
from django.conf import settings
settings.DATABASES  # the settings as configured, then pointed at the test's databases
if settings.DATABASES["live"]["ENGINE"].endswith("sqlite3"):
    settings.DATABASES["live"]["NAME"] = sys.argv[1]
django.setup()
from eyecontact.cli import app
app(["worker", "--interval", "0.1"])
"""


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts `eyecontact worker` processes on the test's databases."""
    started: list[subprocess.Popen[bytes]] = []
    logs: list[IO[bytes]] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "eyecontact.settings.development",
        "DATABASE_URL": _database_url("default"),
        "EYECONTACT_HOME": str(tmp_path),
        "EYECONTACT_WORKER_BEAT_S": "0.5",
        "EYECONTACT_WORKER_STALE_S": "3",
    }

    def start() -> subprocess.Popen[bytes]:
        logs.append((tmp_path / f"worker-{len(started)}.log").open("wb"))
        process = subprocess.Popen(  # noqa: S603  # this interpreter, with the test's own code
            [sys.executable, "-c", WORKER, str(connections[LIVE].settings_dict["NAME"])],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=logs[-1],
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(30)
    for log in logs:
        log.close()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.django_db(databases=ALL_DATABASES, transaction=True)
class WorkerProcessTests:
    def test_a_worker_killed_in_the_middle_of_an_import_changes_nothing_and_it_is_retried(
        self,
        workspace: Workspace,
        user: User,
        settings: Any,
        worker_process: Callable[[], subprocess.Popen[bytes]],
    ) -> None:
        settings.EYECONTACT_IMPORTS_INLINE = False
        settings.EYECONTACT_WORKER_STALE_S = 3
        before = Person.objects.filter(workspace=workspace).count()
        batch = queue(workspace, user, "Connections.csv", connections_csv(6000))
        first = worker_process()
        # Inside the import's transaction: its progress is past the first step.
        _wait(lambda: (import_progress(batch.pk) or (0, 0))[0] >= 1, 120, "the import never began")
        first.kill()  # as a machine losing power: no goodbye
        first.wait(10)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.RUNNING  # cut off mid-way
        assert Person.objects.filter(workspace=workspace).count() == before  # nothing written

        second = worker_process()  # its housekeeping finds the import cut off and retries it
        _wait(
            lambda: (
                ImportBatch.objects.get(pk=batch.pk).status
                not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
            ),
            180,
            "the import was never retried to its end",
        )
        batch.refresh_from_db()
        assert (batch.status, batch.errors) == (ImportBatch.Status.DONE, [])
        assert Person.objects.filter(workspace=workspace).count() == before + 6000
        _wait(lambda: not ImportUpload.objects.exists(), 30, "the upload was kept")
        second.send_signal(signal.SIGTERM)
        assert second.wait(30) == 0
        # A worker asked to stop says goodbye: it is no longer counted as alive.
        assert not WorkerBeat.objects.filter(pid=second.pid).exists()

    def test_housekeeping_beats_in_the_live_database(self) -> None:
        housekeep("beating", captures=False)
        beat = WorkerBeat.objects.get(worker_id="beating")
        assert beat.pid == os.getpid()
        assert json.dumps(str(beat))  # printable in the admin
