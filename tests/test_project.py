"""Project-wide guarantees: a server installation passes Django's deployment checks, the models
and migrations agree, and the pure cores stay free of Django."""

from __future__ import annotations

import ast
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Pure Python packages: they may import each other and the standard library or third-party
# parsing libraries, never Django, the API layer or a Django app.
PURE_CORES = {
    "eyecontact.matching": ROOT / "eyecontact" / "matching",
    "eyecontact.imports.sources": ROOT / "eyecontact" / "imports" / "sources",
}
FORBIDDEN_ROOTS = ("django", "ninja", "django_htmx", "dj_database_url", "eyecontact")


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


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """Every module a file imports, as absolute names, with the line of the import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    # "pkg/mod.py" is pkg.mod and "pkg/__init__.py" counts as pkg.__init__: either way, dropping
    # the last part gives the package a relative import starts from.
    relative = path.relative_to(PURE_CORES[package]).with_suffix("").parts
    module_parts = [*package.split("."), *relative]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module_parts[: len(module_parts) - node.level]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def core_files() -> list[tuple[str, Path]]:
    return [
        (package, path)
        for package, folder in PURE_CORES.items()
        for path in sorted(folder.rglob("*.py"))
        if "tests" not in path.relative_to(folder).parts
    ]


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


class PureCoreTests:
    def test_there_are_pure_core_modules_to_check(self) -> None:
        assert {package for package, _ in core_files()} == set(PURE_CORES)

    @pytest.mark.parametrize(
        ("package", "path"),
        core_files(),
        ids=[str(path.relative_to(ROOT)) for _, path in core_files()],
    )
    def test_a_pure_core_module_imports_neither_django_nor_an_app(
        self, package: str, path: Path
    ) -> None:
        offending = [
            f"line {line}: {name}"
            for line, name in imported_modules(path, package)
            if name.split(".")[0] in FORBIDDEN_ROOTS
            and not any(name == core or name.startswith(f"{core}.") for core in PURE_CORES)
        ]

        assert offending == []
