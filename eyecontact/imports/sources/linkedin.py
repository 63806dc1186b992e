"""LinkedIn's "Get a copy of your data" files: ``Connections.csv`` and ``Invitations.csv``.

Eras of ``Connections.csv`` we read (columns are mapped by name, so deleted or reordered columns
still work):

* 2023 to now: a three-line "Notes:" preamble, then ``First Name,Last Name,URL,Email Address,
  Company,Position,Connected On`` with ``12 Mar 2025`` dates;
* 2021-2023: the same without ``URL``; 2018: no preamble, ``"1/8/18, 6:14 PM"`` dates;
* Excel re-saves: BOM, CRLF, a preamble padded with delimiters, ``23-Nov-21`` dates, and in
  European locales ``;`` separators, ``23.11.2021`` dates and Windows-1252 bytes;
* up to 2017: the Outlook-style "export connections" file (``"Title","First Name",...``).

Rows that carry only a date are members who hid or deleted their profile: they are counted as
skipped ("hidden member"), never imported as people.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from eyecontact.imports.sources._common import (
    emails_of,
    fallback_key,
    join_name,
    pick_date_parser,
)
from eyecontact.imports.sources._text import Table, clean
from eyecontact.imports.sources.records import (
    Connection,
    ContactRecord,
    InvitationRecord,
    OwnerInfo,
    ParseResult,
    Record,
    SkippedRow,
)
from eyecontact.matching.normalize import fold_name, normalize_linkedin

__all__ = ["classify_linkedin_header", "parse_connections", "parse_invitations"]

HIDDEN_MEMBER = "hidden member"
NO_NAME = "no name or profile"

_OUTLOOK_STYLE_PREFIX = ["title", "first name", "middle name", "last name", "suffix"]


def classify_linkedin_header(cells: list[str]) -> str | None:
    """``linkedin_connections``, ``linkedin_invitations``, ``linkedin_messages`` or None."""
    names = set(cells)
    if "connected on" in names and ({"first name", "company", "position"} & names):
        return "linkedin_connections"
    if {"from", "to", "sent at", "direction"} <= names:
        return "linkedin_invitations"
    if "conversation id" in names or {"from", "to", "date", "content", "folder"} <= names:
        return "linkedin_messages"
    if cells[:5] == _OUTLOOK_STYLE_PREFIX and len(cells) > 5 and cells[5] == "e-mail address":
        # LinkedIn's pre-2018 Outlook-style export puts the e-mail right after the suffix;
        # Outlook itself puts the company there.
        return "linkedin_outlook_connections"
    return None


def _slug_key(url: str) -> str | None:
    if not url:
        return None
    try:
        return "slug:" + normalize_linkedin(url)
    except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
        return None


def _split_credentials(last_name: str) -> tuple[str, str]:
    """``"Mensah, PhD"`` is family name ``Mensah`` and suffix ``PhD``."""
    family, _, suffix = last_name.partition(",")
    return clean(family), clean(suffix.strip(" ,"))


def parse_connections(table: Table) -> ParseResult:
    if table.kind == "linkedin_outlook_connections":
        return _parse_outlook_style(table)
    col = {
        name: table.index(*aliases)
        for name, aliases in {
            "first": ("first name",),
            "last": ("last name",),
            "url": ("url", "profile url"),
            "email": ("email address", "e-mail address", "email"),
            "company": ("company",),
            "position": ("position",),
            "connected": ("connected on",),
        }.items()
    }

    def cell(row: list[str], name: str) -> str:
        index = col[name]
        return row[index] if index is not None and index < len(row) else ""

    # The dates are looked at first (the file read once more): how a file writes them is
    # decided on all of them, so that day and month are never swapped row by row.
    parse_date = pick_date_parser({cell(row, "connected").strip() for _, row in table.rows})
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, row in table.rows:
        first = clean(cell(row, "first"))
        family, suffix = _split_credentials(cell(row, "last"))
        url = cell(row, "url").strip()
        email_cell = cell(row, "email").strip()
        company = clean(cell(row, "company"))
        position = clean(cell(row, "position"))
        connected_raw = cell(row, "connected").strip()
        if not (first or family or url or email_cell or company or position):
            skipped.append(SkippedRow(line, HIDDEN_MEMBER, connected_raw))
            continue
        full_name = join_name(first, family)
        emails = emails_of([email_cell])
        key = _slug_key(url) or fallback_key(full_name, emails)
        if not (full_name or url or emails):
            skipped.append(SkippedRow(line, NO_NAME, join_name(company, position)))
            continue
        records.append(
            ContactRecord(
                source_format="linkedin",
                file_name=table.file_name,
                line=line,
                key=key,
                full_name=full_name,
                given_name=first,
                family_name=family,
                name_suffix=suffix,
                organization=company,
                title=position,
                emails=emails,
                linkedin_url=url,
                connection=Connection(
                    "linkedin", "connection", parse_date(connected_raw) if connected_raw else None
                ),
            )
        )
    return ParseResult(
        format="linkedin_connections",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )


def _parse_outlook_style(table: Table) -> ParseResult:
    def cell(row: list[str], *names: str) -> str:
        index = table.index(*names)
        return clean(row[index]) if index is not None and index < len(row) else ""

    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, row in table.rows:
        first, middle, last = (
            cell(row, "first name"),
            cell(row, "middle name"),
            cell(row, "last name"),
        )
        full_name = join_name(first, middle, last)
        emails = emails_of(
            [
                cell(row, "e-mail address"),
                cell(row, "e-mail 2 address"),
                cell(row, "e-mail 3 address"),
            ]
        )
        if not (full_name or emails):
            skipped.append(SkippedRow(line, NO_NAME))
            continue
        records.append(
            ContactRecord(
                source_format="linkedin",
                file_name=table.file_name,
                line=line,
                key=fallback_key(full_name, emails),
                full_name=full_name,
                given_name=first,
                middle_name=middle,
                family_name=last,
                name_prefix=cell(row, "title"),
                name_suffix=cell(row, "suffix"),
                organization=cell(row, "company"),
                title=cell(row, "job title"),
                emails=emails,
                connection=Connection("linkedin", "connection", None),
            )
        )
    return ParseResult(
        format="linkedin_connections",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )


def parse_invitations(table: Table) -> ParseResult:
    def cell(row: list[str], *names: str) -> str:
        index = table.index(*names)
        return row[index].strip() if index is not None and index < len(row) else ""

    parse_date = pick_date_parser({cell(row, "sent at") for _, row in table.rows})
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    owner: OwnerInfo | None = None
    for line, row in table.rows:
        from_name, to_name = clean(cell(row, "from")), clean(cell(row, "to"))
        from_url = cell(row, "inviterprofileurl", "inviter profile url")
        to_url = cell(row, "inviteeprofileurl", "invitee profile url")
        raw_direction = cell(row, "direction").upper()
        direction: Literal["incoming", "outgoing", "unknown"] = "unknown"
        if raw_direction == "OUTGOING":
            direction = "outgoing"
        elif raw_direction == "INCOMING":
            direction = "incoming"
        if not (from_name or to_name or from_url or to_url):
            skipped.append(SkippedRow(line, NO_NAME))
            continue
        sent_raw = cell(row, "sent at")
        sent = parse_date(sent_raw) if sent_raw else None
        sent_at: dt.datetime | None
        if isinstance(sent, dt.datetime):
            sent_at = sent
        elif isinstance(sent, dt.date):
            sent_at = dt.datetime.combine(sent, dt.time(), tzinfo=dt.UTC)
        else:
            sent_at = None
        if owner is None and direction != "unknown":
            owner = (
                OwnerInfo(name=from_name, linkedin_url=from_url)
                if direction == "outgoing"
                else OwnerInfo(name=to_name, linkedin_url=to_url)
            )
        other_url, other_name = (
            (to_url, to_name) if direction == "outgoing" else (from_url, from_name)
        )
        who = _slug_key(other_url) or "name:" + fold_name(other_name)
        when = sent_at.isoformat() if sent_at else sent_raw
        records.append(
            InvitationRecord(
                file_name=table.file_name,
                line=line,
                key=f"{direction}|{who}|{when}",
                from_name=from_name,
                to_name=to_name,
                from_profile_url=from_url,
                to_profile_url=to_url,
                sent_at=sent_at,
                direction=direction,
                message=cell(row, "message"),
            )
        )
    return ParseResult(
        format="linkedin_invitations",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
        owner=owner,
    )
