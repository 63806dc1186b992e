"""Reading the dates and times people type: "2026-01-08", "2026-01-08 10:00", ISO 8601."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

__all__ = ["DATE_ONLY_HOUR", "InvalidWhen", "at_noon_utc", "parse_when"]

# A touch known only by its day is stored at noon UTC, which stays on the same calendar day in
# every timezone from UTC-11 to UTC+11.
DATE_ONLY_HOUR = 12

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


class InvalidWhen(ValueError):
    """Text that is not a date or a date and time in a form Eye Contact reads."""


def at_noon_utc(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, DATE_ONLY_HOUR, tzinfo=dt.UTC)


def parse_when(text: str) -> tuple[dt.datetime, bool]:
    """A timezone-aware moment and whether it carries a time of day.

    A date alone gives noon UTC and ``False``; a time without an offset is read in the
    installation's timezone.
    """
    value = text.strip()
    if not value:
        raise InvalidWhen("a date is required, like 2026-01-08 or 2026-01-08 10:00")
    if _DATE.match(value):
        try:
            return at_noon_utc(dt.date.fromisoformat(value)), False
        except ValueError as exc:
            raise InvalidWhen(f"not a real date: {value!r}") from exc
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = None
        for fmt in _FORMATS:
            try:
                moment = dt.datetime.strptime(value, fmt)  # noqa: DTZ007  # made aware below
                break
            except ValueError:
                continue
    if moment is None:
        raise InvalidWhen(f"not a date or time: {value!r} (use 2026-01-08 or 2026-01-08 10:00)")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment, True
