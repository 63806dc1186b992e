"""How long a phone's address book takes to sync a big workspace over CardDAV.

    .venv/bin/python bench/carddav_bench.py [--people 10000] [--touches 50000]
        [--database-url postgres://...] [--no-save]

1. fills a data folder like ``bench/people_bench.py`` (``--people`` people with e-mails and
   phones, ``--touches`` touches, in-person ones at events, so cards carry their NOTE line);
2. starts ``eyecontact serve`` on a free port and makes an API token for the phone;
3. times what a phone's first sync asks of the server (PROPFIND depth 1 for the ETags, then
   one ``addressbook-multiget`` of every card), then syncs the address book into an empty
   folder with vdirsyncer, a real CardDAV client that finds it through
   ``/.well-known/carddav`` as a phone does, and times that too (vdirsyncer's own work,
   writing 10,000 files and its status database, is part of that figure);
4. syncs again with nothing changed, and counts what that second sync copied (nothing, it
   should only list ETags), and asks ``sync-collection`` what changed since the token a first
   sync got (nothing, it should answer in a few hundred bytes);
5. prints the figures and writes them to ``bench/results/carddav.json`` and ``.md``.

The goal named for it: 10,000 people sync in under 30 s, and a second sync sends no card.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.people_bench import configure, fill  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310  # our own local server
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def vdirsyncer(config: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603  # a fixed program with arguments made here
        [str(BIN / "vdirsyncer"), "-v", "INFO", *args],
        env={**os.environ, "VDIRSYNCER_CONFIG": str(config)},
        input="y\n" * 5,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"vdirsyncer {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return elapsed, result.stdout + result.stderr


def sync_collection(url: str, auth: str, token: str) -> tuple[int, int]:
    """Responses and bytes of a sync-collection REPORT from ``token``."""
    body = (
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:">'
        f"<d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/></d:prop></d:sync-collection>"
    ).encode()
    request = urllib.request.Request(  # noqa: S310  # our own local server
        url, data=body, method="REPORT", headers={"Authorization": auth, "Depth": "1"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310  # our own local server
        content = response.read()
    return content.count(b"<d:response>"), len(content)


def raw_first_sync(url: str, auth: str) -> tuple[float, int, int]:
    """What a phone's first sync asks, timed: PROPFIND depth 1, then one multiget of all.

    Returns the seconds, the cards received and the bytes of the multiget's answer.
    """
    started = time.perf_counter()
    listing = urllib.request.Request(  # noqa: S310  # our own local server
        url,
        data=b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
        method="PROPFIND",
        headers={"Authorization": auth, "Depth": "1"},
    )
    with urllib.request.urlopen(listing) as response:  # noqa: S310  # our own local server
        content = response.read().decode()
    path = urllib.parse.urlsplit(url).path
    hrefs = [
        part.split("</d:href>")[0]
        for part in content.split("<d:href>")[1:]
        if part.split("</d:href>")[0] != path
    ]
    body = (
        '<?xml version="1.0"?><c:addressbook-multiget xmlns:d="DAV:" '
        'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/>'
        "</d:prop>"
        + "".join(f"<d:href>{href}</d:href>" for href in hrefs)
        + "</c:addressbook-multiget>"
    ).encode()
    fetch = urllib.request.Request(  # noqa: S310  # our own local server
        url, data=body, method="REPORT", headers={"Authorization": auth, "Depth": "1"}
    )
    with urllib.request.urlopen(fetch) as response:  # noqa: S310  # our own local server
        cards = response.read()
    return time.perf_counter() - started, cards.count(b"BEGIN:VCARD"), len(cards)


def first_token(url: str, auth: str) -> str:
    body = b'<?xml version="1.0"?><propfind xmlns="DAV:"><prop><sync-token/></prop></propfind>'
    request = urllib.request.Request(  # noqa: S310  # our own local server
        url, data=body, method="PROPFIND", headers={"Authorization": auth, "Depth": "0"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310  # our own local server
        content: str = response.read().decode()
    start = content.index("urn:eyecontact:sync:")
    return content[start : content.index("<", start)]


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    home = Path(tempfile.gettempdir()) / "eyecontact-bench-carddav"
    configure(arguments.database_url, home)
    from django.core.management import call_command

    from eyecontact.accounts.services import token_create

    call_command("migrate", interactive=False, verbosity=0)
    user, workspace = fill(people=arguments.people, touches=arguments.touches, fresh=False)
    _, key = token_create(user=user, name="CardDAV benchmark")
    auth = "Basic " + base64.b64encode(f"{user.email}:{key}".encode()).decode()

    port = free_port()
    environment = {**os.environ, "EYECONTACT_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(  # noqa: S603  # our own command line
        [str(BIN / "eyecontact"), "serve", "--port", str(port), "--demo-people", "0"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/")
        folder = Path(tempfile.mkdtemp(prefix="eyecontact-carddav-phone-"))
        config = folder / "config"
        config.write_text(
            f'[general]\nstatus_path = "{folder / "status"}/"\n\n'
            '[pair phone]\na = "phone_folder"\nb = "phone_server"\n'
            'collections = ["from b"]\nconflict_resolution = "b wins"\n\n'
            f'[storage phone_folder]\ntype = "filesystem"\npath = "{folder / "cards"}/"\n'
            'fileext = ".vcf"\n\n'
            f'[storage phone_server]\ntype = "carddav"\nurl = "{base}/"\n'
            f'username = "{user.email}"\npassword = "{key}"\n'
        )
        vdirsyncer(config, "discover", "phone")
        book_url = f"{base}/dav/addressbooks/{workspace.slug}/"
        token = first_token(book_url, auth)
        raw, raw_cards, raw_bytes = raw_first_sync(book_url, auth)
        first, _ = vdirsyncer(config, "sync")
        cards = len(list((folder / "cards" / workspace.slug).glob("*.vcf")))
        second, log = vdirsyncer(config, "sync")
        copied = sum(log.count(word) for word in ("Copying", "Updating", "Deleting"))
        changes, size = sync_collection(book_url, auth, token)
    finally:
        server.terminate()
        server.wait(timeout=30)
    vendor = "postgresql" if arguments.database_url.startswith("postgres") else "sqlite"
    return {
        "database": vendor,
        "people": arguments.people,
        "touches": arguments.touches,
        "server_first_sync_s": round(raw, 1),
        "server_first_sync_cards": raw_cards,
        "server_first_sync_mb": round(raw_bytes / 1e6, 1),
        "cards_on_the_phone": cards,
        "vdirsyncer_first_sync_s": round(first, 1),
        "vdirsyncer_second_sync_s": round(second, 1),
        "second_sync_cards_sent": copied,
        "sync_collection_changes": changes,
        "sync_collection_bytes": size,
        # The goal is the phone's: the whole first sync through a real client under 30 s.
        "goal_met": cards == arguments.people
        and raw < 30
        and first < 30
        and copied == 0
        and changes == 0,
        "load_average": os.getloadavg()[0],
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def report(figures: dict[str, Any]) -> str:
    return "\n".join(
        [
            "# CardDAV sync of a big workspace",
            "",
            "`.venv/bin/python bench/carddav_bench.py` — vdirsyncer against `eyecontact serve`.",
            "",
            "| figure | value |",
            "|---|---|",
            *(f"| {name.replace('_', ' ')} | {value} |" for name, value in figures.items()),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--touches", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-save", action="store_true")
    arguments = parser.parse_args(argv)
    figures = run(arguments)
    text = report(figures)
    print(text)
    if not arguments.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = f"carddav-{figures['database']}"
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(text)
    return 0 if figures["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
