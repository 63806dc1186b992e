"""What the export parsers hand to the import pipeline.

Each parser turns the bytes of one export file into one :class:`ParseResult`::

    bytes + file name
          |
          v
    detect_format() --> "linkedin_connections" | "facebook_friends" | "x_follower" | ... | "ical"
          |
          v
    ParseResult(format, file_name, records, skipped, snapshot_date, owner)
                                      |         |
                                      |         +-- SkippedRow(line, reason, detail)
                                      |             rows we read and chose not to import
                                      |             ("hidden member", "cancelled", ...)
                                      +-- ContactRecord     one person as one source sees them
                                      |     +-- Connection  how the owner is tied to them there
                                      +-- InvitationRecord  a LinkedIn invitation
                                      +-- MeetingRecord     one calendar occurrence
                                            +-- Attendee    its people (owner removed), and
                                                            apart, its rooms, lists, mailboxes

Records are frozen and hold plain values (strings, dates, tuples), so they can be compared in
tests, cached, and handed to the loaders that run through matching and the services.

Every record carries ``file_name`` and ``line`` (for JSON files, the position in the list,
counting from 1), so an import report can point at the row a value came from, and a stable
``key`` that is the same every time the same row is imported again: re-importing a newer
export updates what was imported before instead of duplicating it.

Records pickle as their class and field values (:func:`_as_fields`), so that those read in a
second process (:mod:`.reading`) come back quickly.

Values are kept as the file wrote them, with only lossless clean-up (trimmed whitespace,
Facebook's mojibake repaired, e-mail addresses lower-cased). Canonical identities (E.164
phones, LinkedIn slugs) are the job of :mod:`eyecontact.matching.normalize`; parsers only use
it to build keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Attendee",
    "Connection",
    "ContactRecord",
    "InvitationRecord",
    "MeetingRecord",
    "Notice",
    "OwnerInfo",
    "ParseResult",
    "PartyKind",
    "Record",
    "SkippedRow",
    "SourceFormat",
]

SourceFormat = Literal[
    "linkedin", "facebook", "x", "vcard", "google_csv", "outlook_csv", "x_csv", "ical"
]
Network = Literal["linkedin", "facebook", "x"]
ConnectionKind = Literal["connection", "friend", "follower", "following"]
Channel = Literal["in_person", "video", "phone", "hybrid", "unknown"]
PartyKind = Literal["person", "organization", "mailing_list", "room"]


def _as_fields(record: Any) -> tuple[Any, ...]:
    """How a record pickles: its class and its field values, so unpickling calls the class.

    Frozen dataclasses with slots otherwise pickle their state and restore it field by field
    through a Python function, at twice the cost; a heavy user's X archive is 100,000 records.
    """
    return (type(record), tuple(getattr(record, name) for name in record.__match_args__))


@dataclass(frozen=True, slots=True)
class Connection:
    """How the owner is tied to a person on a social network, and since when if known.

    ``connected_at`` is a date when the file gives only a day (LinkedIn today), an aware
    datetime when it gives a time (LinkedIn 2018, Facebook), and None when it gives nothing (X).
    """

    __reduce__ = _as_fields

    network: Network
    kind: ConnectionKind
    connected_at: dt.date | dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """One person as one export file describes them: a connection, a friend or an address card."""

    __reduce__ = _as_fields

    source_format: SourceFormat
    file_name: str
    line: int
    key: str
    full_name: str = ""
    given_name: str = ""
    middle_name: str = ""
    family_name: str = ""
    name_prefix: str = ""
    name_suffix: str = ""
    nickname: str = ""
    phonetic_given_name: str = ""
    phonetic_family_name: str = ""
    organization: str = ""
    title: str = ""
    city: str = ""
    notes: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    birthday: str = ""
    linkedin_url: str = ""
    facebook_id: str = ""
    facebook_profile: str = ""
    x_account_id: str = ""
    x_handle: str = ""
    photo: bytes | None = field(default=None, repr=False)
    is_organization: bool = False
    connection: Connection | None = None
    # The owner and the account follow each other (a follower tool's "followed_by" column).
    mutual: bool = False


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    """A LinkedIn invitation to connect, sent or received by the owner."""

    __reduce__ = _as_fields

    file_name: str
    line: int
    key: str
    from_name: str
    to_name: str
    from_profile_url: str
    to_profile_url: str
    sent_at: dt.datetime | None
    direction: Literal["incoming", "outgoing", "unknown"]
    message: str
    source_format: SourceFormat = "linkedin"


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone or something invited to a calendar event, as the calendar names them.

    ``kind`` is ``person`` for the meeting's people; a shared mailbox (``organization``), a
    mailing list or a room is listed in the meeting's ``others`` (see :mod:`.parties`).
    """

    __reduce__ = _as_fields

    email: str
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = ""
    kind: PartyKind = "person"


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """One occurrence of a calendar event the owner did not decline and that was not cancelled.

    ``instance_key`` is the event UID for a one-off event and ``UID/<original start in UTC>``
    for an occurrence of a recurring one, so a moved occurrence keeps its key. ``start`` and
    ``end`` are aware datetimes. ``channel`` says how the meeting happened as far as the
    calendar tells: ``in_person`` (a physical place), ``video`` (a meeting link), ``phone``,
    ``hybrid`` (a place and a meeting link) or ``unknown``.
    """

    __reduce__ = _as_fields

    file_name: str
    line: int
    uid: str
    instance_key: str
    summary: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    location: str
    channel: Channel
    status: str
    organizer: Attendee | None
    attendees: tuple[Attendee, ...]
    owner_partstat: str = ""
    organized_by_owner: bool = False
    recurrence_id: dt.datetime | None = None
    source_format: SourceFormat = "ical"
    # Who took part that is not a person: shared mailboxes, mailing lists, rooms.
    others: tuple[Attendee, ...] = ()


Record = ContactRecord | InvitationRecord | MeetingRecord


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that was read and deliberately not imported, with the reason shown to the user."""

    __reduce__ = _as_fields

    line: int
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the import's report must point out in the file, by line: a part that was
    read only in part or not at all (a recurrence rule refused or cut short)."""

    __reduce__ = _as_fields

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class OwnerInfo:
    """The person who made the export, when the file says who that is."""

    __reduce__ = _as_fields

    name: str = ""
    emails: tuple[str, ...] = ()
    x_account_id: str = ""
    x_handle: str = ""
    linkedin_url: str = ""


@dataclass(frozen=True, slots=True)
class ParseResult:
    """Everything read from one export file."""

    format: str
    file_name: str
    records: tuple[Record, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    snapshot_date: dt.date | None = None
    owner: OwnerInfo | None = None
    notices: tuple[Notice, ...] = ()

    @property
    def contacts(self) -> tuple[ContactRecord, ...]:
        return tuple(r for r in self.records if isinstance(r, ContactRecord))

    @property
    def meetings(self) -> tuple[MeetingRecord, ...]:
        return tuple(r for r in self.records if isinstance(r, MeetingRecord))

    @property
    def invitations(self) -> tuple[InvitationRecord, ...]:
        return tuple(r for r in self.records if isinstance(r, InvitationRecord))
