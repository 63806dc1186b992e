"""The bytes of each export, written the way LinkedIn, Facebook, X and an iPhone write them.

See /work/shared/fixtures/formats.md and the sample exports in
``eyecontact/imports/tests/fixtures``: LinkedIn's Connections.csv with its Notes preamble, LF
line ends and no newline after the last row; Facebook's ``friends_v2`` JSON with its mojibake;
X's ``window.YTD.<name>.part0 = [...]`` files with ``" : "``; Apple's vCard 3.0 with CRLF, item
groups and lines folded at 75 octets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from bench.gen.network import (
    OWNER_EMAIL,
    OWNER_NAME,
    OWNER_X_ID,
    FacebookRow,
    LinkedInRow,
    VCardRow,
)

__all__ = ["fold", "ical_text", "linkedin_csv", "facebook_json", "vcard_file", "x_archive"]

LINKEDIN_NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The archive's own timestamp, fixed so the same seed gives the same bytes.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _day_mon_year(day: dt.date) -> str:
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def linkedin_csv(rows: Iterable[LinkedInRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for row in rows:
        record = row.record
        when = _day_mon_year(row.connected_on)
        if record is None:
            writer.writerow(["", "", "", "", "", "", when])
            continue
        email = record.emails[0] if record.emails else ""
        writer.writerow(
            [
                record.given_name,
                record.family_name,
                row.url,
                email,
                record.organization,
                record.title,
                when,
            ]
        )
    return (LINKEDIN_NOTES + out.getvalue().removesuffix("\n")).encode("utf-8")


def _mojibake(text: str) -> str:
    """Meta's bug: the UTF-8 bytes of a string written as Latin-1 characters."""
    return text.encode("utf-8").decode("latin-1")


def facebook_json(rows: Iterable[FacebookRow]) -> bytes:
    friends = [{"name": _mojibake(row.name), "timestamp": row.timestamp} for row in rows]
    return json.dumps({"friends_v2": friends}, indent=2).encode("ascii")


def _x_file(name: str, entries: Sequence[Mapping[str, object]]) -> bytes:
    body = json.dumps(entries, indent=2, separators=(",", " : "), ensure_ascii=False)
    return f"window.YTD.{name}.part0 = {body}".encode()


def x_archive(followers: Iterable[str], following: Iterable[str], generated: dt.date) -> bytes:
    def link(account: str) -> str:
        return f"https://twitter.com/intent/user?user_id={account}"

    account = {
        "account": {
            "email": OWNER_EMAIL,
            "createdVia": "web",
            "username": "morgan_ellery",
            "accountId": OWNER_X_ID,
            "createdAt": "2014-10-22T08:15:42.000Z",
            "accountDisplayName": OWNER_NAME,
        }
    }
    members = {
        "data/account.js": _x_file("account", [account]),
        "data/follower.js": _x_file(
            "follower",
            [{"follower": {"accountId": a, "userLink": link(a)}} for a in followers],
        ),
        "data/following.js": _x_file(
            "following",
            [{"following": {"accountId": a, "userLink": link(a)}} for a in following],
        ),
        "data/manifest.js": (
            'window.__THAR_CONFIG = {\n  "archiveInfo" : {\n'
            f'    "generationDate" : "{generated.isoformat()}T00:00:00.000Z"\n  }}\n}}'
        ).encode(),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def fold(line: str) -> list[str]:
    """A content line cut into lines of at most 75 octets, never inside a character."""
    if len(line.encode("utf-8")) <= 75:
        return [line]
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return [parts[0], *(" " + p for p in parts[1:])]


def ical_text(value: str) -> str:
    """A TEXT value escaped as vCard and iCalendar want it."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _card(row: VCardRow) -> list[str]:
    record = row.record
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Apple Inc.//iPhone OS 18.3//EN",
        f"N:{ical_text(record.family_name)};{ical_text(record.given_name)};;;",
        f"FN:{ical_text(record.full_name)}",
    ]
    if record.organization:
        lines.append(f"ORG:{ical_text(record.organization)};")
    if record.title:
        lines.append(f"TITLE:{ical_text(record.title)}")
    group = 0
    for n, email in enumerate(record.emails):
        kind = "WORK" if n == 0 else "HOME"
        pref = ";type=pref" if n == 0 else ""
        if n == 1:
            group += 1
            lines.append(f"item{group}.EMAIL;type=INTERNET{pref}:{email}")
            lines.append(f"item{group}.X-ABLabel:_$!<Other>!$_")
        else:
            lines.append(f"EMAIL;type=INTERNET;type={kind}{pref}:{email}")
    for phone in record.phones:
        lines.append(f"TEL;type=CELL;type=VOICE;type=pref:{phone}")
    if record.city:
        group += 1
        lines.append(f"item{group}.ADR;type=WORK;type=pref:;;;{ical_text(record.city)};;;")
        lines.append(f"item{group}.X-ABADR:de")
    for website in record.websites:
        group += 1
        lines.append(f"item{group}.URL;type=pref:https://{website}")
        lines.append(f"item{group}.X-ABLabel:_$!<HomePage>!$_")
    if row.linkedin_url:
        lines.append(f"X-SOCIALPROFILE;type=linkedin:{row.linkedin_url}")
    if row.x_account_id:
        lines.append(
            f"X-SOCIALPROFILE;type=twitter;x-user={row.x_handle};x-userid={row.x_account_id}:"
            f"http://twitter.com/{row.x_handle}"
        )
    lines.append(f"UID:{row.uid}")
    lines.append("END:VCARD")
    return [part for line in lines for part in fold(line)]


def vcard_file(rows: Iterable[VCardRow]) -> bytes:
    lines = [line for row in rows for line in _card(row)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
