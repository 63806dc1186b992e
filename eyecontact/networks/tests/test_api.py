"""The connections API: the online side of each relationship."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.api.networks import PERSON_NOT_HERE
from eyecontact.people.models import Connection, Person
from eyecontact.people.services import connection_add


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}/connections"


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class ConnectionApiTests:
    def test_a_connection_is_recorded(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        response = client.post(
            base,
            {
                "person_id": ada.pk,
                "network": "linkedin",
                "kind": "connection",
                "connected_on": "2024-05-01",
            },
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["person_name"], body["connected_on"], body["source"]) == (
            "Ada Lovelace",
            "2024-05-01",
            "api",
        )

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"network": "myspace", "kind": "friend"}, "network"),
            ({"network": "linkedin", "kind": "friend"}, "kind"),
            ({"network": "x", "kind": "follower", "connected_on": "yesterday"}, "connected_on"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
        self,
        client: Client,
        base: str,
        make_person: Callable[..., Person],
        body: dict[str, str],
        field: str,
    ) -> None:
        ada = make_person("Ada Lovelace")
        response = client.post(base, {"person_id": ada.pk, **body}, content_type="application/json")
        assert refused_fields(response) == [["body", field]]
        assert not Connection.objects.exists()

    def test_a_person_of_another_workspace_is_refused(
        self,
        client: Client,
        base: str,
        other_workspace: Workspace,
        make_person: Callable[..., Person],
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace)
        response = client.post(
            base,
            {"person_id": stranger.pk, "network": "x", "kind": "follower"},
            content_type="application/json",
        )
        assert response.json()["detail"] == [
            {
                "loc": ["body", "person_id"],
                "msg": PERSON_NOT_HERE.format(id=stranger.pk),
                "type": "value_error",
            }
        ]
        assert not Connection.objects.exists()

    def test_connections_are_listed_and_filtered(
        self,
        client: Client,
        base: str,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        people = [make_person(f"Person {n:02}") for n in range(15)]
        for n, person in enumerate(people):
            connection_add(
                person=person,
                network="linkedin" if n % 3 else "facebook",
                kind="connection" if n % 3 else "friend",
                connected_on=dt.date(2024, 1, 1) + dt.timedelta(days=n),
            )
        client.get(base)  # the token's first use is recorded once
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(5):
            body = client.get(base, {"limit": 100}).json()
        assert body["count"] == 15
        assert body["items"][0]["person_name"] == "Person 14"
        assert client.get(base, {"network": "facebook"}).json()["count"] == 5
        mine = client.get(base, {"person": people[4].pk}).json()["items"]
        assert [c["network"] for c in mine] == ["linkedin"]

    def test_the_dates_of_a_connection_change(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        connection = connection_add(
            person=make_person(), network="x", kind="following", connected_on=dt.date(2024, 1, 1)
        )
        response = client.patch(
            f"{base}/{connection.pk}", {"removed_on": "2026-01-01"}, content_type="application/json"
        )
        assert response.status_code == 200
        connection.refresh_from_db()
        assert (connection.connected_on, connection.removed_on) == (
            dt.date(2024, 1, 1),
            dt.date(2026, 1, 1),
        )

    def test_a_connection_is_read_and_deleted(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        connection = connection_add(person=make_person(), network="facebook", kind="friend")
        assert client.get(f"{base}/{connection.pk}").json()["kind"] == "friend"
        assert client.delete(f"{base}/{connection.pk}").status_code == 204
        assert not Connection.objects.exists()
