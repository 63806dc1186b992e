"""``vet``, ``screen`` and ``churn``: whom of my connections I have met, and who follows me."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.cli.tests.test_commands import assert_refused, run
from eyecontact.events.services import event_create
from eyecontact.networks.tests.test_api_churn import record_all
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def network(workspace: Workspace, make_person: MakePerson) -> dict[str, Person]:
    """Met before connecting, met after, never met on LinkedIn and Facebook; an X mutual met."""
    ces = event_create(workspace=workspace, name="CES 2024", starts_on=dt.date(2024, 1, 9))
    profile = ("linkedin", "https://www.linkedin.com/in/ada-lovelace")
    ada = make_person("Ada Lovelace", organization="Analytical", identities=[profile])
    ben = make_person("Ben Later", organization="Bolt")
    email = ("email", "cleo@acme.example")
    cleo = make_person("Cleo Mailonly", organization="Acme", identities=[email])
    dan = make_person("Dan Facebook")
    eve = make_person("Eve Mutual")
    for person, day in ((ada, dt.date(2024, 5, 1)), (ben, dt.date(2024, 5, 1)),
                        (cleo, dt.date(2023, 1, 1))):  # fmt: skip
        connection_add(person=person, network="linkedin", kind="connection", connected_on=day)
    connection_add(person=dan, network="facebook", kind="friend", connected_on=dt.date(2022, 6, 1))
    connection_add(person=eve, network="x", kind="following")
    connection_add(person=eve, network="x", kind="follower")
    touch_log(workspace=workspace, people=[ada], channel="in_person", when=at(2024, 1, 10),
              where="Las Vegas", event=ces)  # fmt: skip
    touch_log(workspace=workspace, people=[ben], channel="phone", when=at(2025, 1, 10))
    touch_log(workspace=workspace, people=[cleo], channel="email", when=at(2022, 1, 10))
    touch_log(workspace=workspace, people=[cleo], channel="message", when=at(2022, 2, 10))
    touch_log(workspace=workspace, people=[eve], channel="in_person", when=at(2021, 1, 10))
    return {"ada": ada, "ben": ben, "cleo": cleo, "dan": dan, "eve": eve}


class VetCommandTests:
    def test_json_gives_counts_and_shares_per_network_and_the_trend(
        self, network: dict[str, Person]
    ) -> None:
        result = run("vet", "--json")
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        by_network = {s["network"]: s for s in answer["summary"]}
        assert set(by_network) == {"facebook", "linkedin", "x"}
        linkedin = by_network["linkedin"]
        assert linkedin["total"] == 3
        assert linkedin["counts"] == {
            "met_before": 1, "met_after": 1, "met_date_unknown": 0, "never": 1,
        }  # fmt: skip
        assert linkedin["shares"]["never"] == pytest.approx(1 / 3, abs=1e-4)
        assert by_network["facebook"]["counts"]["never"] == 1
        assert by_network["x"]["counts"]["met_date_unknown"] == 1
        assert [(y["year"], y["total"], y["met_share"]) for y in answer["trend"]] == [
            (2022, 1, 0.0),
            (2023, 1, 0.0),
            (2024, 2, 1.0),
        ]

    def test_prints_a_table_per_network(self, network: dict[str, Person]) -> None:
        result = run("vet")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert any(line.startswith("LinkedIn: 3 connections") for line in lines)
        assert any(line.startswith("Facebook: 1 connections") for line in lines)
        never = [line for line in lines if "Never met" in line and "%" in line]
        assert "33%" in never[1] and "100%" in never[0]
        assert any("By year connected" in line for line in lines)

    def test_network_narrows_the_summary_and_the_trend(self, network: dict[str, Person]) -> None:
        answer = json.loads(run("vet", "--network", "facebook", "--json").stdout)
        assert [s["network"] for s in answer["summary"]] == ["facebook"]
        assert [y["year"] for y in answer["trend"]] == [2022]

    def test_never_lists_the_connections_never_met(
        self, network: dict[str, Person], django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(2):
            result = run("vet", "--never", "--sort", "-connected", "--json")
        assert result.exit_code == 0, result.output
        listed = json.loads(result.stdout)
        assert [(c["name"], c["network"], c["connected_on"]) for c in listed] == [
            ("Cleo Mailonly", "linkedin", "2023-01-01"),
            ("Dan Facebook", "facebook", "2022-06-01"),
        ]
        assert listed[0]["touches"] == 2
        table = run("vet", "--never", "--network", "linkedin").stdout
        assert "Cleo Mailonly" in table and "Dan Facebook" not in table

    def test_an_unknown_network_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("vet", "--network", "myspace"), "network: Use one of: linkedin")

    def test_an_unknown_sort_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("vet", "--never", "--sort", "height"), "sort: Use one of: name")

    def test_an_unknown_workspace_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("vet", "-w", "atlantis"), "No workspace 'atlantis'")

    def test_no_connections_says_how_to_bring_them_in(self, workspace: Workspace) -> None:
        result = run("vet")
        assert result.exit_code == 0
        assert "eyecontact import" in result.stdout


class ScreenCommandTests:
    def test_a_known_profile_is_met_with_the_touch(self, network: dict[str, Person]) -> None:
        url = "https://www.linkedin.com/in/ada-lovelace/"
        result = run("screen", "Someone", "--url", url)
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0] == f"Met: #{network['ada'].pk} Ada Lovelace"
        assert lines[1] == "Accept: you have met."
        assert lines[2] == "Last met: 2024-01-10, CES 2024, Las Vegas, in person"

    def test_json_is_for_scripts(self, network: dict[str, Person]) -> None:
        result = run("screen", "Ada Lovelace", "--org", "Analytical", "--json")
        assert result.exit_code == 0
        answer = json.loads(result.stdout)
        assert answer["verdict"] == "met"
        assert answer["accept"] is True
        assert answer["person"]["id"] == network["ada"].pk
        assert answer["touch"]["date"] == "2024-01-10"
        assert answer["touch"]["event"] == "CES 2024"

    def test_a_connection_only_written_to_is_never_met_and_exits_zero(
        self, network: dict[str, Person]
    ) -> None:
        result = run("screen", "--url", "Cleo@Acme.example")
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert lines[0] == f"Known online, never met: #{network['cleo'].pk} Cleo Mailonly"
        assert lines[1].startswith("Decline, or meet first")
        assert lines[2] == "Last touch: 2022-02-10, message"

    def test_namesakes_are_candidates_with_their_evidence(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        berlin = make_person("Jane Doe", city="Berlin", organization="Acme")
        paris = make_person("Jane Doe", city="Paris", organization="Globex")
        touch_log(workspace=workspace, people=[paris], channel="in_person", when=at(2025, 2, 3))
        result = run("screen", "Jane Doe", "--json")
        assert result.exit_code == 0
        answer = json.loads(result.stdout)
        assert answer["verdict"] == "probably_met"
        assert answer["accept"] is None
        candidates = {c["person_id"]: c for c in answer["candidates"]}
        assert set(candidates) == {berlin.pk, paris.pk}
        assert candidates[paris.pk]["met"]["date"] == "2025-02-03"
        assert all(c["evidence"] for c in candidates.values())
        table = run("screen", "Jane Doe").stdout
        assert table.startswith("Probably met")
        assert f"#{paris.pk} Jane Doe (Globex)" in table and "2025-02-03" in table

    def test_a_stranger_is_never_met(self, workspace: Workspace) -> None:
        result = run("screen", "Zed Nobody", "--json")
        assert result.exit_code == 0
        assert json.loads(result.stdout)["verdict"] == "never_met"

    def test_a_request_needs_a_name_or_a_profile(self, workspace: Workspace) -> None:
        assert_refused(run("screen", " "), "name: Give the name on the request, or --url.")


class ChurnCommandTests:
    def test_the_summary_counts_lists_followers_and_churners(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        record_all(workspace)
        result = run("churn", "--json")
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert (summary["follower_snapshots"], summary["following_snapshots"]) == (3, 3)
        assert (summary["followers"], summary["following"]) == (4, 5)
        assert (summary["followers_gained"], summary["followers_lost"]) == (2, 5)
        assert summary["churners"] == 1
        assert summary["one_way_known"] is True
        assert len(summary["timeline"]) == 3
        table = run("churn").stdout
        churners = next(line for line in table.splitlines() if "Churners" in line)
        assert churners.rstrip(" │").endswith("1")

    def test_lists_the_churners_with_their_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        make_person("Ada Churn", identities=[("x", "id:13")])
        record_all(workspace)
        result = run("churn", "--list", "churners", "--json")
        assert result.exit_code == 0, result.output
        (churner,) = json.loads(result.stdout)
        assert (churner["account_id"], churner["person"]) == ("13", "Ada Churn")
        assert churner["unfollowed_by"] == "2025-03-02"
        assert "Ada Churn" in run("churn", "--list", "churners").stdout

    def test_lists_one_way_follows_and_changes(self, workspace: Workspace) -> None:
        record_all(workspace)
        they = json.loads(run("churn", "--list", "they-follow-only", "--json").stdout)
        assert [a["account_id"] for a in they] == ["10", "17", str(2**64 - 1)]
        changes = json.loads(run("churn", "--list", "changes", "--limit", "2", "--json").stdout)
        assert len(changes) == 2
        assert {"account_id", "change", "after", "by"} <= set(changes[0])

    def test_before_any_list_it_says_how_to_get_one(self, workspace: Workspace) -> None:
        result = run("churn")
        assert result.exit_code == 0
        assert "import` an X archive" in result.stdout
        assert json.loads(run("churn", "--json").stdout)["churners"] == 0

    def test_an_unknown_list_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("churn", "--list", "lurkers"), "list: Use one of: churners")
