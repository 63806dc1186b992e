"""Which calendar events were meetings, with whom, and the owner of the calendar.

1. **Who the owner is**: the addresses passed in, the calendar name when it is an address
   (Google names the main calendar after its owner), and the one address present in every
   event that lists people. The owner is removed from the attendees; rooms, mailing lists and
   shared mailboxes are moved apart, to the meeting's ``others`` (see :mod:`..parties`).
2. **Which events count**: not ``STATUS:CANCELLED``, not declined by the owner, not an all-day
   block without attendees, not after ``until``.
3. **Occurrences**: each occurrence of a recurring event is a meeting of its own; a
   ``RECURRENCE-ID`` override replaces the occurrence it names (and may move or cancel it).
4. **How**: ``channel`` from the location and meeting links (see :mod:`.channel`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import BinaryIO

from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.ical.channel import infer_channel
from eyecontact.imports.sources.ical.components import (
    EVENT_ERRORS,
    Event,
    address,
    read_calendar,
)
from eyecontact.imports.sources.ical.times import Occurrence, Times, find_zone, register_zones
from eyecontact.imports.sources.parties import attendee_kind
from eyecontact.imports.sources.records import (
    Attendee,
    MeetingRecord,
    Notice,
    OwnerInfo,
    ParseResult,
    Record,
    SkippedRow,
)

__all__ = ["parse_ical"]


def _detect_owner(calendar_name: str, events: Sequence[Event]) -> tuple[set[str], str]:
    owners: set[str] = set()
    calendar_address = address(calendar_name)
    if calendar_address:
        owners.add(calendar_address)
    per_event: list[set[str]] = []
    organizers: set[str] = set()
    for event in events:
        attendees, organizer = event.attendees, event.organizer
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


def _uid(event: Event, start: dt.datetime | None) -> str:
    uid = " ".join(event.uid.split())
    if uid:
        return uid
    basis = f"{event.summary}|{start.isoformat() if start else ''}"
    return "nouid:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:24]


def parse_ical(
    file_name: str,
    source: BinaryIO | bytes | str,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
) -> ParseResult:
    """The meetings of a calendar file: its bytes (UTF-8, or Windows-1252 where a value is not
    UTF-8), a binary stream of them, or its text."""
    if until is None:
        until = dt.datetime.now(tz=dt.UTC)
    elif until.tzinfo is None or until.utcoffset() is None:
        until = until.replace(tzinfo=dt.UTC)
    calendar = read_calendar(
        file_name, source.encode("utf-8") if isinstance(source, str) else source
    )
    if not calendar.top_level:
        raise ImportFileError(file_name, 1, "expected an iCalendar file (BEGIN:VCALENDAR)")
    register_zones(calendar.zones)
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    notices: list[Notice] = []
    owner_addresses: set[str] = set()
    for given in owner_emails:
        normalized = address(given)
        if normalized:
            owner_addresses.add(normalized)
    default_zone: dt.tzinfo = dt.UTC
    for zone_name in calendar.zone_names:
        zone = find_zone(zone_name) if zone_name else None
        if zone is not None and default_zone is dt.UTC:
            default_zone = zone
    events = calendar.events
    detected, _ = _detect_owner(calendar.name, events)
    owner_addresses |= detected
    reader = Times(file_name, default_zone, until)
    overrides: dict[tuple[str, dt.datetime], Event] = {}
    masters: list[Event] = []
    for event in events:
        if event.problem:
            skipped.append(SkippedRow(event.line, "unreadable event", event.problem))
            continue
        try:
            if event.recurrence_id is not None:
                moment = reader.moment(event.recurrence_id)
                span = reader.span(event)
                if moment is not None:
                    key = (_uid(event, span[0] if span else None), moment[0].astimezone(dt.UTC))
                    overrides[key] = event
                    continue
            masters.append(event)
        except EVENT_ERRORS as exc:
            skipped.append(SkippedRow(event.line, "unreadable event", str(exc)[:200]))

    owner_name = ""
    seen_keys: set[str] = set()

    def take(uid: str, occurrence: Occurrence) -> None:
        """The meeting of one occurrence joins the records, or the reason it does not. The
        time this takes is not counted as time spent expanding recurrences."""
        began = time.monotonic()
        try:
            meet(uid, occurrence)
        finally:
            reader.budget.not_counting(time.monotonic() - began)

    def meet(uid: str, occurrence: Occurrence) -> None:
        nonlocal owner_name
        event = occurrence.event
        line = event.line
        try:
            record, reason, name = _meeting(file_name, line, uid, occurrence, owner_addresses)
        except EVENT_ERRORS as exc:
            skipped.append(SkippedRow(line, "unreadable event", str(exc)[:200]))
            return
        owner_name = owner_name or name
        if record is None:
            # Only one-off events are reported: a skipped series would repeat its reason.
            if occurrence.recurrence_id is None or reason != "in the future":
                skipped.append(SkippedRow(line, reason, event.summary[:200]))
            return
        if record.start > until:
            if occurrence.recurrence_id is None:
                skipped.append(SkippedRow(line, "in the future", record.summary[:200]))
            return
        if record.instance_key in seen_keys:
            skipped.append(SkippedRow(line, "duplicate event", record.summary[:200]))
            return
        seen_keys.add(record.instance_key)
        records.append(record)

    used_overrides: set[tuple[str, dt.datetime]] = set()
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
                        occurrence = Occurrence(
                            override, moved[0], moved[1], moved[2], occurrence.recurrence_id
                        )
                take(uid, occurrence)
        except EVENT_ERRORS as exc:
            skipped.append(SkippedRow(event.line, "unreadable event", str(exc)[:200]))
    for key, override in overrides.items():
        if key in used_overrides:
            continue
        try:
            span = reader.span(override)
            if span is not None:
                take(key[0], Occurrence(override, *span, key[1]))
        except EVENT_ERRORS as exc:
            skipped.append(SkippedRow(override.line, "unreadable event", str(exc)[:200]))

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


def _meeting(
    file_name: str,
    line: int,
    uid: str,
    occurrence: Occurrence,
    owners: set[str],
) -> tuple[MeetingRecord | None, str, str]:
    """The meeting of one occurrence, or None with the reason it is not one."""
    event = occurrence.event
    summary = " ".join(event.summary.split())
    status = event.status.strip().upper()
    attendees, organizer = event.attendees, event.organizer
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
    location = " ".join(event.location.split())
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
            channel=infer_channel(location, "", summary, has_link=event.has_link),
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
