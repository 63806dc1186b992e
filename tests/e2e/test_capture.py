"""The booth capture page in a real browser, on a desktop and on a phone.

Scanning: Chromium's fake camera plays a video made here of a badge's QR code (a MECARD), the
page reads it with the app's own QR decoder, and the capture reaches the server with the
person's name. Offline: captures made without a network wait on the phone, survive a reload,
and are stored exactly once when the network is back, however often the queue is sent.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import segno
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import exhibit_create
from eyecontact.events.models import Capture, Exhibit
from eyecontact.events.services import event_create
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

from .conftest import VIEWPORTS
from .test_golden_path import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"
ATTENDEES = "Name,Company,Badge ID\nNoor Haddad,Cedar Labs,A-17\nPiet de Vries,Dijk Systems,A-18\n"
# The video's frame: Y4M luma values for black and white, in video range.
BLACK, WHITE = 16, 235


def y4m_of_qr(payload: str, path: Path, width: int = 640, height: int = 480) -> Path:
    """Writes a short Y4M video of ``payload`` as a QR code, centred with a quiet zone."""
    matrix = segno.make(payload, error="m").matrix
    modules = len(matrix)
    quiet = 4
    scale = min(width, height) * 9 // 10 // (modules + 2 * quiet)
    size = modules * scale
    left, top = (width - size) // 2, (height - size) // 2
    luma = bytearray([WHITE]) * (width * height)
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if not dark:
                continue
            for y in range(top + row * scale, top + (row + 1) * scale):
                start = y * width + left + column * scale
                luma[start : start + scale] = bytes([BLACK]) * scale
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 5)
    return path


def wait_until(check: Callable[[], bool], page: Page, seconds: float = 30) -> None:
    """Polls the database while the page keeps running its own timers."""
    deadline = time.monotonic() + seconds
    while not _checked(check):
        assert time.monotonic() < deadline, "timed out waiting for the server"
        page.wait_for_timeout(200)


def _checked(check: Callable[[], bool]) -> bool:
    try:
        return check()
    except OperationalError as exc:
        # The in-memory test database locks a table while the server's connection writes it
        # (a file database in WAL mode lets readers in): the server is at work, ask again.
        if "locked" not in str(exc):
            raise
        return False


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    event = event_create(
        workspace=workspace, name="Summit", starts_on=timezone.localdate() - dt.timedelta(days=1)
    )
    attendees_import(event=event, file_name="attendees.csv", data=ATTENDEES.encode())
    return exhibit_create(event=event, name="Booth B12", staff=[user])


def capture_url(live_server: Any, workspace: Workspace, booth: Exhibit) -> str:
    path = reverse("exhibit_capture", kwargs={"slug": workspace.slug, "exhibit_pk": booth.pk})
    return f"{live_server.url}{path}"


@pytest.fixture
def camera_page(
    browser: Browser,
    viewport: str,
    live_server: Any,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A page in a Chromium whose camera films a badge (or the code a test parametrizes it
    with); fails on other hosts or JS errors."""
    video = y4m_of_qr(getattr(request, "param", MECARD), tmp_path / "badge.y4m")
    camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = camera.new_context(**VIEWPORTS[viewport], permissions=["camera"])
    context.set_default_timeout(15_000)
    page = context.new_page()
    foreign: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else foreign.append(request.url)
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    camera.close()
    assert not foreign, f"the page loaded something from elsewhere: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


def fits_the_screen(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(page.viewport_size and width <= page.viewport_size["width"])


class ScanTests:
    def test_a_badge_scanned_with_the_camera_reaches_the_server_with_the_name(
        self,
        camera_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
    ) -> None:
        page = camera_page
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        assert fits_the_screen(page)
        page.get_by_role("button", name="Scan badge").click()
        expect(page.locator("#who-text")).to_have_text("Lena Hartmann")
        expect(page.get_by_text("Badge read.")).to_be_visible()
        page.get_by_label("Interests").fill("Data pipelines")
        page.get_by_role("button", name="Save capture").click()
        expect(page.get_by_text("Saved: conversation with Lena Hartmann.")).to_be_visible()

        # Stored as it arrives, then matched to the person just after.
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        stored = Capture.objects.select_related("person").get()
        assert stored.payload == MECARD
        assert stored.payload_kind == "mecard"
        assert stored.person is not None
        assert stored.person.display_name == "Lena Hartmann"
        assert (stored.kind, stored.interests, stored.captured_by) == (
            "conversation",
            "Data pipelines",
            user,
        )
        expect(page.locator("#queue-count")).to_have_text("0")

    @pytest.mark.parametrize(
        ("camera_page", "said"),
        [
            ("WIFI:T:WPA;S:HRS25-Guest;P:robots2025;H:false;;", "a Wi-Fi network, not a badge"),
            ("https://summit.example/floorplan", "a web link, not a badge"),
        ],
        indirect=["camera_page"],
        ids=["wifi", "url"],
    )
    def test_a_code_that_is_not_a_badge_is_refused_on_the_phone(
        self,
        camera_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        said: str,
    ) -> None:
        page = camera_page
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        page.get_by_role("button", name="Scan badge").click()
        message = page.locator("#scan-message")
        expect(message).to_contain_text(f"That code is {said}")
        expect(message).to_contain_text("type their name")
        expect(page.locator("#who-picked")).to_be_hidden()
        assert page.locator("#id_payload").input_value() == ""
        # The person is typed instead, and the capture is stored without the code.
        page.get_by_label("Name").fill("Henrik Vogel")
        page.get_by_role("button", name="Save capture").click()
        expect(page.get_by_text("Saved: conversation with Henrik Vogel.")).to_be_visible()
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        stored = Capture.objects.select_related("person").get()
        assert (stored.payload, stored.payload_kind) == ("", "")
        assert stored.person is not None and stored.person.display_name == "Henrik Vogel"


class OfflineTests:
    def test_captures_made_offline_wait_and_are_stored_exactly_once(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        expect(page.locator("#attendee-state")).to_have_text("2 attendees")
        # The service worker has kept the page and its files once it controls the page.
        page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
        expect(page.locator("#net-state")).to_have_text("Online")

        page.context.set_offline(True)
        # One picked from the attendee list the phone kept.
        page.get_by_label("Find on the attendee list").fill("cedar")
        page.get_by_role("button", name="Noor Haddad").click()
        expect(page.locator("#who-text")).to_have_text("Noor Haddad (Cedar Labs)")
        page.get_by_text("Visit", exact=True).click()
        page.get_by_role("button", name="Save capture").click()
        expect(page.locator("#queue-count")).to_have_text("1")
        # Two typed, one with a rating and a follow-up.
        page.get_by_label("Name", exact=True).fill("Kai Berg")
        page.get_by_label("Organization").fill("Nordlicht")
        page.get_by_text("4 of 5").click()
        page.get_by_label("Follow up").check()
        page.get_by_role("button", name="Save capture").click()
        expect(page.locator("#queue-count")).to_have_text("2")
        page.get_by_label("Name", exact=True).fill("Ines Duarte")
        page.get_by_label("E-mail").fill("ines@duarte.example")
        page.get_by_role("button", name="Save capture").click()

        expect(page.locator("#queue-count")).to_have_text("3")
        expect(page.locator("#net-state")).to_have_text("Offline")
        queue = page.locator("#queue-list > li")
        expect(queue).to_have_count(3)
        expect(queue.filter(has_text="Kai Berg (Nordlicht)")).to_have_count(1)
        assert Capture.objects.count() == 0

        # The page opens again without a network, with its queue.
        page.reload()
        expect(page.get_by_role("heading", name="Capture at Booth B12")).to_be_visible()
        expect(page.locator("#queue-count")).to_have_text("3")
        sent_before = page.evaluate("window.eyecontactCapture.queued()")
        assert len(sent_before) == 3

        page.context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#queue-count")).to_have_text("0", timeout=30_000)
        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 3, page)
        ids = set(Capture.objects.values_list("client_id", flat=True))
        assert {str(i) for i in ids} == {item["client_id"] for item in sent_before}
        kai = Capture.objects.get(person__display_name="Kai Berg")
        assert (kai.rating, kai.follow_up, kai.kind) == (4, True, "conversation")
        noor = Capture.objects.get(kind="visit")
        assert noor.attendee is not None
        assert noor.attendee.name == "Noor Haddad"

        # The same queue sent again, as a phone that never heard the answer would.
        page.evaluate(
            "items => window.eyecontactCapture.requeue(items)"
            ".then(() => window.eyecontactCapture.sync())",
            sent_before,
        )
        expect(page.locator("#queue-count")).to_have_text("0")
        assert Capture.objects.count() == 3
        assert len(set(Capture.objects.values_list("client_id", flat=True))) == 3

    def test_refused_captures_stay_with_the_reason_until_sent_or_discarded(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
    ) -> None:
        page = browser_page
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        page.get_by_role("button", name="Save capture").click()
        expect(
            page.get_by_text(
                "Scan a badge, photograph a business card, pick an attendee or type a name."
            )
        ).to_be_visible()
        assert page.evaluate("window.eyecontactCapture.queued()") == []

        # Taken off the staff while the phone was out: the queue waits until they are back.
        booth.staff.clear()
        page.get_by_label("Name", exact=True).fill("Kai Berg")
        page.get_by_role("button", name="Save capture").click()
        expect(page.locator("#sync-state")).to_contain_text("Only the exhibit's staff")
        expect(page.locator("#queue-count")).to_have_text("1")
        booth.staff.add(user)
        page.get_by_role("button", name="Send now").click()
        expect(page.locator("#queue-count")).to_have_text("0")
        kai = Capture.objects.select_related("person").get()
        assert kai.person is not None
        assert kai.person.display_name == "Kai Berg"

        # One the server refuses (an attendee of another event) stays, with its reason.
        page.evaluate(
            """() => {
                const id = crypto.randomUUID();
                const now = new Date().toISOString();
                return window.eyecontactCapture.requeue([{
                    client_id: id, exhibit: document.getElementById("capture").dataset.exhibit,
                    state: "waiting", error: "", queued_at: now,
                    body: {client_id: id, kind: "visit", captured_at: now,
                           attendee_id: 987654321, attendee_name: "Someone Elsewhere"},
                }]).then(() => window.eyecontactCapture.sync());
            }"""
        )
        refused = page.locator("#queue-list > li")
        expect(refused).to_contain_text("Refused: attendee_id: No such attendee at this event.")
        expect(page.locator("#queue-count")).to_have_text("1")
        page.get_by_role("button", name="Send now").click()
        expect(page.locator("#queue-count")).to_have_text("1")

        # Put back in the form to be corrected, it stays on the phone until the form saves it:
        # a page closed meanwhile loses nothing, and "Edit" brings it back.
        refused.get_by_role("button", name="Edit").click()
        expect(page.locator("#who-text")).to_have_text("Someone Elsewhere")
        expect(refused).to_contain_text("Being corrected")
        page.reload()
        expect(refused).to_contain_text("Being corrected")
        expect(page.locator("#queue-count")).to_have_text("1")
        expect(page.locator("#who-text")).to_have_text("")
        refused.get_by_role("button", name="Edit").click()
        expect(page.locator("#who-text")).to_have_text("Someone Elsewhere")
        page.get_by_role("button", name="Send now").click()
        expect(page.locator("#queue-count")).to_have_text("1")  # not sent while corrected
        assert Capture.objects.count() == 1

        # Discarded, it leaves the form too.
        page.once("dialog", lambda dialog: dialog.accept())
        refused.get_by_role("button", name="Discard").click()
        expect(page.locator("#queue-count")).to_have_text("0")
        expect(page.locator("#who-text")).to_have_text("")
        assert Capture.objects.count() == 1

    def test_a_busy_server_keeps_the_capture_queued_and_it_goes_after_retry_after(
        self,
        browser_page: Page,
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
    ) -> None:
        """The server answers 503 while an import holds the database: the phone keeps the
        capture, says why, and sends it again once the Retry-After is over."""
        page = browser_page
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        expect(page.locator("#attendee-state")).to_have_text("2 attendees")
        busy_answers: list[str] = []

        def busy(route: Any) -> None:
            busy_answers.append(route.request.url)
            route.fulfill(
                status=503,
                headers={"Retry-After": "2", "Content-Type": "application/json"},
                body='{"detail": "The database is busy writing an import.", "retry_after": 2}',
            )

        page.route("**/captures/sync", busy)
        page.get_by_label("Name", exact=True).fill("Kai Berg")
        page.get_by_role("button", name="Save capture").click()
        expect(page.locator("#sync-state")).to_contain_text(
            "The server is busy for a moment; your captures wait on this phone and are sent "
            "again in 2 s."
        )
        expect(page.locator("#queue-count")).to_have_text("1")
        assert busy_answers
        assert Capture.objects.count() == 0

        page.unroute("**/captures/sync", busy)
        # No click, no reconnection: the Retry-After alone sends the queue again.
        expect(page.locator("#queue-count")).to_have_text("0", timeout=10_000)
        wait_until(lambda: Capture.objects.count() == 1, page)
        assert Capture.objects.get().name == "Kai Berg"
