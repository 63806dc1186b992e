"""Tests of Eye Contact run as a server runs it: processes, proxies, a real PostgreSQL.

Tests marked ``postgresql`` need several processes on one PostgreSQL database (as several
machines share one). They belong to the PostgreSQL run of the suite (``.ci/run`` runs the whole
suite on SQLite, then on PostgreSQL): on SQLite they are not collected, rather than skipped.
"""

from __future__ import annotations

import os

import pytest

# The HTTPS test drives the session's Chromium (tests/conftest.py): Playwright's sync API runs
# an event loop in the test thread, which Django then takes for async code and refuses its
# database calls, from that test's teardown on. The browser tests of tests/e2e say the same;
# this folder says it too, for when it runs alone.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "postgresql: runs processes on one PostgreSQL database; collected in the PostgreSQL run",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    elsewhere = [item for item in items if item.get_closest_marker("postgresql")]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
