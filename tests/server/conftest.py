"""Tests of Eye Contact run as a server runs it: processes, proxies, a real PostgreSQL.

Tests marked ``postgresql`` need several processes on one PostgreSQL database (as several
machines share one). They belong to the PostgreSQL run of the suite (``.ci/run`` runs the whole
suite on SQLite, then on PostgreSQL): on SQLite they are not collected, rather than skipped.
"""

from __future__ import annotations

import pytest


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
