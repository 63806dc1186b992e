"""The recipes of docs/architecture.md, followed as written.

"Adding an import format" runs the document's parser and registry entry as they are written
there, registers the format (as its entry in ``BUILT_IN`` would), and imports a file of it
through the upload page, the API and an export archive: nothing but the registry had to learn
of it.

"Adding a touch channel" changes the database (a choice of the touch's channel, a weight column
of the keep-in-touch settings), so it cannot be tried inside the running test database: the
test copies the project to a temporary folder, applies the recipe's snippets from the document
itself, runs ``makemigrations`` there, counts the files that changed, and runs a test in the
copy that logs a touch of the new channel through the person page and reads its strength.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.cli.tests.test_commands import run as run_command
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import import_file
from eyecontact.imports.sources import ImportFileError, formats, parse_file, register, unregister
from eyecontact.people.models import Identity

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


GUEST_BOOK = b"GUESTBOOK\nAda Lovelace;ada@example.org\nCharles Babbage;\n"


@pytest.fixture
def guestbook() -> Iterator[formats.ImportFormat]:
    """The guest book format of the recipe, registered for one test."""
    parser, entry = recipe_snippets("An import format")
    module = ModuleType("guestbook")
    exec(parser, module.__dict__)  # noqa: S102  # the recipe's own code, from our docs
    names = {**vars(formats), "parse_guestbook": module.parse_guestbook}
    import_format = eval(entry.strip().rstrip(","), names)  # noqa: S307  # as above
    assert isinstance(import_format, formats.ImportFormat)
    register(import_format)
    yield import_format
    unregister(import_format.name)


def guests(workspace: Workspace) -> set[tuple[str, str]]:
    rows = SourceRecord.objects.filter(workspace=workspace, source_format="guestbook")
    return set(rows.values_list("person__display_name", "key"))


@pytest.mark.django_db(databases=["default", "live"])
class ImportFormatRecipeTests:
    def test_the_upload_page_imports_a_guest_book_and_calls_it_by_its_label(
        self, client: Client, user: User, workspace: Workspace, guestbook: formats.ImportFormat
    ) -> None:
        client.force_login(user)
        form = client.get(reverse("import_new", kwargs={"slug": workspace.slug}))
        assert "Guest book" in form.content.decode()
        upload = io.BytesIO(GUEST_BOOK)
        upload.name = "visitors.txt"
        response = client.post(
            reverse("import_new", kwargs={"slug": workspace.slug}), {"export": upload}
        )
        assert response.status_code == 302, response.content.decode()
        batch = ImportBatch.objects.get(workspace=workspace)
        assert (batch.status, batch.file_format) == (ImportBatch.Status.DONE, "guestbook")
        assert guests(workspace) == {
            ("Ada Lovelace", "ada@example.org"),
            ("Charles Babbage", "Charles Babbage"),
        }
        assert Identity.objects.get(workspace=workspace, value="ada@example.org").person
        page = client.get(response["Location"]).content.decode()
        assert "Guest book" in page
        listed = client.get(reverse("imports_list", kwargs={"slug": workspace.slug}))
        assert "Guest book" in listed.content.decode()

    def test_the_api_imports_a_guest_book_once_however_often_it_comes(
        self,
        user: User,
        workspace: Workspace,
        guestbook: formats.ImportFormat,
        run_queued: Callable[[], int],
    ) -> None:
        _, key = token_create(user=user)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        for _ in range(2):
            response = api.post(
                f"/api/workspaces/{workspace.slug}/imports",
                {"file": SimpleUploadedFile("visitors.txt", GUEST_BOOK)},
            )
            assert response.status_code == 202, response.content
            assert run_queued() == 1
            done = api.get(response.json()["poll"]).json()
            assert (done["status"], done["file_format"], done["errors"]) == (
                "done",
                "guestbook",
                [],
            )
        assert len(guests(workspace)) == 2
        assert done["counts"].get("people_new", 0) == 0

    def test_the_command_line_imports_a_guest_book(
        self, workspace: Workspace, guestbook: formats.ImportFormat, tmp_path: Path
    ) -> None:
        visitors = tmp_path / "visitors.txt"
        visitors.write_bytes(GUEST_BOOK)
        result = run_command("import", str(visitors), "--json")
        assert result.exit_code == 0, result.output
        [summary] = json.loads(result.stdout)
        assert (summary["status"], summary["file_format"]) == ("done", "guestbook")
        assert len(guests(workspace)) == 2

    def test_an_export_archive_reads_its_guest_book(
        self, workspace: Workspace, guestbook: formats.ImportFormat
    ) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("export/guestbook.txt", GUEST_BOOK)
            archive.writestr("export/notes.txt", b"GUESTBOOK\nNot imported;x@example.org\n")
        batch = import_file(workspace=workspace, file_name="export.zip", data=buffer.getvalue())
        assert (batch.status, batch.file_format) == (ImportBatch.Status.DONE, "guestbook")
        assert len(guests(workspace)) == 2

    def test_a_guest_book_over_its_limit_is_refused_by_its_name(
        self, guestbook: formats.ImportFormat
    ) -> None:
        data = GUEST_BOOK + b"Someone;someone@example.org\n" * 40_000
        with pytest.raises(ImportFileError) as refused:
            parse_file("visitors.txt", data)
        assert "the largest guest book (.txt) Eye Contact reads is 1 MB" in str(refused.value)

    def test_without_its_registry_entry_a_guest_book_is_not_recognised(self) -> None:
        with pytest.raises(ImportFileError, match="expected a LinkedIn, Google, Outlook or X"):
            parse_file("visitors.txt", GUEST_BOOK)
