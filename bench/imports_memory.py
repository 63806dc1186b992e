"""Peak memory and time of importing the largest file Eye Contact accepts, for each format.

    .venv/bin/python bench/imports_memory.py [--formats ical,vcard,...] [--fill 1.0]
        [--out bench/results] [--no-save] [--before OLD.json] [--merge PART.json ...]

For each format, generates a file of the largest accepted size (``FORMAT_MAX_BYTES``, times
``--fill``; unique people, realistic rows), sets up a fresh data folder (SQLite: migrate, a user
and a workspace, each through the ``eyecontact`` command), then runs ``eyecontact import FILE``
as a user would and samples the resident memory of that process and of the processes it starts
(the reading process too) every 20 ms from /proc. It also sends two files that must be refused
(one just over a limit, and a 1 MB zip that unpacks to 300 MB) and checks they end with a
message and a non-zero exit, quickly and without memory. Prints a table and writes
``bench/results/imports-memory.json`` and ``.md``.

``--before`` names the results of an earlier run (its ``imports-memory.json``): the report then
sets each format's peak beside the earlier one. ``--merge`` adds the rows of runs made apart
(``--formats``, run side by side to save time) to this one's, by format.

The aim: under 1 GB for every accepted file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eyecontact.imports.sources.archive import MAX_TOTAL_BYTES  # noqa: E402  # after the path
from eyecontact.imports.sources.formats import all_formats  # noqa: E402
from eyecontact.imports.sources.reading import MAX_UPLOAD_BYTES  # noqa: E402

# Each format's own size limit, by name.
FORMAT_MAX_BYTES = {f.name: f.max_bytes for f in all_formats()}

RESULTS = Path(__file__).resolve().parent / "results"
EYECONTACT = Path(sys.executable).parent / "eyecontact"
AIM_MB = 1024.0
SAMPLE_S = 0.02
PASSWORD = "bench-only-password-0"  # noqa: S105  # a throwaway local benchmark account
GIVEN = ("Ada", "Ben", "Chloé", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kai")
FAMILY = ("Byrne", "Okafor", "Nakamura", "Dupont", "Schmidt", "Rossi", "Haddad", "Novak")
COMPANIES = ("Acme GmbH", "Cedar Labs", "Dijk Systems", "Nordlicht AG", "Flora Analytics")


def person(n: int) -> tuple[str, str, str, str]:
    given = GIVEN[n % len(GIVEN)]
    family = f"{FAMILY[(n // len(GIVEN)) % len(FAMILY)]}{n}"
    email = f"{given.lower().replace('é', 'e')}.{family.lower()}@example{n % 97}.org"
    return given, family, email, COMPANIES[n % len(COMPANIES)]


def fill(target: int, head: bytes, row: Callable[[int], bytes], tail: bytes = b"") -> bytes:
    """``head``, then rows until the file is as close to ``target`` bytes as a row allows."""
    out = io.BytesIO()
    out.write(head)
    n = 0
    while True:
        line = row(n)
        if out.tell() + len(line) + len(tail) > target:
            break
        out.write(line)
        n += 1
    out.write(tail)
    return out.getvalue()


def linkedin(target: int) -> bytes:
    head = (
        b'Notes:\n"When exporting your connection data, you may notice that some of the email '
        b'addresses are missing."\n\n'
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    )

    def row(n: int) -> bytes:
        given, family, email, company = person(n)
        day = dt.date(2010, 1, 1) + dt.timedelta(days=n % 5000)
        return (
            f"{given},{family},https://www.linkedin.com/in/{given.lower()}-{family.lower()},"
            f"{email if n % 3 == 0 else ''},{company},Engineer,{day:%d %b %Y}\n"
        ).encode()

    return fill(target, head, row)


def google(target: int) -> bytes:
    head = (
        b"First Name,Middle Name,Last Name,Organization Name,Organization Title,Birthday,Notes,"
        b"E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
    )

    def row(n: int) -> bytes:
        given, family, email, company = person(n)
        return f"{given},,{family},{company},CTO,,,* Work,{email},Mobile,+49 170 {n:07d}\n".encode()

    return fill(target, head, row)


def facebook(target: int) -> bytes:
    def row(n: int) -> bytes:
        given, family, _, _ = person(n)
        lead = b"" if n == 0 else b",\n"
        return (
            lead
            + json.dumps({"name": f"{given} {family}", "timestamp": 1_400_000_000 + n}).encode()
        )

    return fill(target, b'{"friends_v2": [\n', row, b"\n]}")


def x_follower(target: int) -> bytes:
    def row(n: int) -> bytes:
        account = 10**15 + n
        lead = b"" if n == 0 else b",\n"
        return (
            lead
            + (
                f'  {{\n    "follower" : {{\n      "accountId" : "{account}",\n      "userLink" : '
                f'"https://twitter.com/intent/user?user_id={account}"\n    }}\n  }}'
            ).encode()
        )

    return fill(target, b"window.YTD.follower.part0 = [\n", row, b"\n]")


def x_ids(target: int) -> bytes:
    return fill(target, b"", lambda n: f"{10**15 + n}\n".encode())


def vcard(target: int) -> bytes:
    def row(n: int) -> bytes:
        given, family, email, company = person(n)
        return (
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{family};{given};;;\r\nFN:{given} {family}\r\nORG:{company};\r\n"
            f"EMAIL;type=INTERNET;type=WORK;type=pref:{email}\r\n"
            f"TEL;type=CELL;type=VOICE;type=pref:+49 170 {n:07d}\r\n"
            f"UID:bench-{n}\r\nEND:VCARD\r\n"
        ).encode()

    return fill(target, b"", row)


def ical(target: int) -> bytes:
    head = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
        b"X-WR-CALNAME:owner@example.net\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
    )

    def row(n: int) -> bytes:
        start = dt.datetime(2016, 1, 4, 8, tzinfo=dt.UTC) + dt.timedelta(hours=n % 80_000)
        lines = [
            "BEGIN:VEVENT",
            f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + dt.timedelta(minutes=45):%Y%m%dT%H%M%SZ}",
            f"UID:bench-{n}@google.com",
            f"SUMMARY:Meeting {n}",
            "LOCATION:Room 4",
            "ORGANIZER;CN=Owner:mailto:owner@example.net",
            "ATTENDEE;CN=Owner;PARTSTAT=ACCEPTED:mailto:owner@example.net",
        ]
        for k in range(3):
            given, family, email, _ = person((n * 3 + k) % 40_000)
            lines.append(f"ATTENDEE;CN={given} {family};PARTSTAT=ACCEPTED:mailto:{email}")
        if n % 50 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=20")
        lines.append("END:VEVENT")
        return ("\r\n".join(lines) + "\r\n").encode()

    return fill(target, head, row, b"END:VCALENDAR\r\n")


# name, file name, format whose limit applies, generator
ACCEPTED: tuple[tuple[str, str, str, Callable[[int], bytes]], ...] = (
    ("linkedin", "Connections.csv", "linkedin_connections", linkedin),
    ("google", "contacts.csv", "google_csv", google),
    ("facebook", "your_friends.json", "facebook_friends", facebook),
    ("x_follower", "follower.js", "x_follower", x_follower),
    ("x_ids", "ids.csv", "x_csv", x_ids),
    ("vcard", "contacts.vcf", "vcard", vcard),
    ("ical", "calendar.ics", "ical", ical),
)


def archive_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as packed:
        for name, data in members.items():
            packed.writestr(name, data)
    return buffer.getvalue()


class Sampler:
    """The largest resident memory of a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._page_mb = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_S):
            self.peak_mb = max(self.peak_mb, self._tree_mb(self.pid))

    def _tree_mb(self, pid: int) -> float:
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            children = [
                int(child)
                for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()
            ]
        except (OSError, ValueError, IndexError):
            return 0.0
        return pages * self._page_mb + sum(self._tree_mb(child) for child in children)


def fresh_home(folder: Path) -> dict[str, str]:
    env = {**os.environ, "EYECONTACT_HOME": str(folder), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE")
    run = [str(EYECONTACT)]
    subprocess.run([*run, "manage", "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603  # our own command
        [*run, "user", "create", "owner@example.net", "--workspace", "Bench"],
        env=env,
        input=f"{PASSWORD}\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return env


def measure(path: Path, home: Path) -> dict[str, Any]:
    env = fresh_home(home)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603  # our own command
        [str(EYECONTACT), "import", "--json", str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = Sampler(process.pid)
    out, err = process.communicate()
    peak = sampler.stop()
    seconds = time.perf_counter() - started
    try:
        summary = json.loads(out)[0]
    except (ValueError, IndexError):
        summary = {}
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak, 1),
        "exit": process.returncode,
        "status": summary.get("status", ""),
        "rows": sum(
            summary.get("counts", {}).get(key, 0)
            for key in ("people_new", "people_matched", "touches_new")
        ),
        "errors": summary.get("errors") or ([err.strip().splitlines()[-1]] if err.strip() else []),
    }


def environment() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "commit": commit,
        "date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "database": "SQLite",
    }


def report(result: dict[str, Any]) -> str:
    mb = 1024 * 1024
    lines = [
        "# Importing the largest accepted file of each format: peak memory and time",
        "",
        "Each file is generated at the largest size Eye Contact accepts for its format, then "
        "imported into a fresh SQLite data folder with `eyecontact import --json FILE`, as a user "
        "would; the resident memory of that command and of the processes it starts (the reading "
        "process) is sampled every 20 ms.",
        "",
        "| Format | File | Size | Limit | Seconds | Peak RSS MB | Aim | Met | Exit |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for row in result["accepted"]:
        met = "yes" if row["peak_mb"] < AIM_MB and row["exit"] == 0 else "no"
        lines.append(
            f"| {row['format']} | {row['file']} | {row['bytes'] / mb:.1f} MB | "
            f"{row['limit'] / mb:g} MB | {row['seconds']} | {row['peak_mb']:.0f} | "
            f"< {AIM_MB:.0f} | {met} | {row['exit']} |"
        )
    lines += [
        "",
        "Files that must be refused (a clear message, a non-zero exit, no memory spent):",
        "",
        "| Case | Size | Seconds | Peak RSS MB | Exit | Message |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in result["refused"]:
        message = "; ".join(row["errors"]).replace("|", "/")
        lines.append(
            f"| {row['case']} | {row['bytes'] / mb:.1f} MB | {row['seconds']} | "
            f"{row['peak_mb']:.0f} | {row['exit']} | {message} |"
        )
    before = result.get("before")
    if before:
        earlier = {row["format"]: row for row in before["accepted"]}
        lines += [
            "",
            f"Before and after (the earlier run: commit {before.get('commit', '?')}, "
            f"{before.get('date', '?')}):",
            "",
            "| Format | Size | Peak RSS MB before | Peak RSS MB now | Change |",
            "|---|---:|---:|---:|---:|",
        ]
        for row in result["accepted"]:
            old = earlier.get(row["format"])
            if old is None:
                continue
            change = (row["peak_mb"] - old["peak_mb"]) / old["peak_mb"] * 100
            lines.append(
                f"| {row['format']} | {row['bytes'] / mb:.1f} MB | {old['peak_mb']:.0f} | "
                f"{row['peak_mb']:.0f} | {change:+.0f}% |"
            )
    lines += [
        "",
        f"Python {result['python']}, {result['machine']}, commit {result['commit']}, "
        f"{result['date']}. Run: `make bench-imports-memory` "
        "(`.venv/bin/python bench/imports_memory.py`).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--formats", default="", help="comma-separated names; default all")
    parser.add_argument("--fill", type=float, default=1.0, help="fraction of each limit")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--before", type=Path, help="an earlier imports-memory.json to compare")
    parser.add_argument(
        "--merge", type=Path, nargs="*", default=[], help="results of runs made apart to add"
    )
    arguments = parser.parse_args(argv)
    chosen = {n for n in arguments.formats.split(",") if n}
    result: dict[str, Any] = {"accepted": [], "refused": [], **environment()}
    if arguments.before:
        result["before"] = json.loads(arguments.before.read_text())
        result["before"].pop("before", None)
    with tempfile.TemporaryDirectory(prefix="eyecontact-memory-bench-") as temporary:
        folder = Path(temporary)
        for name, file_name, kind, make in ACCEPTED:
            if chosen and name not in chosen:
                continue
            limit = FORMAT_MAX_BYTES[kind]
            path = folder / file_name
            path.write_bytes(make(int(limit * arguments.fill)))
            row = measure(path, folder / f"home-{name}")
            row.update(format=name, limit=limit)
            print(json.dumps(row), flush=True)
            result["accepted"].append(row)
            path.unlink()
        if not chosen or "refused" in chosen:
            over = folder / "Connections.csv"
            over.write_bytes(linkedin(FORMAT_MAX_BYTES["linkedin_connections"] + 1024 * 1024))
            bomb = folder / "bomb.zip"
            bomb.write_bytes(
                archive_of({"Connections.csv": b"First Name,Last Name\n" + b"," * (300 << 20)})
            )
            huge = folder / "huge.csv"
            with huge.open("wb") as sparse:
                sparse.truncate(MAX_UPLOAD_BYTES + (1 << 20))  # a sparse file: nothing to read
            for case, path in (
                ("LinkedIn CSV 1 MB over its limit", over),
                ("1 MB zip that unpacks to 300 MB", bomb),
                ("file over the upload limit", huge),
            ):
                row = measure(path, folder / f"home-{path.stem}")
                row["case"] = case
                print(json.dumps(row), flush=True)
                result["refused"].append(row)
    measured_here = bool(result["accepted"] or result["refused"])
    for number, part in enumerate(arguments.merge):
        other = json.loads(part.read_text())
        if not measured_here and number == 0:
            # Only a report of runs made apart: their commit and time, not this one's.
            result.update(commit=other["commit"], date=other["date"])
        ran = {row["format"] for row in result["accepted"]}
        result["accepted"] += [row for row in other["accepted"] if row["format"] not in ran]
        result["refused"] += other["refused"] if not result["refused"] else []
    order = [name for name, *_ in ACCEPTED]
    result["accepted"].sort(key=lambda row: order.index(row["format"]))
    result["aim_mb"] = AIM_MB
    result["max_total_bytes"] = MAX_TOTAL_BYTES
    text = report(result)
    print(text)
    if not arguments.no_save:
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "imports-memory.json").write_text(json.dumps(result, indent=2) + "\n")
        (out / "imports-memory.md").write_text(text)
        print(f"Wrote {out / 'imports-memory'}.json and .md")
    ok = all(r["peak_mb"] < AIM_MB and r["exit"] == 0 for r in result["accepted"]) and all(
        r["exit"] != 0 for r in result["refused"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
