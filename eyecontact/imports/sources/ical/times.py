"""When a calendar's events happened: times in their zones, and recurrences expanded.

- **Zones**: ``TZID`` may be an IANA zone, a Windows zone name (``W. Europe Standard Time``,
  mapped with icalendar's CLDR table) or a custom ``VTIMEZONE`` of the file, which
  ``icalendar`` reads and registers for its TZID; floating times use the calendar's
  ``X-WR-TIMEZONE`` and else UTC.
- **Spans**: start and end as aware datetimes (``DTEND``, else ``DURATION``, else a day for an
  all-day event and no time for the others).
- **Recurrence**: ``RRULE``/``RDATE``/``EXDATE`` are expanded in the event's wall-clock time
  with ``dateutil.rrule`` up to ``until``, within the bounds of :mod:`..recurrence`.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from eyecontact.imports.sources.ical.components import EVENT_ERRORS, Event, Property
from eyecontact.imports.sources.records import Notice
from eyecontact.imports.sources.recurrence import Budget, RefusedRule, Rule, expand, read_rule

__all__ = ["Occurrence", "Times", "find_zone", "register_zones"]

_DATE_TIME = re.compile(r"(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)(Z?))?")
_LONGEST_ZONE_NAME = 200  # a custom VTIMEZONE's TZID; icalendar recurses on far longer ones


def find_zone(name: str) -> dt.tzinfo | None:
    name = name.strip().strip('"')
    if not name or len(name) > 100:
        return None
    candidates = [
        name,
        WINDOWS_TO_OLSON.get(name, ""),
        WINDOWS_TO_OLSON.get(name.rstrip(" 0123456789"), ""),
    ]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return None


def register_zones(zones: Sequence[str]) -> None:
    """Lets ``icalendar`` learn the custom zones (Outlook's, for one) the file defines."""
    if not zones:
        return
    text = "BEGIN:VCALENDAR\r\n" + "\r\n".join(zones) + "\r\nEND:VCALENDAR\r\n"
    try:
        icalendar.Calendar.from_ical(text)
    except EVENT_ERRORS:
        return  # the events' times then fall back to the calendar's zone


def _date_value(text: str) -> dt.date | dt.datetime | None:
    """A DATE or DATE-TIME value: naive, or in UTC when it ends with Z; None if unreadable."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        return dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=dt.UTC if utc else None,
        )
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time an event happens (a one-off event happens once)."""

    event: Event
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    recurrence_id: dt.datetime | None


class Times:
    """Reads the times of a file's events, with the zones and the recurrence budget they share."""

    def __init__(self, file_name: str, default_zone: dt.tzinfo, until: dt.datetime) -> None:
        self.file_name = file_name
        self.default_zone = default_zone
        self.until = until
        self.zones: dict[str, dt.tzinfo | None] = {}
        self.budget = Budget()

    def zone(self, tzid: str) -> dt.tzinfo | None:
        """The zone a TZID names: IANA, Windows, or a VTIMEZONE of the file."""
        if tzid not in self.zones:
            zone = find_zone(tzid)
            if zone is None and len(tzid) <= _LONGEST_ZONE_NAME:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # icalendar guessing a vendor's TZID
                    zone = tzp.timezone(tzid)
            self.zones[tzid] = zone
        return self.zones[tzid]

    def moment(self, prop: Property | None) -> tuple[dt.datetime, bool] | None:
        """An aware datetime and whether it was a date (all-day)."""
        if prop is None:
            return None
        return self.resolve(_date_value(prop.value), prop.tzid)

    def resolve(self, value: object, tzid: str) -> tuple[dt.datetime, bool] | None:
        if isinstance(value, dt.datetime):
            zone = self.zone(tzid) if tzid else None
            if zone is not None and value.tzinfo is None:
                return value.replace(tzinfo=zone), False
            if zone is not None and find_zone(tzid) is not None:
                return value.replace(tzinfo=zone), False
            if value.tzinfo is not None and value.utcoffset() is not None:
                return value, False
            return value.replace(tzinfo=self.default_zone), False
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(), tzinfo=self.default_zone), True
        return None

    def span(self, event: Event) -> tuple[dt.datetime, dt.datetime, bool] | None:
        start_moment = self.moment(event.dtstart)
        if start_moment is None:
            return None
        start, all_day = start_moment
        end_moment = self.moment(event.dtend)
        duration = _duration(event.duration)
        if end_moment is not None:
            end = end_moment[0]
        elif duration is not None:
            end = start + duration
        else:
            end = start + (dt.timedelta(days=1) if all_day else dt.timedelta())
        if end < start:
            end = start
        return start, end, all_day

    def _moments(self, props: Sequence[Property]) -> list[dt.datetime]:
        found: list[dt.datetime] = []
        for prop in props:
            tzid = prop.tzid
            for item in prop.value.split(","):
                # An RDATE period counts from its start.
                moment = self.resolve(_date_value(item.partition("/")[0]), tzid)
                if moment is not None:
                    found.append(moment[0])
        return found

    def occurrences(self, event: Event) -> tuple[list[Occurrence], list[Notice]]:
        """The event's occurrences up to ``until``, and what the report must say about its
        recurrence rules (refused, or cut short by a limit; see :mod:`.recurrence`)."""
        span = self.span(event)
        if span is None:
            return [], []
        start, end, all_day = span
        rule_list = event.rrules
        rdates = self._moments(event.rdates)
        if not rule_list and not rdates:
            return [Occurrence(event, start, end, all_day, None)], []
        zone = start.tzinfo or dt.UTC
        local_start = start.replace(tzinfo=None)
        notices: list[Notice] = []
        rules: list[Rule] = []
        if not self.budget.spent:
            for one_rule in rule_list:
                try:
                    rules.append(self._rule(one_rule, local_start, zone))
                except RefusedRule as refused:
                    notices.append(
                        Notice(
                            event.line,
                            f"the repeating rule RRULE:{_shown(one_rule.value)} was not read: "
                            f"{refused.message}; the event counts from its first date only",
                        )
                    )
        local_until = self.until.astimezone(zone).replace(tzinfo=None)
        extra = [moment.astimezone(zone).replace(tzinfo=None) for moment in rdates]
        starts, cut = expand(rules, local_start, extra, local_until, self.budget)
        if cut:
            notices.append(Notice(event.line, cut))
        excluded = {m.astimezone(dt.UTC) for m in self._moments(event.exdates)}
        excluded_days = {m.date() for m in excluded} if all_day else set()
        length = end - start
        found: list[Occurrence] = []
        for local in starts:
            occurrence_start = local.replace(tzinfo=zone)
            utc = occurrence_start.astimezone(dt.UTC)
            if utc in excluded or (all_day and occurrence_start.date() in excluded_days):
                continue
            found.append(
                Occurrence(event, occurrence_start, occurrence_start + length, all_day, utc)
            )
        return found, notices

    def _rule(self, prop: Property, local_start: dt.datetime, zone: dt.tzinfo) -> Rule:
        until_values = [
            p.partition("=")[2]
            for p in prop.value.split(";")
            if p.strip().upper().startswith("UNTIL=")
        ]
        local_until: dt.date | dt.datetime | None = None
        if until_values:
            until = _date_value(until_values[0])
            if isinstance(until, dt.datetime):
                local_until = (
                    until.astimezone(zone).replace(tzinfo=None)
                    if until.tzinfo is not None
                    else until
                )
            else:
                local_until = until
        return read_rule(prop.value, local_start, local_until)


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 80 else value[:77] + "..."


def _duration(prop: Property | None) -> dt.timedelta | None:
    if prop is None:
        return None
    try:
        value = icalendar.vDuration.from_ical(prop.value.strip())  # type: ignore[no-untyped-call]  # icalendar leaves it untyped
    except EVENT_ERRORS:
        return None
    return value if isinstance(value, dt.timedelta) else None
