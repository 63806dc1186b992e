"""Project-wide guarantees: a server installation passes Django's deployment checks, and the models
and migrations agree (the shape of the code is tests/test_architecture.py's)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python(
    *args: str, settings: str, home: Path, **env: str | None
) -> subprocess.CompletedProcess[str]:
    """Our interpreter run with ``args`` in a fresh process, with these settings and data folder."""
    # The browser tests allow sync database calls from Playwright's event loop; a server never.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    chosen = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": settings,
        "EYECONTACT_HOME": str(home),
        **env,
    }
    environment = {k: v for k, v in chosen.items() if v is not None}  # None: left out
    return subprocess.run(  # noqa: S603  # our own interpreter and fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(
    *args: str, settings: str, home: Path, **env: str | None
) -> subprocess.CompletedProcess[str]:
    return python(str(ROOT / "manage.py"), *args, settings=settings, home=home, **env)


class DeploymentTests:
    def test_production_settings_pass_the_deployment_checks_without_warnings(
        self, tmp_path: Path
    ) -> None:
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            settings="eyecontact.settings.production",
            home=tmp_path,
            EYECONTACT_SECRET_KEY=secrets.token_urlsafe(64),
            EYECONTACT_ALLOWED_HOSTS="contacts.example.org",
        )

        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_the_server_keeps_the_loaded_app_out_of_the_garbage_collectors_walks(
        self, tmp_path: Path
    ) -> None:
        # A full collection over the loaded app (~100,000 objects) holds every request thread
        # for tens of milliseconds; frozen, the app is not walked again.
        script = (
            "import gc, sys, eyecontact.wsgi; "
            "sys.exit(0 if 'eyecontact.api' in sys.modules and gc.get_freeze_count() > 50_000 "
            "else 1)"
        )
        result = python(
            "-c",
            script,
            settings="eyecontact.settings.production",
            home=tmp_path,
            EYECONTACT_SECRET_KEY=secrets.token_urlsafe(64),
        )
        assert result.returncode == 0, result.stdout + result.stderr


class SQLiteTests:
    def test_a_new_database_is_made_with_16_kib_pages_in_wal_mode(self, tmp_path: Path) -> None:
        result = manage(
            "migrate", settings="eyecontact.settings.development", home=tmp_path, DATABASE_URL=None
        )
        assert result.returncode == 0, result.stdout + result.stderr
        database = sqlite3.connect(tmp_path / "eyecontact.sqlite3")
        try:
            assert database.execute("PRAGMA page_size").fetchone() == (16384,)
            assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        finally:
            database.close()


class MigrationTests:
    def test_the_models_need_no_migration_that_is_not_written(self, tmp_path: Path) -> None:
        result = manage(
            "makemigrations",
            "--check",
            "--dry-run",
            settings="eyecontact.settings.test",
            home=tmp_path,
        )

        assert result.returncode == 0, result.stdout + result.stderr
