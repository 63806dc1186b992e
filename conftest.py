"""Fixtures shared by every test suite: users, workspaces and people built through services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import user_create, workspace_create
from eyecontact.people.models import Person
from eyecontact.people.services import person_create

# Property tests check what holds, not how fast: a per-example deadline only fails them on a busy
# machine (speed is measured by the benchmarks in bench/).
settings.register_profile("eyecontact", deadline=None)
settings.load_profile("eyecontact")

PASSWORD = "correct-horse-battery-staple"  # noqa: S105  # a test-only password


@pytest.fixture
def user(db: None) -> User:
    return user_create(email="morgan@example.net", password=PASSWORD)


@pytest.fixture
def workspace(user: User) -> Workspace:
    return workspace_create(name="Morgan's network", owner=user, default_region="DE")


@pytest.fixture
def other_user(db: None) -> User:
    return user_create(email="intruder@example.org", password=PASSWORD)


@pytest.fixture
def other_workspace(other_user: User) -> Workspace:
    """A workspace the main user is not a member of: its ids must never be reachable."""
    return workspace_create(name="Someone else", owner=other_user)


@pytest.fixture
def make_person(workspace: Workspace) -> Callable[..., Person]:
    def make(name: str = "Jane Doe", **fields: Any) -> Person:
        target = fields.pop("workspace", workspace)
        return person_create(workspace=target, display_name=name, **fields)

    return make


@pytest.fixture(autouse=True)
def _live_connection_closed() -> Iterator[None]:
    """On PostgreSQL the ``live`` alias is a second connection to the test database; closed
    after each test, as a request's end closes it, so the database can be dropped at the end."""
    yield
    from django.db import connections

    live = connections["live"]
    if not live.in_atomic_block:
        live.close()


@pytest.fixture
def run_queued(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Runs every queued background task to its end, as a worker would; returns how many ran.

    The imports of the test it serves are queued, not run inline. As Django's test client does
    for requests, the worker keeps its connection between tasks: closing it would end the
    test's transaction.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    settings.EYECONTACT_IMPORTS_INLINE = False
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        )
        worker.run()
        return worker._run_tasks

    return run
