"""Keeping in touch and planning an event, in a real browser on a desktop and on a phone.

This week: snooze one reminder and mark another done, and both leave the list without a page
load. The plan: upload the attendee list, pick someone, tick them as met after the event, and
find the touch on their timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.models import Event
from eyecontact.events.services import event_create
from eyecontact.insights.models import ReminderState
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import connection_add, person_create, touch_log

from .test_golden_path import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def open_nav(page: Page, name: str) -> None:
    """Follows a link of the main menu, unfolding it first on a phone."""
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name)
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    link.click()


def fits_the_screen(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(page.viewport_size and width <= page.viewport_size["width"])


@pytest.fixture
def due(workspace: Workspace) -> tuple[Person, Person]:
    ada = person_create(workspace=workspace, display_name="Ada Lovelace", cadence_days=30)
    grace = person_create(workspace=workspace, display_name="Grace Hopper", cadence_days=30)
    touch_log(workspace=workspace, people=[ada], channel="in_person", when=days_ago(60))
    touch_log(workspace=workspace, people=[grace], channel="phone", when=days_ago(90))
    return ada, grace


class ThisWeekTests:
    def test_snooze_one_reminder_and_mark_another_done(
        self, browser_page: Page, live_server: Any, user: User, due: tuple[Person, Person]
    ) -> None:
        ada, grace = due
        page = browser_page
        log_in(page, live_server, user)
        open_nav(page, "This week")
        expect(page.get_by_role("heading", name="This week", level=1)).to_be_visible()
        reminders = page.locator(".reminders")
        expect(reminders.locator(".reminder")).to_have_count(2)
        expect(reminders).to_contain_text("your goal is every 30 days")

        reminders.get_by_role("button", name="Snooze Ada Lovelace +3 days").click()
        expect(page.get_by_text("Snoozed Ada Lovelace until")).to_be_visible()
        expect(reminders.get_by_role("link", name="Ada Lovelace")).to_have_count(0)

        reminders.get_by_role("button", name="Done: got in touch with Grace Hopper").click()
        expect(page.get_by_text("Done: Grace Hopper comes back")).to_be_visible()
        expect(page.locator(".reminder")).to_have_count(0)
        expect(page.get_by_text("Nobody is due this week.")).to_be_visible()
        # Done means in touch: Grace leaves the fading list too; a snooze does not.
        fading = page.locator(".fading-table")
        expect(fading.get_by_role("link", name="Ada Lovelace")).to_be_visible()
        expect(fading.get_by_role("link", name="Grace Hopper")).to_have_count(0)
        assert fits_the_screen(page)
        state = ReminderState.objects.get(person=ada)
        assert state.snoozed_until == timezone.localdate() + dt.timedelta(days=3)
        assert ReminderState.objects.get(person=grace).done_on == timezone.localdate()

    def test_the_person_page_explains_strength_and_tags_them(
        self, browser_page: Page, live_server: Any, user: User, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        page = browser_page
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{ada.workspace.slug}/people/{ada.pk}/")
        card = page.locator("#keep-person")
        expect(card).to_contain_text("1 in-person meeting, 2 months ago")
        expect(card).to_contain_text("Every 30 days")
        card.get_by_label("Add a tag").fill("Engines")
        card.get_by_role("button", name="Add tag").click()
        expect(card.get_by_text("Tagged Engines.")).to_be_visible()
        card.get_by_role("link", name="Engines").click()
        results = page.locator("#people-results")
        expect(results.get_by_role("link", name="Ada Lovelace")).to_be_visible()
        expect(results.get_by_role("link", name="Grace Hopper")).to_have_count(0)

    def test_done_logs_how_it_happened_and_the_touch_can_be_corrected(
        self, browser_page: Page, live_server: Any, user: User, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        page = browser_page
        log_in(page, live_server, user)
        open_nav(page, "This week")
        reminder = page.locator(".reminder", has_text="Ada Lovelace")
        reminder.get_by_text("Done, and log how…").click()
        reminder.get_by_label("How you got in touch with Ada Lovelace").select_option(label="Phone")
        reminder.get_by_role("button", name="Done and log the touch with Ada Lovelace").click()
        expect(page.get_by_text("Done: Ada Lovelace comes back")).to_contain_text("Logged phone.")
        expect(page.locator(".reminder", has_text="Ada Lovelace")).to_have_count(0)
        assert fits_the_screen(page)
        phone = Touch.objects.get(people=ada, channel="phone")

        # A wrong channel is corrected from the person's timeline.
        page.goto(f"{live_server.url}/w/{ada.workspace.slug}/people/{ada.pk}/")
        page.locator(".timeline").get_by_role("link", name="Edit the phone touch").click()
        expect(page.get_by_role("heading", name="Edit a touch", level=1)).to_be_visible()
        page.locator("label.chip", has_text="Video").click()
        page.get_by_label("Note").fill("It was a video call after all")
        page.get_by_role("button", name="Save touch").click()
        expect(page.get_by_text("Touch saved.")).to_be_visible()
        expect(page.locator(".timeline")).to_contain_text("It was a video call after all")
        phone.refresh_from_db()
        assert (phone.channel, phone.note) == ("video", "It was a video call after all")


ATTENDEES = b"Name,Company,Email\nAda Lovelace,Engines,ada@engines.example\nSomeone Else,Acme,\n"


@pytest.fixture
def expo(workspace: Workspace) -> Event:
    start = timezone.localdate() - dt.timedelta(days=1)
    return event_create(
        workspace=workspace, name="Expo Lisbon", starts_on=start, city="Lisbon", venue="FIL"
    )


class PlanTests:
    def test_upload_attendees_pick_one_and_tick_them_met(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace, expo: Event
    ) -> None:
        ada = person_create(
            workspace=workspace,
            display_name="Ada Lovelace",
            identities=[("email", "ada@engines.example")],
        )
        connection_add(person=ada, network="linkedin", kind="connection")
        page = browser_page
        log_in(page, live_server, user)
        open_nav(page, "Events")
        page.get_by_role("link", name="Expo Lisbon").first.click()
        page.get_by_role("link", name="Plan whom to meet").click()
        expect(page.get_by_role("heading", name="Whom to meet at Expo Lisbon")).to_be_visible()

        page.get_by_label("Attendee list (CSV)").set_input_files(
            {"name": "expo.csv", "mimeType": "text/csv", "buffer": ATTENDEES}
        )
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("You know 1 of them.")).to_be_visible()
        expect(page.get_by_role("heading", name="Turn online into real (1)")).to_be_visible()

        page.get_by_role("button", name="Pick Ada Lovelace").click()
        expect(page.get_by_role("heading", name="Your plan (1)")).to_be_visible()
        expect(page.get_by_role("button", name="Take Ada Lovelace off the plan")).to_be_visible()

        met = page.locator(".met-form")
        met.get_by_label("Ada Lovelace").check()
        met.get_by_role("button", name="Log the touches").click()
        expect(page.get_by_text("Logged 1 in-person touch at Expo Lisbon.")).to_be_visible()
        assert fits_the_screen(page)

        page.locator(".plan-side").get_by_role("link", name="Ada Lovelace").first.click()
        expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
        expect(page.locator(".timeline").get_by_text("Met at Expo Lisbon")).to_be_visible()
        assert Touch.objects.filter(event=expo, channel="in_person", people=ada).count() == 1

    def test_a_bad_attendee_list_is_refused_naming_the_line(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace, expo: Event
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{workspace.slug}/events/{expo.pk}/plan/")
        page.get_by_label("Attendee list (CSV)").set_input_files(
            {"name": "badges.csv", "mimeType": "text/csv", "buffer": b"Company,Phone\nAcme,1\n"}
        )
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_text("badges.csv, line 1: expected a header")).to_be_visible()
        assert not expo.attendees.exists()
