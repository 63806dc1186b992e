"""Address-book CSV files: Google Contacts (current and pre-2020) and Outlook.

Google CSV repeats groups of columns (``E-mail 1 - Value``, ``Phone 2 - Label``, ...) as many
times as the data needs, joins several values in one cell with ``" ::: "``, and marks system
labels and primary values with ``"* "``. The pre-2020 file says ``Given Name``/``Family Name``,
``E-mail 1 - Type`` and ``Group Membership`` instead, and was UTF-16 with a BOM.

Outlook CSV comes from Outlook.com (61 columns) and from Outlook for Windows (about 90 quoted
columns, where ``E-mail Type`` ``EX`` means the "address" is an Exchange path, not an e-mail:
those fail validation and are dropped).
"""

from __future__ import annotations

import re

from eyecontact.imports.sources._common import emails_of, fallback_key, join_name, unique
from eyecontact.imports.sources._text import Table, clean
from eyecontact.imports.sources.records import ContactRecord, ParseResult, Record, SkippedRow

__all__ = ["classify_contacts_header", "parse_google_csv", "parse_outlook_csv"]

_GROUP = re.compile(r"^(e-mail|phone|address|website|organization) (\d+) - (.+)$")
_MULTI = " ::: "
_OUTLOOK_PHONE_SKIP = ("fax", "pager", "telex", "assistant", "callback")
_OUTLOOK_EMPTY_DATES = {"0/0/00", "00.00.00", "0.0.00", "1/1/1601"}


def classify_contacts_header(cells: list[str]) -> str | None:
    names = set(cells)
    grouped = any(_GROUP.match(c) for c in cells)
    if grouped and names & {"first name", "last name", "labels", "organization name"}:
        return "google_csv"
    if grouped and names & {"given name", "family name", "name", "group membership"}:
        return "google_csv"
    if "first name" in names and names & {
        "e-mail address",
        "mobile phone",
        "business phone",
        "job title",
        "home phone",
    }:
        return "outlook_csv"
    return None


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split(_MULTI)] if cell else []


class _Columns:
    """Column lookup for one CSV file, by header name."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.groups: dict[str, list[tuple[int, int | None]]] = {}
        positions = {name: i for i, name in enumerate(table.header)}
        for name, value_index in positions.items():
            match = _GROUP.match(name)
            if not match or match.group(3) not in ("value", "name", "city"):
                continue
            kind, number, field = match.groups()
            label_index = positions.get(
                f"{kind} {number} - label", positions.get(f"{kind} {number} - type")
            )
            self.groups.setdefault(f"{kind} - {field}", []).append((value_index, label_index))

    def get(self, row: list[str], *names: str) -> str:
        index = self.table.index(*names)
        return row[index] if index is not None and index < len(row) else ""

    def group(self, row: list[str], key: str) -> list[tuple[str, str]]:
        """``(value, label)`` pairs of a repeated column group, ``:::`` lists expanded."""
        found: list[tuple[str, str]] = []
        for value_index, label_index in self.groups.get(key, []):
            value = row[value_index] if value_index < len(row) else ""
            label = row[label_index] if label_index is not None and label_index < len(row) else ""
            found.extend((v, label.strip()) for v in _values(value) if v)
        return found


def _user_labels(cell: str) -> tuple[str, ...]:
    """User-made labels; Google's own (``* myContacts``, ``* starred``) are left out."""
    return unique(v for v in _values(cell) if not v.startswith("*"))


def parse_google_csv(table: Table) -> ParseResult:
    columns = _Columns(table)
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, row in table.rows:
        given = clean(columns.get(row, "first name", "given name"))
        middle = clean(columns.get(row, "middle name", "additional name"))
        family = clean(columns.get(row, "last name", "family name"))
        full_name = join_name(given, middle, family) or clean(columns.get(row, "name"))
        organization = clean(columns.get(row, "organization name")) or next(
            (clean(v) for v, _ in columns.group(row, "organization - name")), ""
        )
        title = clean(columns.get(row, "organization title", "organization 1 - title"))
        emails = emails_of(v for v, _ in columns.group(row, "e-mail - value"))
        phones = unique(clean(v) for v, _ in columns.group(row, "phone - value"))
        websites = unique(v for v, _ in columns.group(row, "website - value"))
        city = next((clean(v) for v, _ in columns.group(row, "address - city")), "")
        if not (full_name or organization or emails or phones):
            skipped.append(SkippedRow(line, "empty contact"))
            continue
        linkedin = next((w for w in websites if "linkedin.com/in/" in w.lower()), "")
        records.append(
            ContactRecord(
                source_format="google_csv",
                file_name=table.file_name,
                line=line,
                key=fallback_key(full_name or organization, emails or phones),
                full_name=full_name,
                given_name=given,
                middle_name=middle,
                family_name=family,
                name_prefix=clean(columns.get(row, "name prefix")),
                name_suffix=clean(columns.get(row, "name suffix")),
                nickname=clean(columns.get(row, "nickname")),
                phonetic_given_name=clean(
                    columns.get(row, "phonetic first name", "given name yomi")
                ),
                phonetic_family_name=clean(
                    columns.get(row, "phonetic last name", "family name yomi")
                ),
                organization=organization,
                title=title,
                city=city,
                notes=columns.get(row, "notes").strip(),
                emails=emails,
                phones=phones,
                websites=websites,
                labels=_user_labels(columns.get(row, "labels", "group membership")),
                birthday=columns.get(row, "birthday").strip(),
                linkedin_url=linkedin,
                is_organization=not full_name and bool(organization),
            )
        )
    return ParseResult(
        format="google_csv",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )


def parse_outlook_csv(table: Table) -> ParseResult:
    columns = _Columns(table)
    email_columns = [
        i for i, name in enumerate(table.header) if re.fullmatch(r"e-mail( \d)? address", name)
    ]
    phone_columns = [
        i
        for i, name in enumerate(table.header)
        if "phone" in name and not any(skip in name for skip in _OUTLOOK_PHONE_SKIP)
    ]
    web_columns = [
        i for i, name in enumerate(table.header) if name in ("web page", "personal web page")
    ]

    def cells(row: list[str], indexes: list[int]) -> list[str]:
        return [clean(row[i]) for i in indexes if i < len(row)]

    records: list[Record] = []
    skipped: list[SkippedRow] = []
    for line, row in table.rows:
        given = clean(columns.get(row, "first name"))
        middle = clean(columns.get(row, "middle name"))
        family = clean(columns.get(row, "last name"))
        full_name = join_name(given, middle, family)
        organization = clean(columns.get(row, "company"))
        emails = emails_of(cells(row, email_columns))
        phones = unique(cells(row, phone_columns))
        if not (full_name or organization or emails or phones):
            skipped.append(SkippedRow(line, "empty contact"))
            continue
        birthday = columns.get(row, "birthday").strip()
        records.append(
            ContactRecord(
                source_format="outlook_csv",
                file_name=table.file_name,
                line=line,
                key=fallback_key(full_name or organization, emails or phones),
                full_name=full_name,
                given_name=given,
                middle_name=middle,
                family_name=family,
                name_prefix=clean(columns.get(row, "title")),
                name_suffix=clean(columns.get(row, "suffix")),
                nickname=clean(columns.get(row, "nickname")),
                phonetic_given_name=clean(columns.get(row, "given yomi")),
                phonetic_family_name=clean(columns.get(row, "surname yomi")),
                organization=organization,
                title=clean(columns.get(row, "job title")),
                city=clean(columns.get(row, "business city"))
                or clean(columns.get(row, "home city")),
                notes=columns.get(row, "notes").strip(),
                emails=emails,
                phones=phones,
                websites=unique(cells(row, web_columns)),
                labels=unique(clean(v) for v in columns.get(row, "categories").split(";")),
                birthday="" if birthday in _OUTLOOK_EMPTY_DATES else birthday,
                is_organization=not full_name and bool(organization),
            )
        )
    return ParseResult(
        format="outlook_csv",
        file_name=table.file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )
