"""X (Twitter) archive files and follower-list CSVs.

Archive files are JavaScript: ``window.YTD.follower.part0 = [ ... ]`` where the list is JSON.
``follower.js`` and ``following.js`` hold only numeric account ids (kept as strings: they pass
2**53); ``account.js`` tells who the owner is. Third-party CSV exports (``id``,
``screen_name``, ``name``, ...) add handles and names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

from eyecontact.imports.sources._json import json_list_entries
from eyecontact.imports.sources._text import Table, clean
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.records import (
    Connection,
    ConnectionKind,
    ContactRecord,
    OwnerInfo,
    ParseResult,
    Record,
    SkippedRow,
)
from eyecontact.matching.normalize import normalize_x

__all__ = [
    "X_ARCHIVE_PREFIX",
    "classify_x_header",
    "parse_x_archive",
    "parse_x_csv",
    "x_archive_kind",
]

X_ARCHIVE_PREFIX = re.compile(r"\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_ACCOUNT_ID = re.compile(r"^\d{1,25}$")
_KINDS: dict[str, ConnectionKind] = {"follower": "follower", "following": "following"}

_ID_COLUMNS = ("accountid", "account id", "id", "id_str", "user_id", "userid", "rest_id", "user id")
_HANDLE_COLUMNS = ("screen_name", "screen name", "username", "handle", "user", "x handle")
_X_ONLY_COLUMNS = {
    "screen_name",
    "screen name",
    "followers_count",
    "friends_count",
    "followed_by",
    "follows you",
    "profile_image_url",
    "profile_image",
    "accountid",
    "userlink",
}


def x_archive_kind(text: str) -> str | None:
    """``follower``, ``following``, ``account``, ... for an archive file; None otherwise."""
    match = X_ARCHIVE_PREFIX.match(text)
    return match.group(1) if match else None


def _entries(file_name: str, text: str) -> tuple[str, Iterator[object]]:
    """The archive file's name (``follower``) and its entries, read one at a time."""
    match = X_ARCHIVE_PREFIX.match(text)
    if match is None:
        raise ImportFileError(
            file_name, 1, "expected an X archive file: window.YTD.<name>.part0 = [...]"
        )
    if text[match.end() : match.end() + 1] != "[":
        raise ImportFileError(file_name, 1, "expected a list after window.YTD.<name>.part0 =")
    return match.group(1), json_list_entries(file_name, text, match.end())


def parse_x_archive(file_name: str, text: str) -> ParseResult:
    name, entries = _entries(file_name, text)
    if name == "account":
        return _parse_account(file_name, entries)
    kind = _KINDS.get(name)
    if kind is None:
        raise ImportFileError(
            file_name,
            1,
            f"the X archive file {name!r} is not imported; expected follower.js, following.js "
            "or account.js",
        )
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    seen: set[str] = set()
    link = Connection("x", kind, None)  # the same for every account of the list
    for position, entry in enumerate(entries, start=1):
        inner = entry.get(name) if isinstance(entry, dict) else None
        account_id = inner.get("accountId") if isinstance(inner, dict) else None
        if isinstance(account_id, int) and not isinstance(account_id, bool):
            account_id = str(account_id)
        if not isinstance(account_id, str) or not _ACCOUNT_ID.match(account_id):
            skipped.append(SkippedRow(position, "no account id"))
            continue
        if account_id in seen:
            skipped.append(SkippedRow(position, "duplicate", account_id))
            continue
        seen.add(account_id)
        records.append(
            ContactRecord(
                source_format="x",
                file_name=file_name,
                line=position,
                key=f"id:{account_id}",
                x_account_id=account_id,
                connection=link,
            )
        )
    return ParseResult(
        format=f"x_{name}",
        file_name=file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )


def _parse_account(file_name: str, entries: Iterable[object]) -> ParseResult:
    for entry in entries:
        account = entry.get("account") if isinstance(entry, dict) else None
        if not isinstance(account, dict):
            continue
        email = account.get("email")
        account_id = account.get("accountId")
        return ParseResult(
            format="x_account",
            file_name=file_name,
            owner=OwnerInfo(
                name=clean(str(account.get("accountDisplayName") or "")),
                emails=(email.strip().lower(),) if isinstance(email, str) and "@" in email else (),
                x_account_id=str(account_id) if isinstance(account_id, str | int) else "",
                x_handle=str(account.get("username") or ""),
            ),
        )
    raise ImportFileError(file_name, 1, 'expected an "account" entry in account.js')


def classify_x_header(cells: list[str]) -> str | None:
    names = set(cells)
    has_handle = any(c in names for c in _HANDLE_COLUMNS)
    has_id = any(c in names for c in _ID_COLUMNS)
    if names & _X_ONLY_COLUMNS and (has_handle or has_id):
        return "x_csv"
    if (has_handle or has_id) and len(cells) <= 4 and not names & {"first name", "email"}:
        return "x_csv"
    return None


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "yes", "1", "y")


def parse_x_csv(table: Table, *, snapshot: dt.date | None = None) -> ParseResult:
    id_column = table.index(*_ID_COLUMNS)
    handle_column = table.index(*_HANDLE_COLUMNS)
    name_column = table.index("name", "profile name", "display name")
    bio_column = table.index("description", "bio")
    website_column = table.index("website", "url")
    city_column = table.index("location")
    following_column = table.index("following", "you follow")
    followed_by_column = table.index("followed_by", "follows you", "followed by")
    lowered = table.file_name.lower()
    file_kind: ConnectionKind | None = (
        "follower" if "follower" in lowered else "following" if "following" in lowered else None
    )

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, row in table.rows:
        account_id = cell(row, id_column)
        if account_id and not _ACCOUNT_ID.match(account_id):
            account_id = ""
        handle = ""
        raw_handle = cell(row, handle_column)
        if raw_handle:
            try:
                normalized = normalize_x(raw_handle)
            except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
                normalized = ""
            if normalized.startswith("id:"):
                account_id = account_id or normalized[3:]
            else:
                handle = normalized
        if not (account_id or handle):
            skipped.append(SkippedRow(line, "no account id or handle"))
            continue
        follows_owner = _truthy(cell(row, followed_by_column))
        followed = _truthy(cell(row, following_column))
        kind = file_kind
        if kind is None:
            if follows_owner:
                kind = "follower"
            elif followed:
                kind = "following"
        mutual = (follows_owner or kind == "follower") and (followed or kind == "following")
        website = cell(row, website_column)
        records.append(
            ContactRecord(
                source_format="x_csv",
                file_name=table.file_name,
                line=line,
                key=f"id:{account_id}" if account_id else f"handle:{handle}",
                full_name=clean(cell(row, name_column)),
                notes=cell(row, bio_column).replace("\\n", "\n"),
                websites=(website,) if website else (),
                city=clean(cell(row, city_column)),
                x_account_id=account_id,
                x_handle=handle,
                connection=Connection("x", kind, None) if kind else None,
                mutual=mutual,
            )
        )
    return ParseResult(
        format="x_csv",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
        snapshot_date=snapshot,
    )


def parse_x_id_list(file_name: str, lines: Iterable[str]) -> ParseResult:
    """A header-less list: one account id or @handle per line (``lines``: the file's lines, or
    its whole text)."""
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, raw in enumerate(lines.split("\n") if isinstance(lines, str) else lines, start=1):
        value = raw.strip().strip(",;").strip().strip('"')
        if not value:
            continue
        if _ACCOUNT_ID.match(value):
            account_id, handle = value, ""
        else:
            try:
                normalized = normalize_x(value)
            except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
                skipped.append(SkippedRow(line, "not an X account id or handle", value[:80]))
                continue
            account_id, handle = (
                (normalized[3:], "") if normalized.startswith("id:") else ("", normalized)
            )
        records.append(
            ContactRecord(
                source_format="x_csv",
                file_name=file_name,
                line=line,
                key=f"id:{account_id}" if account_id else f"handle:{handle}",
                x_account_id=account_id,
                x_handle=handle,
            )
        )
    return ParseResult(
        format="x_csv", file_name=file_name, records=tuple(records), skipped=tuple(skipped)
    )
