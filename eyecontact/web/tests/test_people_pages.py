"""The people pages at scale: a timeline paged by key, organizations fetched on demand."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

HTMX = {"HX-Request": "true"}

pytestmark = pytest.mark.django_db


def person_url(person: Person, name: str = "person_detail") -> str:
    return reverse(name, kwargs={"slug": person.workspace.slug, "person_pk": person.pk})


def log_days(workspace: Workspace, person: Person, days: int, *, same_day: bool = False) -> None:
    """``days`` touches with ``person``, noted "Touch 1" (oldest) to "Touch <days>" (newest)."""
    first = dt.date(2024, 1, 1)
    for n in range(1, days + 1):
        when = first if same_day else first + dt.timedelta(days=n)
        touch_log(
            workspace=workspace, people=[person], channel="email", when=when, note=f"Touch {n}"
        )


def notes(content: str) -> list[int]:
    return [int(n) for n in re.findall(r"Touch (\d+)</p>", content)]


def older_link(content: str) -> str:
    found = re.search(r'<a class="btn" href="([^"]+)"[^>]*>Show older touches</a>', content)
    return unescape(found.group(1)) if found else ""


class TimelinePagingTests:
    def test_the_page_shows_the_newest_fifty_touches_and_a_link_to_older_ones(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Busy Bee")
        log_days(workspace, person, 60)
        content = member_client.get(person_url(person)).content.decode()
        assert notes(content) == list(range(60, 10, -1))
        assert older_link(content).startswith(person_url(person, "person_timeline"))

    def test_htmx_fetches_only_the_older_entries_until_none_are_left(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        person = make_person("Busy Bee")
        log_days(workspace, person, 120)
        first = member_client.get(person_url(person)).content.decode()
        with django_assert_max_num_queries(6):
            second = member_client.get(older_link(first), headers=HTMX).content.decode()
        assert "<html" not in second
        assert notes(second) == list(range(70, 20, -1))
        third = member_client.get(older_link(second), headers=HTMX).content.decode()
        assert notes(third) == list(range(20, 0, -1))
        assert older_link(third) == ""

    def test_touches_at_the_same_moment_are_neither_skipped_nor_repeated(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Busy Bee")
        log_days(workspace, person, 55, same_day=True)
        first = member_client.get(person_url(person)).content.decode()
        second = member_client.get(older_link(first), headers=HTMX).content.decode()
        assert sorted(notes(first) + notes(second)) == list(range(1, 56))

    def test_without_htmx_the_link_opens_the_page_at_the_older_touches(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Busy Bee")
        log_days(workspace, person, 60)
        first = member_client.get(person_url(person)).content.decode()
        page = member_client.get(older_link(first)).content.decode()
        assert "<html" in page
        assert notes(page) == list(range(10, 0, -1))
        assert "Newest touches" in page

    @pytest.mark.parametrize(
        "query",
        [
            "?before=abc&at=2024-01-01T00:00:00%2B00:00",
            "?before=5&at=yesterday",
            "?before=5&at=2024-01-01T00:00:00",
        ],
    )
    def test_a_broken_link_shows_the_newest_touches(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        query: str,
    ) -> None:
        person = make_person("Busy Bee")
        log_days(workspace, person, 3)
        content = member_client.get(person_url(person, "person_timeline") + query).content
        assert notes(content.decode()) == [3, 2, 1]

    def test_another_workspaces_person_is_not_found(
        self, member_client: Client, other_workspace: Workspace
    ) -> None:
        from eyecontact.people.services import person_create

        stranger = person_create(workspace=other_workspace, display_name="Secret Stranger")
        response = member_client.get(person_url(stranger, "person_timeline"), headers=HTMX)
        assert response.status_code == 404


class OrganizationFilterTests:
    def test_the_list_page_does_not_count_organizations(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        make_person("Ada Lovelace", organization="Analytical Engines")
        url = reverse("people_list", kwargs={"slug": workspace.slug})
        member_client.get(url)
        with django_assert_max_num_queries(7):
            content = member_client.get(url).content.decode()
        assert "Analytical Engines</option>" not in content
        assert reverse("organization_suggest", kwargs={"slug": workspace.slug}) in content

    def test_suggestions_list_the_most_common_organizations_first(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Ada Lovelace", organization="Engines")
        make_person("Grace Hopper", organization="Navy")
        make_person("Anita Borg", organization="Navy")
        make_person("Alan Turing")
        url = reverse("organization_suggest", kwargs={"slug": workspace.slug})
        content = member_client.get(url, headers=HTMX).content.decode()
        assert re.findall(r'<option value="([^"]*)">', content) == ["Navy", "Engines"]


def options(html: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the touch form's event picker."""
    select = re.search(r'<select name="event"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))
    return [(value, unescape(label), bool(chosen)) for value, chosen, label in found]


class EventPickerTests:
    def test_offers_what_the_form_offers_newest_first_with_todays_event_picked(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        from django.utils import timezone

        from eyecontact.events.services import event_create
        from eyecontact.web.views.people import touch_form

        today = timezone.localdate()
        old = event_create(workspace=workspace, name="Old & Gold", starts_on=dt.date(2020, 5, 1))
        now = event_create(workspace=workspace, name="Today Expo", starts_on=today)
        html = member_client.get(person_url(make_person("Ada Lovelace"))).content.decode()
        assert options(html) == [
            ("", "No event", False),
            (str(now.pk), "Today Expo", True),
            (str(old.pk), "Old & Gold", False),
        ]
        assert options(html) == options(str(touch_form(workspace)["event"]))

    def test_a_refused_touch_keeps_the_event_picked(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        from eyecontact.events.services import event_create

        person = make_person("Ada Lovelace")
        event = event_create(workspace=workspace, name="Expo", starts_on=dt.date(2020, 5, 1))
        fields = {"channel": "carrier pigeon", "event": event.pk}
        html = member_client.post(person_url(person, "person_touch_new"), fields).content.decode()
        assert (str(event.pk), "Expo", True) in options(html)
