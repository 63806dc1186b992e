"""Which export a file is, from its content, and the one entry point that parses any of them.

Detection looks at the bytes, not the file name (people rename files, and Excel re-saves keep
the name): a ``BEGIN:VCALENDAR``/``BEGIN:VCARD`` line, the ``window.YTD.`` prefix of X archive
files, a Facebook list key in JSON, or a CSV header line among the first lines. The name is used
only to break a tie (X follower vs following CSVs).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import BinaryIO

from eyecontact.imports.sources._text import (
    TextFile,
    decode_text,
    first_line,
    read_table,
    split_header_line,
)
from eyecontact.imports.sources.contacts_csv import (
    classify_contacts_header,
    parse_google_csv,
    parse_outlook_csv,
)
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.facebook import FACEBOOK_KEY, parse_facebook
from eyecontact.imports.sources.ical import parse_ical
from eyecontact.imports.sources.linkedin import (
    classify_linkedin_header,
    parse_connections,
    parse_invitations,
)
from eyecontact.imports.sources.records import ParseResult
from eyecontact.imports.sources.vcard import parse_vcard
from eyecontact.imports.sources.x import (
    classify_x_header,
    parse_x_archive,
    parse_x_csv,
    parse_x_id_list,
    x_archive_kind,
)

__all__ = [
    "FORMATS",
    "FORMAT_MAX_BYTES",
    "MAX_FILE_BYTES",
    "UNREADABLE",
    "detect_format",
    "parse_file",
    "size_text",
    "stream_of",
]

MIB = 1024 * 1024
# The largest export file of any kind, and of each kind: a few times the largest real export
# (LinkedIn lists at most 30,000 connections, about 3 MB; Facebook at most 5,000 friends, under
# 1 MB; ten busy years of calendar are about 20 MB), and small enough that reading and
# importing the file stays under 1 GB of memory (see bench/results/imports-memory.md). What
# costs memory is the people a file holds, not its bytes, so a kind with short rows (a list of
# X account ids) gets a smaller limit than one with long rows (a calendar).
MAX_FILE_BYTES = 24 * MIB
FORMAT_MAX_BYTES = {
    "facebook_friends": 4 * MIB,
    "google_csv": 4 * MIB,
    "ical": 24 * MIB,
    "linkedin_connections": 8 * MIB,
    "linkedin_invitations": 8 * MIB,
    "outlook_csv": 4 * MIB,
    "vcard": 12 * MIB,
    "x_account": 1 * MIB,
    "x_csv": 3 * MIB // 2,
    "x_follower": 16 * MIB,
    "x_following": 16 * MIB,
}
_HEAD = 64 * 1024  # enough of a file to tell its kind
FORMAT_LABELS = {
    "facebook_friends": "Facebook friends file",
    "google_csv": "Google contacts CSV",
    "ical": "calendar (.ics)",
    "linkedin_connections": "LinkedIn Connections.csv",
    "linkedin_invitations": "LinkedIn Invitations.csv",
    "outlook_csv": "Outlook contacts CSV",
    "vcard": "vCard file",
    "x_account": "X account.js",
    "x_csv": "X account list",
    "x_follower": "X follower.js",
    "x_following": "X following.js",
}

FORMATS = (
    "facebook_friends",
    "google_csv",
    "ical",
    "linkedin_connections",
    "linkedin_invitations",
    "outlook_csv",
    "vcard",
    "x_account",
    "x_csv",
    "x_follower",
    "x_following",
)

UNREADABLE = (
    "could not be read: it holds values Eye Contact cannot make sense of, so nothing was "
    "imported; export the file again, or open it to check that it is the export itself"
)
_EXPECTED_CSV = "a LinkedIn, Google, Outlook or X"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_X_ID_LINE = re.compile(r"^\s*(?:\d{1,25}|@?[A-Za-z0-9_]{1,15})\s*[,;]?\s*$")


def _classify_csv(cells: list[str]) -> str | None:
    return (
        classify_linkedin_header(cells)
        or classify_contacts_header(cells)
        or classify_x_header(cells)
    )


def size_text(size: int) -> str:
    """A size as people read it: ``1.5 MB``, ``64 MB``, ``820 bytes``."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < MIB:
        return f"{size / 1024:,.0f} KB"
    megabytes = size / MIB
    return (
        f"{megabytes:,.0f} MB"
        if megabytes >= 10 or megabytes.is_integer()
        else f"{megabytes:.1f} MB"
    )


def _check_size(file_name: str, size: int, head: bytes, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportFileError(
            file_name,
            None,
            f"the file is {size_text(size)}; the largest export Eye Contact reads is "
            f"{size_text(max_bytes)}",
        )
    if head.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            file_name, None, "this is a zip archive; open it with the archive import"
        )


def stream_of(data: bytes | BinaryIO) -> tuple[BinaryIO, int]:
    """A seekable binary stream of an export and its size in bytes."""
    if isinstance(data, bytes):
        return io.BytesIO(data), len(data)
    size = data.seek(0, io.SEEK_END)
    data.seek(0)
    return data, size


def _detect_text(file_name: str, text: str) -> str:
    head = text.lstrip()[:4096]
    upper = head[:64].upper()
    if upper.startswith("BEGIN:VCALENDAR"):
        return "ical"
    if upper.startswith("BEGIN:VCARD"):
        return "vcard"
    archive_kind = x_archive_kind(head)
    if archive_kind is not None:
        if archive_kind in ("follower", "following", "account"):
            return f"x_{archive_kind}"
        raise ImportFileError(
            file_name,
            1,
            f"the X archive file {archive_kind!r} is not imported; expected follower.js, "
            "following.js or account.js",
        )
    if head.startswith(("{", "[")):
        if FACEBOOK_KEY.search(head) or head.startswith("["):
            return "facebook_friends"
        raise ImportFileError(
            file_name,
            1,
            'expected a Facebook friends file (a "friends_v2" or "friends" list); found other JSON',
        )
    for line in text.split("\n", 15)[:15]:
        if not line.strip():
            continue
        _, cells = split_header_line(line.strip())
        kind = _classify_csv(cells)
        if kind is not None:
            if kind == "linkedin_messages":
                raise ImportFileError(
                    file_name,
                    1,
                    "this is LinkedIn's messages.csv; expected Connections.csv or Invitations.csv",
                )
            return "linkedin_connections" if kind == "linkedin_outlook_connections" else kind
    lines = [line for line in text.split("\n", 50)[:50] if line.strip()]
    if (
        lines
        and all(_X_ID_LINE.match(line) for line in lines)
        and any(c.isdigit() for c in lines[0])
    ):
        return "x_csv"
    raise ImportFileError(
        file_name, 1, f"expected {_EXPECTED_CSV} header; found: {first_line(text)!r}"
    )


def detect_format(
    file_name: str, data: bytes | BinaryIO, *, max_bytes: int = MAX_FILE_BYTES
) -> str:
    """One of :data:`FORMATS`; :class:`ImportFileError` when the file is none of them."""
    stream, size = stream_of(data)
    head = stream.read(_HEAD)
    _check_size(file_name, size, head, max_bytes)
    return _detect_text(file_name, decode_text(file_name, head, final=len(head) == size))


def parse_file(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
    max_bytes: int = MAX_FILE_BYTES,
) -> ParseResult:
    """Every record of one export file: its bytes, or a seekable binary stream of them, which
    is read as it goes (never whole into memory, but for JSON).

    ``until`` bounds calendar recurrences and drops future meetings (default: now);
    ``owner_emails`` are the user's own addresses, removed from calendar attendees.
    Raises only :class:`ImportFileError`.
    """
    try:
        return _parse(file_name, data, until=until, owner_emails=owner_emails, max_bytes=max_bytes)
    except ImportFileError:
        raise
    except RecursionError:
        raise ImportFileError(file_name, None, "the file is nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
        # A safety net: every parser validates what it reads, but an export we have never
        # seen must still end in a message for the user, not a crash of the import.
        raise ImportFileError(file_name, None, UNREADABLE) from None


def _parse(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    until: dt.datetime | None,
    owner_emails: Iterable[str],
    max_bytes: int,
) -> ParseResult:
    stream, size = stream_of(data)
    head = stream.read(_HEAD)
    _check_size(file_name, size, head, max_bytes)
    # The kind its beginning shows, and its size refused for that kind before it is read.
    head_text = decode_text(file_name, head, final=len(head) == size)
    kind = _detect_text(file_name, head_text)
    _check_kind_size(file_name, size, kind, max_bytes)
    text = TextFile.open(file_name, stream)
    if kind == "ical":
        return parse_ical(file_name, text.utf8(), until=until, owner_emails=owner_emails)
    if kind == "vcard":
        # vCard lines are read as bytes (folds can split characters); UTF-16 goes via UTF-8.
        return parse_vcard(file_name, text.utf8())
    if kind.startswith("x_") and kind != "x_csv":
        return parse_x_archive(file_name, text.read())
    if kind == "facebook_friends":
        return parse_facebook(file_name, text.read())
    if kind == "x_csv" and _classify_first_header(head_text) is None:
        return parse_x_id_list(file_name, text.lines())
    table = read_table(file_name, text, _classify_csv, _EXPECTED_CSV)
    if table.kind in ("linkedin_connections", "linkedin_outlook_connections"):
        return parse_connections(table)
    if table.kind == "linkedin_invitations":
        return parse_invitations(table)
    if table.kind == "google_csv":
        return parse_google_csv(table)
    if table.kind == "outlook_csv":
        return parse_outlook_csv(table)
    return parse_x_csv(table)


def _check_kind_size(file_name: str, size: int, kind: str, max_bytes: int) -> None:
    limit = min(max_bytes, FORMAT_MAX_BYTES.get(kind, max_bytes))
    if size > limit:
        raise ImportFileError(
            file_name,
            None,
            f"the file is {size_text(size)}; the largest {FORMAT_LABELS[kind]} Eye Contact "
            f"reads is {size_text(limit)}, a few times the largest real export",
        )


def _classify_first_header(text: str) -> str | None:
    for line in text.split("\n", 15)[:15]:
        if line.strip():
            kind = _classify_csv(split_header_line(line.strip())[1])
            if kind is not None:
                return kind
    return None
