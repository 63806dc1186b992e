"""The follow churn page in a real browser, on a desktop and on a phone.

Three days of X lists make one churner, who is in the ledger: the page draws the timeline,
names the churner with the day of each step, switches lists in place, and records a list
uploaded with its date, refusing a file that is not one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.networks.models import FollowSnapshot
from eyecontact.networks.snapshots import snapshot_record
from eyecontact.people.services import identity_add, person_create

from .test_golden_path import log_in
from .test_keep import fits_the_screen, open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 103 follows in January, is followed back by February, and has left by March.
LISTS = {
    dt.date(2025, 1, 1): ([101, 103, 104], [102]),
    dt.date(2025, 2, 1): ([101, 103, 104, 105], [102, 103]),
    dt.date(2025, 3, 1): ([101, 104, 105], [102, 103]),
}


@pytest.fixture
def churn(workspace: Workspace) -> Workspace:
    for day, (followers, following) in LISTS.items():
        snapshot_record(workspace=workspace, kind="follower", taken_on=day, account_ids=followers)
        snapshot_record(workspace=workspace, kind="following", taken_on=day, account_ids=following)
    chris = person_create(workspace=workspace, display_name="Chris Churner")
    identity_add(person=chris, kind="x", value="id:103")
    return workspace


def console_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    return errors


class ChurnPageTests:
    def test_the_page_shows_the_churner_with_their_dates_and_the_timeline(
        self, browser_page: Page, live_server: Any, user: User, churn: Workspace
    ) -> None:
        page = browser_page
        errors = console_errors(page)
        log_in(page, live_server, user)
        open_nav(page, "Churn")
        expect(page.get_by_role("heading", name="Follow churn on X", level=1)).to_be_visible()

        timeline = page.locator(
            "section", has=page.get_by_role("heading", name="Followers and following over time")
        )
        chart = timeline.locator("svg.chart")
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 60
        expect(chart.locator("polyline")).to_have_count(2)

        lists = page.locator("#churn-list")
        row = lists.locator("tr", has=page.get_by_role("link", name="Chris Churner"))
        row.scroll_into_view_if_needed()
        expect(row).to_be_visible()
        expect(row).to_contain_text("already at the first list")
        expect(row).to_contain_text("1 Feb 2025")
        expect(row).to_contain_text("1 Mar 2025")
        assert fits_the_screen(page)

        # Another list swaps in place, and the address follows it.
        lists.get_by_role("link", name="Not followed back").click()
        expect(lists.get_by_role("heading", name="Not followed back")).to_be_visible()
        expect(lists.get_by_role("link", name="X account 101")).to_be_visible()
        expect(lists.get_by_role("link", name="Chris Churner")).to_have_count(0)
        assert "list=they_follow_only" in page.url
        assert fits_the_screen(page)

        with page.expect_download() as download:
            lists.get_by_role("link", name="Download CSV").click()
        assert download.value.suggested_filename == "x-they-follow-only.csv"
        assert not errors, errors

    def test_a_list_uploaded_with_its_date_is_recorded_and_a_wrong_file_refused(
        self, browser_page: Page, live_server: Any, user: User, churn: Workspace
    ) -> None:
        page = browser_page
        errors = console_errors(page)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{churn.slug}/churn/")
        form = page.locator("form.churn-upload")

        form.get_by_label("Following", exact=True).check()
        form.get_by_label("Day of the list").fill("2025-04-01")
        form.get_by_label("List file").set_input_files(
            {"name": "notes.csv", "mimeType": "text/csv", "buffer": b"Title,Body\nHi,there\n"}
        )
        form.get_by_role("button", name="Record the list").click()
        expect(page.locator(".errorlist")).to_contain_text("notes.csv")
        assert not FollowSnapshot.objects.filter(workspace=churn, taken_on="2025-04-01").exists()
        assert fits_the_screen(page)

        form = page.locator("form.churn-upload")
        form.get_by_label("Following", exact=True).check()
        form.get_by_label("Day of the list").fill("2025-04-01")
        form.get_by_label("List file").set_input_files(
            {"name": "following.txt", "mimeType": "text/plain", "buffer": b"102\n"}
        )
        form.get_by_role("button", name="Record the list").click()
        expect(
            page.get_by_text("Recorded following.txt: 1 following on 2025-04-01.")
        ).to_be_visible()
        stored = page.locator("section", has=page.get_by_role("heading", name="Stored lists"))
        expect(stored).to_contain_text("Following on 1 Apr 2025: 1 account")
        # Unfollowing 103 after they left is not churn, so the churner stays.
        expect(
            page.locator("#churn-list").get_by_role("link", name="Chris Churner")
        ).to_be_visible()
        assert not errors, errors
