"""The golden path a user relies on, in a real browser on a desktop and on a phone.

Log in, find a person by typing in the search box, open them, log an in-person touch at an
event, and see it on their timeline and on the event's page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.selectors import workspaces_for_user
from eyecontact.events.services import event_create
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(workspace: Workspace) -> Workspace:
    person_create(workspace=workspace, display_name="Ada Lovelace", organization="Engines")
    person_create(workspace=workspace, display_name="Grace Hopper", organization="Navy")
    person_create(workspace=workspace, display_name="Linus Torvalds", organization="Kernel")
    today = timezone.localdate()
    event_create(workspace=workspace, name="PyCon Berlin", starts_on=today - dt.timedelta(days=1))
    event_create(workspace=workspace, name="Expo Lisbon", starts_on=today - dt.timedelta(days=30))
    return workspace


def log_in(page: Page, live_server: Any, user: User) -> None:
    """Logs in from the home page, lands on today's plan, and opens the people list."""
    page.goto(f"{live_server.url}/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    workspace = workspaces_for_user(user=user).first()
    assert workspace is not None
    page.goto(f"{live_server.url}{reverse('people_list', kwargs={'slug': workspace.slug})}")
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()


class GoldenPathTests:
    def test_find_a_person_log_a_touch_at_an_event_and_see_it_everywhere(
        self, browser_page: Page, live_server: Any, user: User, ledger: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)

        # Search as you type: the results narrow without a page load.
        page.get_by_label("Search", exact=True).press_sequentially("lovel", delay=30)
        results = page.locator("#people-results")
        expect(results.get_by_role("link", name="Grace Hopper")).to_have_count(0)
        expect(page).to_have_url(re.compile(r"q=lovel"))
        results.get_by_role("link", name="Ada Lovelace").click()
        expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()

        # Log an in-person touch at the event: big radio buttons, an event select, a note.
        panel = page.locator("#touch-panel")
        panel.get_by_label("Phone").check()
        panel.get_by_label("In person").check()
        expect(panel.get_by_label("Phone")).not_to_be_checked()
        panel.get_by_label("Event").select_option(label="PyCon Berlin")
        panel.get_by_label("Note").fill("Talked about the analytical engine")
        panel.get_by_role("button", name="Save touch").click()
        expect(page.get_by_text("Logged in person with Ada Lovelace.")).to_be_visible()
        timeline = page.locator(".timeline")
        expect(timeline.get_by_text("Talked about the analytical engine")).to_be_visible()
        expect(page.locator("#person-figures")).to_contain_text("Touches1")
        assert Touch.objects.filter(channel="in_person", event__name="PyCon Berlin").count() == 1

        # The event's page lists the touch and the person met there.
        timeline.get_by_role("link", name="PyCon Berlin").click()
        expect(page.get_by_role("heading", name="PyCon Berlin", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="People met here (1)")).to_be_visible()
        expect(page.get_by_text("Talked about the analytical engine")).to_be_visible()
        expect(page.locator(".card").get_by_role("link", name="Ada Lovelace").first).to_be_visible()

    def test_an_invalid_date_is_explained_next_to_the_field_and_nothing_is_saved(
        self, browser_page: Page, live_server: Any, user: User, ledger: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.get_by_label("Who did you meet?").fill("Margaret Hamilton")
        page.get_by_role("button", name="Log touch").click()
        page.get_by_label("Someone new: add “Margaret Hamilton”").check()
        page.get_by_role("button", name="Save touch").click()
        expect(page.get_by_role("heading", name="Margaret Hamilton", level=1)).to_be_visible()
        page.get_by_label("Note").fill("x" * 10_001)
        page.get_by_role("button", name="Save touch").click()
        expect(page.get_by_text("Keep notes under 10,000 characters")).to_be_visible()
        assert Touch.objects.count() == 1

    def test_a_mistyped_name_in_the_header_asks_who_before_saving(
        self, browser_page: Page, live_server: Any, user: User, ledger: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.get_by_label("Who did you meet?").fill("Ada Lovlace")
        page.get_by_role("button", name="Log touch").click()
        expect(page.get_by_text("Who is “Ada Lovlace”?")).to_be_visible()
        assert not Touch.objects.exists()
        assert not Person.objects.filter(display_name="Ada Lovlace").exists()
        page.get_by_label("Ada Lovelace · Engines · never met").check()
        page.get_by_role("button", name="Save touch").click()
        expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
        expect(page.get_by_text("Logged in person with Ada Lovelace.")).to_be_visible()
        assert Touch.objects.get().people.get().display_name == "Ada Lovelace"

    def test_the_phone_menu_folds_away_and_opens(
        self, browser_page: Page, live_server: Any, user: User, ledger: Workspace, viewport: str
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        events = page.get_by_role("navigation", name="Main").get_by_role("link", name="Events")
        if viewport == "phone":
            expect(events).to_be_hidden()
            page.get_by_role("button", name="Menu").click()
        events.click()
        expect(page.get_by_role("heading", name="Events", level=1)).to_be_visible()
        # One column on a phone: nothing is wider than the screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"] if page.viewport_size else True
