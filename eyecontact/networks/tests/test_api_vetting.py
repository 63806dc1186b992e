"""The vetting API: whom of my connections have I met, and screening a connection request."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.people.models import Connection, Person, Touch
from eyecontact.people.services import connection_add, touch_log

MakePerson = Callable[..., Person]
CONNECTED = dt.date(2024, 3, 12)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/workspaces/")  # the token's first use is recorded once, outside the counts
    return client


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}"


@pytest.fixture
def network(workspace: Workspace, make_person: MakePerson) -> dict[str, Person]:
    """Met before connecting, met after, never met (two), all on LinkedIn; one Facebook friend."""
    people = {
        "before": make_person("Bettina Before", organization="Acme"),
        "after": make_person("Arturo After", organization="Acme"),
        "never": make_person("Nora Never", organization="Globex"),
        "stranger": make_person("Sven Stranger", organization="Acme"),
        "friend": make_person("Fiona Friend"),
    }
    for key in ("before", "after", "never", "stranger"):
        connection_add(
            person=people[key], network="linkedin", kind="connection", connected_on=CONNECTED
        )
    connection_add(
        person=people["friend"], network="facebook", kind="friend", connected_on=dt.date(2019, 1, 1)
    )
    touch_log(
        workspace=workspace,
        people=[people["before"]],
        channel="in_person",
        when=at(CONNECTED - dt.timedelta(days=30)),
    )
    touch_log(
        workspace=workspace,
        people=[people["after"]],
        channel="phone",
        when=at(CONNECTED + dt.timedelta(days=30)),
    )
    touch_log(
        workspace=workspace,
        people=[people["stranger"]],
        channel="message",
        when=at(CONNECTED - dt.timedelta(days=5)),
    )
    return people


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class VettingSummaryApiTests:
    def test_the_summary_counts_each_network_by_status(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/vetting").json()
        by_network = {share["network"]: share for share in body["summary"]}
        assert by_network["linkedin"]["total"] == 4
        assert by_network["linkedin"]["counts"] == {
            "met_before": 1,
            "met_after": 1,
            "met_date_unknown": 0,
            "never": 2,
        }
        assert by_network["linkedin"]["shares"]["never"] == 0.5
        assert by_network["facebook"]["counts"]["never"] == 1

    def test_the_trend_goes_by_year_connected_and_narrows_to_one_network(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        trend = client.get(f"{base}/vetting").json()["trend"]
        assert [(row["year"], row["total"], row["met_share"]) for row in trend] == [
            (2019, 1, 0.0),
            (2024, 4, 0.5),
        ]
        linkedin = client.get(f"{base}/vetting", {"network": "linkedin"}).json()["trend"]
        assert [row["year"] for row in linkedin] == [2024]

    def test_an_unknown_network_is_refused(self, client: Client, base: str) -> None:
        response = client.get(f"{base}/vetting", {"network": "myspace"})
        assert refused_fields(response) == [["query", "network"]]


@pytest.mark.django_db
class VettedConnectionsApiTests:
    def test_never_met_connections_are_listed_with_status_and_first_met(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/vetting/connections", {"status": "never"}).json()
        assert body["count"] == 3
        assert [c["person_name"] for c in body["items"]] == [
            "Fiona Friend",
            "Nora Never",
            "Sven Stranger",
        ]
        assert {c["status"] for c in body["items"]} == {"never"}
        assert body["items"][0]["first_met"] is None

    def test_a_met_connection_shows_when_they_first_met(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/vetting/connections", {"status": "met_after"}).json()
        [after] = body["items"]
        assert after["person_name"] == "Arturo After"
        assert after["first_met"].startswith((CONNECTED + dt.timedelta(days=30)).isoformat())
        assert after["touch_count"] == 1

    def test_the_list_filters_by_network_organization_and_year(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        url = f"{base}/vetting/connections"
        assert client.get(url, {"network": "facebook"}).json()["count"] == 1
        assert client.get(url, {"organization": "acme"}).json()["count"] == 3
        assert client.get(url, {"year": 2019}).json()["count"] == 1

    def test_the_list_sorts_by_organization(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        body = client.get(
            f"{base}/vetting/connections", {"status": "never", "sort": "organization"}
        ).json()
        assert [c["organization"] for c in body["items"]] == ["", "Acme", "Globex"]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"status": "maybe"}, "status"),
            ({"sort": "shoe_size"}, "sort"),
            ({"year": "last"}, "year"),
            ({"year": 1066}, "year"),
            ({"limit": 0}, "limit"),
        ],
    )
    def test_bad_filters_are_refused_with_the_field_named(
        self, client: Client, base: str, query: dict[str, Any], field: str
    ) -> None:
        response = client.get(f"{base}/vetting/connections", query)
        assert refused_fields(response)[0][-1] == field

    def test_a_page_of_connections_takes_a_fixed_number_of_queries(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(30):
            person = make_person(f"Person {n:02}")
            connection_add(person=person, network="linkedin", kind="connection")
            if n % 2:
                touch_log(workspace=workspace, people=[person], channel="phone", when=at(CONNECTED))
        with django_assert_max_num_queries(5):
            body = client.get(f"{base}/vetting/connections", {"limit": 100}).json()
        assert body["count"] == 30

    def test_the_csv_download_lists_the_filtered_connections(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        response = client.get(f"{base}/vetting/connections.csv", {"status": "never"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        text = response.getvalue().decode()
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:2] == ["name", "organization"]
        assert sorted(row[0] for row in rows[1:]) == ["Fiona Friend", "Nora Never", "Sven Stranger"]

    def test_the_csv_download_refuses_an_unknown_status(self, client: Client, base: str) -> None:
        response = client.get(f"{base}/vetting/connections.csv", {"status": "maybe"})
        assert refused_fields(response) == [["query", "status"]]


@pytest.mark.django_db
class VouchApiTests:
    def test_vouching_logs_the_meeting_and_vets_the_connection(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        connection = Connection.objects.get(person=network["never"])
        response = client.post(
            f"{base}/connections/{connection.pk}/vouch",
            {"day": "2014-06-01", "where": "A dinner in Lisbon"},
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["channel"], body["when"], body["where"]) == (
            "in_person",
            "2014-06-01",
            "A dinner in Lisbon",
        )
        assert body["people"] == [{"id": network["never"].pk, "display_name": "Nora Never"}]
        listed = client.get(f"{base}/vetting/connections", {"status": "met_before"}).json()
        assert "Nora Never" in [c["person_name"] for c in listed["items"]]

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "day"),
            ({"day": "a while ago"}, "day"),
            ({"day": "2014-06-01", "channel": "telepathy"}, "channel"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_logged(
        self,
        client: Client,
        base: str,
        network: dict[str, Person],
        body: dict[str, str],
        field: str,
    ) -> None:
        connection = Connection.objects.get(person=network["never"])
        before = Touch.objects.count()
        response = client.post(
            f"{base}/connections/{connection.pk}/vouch", body, content_type="application/json"
        )
        assert refused_fields(response) == [["body", field]]
        assert Touch.objects.count() == before

    def test_a_connection_of_another_workspace_is_not_found(
        self, client: Client, base: str, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace)
        connection = connection_add(person=stranger, network="linkedin", kind="connection")
        response = client.post(
            f"{base}/connections/{connection.pk}/vouch",
            {"day": "2014-06-01"},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert not Touch.objects.exists()


@pytest.mark.django_db
class ScreenApiTests:
    def test_a_known_profile_url_answers_met_with_the_meeting(
        self, client: Client, base: str, workspace: Workspace, make_person: MakePerson
    ) -> None:
        liesl = make_person(
            "Anneliese Brandt",
            identities=[("linkedin", "https://www.linkedin.com/in/anneliese-brandt-7f3a21")],
        )
        touch_log(
            workspace=workspace,
            people=[liesl],
            channel="in_person",
            when=at(dt.date(2023, 9, 14)),
            where="Hamburg",
        )
        body = client.get(
            f"{base}/screen", {"url": "linkedin.com/in/anneliese-brandt-7f3a21/"}
        ).json()
        assert body["verdict"] == "met"
        assert body["accept"] is True
        assert body["person"]["id"] == liesl.pk
        assert (body["touch"]["date"], body["touch"]["where"]) == ("2023-09-14", "Hamburg")

    def test_a_name_alone_offers_candidates_with_evidence(
        self, client: Client, base: str, make_person: MakePerson
    ) -> None:
        make_person("Wei Zhang", organization="Yangtze Robotics")
        photon = make_person("Wei Zhang", organization="Photon Labs")
        unmet = client.get(f"{base}/screen", {"name": "Wei Zhang"}).json()
        assert (unmet["verdict"], unmet["known_online"], unmet["accept"]) == (
            "never_met",
            True,
            False,
        )
        assert unmet["title"] == "Known online, never met"
        assert len(unmet["candidates"]) == 2
        touch_log(workspace=photon.workspace, people=[photon], channel="phone")
        body = client.get(f"{base}/screen", {"name": "Wei Zhang"}).json()
        assert (body["verdict"], body["known_online"]) == ("probably_met", False)
        assert body["accept"] is None
        assert len(body["candidates"]) == 2
        assert all(candidate["evidence"] for candidate in body["candidates"])

    def test_a_stranger_is_never_met_and_declined_by_default(
        self, client: Client, base: str, network: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/screen", {"name": "Quentin Unknown"}).json()
        assert (body["verdict"], body["accept"], body["candidates"]) == ("never_met", False, [])

    def test_an_overlong_name_is_refused(self, client: Client, base: str) -> None:
        response = client.get(f"{base}/screen", {"name": "x" * 201})
        assert refused_fields(response) == [["query", "name"]]

    def test_screening_takes_a_few_queries_however_many_people_there_are(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        """The screener answers while the request is on screen: a bounded number of queries."""
        for n in range(60):
            person = make_person(f"Maria {n:02} Garcia", organization=f"Company {n % 7}")
            if n % 3 == 0:
                touch_log(
                    workspace=workspace, people=[person], channel="in_person", when=at(CONNECTED)
                )
        make_person("Maria Garcia", organization="Initech")
        with django_assert_max_num_queries(10):
            body = client.get(
                f"{base}/screen", {"name": "Maria Garcia", "organization": "Initech"}
            ).json()
        assert body["verdict"] in ("met", "never_met", "probably_met")
        assert body["candidates"][0]["organization"] == "Initech"
        with django_assert_max_num_queries(6):
            client.get(f"{base}/screen", {"url": "https://x.com/nobody_here"})
