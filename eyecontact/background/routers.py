"""Sends progress and worker beats to the ``live`` database alias (see the package docstring)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

__all__ = ["LIVE", "LiveRouter", "live_is_separate"]

LIVE = "live"
_LIVE_MODELS = frozenset({"progress", "workerbeat"})


def live_is_separate() -> bool:
    """True when the live alias is a database of its own (SQLite), not a second connection.

    Told by the engine, not the name: the test runner renames one alias before the other.
    """
    return str(settings.DATABASES[LIVE]["ENGINE"]).endswith("sqlite3")


def _is_live(app_label: str, model_name: str | None) -> bool:
    return app_label == "background" and model_name in _LIVE_MODELS


class LiveRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return LIVE if _is_live(model._meta.app_label, model._meta.model_name) else None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return LIVE if _is_live(model._meta.app_label, model._meta.model_name) else None

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if not live_is_separate():
            # One database reached twice: everything is made through the default alias.
            return db == "default"
        if model_name is None:
            # Migrations without a model (RunPython, RunSQL) belong to the main database.
            return db == "default"
        return (db == LIVE) == _is_live(app_label, model_name)
