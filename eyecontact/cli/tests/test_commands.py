"""Every command, run in-process against the test database: what it prints and how it fails."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_authenticate, user_create, workspace_create
from eyecontact.background.worker import Worker
from eyecontact.cli import app
from eyecontact.demo import DEMO_EMAIL, DEMO_PASSWORD
from eyecontact.events.services import event_create
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]
CES_DAY = dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC)


def run(*args: str, input: str | None = None) -> Result:  # noqa: A002  # CliRunner's name
    result = CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "200"})
    assert "Traceback" not in result.output
    return result


def assert_refused(result: Result, message: str, code: int = 2) -> None:
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stderr.startswith("error: ")


class PeopleCommandTests:
    def test_lists_people_with_when_they_were_last_met(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person("Jane Doe", organization="Acme Robotics")
        make_person("Zoë Online")
        touch_log(workspace=workspace, people=[jane], channel="in_person", when=CES_DAY)
        result = run("people")
        assert result.exit_code == 0, result.output
        jane_line = next(line for line in result.stdout.splitlines() if "Jane Doe" in line)
        assert "Acme Robotics" in jane_line and "2026-01-08" in jane_line
        zoe_line = next(line for line in result.stdout.splitlines() if "Zoë Online" in line)
        assert "never" in zoe_line

    def test_json_is_for_scripts(self, workspace: Workspace, make_person: MakePerson) -> None:
        jane = make_person("Jane Doe", city="Berlin")
        touch_log(workspace=workspace, people=[jane], channel="phone", when=CES_DAY)
        result = run("people", "--json")
        assert result.exit_code == 0
        assert json.loads(result.stdout) == [
            {
                "id": jane.pk,
                "name": "Jane Doe",
                "organization": "",
                "title": "",
                "city": "Berlin",
                "last_met": None,
                "last_touch": "2026-01-08",
                "touches": 1,
            }
        ]

    def test_searches_filters_sorts_and_limits(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        met = make_person("Ada Met")
        make_person("Bob Never")
        make_person("Carla Never")
        touch_log(workspace=workspace, people=[met], channel="in_person", when=CES_DAY)
        never = json.loads(run("people", "--met", "never", "--sort", "-name", "--json").stdout)
        assert [p["name"] for p in never] == ["Carla Never", "Bob Never"]
        assert [p["name"] for p in json.loads(run("people", "ada", "--json").stdout)] == ["Ada Met"]
        assert len(json.loads(run("people", "--limit", "2", "--json").stdout)) == 2

    def test_reads_a_long_list_in_a_few_queries(
        self, make_person: MakePerson, django_assert_max_num_queries: Any
    ) -> None:
        for n in range(30):
            make_person(f"Person {n}")
        with django_assert_max_num_queries(3):
            result = run("people", "--json")
        assert len(json.loads(result.stdout)) == 30

    def test_an_unknown_sort_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("people", "--sort", "height"), "sort: Use one of")

    def test_an_unknown_met_filter_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("people", "--met", "sometimes"), "met: Use one of: in_person, never")

    def test_an_unknown_workspace_is_refused_with_the_choices(self, workspace: Workspace) -> None:
        assert_refused(run("people", "--workspace", "nope"), "morgans-network")

    def test_several_workspaces_need_a_choice(
        self, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        result = run("people")
        assert_refused(result, "choose one with --workspace")
        assert "morgans-network" in result.stderr and "someone-else" in result.stderr
        assert run("people", "-w", "Someone else").exit_code == 0

    def test_an_empty_installation_says_so(self, db: None) -> None:
        assert_refused(run("people"), "There is no workspace yet.")


class TouchAddCommandTests:
    def test_logs_an_in_person_touch_at_an_event(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person("Jane Doe")
        ces = event_create(workspace=workspace, name="CES 2026", starts_on=dt.date(2026, 1, 6))
        result = run(
            "touch", "add", "jane doe", "--channel", "in-person", "--at", "2026-01-08 10:00",
            "--where", "CES, Las Vegas", "--event", "CES 2026", "--note", "Pilot in Q3",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "Jane Doe" in result.stdout and "2026-01-08 10:00" in result.stdout
        touch = Touch.objects.get(people=jane)
        assert (touch.channel, touch.occurred_at, touch.event, touch.where, touch.note) == (
            "in_person",
            CES_DAY,
            ces,
            "CES, Las Vegas",
            "Pilot in Q3",
        )
        jane.refresh_from_db()
        assert jane.last_in_person_at == CES_DAY

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("in-person", "in_person"),
            ("in_person", "in_person"),
            ("In person", "in_person"),
            ("phone", "phone"),
            ("video", "video"),
            ("message", "message"),
            ("email", "email"),
            ("social", "social"),
        ],
    )
    def test_accepts_every_channel_spelling(
        self, make_person: MakePerson, typed: str, stored: str
    ) -> None:
        jane = make_person("Jane Doe")
        assert run("touch", "add", "Jane Doe", "--channel", typed).exit_code == 0
        assert Touch.objects.get(people=jane).channel == stored

    def test_a_day_alone_is_stored_as_a_day(self, make_person: MakePerson) -> None:
        jane = make_person("Jane Doe")
        result = run("touch", "add", "Jane Doe", "--at", "2026-01-08")
        assert "on 2026-01-08." in result.stdout
        touch = Touch.objects.get(people=jane)
        assert touch.has_time is False
        assert touch.occurred_at.date() == dt.date(2026, 1, 8)

    def test_without_at_the_touch_is_now(self, make_person: MakePerson) -> None:
        jane = make_person("Jane Doe")
        run("touch", "add", "Jane Doe", "--channel", "phone")
        touch = Touch.objects.get(people=jane)
        assert abs(touch.occurred_at - dt.datetime.now(tz=dt.UTC)) < dt.timedelta(minutes=1)

    def test_someone_new_becomes_a_person(self, workspace: Workspace) -> None:
        result = run("touch", "add", "Grace Hopper", "--channel", "video")
        assert result.exit_code == 0
        assert "(new person)" in result.stdout
        assert Person.objects.get(workspace=workspace).display_name == "Grace Hopper"

    def test_an_unknown_channel_is_refused_and_nobody_is_added(self, workspace: Workspace) -> None:
        result = run("touch", "add", "Grace Hopper", "--channel", "carrier-pigeon")
        assert_refused(result, "channel: Unknown channel 'carrier_pigeon'")
        assert not Person.objects.exists()

    def test_an_unreadable_date_is_refused(self, make_person: MakePerson) -> None:
        make_person("Jane Doe")
        assert_refused(run("touch", "add", "Jane Doe", "--at", "next tuesday"), "at: not a date")
        assert not Touch.objects.exists()

    def test_an_ambiguous_name_lists_the_namesakes(self, make_person: MakePerson) -> None:
        berlin = make_person("Jane Doe", city="Berlin")
        paris = make_person("Jane Doé", city="Paris")
        result = run("touch", "add", "Jane Doe")
        assert_refused(result, "Several people are called 'Jane Doe'")
        assert f"#{berlin.pk} Jane Doe (Berlin)" in result.stderr
        assert f"#{paris.pk} Jane Doé (Paris)" in result.stderr
        assert not Touch.objects.exists()
        assert run("touch", "add", f"#{paris.pk}").exit_code == 0
        assert Touch.objects.get().people.get() == paris

    def test_an_unknown_event_is_refused(self, make_person: MakePerson) -> None:
        make_person("Jane Doe")
        assert_refused(run("touch", "add", "Jane Doe", "--event", "Atlantis"), "No event")

    def test_an_unknown_workspace_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("touch", "add", "Jane Doe", "-w", "atlantis"), "No workspace")


class ExportRestoreCommandTests:
    def test_export_writes_the_workspace_to_standard_output(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Jane Doe")
        result = run("export")
        assert result.exit_code == 0
        data = json.loads(result.stdout)
        assert data["format"] == "eyecontact.workspace"
        assert [p["display_name"] for p in data["people"]] == ["Jane Doe"]

    def test_export_to_a_file_then_restore_gives_the_same_data(
        self, workspace: Workspace, make_person: MakePerson, user: User, tmp_path: Path
    ) -> None:
        jane = make_person("Jane Doe", identities=[("email", "jane@acme.example")])
        touch_log(workspace=workspace, people=[jane], channel="in_person", when=CES_DAY)
        target = tmp_path / "backup.json"
        exported = run("export", "--out", str(target))
        assert exported.exit_code == 0
        assert "1 people" in exported.stderr
        restored = run("restore", str(target), "--workspace-name", "Copy")
        assert restored.exit_code == 0, restored.output
        assert "Restored 'Copy'" in restored.stdout
        again = json.loads(run("export", "-w", "copy").stdout)
        before = json.loads(target.read_text())
        again["workspace"]["name"] = before["workspace"]["name"]
        del again["exported_at"], before["exported_at"]
        assert again == before

    def test_restore_refuses_a_file_that_is_not_json(self, user: User, tmp_path: Path) -> None:
        bad = tmp_path / "notes.txt"
        bad.write_text("Dear diary")
        assert_refused(run("restore", str(bad)), "is not an Eye Contact workspace export")
        assert not Workspace.objects.exists()

    def test_restore_refuses_a_foreign_json_file(self, user: User, tmp_path: Path) -> None:
        foreign = tmp_path / "contacts.json"
        foreign.write_text(json.dumps({"contacts": [{"name": "Jane"}]}))
        assert_refused(run("restore", str(foreign)), "file: This is not an Eye Contact")

    def test_restore_refuses_another_format_version(self, user: User, tmp_path: Path) -> None:
        future = tmp_path / "future.json"
        future.write_text(json.dumps({"format": "eyecontact.workspace", "version": 9}))
        assert_refused(run("restore", str(future)), "format version 9")

    def test_restore_needs_a_known_owner(
        self, workspace: Workspace, other_user: User, tmp_path: Path
    ) -> None:
        target = tmp_path / "backup.json"
        run("export", "--out", str(target))
        assert_refused(run("restore", str(target)), "several users")
        assert_refused(run("restore", str(target), "--owner", "x@example.org"), "No user")
        result = run("restore", str(target), "--owner", other_user.email)
        assert result.exit_code == 0
        restored = Workspace.objects.get(memberships__user=other_user)
        assert restored.pk != workspace.pk
        assert restored.name == workspace.name


class UserCommandTests:
    def test_creates_a_user_with_the_password_from_standard_input(self, db: None) -> None:
        result = run("user", "create", "Ada@Example.org", "--workspace", "Ada's people",
                     input=PASSWORD + "\n")  # fmt: skip
        assert result.exit_code == 0, result.output
        user = User.objects.get(email="ada@example.org")
        assert user.check_password(PASSWORD)
        assert "adas-people" in result.stdout
        assert user.workspaces.get().name == "Ada's people"

    def test_a_weak_password_is_refused(self, db: None) -> None:
        result = run("user", "create", "ada@example.org", input="12345\n")
        assert_refused(result, "password: This password is too short")
        assert not User.objects.exists()

    def test_an_empty_password_is_refused(self, db: None) -> None:
        assert_refused(run("user", "create", "ada@example.org", input=""), "password:")

    def test_a_taken_email_is_refused(self, user: User) -> None:
        result = run("user", "create", user.email, input=PASSWORD + "\n")
        assert_refused(result, "email: A user with the e-mail")


class TokenCommandTests:
    def test_prints_a_token_that_opens_the_api(self, user: User) -> None:
        result = run("token", "create", user.email, "--name", "backup script")
        assert result.exit_code == 0
        key = result.stdout.strip()
        assert token_authenticate(key) == user
        assert user.api_tokens.get().name == "backup script"
        assert "shown only once" in result.stderr

    def test_an_unknown_user_is_refused(self, db: None) -> None:
        assert_refused(run("token", "create", "nobody@example.org"), "No user")


class ManageCommandTests:
    def test_passes_its_arguments_to_django(self, db: None) -> None:
        result = run("manage", "showmigrations", "accounts")
        assert result.exit_code == 0, result.output
        assert "0001_initial" in result.stdout

    def test_passes_options_too(self, db: None) -> None:
        result = run("manage", "check", "--tag", "models")
        assert result.exit_code == 0, result.output
        assert "no issues" in result.stdout


class DemoCommandTests:
    def test_builds_the_demo_and_prints_the_login(self, db: None) -> None:
        result = run("demo", "--people", "40", "--seed", "3", "--workspace", "Trial",
                     "--until", "2026-06-30")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "40 people, 400 touches" in result.stdout
        assert f"{DEMO_EMAIL}, password {DEMO_PASSWORD}" in result.stdout
        space = Workspace.objects.get(name="Trial")
        assert space.memberships.get().user.email == DEMO_EMAIL

    def test_a_second_demo_keeps_the_demo_users_password(self, db: None) -> None:
        run("demo", "--people", "5")
        result = run("demo", "--people", "5", "--workspace", "Second")
        assert "password (unchanged)" in result.stdout
        assert Workspace.objects.count() == 2

    def test_a_bad_until_date_is_refused(self, db: None) -> None:
        assert_refused(run("demo", "--until", "June"), "until: Not a date")


@pytest.mark.django_db(databases=["default", "live"])
class ServeCommandTests:
    @pytest.fixture
    def served(self, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
        calls: list[dict[str, Any]] = []
        monkeypatch.setattr("waitress.serve", lambda application, **options: calls.append(options))
        return calls

    @pytest.fixture
    def workers(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        """What happened to the worker thread ``serve`` runs beside the pages."""
        events: list[str] = []
        monkeypatch.setattr(Worker, "start", lambda worker: events.append("started"))
        monkeypatch.setattr(Worker, "stop", lambda worker: events.append("stopped"))
        return events

    def test_first_run_builds_the_demo_and_serves_the_app_with_a_worker(
        self, db: None, served: list[dict[str, Any]], workers: list[str]
    ) -> None:
        result = run("serve", "--port", "8123", "--demo-people", "15")
        assert result.exit_code == 0, result.output
        assert "http://127.0.0.1:8123/" in result.stdout
        assert f"{DEMO_EMAIL} / {DEMO_PASSWORD}" in result.stdout
        assert "Data folder:" in result.stdout and "Database:" in result.stdout
        assert served == [{"host": "127.0.0.1", "port": 8123, "threads": 16}]
        assert Person.objects.count() == 15
        assert workers == ["started", "stopped"]  # background work in the same process

    def test_a_server_with_separate_workers_runs_none_itself(
        self, workspace: Workspace, served: list[dict[str, Any]], workers: list[str]
    ) -> None:
        result = run("serve", "--no-worker")
        assert result.exit_code == 0, result.output
        assert served
        assert workers == []

    def test_an_installation_with_users_gets_no_demo(
        self, workspace: Workspace, served: list[dict[str, Any]], workers: list[str]
    ) -> None:
        result = run("serve", "--host", "0.0.0.0", "--port", "9000")  # noqa: S104  # the test
        assert result.exit_code == 0
        assert "Demo login" not in result.stdout
        assert "EYECONTACT_ALLOWED_HOSTS" in result.stderr
        assert not Person.objects.exists()
        assert served[0]["host"] == "0.0.0.0"  # noqa: S104  # what was asked for


class WorkspaceChoiceTests:
    def test_a_workspace_is_found_by_name_or_slug(
        self, user: User, other_workspace: Workspace
    ) -> None:
        mine = workspace_create(name="Trade shows", owner=user)
        for key in ("trade-shows", "Trade Shows"):
            result = run("people", "--workspace", key, "--json")
            assert result.exit_code == 0, (key, result.output)
        assert mine.slug == "trade-shows"

    def test_two_workspaces_with_one_name_need_the_slug(self, user: User) -> None:
        workspace_create(name="Team", owner=user)
        workspace_create(name="Team", owner=user_create(email="b@example.org", password=PASSWORD))
        result = run("people", "--workspace", "TEAM")
        assert_refused(result, "Several workspaces are called 'TEAM'")
        assert run("people", "--workspace", "team-2").exit_code == 0
