"""Turning parsed export records into people, identities, connections and touches.

The parsers (:mod:`eyecontact.imports.sources`) hand over frozen records; this module writes
them, for one import batch, inside the caller's transaction::

    records ──> sightings (one per person seen: a contact row, an attendee, an invitee)
                  │  the owner's own addresses and accounts are dropped
                  ▼
            known row?  (SourceRecord by format + key)  ──> its person; details refreshed
                  │ no
                  ▼
            shared identity? (e-mail, phone, profile, account id)  ──> that person
                  │ no
                  ▼
            matching.resolve() among the new sightings, then MatchIndex against the people
            already in the workspace:  merge ──> that person,  review ──> new person + review
                  │ nothing
                  ▼
            new person

Then identities, connections (with disappeared ones marked), touches from meetings and
invitations, and the per-row :class:`SourceRecord` that makes the next import idempotent.
Everything is written with bulk queries, so a heavy user's exports load in seconds: new rows go
in through one prepared INSERT per table (:mod:`eyecontact.common.bulk`), not ``bulk_create``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.common.bulk import insert_rows, update_rows
from eyecontact.contacts.services import contact_details_import
from eyecontact.imports.models import ImportBatch, Organization, SourceRecord
from eyecontact.imports.sources.parties import contact_kind
from eyecontact.imports.sources.records import (
    ContactRecord,
    InvitationRecord,
    MeetingRecord,
    ParseResult,
)
from eyecontact.matching import DEFAULT_REVIEW_THRESHOLD, MatchIndex, PersonRecord, resolve
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_identity
from eyecontact.networks.snapshots import churn_recompute, snapshot_record
from eyecontact.people.choices import Channel, IdentityKind, Source
from eyecontact.people.models import Connection, Identity, MatchReview, NotSamePerson, Person, Touch
from eyecontact.people.search import people_among, people_index_new, people_index_search
from eyecontact.people.services import (
    PlannedMerge,
    people_merge_automatic,
    person_derive_fields,
    person_derived_values,
    person_refresh_figures,
    split_name,
)

__all__ = [
    "LIST_LABELS",
    "REMOVALS_TO_CONFIRM",
    "ImportSession",
    "LoadReport",
    "Owner",
    "collector_paused",
    "load_results",
    "mark_removed",
]

# Exports that list every connection of their kind: a row missing from a newer one is gone.
SNAPSHOT_FORMATS = frozenset(
    {"linkedin_connections", "facebook_friends", "x_follower", "x_following", "x_csv"}
)
# The list (row format, network, kind) each whole-list export gives even when it is empty:
# an empty following.js says the owner follows nobody.
WHOLE_LISTS = {
    "linkedin_connections": ("linkedin", "linkedin", "connection"),
    "facebook_friends": ("facebook", "facebook", "friend"),
    "x_follower": ("x", "x", "follower"),
    "x_following": ("x", "x", "following"),
}
# Above this share of the connections the last export listed, missing ones are not marked
# removed unless the user accepts it: a partial export is far likelier than a mass unfriending.
REMOVALS_TO_CONFIRM = 0.2
LIST_LABELS = {
    ("linkedin", "connection"): "LinkedIn connections",
    ("facebook", "friend"): "Facebook friends",
    ("x", "follower"): "X followers",
    ("x", "following"): "X accounts followed",
}
# How a meeting happened, as far as the calendar can tell, in the ledger's channels.
MEETING_CHANNELS = {"in_person": Channel.IN_PERSON, "video": Channel.VIDEO, "phone": Channel.PHONE}
BATCH_SIZE = 2000
# Notices kept on an import's report: a hostile file could have one on every line.
MAX_NOTICES = 100
# Rows of one format in a file above which its earlier rows are read in one pass.
_READ_WHOLE_FORMAT = 5000
# Identities in a file above which all of the workspace's are read in one pass.
_READ_ALL_IDENTITIES = 20_000

Progress = Callable[[int, int], None]


@dataclass
class Owner:
    """What identifies the user themself, so they are never imported as their own contact."""

    identities: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, raw: str, region: str) -> None:
        if not raw:
            return
        try:
            self.identities.add((kind, normalize_identity(kind, raw, default_region=region)))
        except InvalidIdentity:
            return


@dataclass
class ImportSession:
    """What a run of imports, one file after another, carries from each file to the next.

    The index of the people already known: each file is matched against everyone the files
    before it brought, and building that index anew (40,000 people, half a second) is mostly
    redone work. It is refreshed from the people each file reads from the database, so it
    answers exactly as a new one would, whatever happened in between.
    """

    index: MatchIndex | None = None


@dataclass
class LoadReport:
    """What an import changed, shown to the user and kept on the batch."""

    people_new: int = 0
    people_matched: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    reviews: int = 0
    identities: int = 0
    connections_new: int = 0
    connections_removed: int = 0
    touches_new: int = 0
    touches_unchanged: int = 0
    follow_lists: int = 0
    organizations_new: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Lines of the files the user should look at ("file, line N: what"), in file order.
    notices: list[str] = field(default_factory=list)
    # Lists that lack too many of the connections listed before: nothing was marked removed.
    removals_held: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "people_new": self.people_new,
            "people_matched": self.people_matched,
            "people_updated": self.people_updated,
            "people_unchanged": self.people_unchanged,
            "reviews": self.reviews,
            "identities": self.identities,
            "connections_new": self.connections_new,
            "connections_removed": self.connections_removed,
            "touches_new": self.touches_new,
            "touches_unchanged": self.touches_unchanged,
            "follow_lists": self.follow_lists,
            "organizations_new": self.organizations_new,
            "skipped": dict(sorted(self.skipped.items())),
            "notices": self.notices[:MAX_NOTICES],
            "removals_held": self.removals_held,
        }


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
        return not _stand_in(self.full_name) and "@" not in self.full_name

    @property
    def matchable(self) -> bool:
        """Whether matching by name could find this row anyone its identities have not.

        Rows with neither a name nor an e-mail address (most X accounts) have nothing but
        identities, and every identity was looked up already.
        """
        return self.named or any(kind == "email" for kind, _ in self.identities)

    def person_record(self, record_id: Hashable) -> PersonRecord:
        return _person_record(
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


def _person_record(
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
        full_name="" if _stand_in(full_name) else full_name,
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


def _stand_in(name: str) -> bool:
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


def _lone_accounts(sightings: Sequence[Sighting]) -> set[int]:
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
        and _stand_in(sighting.full_name)
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


def _invitation_sighting(invitation: InvitationRecord, region: str) -> Sighting | None:
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


class Loader:
    """Writes one batch's parse results into a workspace."""

    def __init__(
        self,
        *,
        workspace: Workspace,
        batch: ImportBatch,
        owner: Owner,
        progress: Progress | None = None,
        session: ImportSession | None = None,
        accept_removals: bool = False,
    ) -> None:
        self.workspace = workspace
        self.accept_removals = accept_removals
        # The follow lists whose removals wait for the user: their snapshot waits too.
        self.held_lists: set[tuple[str, str]] = set()
        self.session = session
        self.batch = batch
        self.owner = owner
        self.region = workspace.default_region
        self.report = LoadReport()
        self.progress = progress or (lambda done, total: None)
        # Who holds the identities the file shows, as the workspace had them before it.
        self.identity_owner: dict[tuple[str, str], int] = {}
        self.shown_identities: set[tuple[str, str]] = set()
        self.created: set[int] = set()
        # The search text each person this import created was written with.
        self.created_texts: dict[int, str] = {}
        self.known: dict[tuple[str, str], SourceRecord] = {}
        self.touched_people: set[int] = set()
        # Nameless people merged into others by this import, and those named by it.
        self.merged: dict[int, int] = {}
        self.renamed: dict[int, Sighting] = {}
        # People already in the ledger whose search text this import changes.
        self.refresh: set[int] = set()
        # Nameless people to merge into the named person a row shares identities with.
        self.identity_merges: list[tuple[int, int, Sighting]] = []
        self.planned_merges: list[PlannedMerge] = []
        # Organisations, mailing lists and rooms the files show (by key: kind, name, e-mail),
        # and those of each meeting's touch, with the place each meeting happened at.
        self.parties: dict[str, tuple[str, str, str]] = {}
        self.meeting_parties: dict[str, list[str]] = defaultdict(list)
        self.meeting_places: dict[str, str] = {}

    # ----- gathering ---------------------------------------------------------------------

    def _sightings(self, results: Sequence[ParseResult]) -> dict[tuple[str, str], Sighting]:
        sightings: dict[tuple[str, str], Sighting] = {}

        def keep(sighting: Sighting | None) -> None:
            if sighting is None:
                return
            # The owner's too: a meeting's touch looks its attendees up, the owner among them.
            self.shown_identities.update(sighting.identities)
            if not self.owner.identities.isdisjoint(sighting.identities):
                self.report.skipped["the owner of the export"] += 1
                return
            existing = sightings.get(sighting.record_key)
            if existing is None:
                sightings[sighting.record_key] = sighting
            else:
                for pair in sighting.identities:
                    if pair not in existing.identities:
                        existing.identities.append(pair)

        for result in results:
            for skipped in result.skipped:
                self.report.skipped[skipped.reason] += 1
            self.report.notices.extend(
                f"{result.file_name}, line {notice.line}: {notice.message}"
                for notice in result.notices
            )
            for record in result.records:
                if isinstance(record, ContactRecord):
                    kind = contact_kind(record)
                    if kind != "person":
                        name = record.full_name or record.organization
                        self._keep_party(kind, name, _first(record.emails))
                        continue
                    keep(_contact_sighting(record, self.region, self.report))
                elif isinstance(record, MeetingRecord):
                    for sighting in _attendee_sightings(record, self.region):
                        keep(sighting)
                    touch_key = f"ical:{record.instance_key}"[:300]
                    self.meeting_places[touch_key] = record.location
                    for other in record.others:
                        party = self._keep_party(other.kind, other.name, other.email)
                        if party:
                            self.meeting_parties[touch_key].append(party)
                else:
                    keep(_invitation_sighting(record, self.region))
        return sightings

    def _keep_party(self, kind: str, name: str, email: str) -> str:
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

    # ----- resolving -----------------------------------------------------------------------

    def _load_identity_map(self) -> None:
        """Who holds each identity the file's rows show; every identity of the workspace when
        they are many (one pass beats hundreds of IN lists)."""
        rows = Identity.objects.filter(workspace=self.workspace)
        if len(self.shown_identities) > _READ_ALL_IDENTITIES:
            found: Iterable[tuple[str, str, int]] = rows.values_list(
                "kind", "value", "person_id"
            ).iterator(5000)
        else:
            by_kind: dict[str, list[str]] = defaultdict(list)
            for kind, value in sorted(self.shown_identities):
                by_kind[kind].append(value)
            found = [
                row
                for kind, values in by_kind.items()
                for start in range(0, len(values), 900)
                for row in rows.filter(kind=kind, value__in=values[start : start + 900])
                .order_by("value")
                .values_list("kind", "value", "person_id")
            ]
        self.identity_owner = {(kind, value): person for kind, value, person in found}

    def _resolve_known(self, sightings: dict[tuple[str, str], Sighting]) -> list[Sighting]:
        """Rows imported before go to the person they became; the rest are returned."""
        known = self.known
        by_format: dict[str, list[str]] = defaultdict(list)
        for source_format, key in sightings:
            by_format[source_format].append(key)
        for source_format, keys in by_format.items():
            rows = SourceRecord.objects.filter(
                workspace=self.workspace, source_format=source_format
            )
            if len(keys) > _READ_WHOLE_FORMAT:
                # A big file: one pass over the format's rows beats hundreds of IN lists.
                wanted = set(keys)
                for row in rows.iterator(5000):
                    if row.key in wanted:
                        known[(row.source_format, row.key)] = row
                continue
            for start in range(0, len(keys), 900):
                for row in rows.filter(key__in=keys[start : start + 900]):
                    known[(row.source_format, row.key)] = row
        unknown = []
        for record_key, sighting in sightings.items():
            earlier = known.get(record_key)
            if earlier is not None and earlier.person_id is not None:
                sighting.person_id = earlier.person_id
                sighting.decision = earlier.decision
                sighting.score = earlier.score
                sighting.evidence = earlier.evidence
            else:
                unknown.append(sighting)
        return unknown

    def _resolve_by_identity(self, sightings: list[Sighting]) -> list[Sighting]:
        """Rows sharing an identity go to its person; the rest are returned.

        A named row whose identities belong only to nameless people is returned too, to be
        matched by name: the vCard that names an X follower may be a LinkedIn connection.
        """
        rest = []
        found: list[tuple[Sighting, set[int]]] = []
        for sighting in sightings:
            owners = {
                self.identity_owner[p] for p in sighting.identities if p in self.identity_owner
            }
            if owners:
                shared = [
                    f"{k}: {v}" for k, v in sighting.identities if (k, v) in self.identity_owner
                ]
                sighting.evidence = [f"same {s}" for s in shared]
                found.append((sighting, owners))
            else:
                rest.append(sighting)
        nameless = self._nameless(
            {p for sighting, owners in found if sighting.named or len(owners) > 1 for p in owners}
        )
        for sighting, owners in found:
            named_owners = owners - nameless
            if sighting.named and not named_owners:
                sighting.absorbs = owners
                rest.append(sighting)
                continue
            sighting.person_id = min(owners)
            sighting.decision = SourceRecord.Decision.IDENTITY
            if len(named_owners) == 1 and owners & nameless:
                # The row holds the identities of one named person and of nameless ones (a
                # card with an address and an X account): they are one person.
                sighting.person_id = min(named_owners)
                self.identity_merges.extend(
                    (sighting.person_id, drop, sighting) for drop in sorted(owners & nameless)
                )
        return rest

    def _nameless(self, person_ids: set[int]) -> set[int]:
        """Those of ``person_ids`` known by a stand-in name only."""
        ids = sorted(person_ids)
        found: set[int] = set()
        for start in range(0, len(ids), 900):
            found.update(
                Person.objects.filter(
                    pk__in=ids[start : start + 900], given_name="", family_name=""
                )
                .filter(Q(display_name__startswith="@") | Q(display_name__startswith="X account "))
                .values_list("pk", flat=True)
            )
        return found

    def _existing_index(self) -> MatchIndex | None:
        """The people already in the workspace that a row could match by name.

        People known by a stand-in name and no e-mail address (X accounts, most of a heavy
        user's people) are left out: only a shared identity finds them, and identities were
        looked up before.
        """
        stand_in = Q(given_name="", family_name="") & (
            Q(display_name__startswith="@") | Q(display_name__startswith="X account ")
        )
        has_email = Exists(Identity.objects.filter(person=OuterRef("pk"), kind=IdentityKind.EMAIL))
        rows = (
            Person.objects.filter(workspace=self.workspace)
            .filter(~stand_in | has_email)
            .values_list(
                "id", "display_name", "given_name", "family_name", "organization", "title", "city"
            )
        )
        people = list(rows.iterator(5000))
        if not people:
            return None
        identities: dict[int, list[tuple[str, str]]] = defaultdict(list)
        # Their ids as one parameter: asked by the filter above again, the database would
        # check every person of the workspace a second time.
        among = people_among(Person.objects.all(), [row[0] for row in people]).values("pk")
        held = Identity.objects.filter(person__in=among).values_list("kind", "value", "person_id")
        for kind, value, person_id in held.iterator(5000):
            identities[person_id].append((kind, value))
        for pairs in identities.values():
            pairs.sort()  # as the workspace's identity index lists them
        none: list[tuple[str, str]] = []
        records = [
            _person_record(
                pk,
                display_name,
                given_name,
                family_name,
                organization,
                title,
                city,
                identities.get(pk, none),
                "people",
            )
            for pk, display_name, given_name, family_name, organization, title, city in people
        ]
        if self.session is None:
            return MatchIndex(records)
        if self.session.index is None:
            self.session.index = MatchIndex(records)
        else:
            self.session.index.refresh(records)
        return self.session.index

    def _resolve_new(self, sightings: list[Sighting]) -> list[list[Sighting]]:
        """Clusters of new sightings; those matching an existing person are given that person."""
        if not sightings:
            return []
        lone = _lone_accounts(sightings)
        resolution = resolve([s.person_record(i) for i, s in enumerate(sightings) if i not in lone])
        # Record ids are the sightings' positions in the list; a lone account is a cluster of
        # its own, in its place among the others, as matching would have made it.
        firsts = sorted(
            [cast(tuple[int, ...], c.ids) for c in resolution.clusters] + [(i,) for i in lone]
        )
        clusters = [[sightings[i] for i in ids] for ids in firsts]
        cluster_of = {i: n for n, ids in enumerate(firsts) for i in ids}
        self.new_reviews: list[tuple[int, int, float, list[str]]] = []
        for link in resolution.review:
            a, b = cluster_of[cast(int, link.a)], cluster_of[cast(int, link.b)]
            if a != b:
                self.new_reviews.append((a, b, link.score, [e.detail for e in link.evidence]))
        self.existing_reviews: list[tuple[int, int, float, list[str]]] = []
        self._match_existing(clusters)
        return clusters

    def _match_existing(self, clusters: list[list[Sighting]]) -> None:
        """Clusters that match someone already in the workspace join them or are reviewed."""
        # Only rows with a name or an e-mail address can match anyone by name; a batch of X
        # accounts has none, and then the index is not even built.
        wanted = [(n, [s for s in members if s.matchable]) for n, members in enumerate(clusters)]
        wanted = [(n, queries) for n, queries in wanted if queries]
        index = self._existing_index() if wanted else None
        if index is None:
            return
        for n, queries in wanted:
            best = None
            for sighting in queries:
                # The best one worth a review at least: the index drops the rest unscored.
                found = index.candidates(
                    sighting.person_record("query"), limit=1, min_score=DEFAULT_REVIEW_THRESHOLD
                )
                for candidate in found:
                    if best is None or candidate.score > best.score:
                        best = candidate
            if best is None:
                continue
            person_id = cast(int, best.id)  # the index holds person ids
            evidence = [e.detail for e in best.evidence]
            if best.decision == "merge":
                for sighting in clusters[n]:
                    sighting.person_id = person_id
                    sighting.decision = SourceRecord.Decision.MATCHED
                    sighting.score = best.score
                    sighting.evidence = evidence
            else:
                self.existing_reviews.append((n, person_id, best.score, evidence))

    def _absorb_nameless(self, clusters: list[list[Sighting]]) -> None:
        """Nameless people a named row shared an identity with join the person it became.

        Matched to someone by name: the nameless people are merged into them (undoable like
        any merge). Otherwise the cluster joins the first nameless person, who takes its name.
        """
        for keep, drop, sighting in self.identity_merges:
            if drop not in self.merged:
                self._merge_into(keep, drop, [sighting])
        for members in clusters:
            absorbed = sorted({p for s in members for p in s.absorbs})
            if not absorbed:
                continue
            # Another row may have merged one of them into someone already.
            gone = [self.merged[p] for p in absorbed if p in self.merged]
            absorbed = [p for p in absorbed if p not in self.merged]
            target = members[0].person_id
            if target is None and not absorbed:
                target = gone[0]
                for sighting in members:
                    sighting.person_id = target
                    sighting.decision = SourceRecord.Decision.IDENTITY
            elif target is None or target in absorbed:
                target = absorbed[0]
                for sighting in members:
                    sighting.person_id = target
                    if sighting.absorbs:
                        sighting.decision = SourceRecord.Decision.IDENTITY
                    else:
                        sighting.decision = SourceRecord.Decision.MATCHED
                        sighting.evidence = ["the same person as another row of this import"]
                self.renamed[target] = max(members, key=_completeness)
            for person_id in absorbed:
                if person_id != target:
                    self._merge_into(target, person_id, members)
        self._merge_planned()
        if self.merged:
            # What the merged people held is the kept people's now.
            for pair, owner in self.identity_owner.items():
                if owner in self.merged:
                    self.identity_owner[pair] = self.merged[owner]
            for row in self.known.values():
                if row.person_id in self.merged:
                    row.person_id = self.merged[row.person_id]

    def _merge_into(self, keep_id: int, drop_id: int, members: list[Sighting]) -> None:
        """Plans the merge of ``drop`` into ``keep``; :meth:`_merge_planned` makes them all."""
        shared = [
            f"same {kind}: {value}"
            for s in members
            for kind, value in s.identities
            if self.identity_owner.get((kind, value)) == drop_id
        ]
        evidence = [*members[0].evidence, *shared]
        self.planned_merges.append(
            PlannedMerge(
                keep_id=keep_id,
                drop_id=drop_id,
                score=members[0].score,
                evidence=tuple(dict.fromkeys(evidence)),
            )
        )
        self.merged[drop_id] = keep_id

    def _merge_planned(self) -> None:
        """Makes the planned merges, all at once (a heavy user's vCards plan a hundred)."""
        merges = self.planned_merges
        if not merges:
            return
        # Rows imported as a nameless person are the kept person's rows from now on.
        # By person, so the database reads the person index, not the whole workspace.
        keep_of = {m.drop_id: m.keep_id for m in merges}
        drops = sorted(keep_of)
        moved = []
        for start in range(0, len(drops), 900):
            moved += [
                (keep_of[person_id], pk)
                for pk, person_id in SourceRecord.objects.filter(
                    person_id__in=drops[start : start + 900]
                ).values_list("pk", "person_id")
            ]
        update_rows(SourceRecord, ("person_id",), moved)
        people_merge_automatic(merges=merges, batch_id=self.batch.pk)
        self.planned_merges = []

    def _name_nameless(self) -> None:
        """A nameless person a named row joined takes its name."""
        for person_id, sighting in self.renamed.items():
            person = Person.objects.filter(pk=person_id).first()
            if person is None or person.given_name or person.family_name:
                continue
            if not _stand_in(person.display_name):
                continue
            given, family = sighting.given_name, sighting.family_name
            if not (given or family):
                given, family = split_name(sighting.full_name)
            # What an undo of this import puts back (unless the user renames them since).
            self.batch.restore.setdefault("names", {})[str(person.pk)] = [
                person.display_name,
                person.given_name,
                person.family_name,
                sighting.full_name[:300],
            ]
            person.display_name = sighting.full_name[:300]
            person.given_name, person.family_name = given[:150], family[:150]
            person_derive_fields(person)
            person.save(
                update_fields=[
                    "display_name",
                    "given_name",
                    "family_name",
                    "sort_name",
                    "search_text",
                    "updated_at",
                ]
            )

    def _not_same_pairs(self) -> set[frozenset[int]]:
        rows = NotSamePerson.objects.filter(workspace=self.workspace).values_list(
            "person_low_id", "person_high_id"
        )
        return {frozenset(pair) for pair in rows}

    # ----- writing -----------------------------------------------------------------------

    def _create_people(self, clusters: list[list[Sighting]]) -> dict[int, int]:
        """Creates a person for each cluster without one; returns cluster number -> person id."""
        person_of_cluster: dict[int, int] = {}
        rows: list[tuple[Any, ...]] = []
        keys: dict[str, int] = {}
        texts: dict[int, str] = {}
        workspace, batch = self.workspace.pk, self.batch.pk
        for n, members in enumerate(clusters):
            if members[0].person_id is not None:
                person_of_cluster[n] = members[0].person_id
                continue
            if len(members) == 1:  # most people: one row of one file
                best = members[0]
                organization, title, city = best.organization, best.title, best.city
                notes = best.notes
            else:
                best = max(members, key=_completeness)
                organization = _first(m.organization for m in members)
                title = _first(m.title for m in members)
                city = _first(m.city for m in members)
                notes = _first(m.notes for m in members)
            organization, title, city = organization[:200], title[:200], city[:120]
            given, family = best.given_name, best.family_name
            if not (given or family) and not best.full_name.startswith(("@", "X account")):
                given, family = split_name(best.full_name)
            given, family = given[:150], family[:150]
            emails = sorted({v for m in members for k, v in m.identities if k == "email"})
            display_name, sort_name, search_text = person_derived_values(
                display_name=best.full_name[:300],
                given_name=given,
                family_name=family,
                organization=organization,
                title=title,
                city=city,
                emails=emails,
            )
            # Unique within the batch: a row's key is unique in its format.
            source_key = f"{best.source_format}:{best.key}"[:300]
            keys[source_key] = n
            texts[n] = search_text
            rows.append(
                (
                    workspace,
                    display_name,
                    given,
                    family,
                    organization,
                    title,
                    city,
                    notes[:10_000],
                    sort_name,
                    search_text,
                    Source.IMPORT,
                    batch,
                    source_key,
                )
            )
        insert_rows(
            Person,
            (
                "workspace_id",
                "display_name",
                "given_name",
                "family_name",
                "organization",
                "title",
                "city",
                "notes",
                "sort_name",
                "search_text",
                "source",
                "source_batch_id",
                "source_key",
            ),
            rows,
        )
        created: set[int] = set()
        if rows:
            for pk, source_key in Person.objects.filter(
                workspace=self.workspace, source_batch=self.batch
            ).values_list("pk", "source_key"):
                if source_key in keys:
                    n = keys[source_key]
                    person_of_cluster[n] = pk
                    created.add(pk)
                    self.created_texts[pk] = texts[n]
        self.report.people_new += len(rows)
        for n, members in enumerate(clusters):
            for sighting in members:
                if sighting.person_id is None:
                    sighting.person_id = person_of_cluster[n]
                    if len(members) > 1:
                        sighting.decision = SourceRecord.Decision.MATCHED
                        sighting.evidence = ["the same person as another row of this import"]
        self.created = created
        return person_of_cluster

    def _write_identities(self, sightings: Iterable[Sighting]) -> None:
        new: list[tuple[Any, ...]] = []
        workspace, batch = self.workspace.pk, self.batch.pk
        for sighting in sightings:
            assert sighting.person_id is not None  # noqa: S101  # every sighting has a person by now
            for kind, value in sighting.identities:
                holder = self.identity_owner.get((kind, value))
                if holder is None:
                    self.identity_owner[(kind, value)] = sighting.person_id
                    if kind == IdentityKind.EMAIL and sighting.person_id not in self.created:
                        self.refresh.add(sighting.person_id)  # now found by the address
                    new.append(
                        (
                            workspace,
                            sighting.person_id,
                            kind,
                            value[:320],
                            Source.IMPORT,
                            batch,
                            f"{sighting.source_format}:{sighting.key}"[:300],
                        )
                    )
                elif holder != sighting.person_id:
                    self.report.skipped["identity already belongs to another person"] += 1
        self.report.identities += insert_rows(
            Identity,
            (
                "workspace_id",
                "person_id",
                "kind",
                "value",
                "source",
                "source_batch_id",
                "source_key",
            ),
            new,
        )

    def _write_connections(self, sightings: Iterable[Sighting], snapshot: dt.date) -> None:
        linked = [s for s in sightings if s.network]
        if not linked:
            return
        # People this import created have no connections yet: only the others are looked up,
        # a few hundred at a time, or all of the workspace's at once for a big file.
        earlier = sorted(
            {s.person_id for s in linked if s.person_id and s.person_id not in self.created}
        )
        rows = Connection.objects.filter(workspace=self.workspace)
        if len(earlier) > _READ_WHOLE_FORMAT:
            wanted = set(earlier)
            found = [c for c in rows.iterator(5000) if c.person_id in wanted]
        else:
            found = [
                c
                for start in range(0, len(earlier), 900)
                for c in rows.filter(person_id__in=earlier[start : start + 900])
            ]
        existing = {(c.person_id, c.network, c.kind): c for c in found}
        new: dict[tuple[int, str, str], tuple[Any, ...]] = {}
        changed: dict[int, Connection] = {}
        for sighting in linked:
            assert sighting.person_id is not None  # noqa: S101  # every sighting has a person by now
            key = (sighting.person_id, sighting.network, sighting.connection_kind)
            if key in new:
                continue
            link = existing.get(key)
            if link is None:
                new[key] = (
                    self.workspace.pk,
                    sighting.person_id,
                    sighting.network,
                    sighting.connection_kind,
                    sighting.connected_on,
                    Source.IMPORT,
                    self.batch.pk,
                    f"{sighting.source_format}:{sighting.key}"[:300],
                )
            elif link.removed_on is not None or (
                sighting.connected_on and link.connected_on != sighting.connected_on
            ):
                link.removed_on = None
                link.connected_on = sighting.connected_on or link.connected_on
                changed[link.pk] = link
        self.report.connections_new += insert_rows(
            Connection,
            (
                "workspace_id",
                "person_id",
                "network",
                "kind",
                "connected_on",
                "source",
                "source_batch_id",
                "source_key",
            ),
            list(new.values()),
        )
        update_rows(
            Connection,
            ("removed_on", "connected_on"),
            [(c.removed_on, c.connected_on, c.pk) for c in changed.values()],
        )

    def _mark_disappeared(
        self, results: Sequence[ParseResult], sightings: dict[tuple[str, str], Sighting]
    ) -> None:
        """Rows of a full-snapshot export that a newer one no longer lists: the link is gone.

        When the export lacks more than :data:`REMOVALS_TO_CONFIRM` of what the last one
        listed, nothing is marked unless the user accepted it: the rows are kept on the batch
        (``restore["held_removals"]``) for :func:`removals_accept` and the report says so.
        """
        for result in results:
            if result.format not in SNAPSHOT_FORMATS:
                continue
            lists: set[tuple[str, str, str]] = {
                (r.source_format, r.connection.network, r.connection.kind)
                for r in result.contacts
                if r.connection is not None
            }
            if result.format in WHOLE_LISTS:
                lists.add(WHOLE_LISTS[result.format])
            snapshot = result.snapshot_date or timezone.localdate()
            for source_format, network, kind in sorted(lists):
                present = {k for f, k in sightings if f == source_format}
                # An older export may key a row differently (no profile URL before 2023):
                # a person listed again under a new key is still connected.
                still_there = {
                    s.person_id
                    for (f, _), s in sightings.items()
                    if f == source_format and s.connection_kind == kind
                }
                rows = list(
                    SourceRecord.objects.filter(
                        workspace=self.workspace,
                        source_format=source_format,
                        key__startswith=f"{kind}:",
                        missing_since__isnull=True,
                    ).values_list("pk", "key", "person_id", "first_batch_id")
                )
                # Rows this import wrote itself were not listed before it.
                listed_before = [row for row in rows if row[3] != self.batch.pk]
                gone = [
                    (pk, person)
                    for pk, key, person, _ in listed_before
                    if key not in present and person not in still_there
                ]
                if not gone:
                    continue
                if not self.accept_removals and len(gone) > REMOVALS_TO_CONFIRM * len(
                    listed_before
                ):
                    self._hold_removals(
                        result, (source_format, network, kind), gone, len(listed_before), snapshot
                    )
                    continue
                self.report.connections_removed += mark_removed(
                    workspace=self.workspace,
                    batch=self.batch,
                    network=network,
                    kind=kind,
                    rows=gone,
                    on=snapshot,
                )

    def _hold_removals(
        self,
        result: ParseResult,
        which: tuple[str, str, str],
        gone: Sequence[tuple[int, int | None]],
        listed_before: int,
        snapshot: dt.date,
    ) -> None:
        source_format, network, kind = which
        held: dict[str, Any] = {
            "network": network,
            "kind": kind,
            "label": LIST_LABELS.get((network, kind), f"{network} {kind}"),
            "missing": len(gone),
            "listed_before": listed_before,
            "file": result.file_name,
        }
        self.report.removals_held.append(held)
        waiting = self.batch.restore.setdefault("held_removals", [])
        waiting.append(
            {
                **held,
                "source_format": source_format,
                "on": snapshot.isoformat(),
                "rows": [[pk, person] for pk, person in gone],
            }
        )
        if network == "x":
            self.held_lists.add((kind, snapshot.isoformat()))

    def _update_details(self, sightings: Sequence[Sighting]) -> None:
        """A newer export's organization and title replace an older export's, not the user's.

        A value is replaced when the person still shows what an earlier row of the same source
        said (or nothing); a value the user typed differs from it and is kept.
        """
        earlier = [s for s in sightings if s.person_id and s.person_id not in self.created]
        said: dict[tuple[str, int], dict[str, Any]] = {}
        ids = sorted({s.person_id for s in earlier if s.person_id})
        # What rows of these formats said before: other formats' rows do not count.
        formats = sorted({s.source_format for s in earlier})
        shown: dict[int, dict[str, str]] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            # Of a person's several rows of one format, the one imported last speaks.
            for source_format, person_id, data in (
                SourceRecord.objects.filter(
                    workspace=self.workspace, person_id__in=chunk, source_format__in=formats
                )
                .order_by("pk")
                .values_list("source_format", "person_id", "data")
            ):
                said[(source_format, person_id)] = data or {}
            for pk, organization, title, city in Person.objects.filter(pk__in=chunk).values_list(
                "pk", "organization", "title", "city"
            ):
                shown[pk] = {"organization": organization, "title": title, "city": city}
        changed: set[int] = set()
        for sighting in earlier:
            person_id = cast(int, sighting.person_id)  # filtered above
            person = shown[person_id]
            old = said.get((sighting.source_format, person_id), {})
            updated = False
            for name in ("organization", "title", "city"):
                value = sighting.raw.get(name, "")
                current = person[name]
                if value and value != current and (not current or current == old.get(name)):
                    # What an undo puts back: the value before this import, and after it.
                    changes = self.batch.restore.setdefault("details", {})
                    change = changes.setdefault(str(person_id), {}).setdefault(name, [current])
                    change[1:] = [value]
                    person[name] = value
                    updated = True
            if updated:
                changed.add(person_id)
            elif sighting.record_key in self.known:
                self.report.people_unchanged += 1
        update_rows(
            Person,
            ("organization", "title", "city"),
            [
                (shown[pk]["organization"], shown[pk]["title"], shown[pk]["city"], pk)
                for pk in sorted(changed)
            ],
        )
        self.refresh.update(changed)
        self.report.people_updated += len(changed)

    def _write_source_records(self, sightings: Iterable[Sighting]) -> None:
        new: list[tuple[Any, ...]] = []
        changed: list[tuple[Any, ...]] = []
        workspace, batch = self.workspace.pk, self.batch.pk
        for sighting in sightings:
            row = self.known.get(sighting.record_key)
            data = dict(sighting.raw, line=sighting.line, file=sighting.file_name)
            data["identities"] = [list(pair) for pair in sighting.identities]
            if row is None:
                new.append(
                    (
                        workspace,
                        sighting.source_format,
                        sighting.key,
                        sighting.person_id,
                        batch,
                        batch,
                        sighting.decision,
                        sighting.score,
                        sighting.evidence,
                        data,
                    )
                )
            else:
                changed.append((batch, sighting.person_id, data, None, row.pk))
        insert_rows(
            SourceRecord,
            (
                "workspace_id",
                "source_format",
                "key",
                "person_id",
                "first_batch_id",
                "last_batch_id",
                "decision",
                "score",
                "evidence",
                "data",
            ),
            new,
        )
        update_rows(SourceRecord, ("last_batch_id", "person_id", "data", "missing_since"), changed)

    def _write_reviews(self, person_of_cluster: dict[int, int]) -> None:
        not_same = self._not_same_pairs()
        pairs = set()
        reviews = []
        candidates = [
            (person_of_cluster[a], person_of_cluster[b], score, evidence)
            for a, b, score, evidence in getattr(self, "new_reviews", [])
        ] + [
            (person_of_cluster[a], person_id, score, evidence)
            for a, person_id, score, evidence in getattr(self, "existing_reviews", [])
        ]
        existing = set(
            MatchReview.objects.filter(workspace=self.workspace).values_list(
                "person_a_id", "person_b_id"
            )
        )
        for a, b, score, evidence in candidates:
            low, high = min(a, b), max(a, b)
            if low == high or (low, high) in pairs or (low, high) in existing:
                continue
            if frozenset((low, high)) in not_same:
                continue
            pairs.add((low, high))
            reviews.append((self.workspace.pk, low, high, score, evidence, self.batch.pk))
        self.report.reviews += insert_rows(
            MatchReview,
            ("workspace_id", "person_a_id", "person_b_id", "score", "evidence", "source_batch_id"),
            reviews,
        )

    def _write_touches(self, results: Sequence[ParseResult]) -> None:
        meetings = [m for r in results for m in r.meetings]
        invitations = [i for r in results for i in r.invitations]
        planned: list[tuple[_PlannedTouch, list[int]]] = []
        for meeting in meetings:
            channel = MEETING_CHANNELS.get(meeting.channel)
            if meeting.channel == "hybrid":
                # A place and a link: some were in the room, some on a call; claim only video.
                channel = Channel.VIDEO
            if channel is None:
                self.report.skipped["meeting with no place, link or phone number"] += 1
                continue
            people = []
            for attendee in meeting.attendees:
                if attendee.partstat.upper() == "DECLINED":
                    continue  # invited, but not there
                try:
                    email = normalize_identity("email", attendee.email)
                except InvalidIdentity:
                    continue
                person_id = self.identity_owner.get(("email", email))
                if person_id is not None and person_id not in people:
                    people.append(person_id)
            if not people:
                self.report.skipped["meeting with nobody but the owner"] += 1
                continue
            touch = _PlannedTouch(
                channel=channel,
                occurred_at=meeting.start,
                has_time=not meeting.all_day,
                where=meeting.location[:200],
                note=meeting.summary[:10_000],
                source_key=f"ical:{meeting.instance_key}"[:300],
            )
            planned.append((touch, people))
        for invitation in invitations:
            if not invitation.message or invitation.sent_at is None:
                continue
            sighting = _invitation_sighting(invitation, self.region)
            if sighting is None or not sighting.identities:
                continue
            person_id = self.identity_owner.get(sighting.identities[0])
            if person_id is None:
                continue
            direction = "sent" if invitation.direction == "outgoing" else "received"
            touch = _PlannedTouch(
                channel=Channel.SOCIAL,
                occurred_at=invitation.sent_at,
                has_time=True,
                where="",
                note=f"LinkedIn invitation {direction}: {invitation.message}"[:10_000],
                source_key=f"linkedin_invitation:{invitation.key}"[:300],
            )
            planned.append((touch, [person_id]))
        keys = [t.source_key for t, _ in planned]
        seen: set[str] = set()
        for start in range(0, len(keys), 900):
            seen.update(
                Touch.objects.filter(
                    workspace=self.workspace, source_key__in=keys[start : start + 900]
                ).values_list("source_key", flat=True)
            )
        fresh = []
        for touch, people in planned:
            if touch.source_key in seen:
                self.report.touches_unchanged += 1
                continue
            seen.add(touch.source_key)
            fresh.append((touch, people))
        insert_rows(
            Touch,
            (
                "workspace_id",
                "channel",
                "occurred_at",
                "has_time",
                "where",
                "note",
                "source",
                "source_batch_id",
                "source_key",
            ),
            [
                (
                    self.workspace.pk,
                    t.channel,
                    t.occurred_at,
                    t.has_time,
                    t.where,
                    t.note,
                    Source.IMPORT,
                    self.batch.pk,
                    t.source_key,
                )
                for t, _ in fresh
            ],
        )
        ids: dict[str, int] = {}
        if fresh:
            # Source keys are unique among this batch's touches (seen above).
            ids = dict(
                Touch.objects.filter(workspace=self.workspace, source_batch=self.batch).values_list(
                    "source_key", "pk"
                )
            )
        insert_rows(
            Touch.people.through,
            ("touch_id", "person_id"),
            [(ids[t.source_key], p) for t, people in fresh for p in people],
        )
        self.touched_people.update(p for _, people in fresh for p in people)
        self.report.touches_new += len(fresh)

    def _write_organizations(self) -> None:
        """Keeps the organisations, lists and rooms the files show, once each, and links them to
        the touches of the meetings they took part in or that happened at their place."""
        workspace = self.workspace
        keys = sorted(self.parties)
        known: dict[str, int] = {}
        for start in range(0, len(keys), 900):
            known.update(
                Organization.objects.filter(
                    workspace=workspace, key__in=keys[start : start + 900]
                ).values_list("key", "pk")
            )
        new = [
            Organization(
                workspace=workspace,
                kind=kind,
                name=name[:200],
                email=email[:320],
                key=key,
                source_batch=self.batch,
            )
            for key, (kind, name, email) in self.parties.items()
            if key not in known
        ]
        Organization.objects.bulk_create(new)
        self.report.organizations_new += len(new)
        new_keys = [o.key for o in new]
        for start in range(0, len(new_keys), 900):
            known.update(
                Organization.objects.filter(
                    workspace=workspace, key__in=new_keys[start : start + 900]
                ).values_list("key", "pk")
            )
        touch_keys = sorted(self.meeting_places)
        touch_ids: dict[str, int] = {}
        for start in range(0, len(touch_keys), 900):
            touch_ids.update(
                Touch.objects.filter(
                    workspace=workspace, source_key__in=touch_keys[start : start + 900]
                ).values_list("source_key", "pk")
            )
        links: set[tuple[int, int]] = set()
        for touch_key, parties in self.meeting_parties.items():
            touch_id = touch_ids.get(touch_key)
            if touch_id is not None:
                links.update((known[party], touch_id) for party in parties if party in known)
        # A meeting at a place the user keeps a card for ("Café Kranzler, Kurfürstendamm 18").
        places = [
            (pk, name.casefold())
            for pk, name in Organization.objects.filter(
                workspace=workspace, kind=Organization.Kind.ORGANIZATION
            )
            .exclude(name="")
            .values_list("pk", "name")
        ]
        for touch_key, touch_id in touch_ids.items():
            where = self.meeting_places.get(touch_key, "").casefold()
            links.update((pk, touch_id) for pk, name in places if _held_at(where, name))
        for organization in new:
            if organization.kind != Organization.Kind.ORGANIZATION or not organization.name:
                continue
            name = organization.name.casefold()
            for touch_id, where in Touch.objects.filter(
                workspace=workspace, where__istartswith=organization.name
            ).values_list("pk", "where"):
                if _held_at(where.casefold(), name):
                    links.add((known[organization.key], touch_id))
        Organization.touches.through.objects.bulk_create(
            [
                Organization.touches.through(organization_id=org, touch_id=touch)
                for org, touch in sorted(links)
            ],
            ignore_conflicts=True,
        )

    def _record_follow_lists(self, results: Sequence[ParseResult]) -> None:
        """Every X follower or following list is a dated snapshot for follow churn."""
        lists: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
        for result in results:
            if result.format not in ("x_follower", "x_following", "x_csv"):
                continue
            taken_on = result.snapshot_date or timezone.localdate()
            if result.format in WHOLE_LISTS:  # an empty list is a list too
                lists[(WHOLE_LISTS[result.format][2], taken_on)] = set()
            for contact in result.contacts:
                if contact.connection is None or not contact.x_account_id.isdigit():
                    continue
                lists[(contact.connection.kind, taken_on)].add(int(contact.x_account_id))
        for (kind, taken_on), ids in list(lists.items()):
            if (kind, taken_on.isoformat()) in self.held_lists:
                # Recorded, the list would show everyone it lacks as gone: it waits too.
                for waiting in self.batch.restore.get("held_removals", []):
                    if waiting["network"] == "x" and waiting["kind"] == kind:
                        waiting["account_ids"] = sorted(ids)
                del lists[(kind, taken_on)]
                continue
            snapshot_record(
                workspace=self.workspace,
                kind=kind,
                taken_on=taken_on,
                account_ids=sorted(ids),
                batch_id=self.batch.pk,
                recompute=False,
            )
        if lists:
            churn_recompute(workspace=self.workspace)
            self.report.follow_lists += len(lists)

    # ----- the whole load ------------------------------------------------------------------

    def load(self, results: Sequence[ParseResult]) -> LoadReport:
        steps = 7
        self.progress(0, steps)
        sightings = self._sightings(results)
        self._load_identity_map()
        unknown = self._resolve_known(sightings)
        self.progress(1, steps)
        unresolved = self._resolve_by_identity(unknown)
        clusters = self._resolve_new(unresolved)
        self._absorb_nameless(clusters)
        self.progress(2, steps)
        person_of_cluster = self._create_people(clusters)
        for sighting in sightings.values():
            if sighting.person_id in self.merged:
                sighting.person_id = self.merged[sighting.person_id]
        self._name_nameless()
        # Rows that joined someone already in the ledger, not a person made by this import.
        self.report.people_matched = len({s.person_id for s in unknown} - self.created)
        self.progress(3, steps)
        everyone = list(sightings.values())
        self._write_identities(everyone)
        snapshot = timezone.localdate()
        self._write_connections(everyone, snapshot)
        self._mark_disappeared(results, sightings)
        self.progress(4, steps)
        self._update_details(everyone)
        contact_details_import(
            workspace=self.workspace,
            details=[
                (s.person_id, s.birthday, s.photo)
                for s in everyone
                if s.person_id and (s.birthday or s.photo)
            ],
        )
        self._write_source_records(everyone)
        self._write_reviews(person_of_cluster)
        self.progress(5, steps)
        self._write_touches(results)
        self._write_organizations()
        self.progress(6, steps)
        self._record_follow_lists(results)
        _analyze_after_bulk_load(self.report)
        _refresh_search(self.refresh - self.created)
        changed = self.refresh | set(self.renamed)
        people_index_new(
            (pk, self.workspace.pk, text)
            for pk, text in self.created_texts.items()
            if pk not in changed
        )
        people_index_search(changed)
        person_refresh_figures(self.touched_people)
        self.progress(7, steps)
        return self.report


def mark_removed(
    *,
    workspace: Workspace,
    batch: ImportBatch,
    network: str,
    kind: str,
    rows: Sequence[tuple[int, int | None]],
    on: dt.date,
) -> int:
    """Marks imported rows (source record, person) as no longer listed since ``on``, and the
    people's live connections of that network and kind as removed; the connections marked.

    What it marks is noted on ``batch`` (``restore["removed"]``), for an undo to put back; the
    caller saves the batch.
    """
    removed = 0
    noted = batch.restore.setdefault("removed", {"rows": [], "connections": []})
    for start in range(0, len(rows), 900):
        chunk = rows[start : start + 900]
        listed = SourceRecord.objects.filter(
            workspace=workspace, pk__in=[pk for pk, _ in chunk], missing_since__isnull=True
        )
        noted["rows"].extend(listed.values_list("pk", flat=True))
        listed.update(missing_since=on)
        links = Connection.objects.filter(
            workspace=workspace,
            person_id__in=[person for _, person in chunk if person],
            network=network,
            kind=kind,
            removed_on__isnull=True,
        )
        gone = list(links.values_list("pk", flat=True))
        noted["connections"].extend(gone)
        removed += Connection.objects.filter(pk__in=gone).update(removed_on=on)
    return removed


@dataclass(frozen=True, slots=True)
class _PlannedTouch:
    """A touch to write: a meeting or an invitation message."""

    channel: str
    occurred_at: dt.datetime
    has_time: bool
    where: str
    note: str
    source_key: str


def _analyze_after_bulk_load(report: LoadReport) -> None:
    """Has PostgreSQL look at the tables a big import has just filled.

    Its planner knows a table's size only from its statistics, which autovacuum renews some time
    after a commit. Until then, tables that were nearly empty before the import look nearly
    empty still, and the queries that follow in this same transaction (the people's touch
    figures, their search words) pick plans that read whole tables for each person: the
    calendar import spent over a minute in them. ANALYZE counts the transaction's own new rows.
    """
    if connection.vendor != "postgresql" or report.people_new + report.touches_new < 10_000:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Person, Identity, Touch, Touch.people.through, SourceRecord):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _refresh_search(person_ids: set[int]) -> None:
    """The search text of people who gained an e-mail address or a new job."""
    ids = sorted(person_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        emails: dict[int, list[str]] = defaultdict(list)
        for person_id, value in Identity.objects.filter(
            person_id__in=chunk, kind=IdentityKind.EMAIL
        ).values_list("person_id", "value"):
            emails[person_id].append(value)
        rows = []
        for pk, *fields in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "display_name", "given_name", "family_name", "organization", "title", "city"
        ):
            display_name, given_name, family_name, organization, title, city = fields
            _, _, search_text = person_derived_values(
                display_name=display_name,
                given_name=given_name,
                family_name=family_name,
                organization=organization,
                title=title,
                city=city,
                emails=sorted(emails[pk]),
            )
            rows.append((search_text, pk))
        update_rows(Person, ("search_text",), rows)


def _completeness(sighting: Sighting) -> tuple[int, int, int]:
    named = int(bool(sighting.given_name and sighting.family_name))
    real = int(
        not sighting.full_name.startswith(("@", "X account")) and "@" not in sighting.full_name
    )
    return (real, named, len(sighting.full_name))


def _held_at(where: str, name: str) -> bool:
    """Whether a meeting's place (case-folded) is the named place: its name, then an address."""
    return bool(name) and where.startswith(name) and where[len(name) : len(name) + 1] in ("", ",")


def _first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")


def load_results(
    *,
    workspace: Workspace,
    batch: ImportBatch,
    results: Sequence[ParseResult],
    owner: Owner,
    progress: Progress | None = None,
    session: ImportSession | None = None,
    accept_removals: bool = False,
) -> LoadReport:
    """Writes parse results into ``workspace`` as ``batch``; the caller holds the transaction.

    ``session`` carries what one file of a run of imports leaves the next (see
    :class:`ImportSession`). ``accept_removals`` marks connections removed however many an
    export lacks (see :data:`REMOVALS_TO_CONFIRM`)."""
    loader = Loader(
        workspace=workspace,
        batch=batch,
        owner=owner,
        progress=progress,
        session=session,
        accept_removals=accept_removals,
    )
    with collector_paused():
        return loader.load(results)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cycle collector while a file is read or loaded.

    A load allocates millions of small objects that live until it ends (rows, records,
    matching features); each allocation burst sets the collector off to walk every live object
    again, for nothing: reference counting frees them all. It resumes when the load ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
