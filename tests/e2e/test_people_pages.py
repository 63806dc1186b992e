"""The people pages' on-demand parts in a real browser: older touches, organization suggestions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.people.services import person_create, touch_log

from .test_golden_path import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class PeoplePagesTests:
    def test_older_touches_load_a_page_at_a_time_until_none_are_left(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace
    ) -> None:
        person = person_create(workspace=workspace, display_name="Busy Bee")
        for day in range(1, 61):
            when = dt.date(2024, 1, 1) + dt.timedelta(days=day)
            touch_log(workspace=workspace, people=[person], channel="email", when=when)
        page = browser_page
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{workspace.slug}/people/{person.pk}/")
        entries = page.locator("ol.timeline > li.touch")
        expect(entries).to_have_count(50)
        page.get_by_role("link", name="Show older touches").click()
        expect(entries).to_have_count(60)
        expect(page.get_by_role("link", name="Show older touches")).to_have_count(0)
        expect(page).to_have_url(f"{live_server.url}/w/{workspace.slug}/people/{person.pk}/")

    def test_the_organization_filter_suggests_organizations_once_focused(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace
    ) -> None:
        person_create(workspace=workspace, display_name="Grace Hopper", organization="Navy")
        person_create(workspace=workspace, display_name="Ada Lovelace", organization="Engines")
        page = browser_page
        log_in(page, live_server, user)
        suggestions = page.locator("#people-organizations option")
        expect(suggestions).to_have_count(0)
        organization = page.get_by_label("Organization")
        organization.focus()
        expect(suggestions).to_have_count(2)
        organization.fill("Navy")
        organization.press("Enter")
        results = page.locator("#people-results")
        expect(results.get_by_role("link", name="Ada Lovelace")).to_have_count(0)
        expect(results.get_by_role("link", name="Grace Hopper")).to_be_visible()
