"""The data folder is the running account's alone: 0700, its database and secret key 0600."""

from __future__ import annotations

import stat
from pathlib import Path

from .test_project import manage, python

DATABASE_FILES = ("eyecontact.sqlite3", "eyecontact.sqlite3-wal", "eyecontact.sqlite3-shm")
# Writes a row and keeps the connection open, so SQLite's -wal and -shm files exist.
WRITE_AND_LIST = """
import os, uuid, django
django.setup()
from django.db import connection
from eyecontact.accounts.services import user_create
user_create(email=f"{uuid.uuid4().hex}@example.net", password="correct-horse-battery-staple")
home = os.environ["EYECONTACT_HOME"]
for name in sorted(os.listdir(home)):
    print(name, oct(os.stat(os.path.join(home, name)).st_mode & 0o777))
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def migrate(home: Path) -> None:
    result = manage(
        "migrate",
        "--verbosity",
        "0",
        settings="eyecontact.settings.development",
        home=home,
        DATABASE_URL=None,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def files_while_writing(home: Path) -> dict[str, int]:
    """The mode of every file in the data folder while a process writes to the database."""
    result = python(
        "-c",
        WRITE_AND_LIST,
        settings="eyecontact.settings.development",
        home=home,
        DATABASE_URL=None,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        name: int(octal, 8)
        for name, octal in (line.split() for line in result.stdout.split("\n") if line)
    }


class DataFolderPermissionTests:
    def test_a_new_data_folder_and_its_database_files_are_private(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        migrate(home)
        assert mode(home) == 0o700
        found = files_while_writing(home)
        for name in (*DATABASE_FILES, "secret_key"):
            assert found.get(name) == 0o600, (name, found)

    def test_an_existing_open_data_folder_is_tightened_at_start(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        migrate(home)
        files_while_writing(home)
        home.chmod(0o755)
        for name in DATABASE_FILES:
            # SQLite removes -wal and -shm when its last connection closes; left-over empty ones
            # stand for the files of a database an older version opened.
            (home / name).touch()
            (home / name).chmod(0o644)
        found = files_while_writing(home)
        assert mode(home) == 0o700
        for name in DATABASE_FILES:
            assert found.get(name) == 0o600, (name, found)
