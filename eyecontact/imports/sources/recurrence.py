"""Calendar recurrences (``RRULE``, ``RDATE``) expanded within hard bounds.

A recurrence rule is a small program, and a calendar file can hold a hostile one: an
``INTERVAL=0`` never moves on, a filter no date matches (``BYMONTH=2;BYMONTHDAY=30``) has
``dateutil`` walk every day up to the year 9999 looking for one, and a per-second rule fills
memory with occurrences. So every rule is checked and run within limits:

- **Checked before it runs**: a known ``FREQ``, an ``INTERVAL`` of 1 to 1,000,000, short
  ``COUNT`` and ``BY…`` values, no ``BYEASTER`` (not iCalendar), a start in 1900 or later.
  A refused rule raises :class:`RefusedRule`; the calendar reader keeps the event's first
  occurrence and reports the rule, with its line, in the import's report.
- **Run near the end of time**: dateutil stops looking only at the year 9999. The rule runs
  shifted forward by whole 400-year cycles (the Gregorian calendar, weekdays and leap years
  included, repeats every 400 years), so that the last date wanted falls within the last cycle
  before 9999: a rule no date matches gives up after at most a few hundred years of search,
  not eight thousand. Occurrences are shifted back as they come.
- **Counted**: at most :data:`MAX_OCCURRENCES_PER_EVENT` per event and
  :data:`MAX_OCCURRENCES_PER_FILE` per file, and :data:`SECONDS_PER_FILE` of expanding per
  file (a :class:`Budget` carries both across the events of a file). Past the file's limits,
  the remaining recurring events count once each.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dateutil.rrule import rrule, rrulestr

__all__ = [
    "EARLIEST_YEAR",
    "MAX_INTERVAL",
    "MAX_OCCURRENCES_PER_EVENT",
    "MAX_OCCURRENCES_PER_FILE",
    "SECONDS_PER_FILE",
    "Budget",
    "RefusedRule",
    "expand",
    "read_rule",
]

MAX_OCCURRENCES_PER_EVENT = 5_000
MAX_OCCURRENCES_PER_FILE = 200_000
SECONDS_PER_FILE = 15.0
MAX_INTERVAL = 1_000_000
EARLIEST_YEAR = 1900
_CYCLE_YEARS = 400  # the Gregorian calendar repeats itself every 400 years
_LAST_YEAR = dt.MAXYEAR - 1  # room for a shifted date to move a day either way
_CLOCK_EVERY = 64  # occurrences between two looks at the clock
_FREQUENCIES = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"}
_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "WKST",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
}
_NUMBER_LIST = re.compile(r"[+-]?\d{1,3}(?:,[+-]?\d{1,3})*")
_DAY_LIST = re.compile(
    r"[+-]?\d{0,2}(?:MO|TU|WE|TH|FR|SA|SU)(?:,[+-]?\d{0,2}(?:MO|TU|WE|TH|FR|SA|SU))*"
)
_WEEKDAY = re.compile(r"MO|TU|WE|TH|FR|SA|SU")


class RefusedRule(ValueError):
    """A recurrence rule that is not read: ``message`` says what is wrong with it."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass
class Budget:
    """What one file may still spend on recurrences: occurrences, and time on the clock."""

    occurrences: int = field(default_factory=lambda: MAX_OCCURRENCES_PER_FILE)
    seconds: float = field(default_factory=lambda: SECONDS_PER_FILE)
    started: float = field(default_factory=time.monotonic)
    # Why the file's recurrences stopped being expanded, once they have.
    spent: str = ""

    def out_of_time(self) -> bool:
        if not self.spent and time.monotonic() - self.started > self.seconds:
            self.spent = (
                f"expanding repeating events took longer than {self.seconds:,.0f} seconds; "
                "the repeating events after this one count once each"
            )
        return bool(self.spent)

    def not_counting(self, seconds: float) -> None:
        """Leaves ``seconds`` spent on something other than expanding out of the time spent."""
        self.started += seconds

    def take(self) -> bool:
        """One occurrence more, if the file may have it."""
        if self.occurrences <= 0:
            if not self.spent:
                self.spent = (
                    f"the file repeats its events more than {MAX_OCCURRENCES_PER_FILE:,} "
                    "times in all; the repeating events after this one count once each"
                )
            return False
        self.occurrences -= 1
        return True


@dataclass(frozen=True, slots=True)
class Rule:
    """A checked rule: dateutil's, and the last local time its own ``UNTIL`` allows."""

    rule: rrule
    until: dt.datetime | None


def read_rule(value: str, local_start: dt.datetime, until: dt.date | dt.datetime | None) -> Rule:
    """The rule an ``RRULE`` value writes, for an event starting at ``local_start`` (naive,
    wall-clock time). ``until`` is its ``UNTIL`` already read (and turned to the event's wall
    clock); the ``UNTIL`` part in ``value`` is ignored. Raises :class:`RefusedRule`."""
    if local_start.year < EARLIEST_YEAR:
        raise RefusedRule(
            f"the repeating event starts in the year {local_start.year}; repeating events are "
            f"read from {EARLIEST_YEAR} on"
        )
    parts: list[str] = []
    seen: set[str] = set()
    for part in value.split(";"):
        name, equals, text = part.strip().partition("=")
        name = name.strip().upper()
        text = text.strip().upper()
        if not name:
            continue
        if not equals:
            raise RefusedRule(f"the rule part {_shown(part)} has no value")
        if name == "BYEASTER":
            raise RefusedRule("BYEASTER is not part of iCalendar")
        if name not in _PARTS:
            continue  # an extension we do not know: RFC 5545 says to ignore it
        if name in seen:
            raise RefusedRule(f"{name} is given twice")
        seen.add(name)
        _check_part(name, text)
        if name != "UNTIL":
            parts.append(f"{name}={text}")
    if "FREQ" not in seen:
        raise RefusedRule("the rule has no FREQ")
    if "COUNT" in seen and "UNTIL" in seen:
        raise RefusedRule("the rule has both COUNT and UNTIL")
    try:
        parsed = rrulestr(";".join(parts), dtstart=local_start, ignoretz=True)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError) as exc:
        raise RefusedRule(f"the rule cannot be read ({_shown(str(exc))})") from None
    if not isinstance(parsed, rrule):  # pragma: no cover - one RRULE line makes one rule
        raise RefusedRule("the rule cannot be read")
    local_until: dt.datetime | None = None
    if isinstance(until, dt.datetime):
        local_until = until
    elif isinstance(until, dt.date):
        local_until = dt.datetime.combine(until, dt.time.max)
    elif "UNTIL" in seen:
        raise RefusedRule("UNTIL is not a date or a date and time")
    return Rule(parsed, local_until)


def _check_part(name: str, text: str) -> None:
    if name == "FREQ":
        if text not in _FREQUENCIES:
            raise RefusedRule(
                f"FREQ={_shown(text)} is not a frequency; expected one of "
                "YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY or SECONDLY"
            )
    elif name == "INTERVAL":
        if not text.isdigit() or len(text) > 7 or not 1 <= int(text) <= MAX_INTERVAL:
            raise RefusedRule(
                f"INTERVAL={_shown(text)}: the interval must be a whole number from 1 to "
                f"{MAX_INTERVAL:,}"
            )
    elif name == "COUNT":
        if not text.isdigit() or len(text) > 9 or int(text) < 1:
            raise RefusedRule(
                f"COUNT={_shown(text)}: the count must be a whole number from 1 to 999,999,999"
            )
    elif name == "WKST":
        if not _WEEKDAY.fullmatch(text):
            raise RefusedRule(f"WKST={_shown(text)} is not a day of the week (MO to SU)")
    elif name == "BYDAY":
        if not _DAY_LIST.fullmatch(text):
            raise RefusedRule(f"BYDAY={_shown(text)} is not a list of days (such as MO,-1FR)")
    elif name.startswith("BY") and not _NUMBER_LIST.fullmatch(text):
        raise RefusedRule(f"{name}={_shown(text)} is not a list of small whole numbers")


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "..."


def expand(
    rules: Iterable[Rule],
    local_start: dt.datetime,
    extra: Iterable[dt.datetime],
    local_until: dt.datetime,
    budget: Budget,
) -> tuple[list[dt.datetime], str]:
    """The wall-clock starts of an event's occurrences up to ``local_until``, in order.

    ``local_start`` (the event's own start) and the ``extra`` dates (``RDATE``) always count.
    Returns the starts and, when a limit cut the series short, a sentence saying which.
    """
    found = {local_start}
    found.update(moment for moment in extra if moment <= local_until)
    cut = ""
    for rule in rules:
        end = local_until if rule.until is None else min(local_until, rule.until)
        for moment in _run(rule.rule, local_start, end, budget):
            found.add(moment)
            if len(found) > MAX_OCCURRENCES_PER_EVENT:
                cut = (
                    f"the event repeats more than {MAX_OCCURRENCES_PER_EVENT:,} times; "
                    f"the first {MAX_OCCURRENCES_PER_EVENT:,} are imported"
                )
                break
            if not budget.take():
                break
        if budget.spent and not cut:
            cut = budget.spent
            break
    starts = sorted(found)[:MAX_OCCURRENCES_PER_EVENT]
    return starts, cut


def _run(
    rule: rrule, local_start: dt.datetime, end: dt.datetime, budget: Budget
) -> Iterator[dt.datetime]:
    """The rule's occurrences from ``local_start`` to ``end``, computed in a shifted era."""
    if end < local_start or end.year > _LAST_YEAR:
        return
    shift = _CYCLE_YEARS * ((_LAST_YEAR - end.year) // _CYCLE_YEARS)
    shifted = rule.replace(dtstart=_moved(local_start, shift))
    shifted_end = _moved(end, shift)
    for number, moment in enumerate(shifted, start=1):
        if moment > shifted_end:
            return
        if number % _CLOCK_EVERY == 0 and budget.out_of_time():
            return
        yield _moved(moment, -shift)
    budget.out_of_time()


def _moved(moment: dt.datetime, years: int) -> dt.datetime:
    """The same wall-clock time ``years`` later: a multiple of 400 keeps 29 February valid."""
    return moment.replace(year=moment.year + years)
