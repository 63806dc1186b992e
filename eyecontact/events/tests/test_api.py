"""The events API: listing, searching and changing events, and who was met there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.events.models import Event
from eyecontact.events.services import event_create
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import touch_log

CES = dt.date(2026, 1, 6)


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}/events"


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class EventApiTests:
    def test_an_event_is_created(self, client: Client, base: str) -> None:
        response = client.post(
            base,
            {
                "name": "CES",
                "kind": "trade_show",
                "city": "Las Vegas",
                "starts_on": "2026-01-06",
                "ends_on": "2026-01-09",
            },
            content_type="application/json",
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["kind"], body["ends_on"], body["touch_count"]) == (
            "trade_show",
            "2026-01-09",
            0,
        )
        assert Event.objects.get().city == "Las Vegas"

    def test_a_one_day_event_ends_the_day_it_starts(self, client: Client, base: str) -> None:
        body = client.post(
            base, {"name": "Meetup", "starts_on": "2026-03-01"}, content_type="application/json"
        ).json()
        assert body["ends_on"] == "2026-03-01"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "CES", "starts_on": CES.isoformat(), "ends_on": "2026-01-01"}, "ends_on"),
            ({"name": " ", "starts_on": CES.isoformat()}, "name"),
            ({"name": "CES", "starts_on": "someday"}, "starts_on"),
            ({"name": "CES", "starts_on": CES.isoformat(), "kind": "rave"}, "kind"),
            ({"name": "CES", "starts_on": CES.isoformat(), "notes": "x" * 10_001}, "notes"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
        self, client: Client, base: str, body: dict[str, str], field: str
    ) -> None:
        response = client.post(base, body, content_type="application/json")
        assert ["body", field] in refused_fields(response)
        assert not Event.objects.exists()

    def test_events_are_listed_latest_first_with_their_touch_counts(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        ada = make_person("Ada Lovelace")
        for n in range(12):
            event = event_create(
                workspace=workspace, name=f"Meetup {n}", starts_on=CES + dt.timedelta(days=n)
            )
            touch_log(workspace=workspace, people=[ada], channel="in_person", event=event)
        client.get(base)  # the token's first use is recorded once
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(5):
            body = client.get(base, {"limit": 5}).json()
        assert body["count"] == 12
        assert [e["name"] for e in body["items"]] == [f"Meetup {n}" for n in (11, 10, 9, 8, 7)]
        assert {e["touch_count"] for e in body["items"]} == {1}

    def test_events_are_searched_by_name(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        event_create(workspace=workspace, name="CES Las Vegas", starts_on=CES)
        event_create(workspace=workspace, name="Web Summit", starts_on=CES)
        items = client.get(base, {"q": "summit"}).json()["items"]
        assert [e["name"] for e in items] == ["Web Summit"]

    def test_the_detail_shows_who_was_met_there(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=CES)
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        make_person("Not There")
        for people in ([ada], [ada, grace]):
            touch_log(workspace=workspace, people=people, channel="in_person", event=event)
        body = client.get(f"{base}/{event.pk}").json()
        assert body["touch_count"] == 2
        assert [(p["display_name"], p["touches_here"]) for p in body["people"]] == [
            ("Grace Hopper", 1),
            ("Ada Lovelace", 2),
        ]

    def test_patch_changes_only_the_fields_sent(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=CES, city="Las Vegas")
        response = client.patch(
            f"{base}/{event.pk}", {"ends_on": "2026-01-09"}, content_type="application/json"
        )
        assert response.status_code == 200
        event.refresh_from_db()
        assert (event.name, event.city, event.ends_on) == ("CES", "Las Vegas", dt.date(2026, 1, 9))

    def test_a_bad_patch_is_refused_and_nothing_changes(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=CES)
        response = client.patch(
            f"{base}/{event.pk}", {"ends_on": "2025-12-31"}, content_type="application/json"
        )
        assert refused_fields(response) == [["body", "ends_on"]]
        event.refresh_from_db()
        assert event.ends_on == CES

    def test_deleting_an_event_keeps_its_touches(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=CES)
        touch = touch_log(
            workspace=workspace, people=[make_person()], channel="in_person", event=event
        )
        assert client.delete(f"{base}/{event.pk}").status_code == 204
        assert not Event.objects.exists()
        assert Touch.objects.get(pk=touch.pk).event is None
