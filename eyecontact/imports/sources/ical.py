"""Calendar exports (iCalendar ``.ics`` from Google Calendar, Outlook and others).

A small reader of our own splits the file into events (see :func:`_read`): a heavy user's
ten years of calendar are tens of thousands of events, and building ``icalendar`` objects for
every property of every one of them took minutes. ``icalendar`` still reads what it is best
at: the custom ``VTIMEZONE`` definitions, whose zones it registers for their ``TZID``, and the
rare ``DURATION``. This module decides which events were meetings:

1. **Who the owner is**: the addresses passed in, the calendar name when it is an address
   (Google names the main calendar after its owner), and the one address present in every
   event that lists people. The owner is removed from the attendees; rooms, mailing lists and
   shared mailboxes are moved apart, to the meeting's ``others`` (see :mod:`.parties`).
2. **Which events count**: not ``STATUS:CANCELLED``, not declined by the owner, not an all-day
   block without attendees, not after ``until``.
3. **When**: start and end as aware datetimes. ``TZID`` may be an IANA zone, a Windows zone
   name (``W. Europe Standard Time``, mapped with icalendar's CLDR table) or a custom
   ``VTIMEZONE``; floating times use ``X-WR-TIMEZONE`` and else UTC.
4. **Recurrence**: ``RRULE``/``RDATE``/``EXDATE`` are expanded in the event's wall-clock time
   with ``dateutil.rrule`` up to ``until``; a ``RECURRENCE-ID`` override replaces the occurrence
   it names (and may move or cancel it).
5. **How**: ``channel`` from the location and meeting links (see :func:`infer_channel`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from icalendar.timezone import tzp
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.parties import attendee_kind
from eyecontact.imports.sources.records import (
    Attendee,
    Channel,
    MeetingRecord,
    Notice,
    OwnerInfo,
    ParseResult,
    Record,
    SkippedRow,
)
from eyecontact.imports.sources.recurrence import Budget, RefusedRule, Rule, expand, read_rule
from eyecontact.matching.normalize import normalize_email

__all__ = ["CUT_IN_COMPONENT", "infer_channel", "parse_ical"]

CUT_IN_COMPONENT = (
    "the file ends inside the {name} that begins here (no END:{name}), so it was cut short; "
    "nothing was imported. Export or download it again."
)

# A content line: NAME *(";" PARAM "=" VALUE) ":" VALUE; parameter values may be quoted.
_NAME = re.compile(r"[A-Za-z0-9-]+")
_PARAMETER = re.compile(r';[ \t]*([A-Za-z0-9-]+)[ \t]*=[ \t]*((?:"[^"]*"|[^";:])*)')
_BACKSLASH = re.compile(r"\\([\\,;:nN])")
_CARET = re.compile(r"\^[\^n']")
_DATE_TIME = re.compile(r"(\d{4})(\d\d)(\d\d)(?:T(\d\d)(\d\d)(\d\d)(Z?))?")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_MEETING_LINK = re.compile(
    r"(?:meet\.google\.com|zoom\.us|zoom\.com|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com"
    r"|webex\.com|whereby\.com|meet\.jit\.si|gotomeet(?:ing)?\.com|chime\.aws|bluejeans\.com"
    r"|skype\.com|lync\.)",
    re.IGNORECASE,
)
_ONLINE_PLACES = re.compile(
    r"^(?:microsoft teams(?: meeting)?|teams|zoom(?: meeting)?|google meet|webex|skype"
    r"(?: meeting)?|online|virtual|video call)$",
    re.IGNORECASE,
)
_PHONE_PLACE = re.compile(r"^(?:tel:)?\+?[\d\s().\-/]{6,}$")
_CALL_WORDS = re.compile(r"\b(?:call|phone call|phone|anruf|telefonat)\b", re.IGNORECASE)
_LINK_PROPERTIES = (
    "X-GOOGLE-CONFERENCE",
    "X-MICROSOFT-SKYPETEAMSMEETINGURL",
    "X-MICROSOFT-ONLINEMEETINGCONFLINK",
    "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
)
_LONGEST_ZONE_NAME = 200  # a custom VTIMEZONE's TZID; icalendar recurses on far longer ones
_EVENT_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)


def infer_channel(location: str, description: str, summary: str, *, has_link: bool) -> Channel:
    """How a meeting happened, as far as its calendar entry tells.

    A link or an online service as the location is ``video``; a phone number as the location is
    ``phone``; any other location is a place: ``in_person``, or ``hybrid`` when a meeting link
    is attached too. Without a location, a meeting link means ``video`` and "call" in the title
    means ``phone``; otherwise we do not know.
    """
    place = location.strip()
    if place and (_URL.search(place) or _ONLINE_PLACES.match(place)):
        return "video"
    if place and _PHONE_PLACE.match(place) and sum(c.isdigit() for c in place) >= 6:
        return "phone"
    link = has_link or bool(_MEETING_LINK.search(description)) or bool(_MEETING_LINK.search(place))
    if place:
        return "hybrid" if link else "in_person"
    if link:
        return "video"
    if _CALL_WORDS.search(summary):
        return "phone"
    return "unknown"


def _zone(name: str) -> dt.tzinfo | None:
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


# Attendees with their CUTYPE, and the organizer with theirs.
_People = tuple[list[tuple[Attendee, str]], tuple[Attendee, str] | None]


# ----- reading the file -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Property:
    """One content line: its value as written (unfolded, not unescaped) and its parameters."""

    value: str
    params: dict[str, str]


@dataclass(slots=True)
class _Component:
    """A calendar, an event or anything else between BEGIN and END, with its own properties."""

    name: str
    line: int
    properties: dict[str, list[_Property]] = field(default_factory=dict)
    events: list[_Component] = field(default_factory=list)
    # Its attendees and organizer once read (see _people): every occurrence needs them.
    people: _People | None = None

    def get(self, name: str) -> _Property | None:
        found = self.properties.get(name)
        return found[0] if found else None

    def all(self, name: str) -> list[_Property]:
        return self.properties.get(name, [])

    def text(self, name: str) -> str:
        """A text property's value, unescaped (``\\,`` to ``,``, ``\\n`` to a new line)."""
        found = self.get(name)
        return _unescape(found.value) if found is not None else ""


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _BACKSLASH.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _parameter_value(value: str) -> str:
    value = value.replace('"', "")
    if "^" in value:  # RFC 6868: ^^, ^n and ^' stand for ^, a new line and "
        value = _CARET.sub(lambda m: {"^^": "^", "^n": "\n", "^'": '"'}[m.group(0)], value)
    return value


def _content_line(line: str) -> tuple[str, dict[str, str], str] | None:
    """Name, parameters and value of one unfolded line, or None if it is not one."""
    colon = line.find(":")
    if colon > 0 and line.find(";", 0, colon) < 0:  # most lines: no parameters
        name = line[:colon]
        return (name.upper(), {}, line[colon + 1 :]) if _NAME.fullmatch(name) else None
    name_match = _NAME.match(line)
    if name_match is None:
        return None
    at = name_match.end()
    params: dict[str, str] = {}
    while at < len(line) and line[at] == ";":
        match = _PARAMETER.match(line, at)
        if match is None:
            return None
        params[match.group(1).upper()] = _parameter_value(match.group(2))
        at = match.end()
    if at >= len(line) or line[at] != ":":
        return None
    return name_match.group().upper(), params, line[at + 1 :]


def _logical_lines(text: str) -> Iterable[tuple[int, str]]:
    """Unfolded lines with the number of the physical line each starts on."""
    number, pending, pending_number = 0, "", 0
    for raw in text.split("\n"):
        number += 1
        if raw.endswith("\r"):
            raw = raw[:-1]
        if raw[:1] in (" ", "\t") and pending_number:
            pending += raw[1:]
            continue
        if pending:
            yield pending_number, pending
        pending, pending_number = raw, number
    if pending:
        yield pending_number, pending


def _read(file_name: str, text: str) -> tuple[list[_Component], list[str]]:
    """The top-level components (calendars) with their events, and each VTIMEZONE's text.

    Like ``icalendar``: an END closes whatever component is open, a component left open at
    the end of the file is dropped, and a line outside every component makes the file
    unreadable. Properties of components inside an event (alarms) are not the event's.
    """
    calendars: list[_Component] = []
    zones: list[str] = []
    stack: list[_Component] = []
    zone_lines: list[str] | None = None
    for number, line in _logical_lines(text):
        parts = _content_line(line)
        if zone_lines is not None:
            zone_lines.append(line)
        if parts is None:
            if stack:
                continue  # a broken line inside a component is skipped, as icalendar does
            raise ImportFileError(
                file_name, number, "not a readable iCalendar file: a line outside BEGIN and END"
            )
        name, params, value = parts
        if name == "BEGIN":
            component = _Component(value.upper(), number)
            if component.name == "VTIMEZONE" and zone_lines is None:
                zone_lines = [line]
            if component.name == "VEVENT":  # events at any depth, in file order
                (stack[0] if stack else component).events.append(component)
            stack.append(component)
        elif name == "END":
            if not stack:
                raise ImportFileError(
                    file_name, number, "not a readable iCalendar file: END without BEGIN"
                )
            component = stack.pop()
            if component.name == "VTIMEZONE" and zone_lines is not None:
                zones.append("\r\n".join(zone_lines))
                zone_lines = None
            if not stack:
                calendars.append(component)
        elif stack:
            stack[-1].properties.setdefault(name, []).append(_Property(value, params))
        elif name != "X-COMMENT":
            raise ImportFileError(
                file_name, number, "not a readable iCalendar file: a property outside BEGIN"
            )
    if stack:
        # The file stops inside a calendar: a download or copy cut short.
        raise ImportFileError(
            file_name, stack[-1].line, CUT_IN_COMPONENT.format(name=stack[-1].name)
        )
    return calendars, zones


def _register_zones(zones: Sequence[str]) -> None:
    """Lets ``icalendar`` learn the custom zones (Outlook's, for one) the file defines."""
    if not zones:
        return
    text = "BEGIN:VCALENDAR\r\n" + "\r\n".join(zones) + "\r\nEND:VCALENDAR\r\n"
    try:
        icalendar.Calendar.from_ical(text)
    except _EVENT_ERRORS:
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
class _Occurrence:
    component: _Component
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    recurrence_id: dt.datetime | None


class _Reader:
    def __init__(self, file_name: str, default_zone: dt.tzinfo, until: dt.datetime) -> None:
        self.file_name = file_name
        self.default_zone = default_zone
        self.until = until
        self.zones: dict[str, dt.tzinfo | None] = {}
        self.budget = Budget()

    def zone(self, tzid: str) -> dt.tzinfo | None:
        """The zone a TZID names: IANA, Windows, or a VTIMEZONE of the file."""
        if tzid not in self.zones:
            zone = _zone(tzid)
            if zone is None and len(tzid) <= _LONGEST_ZONE_NAME:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # icalendar guessing a vendor's TZID
                    zone = tzp.timezone(tzid)
            self.zones[tzid] = zone
        return self.zones[tzid]

    def moment(self, prop: _Property | None) -> tuple[dt.datetime, bool] | None:
        """An aware datetime and whether it was a date (all-day)."""
        if prop is None:
            return None
        return self.resolve(_date_value(prop.value), prop.params.get("TZID", ""))

    def resolve(self, value: object, tzid: str) -> tuple[dt.datetime, bool] | None:
        if isinstance(value, dt.datetime):
            zone = self.zone(tzid) if tzid else None
            if zone is not None and value.tzinfo is None:
                return value.replace(tzinfo=zone), False
            if zone is not None and _zone(tzid) is not None:
                return value.replace(tzinfo=zone), False
            if value.tzinfo is not None and value.utcoffset() is not None:
                return value, False
            return value.replace(tzinfo=self.default_zone), False
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time(), tzinfo=self.default_zone), True
        return None

    def span(self, event: _Component) -> tuple[dt.datetime, dt.datetime, bool] | None:
        start_moment = self.moment(event.get("DTSTART"))
        if start_moment is None:
            return None
        start, all_day = start_moment
        end_moment = self.moment(event.get("DTEND"))
        duration = _duration(event.get("DURATION"))
        if end_moment is not None:
            end = end_moment[0]
        elif duration is not None:
            end = start + duration
        else:
            end = start + (dt.timedelta(days=1) if all_day else dt.timedelta())
        if end < start:
            end = start
        return start, end, all_day

    def _moments(self, props: list[_Property]) -> list[dt.datetime]:
        found: list[dt.datetime] = []
        for prop in props:
            tzid = prop.params.get("TZID", "")
            for item in prop.value.split(","):
                # An RDATE period counts from its start.
                moment = self.resolve(_date_value(item.partition("/")[0]), tzid)
                if moment is not None:
                    found.append(moment[0])
        return found

    def occurrences(self, event: _Component) -> tuple[list[_Occurrence], list[Notice]]:
        """The event's occurrences up to ``until``, and what the report must say about its
        recurrence rules (refused, or cut short by a limit; see :mod:`.recurrence`)."""
        span = self.span(event)
        if span is None:
            return [], []
        start, end, all_day = span
        rule_list = event.all("RRULE")
        rdates = self._moments(event.all("RDATE"))
        if not rule_list and not rdates:
            return [_Occurrence(event, start, end, all_day, None)], []
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
        excluded = {m.astimezone(dt.UTC) for m in self._moments(event.all("EXDATE"))}
        excluded_days = {m.date() for m in excluded} if all_day else set()
        length = end - start
        found: list[_Occurrence] = []
        for local in starts:
            occurrence_start = local.replace(tzinfo=zone)
            utc = occurrence_start.astimezone(dt.UTC)
            if utc in excluded or (all_day and occurrence_start.date() in excluded_days):
                continue
            found.append(
                _Occurrence(event, occurrence_start, occurrence_start + length, all_day, utc)
            )
        return found, notices

    def _rule(self, prop: _Property, local_start: dt.datetime, zone: dt.tzinfo) -> Rule:
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


def _duration(prop: _Property | None) -> dt.timedelta | None:
    if prop is None:
        return None
    try:
        value = icalendar.vDuration.from_ical(prop.value.strip())  # type: ignore[no-untyped-call]  # icalendar leaves it untyped
    except _EVENT_ERRORS:
        return None
    return value if isinstance(value, dt.timedelta) else None


def _address(value: object) -> str:
    text = str(value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    try:
        return normalize_email(text)
    except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
        return ""


def _people(event: _Component) -> _People:
    """Attendees and organizer with their CUTYPE, in file order."""
    if event.people is None:
        event.people = _read_people(event)
    return event.people


def _read_people(event: _Component) -> _People:
    attendees: list[tuple[Attendee, str]] = []
    for raw in event.all("ATTENDEE"):
        params = raw.params
        email = _address(_unescape(raw.value))
        name = " ".join(str(params.get("CN", "")).split())
        if name.lower().removeprefix("mailto:") == email:
            name = ""
        if not email and not name:
            continue
        attendees.append(
            (
                Attendee(
                    email=email,
                    name=name,
                    partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                    role=str(params.get("ROLE", "")).upper(),
                ),
                str(params.get("CUTYPE", "INDIVIDUAL")).upper(),
            )
        )
    organizer: tuple[Attendee, str] | None = None
    organizers = event.all("ORGANIZER")
    if len(organizers) == 1:  # several organizers: none to trust
        params = organizers[0].params
        email = _address(_unescape(organizers[0].value))
        name = " ".join(str(params.get("CN", "")).split())
        if name.lower() == email:
            name = ""
        if email or name:
            organizer = (Attendee(email=email, name=name, partstat="", role="CHAIR"), "INDIVIDUAL")
    return attendees, organizer


def _detect_owner(calendar_name: str, events: Sequence[_Component]) -> tuple[set[str], str]:
    owners: set[str] = set()
    calendar_address = _address(calendar_name)
    if calendar_address:
        owners.add(calendar_address)
    per_event: list[set[str]] = []
    organizers: set[str] = set()
    for event in events:
        try:
            attendees, organizer = _people(event)
        except _EVENT_ERRORS:
            continue
        addresses = {a.email for a, _ in attendees if a.email}
        if organizer is not None and organizer[0].email:
            addresses.add(organizer[0].email)
            organizers.add(organizer[0].email)
        if addresses:
            per_event.append(addresses)
    if len(per_event) >= 2:
        common = set.intersection(*per_event)
        if len(common) > 1:
            common &= organizers
        if len(common) == 1:
            owners |= common
    return owners, calendar_address


def _uid(event: _Component, start: dt.datetime | None) -> str:
    uid = " ".join(event.text("UID").split())
    if uid:
        return uid
    basis = f"{event.text('SUMMARY')}|{start.isoformat() if start else ''}"
    return "nouid:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:24]


def parse_ical(
    file_name: str,
    text: str,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
) -> ParseResult:
    if until is None:
        until = dt.datetime.now(tz=dt.UTC)
    elif until.tzinfo is None or until.utcoffset() is None:
        until = until.replace(tzinfo=dt.UTC)
    calendars, zones = _read(file_name, text)
    if not calendars:
        raise ImportFileError(file_name, 1, "expected an iCalendar file (BEGIN:VCALENDAR)")
    _register_zones(zones)
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    notices: list[Notice] = []
    owner_addresses: set[str] = set()
    for address in owner_emails:
        normalized = _address(address)
        if normalized:
            owner_addresses.add(normalized)
    events: list[_Component] = []
    calendar_name = ""
    default_zone: dt.tzinfo = dt.UTC
    for calendar in calendars:
        calendar_name = calendar_name or calendar.text("X-WR-CALNAME")
        zone_name = calendar.text("X-WR-TIMEZONE")
        zone = _zone(zone_name) if zone_name else None
        if zone is not None and default_zone is dt.UTC:
            default_zone = zone
        events.extend(calendar.events)
    detected, _ = _detect_owner(calendar_name, events)
    owner_addresses |= detected
    reader = _Reader(file_name, default_zone, until)
    overrides: dict[tuple[str, dt.datetime], _Component] = {}
    masters: list[_Component] = []
    for event in events:
        try:
            if event.get("RECURRENCE-ID") is not None:
                moment = reader.moment(event.get("RECURRENCE-ID"))
                span = reader.span(event)
                if moment is not None:
                    key = (_uid(event, span[0] if span else None), moment[0].astimezone(dt.UTC))
                    overrides[key] = event
                    continue
            masters.append(event)
        except _EVENT_ERRORS as exc:
            skipped.append(SkippedRow(event.line, "unreadable event", str(exc)[:200]))

    owner_name = ""
    seen_keys: set[str] = set()
    used_overrides: set[tuple[str, dt.datetime]] = set()
    occurrences: list[tuple[str, _Occurrence]] = []
    for event in masters:
        try:
            span = reader.span(event)
            if span is None:
                skipped.append(SkippedRow(event.line, "no start time"))
                continue
            uid = _uid(event, span[0])
            event_occurrences, event_notices = reader.occurrences(event)
            notices.extend(event_notices)
            for occurrence in event_occurrences:
                if occurrence.recurrence_id is not None:
                    key = (uid, occurrence.recurrence_id)
                    override = overrides.get(key)
                    if override is not None:
                        used_overrides.add(key)
                        moved = reader.span(override)
                        if moved is None:
                            continue
                        occurrence = _Occurrence(
                            override, moved[0], moved[1], moved[2], occurrence.recurrence_id
                        )
                occurrences.append((uid, occurrence))
        except _EVENT_ERRORS as exc:
            skipped.append(SkippedRow(event.line, "unreadable event", str(exc)[:200]))
    for key, override in overrides.items():
        if key in used_overrides:
            continue
        try:
            span = reader.span(override)
            if span is not None:
                occurrences.append((key[0], _Occurrence(override, *span, key[1])))
        except _EVENT_ERRORS as exc:
            skipped.append(SkippedRow(override.line, "unreadable event", str(exc)[:200]))

    for uid, occurrence in occurrences:
        event = occurrence.component
        line = event.line
        try:
            record, reason, name = _meeting(file_name, line, uid, occurrence, owner_addresses)
        except _EVENT_ERRORS as exc:
            skipped.append(SkippedRow(line, "unreadable event", str(exc)[:200]))
            continue
        owner_name = owner_name or name
        if record is None:
            # Only one-off events are reported: a skipped series would repeat its reason.
            if occurrence.recurrence_id is None or reason != "in the future":
                skipped.append(SkippedRow(line, reason, event.text("SUMMARY")[:200]))
            continue
        if record.start > until:
            if occurrence.recurrence_id is None:
                skipped.append(SkippedRow(line, "in the future", record.summary[:200]))
            continue
        if record.instance_key in seen_keys:
            skipped.append(SkippedRow(line, "duplicate event", record.summary[:200]))
            continue
        seen_keys.add(record.instance_key)
        records.append(record)
    records.sort(key=lambda r: (r.start, r.instance_key) if isinstance(r, MeetingRecord) else ())
    owner = (
        OwnerInfo(name=owner_name, emails=tuple(sorted(owner_addresses)))
        if owner_addresses
        else None
    )
    return ParseResult(
        format="ical",
        file_name=file_name,
        records=tuple(records),
        skipped=tuple(sorted(skipped, key=lambda s: s.line)),
        owner=owner,
        notices=tuple(notices),
    )


def _text(event: _Component, name: str) -> str:
    return event.text(name).strip()


def _meeting(
    file_name: str,
    line: int,
    uid: str,
    occurrence: _Occurrence,
    owners: set[str],
) -> tuple[MeetingRecord | None, str, str]:
    """The meeting of one occurrence, or None with the reason it is not one."""
    event = occurrence.component
    summary = " ".join(_text(event, "SUMMARY").split())
    status = _text(event, "STATUS").upper()
    attendees, organizer = _people(event)
    owner_name = ""
    owner_partstat = ""
    kept: list[Attendee] = []
    others: list[Attendee] = []
    for attendee, cutype in attendees:
        if attendee.email and attendee.email in owners:
            owner_partstat = attendee.partstat
            owner_name = owner_name or attendee.name
            continue
        kind = attendee_kind(attendee.email, attendee.name, cutype)
        if kind != "person":
            # Rooms, mailing lists and shared mailboxes took part; they are nobody to meet.
            if not any(o.email == attendee.email and o.name == attendee.name for o in others):
                others.append(replace(attendee, kind=kind))
            continue
        if any(k.email == attendee.email and attendee.email for k in kept):
            continue
        kept.append(attendee)
    organized_by_owner = False
    organizer_record: Attendee | None = None
    if organizer is not None:
        kind = attendee_kind(organizer[0].email, organizer[0].name, organizer[1])
        if organizer[0].email in owners:
            organized_by_owner = True
            owner_name = owner_name or organizer[0].name
        elif kind != "person":
            host = replace(organizer[0], kind=kind)
            others = [o for o in others if o.email != host.email or not host.email]
            others.insert(0, host)
        else:
            organizer_record = organizer[0]
    if status == "CANCELLED":
        return None, "cancelled", owner_name
    if owner_partstat == "DECLINED":
        return None, "declined", owner_name
    if occurrence.all_day and not kept and organizer_record is None:
        return None, "all-day without attendees", owner_name
    location = " ".join(_text(event, "LOCATION").split())
    description = _text(event, "DESCRIPTION")
    has_link = any(name in event.properties for name in _LINK_PROPERTIES)
    recurrence_id = occurrence.recurrence_id
    instance_key = (
        f"{uid}/{recurrence_id.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}" if recurrence_id else uid
    )
    return (
        MeetingRecord(
            file_name=file_name,
            line=line,
            uid=uid,
            instance_key=instance_key,
            summary=summary,
            start=occurrence.start,
            end=occurrence.end,
            all_day=occurrence.all_day,
            location=location,
            channel=infer_channel(location, description, summary, has_link=has_link),
            status=status or "CONFIRMED",
            organizer=organizer_record,
            attendees=tuple(kept),
            owner_partstat=owner_partstat,
            organized_by_owner=organized_by_owner,
            recurrence_id=recurrence_id,
            others=tuple(others),
        ),
        "",
        owner_name,
    )
