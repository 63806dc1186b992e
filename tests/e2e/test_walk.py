"""Every page of the app, logged in to a demo workspace, on a phone, a small laptop and a desktop.

The walk reads the URL patterns themselves (as the scoping test does), so a page added later is
walked without anyone remembering to add it here. At each width it fails on:

- a page wider than the screen (the whole page scrolls sideways);
- a chart label that is cut off by its chart, overlaps another label, or is drawn too small to
  read;
- any message the browser logs as an error, and any uncaught JavaScript error;
- any accessibility fault axe-core rates serious or critical (its experimental check that a
  control's name contains its visible words included), and landmarks that share one name.

The 1,024 px walk is in the dark theme.

axe-core is injected from ``tests/e2e/vendor/`` (see its README): nothing is fetched from
elsewhere, by the test or by the app. Every address must answer a page, a redirect to one, or a
file download; an address that only takes a form answers a page saying where the form lives.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver, reverse
from playwright.sync_api import Browser, BrowserContext, Page, StorageState, expect

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_build, demo_user_ensure
from eyecontact.events.models import Event
from eyecontact.insights.services import feed_create
from eyecontact.people.models import Person
from eyecontact.web.tests.conftest import WorkspaceData, fill_workspace
from eyecontact.web.tests.test_scoping import ID_KWARGS, WebPattern, _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS: dict[int, dict[str, Any]] = {
    390: {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    # One width in the dark theme, so its colours meet the same contrast rules.
    1024: {"viewport": {"width": 1024, "height": 768}, "color_scheme": "dark"},
    1440: {"viewport": {"width": 1440, "height": 900}},
}
# The smallest chart text a person can still read, in CSS pixels as drawn on the screen.
SMALLEST_CHART_TEXT = 10
# Addresses that are not pages of their own: logging out takes a form; the health check answers
# the server's operator, and reports a fault here, where no background worker runs; the CardDAV
# address is for address-book apps, which log in with a token.
NOT_PAGES = {"logout", "healthz", "carddav_well_known"}
DEMO_PEOPLE = 250
# With EYECONTACT_SCREENSHOTS set to a folder, the walk photographs these pages there, on the
# desktop as NAME.png and on the phone as NAME-phone.png (scripts/screenshot.py does this).
SCREENSHOTS = {
    "workspace_home": "home",
    "people_list": "people",
    "person_detail": "person",
    "event_detail": "event",
    "event_plan": "plan",
    "keep_week": "week",
    "insights": "insights",
    "vetting": "vetting",
}
SCREENSHOT_WIDTHS = {390: "-phone", 1440: ""}
BROWSER_ZONE = "Europe/Berlin"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

# Measures, inside the page, what a person would see as broken. Returns a list of problems.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                    && getComputedStyle(el).position !== 'fixed'
                    && !el.closest('.visually-hidden, .skip-link'))
      .filter(el => !el.closest('[data-scrolls]'))
      .slice(0, 3)
      .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
                 ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                 + ' right=' + Math.round(el.getBoundingClientRect().right));
    problems.push(`the page is ${doc.scrollWidth}px wide on a ${window.innerWidth}px screen: `
                  + wide.join(', '));
  }
  // Something to click that sits past the edge of the screen, where nothing scrolls to it.
  const scrolls = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const offscreen = [...document.querySelectorAll('a, button, input, select, summary')]
    .filter(el => el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})
                  && !el.closest('.visually-hidden, .skip-link'))
    .filter(el => { const r = el.getBoundingClientRect();
                    return r.width && (r.right > window.innerWidth + 1 || r.left < -1); })
    .filter(el => !scrolls(el))
    .slice(0, 3)
    .map(el => `"${(el.textContent || el.name || el.tagName).trim().slice(0, 40)}"`);
  if (offscreen.length) problems.push('off the screen: ' + offscreen.join(', '));
  // Something to click that another element covers, on the part of the page in view.
  const covered = [...document.querySelectorAll('a, button, summary')]
    .filter(el => el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})
                  && !el.closest('.visually-hidden, .skip-link'))
    .filter(el => {
      const r = el.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (!r.width || x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight) {
        return false;
      }
      const top = document.elementFromPoint(x, y);
      return top && !el.contains(top) && !top.contains(el);
    })
    .slice(0, 3)
    .map(el => `"${(el.textContent || el.tagName).trim().slice(0, 40)}"`);
  if (covered.length) problems.push('covered by something else: ' + covered.join(', '));
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;
    const name = svg.getAttribute('aria-label') || 'a chart';
    const labels = [...svg.querySelectorAll('text')]
      .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect(),
                  size: parseFloat(getComputedStyle(t).fontSize)
                        * (box.width / svg.viewBox.baseVal.width)}))
      .filter(l => l.text && l.r.width);
    for (const l of labels) {
      if (l.r.left < box.left - 1 || l.r.right > box.right + 1 || l.r.top < box.top - 1
          || l.r.bottom > box.bottom + 1) {
        problems.push(`"${l.text}" is cut off by the edge of "${name}"`);
      }
      if (l.size < %(smallest)s) {
        problems.push(`"${l.text}" in "${name}" is drawn ${l.size.toFixed(1)}px high`);
      }
    }
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        const a = labels[i].r, b = labels[j].r;
        const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (dx > 1 && dy > 1) {
          problems.push(`"${labels[i].text}" overlaps "${labels[j].text}" in "${name}"`);
        }
      }
    }
  }
  // A placeholder that says what to type, cut short by a box too narrow for it.
  const ruler = document.createElement('canvas').getContext('2d');
  const cut = [...document.querySelectorAll('input[placeholder]')]
    .filter(el => el.checkVisibility() && !el.value)
    .filter(el => {
      const style = getComputedStyle(el);
      ruler.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = el.clientWidth - parseFloat(style.paddingLeft)
                   - parseFloat(style.paddingRight);
      return ruler.measureText(el.placeholder).width > room + 1;
    })
    .slice(0, 3)
    .map(el => `"${el.placeholder}"`);
  if (cut.length) problems.push('placeholder cut short: ' + cut.join(', '));
  // Text boxes and selects side by side in a row of filters are one height and line up.
  for (const row of document.querySelectorAll('.filters')) {
    const boxes = [...row.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select')]
      .filter(el => el.checkVisibility())
      .map(el => ({name: el.name, r: el.getBoundingClientRect()}));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r, b = boxes[j].r;
        const beside = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
        if (beside && (Math.abs(a.top - b.top) > 0.5 || Math.abs(a.height - b.height) > 0.5)) {
          problems.push(`"${boxes[i].name}" and "${boxes[j].name}" do not line up`);
        }
      }
    }
  }
  // Bars are HTML that takes the width it is given: neither the chart nor a share written in
  // a part of a bar may be wider than its room.
  for (const chart of document.querySelectorAll('.chart-bars')) {
    const name = chart.getAttribute('aria-label') || 'a chart';
    if (chart.scrollWidth > chart.clientWidth + 1) {
      problems.push(`"${name}" is wider than the screen`);
    }
    for (const part of chart.querySelectorAll('.bars-part')) {
      if (part.textContent.trim() && part.scrollWidth > part.clientWidth + 1) {
        problems.push(`"${part.textContent.trim()}" is cut off in "${name}"`);
      }
    }
  }
  return problems.slice(0, 8);
}
""".replace("%(smallest)s", str(SMALLEST_CHART_TEXT))

AXE_RUN = """
async () => {
  // label-content-name-mismatch is one of axe's experimental rules: it is off unless asked for.
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    rules: {'label-content-name-mismatch': {enabled: true}},
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique')
    .map(v => `${v.id} (${v.impact}) x${v.nodes.length}: ${v.help}: `
              + v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
}
"""


def all_web_patterns() -> list[WebPattern]:
    """Every named page of the web app, with the URL keywords it takes."""
    return list(_walk(get_resolver().url_patterns, frozenset()))


def page_urls(data: WorkspaceData, feed_secret: str) -> list[tuple[str, str]]:
    """(name, address) of every page, filled with the demo workspace's slug and ids."""
    urls = []
    for pattern in all_web_patterns():
        if pattern.name in NOT_PAGES:
            continue
        kwargs: dict[str, str | int] = {}
        for kwarg in pattern.kwargs:
            if kwarg == "slug":
                kwargs[kwarg] = data.workspace.slug
            elif kwarg == "token":
                kwargs[kwarg] = (
                    feed_secret if pattern.name == "calendar_feed" else data.invitation_token
                )
            else:
                kwargs[kwarg] = getattr(data, ID_KWARGS[kwarg]).pk
        urls.append((pattern.name, reverse(pattern.name, kwargs=kwargs)))
    return sorted(urls)


@dataclasses.dataclass(frozen=True)
class Demo:
    data: WorkspaceData
    feed_secret: str


@pytest.fixture
def demo(db: None) -> Demo:
    """A small demo network, plus one of every other thing a page can show."""
    owner, _ = demo_user_ensure()
    workspace: Workspace = demo_build(people=DEMO_PEOPLE, owner=owner)
    data = fill_workspace(workspace, owner, "Olivia Ownworth")
    # The demo's own busiest person and its CES show long timelines and full plans.
    person = (
        Person.objects.filter(workspace=workspace, identities__isnull=False)
        .order_by("-touch_count", "pk")
        .first()
    )
    assert person is not None
    event = Event.objects.filter(workspace=workspace, name__startswith="CES").latest("starts_on")
    touch = person.touches.order_by("-occurred_at").first()
    identity = person.identities.first()
    assert identity is not None
    _, feed_secret = feed_create(workspace=workspace, user=owner)
    data = dataclasses.replace(
        data,
        person=person,
        identity=identity,
        connection=person.connections.first() or data.connection,
        event=event,
        touch=touch or data.touch,
    )
    return Demo(data, feed_secret)


@pytest.fixture
def logged_in(browser: Browser, live_server: Any, demo: Demo) -> StorageState:
    """The demo user's session, logged in through the login page."""
    context = browser.new_context(timezone_id=BROWSER_ZONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # The first page takes the browser's time zone for the user and draws itself again.
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.time_zone == BROWSER_ZONE
    state = context.storage_state()
    context.close()
    return state


def _watch(page: Page, live_server: Any) -> list[str]:
    """Collects what the browser reports as wrong while a page loads."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console error: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:", "blob:"))
            else problems.append(f"asked another host for {request.url}")
        ),
    )
    return problems


def answers(context: BrowserContext, url: str) -> tuple[str | None, bool]:
    """What is wrong with a plain visit to ``url`` (None if nothing), and whether it is a page."""
    # Asked as a browser asks for a page.
    response = context.request.get(url, max_redirects=5, headers={"Accept": BROWSER_ACCEPT})
    text = response.text() if response.headers.get("content-type", "").startswith("text/") else ""
    # An address that only takes a form answers 405 with a page saying where the form is.
    if response.status >= 400 and not (response.status == 405 and "<h1" in text):
        return f"answers {response.status} to a plain visit", False
    is_page = (
        response.status < 400
        and response.headers.get("content-type", "").startswith("text/html")
        and "<html" in text
    )
    return None, is_page


def walk(page: Page, url: str, problems: list[str], photo: Path | None = None) -> list[str]:
    """Everything a person would find wrong on the page at ``url``, at this width."""
    problems.clear()
    page.goto(url, wait_until="load")
    if photo is not None:
        page.screenshot(path=str(photo))
    found = list(page.evaluate(LAYOUT_PROBLEMS))
    page.add_script_tag(path=str(AXE))
    found += page.evaluate(AXE_RUN)
    return found + problems


class WalkTests:
    def test_every_page_fits_the_screen_reads_well_and_has_no_serious_accessibility_fault(
        self, browser: Browser, live_server: Any, demo: Demo, logged_in: StorageState
    ) -> None:
        urls = page_urls(demo.data, demo.feed_secret)
        shots = (
            Path(os.environ["EYECONTACT_SCREENSHOTS"])
            if "EYECONTACT_SCREENSHOTS" in os.environ
            else None
        )
        assert len(urls) >= 40, urls
        found: dict[str, list[str]] = {}
        pages: list[tuple[str, str]] = []
        for width in sorted(WIDTHS):
            context = browser.new_context(
                storage_state=logged_in, timezone_id=BROWSER_ZONE, **WIDTHS[width]
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            problems = _watch(page, live_server)
            if not pages:
                for name, path in urls:
                    wrong, is_page = answers(context, f"{live_server.url}{path}")
                    if wrong:
                        found[f"{name} {path}"] = [wrong]
                    elif is_page:
                        pages.append((name, path))
            for name, path in pages:
                photo = None
                if shots and name in SCREENSHOTS and width in SCREENSHOT_WIDTHS:
                    photo = shots / f"{SCREENSHOTS[name]}{SCREENSHOT_WIDTHS[width]}.png"
                if wrong_here := walk(page, f"{live_server.url}{path}", problems, photo):
                    found[f"{width}px {name} {path}"] = wrong_here
            context.close()
        assert len(pages) >= 30, pages
        assert not found, json.dumps(found, indent=1, ensure_ascii=False)


HEADER_WIDTHS = (360, 1024, 1279, 1280, 1439, 1920)


@pytest.mark.parametrize("screen", HEADER_WIDTHS)
def test_the_header_keeps_one_row_and_the_page_its_width_from_360_to_1920_px(
    browser: Browser, live_server: Any, user: User, workspace: Workspace, screen: int
) -> None:
    """The fullest header: a review badge and a long workspace name."""
    fill_workspace(workspace, user, "Olivia Ownworth")
    workspace.name = "Morgan's network of people met at trade shows"
    workspace.save(update_fields=["name"])
    context = browser.new_context(viewport={"width": screen, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(page.locator(".site-nav .badge")).to_have_count(1)
    brand = page.locator(".brand").bounding_box()
    assert brand is not None
    assert brand["height"] < 40, "the name wraps onto two lines"
    assert page.evaluate("document.documentElement.scrollWidth") <= screen
    toggle = page.get_by_role("button", name="Menu")
    if screen < 1280:
        toggle.click()
    else:
        expect(toggle).to_be_hidden()
    for link in page.get_by_role("navigation", name="Main").get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= screen, link.inner_text()
        assert box["height"] < 48, f"{link.inner_text()!r} wraps"
    context.close()
