"""Eye Contact on several machines: two ``eyecontact serve`` and two ``eyecontact worker`` on one
PostgreSQL, as behind a load balancer.

An import sent to one server is followed through the other to its end; every task runs once
(one task result, one import batch, one audit entry per import); booth captures sent to both
servers at once, each sent again, are stored once; a worker killed in the middle of an import
leaves the workspace as it was, and the other worker imports the file again to its end.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eyecontact.accounts.models import AuditEntry, Workspace
from eyecontact.accounts.services import token_create, user_create, workspace_create
from eyecontact.background.imports import import_task
from eyecontact.background.models import ImportUpload, WorkerBeat
from eyecontact.background.recovery import STOPPED
from eyecontact.events.exhibits import exhibit_create
from eyecontact.events.models import Capture
from eyecontact.events.services import event_create
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.people.models import Person, Touch

from .processes import Processes, Server, multipart, wait_for

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, databases=["default", "live"]),
]

EMAIL = "owner@example.org"
PASSWORD = "two machines, one database 42"  # noqa: S105  # test only
FIXTURES = Path(__file__).resolve().parents[2] / "eyecontact" / "imports" / "tests" / "fixtures"
STILL_RUNNING = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)


class Machines:
    """Servers A and B and workers 1 and 2 on one database, as on machines behind a load
    balancer."""

    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        # Started side by side, as machines boot; B once A has collected the static files
        # into the data folder they share here.
        self.a = processes.serve("serve-a")
        workers = [processes.worker("worker-1"), processes.worker("worker-2")]
        self.a.wait()
        self.b = processes.serve("serve-b").wait()
        self.workers = dict(running() for running in workers)


class Cluster:
    """The machines, and a user with a workspace and an API token."""

    def __init__(self, machines: Machines) -> None:
        self.processes = machines.processes
        self.a, self.b, self.workers = machines.a, machines.b, machines.workers
        self.user = user_create(email=EMAIL, password=PASSWORD, workspace_name="Home")
        self.home = Workspace.objects.get(members=self.user)
        _, self.token = token_create(user=self.user, name="load balancer test")

    def api(
        self, server: Server, method: str, path: str, body: bytes = b"", kind: str = ""
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if kind:
            headers["Content-Type"] = kind
        answer = server.request(method, f"/api/workspaces/{path}", body, headers)
        return answer.status, json.loads(answer.body) if answer.body else None

    def import_through(self, server: Server, workspace: Workspace, name: str, data: bytes) -> int:
        """Sends an export to the API; the queued batch's id."""
        body, kind = multipart("file", name, data)
        status, queued = self.api(server, "POST", f"{workspace.slug}/imports", body, kind)
        assert status == 202, queued
        assert queued["batch"]["status"] == "pending"
        batch = int(queued["batch"]["id"])
        poll = f"https://contacts.example.org/api/workspaces/{workspace.slug}/imports/{batch}"
        assert queued["poll"] == poll
        return batch

    def follow(self, server: Server, workspace: Workspace, batch: int) -> list[tuple[int, int]]:
        """Follows an import's status part through a server's page, as the page polls it,
        until it ends; the steps (done, of all) seen on the way."""
        steps: list[tuple[int, int]] = []

        def ended() -> bool:
            answer = server.request(
                "GET",
                f"/w/{workspace.slug}/imports/{batch}/",
                headers={"HX-Request": "true", "HX-Target": "import-status"},
            )
            assert answer.status == 200, answer.status
            step = re.search(r"Step (\d+) of (\d+)", answer.body)
            if step:
                steps.append((int(step.group(1)), int(step.group(2))))
            return "Importing…" not in answer.body

        wait_for(ended, 240, "the import never ended")
        return steps


@pytest.fixture(scope="module")
def machines(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None) -> Iterator[Machines]:
    """One set of machines for the module's tests (the last one kills a worker): starting
    four processes costs more than any of the tests."""
    processes = Processes(
        tmp_path_factory.mktemp("machines"),
        EYECONTACT_WORKER_BEAT_S="0.5",
        EYECONTACT_WORKER_STALE_S="3",
    )
    try:
        yield Machines(processes)
    finally:
        processes.stop_all()


@pytest.fixture
def cluster(machines: Machines, settings: Any) -> Iterator[Cluster]:
    # The user's password hashed as the servers check it (the test settings hash faster).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    # The database is emptied after each test: the workers say again that they are alive.
    wait_for(
        lambda: WorkerBeat.objects.filter(worker_id__in=machines.workers.values()).count() == 2,
        30,
        "the workers do not beat",
    )
    yield Cluster(machines)
    # A task still running when its rows are emptied away would end its worker.
    wait_for(
        lambda: not DBTaskResult.objects.filter(status="RUNNING").exists(),
        120,
        "a task was still running after the test",
    )


def connections_csv(rows: int, first: int = 0) -> bytes:
    """A LinkedIn Connections.csv of ``rows`` people, none of them known yet."""
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [
        f"Given{n},Family{n},https://www.linkedin.com/in/person-{n},person{n}@example.org,"
        f"Company {n % 300},Engineer,17 Sep 2025"
        for n in range(first, first + rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def import_tasks(batch: int) -> list[DBTaskResult[..., Any]]:
    return [
        result
        for result in DBTaskResult.objects.filter(task_path=import_task.module_path)
        if result.args_kwargs["kwargs"] == {"batch_pk": batch}
    ]


def tasks_ended(*batches: int) -> None:
    """Waits for the tasks of imports that ended: a worker records its task's end just after
    the import's own."""
    wait_for(
        lambda: all(
            result.status not in ("READY", "RUNNING")
            for batch in batches
            for result in import_tasks(batch)
        ),
        30,
        "a task of an ended import is still running",
    )


class TwoServersTwoWorkersTests:
    def test_an_import_sent_to_one_server_is_followed_through_the_other_and_runs_once(
        self, cluster: Cluster
    ) -> None:
        cluster.b.log_in(EMAIL, PASSWORD)
        big = cluster.import_through(
            cluster.a, cluster.home, "Connections.csv", connections_csv(5000)
        )
        # Once a worker holds the big one, the small ones go to the other (three workspaces).
        wait_for(lambda: import_tasks(big)[0].status == "RUNNING", 60, "no worker took it")
        small = {}
        for n, name in enumerate(
            ("linkedin/Connections.csv", "vcard/contacts.vcf", "google/contacts.csv")
        ):
            space = workspace_create(name=f"Elsewhere {n}", owner=cluster.user)
            data = (FIXTURES / name).read_bytes()
            server = cluster.a if n % 2 else cluster.b
            small[cluster.import_through(server, space, Path(name).name, data)] = space

        steps = cluster.follow(cluster.b, cluster.home, big)
        # Server B showed the progress the worker reported while the import ran.
        assert any(0 < done < total for done, total in steps), steps
        assert steps == sorted(steps)  # never backwards
        answer = cluster.b.request("GET", f"/w/home/imports/{big}/")
        assert "New people" in answer.body and "5,000" in answer.body
        status, batch = cluster.api(cluster.b, "GET", f"home/imports/{big}")
        assert (status, batch["status"], batch["counts"]["people_new"]) == (200, "done", 5000)

        wait_for(
            lambda: not ImportBatch.objects.filter(pk__in=small, status__in=STILL_RUNNING).exists(),
            120,
            "a small import never ended",
        )
        for pk, space in small.items():
            status, batch = cluster.api(cluster.b, "GET", f"{space.slug}/imports/{pk}")
            assert (status, batch["status"]) == (200, "done"), batch
            people = Person.objects.filter(workspace=space).count()
            assert batch["counts"]["people_new"] <= people  # the owner may be a person too

        # Each import ran once, on one worker: one task, one batch, one audit entry, each row
        # one person.
        ran_by: dict[int, str] = {}
        tasks_ended(big, *small)
        for pk in [big, *small]:
            [result] = import_tasks(pk)
            assert result.status == "SUCCESSFUL"
            [worker] = result.worker_ids
            ran_by[pk] = worker
            assert AuditEntry.objects.filter(action="import", details__batch=pk).count() == 1
        assert ImportBatch.objects.count() == 4
        assert set(ran_by.values()) == set(cluster.workers.values())  # both workers took part
        assert all(ran_by[pk] != ran_by[big] for pk in small)  # the other while one was busy
        assert (
            Person.objects.filter(workspace=cluster.home, display_name__startswith="Given").count()
            == 5000
        )
        assert not ImportUpload.objects.exists()

    def test_captures_sent_to_both_servers_at_once_and_again_are_stored_once(
        self, cluster: Cluster
    ) -> None:
        event = event_create(workspace=cluster.home, name="Summit", starts_on=timezone.localdate())
        booth = exhibit_create(event=event, name="Booth B12", staff=[cluster.user])
        captures = [
            {
                "client_id": str(uuid.uuid4()),
                "kind": "conversation",
                "name": f"Visitor Number{n}",
                "email": f"visitor{n}@example.net",
            }
            for n in range(40)
        ]
        path = f"home/exhibits/{booth.pk}/captures"
        # Each capture sent to both servers at the same moment, then once more to each (a phone
        # that did not hear its answers, behind a load balancer).
        sends = [(server, capture) for capture in captures for server in (cluster.a, cluster.b)] * 2

        def send(server_and_capture: tuple[Server, dict[str, Any]]) -> tuple[str, int, int]:
            server, capture = server_and_capture
            body = json.dumps(capture).encode()
            status, stored = cluster.api(server, "POST", path, body, "application/json")
            return capture["client_id"], status, stored["id"]

        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(send, sends))
        for capture in captures:
            mine = [
                (status, pk) for client, status, pk in answers if client == capture["client_id"]
            ]
            assert sorted(status for status, _ in mine) == [200, 200, 200, 201]
            assert len({pk for _, pk in mine}) == 1  # every answer names the one stored capture
        assert Capture.objects.filter(exhibit=booth).count() == 40

        # The workers match each capture once: one person and one touch each.
        wait_for(
            lambda: not Capture.objects.filter(exhibit=booth, resolved_at__isnull=True).exists(),
            120,
            "the captures were never matched",
        )
        assert (
            Person.objects.filter(
                workspace=cluster.home, display_name__startswith="Visitor"
            ).count()
            == 40
        )
        assert Touch.objects.filter(workspace=cluster.home).count() == 40
        assert (
            Capture.objects.filter(exhibit=booth, touch__isnull=False)
            .values("touch")
            .distinct()
            .count()
            == 40
        )


def progress_shown(cluster: Cluster, server: Server, batch: int) -> bool:
    """Whether the import's page on ``server`` shows it past its first step (inside the
    import's transaction)."""
    answer = server.request(
        "GET",
        f"/w/{cluster.home.slug}/imports/{batch}/",
        headers={"HX-Request": "true", "HX-Target": "import-status"},
    )
    step = re.search(r"Step (\d+) of (\d+)", answer.body)
    return step is not None and int(step.group(1)) >= 1


def holder(cluster: Cluster, batch: int) -> tuple[subprocess.Popen[bytes], str]:
    """The worker process running an import, and its worker id."""
    [task] = import_tasks(batch)
    [worker_id] = task.worker_ids
    pid = WorkerBeat.objects.get(worker_id=worker_id).pid
    [process] = [process for process, _ in cluster.processes.started if process.pid == pid]
    return process, worker_id


class WorkerPausedTests:
    def test_a_worker_silent_for_longer_than_a_beat_allows_still_runs_its_import_alone(
        self, cluster: Cluster
    ) -> None:
        """A worker frozen in the middle of an import (a busy machine, a paused process)
        stops beating; it is not taken for gone while it holds the import, so the import
        runs once."""
        cluster.a.log_in(EMAIL, PASSWORD)
        cluster.b.log_in(EMAIL, PASSWORD)
        export = connections_csv(5000, first=20_000)
        batch = cluster.import_through(cluster.a, cluster.home, "Connections.csv", export)
        wait_for(lambda: progress_shown(cluster, cluster.a, batch), 120, "it never began")
        paused, worker_id = holder(cluster, batch)
        paused.send_signal(signal.SIGSTOP)
        try:
            # Long past the beats' allowance (3 s): the other worker looks, and leaves it.
            wait_for(lambda: import_tasks(batch)[0].status == "FAILED", 30, "never taken for gone")
            time.sleep(4)
            assert len(import_tasks(batch)) == 1  # not queued again
            assert ImportUpload.objects.get(pk=batch).attempts == 1
        finally:
            paused.send_signal(signal.SIGCONT)
        cluster.follow(cluster.b, cluster.home, batch)
        wait_for(lambda: import_tasks(batch)[0].status == "SUCCESSFUL", 30, "its end not recorded")
        [task] = import_tasks(batch)
        assert (task.status, task.worker_ids) == ("SUCCESSFUL", [worker_id])  # it finished
        status, ended = cluster.api(cluster.b, "GET", f"home/imports/{batch}")
        assert (status, ended["status"], ended["counts"]["people_new"]) == (200, "done", 5000)
        assert AuditEntry.objects.filter(action="import", details__batch=batch).count() == 1


class WorkerKilledTests:
    def test_a_worker_killed_in_the_middle_of_an_import_changes_nothing_and_the_other_retries(
        self, cluster: Cluster
    ) -> None:
        cluster.a.log_in(EMAIL, PASSWORD)
        before = Person.objects.filter(workspace=cluster.home).count()
        export = connections_csv(5000, first=5000)  # people the first test did not bring
        batch = cluster.import_through(cluster.b, cluster.home, "Connections.csv", export)

        # Inside the import's transaction: server A shows its progress past the first step.
        wait_for(lambda: progress_shown(cluster, cluster.a, batch), 120, "it never began")
        victim, running_on = holder(cluster, batch)
        victim.kill()  # as a machine losing power: no goodbye, no rollback sent
        victim.wait(10)
        assert ImportBatch.objects.get(pk=batch).status == ImportBatch.Status.RUNNING
        assert Person.objects.filter(workspace=cluster.home).count() == before  # nothing written
        assert not SourceRecord.objects.filter(first_batch_id=batch).exists()
        assert not AuditEntry.objects.filter(action="import", details__batch=batch).exists()

        # The other worker sees the first one gone, and imports the file again to its end.
        steps = cluster.follow(cluster.a, cluster.home, batch)
        assert steps
        status, ended = cluster.api(cluster.a, "GET", f"home/imports/{batch}")
        assert (status, ended["status"], ended["errors"]) == (200, "done", [])
        assert ended["counts"]["people_new"] == 5000
        assert Person.objects.filter(workspace=cluster.home).count() == before + 5000
        assert AuditEntry.objects.filter(action="import", details__batch=batch).count() == 1

        tasks_ended(batch)
        stopped, retried = sorted(import_tasks(batch), key=lambda result: result.enqueued_at)
        assert (stopped.status, stopped.traceback, stopped.worker_ids) == (
            "FAILED",
            STOPPED,
            [running_on],
        )
        [survivor] = set(cluster.workers.values()) - {running_on}
        assert (retried.status, retried.worker_ids) == ("SUCCESSFUL", [survivor])
        assert not ImportUpload.objects.exists()
