"""Takes the README's screenshots of the people list and a person's page.

Usage: .venv/bin/python scripts/screenshot.py [OUTPUT_FOLDER]   (default: docs/screenshots)

Builds a small, made-up workspace in a throwaway data folder through the services, serves it with
Django's development server on a free local port, and photographs it with headless Chromium
(Debian's /usr/bin/chromium) at 1280x800: people.png and person.png, plus phone-sized
people-phone.png and person-phone.png.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EMAIL = "sam@example.com"
PASSWORD = "screenshot-password-1"  # noqa: S105  # a throwaway local account

PEOPLE = [
    ("Ada Lovelace", "Analytical Engines", "Founder", "London"),
    ("Grace Hopper", "US Navy", "Rear Admiral", "Arlington"),
    ("Katherine Johnson", "NASA Langley", "Mathematician", "Hampton"),
    ("Linus Torvalds", "Linux Foundation", "Fellow", "Portland"),
    ("Margaret Hamilton", "Hamilton Technologies", "CEO", "Boston"),
    ("Alan Turing", "University of Manchester", "Reader", "Manchester"),
    ("Barbara Liskov", "MIT", "Institute Professor", "Cambridge"),
    ("Tim Berners-Lee", "W3C", "Director", "Oxford"),
    ("Hedy Lamarr", "Independent", "Inventor", "Vienna"),
    ("Dennis Ritchie", "Bell Labs", "Researcher", "Murray Hill"),
    ("Frances Allen", "IBM Research", "Fellow", "Yorktown Heights"),
    ("Guido van Rossum", "Microsoft", "Distinguished Engineer", "Belmont"),
    ("Radia Perlman", "Dell EMC", "Fellow", "Redmond"),
    ("Ken Thompson", "Google", "Distinguished Engineer", "Mountain View"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_workspace() -> tuple[str, int]:
    """The demo ledger; returns the workspace slug and the id of the person to photograph."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from eyecontact.accounts.services import user_create, workspace_create
    from eyecontact.events.services import event_create
    from eyecontact.networks.services import connection_add
    from eyecontact.people.services import identity_add, person_create, touch_log

    call_command("migrate", verbosity=0)
    user = user_create(email=EMAIL, password=PASSWORD)
    workspace = workspace_create(name="Sam's network", owner=user, default_region="GB")
    today = timezone.localdate()
    summit = event_create(
        workspace=workspace,
        name="Open Source Summit",
        kind="conference",
        city="Lisbon",
        venue="FIL",
        starts_on=today - dt.timedelta(days=2),
        ends_on=today,
    )
    meetup = event_create(
        workspace=workspace,
        name="Python Meetup",
        kind="meetup",
        city="London",
        starts_on=today - dt.timedelta(days=40),
    )
    people = [
        person_create(
            workspace=workspace,
            display_name=name,
            organization=organization,
            title=title,
            city=city,
        )
        for name, organization, title, city in PEOPLE
    ]
    now = timezone.now()
    plan = [
        (0, "in_person", 0, summit, "Booth 12. Wants the export API; follow up with the beta."),
        (0, "email", 9, None, "Sent the slides from the talk."),
        (0, "in_person", 41, meetup, "Met at the lightning talks; introduced by Grace."),
        (0, "social", 60, None, "Connected on LinkedIn."),
        (1, "in_person", 41, meetup, "Talked compilers over pizza."),
        (1, "phone", 12, None, ""),
        (2, "video", 20, None, "Quarterly catch-up."),
        (3, "message", 3, None, ""),
        (4, "in_person", 1, summit, "Keynote Q&A, then coffee."),
        (6, "email", 90, None, ""),
        (7, "in_person", 200, None, "Dinner in Oxford."),
        (9, "phone", 33, None, ""),
        (11, "in_person", 0, summit, "Hallway track: packaging."),
    ]
    for index, channel, days_ago, event, note in plan:
        touch_log(
            workspace=workspace,
            people=[people[index]],
            channel=channel,
            when=now - dt.timedelta(days=days_ago, hours=index),
            event=event,
            where=event.city if event else "",
            note=note,
            actor=user,
        )
    ada = people[0]
    identity_add(person=ada, kind="email", value="ada@engines.example")
    identity_add(person=ada, kind="phone", value="+44 20 7946 0018", label="mobile")
    identity_add(person=ada, kind="linkedin", value="https://www.linkedin.com/in/ada-lovelace")
    connection_add(person=ada, network="linkedin", kind="connection", connected_on=today)
    return workspace.slug, ada.pk


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="eyecontact-screenshots-")
    os.environ.update(
        EYECONTACT_HOME=home,
        DJANGO_SETTINGS_MODULE="eyecontact.settings.development",
        EYECONTACT_DEBUG="",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    slug, person_id = build_workspace()
    port = free_port()
    server = subprocess.Popen(  # noqa: S603  # our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=1)  # noqa: S310  # local server
                break
            except OSError:
                time.sleep(0.1)
        shoot(base, slug, person_id, out)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"Screenshots written to {out}")


def shoot(base: str, slug: str, person_id: int, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    sizes: dict[str, dict[str, Any]] = {
        "": {"viewport": {"width": 1280, "height": 800}},
        "-phone": {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
        },
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for suffix, options in sizes.items():
            context = browser.new_context(**options)
            page = context.new_page()
            page.goto(f"{base}/login/")
            page.get_by_label("E-mail address").fill(EMAIL)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"**/w/{slug}/people/")
            page.goto(f"{base}/w/{slug}/people/?sort=-last_touch")
            page.screenshot(path=str(out / f"people{suffix}.png"))
            page.goto(f"{base}/w/{slug}/people/{person_id}/")
            page.screenshot(path=str(out / f"person{suffix}.png"), full_page=bool(suffix))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
