"""The people, identities and touches API: what scripts and the browser rely on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, get_args

import pytest
from django.test import Client, override_settings
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.api.people import EVENT_NOT_HERE, PEOPLE_NOT_HERE, PeopleSort
from eyecontact.events.services import event_create
from eyecontact.people import constants
from eyecontact.people.models import Identity, Person, Touch
from eyecontact.people.selectors import PEOPLE_SORTS
from eyecontact.people.services import connection_add, identity_add, touch_log

TOO_LONG = "x" * 10_001


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class PeopleApiTests:
    def test_a_person_is_created_with_identities(self, client: Client, base: str) -> None:
        response = post(
            client,
            f"{base}/people",
            {
                "display_name": "Ada Lovelace",
                "organization": "Analytical Engines",
                "identities": [
                    {"kind": "email", "value": " Ada@Example.ORG "},
                    {"kind": "phone", "value": "030 1234567"},
                ],
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["given_name"], body["family_name"]) == ("Ada", "Lovelace")
        assert body["source"] == "api"
        assert [(i["kind"], i["value"]) for i in body["identities"]] == [
            ("email", "ada@example.org"),
            ("phone", "+49301234567"),  # the workspace reads numbers in Germany
        ]
        assert body["touch_count"] == 0
        assert Person.objects.get().organization == "Analytical Engines"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"display_name": "   "}, ["body", "display_name"]),
            ({}, ["body", "display_name"]),
            ({"display_name": "Ada", "notes": TOO_LONG}, ["body", "notes"]),
            (
                {"display_name": "Ada", "identities": [{"kind": "email", "value": "not-mail"}]},
                ["body", "identities"],
            ),
            (
                {"display_name": "Ada", "identities": [{"kind": "phone", "value": "call me"}]},
                ["body", "identities"],
            ),
            (
                {"display_name": "Ada", "identities": [{"kind": "pager", "value": "1"}]},
                ["body", "identities", 0, "kind"],
            ),
            ({"display_name": "Ada", "cadence_days": 0}, ["body", "cadence_days"]),
        ],
    )
    def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
        self, client: Client, base: str, body: dict[str, Any], field: list[Any]
    ) -> None:
        response = post(client, f"{base}/people", body)
        assert field in refused_fields(response)
        assert all(error["msg"] for error in response.json()["detail"])
        assert not Person.objects.exists()
        assert not Identity.objects.exists()

    def test_an_empty_name_says_a_name_is_required(self, client: Client, base: str) -> None:
        response = post(client, f"{base}/people", {"display_name": ""})
        assert response.json()["detail"] == [
            {"loc": ["body", "display_name"], "msg": constants.NAME_REQUIRED, "type": "value_error"}
        ]

    def test_the_list_is_paged_by_limit_and_offset(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        for name in ("Cleo Ames", "Ada Byron", "Bea Cole", "Dan Drew"):
            make_person(name)
        body = client.get(f"{base}/people", {"limit": 2, "offset": 1}).json()
        assert body["count"] == 4
        assert [p["display_name"] for p in body["items"]] == ["Ada Byron", "Bea Cole"]

    @pytest.mark.parametrize("query", [{"limit": 501}, {"limit": 0}, {"offset": -1}])
    def test_a_page_is_at_most_500_people(
        self, client: Client, base: str, query: dict[str, int]
    ) -> None:
        response = client.get(f"{base}/people", query)
        assert [next(iter(query))] == [loc[-1] for loc in refused_fields(response)]

    def test_search_finds_people_by_name_organization_and_email(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace", organization="Analytical Engines")
        identity_add(person=ada, kind="email", value="ada@engines.example")
        make_person("Grace Hopper", organization="Navy")
        for q in ("lovelace", "analytical", "ada@engines"):
            names = [
                p["display_name"] for p in client.get(f"{base}/people", {"q": q}).json()["items"]
            ]
            assert names == ["Ada Lovelace"], q

    def test_people_are_filtered_by_organization_and_by_having_met(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        met = make_person("Ada Lovelace", organization="Navy")
        make_person("Grace Hopper", organization="Navy")
        make_person("Alan Turing", organization="Bletchley")
        touch_log(workspace=workspace, people=[met], channel="in_person", when=dt.date(2026, 1, 7))

        def names(**query: str) -> list[str]:
            items = client.get(f"{base}/people", query).json()["items"]
            return [p["display_name"] for p in items]

        assert names(organization="navy") == ["Grace Hopper", "Ada Lovelace"]  # by family name
        assert names(met="in_person") == ["Ada Lovelace"]
        assert names(met="never", organization="Navy") == ["Grace Hopper"]

    def test_people_are_sorted_as_asked(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        early, late = make_person("Ada Lovelace"), make_person("Grace Hopper")
        make_person("Alan Turing")
        touch_log(workspace=workspace, people=[early], channel="phone", when=dt.date(2025, 1, 1))
        touch_log(workspace=workspace, people=[late], channel="phone", when=dt.date(2026, 1, 1))
        items = client.get(f"{base}/people", {"sort": "-last_touch"}).json()["items"]
        assert [p["display_name"] for p in items] == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]
        assert refused_fields(client.get(f"{base}/people", {"sort": "shoe_size"})) == [
            ["query", "sort"]
        ]

    def test_the_api_offers_every_sort_the_people_list_knows(self) -> None:
        assert set(get_args(PeopleSort)) == set(PEOPLE_SORTS)

    def test_the_list_shows_identities_and_figures_in_a_fixed_number_of_queries(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(30):
            person = make_person(f"Person {n:02}")
            identity_add(person=person, kind="email", value=f"p{n}@example.net")
            touch_log(workspace=workspace, people=[person], channel="in_person")
        client.get(f"{base}/people")  # the token's first use is recorded once
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(6):
            body = client.get(f"{base}/people", {"limit": 100}).json()
        assert body["count"] == 30
        first = body["items"][0]
        assert first["identities"][0]["value"] == "p0@example.net"
        assert first["touch_count"] == 1
        assert first["last_in_person_at"] is not None

    def test_the_detail_shows_connections_and_recent_touches(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        connection_add(person=ada, network="linkedin", kind="connection")
        touch_log(workspace=workspace, people=[ada], channel="in_person", when=dt.date(2026, 1, 7))
        body = client.get(f"{base}/people/{ada.pk}").json()
        assert [(c["network"], c["kind"]) for c in body["connections"]] == [
            ("linkedin", "connection")
        ]
        assert [(t["channel"], t["when"]) for t in body["recent_touches"]] == [
            ("in_person", "2026-01-07")
        ]
        assert body["last_in_person_at"].startswith("2026-01-07")

    def test_patch_changes_only_the_fields_sent(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace", organization="Engines", city="London")
        response = patch(client, f"{base}/people/{ada.pk}", {"city": "Paris", "cadence_days": 30})
        assert response.status_code == 200
        ada.refresh_from_db()
        assert (ada.city, ada.organization, ada.cadence_days) == ("Paris", "Engines", 30)

    def test_renaming_re_derives_given_and_family_name(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        body = patch(client, f"{base}/people/{ada.pk}", {"display_name": "Ada King"}).json()
        assert (body["given_name"], body["family_name"]) == ("Ada", "King")

    @pytest.mark.parametrize(
        ("body", "field"),
        [({"display_name": ""}, "display_name"), ({"notes": TOO_LONG}, "notes")],
    )
    def test_a_bad_patch_is_refused_and_nothing_changes(
        self,
        client: Client,
        base: str,
        make_person: Callable[..., Person],
        body: dict[str, str],
        field: str,
    ) -> None:
        ada = make_person("Ada Lovelace", notes="Met at the salon")
        response = patch(client, f"{base}/people/{ada.pk}", body)
        assert refused_fields(response) == [["body", field]]
        ada.refresh_from_db()
        assert (ada.display_name, ada.notes) == ("Ada Lovelace", "Met at the salon")

    def test_deleting_a_person_takes_their_touches_with_nobody_else(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        touch_log(workspace=workspace, people=[ada], channel="phone")
        shared = touch_log(workspace=workspace, people=[ada, grace], channel="in_person")
        response = client.delete(f"{base}/people/{ada.pk}")
        assert response.status_code == 204
        assert list(Person.objects.all()) == [grace]
        assert list(Touch.objects.all()) == [shared]
        assert client.get(f"{base}/people/{ada.pk}").status_code == 404

    def test_a_persons_touches_are_listed_newest_first(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        for day in (1, 3, 2):
            touch_log(
                workspace=workspace, people=[ada], channel="phone", when=dt.date(2026, 1, day)
            )
        touch_log(workspace=workspace, people=[make_person("Someone Else")], channel="phone")
        items = client.get(f"{base}/people/{ada.pk}/touches").json()["items"]
        assert [t["when"] for t in items] == ["2026-01-03", "2026-01-02", "2026-01-01"]


@pytest.mark.django_db
class IdentityApiTests:
    def test_identities_are_added_listed_and_read(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        response = post(
            client,
            f"{base}/people/{ada.pk}/identities",
            {"kind": "email", "value": "ADA@example.org", "label": "work"},
        )
        assert response.status_code == 201
        identity_id = response.json()["id"]
        listed = client.get(f"{base}/people/{ada.pk}/identities").json()
        assert [(i["value"], i["label"]) for i in listed] == [("ada@example.org", "work")]
        assert client.get(f"{base}/identities/{identity_id}").json()["person_id"] == ada.pk

    def test_an_identity_of_someone_else_is_refused(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        identity_add(person=ada, kind="email", value="shared@example.org")
        response = post(
            client,
            f"{base}/people/{grace.pk}/identities",
            {"kind": "email", "value": "shared@example.org"},
        )
        assert refused_fields(response) == [["body", "value"]]
        assert "Ada Lovelace" in response.json()["detail"][0]["msg"]
        assert not grace.identities.exists()

    def test_a_malformed_phone_number_is_refused(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        response = post(
            client, f"{base}/people/{ada.pk}/identities", {"kind": "phone", "value": "call me"}
        )
        assert refused_fields(response) == [["body", "value"]]
        assert not Identity.objects.exists()

    def test_an_identity_is_corrected_and_normalised(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        identity = identity_add(person=ada, kind="email", value="ada@old.example")
        response = patch(
            client, f"{base}/identities/{identity.pk}", {"value": "ADA@New.Example", "label": "new"}
        )
        assert response.status_code == 200
        identity.refresh_from_db()
        assert (identity.value, identity.label) == ("ada@new.example", "new")
        found = client.get(f"{base}/people", {"q": "ada@new"}).json()["items"]
        assert [p["id"] for p in found] == [ada.pk]

    def test_a_bad_correction_is_refused_and_nothing_changes(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        identity = identity_add(person=make_person("Ada"), kind="email", value="ada@x.example")
        response = patch(client, f"{base}/identities/{identity.pk}", {"value": "nope"})
        assert refused_fields(response) == [["body", "value"]]
        identity.refresh_from_db()
        assert identity.value == "ada@x.example"

    def test_an_identity_is_removed(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        identity = identity_add(person=make_person("Ada"), kind="email", value="ada@x.example")
        assert client.delete(f"{base}/identities/{identity.pk}").status_code == 204
        assert not Identity.objects.exists()


@pytest.mark.django_db
class TouchApiTests:
    def test_a_day_alone_logs_a_date_only_touch(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        response = post(
            client,
            f"{base}/touches",
            {
                "people": [ada.pk, grace.pk],
                "channel": "in_person",
                "when": "2026-01-08",
                "where": " Las Vegas ",
                "note": "Talked about engines",
            },
        )
        assert response.status_code == 201
        body = response.json()
        assert (body["when"], body["has_time"], body["where"]) == ("2026-01-08", False, "Las Vegas")
        assert sorted(p["display_name"] for p in body["people"]) == ["Ada Lovelace", "Grace Hopper"]
        touch = Touch.objects.get()
        assert (touch.source, touch.created_by is not None) == ("api", True)
        ada.refresh_from_db()
        assert ada.touch_count == 1
        assert ada.last_in_person_at == dt.datetime(2026, 1, 8, 12, tzinfo=dt.UTC)

    @override_settings(TIME_ZONE="Europe/Berlin")
    def test_a_time_without_an_offset_is_read_in_the_servers_timezone(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        for when in ("2026-01-08T10:00", "2026-01-08T09:00:00Z", "2026-01-08T11:00:00+02:00"):
            response = post(
                client, f"{base}/touches", {"people": [ada.pk], "channel": "phone", "when": when}
            )
            assert response.status_code == 201
        moments = set(Touch.objects.values_list("occurred_at", "has_time"))
        assert moments == {(dt.datetime(2026, 1, 8, 9, tzinfo=dt.UTC), True)}

    def test_without_when_the_touch_happened_now(
        self, client: Client, base: str, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        body = post(client, f"{base}/touches", {"people": [ada.pk], "channel": "video"}).json()
        assert body["has_time"] is True
        assert Touch.objects.get().occurred_at > dt.datetime.now(tz=dt.UTC) - dt.timedelta(
            minutes=1
        )

    def test_a_touch_at_an_event_of_this_workspace(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=dt.date(2026, 1, 6))
        ada = make_person("Ada Lovelace")
        body = post(
            client,
            f"{base}/touches",
            {"people": [ada.pk], "channel": "in_person", "event": event.pk},
        ).json()
        assert body["event_id"] == event.pk

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"channel": "carrier_pigeon"}, "channel"),
            ({"when": "next tuesday"}, "when"),
            ({"when": "2026-02-30"}, "when"),
            ({"note": TOO_LONG}, "note"),
            ({"people": []}, "people"),
        ],
    )
    def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
        self,
        client: Client,
        base: str,
        make_person: Callable[..., Person],
        changes: dict[str, Any],
        field: str,
    ) -> None:
        ada = make_person("Ada Lovelace")
        body = {"people": [ada.pk], "channel": "phone", "when": "2026-01-08", **changes}
        response = post(client, f"{base}/touches", body)
        assert refused_fields(response) == [["body", field]]
        assert not Touch.objects.exists()
        ada.refresh_from_db()
        assert ada.touch_count == 0

    def test_people_and_events_of_another_workspace_are_refused(
        self,
        client: Client,
        base: str,
        other_workspace: Workspace,
        make_person: Callable[..., Person],
    ) -> None:
        ada = make_person("Ada Lovelace")
        stranger = make_person("Stranger", workspace=other_workspace)
        elsewhere = event_create(
            workspace=other_workspace, name="Secret", starts_on=dt.date(2026, 1, 6)
        )
        response = post(
            client, f"{base}/touches", {"people": [ada.pk, stranger.pk], "channel": "phone"}
        )
        assert response.json()["detail"] == [
            {
                "loc": ["body", "people"],
                "msg": PEOPLE_NOT_HERE.format(ids=[stranger.pk]),
                "type": "value_error",
            }
        ]
        response = post(
            client,
            f"{base}/touches",
            {"people": [ada.pk], "channel": "phone", "event": elsewhere.pk},
        )
        assert response.json()["detail"][0]["msg"] == EVENT_NOT_HERE.format(id=elsewhere.pk)
        assert not Touch.objects.exists()

    def test_touches_are_listed_newest_first_and_filtered(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        people = [make_person(f"Person {n:02}") for n in range(20)]
        for n, person in enumerate(people):
            touch_log(
                workspace=workspace,
                people=[person, people[0]],
                channel="phone" if n % 2 else "email",
                when=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            )
        client.get(f"{base}/touches")  # the token's first use is recorded once
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(6):
            body = client.get(f"{base}/touches", {"limit": 100}).json()
        assert body["count"] == 20
        assert body["items"][0]["when"] == "2026-01-20"
        assert len(body["items"][0]["people"]) == 2
        phone = client.get(f"{base}/touches", {"channel": "phone"}).json()
        assert phone["count"] == 10
        with_one = client.get(f"{base}/touches", {"person": people[3].pk}).json()
        assert [t["when"] for t in with_one["items"]] == ["2026-01-04"]

    def test_a_touch_is_changed_and_everyones_figures_follow(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        touch = touch_log(
            workspace=workspace, people=[ada], channel="phone", when=dt.date(2026, 1, 1)
        )
        response = patch(
            client,
            f"{base}/touches/{touch.pk}",
            {"people": [grace.pk], "channel": "in_person", "when": "2026-01-05"},
        )
        assert response.status_code == 200
        assert (response.json()["when"], response.json()["channel"]) == ("2026-01-05", "in_person")
        ada.refresh_from_db()
        grace.refresh_from_db()
        assert (ada.touch_count, grace.touch_count) == (0, 1)
        assert grace.last_in_person_at == dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)

    def test_a_bad_change_is_refused_and_nothing_changes(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[ada], channel="phone", note="Kept")
        response = patch(client, f"{base}/touches/{touch.pk}", {"note": TOO_LONG})
        assert refused_fields(response) == [["body", "note"]]
        touch.refresh_from_db()
        assert touch.note == "Kept"

    def test_a_deleted_touch_no_longer_counts(
        self, client: Client, base: str, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[ada], channel="in_person")
        assert client.delete(f"{base}/touches/{touch.pk}").status_code == 204
        ada.refresh_from_db()
        assert (ada.touch_count, ada.last_in_person_at) == (0, None)
        assert client.get(f"{base}/touches/{touch.pk}").status_code == 404
