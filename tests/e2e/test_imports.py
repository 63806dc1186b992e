"""Importing exports in a real browser, on a desktop and on a phone.

Upload a LinkedIn export and a Facebook one through the page, read the summary, decide the
possible duplicate the two bring, and undo an import; and follow a large import's progress bar
while it runs in the background.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.background.worker import Worker
from eyecontact.imports.models import ImportBatch
from eyecontact.people.models import MatchReview, Person
from eyecontact.people.services import person_create
from eyecontact.web.views import imports as import_views

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURES = Path(__file__).parent / "fixtures"


def log_in(page: Page, live_server: Any, user: User) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))


def import_through_the_page(page: Page, live_server: Any, workspace: Workspace, name: str) -> None:
    page.goto(f"{live_server.url}/w/{workspace.slug}/imports/")
    page.get_by_role("link", name="Import a file").first.click()
    page.get_by_label("Export file").set_input_files(str(FIXTURES / name))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(f"Imported {name}.")).to_be_visible()


class ImportPagesTests:
    def test_import_two_exports_decide_a_match_and_undo_an_import(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)

        import_through_the_page(page, live_server, workspace, "Connections.csv")
        expect(page.get_by_role("heading", name="Connections.csv", level=1)).to_be_visible()
        people = Person.objects.filter(workspace=workspace).count()
        expect(page.locator(".import-figures")).to_contain_text(f"New people{people}")

        import_through_the_page(page, live_server, workspace, "your_friends.json")
        expect(page.locator(".import-summary")).to_contain_text("Facebook friends")
        reviews = MatchReview.objects.filter(workspace=workspace, status="open").count()
        assert reviews > 0

        # The possible duplicates, side by side: say one pair is two different people.
        page.get_by_role("link", name="Review possible duplicates").click()
        expect(page.get_by_role("heading", name="Possible duplicates", level=1)).to_be_visible()
        first = page.locator("article.review").first
        expect(first.locator(".review-side")).to_have_count(2)
        expect(first).to_contain_text("% alike")
        first.get_by_role("button", name="Not the same person").click()
        expect(page.get_by_text("apart for good")).to_be_visible()
        assert MatchReview.objects.filter(status="rejected").count() == 1

        # Undo the Facebook import, after a confirmation.
        facebook = ImportBatch.objects.get(file_name="your_friends.json")
        page.goto(f"{live_server.url}/w/{workspace.slug}/imports/{facebook.pk}/")
        page.get_by_role("link", name="Undo this import…").click()
        expect(page.get_by_role("heading", name=re.compile("Undo the import"))).to_be_visible()
        page.get_by_role("button", name="Undo this import").click()
        expect(page.get_by_text("Undid the import of your_friends.json.")).to_be_visible()
        facebook.refresh_from_db()
        assert facebook.status == ImportBatch.Status.UNDONE

        # The list shows both imports and how each ended.
        page.goto(f"{live_server.url}/w/{workspace.slug}/imports/")
        table = page.locator(".imports-table")
        expect(table).to_contain_text("Connections.csv")
        expect(table).to_contain_text("Undone")

    @pytest.mark.django_db(databases=["default", "live"], transaction=True)
    def test_a_large_import_shows_its_progress_then_its_summary(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        page = browser_page
        monkeypatch.setattr(import_views, "INLINE_LIMIT", 100)
        log_in(page, live_server, user)
        worker = Worker(interval=0.1)  # as `eyecontact serve` runs one beside the pages
        worker.start()
        try:
            with override_settings(EYECONTACT_IMPORTS_INLINE=False):
                page.goto(f"{live_server.url}/w/{workspace.slug}/imports/new/")
                page.get_by_label("Export file").set_input_files(str(FIXTURES / "Connections.csv"))
                page.get_by_role("button", name="Import", exact=True).click()
                # Polled every second until the worker is done; then the summary replaces it.
                expect(page.locator(".import-figures")).to_contain_text(
                    "New people", timeout=30_000
                )
        finally:
            worker.stop()
        expect(page.locator("#import-status")).not_to_have_attribute("hx-trigger", "every 1s")
        assert ImportBatch.objects.get().status == ImportBatch.Status.DONE

    def test_all_possible_duplicates_of_one_person_merge_in_one_click(
        self, browser_page: Page, live_server: Any, user: User, workspace: Workspace
    ) -> None:
        page = browser_page
        hub = person_create(workspace=workspace, display_name="José Álvarez-Ruiz")
        for name in ("José Alvarez", "J. Álvarez-Ruiz", "jose.alvarez@lumen-freight.example"):
            other = person_create(workspace=workspace, display_name=name)
            MatchReview.objects.create(workspace=workspace, person_a=other, person_b=hub, score=0.9)
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/w/{workspace.slug}/reviews/")
        button = page.get_by_role("button", name="All 3 are José Álvarez-Ruiz — merge them").first
        expect(button).to_be_visible()
        # The long name wraps inside the button; the page stays as wide as the screen.
        viewport = page.viewport_size
        assert viewport is not None
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        button.click()
        expect(page.get_by_text("Merged 3 records into José Álvarez-Ruiz.")).to_be_visible()
        assert list(Person.objects.filter(workspace=workspace)) == [hub]
        assert not MatchReview.objects.filter(workspace=workspace, status="open").exists()
