"""The insights page in a real browser: every chart draws, fits a phone, and throws no errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.services import event_create
from eyecontact.people.services import connection_add, person_create, touch_log
from eyecontact.web.views.insights import CHARTS

from .test_golden_path import log_in
from .test_keep import fits_the_screen, open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def ledger(workspace: Workspace) -> Workspace:
    summit = event_create(
        workspace=workspace,
        name="Lisbon Summit",
        starts_on=timezone.localdate() - dt.timedelta(500),
    )
    for n in range(4):
        met = person_create(workspace=workspace, display_name=f"Met Person{n}")
        touch_log(
            workspace=workspace, people=[met], channel="in_person", when=days_ago(500), event=summit
        )
        touch_log(workspace=workspace, people=[met], channel="phone", when=days_ago(30 * n + 5))
        connection_add(
            person=met,
            network="linkedin",
            kind="connection",
            connected_on=timezone.localdate() - dt.timedelta(400 + n),
        )
    for n in range(3):
        online = person_create(workspace=workspace, display_name=f"Online Person{n}")
        touch_log(workspace=workspace, people=[online], channel="message", when=days_ago(800))
        connection_add(
            person=online,
            network="linkedin",
            kind="connection",
            connected_on=timezone.localdate() - dt.timedelta(800),
        )
    return workspace


class InsightsPageTests:
    def test_every_chart_draws_and_fits_the_screen(
        self, browser_page: Page, live_server: Any, user: User, ledger: Workspace
    ) -> None:
        page = browser_page
        console_errors: list[str] = []

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                console_errors.append(message.text)

        page.on("console", on_console)
        log_in(page, live_server, user)
        open_nav(page, "Insights")
        expect(page.get_by_role("heading", name="The value of face-to-face")).to_be_visible()
        charts = page.locator("svg.chart, .chart-bars")
        expect(charts).to_have_count(len(CHARTS))
        for index in range(len(CHARTS)):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 40
        for title in CHARTS.values():
            link = page.get_by_role("link", name=f"Download the numbers of “{title}” as CSV")
            expect(link).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role(
                "link", name=f"Download the numbers of “{CHARTS['survival']}” as CSV"
            ).click()
        assert download.value.suggested_filename == "eyecontact-survival.csv"
        assert fits_the_screen(page)
        assert not console_errors, console_errors
