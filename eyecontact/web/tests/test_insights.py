"""The insights page: the value of face-to-face in the user's own data, with every chart's CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import Workspace
from eyecontact.events.services import event_create
from eyecontact.people.models import Person
from eyecontact.people.services import connection_add, touch_log
from eyecontact.web.views.insights import CHARTS

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]


def page_url(workspace: Workspace) -> str:
    return reverse("insights", kwargs={"slug": workspace.slug})


def csv_url(workspace: Workspace, chart: str) -> str:
    return reverse("insights_csv", kwargs={"slug": workspace.slug, "chart": chart})


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def ledger(workspace: Workspace, make_person: MakePerson) -> Workspace:
    """Met over coffee at an event and still in touch; met online and gone quiet."""
    summit = event_create(
        workspace=workspace,
        name="Lisbon Summit",
        starts_on=timezone.localdate() - dt.timedelta(700),
    )
    for n in range(3):
        met = make_person(f"Met Person{n}")
        touch_log(
            workspace=workspace,
            people=[met],
            channel="in_person",
            when=days_ago(700),
            event=summit,
        )
        touch_log(workspace=workspace, people=[met], channel="email", when=days_ago(20))
        connection_add(
            person=met,
            network="linkedin",
            kind="connection",
            connected_on=timezone.localdate() - dt.timedelta(690),
        )
    for n in range(2):
        online = make_person(f"Online Person{n}")
        touch_log(workspace=workspace, people=[online], channel="message", when=days_ago(900))
        connection_add(
            person=online,
            network="linkedin",
            kind="connection",
            connected_on=timezone.localdate() - dt.timedelta(900),
        )
    return workspace


def rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


class InsightsPageTests:
    def test_the_page_draws_every_chart_with_a_csv_link(
        self, member_client: Client, ledger: Workspace
    ) -> None:
        response = member_client.get(page_url(ledger))
        assert response.status_code == 200
        page = response.content.decode()
        assert len(re.findall(r'<(?:svg|div) class="chart[ "]', page)) == len(CHARTS)
        for chart in CHARTS:
            assert csv_url(ledger, chart) in page
        assert "Began face to face" in page and "Began online" in page
        assert "100%</strong> still active after a year" in page

    def test_the_nav_links_to_insights(self, member_client: Client, workspace: Workspace) -> None:
        page = member_client.get(reverse("people_list", kwargs={"slug": workspace.slug}))
        assert f'href="{page_url(workspace)}"'.encode() in page.content

    def test_an_empty_workspace_says_there_is_not_enough_data(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        page = member_client.get(page_url(workspace)).content.decode()
        assert not re.findall(r'<(?:svg|div) class="chart[ "]', page)
        assert page.count("Not enough data yet.") == len(CHARTS)

    def test_the_page_reads_a_pinned_number_of_queries(
        self,
        member_client: Client,
        ledger: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(30):
            person = make_person(f"Extra Person{n}")
            touch_log(workspace=ledger, people=[person], channel="phone", when=days_ago(n + 1))
        member_client.get(page_url(ledger))
        with django_assert_max_num_queries(14):
            assert member_client.get(page_url(ledger)).status_code == 200


class InsightsCsvTests:
    def test_the_survival_csv_has_each_groups_curve(
        self, member_client: Client, ledger: Workspace
    ) -> None:
        response = member_client.get(csv_url(ledger, "survival"))
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="eyecontact-survival.csv"' in response["Content-Disposition"]
        table = rows(response.content)
        assert table[0] == ["group", "day", "share_active", "at_risk"]
        assert ["Began face to face", "0", "1.0", "3"] in table
        assert {row[0] for row in table[1:]} == {"Began face to face", "Began online"}

    def test_the_touches_and_two_way_csvs_compare_the_groups(
        self, member_client: Client, ledger: Workspace
    ) -> None:
        touches = rows(member_client.get(csv_url(ledger, "touches")).content)
        assert [row[:2] for row in touches] == [
            ["group", "relationships"],
            ["Began face to face", "3"],
            ["Began online", "2"],
        ]
        two_way = rows(member_client.get(csv_url(ledger, "two_way")).content)
        assert two_way[1] == ["Began face to face", "3", "3", "1.0"]

    def test_the_vetted_and_funnel_csvs_hold_their_numbers(
        self, member_client: Client, ledger: Workspace
    ) -> None:
        vetted = rows(member_client.get(csv_url(ledger, "vetted")).content)
        assert vetted[0] == [
            "year",
            "total",
            "met_before",
            "met_after",
            "met_date_unknown",
            "never",
            "met_share",
        ]
        assert sum(int(row[1]) for row in vetted[1:]) == 5
        funnel = rows(member_client.get(csv_url(ledger, "funnel")).content)
        assert funnel[0] == [
            "event",
            "starts_on",
            "conversations",
            "connections",
            "active_a_year_later",
        ]
        assert funnel[1][0] == "Lisbon Summit"
        assert funnel[1][2:] == ["3", "3", "3"]

    def test_another_workspaces_numbers_are_not_found(
        self, member_client: Client, other_workspace: Workspace
    ) -> None:
        assert member_client.get(csv_url(other_workspace, "survival")).status_code == 404
