"""Facebook "Download Your Information" friends lists (JSON).

Accepted shapes: ``{"friends_v2": [...]}`` (2021 to now, ``your_friends.json`` or
``friends.json``), ``{"friends": [...]}`` (2018-2020), and the follower files
``{"followers_v3": [...]}`` / ``{"following_v3": [...]}``. Each entry is
``{"name": str, "timestamp": seconds}`` with an optional ``contact_info``.

Meta writes the UTF-8 bytes of every string as Latin-1 code points ("JosÃ©"); we undo that per
string after parsing. Friends carry only a display name, so the re-import key is the folded name
plus the friendship timestamp.
"""

from __future__ import annotations

import datetime as dt
import re

from eyecontact.imports.sources._common import emails_of
from eyecontact.imports.sources._json import load_json
from eyecontact.imports.sources._text import clean
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.records import (
    Connection,
    ConnectionKind,
    ContactRecord,
    ParseResult,
    Record,
    SkippedRow,
)
from eyecontact.matching.normalize import fold_name

__all__ = ["FACEBOOK_KEY", "fix_meta_text", "parse_facebook"]

# The list keys of the friend and follower files across eras, with what each list means.
_LIST_KINDS: dict[str, ConnectionKind] = {
    "friends_v2": "friend",
    "friends": "friend",
    "friends_v3": "friend",
    "followers_v3": "follower",
    "followers_v2": "follower",
    "followers": "follower",
    "following_v3": "following",
    "following_v2": "following",
    "following": "following",
}
FACEBOOK_KEY = re.compile(r'"(' + "|".join(_LIST_KINDS) + r')"\s*:\s*\[')
_LOWEST_TIMESTAMP = 0
_HIGHEST_TIMESTAMP = 4_102_444_800  # 2100-01-01; beyond that the value is not seconds


def fix_meta_text(text: str) -> str:
    """Repair Meta's mojibake: ``"JosÃ©"`` becomes ``"José"``; other text is left alone."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _friend_list(file_name: str, document: object) -> tuple[list[object], ConnectionKind]:
    if isinstance(document, list):
        return document, "friend"
    if isinstance(document, dict):
        for key, kind in _LIST_KINDS.items():
            value = document.get(key)
            if isinstance(value, list):
                return value, kind
    raise ImportFileError(
        file_name,
        1,
        'expected a Facebook friends file with a "friends_v2" or "friends" list',
    )


def parse_facebook(file_name: str, text: str) -> ParseResult:
    entries, kind = _friend_list(file_name, load_json(file_name, text))
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            skipped.append(SkippedRow(position, "not a friend entry"))
            continue
        raw_name = entry.get("name")
        name = clean(fix_meta_text(raw_name)) if isinstance(raw_name, str) else ""
        if not name:
            skipped.append(SkippedRow(position, "no name", "deactivated or hidden account"))
            continue
        timestamp = entry.get("timestamp")
        connected_at: dt.datetime | None = None
        if (
            isinstance(timestamp, int | float)
            and not isinstance(timestamp, bool)
            and _LOWEST_TIMESTAMP < timestamp < _HIGHEST_TIMESTAMP
        ):
            connected_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
        contact_info = entry.get("contact_info")
        contacts = [fix_meta_text(contact_info)] if isinstance(contact_info, str) else []
        emails = emails_of(contacts)
        phones = tuple(c for c in contacts if c and "@" not in c)
        stamp = str(int(connected_at.timestamp())) if connected_at is not None else ""
        raw_id = entry.get("id") or entry.get("uri") or entry.get("href")
        facebook_id = str(raw_id) if isinstance(raw_id, str | int) else ""
        key = f"id:{facebook_id}" if facebook_id else f"name:{fold_name(name)}|{stamp}"
        records.append(
            ContactRecord(
                source_format="facebook",
                file_name=file_name,
                line=position,
                key=key,
                full_name=name,
                emails=emails,
                phones=phones,
                facebook_id=facebook_id,
                connection=Connection("facebook", kind, connected_at),
            )
        )
    return ParseResult(
        format="facebook_friends",
        file_name=file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )
