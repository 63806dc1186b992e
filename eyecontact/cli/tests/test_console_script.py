"""The installed ``eyecontact`` script, run as a user runs it, against a fresh data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).with_name("eyecontact")


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """A clean environment: the script's own default settings and an empty SQLite home."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["EYECONTACT_HOME"] = str(tmp_path / "home")
    return env


def eyecontact(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own console script, fixed arguments
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


class ConsoleScriptTests:
    def test_help_lists_the_commands_without_touching_the_data_folder(
        self, environment: dict[str, str]
    ) -> None:
        result = eyecontact("--help", env=environment)
        assert result.returncode == 0, result.stderr
        for name in ("serve", "demo", "people", "touch", "export", "restore", "manage"):
            assert name in result.stdout
        assert not Path(environment["EYECONTACT_HOME"]).exists()

    def test_people_json_reads_a_migrated_database(self, environment: dict[str, str]) -> None:
        assert eyecontact("people", env=environment).returncode == 1  # not migrated yet
        migrated = eyecontact("manage", "migrate", "--verbosity", "0", env=environment)
        assert migrated.returncode == 0, migrated.stderr
        assert (Path(environment["EYECONTACT_HOME"]) / "eyecontact.sqlite3").exists()
        built = eyecontact("demo", "--people", "12", "--until", "2026-06-30", env=environment)
        assert built.returncode == 0, built.stderr
        result = eyecontact("people", "--json", "--sort", "-touches", env=environment)
        assert result.returncode == 0, result.stderr
        people = json.loads(result.stdout)
        assert len(people) == 12
        assert people[0]["touches"] >= people[-1]["touches"]
        assert {"id", "name", "organization", "last_met", "touches"} <= set(people[0])
