"""Turning parse results into sightings: one person as one row of one file shows them.

A contact row, a meeting's attendee and a LinkedIn invitation each become a :class:`Sighting`
with its normalised identities; rows of the owner of the export are dropped, rows of one format
with the same key become one. Organisations, mailing lists and rooms are kept aside as parties.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from eyecontact.imports.models import SourceRecord
from eyecontact.imports.sources.parties import contact_kind
from eyecontact.imports.sources.records import (
    ContactRecord,
    InvitationRecord,
    MeetingRecord,
    ParseResult,
)
from eyecontact.matching import PersonRecord
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_identity

from .context import LoadReport, Owner

__all__ = [
    "Gathered",
    "Sighting",
    "completeness",
    "first",
    "invitation_sighting",
    "lone_accounts",
    "person_record",
    "sightings_gather",
    "stand_in",
]


@dataclass
class Sighting:
    """One person as one row of one file shows them."""

    source_format: str
    key: str
    line: int
    file_name: str
    full_name: str
    given_name: str = ""
    family_name: str = ""
    organization: str = ""
    title: str = ""
    city: str = ""
    notes: str = ""
    identities: list[tuple[str, str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    network: str = ""
    connection_kind: str = ""
    connected_on: dt.date | None = None
    # The owner and the account follow each other, as the row says.
    mutual: bool = False
    person_id: int | None = None
    decision: str = SourceRecord.Decision.NEW
    score: float | None = None
    evidence: list[str] = field(default_factory=list)
    # Nameless people (an X account) this named row shares an identity with: it may show
    # who they are, so it is matched by name too, and they join whoever it turns out to be.
    absorbs: set[int] = field(default_factory=set)
    # An address book's birthday and photo, kept for the person's card (eyecontact.contacts).
    birthday: str = ""
    photo: bytes | None = None

    @property
    def record_key(self) -> tuple[str, str]:
        return (self.source_format, self.key)

    @property
    def named(self) -> bool:
        """Whether the row gives a name to match by (not a stand-in like "@handle")."""
        if self.given_name or self.family_name:
            return True
        return not stand_in(self.full_name) and "@" not in self.full_name

    @property
    def matchable(self) -> bool:
        """Whether matching by name could find this row anyone its identities have not.

        Rows with neither a name nor an e-mail address (most X accounts) have nothing but
        identities, and every identity was looked up already.
        """
        return self.named or any(kind == "email" for kind, _ in self.identities)

    def person_record(self, record_id: Hashable) -> PersonRecord:
        return person_record(
            record_id,
            self.full_name,
            self.given_name,
            self.family_name,
            self.organization,
            self.title,
            self.city,
            self.identities,
            self.source_format,
        )


def person_record(
    record_id: Hashable,
    full_name: str,
    given_name: str,
    family_name: str,
    organization: str,
    title: str,
    city: str,
    identities: Sequence[tuple[str, str]],
    source: str,
) -> PersonRecord:
    """What matching compares of a row or a person."""
    emails: list[str] = []
    phones: list[str] = []
    websites: list[str] = []
    linkedin = facebook = x_account = ""
    for kind, value in identities:
        if kind == "email":
            emails.append(value)
        elif kind == "phone":
            phones.append(value)
        elif kind == "website":
            websites.append(value)
        elif kind == "linkedin":
            linkedin = linkedin or value  # the first of each account
        elif kind == "facebook":
            facebook = facebook or value
        elif kind == "x":
            x_account = x_account or value
    return PersonRecord(
        id=record_id,
        # "@handle" and "X account 123" stand in for a name nobody gave: nothing to compare.
        full_name="" if stand_in(full_name) else full_name,
        given_name=given_name,
        family_name=family_name,
        emails=tuple(emails),
        phones=tuple(phones),
        organization=organization,
        title=title,
        city=city,
        linkedin=linkedin,
        facebook=facebook,
        x_account=x_account,
        websites=tuple(websites),
        source=source,
    )


def stand_in(name: str) -> bool:
    """A display name made up for an account nobody named: "@handle", "X account 123"."""
    return name.startswith(("@", "X account "))


def _identities(record: ContactRecord, region: str) -> tuple[list[tuple[str, str]], int]:
    """Normalised identities of a contact row and how many values could not be read."""
    raw: list[tuple[str, str]] = [("email", e) for e in record.emails]
    raw += [("phone", p) for p in record.phones]
    # A profile link saved as a website is the profile itself.
    raw += [
        ("linkedin" if "linkedin.com/in/" in w.lower() else "website", w) for w in record.websites
    ]
    if record.linkedin_url:
        raw.append(("linkedin", record.linkedin_url))
    if record.facebook_id:
        raw.append(("facebook", record.facebook_id))
    elif record.facebook_profile:
        raw.append(("facebook", record.facebook_profile))
    if record.x_account_id:
        raw.append(("x", f"id:{record.x_account_id}"))
    if record.x_handle:
        raw.append(("x", record.x_handle))
    found: list[tuple[str, str]] = []
    bad = 0
    for kind, value in raw:
        try:
            pair = (kind, normalize_identity(kind, value, default_region=region))
        except InvalidIdentity:
            bad += 1
            continue
        if pair not in found:
            found.append(pair)
    return found, bad


def lone_accounts(sightings: Sequence[Sighting]) -> set[int]:
    """Positions of the rows that matching could only ever leave on their own.

    An X account known by its id alone (most of a follower list) is compared by that id only;
    when no other row of the batch holds it, matching finds no pair for it and makes it a
    person of its own. Those rows skip matching: a heavy user's archive has 100,000 of them.
    """
    holders: Counter[str] = Counter(
        value for sighting in sightings for kind, value in sighting.identities if kind == "x"
    )
    return {
        position
        for position, sighting in enumerate(sightings)
        if len(sighting.identities) == 1
        and sighting.identities[0][0] == "x"
        and holders[sighting.identities[0][1]] == 1
        and sighting.identities[0][1].startswith("id:")
        and stand_in(sighting.full_name)
        and not (
            sighting.given_name
            or sighting.family_name
            or sighting.organization
            or sighting.title
            or sighting.city
        )
    }


def _contact_name(record: ContactRecord) -> str:
    name = record.full_name or " ".join(
        p for p in (record.given_name, record.middle_name, record.family_name) if p
    )
    if name:
        return name
    if record.x_handle:
        return "@" + record.x_handle.lstrip("@")
    if record.organization:
        return record.organization
    if record.emails:
        return record.emails[0]
    if record.x_account_id:
        return f"X account {record.x_account_id}"
    return ""


def _as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date()
    return value


def _contact_sighting(record: ContactRecord, region: str, report: LoadReport) -> Sighting | None:
    identities, bad = _identities(record, region)
    if bad:
        report.skipped["unreadable e-mail, phone or profile values"] += bad
    name = _contact_name(record)
    if not name:
        report.skipped["row without a name or identity"] += 1
        return None
    connection = record.connection
    # One account can follow the owner and be followed: two rows, two keys.
    key = f"{connection.kind}:{record.key}" if connection else record.key
    return Sighting(
        source_format=record.source_format,
        key=key[:400],
        line=record.line,
        file_name=record.file_name,
        full_name=name,
        given_name=record.given_name,
        family_name=record.family_name,
        organization=record.organization,
        title=record.title,
        city=record.city,
        notes=record.notes,
        identities=identities,
        raw={
            "name": name,
            "organization": record.organization,
            "title": record.title,
            "city": record.city,
        },
        network=connection.network if connection else "",
        connection_kind=connection.kind if connection else "",
        connected_on=_as_date(connection.connected_at) if connection else None,
        mutual=record.mutual,
        birthday=record.birthday,
        photo=record.photo,
    )


def _attendee_sightings(meeting: MeetingRecord, region: str) -> Iterable[Sighting]:
    for attendee in meeting.attendees:
        try:
            email = normalize_identity("email", attendee.email)
        except InvalidIdentity:
            continue
        name = attendee.name if attendee.name and "@" not in attendee.name else ""
        yield Sighting(
            source_format="ical",
            key=f"attendee:{email}",
            line=meeting.line,
            file_name=meeting.file_name,
            full_name=name or email,
            identities=[("email", email)],
            raw={"name": name or email},
        )


def invitation_sighting(invitation: InvitationRecord, region: str) -> Sighting | None:
    outgoing = invitation.direction == "outgoing"
    name = invitation.to_name if outgoing else invitation.from_name
    url = invitation.to_profile_url if outgoing else invitation.from_profile_url
    identities = []
    if url:
        with contextlib.suppress(InvalidIdentity):
            identities.append(("linkedin", normalize_identity("linkedin", url)))
    if not name and not identities:
        return None
    key = identities[0][1] if identities else name
    return Sighting(
        source_format="linkedin_invitation",
        key=f"person:{key}"[:400],
        line=invitation.line,
        file_name=invitation.file_name,
        full_name=name or key,
        identities=identities,
        raw={"name": name or key},
    )


@dataclass
class Gathered:
    """What the files of one import show, before anyone is looked up.

    ``shown_identities`` holds the owner's too: a meeting's touch looks its attendees up, the
    owner among them. ``parties`` are the organisations, mailing lists and rooms the files
    show, by key (kind, name, e-mail); ``meeting_parties`` those of each meeting's touch, and
    ``meeting_places`` the place each meeting happened at.
    """

    sightings: dict[tuple[str, str], Sighting] = field(default_factory=dict)
    shown_identities: set[tuple[str, str]] = field(default_factory=set)
    parties: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    meeting_parties: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    meeting_places: dict[str, str] = field(default_factory=dict)

    def keep(self, sighting: Sighting | None, owner: Owner, report: LoadReport) -> None:
        """Adds a row's sighting; the owner's are dropped, a second row of a key joins the
        first (and gives it a name when the first had none)."""
        if sighting is None:
            return
        self.shown_identities.update(sighting.identities)
        if not owner.identities.isdisjoint(sighting.identities):
            report.skipped["the owner of the export"] += 1
            return
        existing = self.sightings.get(sighting.record_key)
        if existing is None:
            self.sightings[sighting.record_key] = sighting
        else:
            if sighting.named and not existing.named:
                # An address first invited without a name, later with one, is that person.
                existing.full_name = sighting.full_name
                existing.given_name = sighting.given_name
                existing.family_name = sighting.family_name
            for pair in sighting.identities:
                if pair not in existing.identities:
                    existing.identities.append(pair)

    def keep_party(self, kind: str, name: str, email: str) -> str:
        """Notes an organisation, mailing list or room the files show; its key, or "" if the
        row names nothing."""
        try:
            email = normalize_identity("email", email) if email else ""
        except InvalidIdentity:
            email = ""
        name = " ".join(name.split())
        if email:
            key = f"email:{email}"
        elif fold_name(name):
            key = f"name:{fold_name(name)}"
        else:
            return ""
        key = key[:400]
        known = self.parties.get(key)
        if known is None or (not known[1] and name):
            self.parties[key] = (kind, name, email)
        return key


def sightings_gather(
    results: Sequence[ParseResult], *, owner: Owner, region: str, report: LoadReport
) -> Gathered:
    """The sightings and parties of every record of ``results``; skipped rows and notices go on
    ``report``."""
    gathered = Gathered()
    for result in results:
        for skipped in result.skipped:
            report.skipped[skipped.reason] += 1
        report.notices.extend(
            f"{result.file_name}, line {notice.line}: {notice.message}" for notice in result.notices
        )
        for record in result.records:
            if isinstance(record, ContactRecord):
                kind = contact_kind(record)
                if kind != "person":
                    name = record.full_name or record.organization
                    gathered.keep_party(kind, name, first(record.emails))
                    continue
                gathered.keep(_contact_sighting(record, region, report), owner, report)
            elif isinstance(record, MeetingRecord):
                for sighting in _attendee_sightings(record, region):
                    gathered.keep(sighting, owner, report)
                touch_key = f"ical:{record.instance_key}"[:300]
                gathered.meeting_places[touch_key] = record.location
                for other in record.others:
                    party = gathered.keep_party(other.kind, other.name, other.email)
                    if party:
                        gathered.meeting_parties[touch_key].append(party)
            else:
                gathered.keep(invitation_sighting(record, region), owner, report)
    return gathered


def completeness(sighting: Sighting) -> tuple[int, int, int]:
    """How fully a row names its person: a real name, given and family names, its length."""
    named = int(bool(sighting.given_name and sighting.family_name))
    real = int(
        not sighting.full_name.startswith(("@", "X account")) and "@" not in sighting.full_name
    )
    return (real, named, len(sighting.full_name))


def first(values: Iterable[str]) -> str:
    """The first value that is not empty, or ""."""
    return next((v for v in values if v), "")
