"""Vetting and the screener in a real browser, on a desktop and on a phone.

The vetting page shows whom of my connections I have met, and lists the never-met ones to
filter and vouch for; the screener answers "met" for the profile of someone met in person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.people.models import Touch
from eyecontact.people.services import connection_add, identity_add, person_create, touch_log

from .test_imports import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network(workspace: Workspace) -> Workspace:
    grace = person_create(workspace=workspace, display_name="Grace Hopper", organization="Navy")
    identity_add(person=grace, kind="linkedin", value="https://www.linkedin.com/in/grace-hopper")
    connection_add(
        person=grace, network="linkedin", kind="connection", connected_on=dt.date(2019, 6, 1)
    )
    touch_log(
        workspace=workspace,
        people=[grace],
        channel="in_person",
        when=dt.date(2019, 5, 2),
        where="COBOL meetup",
    )
    for name, network, year in (
        ("Cy Stranger", "linkedin", 2023),
        ("Di Distant", "linkedin", 2024),
        ("Ed Faraway", "facebook", 2024),
    ):
        person = person_create(workspace=workspace, display_name=name, organization="Elsewhere")
        kind = "friend" if network == "facebook" else "connection"
        connection_add(person=person, network=network, kind=kind, connected_on=dt.date(year, 3, 1))
    return workspace


class VettingPagesTests:
    def test_see_the_shares_filter_the_never_met_and_vouch_for_one(
        self, browser_page: Page, live_server: Any, user: User, network: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{network.slug}/vetting/")
        expect(page.get_by_role("heading", name="Vetting", level=1)).to_be_visible()
        shares = page.locator("section", has=page.get_by_role("heading", name="Per network"))
        expect(shares.locator(".chart-bars")).to_be_visible()
        expect(shares.locator("tbody tr", has_text="LinkedIn")).to_contain_text("2 (67%)")
        # A key under each chart, one colour per status in both charts.
        trend = page.locator("section", has=page.get_by_role("heading", name="By year connected"))
        for section in (shares, trend):
            key = section.locator(".chart-key")
            expect(key).to_be_visible()
            expect(key).to_contain_text("Never met")
            never_swatch = key.locator("li", has_text="Never met").locator(".chart-swatch")
            colour = never_swatch.evaluate("e => getComputedStyle(e).backgroundColor")
            never_bar = section.locator('.chart-bars .bars-part[title^="Never met:"]')
            fill = never_bar.first.evaluate("e => getComputedStyle(e).backgroundColor")
            assert colour == fill == "rgb(213, 94, 0)"

        never = page.locator("#never-met")
        for name in ("Cy Stranger", "Di Distant", "Ed Faraway"):
            expect(never.get_by_role("link", name=name)).to_be_visible()
        expect(never.get_by_role("link", name="Grace Hopper")).to_have_count(0)

        # Filtering swaps the list in place.
        page.get_by_label("Network", exact=True).select_option(label="Facebook")
        expect(never.get_by_role("link", name="Cy Stranger")).to_have_count(0)
        expect(never.get_by_role("link", name="Ed Faraway")).to_be_visible()

        # Vouch: "met at a dinner in 2014".
        row = never.locator("tr", has_text="Ed Faraway")
        row.get_by_text("I met them…").click()
        row.get_by_label("Day you met").fill("2014-09-12")
        row.get_by_label("Where").fill("A dinner in Lisbon")
        row.get_by_role("button", name="Vouch for Ed Faraway").click()
        expect(never.locator("tr.vouched-row")).to_contain_text("A dinner in Lisbon")
        assert Touch.objects.filter(people__display_name="Ed Faraway", channel="in_person").exists()

    def test_the_screener_answers_met_for_the_profile_of_someone_met(
        self, browser_page: Page, live_server: Any, user: User, network: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{network.slug}/screen/")
        page.get_by_label("Name", exact=True).fill("Grace H.")
        page.get_by_label("Profile URL, handle or e-mail").fill(
            "https://www.linkedin.com/in/grace-hopper/"
        )
        page.get_by_role("button", name="Check").click()
        answer = page.locator("#screen-answer")
        expect(answer.get_by_role("heading", name="You have met Grace Hopper")).to_be_visible()
        expect(answer).to_contain_text("COBOL meetup")
        expect(answer).to_contain_text("Accept: you have met.")
        # Answered in place: the page did not reload.
        assert "url=" not in page.url

        page.get_by_label("Accept anyone").check()
        page.get_by_role("button", name="Save policy").click()
        expect(page.get_by_text("Screening policy: Accept anyone.")).to_be_visible()
