"""Small helpers shared by the parsers: e-mail clean-up, names, stable keys, export dates.

Dates follow the rule "one explicit parser per file and era": each format below is a strict
pattern, and a file's date column is read with the first format that fits *every* value in it,
so day and month are never swapped row by row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence

from eyecontact.matching.normalize import fold_name, normalize_email

__all__ = [
    "DateParser",
    "emails_of",
    "fallback_key",
    "join_name",
    "pick_date_parser",
]

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

DateParser = Callable[[str], "dt.date | dt.datetime | None"]

_DAY_MON_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")  # 12 Mar 2025
_D_MON_YY = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{2}|\d{4})$")  # 23-Nov-21 (Excel)
_US_DATETIME = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])$"
)  # 1/8/18, 6:14 PM
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")  # 23.11.2021 (European Excel)
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?(?: ?(?:UTC|Z))?$")


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _month(text: str) -> int:
    return _MONTHS.get(text[:3].lower(), 0)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_day_mon_year(value: str) -> dt.date | None:
    match = _DAY_MON_YEAR.match(value) or _D_MON_YY.match(value)
    if not match:
        return None
    return _date(_year(match.group(3)), _month(match.group(2)), int(match.group(1)))


def parse_us_datetime(value: str) -> dt.datetime | None:
    """``M/D/YY, h:mm AM``. LinkedIn writes no zone; we read it as UTC (documented guess)."""
    match = _US_DATETIME.match(value)
    if not match:
        return None
    month, day, year, hour, minute, second, half = match.groups()
    hour_24 = int(hour) % 12 + (12 if half.lower() == "pm" else 0)
    day_part = _date(_year(year), int(month), int(day))
    if day_part is None or int(hour) > 12 or int(minute) > 59:
        return None
    return dt.datetime.combine(
        day_part, dt.time(hour_24, int(minute), int(second or 0)), tzinfo=dt.UTC
    )


def parse_dotted(value: str) -> dt.date | None:
    match = _DOTTED.match(value)
    if not match:
        return None
    return _date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))


def parse_month_first(value: str) -> dt.date | None:
    match = _SLASHED.match(value)
    if not match:
        return None
    return _date(_year(match.group(3)), int(match.group(1)), int(match.group(2)))


def parse_day_first(value: str) -> dt.date | None:
    match = _SLASHED.match(value)
    if not match:
        return None
    return _date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))


def parse_iso(value: str) -> dt.date | dt.datetime | None:
    match = _ISO.match(value)
    if not match:
        return None
    day = _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if day is None or match.group(4) is None:
        return day
    try:
        time = dt.time(int(match.group(4)), int(match.group(5)), int(match.group(6) or 0))
    except ValueError:
        return None
    return dt.datetime.combine(day, time, tzinfo=dt.UTC)


DATE_PARSERS: tuple[DateParser, ...] = (
    parse_day_mon_year,
    parse_us_datetime,
    parse_iso,
    parse_dotted,
    parse_month_first,
    parse_day_first,
)


def pick_date_parser(values: Iterable[str]) -> DateParser:
    """The first known date format that reads every non-empty value of a file's date column."""
    samples = [v for v in values if v]
    for parser in DATE_PARSERS:
        if all(parser(v) is not None for v in samples):
            return parser
    # Mixed or unknown formats: read each value with whichever strict format fits it, but
    # never guess between day-first and month-first.
    return _first_fit


def _first_fit(value: str) -> dt.date | dt.datetime | None:
    for parser in DATE_PARSERS[:4]:
        parsed = parser(value)
        if parsed is not None:
            return parsed
    return None


def emails_of(values: Iterable[str]) -> tuple[str, ...]:
    """Valid e-mail addresses, lower-cased, in order, without duplicates; the rest dropped."""
    seen: dict[str, None] = {}
    for value in values:
        if not value or "@" not in value:
            continue
        try:
            seen.setdefault(normalize_email(value), None)
        except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
            continue
    return tuple(seen)


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values in order without duplicates."""
    return tuple(dict.fromkeys(v for v in values if v))


def join_name(*parts: str) -> str:
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())


def fallback_key(full_name: str, identities: Sequence[str]) -> str:
    """``name:<folded name>|<first e-mail or phone>`` for sources without a stable id."""
    first = identities[0].lower() if identities else ""
    return f"name:{fold_name(full_name)}|{first}"
