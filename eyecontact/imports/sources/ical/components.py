"""A calendar file read component by component, each event kept only as what a meeting needs.

The content lines come from :mod:`..contentlines`, streamed. Components nest by BEGIN and END;
as soon as an event's END is read, its properties become an :class:`Event`: times and
recurrence rules as written (resolved later, once every zone of the file is known), the text of
its summary, status, location and UID, whether it carries a video link, and its attendees and
organizer, each read once and shared between events that name the same person the same way.
The rest of the event (its description, alarms, attachments) is dropped there, so memory grows
with the meetings a file holds, not with its bytes. ``VTIMEZONE`` definitions are kept as text
for ``icalendar`` to read.

Like ``icalendar``: an END closes whatever component is open, a line that is not a content line
is passed over inside a component and makes the file unreadable outside every component.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import BinaryIO

from eyecontact.imports.sources.contentlines import (
    ContentLine,
    UnreadableLine,
    content_lines,
    unescape,
)
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.ical.channel import LINK_PROPERTIES, has_meeting_link
from eyecontact.imports.sources.records import Attendee
from eyecontact.matching.normalize import normalize_email

__all__ = [
    "CUT_IN_COMPONENT",
    "EVENT_ERRORS",
    "Calendar",
    "Event",
    "Party",
    "Property",
    "address",
    "read_calendar",
]

CUT_IN_COMPONENT = (
    "the file ends inside the {name} that begins here (no END:{name}), so it was cut short; "
    "nothing was imported. Export or download it again."
)
EVENT_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)
# Properties of an event kept as written, to be read as times once the file's zones are known.
_TIME_PROPERTIES = frozenset({"DTSTART", "DTEND", "DURATION", "RECURRENCE-ID"})
_LIST_PROPERTIES = frozenset({"RRULE", "RDATE", "EXDATE"})
_TEXT_PROPERTIES = frozenset({"UID", "SUMMARY", "STATUS", "LOCATION"})

# An attendee or organizer and their CUTYPE.
Party = tuple[Attendee, str]


@dataclass(frozen=True, slots=True)
class Property:
    """A time or rule property: its value as written (unfolded, not unescaped) and its TZID."""

    value: str
    tzid: str = ""


@dataclass(slots=True)
class Event:
    """One VEVENT, reduced to what deciding and writing its meetings needs."""

    line: int
    uid: str = ""
    summary: str = ""
    status: str = ""
    location: str = ""
    has_link: bool = False
    dtstart: Property | None = None
    dtend: Property | None = None
    duration: Property | None = None
    recurrence_id: Property | None = None
    rrules: tuple[Property, ...] = ()
    rdates: tuple[Property, ...] = ()
    exdates: tuple[Property, ...] = ()
    attendees: tuple[Party, ...] = ()
    organizer: Party | None = None
    # Why the event could not be read, when it could not.
    problem: str = ""


@dataclass(slots=True)
class Calendar:
    """What a calendar file holds: its events in file order, its zones, its name and zone."""

    events: list[Event] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)
    name: str = ""
    zone_names: list[str] = field(default_factory=list)
    top_level: int = 0


@dataclass(slots=True)
class _Open:
    """A component between its BEGIN and END, with the properties it keeps."""

    name: str
    line: int
    lines: list[ContentLine] = field(default_factory=list)


def address(value: str) -> str:
    """The e-mail address of a ``mailto:`` value or a name that is one, or ""."""
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    try:
        return normalize_email(text)
    except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
        return ""


class _Parties:
    """Attendees read from their lines, one object for each way a file writes a person."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str, str, str], Party] = {}
        # The same ATTENDEE line comes back in event after event: it is read once.
        self._lines: dict[tuple[bytes, str, str, str, str], Party | None] = {}

    def party(self, email: str, name: str, partstat: str, role: str, cutype: str) -> Party:
        key = (email, name, partstat, role, cutype)
        found = self._known.get(key)
        if found is None:
            found = (
                Attendee(email=email, name=name, partstat=sys.intern(partstat), role=role),
                sys.intern(cutype),
            )
            self._known[key] = found
        return found

    def attendee(self, prop: ContentLine) -> Party | None:
        cn, partstat = prop.param("CN"), prop.param("PARTSTAT")
        role, cutype = prop.param("ROLE"), prop.param("CUTYPE")
        key = (prop.raw_value, cn, partstat, role, cutype)
        if key in self._lines:
            return self._lines[key]
        email = address(unescape(prop.text()))
        name = " ".join(cn.split())
        if name.lower().removeprefix("mailto:") == email:
            name = ""
        party = (
            self.party(
                email,
                name,
                (partstat or "NEEDS-ACTION").upper(),
                role.upper(),
                (cutype or "INDIVIDUAL").upper(),
            )
            if email or name
            else None
        )
        self._lines[key] = party
        return party

    def organizer(self, props: list[ContentLine]) -> Party | None:
        if len(props) != 1:  # several organizers: none to trust
            return None
        email = address(unescape(props[0].text()))
        name = " ".join(props[0].param("CN").split())
        if name.lower() == email:
            name = ""
        if not (email or name):
            return None
        return self.party(email, name, "", "CHAIR", "INDIVIDUAL")


def _property(prop: ContentLine) -> Property:
    tzid = prop.param("TZID")
    return Property(prop.text(), sys.intern(tzid) if tzid else "")


def _event(open_event: _Open, parties: _Parties) -> Event:
    event = Event(open_event.line)
    try:
        _fill(event, open_event.lines, parties)
    except EVENT_ERRORS as exc:
        event.problem = str(exc)[:200] or type(exc).__name__
    return event


def _fill(event: Event, lines: list[ContentLine], parties: _Parties) -> None:
    texts: dict[str, str] = {}
    times: dict[str, Property] = {}
    lists: dict[str, list[Property]] = {}
    attendees: list[Party] = []
    organizers: list[ContentLine] = []
    for prop in lines:
        name = prop.name
        if name == "ATTENDEE":
            party = parties.attendee(prop)
            if party is not None:
                attendees.append(party)
        elif name in _TEXT_PROPERTIES:
            if name not in texts:
                texts[name] = unescape(prop.text())
        elif name in _TIME_PROPERTIES:
            if name not in times:
                times[name] = _property(prop)
        elif name in _LIST_PROPERTIES:
            lists.setdefault(name, []).append(_property(prop))
        elif name == "ORGANIZER":
            organizers.append(prop)
        elif name == "DESCRIPTION":
            event.has_link = event.has_link or has_meeting_link(prop.text())
        elif name in LINK_PROPERTIES:
            event.has_link = True
    event.uid = texts.get("UID", "")
    event.summary = texts.get("SUMMARY", "")
    status = texts.get("STATUS", "")
    event.status = sys.intern(status) if len(status) < 20 else status
    event.location = texts.get("LOCATION", "")
    event.dtstart = times.get("DTSTART")
    event.dtend = times.get("DTEND")
    event.duration = times.get("DURATION")
    event.recurrence_id = times.get("RECURRENCE-ID")
    event.rrules = tuple(lists.get("RRULE", ()))
    event.rdates = tuple(lists.get("RDATE", ()))
    event.exdates = tuple(lists.get("EXDATE", ()))
    event.attendees = tuple(attendees)
    event.organizer = parties.organizer(organizers)


def read_calendar(file_name: str, source: BinaryIO | bytes) -> Calendar:
    """The events, zones, name and zone of a calendar file, read as it streams in."""
    calendar = Calendar()
    parties = _Parties()
    stack: list[_Open] = []
    zone_lines: list[str] | None = None
    for prop in content_lines(source):
        if isinstance(prop, UnreadableLine):
            if stack:
                continue  # a broken line inside a component is skipped, as icalendar does
            raise ImportFileError(
                file_name, prop.line, "not a readable iCalendar file: a line outside BEGIN and END"
            )
        name = prop.name
        if zone_lines is not None:
            zone_lines.append(_written(prop))
        if name == "BEGIN":
            component = _Open(prop.text().strip().upper(), prop.line)
            if component.name == "VTIMEZONE" and zone_lines is None:
                zone_lines = [_written(prop)]
            stack.append(component)
        elif name == "END":
            if not stack:
                raise ImportFileError(
                    file_name, prop.line, "not a readable iCalendar file: END without BEGIN"
                )
            component = stack.pop()
            if component.name == "VTIMEZONE" and zone_lines is not None:
                calendar.zones.append("\r\n".join(zone_lines))
                zone_lines = None
            if component.name == "VEVENT":  # events at any depth, in file order
                calendar.events.append(_event(component, parties))
            elif not stack:
                _calendar_properties(calendar, component)
            if not stack:
                calendar.top_level += 1
        elif stack:
            top = stack[-1]
            if top.name == "VEVENT" or (len(stack) == 1 and name.startswith("X-WR-")):
                top.lines.append(prop)
        elif name != "X-COMMENT":
            raise ImportFileError(
                file_name, prop.line, "not a readable iCalendar file: a property outside BEGIN"
            )
    if stack:
        # The file stops inside a calendar: a download or copy cut short.
        raise ImportFileError(
            file_name, stack[-1].line, CUT_IN_COMPONENT.format(name=stack[-1].name)
        )
    return calendar


def _calendar_properties(calendar: Calendar, component: _Open) -> None:
    """The name and zone a calendar gives itself (Google: the owner's address, the zone)."""
    zone_name = ""
    for prop in component.lines:
        if prop.name == "X-WR-CALNAME" and not calendar.name:
            calendar.name = unescape(prop.text())
        elif prop.name == "X-WR-TIMEZONE" and not zone_name:
            zone_name = unescape(prop.text())
    calendar.zone_names.append(zone_name)


def _written(prop: ContentLine) -> str:
    """A content line as text again, for icalendar to read a VTIMEZONE."""
    head = f"{prop.group}.{prop.name}" if prop.group else prop.name
    for key, values in prop.params.items():
        for value in values:
            quoted = f'"{value}"' if any(c in value for c in ";:,") else value
            head += f";{key}={quoted}"
    return f"{head}:{prop.text()}"
