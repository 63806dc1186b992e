"""``fading``, ``reminders``, ``plan`` and ``attendees import``: keeping in touch."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.cli.tests.test_commands import assert_refused, run
from eyecontact.events.attendees import attendees_import
from eyecontact.events.models import Attendee, Event
from eyecontact.events.services import event_create
from eyecontact.insights.plan import plan_pick
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
ATTENDEES = (
    "First Name,Last Name,Company,E-mail Address,Badge ID\n"
    "Anneliese,Brandt,Corvid Robotics GmbH,,B-1\n"
    "Robert,Miller,Acme Corp,,B-2\n"
    "Grace,Liu,Northwind,grace@northwind.example,B-3\n"
    "Stranger,Danger,Nowhere Inc,,B-4\n"
)


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


class FadingCommandTests:
    def test_lists_people_past_their_cadence_with_why(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        close = make_person("Close Friend", cadence_days=30, organization="Acme")
        fresh = make_person("Seen Last Week", cadence_days=30)
        touch_log(workspace=workspace, people=[close], channel="in_person", when=days_ago(60))
        touch_log(workspace=workspace, people=[fresh], channel="in_person", when=days_ago(7))
        result = run("fading", "--json")
        assert result.exit_code == 0, result.output
        (fading,) = json.loads(result.stdout)
        assert fading["person"] == {
            "id": close.pk, "name": "Close Friend", "organization": "Acme", "title": "",
        }  # fmt: skip
        assert (fading["cadence_days"], fading["overdue_days"]) == (30, 30)
        assert fading["due_on"] == (timezone.localdate() - dt.timedelta(days=30)).isoformat()
        assert "your goal is every 30 days" in fading["why"]
        assert fading["strength"] > 0 and "in-person" in fading["strength_explanation"]
        line = next(line for line in run("fading").stdout.splitlines() if "Close Friend" in line)
        assert "30 days" in line

    def test_nobody_fading_says_so(self, workspace: Workspace) -> None:
        assert "Nobody in Morgan's network is fading." in run("fading").stdout
        assert json.loads(run("fading", "--json").stdout) == []


class RemindersCommandTests:
    def test_lists_whom_to_contact_within_the_days_asked(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        overdue = make_person("Overdue Olga", cadence_days=30)
        soon = make_person("Soon Sam", cadence_days=30)
        touch_log(workspace=workspace, people=[overdue], channel="phone", when=days_ago(40))
        touch_log(workspace=workspace, people=[soon], channel="in_person", when=days_ago(27))
        week = json.loads(run("reminders", "--json").stdout)
        assert [(r["person"]["name"], r["overdue"]) for r in week] == [
            ("Overdue Olga", True),
            ("Soon Sam", False),
        ]
        assert week[1]["due_on"] == (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        assert week[1]["why"].startswith("Due ")
        assert week[0]["strength"] > 0
        today = json.loads(run("reminders", "--days", "1", "--json").stdout)
        assert [r["person"]["name"] for r in today] == ["Overdue Olga"]
        table = run("reminders").stdout
        assert "(overdue)" in table and "Soon Sam" in table

    def test_days_outside_the_horizon_are_refused(self, workspace: Workspace) -> None:
        result = run("reminders", "--days", "365")
        assert result.exit_code == 2
        assert "--days" in result.output

    def test_nobody_due_says_so(self, workspace: Workspace) -> None:
        assert "Nobody in Morgan's network is due within 7 days." in run("reminders").stdout


@pytest.fixture
def summit(workspace: Workspace) -> Event:
    start = timezone.localdate() + dt.timedelta(days=10)
    return event_create(
        workspace=workspace,
        name="Hamburg Robotics Summit",
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
    )


class PlanCommandTests:
    @pytest.fixture
    def known(
        self, workspace: Workspace, summit: Event, make_person: MakePerson
    ) -> dict[str, Person]:
        """Anneliese known only online, Grace fading, Robert a strong relationship."""
        anneliese = make_person("Anneliese Brandt", organization="Corvid Robotics")
        connection_add(person=anneliese, network="linkedin", kind="connection",
                       connected_on=dt.date(2023, 4, 2))  # fmt: skip
        grace = make_person(
            "Grace Liu", cadence_days=30, identities=[("email", "grace@northwind.example")]
        )
        touch_log(workspace=workspace, people=[grace], channel="in_person", when=days_ago(90))
        robert = make_person("Robert Miller", organization="Acme Corp")
        for days in (20, 40, 60):
            touch_log(workspace=workspace, people=[robert], channel="in_person",
                      when=days_ago(days))  # fmt: skip
        attendees_import(event=summit, file_name="attendees.csv", data=ATTENDEES.encode())
        return {"anneliese": anneliese, "grace": grace, "robert": robert}

    def test_groups_the_people_i_know_who_attend_with_why(
        self, summit: Event, known: dict[str, Person]
    ) -> None:
        plan_pick(event=summit, person=known["robert"], group="say_hello", reason="Old friend")
        result = run("plan", "Hamburg Robotics Summit", "--json")
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        assert answer["event"]["id"] == summit.pk
        groups = answer["groups"]
        assert [s["person"]["name"] for s in groups["online_to_real"]] == ["Anneliese Brandt"]
        assert (
            groups["online_to_real"][0]["why"]
            == "Connected on LinkedIn since April 2023, never met."
        )
        assert [s["person"]["name"] for s in groups["renew"]] == ["Grace Liu"]
        assert "every 30 days" in groups["renew"][0]["why"]
        (hello,) = groups["say_hello"]
        assert (hello["person"]["id"], hello["picked"]) == (known["robert"].pk, True)
        assert hello["strength"] >= 15

    def test_prints_a_table_per_group_and_finds_the_event_by_id(
        self, summit: Event, known: dict[str, Person]
    ) -> None:
        result = run("plan", str(summit.pk))
        assert result.exit_code == 0, result.output
        text = result.stdout
        titles = ("turn online into real", "renew", "say hello")
        positions = [text.index(f"Hamburg Robotics Summit: {title}") for title in titles]
        assert positions == sorted(positions)
        assert "Stranger" not in text

    def test_without_an_attendee_list_it_says_how_to_read_one(self, summit: Event) -> None:
        result = run("plan", "hamburg robotics summit")
        assert result.exit_code == 0
        assert "eyecontact attendees import" in result.stdout

    def test_an_unknown_event_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("plan", "Atlantis Expo"), "event: No event 'Atlantis Expo'")


class AttendeesImportCommandTests:
    def test_reads_the_list_and_links_the_people_i_know(
        self, summit: Event, make_person: MakePerson, tmp_path: Path
    ) -> None:
        make_person("Grace Liu", identities=[("email", "grace@northwind.example")])
        csv_file = tmp_path / "attendees.csv"
        csv_file.write_text(ATTENDEES + ",,,,\n")
        result = run("attendees", "import", "Hamburg Robotics Summit", str(csv_file))
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == (
            "Read attendees.csv into Hamburg Robotics Summit: 4 attendees added, 0 updated; "
            "1 of them are people you know."
        )
        assert Attendee.objects.filter(event=summit).count() == 4
        again = run("attendees", "import", str(summit.pk), str(csv_file))
        assert "0 attendees added, 4 updated" in again.stdout

    def test_a_bad_list_is_refused_with_the_file_named(self, summit: Event, tmp_path: Path) -> None:
        csv_file = tmp_path / "badges.csv"
        csv_file.write_text("Shoe size,Colour\n44,red\n")
        result = run("attendees", "import", "Hamburg Robotics Summit", str(csv_file))
        assert_refused(result, "error: badges.csv, line 1: expected a header with a Name column")
        assert len(result.stderr.splitlines()) == 1
        assert not Attendee.objects.exists()

    def test_a_missing_file_is_refused(self, summit: Event, tmp_path: Path) -> None:
        missing = tmp_path / "nope.csv"
        result = run("attendees", "import", "Hamburg Robotics Summit", str(missing))
        assert_refused(result, f"error: {missing}: no such file")

    def test_an_unknown_event_is_refused(self, workspace: Workspace, tmp_path: Path) -> None:
        csv_file = tmp_path / "attendees.csv"
        csv_file.write_text(ATTENDEES)
        assert_refused(run("attendees", "import", "Atlantis", str(csv_file)), "No event 'Atlantis'")
