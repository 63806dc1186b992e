"""The recipes of docs/architecture.md, followed as written.

"Adding a touch channel" changes the database (a choice of the touch's channel, a weight column
of the keep-in-touch settings), so it cannot be tried inside the running test database: the
test copies the project to a temporary folder, applies the recipe's snippets from the document
itself, runs ``makemigrations`` there, counts the files that changed, and runs a test in the
copy that logs a touch of the new channel through the person page and reads its strength.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# What the copy needs to run makemigrations and a test.
COPIED = ("eyecontact", "manage.py", "pyproject.toml", "conftest.py")


def recipe_snippets(title: str) -> list[str]:
    """The ```python blocks of one section of docs/architecture.md, as written there."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = re.split(r"\n##+ ", text.split(f"\n### {title}\n", 1)[1], maxsplit=1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def copy_project(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / name)


def child_env(home: Path) -> dict[str, str]:
    """The copy runs on SQLite in its own data folder: on PostgreSQL it would create the same
    test database as the suite that runs it."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"EYECONTACT_HOME": str(home), "DJANGO_SETTINGS_MODULE": "eyecontact.settings.test"}
    return env


def run(command: list[str], folder: Path, env: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603  # this interpreter, with fixed arguments
        command, cwd=folder, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return done.stdout


def insert_before(text: str, anchor: str, addition: str) -> str:
    """``addition`` (a line with its indentation) just before the first ``anchor`` found."""
    assert anchor in text, f"{anchor!r} not found"
    return text.replace(anchor, addition + anchor, 1)


# Logs a letter through the person page of the copy and reads the strength it adds.
CHANNEL_TEST = """
import pytest
from django.urls import reverse

import eyecontact
from eyecontact.insights.selectors import keep_in_touch_settings, strengths


def test_a_new_channel_is_offered_logged_weighed_and_counted(client, user, workspace, make_person):
    assert eyecontact.__file__.startswith(COPY), eyecontact.__file__
    client.force_login(user)
    person = make_person("Ada Lovelace")
    page = reverse("person_detail", kwargs={"slug": workspace.slug, "person_pk": person.pk})
    form = client.get(page).content.decode()
    assert 'value="letter"' in form and "<span>Letter</span>" in form
    logged = client.post(
        reverse("person_touch_new", kwargs={"slug": workspace.slug, "person_pk": person.pk}),
        {"channel": "letter"},
    )
    assert logged.status_code == 302, logged.content.decode()
    assert 'class="badge channel-letter">Letter<' in client.get(page).content.decode()
    strength = strengths(workspace=workspace, person_ids=[person.pk])[person.pk]
    assert strength.score == pytest.approx(3.0, abs=0.01)
    assert strength.explanation == "1 letter, today."
    assert keep_in_touch_settings(workspace=workspace).weights()["letter"] == 3.0
    settings_page = client.get(reverse("keep_settings", kwargs={"slug": workspace.slug}))
    assert "Weight of letter" in settings_page.content.decode()
"""


class TouchChannelRecipeTests:
    def test_adding_a_channel_as_documented_changes_three_files_and_works(
        self, tmp_path: Path
    ) -> None:
        member, traits = recipe_snippets("A touch channel")
        copy = tmp_path / "project"
        copy.mkdir()
        copy_project(copy)
        before = tree_digest(copy)

        choices = copy / "eyecontact" / "people" / "choices.py"
        text = choices.read_text(encoding="utf-8")
        # After the last member of Channel, and after the last entry of CHANNELS.
        text = insert_before(text, "\n\n@dataclass(frozen=True, slots=True)\nclass Channel", member)
        text = insert_before(text, "    }\n)\n", traits)
        choices.write_text(text, encoding="utf-8")
        env = child_env(tmp_path / "home")
        python = sys.executable
        run([python, "manage.py", "makemigrations", "people", "insights"], copy, env)
        run([python, "manage.py", "makemigrations", "--check", "--dry-run"], copy, env)

        after = tree_digest(copy)
        changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        migrations = [path for path in changed if "/migrations/" in path]
        assert sorted(path.split("/")[1] for path in migrations) == ["insights", "people"]
        assert changed == sorted(["eyecontact/people/choices.py", *migrations])

        test_file = copy / "eyecontact" / "people" / "tests" / "test_new_channel.py"
        test_file.write_text(f"COPY = {str(copy)!r}\n" + CHANNEL_TEST, encoding="utf-8")
        output = run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)], copy, env
        )
        assert "1 passed" in output
