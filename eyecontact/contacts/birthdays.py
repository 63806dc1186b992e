"""Birthdays as address books keep them, and the day each one falls on. Pure Python.

A birthday is stored as a vCard keeps it (:func:`~.cards.birthday_of`): ``"1985-03-14"``, or
``"--03-14"`` when the year is not known. Someone born on 29 February celebrates on the last day
of February: the 29th in a leap year, the 28th otherwise (as iOS and Google Calendar show it),
and a calendar app is given the same rule (``BYMONTH=2;BYMONTHDAY=-1``). A birthday without a
year gives no age.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Birthday", "birthday_parse"]

_STORED = re.compile(r"^(\d{4}|--)-?(\d{2})-(\d{2})$")
# The year a birthday without one is drawn from in a calendar: a leap year, so 29 February is
# a real day in it.
_NO_YEAR = 2000


@dataclass(frozen=True, slots=True)
class Birthday:
    """A day of birth: its month and day, and its year when known."""

    month: int
    day: int
    year: int | None = None

    @property
    def leap_day(self) -> bool:
        return (self.month, self.day) == (2, 29)

    def on(self, year: int) -> dt.date:
        """The day it is celebrated in ``year`` (28 February for 29 February in other years)."""
        if self.leap_day and not calendar.isleap(year):
            return dt.date(year, 2, 28)
        return dt.date(year, self.month, self.day)

    def next_on_or_after(self, day: dt.date) -> dt.date:
        """The first day it is celebrated on ``day`` or later."""
        this_year = self.on(day.year)
        return this_year if this_year >= day else self.on(day.year + 1)

    def age_on(self, day: dt.date) -> int | None:
        """How old someone born on it is on ``day``; None without a year."""
        if self.year is None:
            return None
        return day.year - self.year - (day < self.on(day.year))

    @property
    def first_day(self) -> dt.date:
        """The day a yearly calendar entry starts: the day of birth, or one in a leap year."""
        return dt.date(self.year if self.year is not None else _NO_YEAR, self.month, self.day)

    @property
    def yearly_rule(self) -> dict[str, object]:
        """The iCalendar RRULE that repeats it each year, 29 February included."""
        if self.leap_day:
            return {"freq": "yearly", "bymonth": 2, "bymonthday": -1}
        return {"freq": "yearly"}


def birthday_parse(stored: str) -> Birthday | None:
    """The birthday of a stored value; None when it is empty or not a real day."""
    found = _STORED.match(stored.strip())
    if not found:
        return None
    year_text, month_text, day_text = found.groups()
    year = None if year_text == "--" else int(year_text)
    month, day = int(month_text), int(day_text)
    try:
        dt.date(year if year is not None else _NO_YEAR, month, day)
    except ValueError:
        return None
    return Birthday(month=month, day=day, year=year)
