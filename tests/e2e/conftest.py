"""Headless Chromium for the browser tests, on a desktop and a phone viewport.

The browser is Debian's ``/usr/bin/chromium`` (Playwright never downloads one here). Django's
live server runs in a thread while Playwright's sync API drives the page from the test's thread;
Django refuses ORM calls from a thread with a running event loop unless told it is safe, which it
is here because the two never share a connection at the same time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


@pytest.fixture(params=sorted(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def browser_page(browser: Browser, viewport: str, live_server: Any) -> Iterator[Page]:
    """A fresh page in its own context; fails the test if it asks any other host for anything."""
    context = browser.new_context(**VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
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
    assert not foreign, f"the page loaded something from elsewhere: {foreign}"
    assert not errors, f"JavaScript errors: {errors}"
