"""The vetting page, vouching for a connection, and the connection-request screener."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import AuditEntry, Workspace
from eyecontact.networks.vetting import Status
from eyecontact.people.models import Connection, Person, Touch
from eyecontact.people.services import connection_add, identity_add, person_create, touch_log
from eyecontact.web.forms_vetting import FUTURE_DAY, NOTHING_TO_SCREEN

NEVER_MET = {"HX-Request": "true", "HX-Target": "never-met"}
ANSWER = {"HX-Request": "true", "HX-Target": "screen-answer"}

pytestmark = pytest.mark.django_db


def url(workspace: Workspace, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


def connect(
    workspace: Workspace,
    name: str,
    *,
    organization: str = "",
    network: str = "linkedin",
    on: dt.date | None = dt.date(2020, 5, 1),
    met: dt.date | None = None,
    messages: int = 0,
) -> Connection:
    person = person_create(workspace=workspace, display_name=name, organization=organization)
    kind = "friend" if network == "facebook" else "connection"
    connection = connection_add(person=person, network=network, kind=kind, connected_on=on)
    if met is not None:
        touch_log(workspace=workspace, people=[person], channel="in_person", when=met)
    for day in range(messages):
        touch_log(
            workspace=workspace, people=[person], channel="message", when=dt.date(2024, 1, day + 1)
        )
    return connection


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def network(workspace: Workspace) -> Workspace:
    """LinkedIn: one met before connecting, one after, two never; Facebook: one never."""
    connect(
        workspace,
        "Ada Before",
        organization="Engines",
        on=dt.date(2019, 6, 1),
        met=dt.date(2019, 5, 1),
    )
    connect(
        workspace, "Bo After", organization="Navy", on=dt.date(2019, 6, 1), met=dt.date(2021, 1, 1)
    )
    connect(workspace, "Cy Never", organization="Engines", on=dt.date(2023, 2, 1), messages=3)
    connect(workspace, "Di Never", organization="Kernel", on=dt.date(2024, 3, 1))
    connect(workspace, "Ed Friend", network="facebook", on=dt.date(2024, 7, 1))
    return workspace


class VettingPageTests:
    def test_shows_the_shares_per_network_the_trend_and_the_never_met(
        self, member_client: Client, network: Workspace
    ) -> None:
        response = member_client.get(url(network, "vetting"))
        content = response.content.decode()
        assert response.status_code == 200
        assert content.count('<div class="chart chart-bars"') == 2
        # LinkedIn: 4 connections, 1 met before (25%), 1 after, 2 never (50%).
        assert '<th scope="row">LinkedIn</th>' in content
        assert '<td class="num" data-label="Connections">4</td>' in content
        assert '<td class="num" data-label="Never met">2 <span class="muted">(50%)</span></td>' in (
            content
        )
        assert '<th scope="row">2019</th>' in content
        never = [c.person.display_name for c in response.context["page"].object_list]
        assert never == ["Ed Friend", "Cy Never", "Di Never"]  # by family name
        for name in ("vetting_summary_csv", "vetting_trend_csv", "vetting_never_met_csv"):
            assert url(network, name) in content

    def test_each_status_has_one_colour_in_both_charts_and_a_key(
        self, member_client: Client, network: Workspace
    ) -> None:
        """The by-year chart leaves out "met, date unknown": the others keep their colours."""
        content = member_client.get(url(network, "vetting")).content.decode()
        summary, trend = re.findall(r'<div class="chart chart-bars".*?</figure>', content, re.S)
        keys = re.findall(r'<ul class="chart-key".*?</ul>', content)
        assert len(keys) == 2

        bars = r'background: (#[0-9A-Fa-f]{6}); color: #[0f]{3}" title="([^:<]+):'
        assert re.findall(bars, summary) and re.findall(bars, trend)
        by_status: dict[str, set[str]] = {}
        for chart in (summary, trend):
            for colour, label in re.findall(bars, chart):
                by_status.setdefault(label, set()).add(colour)
        swatch = r'background: (#[0-9A-Fa-f]{6})"[^>]*></span>([^<]+)</li>'
        for key in keys:
            for colour, label in re.findall(swatch, key):
                by_status.setdefault(label, set()).add(colour)
        assert set(by_status) == set(Status.LABELS.values())
        assert all(len(found) == 1 for found in by_status.values()), by_status
        assert len({next(iter(found)) for found in by_status.values()}) == 4
        assert "Met, date unknown" not in keys[1]
        assert all(label in keys[0] for label in Status.LABELS.values())

    def test_a_workspace_without_connections_is_told_how_to_start(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(url(workspace, "vetting"))
        assert b"No connections to vet yet" in response.content
        assert url(workspace, "import_new").encode() in response.content

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({"network": "facebook"}, ["Ed Friend"]),
            ({"organization": "engines"}, ["Cy Never"]),
            ({"year": "2024"}, ["Ed Friend", "Di Never"]),
            ({"network": "linkedin", "year": "2024"}, ["Di Never"]),
            ({"network": "myspace", "year": "soon"}, ["Ed Friend", "Cy Never", "Di Never"]),
        ],
    )
    def test_the_never_met_list_filters_by_network_organization_and_year(
        self,
        member_client: Client,
        network: Workspace,
        filters: dict[str, str],
        expected: list[str],
    ) -> None:
        response = member_client.get(url(network, "vetting"), filters, headers=NEVER_MET)
        assert b"<h1>" not in response.content  # only the list, swapped in place
        names = [c.person.display_name for c in response.context["page"].object_list]
        assert names == expected

    @pytest.mark.parametrize(
        ("sort", "first"),
        [("-ties", "Cy Never"), ("organization", "Ed Friend"), ("-connected", "Ed Friend")],
    )
    def test_the_never_met_list_sorts(
        self, member_client: Client, network: Workspace, sort: str, first: str
    ) -> None:
        response = member_client.get(url(network, "vetting"), {"sort": sort}, headers=NEVER_MET)
        assert response.context["page"].object_list[0].person.display_name == first

    def test_the_csv_lists_the_never_met_with_the_same_filters(
        self, member_client: Client, network: Workspace
    ) -> None:
        response = member_client.get(url(network, "vetting_never_met_csv"), {"year": "2024"})
        assert response["Content-Type"] == "text/csv"
        rows = csv_rows(response)
        assert rows[0][:2] == ["name", "organization"]
        assert [row[0] for row in rows[1:]] == ["Ed Friend", "Di Never"]

    def test_the_numbers_behind_the_charts_download_as_csv(
        self, member_client: Client, network: Workspace
    ) -> None:
        networks = csv_rows(member_client.get(url(network, "vetting_summary_csv")))
        assert networks[0] == [
            "network",
            "total",
            "met_before",
            "met_after",
            "met_date_unknown",
            "never",
        ]
        assert ["LinkedIn", "4", "1", "1", "0", "2"] in networks
        years = csv_rows(member_client.get(url(network, "vetting_trend_csv")))
        assert years[0][0] == "year"
        assert ["2019", "2", "1", "1", "0", "0", "1.0"] in years

    def test_pages_through_many_connections_with_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(60):
            connect(
                workspace,
                f"Person {n:03d}",
                organization=f"Org {n % 5}",
                on=dt.date(2015 + n % 8, 1, 1),
            )
        member_client.get(url(workspace, "vetting"))
        with django_assert_max_num_queries(10):
            response = member_client.get(url(workspace, "vetting"))
        assert len(response.context["page"].object_list) == 50
        assert b"Page 1 of 2" in response.content
        with django_assert_max_num_queries(5):
            member_client.get(url(workspace, "vetting"), {"page": "2"}, headers=NEVER_MET)


class VouchTests:
    def test_vouching_logs_the_meeting_and_replaces_the_row(
        self, member_client: Client, network: Workspace
    ) -> None:
        connection = Connection.objects.get(person__display_name="Di Never")
        response = member_client.post(
            url(network, "connection_vouch", connection_pk=connection.pk),
            {"day": "2014-09-12", "where": "A dinner in Lisbon", "note": "Sat next to each other"},
            headers={"HX-Request": "true"},
        )
        content = response.content.decode()
        assert content.strip().startswith(f'<tr id="never-{connection.pk}" class="vouched-row">')
        assert "Vouched" in content
        assert "A dinner in Lisbon" in content
        touch = Touch.objects.get(people=connection.person)
        assert touch.channel == "in_person"
        assert timezone.localdate(touch.occurred_at) == dt.date(2014, 9, 12)
        assert touch.where == "A dinner in Lisbon"
        never = member_client.get(url(network, "vetting"), headers=NEVER_MET)
        assert "Di Never" not in [c.person.display_name for c in never.context["page"].object_list]

    def test_without_htmx_vouching_returns_to_the_filtered_list(
        self, member_client: Client, network: Workspace
    ) -> None:
        connection = Connection.objects.get(person__display_name="Ed Friend")
        response = member_client.post(
            url(network, "connection_vouch", connection_pk=connection.pk),
            {"day": "2014-09-12", "back": "network=facebook&year=2024"},
        )
        assert response.status_code == 302
        assert response["Location"] == url(network, "vetting") + "?network=facebook&year=2024"

    def test_a_return_address_that_is_not_a_query_is_ignored(
        self, member_client: Client, network: Workspace
    ) -> None:
        connection = Connection.objects.get(person__display_name="Ed Friend")
        response = member_client.post(
            url(network, "connection_vouch", connection_pk=connection.pk),
            {"day": "2014-09-12", "back": "x=1\r\nLocation: https://elsewhere.example/"},
        )
        assert response["Location"] == url(network, "vetting")

    @pytest.mark.parametrize(
        ("day", "message"),
        [
            ("2999-01-01", FUTURE_DAY),
            ("not a day", "Enter a valid date."),
            ("", "This field is required."),
        ],
    )
    def test_a_day_that_cannot_be_is_refused_and_nothing_saved(
        self, member_client: Client, network: Workspace, day: str, message: str
    ) -> None:
        connection = Connection.objects.get(person__display_name="Di Never")
        vouch = url(network, "connection_vouch", connection_pk=connection.pk)
        response = member_client.post(vouch, {"day": day})
        assert response.status_code == 200
        assert message in response.context["form"].errors["day"]
        assert b"When did you meet Di Never?" in response.content
        htmx = member_client.post(vouch, {"day": day}, headers={"HX-Request": "true"})
        assert f'<tr id="never-{connection.pk}">' in htmx.content.decode()
        assert b'<details class="vouch" open>' in htmx.content
        assert not Touch.objects.filter(people=connection.person).exists()

    def test_the_vouch_page_has_a_form_of_its_own(
        self, member_client: Client, network: Workspace
    ) -> None:
        connection = Connection.objects.get(person__display_name="Di Never")
        response = member_client.get(url(network, "connection_vouch", connection_pk=connection.pk))
        assert (
            f'<label for="vouch{connection.pk}-day">Day you met</label>'
            in response.content.decode()
        )


class ScreenTests:
    def test_a_known_profile_url_of_someone_met_answers_met_with_the_touch(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        person = person_create(
            workspace=workspace, display_name="Grace Hopper", organization="Navy"
        )
        identity_add(
            person=person, kind="linkedin", value="https://www.linkedin.com/in/grace-hopper"
        )
        touch_log(
            workspace=workspace,
            people=[person],
            channel="in_person",
            when=dt.date(2025, 4, 3),
            where="COBOL meetup",
            note="Talked compilers",
        )
        response = member_client.get(
            url(workspace, "screen"),
            {"url": "linkedin.com/in/grace-hopper/", "name": "Grace H."},
            headers=ANSWER,
        )
        content = response.content.decode()
        assert "<h1>" not in content
        assert "You have met Grace Hopper" in content
        assert "3 Apr 2025" in content
        assert "COBOL meetup" in content
        assert "Talked compilers" in content
        assert "Accept: you have met." in content
        assert url(workspace, "person_detail", person_pk=person.pk) in content

    def test_a_name_alone_lists_the_candidates_with_their_evidence(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        first = person_create(workspace=workspace, display_name="Maria Garcia", organization="Acme")
        second = person_create(
            workspace=workspace, display_name="Maria Garcia", organization="Beta"
        )
        touch_log(
            workspace=workspace, people=[first], channel="in_person", when=dt.date(2024, 1, 1)
        )
        response = member_client.get(
            url(workspace, "screen"), {"name": "Maria Garcia"}, headers=ANSWER
        )
        answer = response.context["answer"]
        assert answer.verdict == "probably_met"
        content = response.content.decode()
        assert "You have probably met" in content
        for person in (first, second):
            assert url(workspace, "person_detail", person_pk=person.pk) in content
        for candidate in answer.candidates:
            for line in candidate.evidence:
                assert line in content
        assert "Check the candidates" in content

    def test_namesakes_never_met_are_known_online_never_met(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        for organization in ("Alpha", "Beta"):
            person_create(
                workspace=workspace, display_name="Maria Garcia", organization=organization
            )
        response = member_client.get(
            url(workspace, "screen"), {"name": "Maria Garcia"}, headers=ANSWER
        )
        content = response.content.decode()
        assert response.context["answer"].verdict == "never_met"
        assert "Known online, never met" in content
        assert "You have probably met" not in content
        assert "Who it may be" in content and content.count("Never met</span>") == 2
        assert "Decline, or meet first" in content

    def test_a_stranger_is_never_met_and_declined_by_default(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(
            url(workspace, "screen"), {"name": "Totally Unknown", "organization": "Nowhere"}
        )
        content = response.content.decode()
        assert "You have never met" in content
        assert "Decline, or meet first" in content
        assert 'value="Totally Unknown"' in content  # the form keeps what was typed

    def test_an_empty_request_asks_for_a_name_or_link(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(
            url(workspace, "screen"), {"organization": "Acme"}, headers=ANSWER
        )
        assert NOTHING_TO_SCREEN in response.content.decode()
        assert response.context["answer"] is None

    def test_the_policy_is_saved_and_changes_the_advice(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(url(workspace, "screen_policy"), {"screen_policy": "anyone"})
        assert response["Location"] == url(workspace, "screen")
        workspace.refresh_from_db()
        assert workspace.screen_policy == Workspace.ScreenPolicy.ANYONE
        assert AuditEntry.objects.filter(action="workspace.screen_policy").exists()
        answer = member_client.get(
            url(workspace, "screen"), {"name": "Totally Unknown"}, headers=ANSWER
        )
        assert b"Your policy accepts anyone." in answer.content
        page = member_client.get(url(workspace, "screen")).content.decode()
        assert re.search(
            r'<input type="radio" name="screen_policy" value="anyone"[^>]* checked', page
        )
        assert not re.search(r'value="high_touch"[^>]* checked', page)

    def test_an_unknown_policy_is_refused(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(
            url(workspace, "screen_policy"), {"screen_policy": "everyone!"}
        )
        assert response.status_code == 400
        assert response.context["policy_form"].errors["screen_policy"]
        workspace.refresh_from_db()
        assert workspace.screen_policy == Workspace.ScreenPolicy.HIGH_TOUCH
        assert not Person.objects.exists()
