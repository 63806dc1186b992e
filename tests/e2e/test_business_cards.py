"""Business cards photographed in a real browser, at the booth and on a person's page.

The photo is a card drawn with Pillow (as the OCR tests draw them). The server reads it on its
background queue, run by a worker as ``eyecontact serve`` runs one; the page shows the person
the card proposes, matched against people already known, and nothing is created until the user
confirms. At the booth the photo waits in the phone's offline queue with its capture and is
sent and read once the phone is online again.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.background.worker import Worker
from eyecontact.contacts.models import BusinessCardScan
from eyecontact.contacts.tests.cardgen import FONTS, PEOPLE, draw_card
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import exhibit_create
from eyecontact.events.models import Capture, Exhibit
from eyecontact.events.services import event_create
from eyecontact.people.models import Identity, Person
from eyecontact.people.services import person_create

from .test_capture import ATTENDEES, capture_url, fits_the_screen, wait_until
from .test_golden_path import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(databases=["default", "live"], transaction=True),
]

LENA, KWAME = PEOPLE[0], PEOPLE[1]


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    event = event_create(
        workspace=workspace, name="Summit", starts_on=timezone.localdate() - dt.timedelta(days=1)
    )
    attendees_import(event=event, file_name="attendees.csv", data=ATTENDEES.encode())
    return exhibit_create(event=event, name="Booth B12", staff=[user])


@pytest.fixture
def queue_worker() -> Iterator[Callable[[], Worker]]:
    """Starts a worker that reads card photos, as on a server, not in the request.

    Started once the test has logged in, as the import page's test does: the first page of a
    session is not kept waiting behind the worker's first housekeeping.
    """
    started: list[Worker] = []

    def start() -> Worker:
        worker = Worker(interval=0.1)
        worker.start()
        started.append(worker)
        return worker

    with override_settings(EYECONTACT_CARDS_INLINE=False):
        try:
            yield start
        finally:
            for worker in started:
                worker.stop()


def card_photo(tmp_path: Path, person: Any, layout: int = 0) -> Path:
    path = tmp_path / f"card-{layout}.jpg"
    path.write_bytes(draw_card(person, layout, FONTS[0], seed=1))
    return path


def blank_photo(tmp_path: Path) -> Path:
    photo = io.BytesIO()
    Image.new("RGB", (1200, 700), (120, 120, 125)).save(photo, "JPEG")
    path = tmp_path / "blurred.jpg"
    path.write_bytes(photo.getvalue())
    return path


def person_url(live_server: Any, workspace: Workspace, person: Person) -> str:
    path = reverse("person_detail", kwargs={"slug": workspace.slug, "person_pk": person.pk})
    return f"{live_server.url}{path}"


class BoothCardTests:
    def test_a_card_photographed_at_the_booth_proposes_the_known_person_to_confirm(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        queue_worker: Callable[[], Worker],
        tmp_path: Path,
    ) -> None:
        known = person_create(
            workspace=workspace,
            display_name="Lena Hartmann",
            organization="Flora Analytics GmbH",
            identities=[("email", LENA.email)],
        )
        page = browser_page
        log_in(page, live_server, user)
        queue_worker()
        page.goto(capture_url(live_server, workspace, booth))
        page.locator("#card-photo").set_input_files(str(card_photo(tmp_path, LENA)))
        expect(page.locator("#card-taken")).to_be_visible()
        page.get_by_label("Interests").fill("Growth analytics")
        page.get_by_role("button", name="Save capture").click()

        proposal = page.locator("#queue-list > li").filter(has_text="Card read: check and confirm")
        expect(proposal).to_be_visible(timeout=30_000)
        assert fits_the_screen(page)
        expect(proposal.get_by_label("Name")).to_have_value("Lena Hartmann")
        expect(proposal.get_by_label("Organization")).to_have_value("Flora Analytics GmbH")
        expect(proposal.get_by_label("Phones")).to_have_value(LENA.phone)
        expect(proposal.get_by_label("Website")).to_have_value(LENA.website)
        known_choice = proposal.get_by_label("Lena Hartmann (Flora Analytics GmbH), already known")
        expect(known_choice).to_be_checked()
        # Nothing is created or sent before the user confirms.
        assert Capture.objects.count() == 0
        assert Person.objects.count() == 1
        proposal.get_by_label("Title").fill("VP Growth")
        proposal.get_by_role("button", name="Confirm and send").click()

        expect(page.locator("#queue-count")).to_have_text("0", timeout=15_000)
        expect(page.locator("#capture-notice")).to_contain_text("Card confirmed: Lena Hartmann")
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        capture = Capture.objects.select_related("person").get()
        assert capture.person == known
        assert capture.interests == "Growth analytics"
        assert Person.objects.count() == 1
        known.refresh_from_db()
        assert known.title == "VP Growth"
        assert Identity.objects.filter(person=known, kind="phone", value=LENA.phone).exists()
        scan = BusinessCardScan.objects.get()
        assert (scan.status, scan.person) == ("confirmed", known)

    def test_a_card_photographed_offline_waits_and_is_read_when_back_online(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        queue_worker: Callable[[], Worker],
        tmp_path: Path,
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        queue_worker()
        page.goto(capture_url(live_server, workspace, booth))
        page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
        expect(page.locator("#net-state")).to_have_text("Online")

        page.context.set_offline(True)
        page.locator("#card-photo").set_input_files(str(card_photo(tmp_path, KWAME, layout=1)))
        page.get_by_text("Visit", exact=True).click()
        page.get_by_role("button", name="Save capture").click()
        item = page.locator("#queue-list > li")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("A business card")
        expect(item).to_contain_text("Card photo waiting to be sent")
        expect(page.locator("#net-state")).to_have_text("Offline")

        # The page opens again without a network, with the photo in its queue.
        page.reload()
        expect(page.locator("#queue-count")).to_have_text("1")
        [kept] = page.evaluate(
            "window.eyecontactCapture.queued().then(items => items.map(i => "
            "({state: i.state, bytes: i.card.photo.byteLength})))"
        )
        assert kept["state"] == "card"
        assert kept["bytes"] > 10_000
        assert not BusinessCardScan.objects.exists()

        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        proposal = page.locator("#queue-list > li").filter(has_text="Card read: check and confirm")
        expect(proposal).to_be_visible(timeout=30_000)
        expect(proposal.get_by_label("Name")).to_have_value("Kwame Mensah")
        expect(proposal.get_by_label("E-mails")).to_have_value(KWAME.email)
        # Nobody known has this card's details: a new person is proposed.
        expect(proposal.get_by_label("A new person")).to_be_checked()
        assert Person.objects.count() == 0
        # Sent again, as a phone that never heard the answer would: kept once.
        page.evaluate("window.eyecontactCapture.sync()")
        proposal.get_by_role("button", name="Confirm and send").click()

        expect(page.locator("#queue-count")).to_have_text("0", timeout=15_000)
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        capture = Capture.objects.select_related("person").get()
        assert capture.kind == "visit"
        assert capture.person is not None
        assert capture.person.display_name == "Kwame Mensah"
        assert Person.objects.count() == 1
        assert Identity.objects.filter(person=capture.person, value=KWAME.email).exists()
        assert BusinessCardScan.objects.count() == 1

    def test_a_card_that_cannot_be_read_says_so_keeps_the_photo_and_lets_the_name_be_typed(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        queue_worker: Callable[[], Worker],
        tmp_path: Path,
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        queue_worker()
        page.goto(capture_url(live_server, workspace, booth))
        page.locator("#card-photo").set_input_files(str(blank_photo(tmp_path)))
        page.get_by_role("button", name="Save capture").click()
        item = page.locator("#queue-list > li")
        expect(item).to_contain_text("Could not read this card", timeout=30_000)
        photo = item.get_by_role("img", name="The card's photo, kept")
        expect(photo).to_be_visible()
        # The kept photo is fetched from the server: wait for it to load, then check it is it.
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
        )
        assert page.evaluate("img => img.naturalWidth", photo.element_handle()) == 1200
        scan = BusinessCardScan.objects.get()
        assert scan.status == "unreadable"
        assert len(bytes(scan.photo)) > 1000
        assert fits_the_screen(page)

        # The form is filled in the same tap, with the cursor in the name: a name typed at once
        # stays once the queue has marked the card as being corrected (it used to be wiped).
        page.evaluate(
            """() => {
                [...document.querySelectorAll("#queue-list button")]
                    .find(b => b.textContent === "Type the details").click();
                document.activeElement.value = "Ines";
            }"""
        )
        expect(item).to_contain_text("Being corrected")  # kept on the phone until saved
        name = page.get_by_label("Name", exact=True)
        expect(name).to_be_focused()
        expect(name).to_have_value("Ines")
        name.fill("Ines Duarte")
        page.get_by_role("button", name="Save capture").click()
        expect(page.locator("#queue-count")).to_have_text("0")
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        capture = Capture.objects.select_related("person").get()
        assert capture.person is not None
        assert capture.person.display_name == "Ines Duarte"
        assert BusinessCardScan.objects.get().status == "unreadable"  # the photo stays


class PersonPageCardTests:
    def test_a_card_photo_on_a_person_s_page_adds_what_is_new_once_confirmed(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        queue_worker: Callable[[], Worker],
        tmp_path: Path,
    ) -> None:
        kwame = person_create(workspace=workspace, display_name="Kwame Mensah")
        page = browser_page
        log_in(page, live_server, user)
        queue_worker()
        page.goto(person_url(live_server, workspace, kwame))
        page.locator("#person-card-photo").set_input_files(str(card_photo(tmp_path, KWAME, 1)))
        proposal = page.locator("#person-card-result form")
        expect(proposal).to_be_visible(timeout=30_000)
        assert fits_the_screen(page)
        expect(proposal.get_by_label("Kwame Mensah (this page)")).to_be_checked()
        expect(proposal.get_by_label("Organization")).to_have_value("Harbor Bio Inc.")
        assert not Identity.objects.filter(person=kwame).exists()
        proposal.get_by_role("button", name="Confirm").click()

        identities = page.get_by_role("region", name="E-mails, phones and profiles")
        expect(identities).to_contain_text(KWAME.email, timeout=15_000)
        expect(identities).to_contain_text("harborbio.com")
        kwame.refresh_from_db()
        assert kwame.organization == "Harbor Bio Inc."
        assert Person.objects.count() == 1

    def test_a_bad_photo_on_a_person_s_page_says_so_and_keeps_the_photo(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        queue_worker: Callable[[], Worker],
        tmp_path: Path,
    ) -> None:
        kwame = person_create(workspace=workspace, display_name="Kwame Mensah")
        page = browser_page
        log_in(page, live_server, user)
        queue_worker()
        page.goto(person_url(live_server, workspace, kwame))
        page.locator("#person-card-photo").set_input_files(str(blank_photo(tmp_path)))
        result = page.locator("#person-card-result")
        expect(result).to_contain_text("Could not read this card", timeout=30_000)
        expect(result.get_by_role("img", name="The card's photo, kept")).to_be_visible()
        assert BusinessCardScan.objects.get().status == "unreadable"
        assert not Identity.objects.filter(person=kwame).exists()
