"""The keep-in-touch API: fading people, reminders, strength, tags and settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.insights.models import KeepInTouchSettings, ReminderState, Tag
from eyecontact.insights.selectors import keep_in_touch_settings
from eyecontact.insights.services import tag_create, tag_person
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/workspaces/")  # the token's first use is recorded once, outside the counts
    return client


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}"


def post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body, content_type="application/json")


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.fixture
def overdue(workspace: Workspace, make_person: MakePerson) -> dict[str, Person]:
    """Two people past a 30-day cadence (one closer than the other) and one seen last week."""
    people = {
        "close": make_person("Clara Close", cadence_days=30, organization="Acme"),
        "distant": make_person("Dieter Distant", cadence_days=30),
        "fresh": make_person("Fritz Fresh", cadence_days=30),
    }
    for _ in range(3):
        touch_log(
            workspace=workspace, people=[people["close"]], channel="in_person", when=days_ago(60)
        )
    touch_log(workspace=workspace, people=[people["distant"]], channel="phone", when=days_ago(90))
    touch_log(workspace=workspace, people=[people["fresh"]], channel="in_person", when=days_ago(7))
    return people


@pytest.mark.django_db
class FadingApiTests:
    def test_people_past_their_cadence_are_listed_strongest_first_with_why(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/fading").json()
        assert body["count"] == 2
        close, distant = body["items"]
        assert (close["person"]["display_name"], distant["person"]["display_name"]) == (
            "Clara Close",
            "Dieter Distant",
        )
        assert close["person"]["organization"] == "Acme"
        assert (close["cadence_days"], close["overdue_days"]) == (30, 30)
        assert "every 30 days" in close["why"]
        assert close["strength"] > distant["strength"] > 0
        assert close["strength_explanation"].startswith("3 in-person meetings")
        assert close["last_high_touch_at"] is not None

    def test_the_fading_list_takes_a_fixed_number_of_queries(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        keep_in_touch_settings(workspace=workspace)  # made on first read, once per workspace
        for n in range(25):
            person = make_person(f"Person {n:02}", cadence_days=30)
            touch_log(workspace=workspace, people=[person], channel="phone", when=days_ago(40 + n))
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(10):
            body = client.get(f"{base}/fading", {"limit": 10}).json()
        assert (body["count"], len(body["items"])) == (25, 10)


@pytest.mark.django_db
class ReminderApiTests:
    def test_reminders_say_why_when_and_how_strong(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        body = client.get(f"{base}/reminders").json()
        assert [r["person"]["display_name"] for r in body["items"]] == [
            "Dieter Distant",
            "Clara Close",
        ]
        distant = body["items"][0]
        assert distant["overdue"] is True
        assert (
            distant["due_on"] == (timezone.localdate(days_ago(90)) + dt.timedelta(30)).isoformat()
        )
        assert "every 30 days" in distant["why"]
        assert distant["strength"] > 0

    def test_the_horizon_brings_in_reminders_due_later(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        soon = client.get(f"{base}/reminders", {"horizon_days": 30}).json()
        assert "Fritz Fresh" in [r["person"]["display_name"] for r in soon["items"]]
        refused = client.get(f"{base}/reminders", {"horizon_days": 400})
        assert refused_fields(refused) == [["query", "horizon_days"]]

    def test_a_snoozed_reminder_stays_hidden_until_its_day(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        distant = overdue["distant"]
        response = post(client, f"{base}/reminders/{distant.pk}/snooze", {"until": in_days(14)})
        assert response.status_code == 200
        assert response.json() == {
            "person_id": distant.pk,
            "snoozed_until": in_days(14),
            "done_on": None,
        }
        names = [
            r["person"]["display_name"] for r in client.get(f"{base}/reminders").json()["items"]
        ]
        assert names == ["Clara Close"]

    @pytest.mark.parametrize("until", ["", "soon", "2001-01-01"])
    def test_snoozing_into_the_past_or_to_no_day_is_refused(
        self, client: Client, base: str, overdue: dict[str, Person], until: str
    ) -> None:
        response = post(client, f"{base}/reminders/{overdue['close'].pk}/snooze", {"until": until})
        assert refused_fields(response) == [["body", "until"]]
        assert not ReminderState.objects.exists()

    def test_a_done_reminder_goes_away_and_the_body_may_be_left_out(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        response = client.generic("POST", f"{base}/reminders/{overdue['distant'].pk}/done")
        assert response.status_code == 200, response.content
        assert response.json()["done_on"] == timezone.localdate().isoformat()
        names = [
            r["person"]["display_name"] for r in client.get(f"{base}/reminders").json()["items"]
        ]
        assert names == ["Clara Close"]

    def test_done_on_a_given_day(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        response = post(
            client, f"{base}/reminders/{overdue['close'].pk}/done", {"day": in_days(-2)}
        )
        assert response.json()["done_on"] == in_days(-2)
        bad = post(client, f"{base}/reminders/{overdue['close'].pk}/done", {"day": "Tuesday"})
        assert refused_fields(bad) == [["body", "day"]]

    def test_done_logs_the_touch_that_happened(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        close = overdue["close"]
        before = close.touches.count()
        response = post(
            client,
            f"{base}/reminders/{close.pk}/done",
            {"day": in_days(-2), "channel": "phone"},
        )
        assert response.status_code == 200, response.content
        assert response.json()["done_on"] == in_days(-2)
        touch = close.touches.order_by("-occurred_at").first()
        assert close.touches.count() == before + 1
        assert touch is not None and (touch.channel, touch.has_time) == ("phone", False)
        assert touch.occurred_at.date().isoformat() == in_days(-2)

    def test_done_with_a_touch_a_week_ahead_is_refused_and_nothing_is_done(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        close = overdue["close"]
        before = close.touches.count()
        response = post(
            client,
            f"{base}/reminders/{close.pk}/done",
            {"day": in_days(7), "channel": "in_person"},
        )
        assert refused_fields(response) == [["body", "day"]]
        assert close.touches.count() == before
        assert not ReminderState.objects.exists()

    def test_a_person_of_another_workspace_is_not_found(
        self, client: Client, base: str, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace, cadence_days=7)
        assert client.generic("POST", f"{base}/reminders/{stranger.pk}/done").status_code == 404
        response = post(client, f"{base}/reminders/{stranger.pk}/snooze", {"until": in_days(3)})
        assert response.status_code == 404
        assert not ReminderState.objects.exists()


@pytest.mark.django_db
class StrengthApiTests:
    def test_a_persons_strength_comes_with_its_explanation_and_cadence(
        self, client: Client, base: str, overdue: dict[str, Person]
    ) -> None:
        close = overdue["close"]
        body = client.get(f"{base}/people/{close.pk}/strength").json()
        assert body["person_id"] == close.pk
        assert body["score"] > 0
        assert body["explanation"].startswith("3 in-person meetings, last one")
        assert body["counts"] == {"in_person": 3}
        assert set(body["last"]) == {"in_person"}
        assert body["cadence_days"] == 30

    def test_someone_never_touched_has_no_strength(
        self, client: Client, base: str, make_person: MakePerson
    ) -> None:
        body = client.get(f"{base}/people/{make_person().pk}/strength").json()
        assert (body["score"], body["explanation"], body["cadence_days"]) == (
            0.0,
            "No touches yet.",
            None,
        )

    def test_the_cadence_comes_from_a_tag(
        self, client: Client, base: str, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        tag = tag_create(workspace=workspace, name="Clients", cadence_days=45)
        tag.people.add(jane)
        assert client.get(f"{base}/people/{jane.pk}/strength").json()["cadence_days"] == 45


@pytest.mark.django_db
class TagApiTests:
    def test_a_tag_is_created_listed_renamed_and_deleted(self, client: Client, base: str) -> None:
        created = post(client, f"{base}/tags", {"name": "  Running   club ", "cadence_days": 14})
        assert created.status_code == 201
        tag = created.json()
        assert (tag["name"], tag["cadence_days"], tag["member_count"]) == ("Running club", 14, 0)
        url = f"{base}/tags/{tag['id']}"
        renamed = patch(client, url, {"name": "Runners"})
        assert (renamed.json()["name"], renamed.json()["cadence_days"]) == ("Runners", 14)
        cleared = patch(client, url, {"cadence_days": None})
        assert cleared.json()["cadence_days"] is None
        assert client.get(url).json()["name"] == "Runners"
        assert client.delete(url).status_code == 204
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "   "}, "name"),
            ({"name": "Clients", "cadence_days": 0}, "cadence_days"),
            ({"name": "Clients", "cadence_days": 5000}, "cadence_days"),
            ({"name": "Clients", "cadence_days": "often"}, "cadence_days"),
            ({}, "name"),
        ],
    )
    def test_bad_tags_are_refused_with_the_field_named(
        self, client: Client, base: str, body: dict[str, Any], field: str
    ) -> None:
        assert refused_fields(post(client, f"{base}/tags", body)) == [["body", field]]
        assert not Tag.objects.exists()

    def test_a_second_tag_of_the_same_name_is_refused(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        tag_create(workspace=workspace, name="Investors")
        response = post(client, f"{base}/tags", {"name": "investors"})
        assert refused_fields(response) == [["body", "name"]]

    def test_tags_are_listed_with_their_member_counts_in_few_queries(
        self,
        client: Client,
        base: str,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        people = [make_person(f"Person {n}") for n in range(6)]
        for n, person in enumerate(people):
            tag_person(person=person, name="Everyone")
            if n % 2:
                tag_person(person=person, name="Odd ones")
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(5):
            body = client.get(f"{base}/tags").json()
        assert [(t["name"], t["member_count"]) for t in body["items"]] == [
            ("Everyone", 6),
            ("Odd ones", 3),
        ]

    def test_a_person_is_tagged_by_name_and_untagged(
        self, client: Client, base: str, make_person: MakePerson
    ) -> None:
        jane, john = make_person("Jane Doe"), make_person("John Doe")
        tag_person(person=john, name="Clients")
        first = post(client, f"{base}/people/{jane.pk}/tags", {"name": "clients"})
        assert first.status_code == 201
        assert (first.json()["name"], first.json()["member_count"]) == ("Clients", 2)
        new = post(client, f"{base}/people/{jane.pk}/tags", {"name": "Board"})
        assert new.json()["member_count"] == 1
        listed = client.get(f"{base}/people/{jane.pk}/tags").json()
        assert [(t["name"], t["member_count"]) for t in listed] == [("Board", 1), ("Clients", 2)]
        clients = first.json()["id"]
        assert client.delete(f"{base}/people/{jane.pk}/tags/{clients}").status_code == 204
        assert [t["name"] for t in client.get(f"{base}/people/{jane.pk}/tags").json()] == ["Board"]
        assert Tag.objects.get(pk=clients).people.get() == john

    def test_tagging_with_an_empty_name_is_refused(
        self, client: Client, base: str, make_person: MakePerson
    ) -> None:
        response = post(client, f"{base}/people/{make_person().pk}/tags", {"name": " "})
        assert refused_fields(response) == [["body", "name"]]

    def test_a_tag_of_another_workspace_is_not_found(
        self,
        client: Client,
        base: str,
        other_workspace: Workspace,
        make_person: MakePerson,
    ) -> None:
        secret = tag_create(workspace=other_workspace, name="Secret society")
        jane = make_person()
        assert client.get(f"{base}/tags/{secret.pk}").status_code == 404
        assert patch(client, f"{base}/tags/{secret.pk}", {"name": "Mine"}).status_code == 404
        assert client.delete(f"{base}/tags/{secret.pk}").status_code == 404
        assert client.delete(f"{base}/people/{jane.pk}/tags/{secret.pk}").status_code == 404
        assert Tag.objects.get(pk=secret.pk).name == "Secret society"


@pytest.mark.django_db
class KeepInTouchSettingsApiTests:
    def test_the_defaults_are_shown_until_changed(self, client: Client, base: str) -> None:
        body = client.get(f"{base}/keep-in-touch/settings").json()
        assert body == {
            "weights": {
                "in_person": 10.0,
                "phone": 6.0,
                "video": 4.0,
                "message": 2.0,
                "email": 2.0,
                "social": 1.0,
            },
            "half_life_days": 365,
            "default_cadence_days": None,
            "weekly_digest": False,
        }

    def test_only_the_fields_sent_change(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        url = f"{base}/keep-in-touch/settings"
        response = patch(
            client,
            url,
            {"weights": {"phone": 8}, "default_cadence_days": 90, "weekly_digest": True},
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["weights"]["phone"], body["weights"]["in_person"]) == (8.0, 10.0)
        assert (body["half_life_days"], body["default_cadence_days"], body["weekly_digest"]) == (
            365,
            90,
            True,
        )
        patch(client, url, {"default_cadence_days": None})
        config = KeepInTouchSettings.objects.get(workspace=workspace)
        assert (config.weights()["phone"], config.default_cadence_days) == (8.0, None)

    @pytest.mark.parametrize(
        ("body", "loc"),
        [
            ({"weights": {"phone": -1}}, ["body", "weights", "phone"]),
            ({"weights": {"social": 101}}, ["body", "weights", "social"]),
            ({"half_life_days": 3}, ["body", "half_life_days"]),
            ({"default_cadence_days": 0}, ["body", "default_cadence_days"]),
            ({"weekly_digest": "sometimes"}, ["body", "weekly_digest"]),
        ],
    )
    def test_bad_settings_are_refused_and_nothing_changes(
        self, client: Client, base: str, workspace: Workspace, body: dict[str, Any], loc: list[str]
    ) -> None:
        response = patch(client, f"{base}/keep-in-touch/settings", body)
        assert refused_fields(response) == [loc]
        config = client.get(f"{base}/keep-in-touch/settings").json()
        assert (config["weights"]["phone"], config["half_life_days"]) == (6.0, 365)
