"""``exhibit report`` and ``exhibit leads``: what a booth cost, whom it reached, for the CRM."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from eyecontact.accounts.models import User, Workspace
from eyecontact.cli.tests.test_commands import assert_refused, run
from eyecontact.events.exhibits import capture_record, exhibit_add_cost, exhibit_create
from eyecontact.events.models import Event, Exhibit
from eyecontact.events.services import event_create

MECARD = (
    "MECARD:N:Brandt,Anneliese;ORG:Corvid Robotics GmbH;"
    "EMAIL:a.brandt@corvid-robotics.example;TEL:+4915123456789;;"
)
SUMMIT_DAY = dt.date(2025, 9, 17)


def at(hour: int) -> dt.datetime:
    return dt.datetime(2025, 9, 17, hour, 0, tzinfo=dt.UTC)


@pytest.fixture
def summit(workspace: Workspace) -> Event:
    return event_create(
        workspace=workspace,
        name="Hamburg Robotics Summit 2025",
        starts_on=SUMMIT_DAY,
        ends_on=SUMMIT_DAY + dt.timedelta(days=2),
    )


@pytest.fixture
def booth(summit: Event, user: User) -> Exhibit:
    """Two conversations and a visit, for 520 euros."""
    booth = exhibit_create(event=summit, name="Booth B12", currency="EUR", staff=[user])
    exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("400"))
    exhibit_add_cost(exhibit=booth, category="travel", amount=Decimal("120"))
    for kind, hour, details in (
        ("conversation", 10, {"payload": MECARD, "rating": 5, "follow_up": True}),
        ("conversation", 14, {"name": "Bob Builder", "organization": "Acme"}),
        ("visit", 15, {"name": "Walk In"}),
    ):
        capture_record(exhibit=booth, actor=user, client_id=uuid.uuid4(), kind=kind,
                       captured_at=at(hour), **details)  # fmt: skip
    return booth


class ExhibitReportCommandTests:
    def test_json_sets_costs_against_the_published_figures(self, booth: Exhibit) -> None:
        result = run("exhibit", "report", "Booth B12", "--json")
        assert result.exit_code == 0, result.output
        report = json.loads(result.stdout)
        assert (report["exhibit"], report["event"]) == ("Booth B12", "Hamburg Robotics Summit 2025")
        assert (report["currency"], report["cost"]) == ("EUR", "520.00")
        assert (report["entrants"], report["conversations"]) == (3, 2)
        assert report["cost_per_entrant"] == "173.33"
        assert report["cost_per_conversation"] == "260.00"
        assert report["published_cost_per_entrant"] == "160.00"
        assert report["published_cost_per_conversation"] == "260.00"
        assert report["by_staff"] == {"morgan@example.net": 2}
        assert report["followed_up_within_30_days"] == 0
        assert (report["connected_within_30_days"], report["connected_within_90_days"]) == (0, 0)

    def test_prints_the_report_with_the_published_figures_beside(self, booth: Exhibit) -> None:
        result = run("exhibit", "report", str(booth.pk))
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0].startswith("Booth B12 at Hamburg Robotics Summit 2025")
        entrant = next(line for line in lines if "Cost per entrant" in line)
        assert "EUR 173.33" in entrant and "published: USD 160.00" in entrant
        talk = next(line for line in lines if "Cost per conversation" in line)
        assert "EUR 260.00" in talk and "published: USD 260.00" in talk
        assert any("morgan@example.net" in line for line in lines)

    def test_the_only_booth_at_an_event_is_found_by_the_event(self, booth: Exhibit) -> None:
        result = run("exhibit", "report", "hamburg robotics summit 2025", "--json")
        assert json.loads(result.stdout)["exhibit"] == "Booth B12"

    def test_part_of_a_name_is_enough_when_it_is_unique(self, booth: Exhibit) -> None:
        result = run("exhibit", "report", "b12", "--json")
        assert json.loads(result.stdout)["exhibit"] == "Booth B12"

    def test_several_booths_at_an_event_need_a_choice(self, booth: Exhibit, summit: Event) -> None:
        hall = exhibit_create(event=summit, name="Hall 3 stand")
        result = run("exhibit", "report", "Hamburg Robotics Summit 2025")
        assert_refused(result, "exhibit: Several exhibits match")
        assert f"#{booth.pk} Booth B12" in result.stderr and f"#{hall.pk} Hall 3" in result.stderr

    def test_an_unknown_exhibit_is_refused(self, booth: Exhibit) -> None:
        assert_refused(run("exhibit", "report", "Booth Z9"), "exhibit: No exhibit 'Booth Z9'")

    def test_another_workspaces_exhibit_is_out_of_reach(
        self, booth: Exhibit, other_workspace: Workspace
    ) -> None:
        theirs = event_create(workspace=other_workspace, name="Expo", starts_on=SUMMIT_DAY)
        stand = exhibit_create(event=theirs, name="Their stand")
        result = run("exhibit", "report", str(stand.pk), "-w", "morgans-network")
        assert_refused(result, f"No exhibit '{stand.pk}'")


class ExhibitLeadsCommandTests:
    def test_writes_the_leads_as_csv_to_standard_output(self, booth: Exhibit) -> None:
        result = run("exhibit", "leads", "Booth B12")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["name"], r["kind"]) for r in rows] == [
            ("Anneliese Brandt", "conversation"),
            ("Bob Builder", "conversation"),
            ("Walk In", "visit"),
        ]
        assert rows[0]["email"] == "a.brandt@corvid-robotics.example"
        assert (rows[0]["rating"], rows[0]["follow_up"]) == ("5", "yes")

    def test_writes_vcards_to_a_file(self, booth: Exhibit, tmp_path: Path) -> None:
        target = tmp_path / "leads.vcf"
        result = run("exhibit", "leads", "Booth B12", "--format", "vcard", "--out", str(target))
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert f"to {target}" in result.stderr
        cards = target.read_text()
        assert cards.count("BEGIN:VCARD") == 3
        assert "FN:Anneliese Brandt" in cards
        assert "EMAIL;TYPE=INTERNET:a.brandt@corvid-robotics.example" in cards

    def test_an_unknown_format_is_refused(self, booth: Exhibit, tmp_path: Path) -> None:
        target = tmp_path / "leads.xlsx"
        result = run("exhibit", "leads", "Booth B12", "--format", "xlsx", "--out", str(target))
        assert_refused(result, "format: Use one of: csv, vcard.")
        assert not target.exists()

    def test_a_folder_that_does_not_exist_is_refused(self, booth: Exhibit, tmp_path: Path) -> None:
        target = tmp_path / "missing" / "leads.csv"
        assert_refused(run("exhibit", "leads", "Booth B12", "--out", str(target)), "out: ")
