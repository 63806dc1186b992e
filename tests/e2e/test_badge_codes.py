"""Every badge code at the booth, read through the phone's camera.

Badges are rendered here the way organisers print them (QR with segno, PDF417 with pdf417gen,
Aztec, Data Matrix and Code 128 with zxing-cpp's writer), filmed by Chromium's fake camera, read
by the capture page's ZXing (WebAssembly, served by Eye Contact itself) and stored with the
person the server reads from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pdf417gen
import pytest
import segno
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.models import Capture, Exhibit
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

from .conftest import VIEWPORTS
from .test_capture import booth, capture_url, wait_until  # noqa: F401  (booth is a fixture)
from .test_golden_path import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480
# Y4M luma values for black and white, in video range.
BLACK, WHITE = 16, 235


def qr(payload: str) -> Image.Image:
    """A QR code, one pixel a module, without its quiet zone."""
    matrix = segno.make(payload, error="m").matrix
    image = Image.new("L", (len(matrix[0]), len(matrix)), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    return image


def pdf417(payload: str) -> Image.Image:
    codes = pdf417gen.encode(payload, columns=6, security_level=3)
    image: Image.Image = pdf417gen.render_image(codes, scale=1, ratio=3, padding=0)
    return image.convert("L")


def zxing(symbology: zxingcpp.BarcodeFormat) -> Callable[[str], Image.Image]:
    def render(payload: str) -> Image.Image:
        barcode = zxingcpp.create_barcode(payload, symbology)
        return Image.fromarray(barcode.to_image(scale=1)).convert("L")

    return render


def y4m_of_code(code: Image.Image, path: Path) -> Path:
    """A short Y4M video of a badge code, centred, as large as fits with a white margin."""
    scale = max(1, min(WIDTH * 85 // 100 // code.width, HEIGHT * 85 // 100 // code.height))
    code = code.resize((code.width * scale, code.height * scale), Image.Resampling.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    luma = bytes(BLACK + (WHITE - BLACK) * value // 255 for value in frame.tobytes())
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + (b"FRAME\n" + luma + chroma + chroma) * 5)
    return path


# (symbology, renderer, payload, shown on the page, stored person, payload kind)
BADGES = [
    (
        "pdf417",
        pdf417,
        "HRS25-001388^Anneliese^Brandt^Corvid Robotics GmbH^a.brandt@corvid-robotics.example",
        "Anneliese Brandt",
        "Anneliese Brandt",
        "lead",
    ),
    (
        "aztec",
        zxing(zxingcpp.BarcodeFormat.Aztec),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Mendes;Rafael\r\nFN:Rafael Mendes\r\n"
        "ORG:Atlântico Payments\r\nEMAIL:rafael.mendes@atlantico-pay.example\r\nEND:VCARD",
        "Rafael Mendes",
        "Rafael Mendes",
        "vcard",
    ),
    (
        "datamatrix",
        zxing(zxingcpp.BarcodeFormat.DataMatrix),
        "Misaki|Tanaka|Kirin Labs K.K.|m.tanaka@kirin-labs.example",
        "Misaki Tanaka",
        "Misaki Tanaka",
        "lead",
    ),
    (
        # A registration id alone: the attendee list kept on the phone names them.
        "code128",
        zxing(zxingcpp.BarcodeFormat.Code128),
        "A-17",
        "Noor Haddad (Cedar Labs)",
        "Noor Haddad",
        "badge_id",
    ),
    (
        "qr",
        qr,
        "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;",
        "Lena Hartmann",
        "Lena Hartmann",
        "mecard",
    ),
]


@pytest.fixture
def filmed(
    browser: Browser, live_server: Any, tmp_path: Path
) -> Iterator[Callable[[Image.Image], Page]]:
    """Opens a phone-sized page whose camera films the given code; fails on foreign requests."""
    opened: list[Any] = []
    foreign: list[str] = []
    errors: list[str] = []

    def open_page(code: Image.Image) -> Page:
        video = y4m_of_code(code, tmp_path / "badge.y4m")
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
        context = camera.new_context(**VIEWPORTS["phone"], permissions=["camera"])
        context.set_default_timeout(20_000)
        opened.extend([context, camera])
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                None if request.url.startswith(live_server.url) else foreign.append(request.url)
            ),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for thing in opened:
        thing.close()
    assert not foreign, f"the page loaded something from elsewhere: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"


class BadgeCodeTests:
    @pytest.mark.parametrize(
        ("symbology", "render", "payload", "shown", "person", "kind"),
        BADGES,
        ids=[badge[0] for badge in BADGES],
    )
    def test_each_badge_code_is_read_by_the_camera_and_names_the_person(
        self,
        filmed: Callable[[Image.Image], Page],
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,  # noqa: F811  (the fixture imported above)
        symbology: str,
        render: Callable[[str], Image.Image],
        payload: str,
        shown: str,
        person: str,
        kind: str,
    ) -> None:
        page = filmed(render(payload))
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        # The attendee list is on the phone before the badge is scanned.
        expect(page.locator("#attendee-state")).to_have_text("2 attendees")
        page.get_by_role("button", name="Scan badge").click()
        expect(page.locator("#who-text")).to_have_text(shown)
        expect(page.get_by_text("Badge read.")).to_be_visible()
        page.get_by_role("button", name="Save capture").click()
        expect(page.get_by_text("Saved: conversation with")).to_be_visible()

        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        stored = Capture.objects.select_related("person").get()
        assert (stored.payload, stored.payload_kind) == (payload, kind)
        assert stored.person is not None
        assert stored.person.display_name == person

    def test_a_code_that_names_nobody_is_kept_and_the_name_is_asked_for(
        self,
        filmed: Callable[[Image.Image], Page],
        live_server: Any,
        user: User,
        workspace: Workspace,
        booth: Exhibit,  # noqa: F811  (the fixture imported above)
    ) -> None:
        # A layout no lead-retrieval system here writes: kept as scanned.
        note = "#ATT;7781;KL;2025"
        page = filmed(qr(note))
        log_in(page, live_server, user)
        page.goto(capture_url(live_server, workspace, booth))
        page.get_by_role("button", name="Scan badge").click()
        expect(page.locator("#scan-message")).to_have_text(
            "Badge read, but it does not say who this is: type their name."
        )
        expect(page.get_by_label("Name", exact=True)).to_be_focused()
        page.get_by_label("Name", exact=True).fill("Ida Lund")
        page.get_by_role("button", name="Save capture").click()
        expect(page.get_by_text("Saved: conversation with Ida Lund.")).to_be_visible()

        wait_until(lambda: Capture.objects.filter(resolved_at__isnull=False).count() == 1, page)
        stored = Capture.objects.select_related("person").get()
        assert (stored.payload, stored.name) == (note, "Ida Lund")
        assert stored.person is not None
        assert stored.person.display_name == "Ida Lund"
