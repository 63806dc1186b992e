"""Exhibits: capturing everyone met at the booth, and what those meetings were worth.

A capture comes from a staff member's phone, maybe hours after it was taken (the show floor has
no signal), maybe several times (the phone did not hear the answer). Its ``client_id`` makes it
idempotent: the first arrival is stored, later ones return the stored capture. A capture
resolves to a person by what the badge or the typed details say (an e-mail, a LinkedIn profile,
a badge id on the attendee list), or creates one; a **conversation** is an in-person touch with
that person at the event, a **visit** only counts an entrant.

The report sets the cost of the exhibit against the people it reached: cost per entrant and
per conversation beside the published industry figures (about $160 per person who entered an
exhibit, $260 per face-to-face conversation), conversations by staff member and by hour, and
the follow-through: conversations that led to a later touch or a new connection within 30 and
90 days, and the cost per relationship that lasted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.common.bulk import update_rows
from eyecontact.common.rows import columns, from_row
from eyecontact.common.spreadsheets import formula_safe
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity
from eyecontact.networks.models import Connection
from eyecontact.people.choices import Channel, Source
from eyecontact.people.models import Identity, Person, Touch
from eyecontact.people.services import identity_add, person_create, touch_log

from .attendees import match_by_name
from .badges import BadgeCard, parse_badge
from .models import Attendee, Capture, Event, Exhibit, ExhibitCost

__all__ = [
    "PUBLISHED_COST_PER_CONVERSATION",
    "PUBLISHED_COST_PER_ENTRANT",
    "ExhibitReport",
    "capture_record",
    "capture_resolve",
    "capture_store",
    "captures_resolve_waiting",
    "exhibit_add_cost",
    "exhibit_create",
    "exhibit_report",
    "exhibit_set_staff",
    "exhibits_list",
    "leads_csv",
    "leads_vcard",
]

# Published industry figures, in US dollars.
PUBLISHED_COST_PER_ENTRANT = Decimal("160")
PUBLISHED_COST_PER_CONVERSATION = Decimal("260")
NOT_STAFF = "Only the exhibit's staff can capture at its booth."
# Waiting captures resolved in one transaction at most.
BATCH = 100

logger = logging.getLogger(__name__)


@transaction.atomic
def exhibit_create(
    *, event: Event, name: str, currency: str = "USD", staff: Sequence[User] = ()
) -> Exhibit:
    exhibit = Exhibit(
        workspace=event.workspace, event=event, name=" ".join(name.split()), currency=currency
    )
    exhibit.full_clean()
    exhibit.save()
    exhibit_set_staff(exhibit=exhibit, staff=staff)
    return exhibit


def exhibit_set_staff(*, exhibit: Exhibit, staff: Sequence[User]) -> None:
    """The members of the workspace who capture at this booth."""
    members = set(exhibit.workspace.members.values_list("pk", flat=True))
    outsiders = [u.email for u in staff if u.pk not in members]
    if outsiders:
        raise ValidationError({"staff": f"Not members of this workspace: {', '.join(outsiders)}."})
    exhibit.staff.set(staff)


def exhibit_add_cost(
    *, exhibit: Exhibit, category: str, amount: Decimal, note: str = ""
) -> ExhibitCost:
    cost = ExhibitCost(exhibit=exhibit, category=category, amount=amount, note=note)
    cost.full_clean()
    if cost.amount < 0:
        raise ValidationError({"amount": "A cost cannot be negative."})
    cost.save()
    return cost


def _identities(card: BadgeCard, email: str, region: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    candidates = [("email", e) for e in (email, *card.emails) if e]
    candidates += [("phone", p) for p in card.phones]
    if card.linkedin:
        candidates.append(("linkedin", card.linkedin))
    for kind, value in candidates:
        try:
            pair = (kind, normalize_identity(kind, value, default_region=region))
        except InvalidIdentity:
            continue
        if pair not in found:
            found.append(pair)
    return found


@dataclass
class _Lookups:
    """What a batch of captures found in the database, kept current as the batch goes.

    A person made for one capture is found by the next capture in the batch that carries one
    of their identities or the same badge, as if they had been resolved one at a time.
    """

    attendees: dict[tuple[int, str], Attendee]  # (event id, badge id) -> attendee
    owners: dict[tuple[int, str, str], Person]  # (workspace id, kind, value) -> person


def _card(capture: Capture) -> BadgeCard:
    payload = capture.payload
    return parse_badge(payload) if payload.strip() else BadgeCard(kind="unknown", raw="")


def _lookups(captures: Sequence[Capture], cards: Sequence[BadgeCard]) -> _Lookups:
    """The batch's attendees by badge, then the owners of its identities: a query each."""
    attendees: dict[tuple[int, str], Attendee] = {}
    by_pk: dict[int, Attendee] = {}
    badges = {
        (capture.exhibit.event_id, card.badge_id)
        for capture, card in zip(captures, cards, strict=True)
        if capture.attendee is None and card.badge_id
    }
    if badges:
        found = (
            Attendee.objects.select_related("person")
            .filter(
                event_id__in={event for event, _ in badges},
                badge_id__in={badge for _, badge in badges},
            )
            .order_by("name", "id")
        )
        for attendee in found:
            by_pk[attendee.pk] = attendee
            attendees.setdefault((attendee.event_id, attendee.badge_id), attendee)
    for capture in captures:
        # One object per attendee, so a person linked for one capture is seen by the next.
        if capture.attendee is not None:
            capture.attendee = by_pk.setdefault(capture.attendee.pk, capture.attendee)
    wanted: set[tuple[int, str, str]] = set()
    for capture, card in zip(captures, cards, strict=True):
        known = capture.attendee or attendees.get((capture.exhibit.event_id, card.badge_id))
        email = capture.email or (known.email if known is not None else "")
        region = capture.exhibit.workspace.default_region
        wanted.update(
            (capture.workspace_id, kind, value) for kind, value in _identities(card, email, region)
        )
    owners: dict[tuple[int, str, str], Person] = {}
    if wanted:
        held = Identity.objects.select_related("person").filter(
            workspace_id__in={workspace for workspace, _, _ in wanted},
            kind__in={kind for _, kind, _ in wanted},
            value__in={value for _, _, value in wanted},
        )
        for identity in held:
            key = (identity.workspace_id, identity.kind, identity.value)
            if key in wanted:
                owners[key] = identity.person
    return _Lookups(attendees=attendees, owners=owners)


def _resolve(
    exhibit: Exhibit, card: BadgeCard, capture: Capture, lookups: _Lookups
) -> tuple[Person | None, Attendee | None]:
    """The capture's person: by its attendee, an identity, a sure match of the name, or new."""
    workspace = exhibit.workspace
    name, organization, email = capture.name, capture.organization, capture.email
    attendee = capture.attendee
    if attendee is None and card.badge_id:
        attendee = lookups.attendees.get((exhibit.event_id, card.badge_id))
    if attendee is not None:
        name = name or attendee.name
        organization = organization or attendee.organization
        email = email or attendee.email
        if attendee.person is not None:
            return attendee.person, attendee
    identities = _identities(card, email, workspace.default_region)
    for kind, value in identities:
        owner = lookups.owners.get((workspace.pk, kind, value))
        if owner is not None:
            return owner, attendee
    name = name or card.name
    organization = organization or card.organization
    if not name:
        return None, attendee
    # Nobody holds any of the identities (looked up above), so they all go to the person.
    person = match_by_name(workspace, name, organization)
    if person is None:
        person = person_create(
            workspace=workspace,
            display_name=name,
            organization=organization[:200],
            title=card.title[:200],
            source=Source.BOOTH,
            identities=identities,
            identities_unheld=True,
        )
    else:
        for kind, value in identities:
            identity_add(person=person, kind=kind, value=value, source=Source.BOOTH)
    for kind, value in identities:
        lookups.owners[(workspace.pk, kind, value)] = person
    if attendee is not None and attendee.person_id is None:
        attendee.person = person
        attendee.save(update_fields=["person"])
    return person, attendee


def _resolve_claimed(captures: Sequence[Capture]) -> None:
    """Finds or makes the person of each claimed capture, in order, and logs its conversation.

    Runs inside the transaction that claimed them: a failure leaves none of them resolved.
    """
    cards = [_card(capture) for capture in captures]
    lookups = _lookups(captures, cards)
    for capture, card in zip(captures, cards, strict=True):
        exhibit = capture.exhibit
        person, attendee = _resolve(exhibit, card, capture, lookups)
        capture.person = person
        capture.attendee = attendee
        if capture.kind == Capture.Kind.CONVERSATION and person is not None:
            capture.touch = touch_log(
                workspace=exhibit.workspace,
                people=[person],
                channel=Channel.IN_PERSON,
                when=capture.captured_at,
                where=exhibit.name,
                event=exhibit.event,
                note=capture.note or f"Conversation at {exhibit.name}",
                source=Source.BOOTH,
                source_key=f"capture:{capture.client_id}",
                actor=capture.captured_by,
            )
    update_rows(
        Capture,
        ("person_id", "attendee_id", "touch_id"),
        [(c.person_id, c.attendee_id, c.touch_id, c.pk) for c in captures],
    )


_CLAIMED = (
    "exhibit__event",
    "exhibit__workspace",
    "attendee__person",
    "captured_by",
)


def capture_store(
    *,
    exhibit: Exhibit,
    actor: User,
    client_id: uuid.UUID,
    kind: str,
    captured_at: dt.datetime | None = None,
    payload: str = "",
    attendee_id: int | None = None,
    name: str = "",
    organization: str = "",
    email: str = "",
    rating: int | None = None,
    interests: str = "",
    note: str = "",
    follow_up: bool = False,
    actor_is_staff: bool | None = None,
) -> tuple[Capture, bool]:
    """Stores a capture once, waiting to be matched; returns it and whether this call stored it.

    This is all a phone waits for: the checks, one INSERT, and the stored capture when the
    client id was seen before. Finding the person and logging the conversation is
    :func:`capture_resolve`'s work, done after the answer (see :mod:`.resolver`).
    ``actor_is_staff`` is whether ``actor`` is on the exhibit's staff, when the caller read it
    with the exhibit (:func:`~.selectors.exhibit_for_capture`); None looks it up.
    """
    if kind not in Capture.Kind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}; use visit or conversation."})
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": "A rating is from 1 to 5."})
    if len(payload) > 8192:
        raise ValidationError({"payload": "A badge payload is at most 8,192 characters."})
    if not (payload.strip() or attendee_id is not None or name.strip()):
        raise ValidationError({"payload": "Scan a badge, pick an attendee or type a name."})
    moment = captured_at or timezone.now()
    if timezone.is_naive(moment):
        raise ValidationError({"captured_at": "The time needs a timezone."})
    if actor_is_staff is None:
        actor_is_staff = exhibit.staff.filter(pk=actor.pk).exists()
    if not actor_is_staff:
        raise PermissionDenied(NOT_STAFF)
    if (
        attendee_id is not None
        and not Attendee.objects.filter(event_id=exhibit.event_id, pk=attendee_id).exists()
    ):
        raise ValidationError({"attendee_id": "No such attendee at this event."})
    capture = Capture(
        workspace_id=exhibit.workspace_id,
        exhibit=exhibit,
        client_id=client_id,
        kind=kind,
        captured_at=moment,
        captured_by=actor,
        payload=payload,
        payload_kind=parse_badge(payload).kind if payload.strip() else "",
        attendee_id=attendee_id,
        name=" ".join(name.split())[:300],
        organization=" ".join(organization.split())[:200],
        email=email.strip()[:320],
        rating=rating,
        interests=interests.strip()[:300],
        note=note.strip(),
        follow_up=follow_up,
    )
    # The rows it points at were checked above, the rating too, and the database enforces the
    # unique client id: a resend, or a twin sent at the same moment, stores nothing.
    capture.full_clean(
        exclude=["workspace", "exhibit", "captured_by", "attendee", "person", "touch"],
        validate_constraints=False,
    )
    if _insert_once(capture):
        return capture, True
    existing = _capture_sent_before(exhibit.workspace_id, client_id)
    if existing is None:  # the twin was deleted in between: nothing to answer with
        raise ValidationError({"client_id": "This capture was removed; send it as a new one."})
    if existing.exhibit_id != exhibit.pk:
        raise ValidationError({"client_id": "This id was used for a capture at another exhibit."})
    return existing, False


def _insert_once(capture: Capture) -> bool:
    """INSERTs ``capture`` unless its workspace holds its client id; True when it did.

    One plain statement, as the phones send hundreds a second: the ORM's INSERT cost more
    processor time to build than the database took to run it, and a duplicate client id is
    skipped by the database (``ON CONFLICT DO NOTHING``) instead of raising an error.
    """
    connection = transaction.get_connection()
    values = [
        field.get_db_prep_save(field.pre_save(capture, True), connection)
        for field in _CAPTURE_FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_capture_insert_sql(connection), values)
        row = cursor.fetchone()
    if row is None:
        return False
    capture.pk = row[0]
    capture._state.adding = False  # saved, as the ORM marks it
    capture._state.db = connection.alias
    return True


def _capture_sent_before(workspace_pk: int, client_id: uuid.UUID) -> Capture | None:
    """The workspace's capture with this client id, with its person: what a resend is answered
    with (one plain statement, as a phone that lost its answers resends many)."""
    connection = transaction.get_connection()
    client = Capture._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(_CAPTURE_SENT_BEFORE, [workspace_pk, client])
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(Capture._meta.concrete_fields)
    capture = from_row(Capture, connection, row[:width])
    capture.person = from_row(Person, connection, row[width:]) if capture.person_id else None
    return capture


_CAPTURE_SENT_BEFORE = f"""
    SELECT {columns(Capture, "c")}, {columns(Person, "p")}
    FROM {Capture._meta.db_table} c LEFT JOIN {Person._meta.db_table} p ON p.id = c.person_id
    WHERE c.workspace_id = %s AND c.client_id = %s
"""  # noqa: S608  # table and column names from the models; every value is a parameter
_CAPTURE_FIELDS = [field for field in Capture._meta.concrete_fields if not field.primary_key]


_CAPTURE_INSERT: dict[str, str] = {}  # by database vendor


def _capture_insert_sql(connection: Any) -> str:
    if connection.vendor in _CAPTURE_INSERT:
        return _CAPTURE_INSERT[connection.vendor]
    quote = connection.ops.quote_name
    unique = next(
        constraint
        for constraint in Capture._meta.constraints
        if constraint.name == "capture_unique_client_id"
    )
    conflict = ", ".join(
        quote(field.column)
        for field in _CAPTURE_FIELDS
        if field.name in unique.fields  # type: ignore[attr-defined]  # a UniqueConstraint's
    )
    # Table and column names from the model; every value is a parameter.
    sql = _CAPTURE_INSERT[connection.vendor] = (
        f"INSERT INTO {quote(Capture._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(field.column) for field in _CAPTURE_FIELDS)}) "
        f"VALUES ({', '.join(['%s'] * len(_CAPTURE_FIELDS))}) "
        f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {quote(Capture._meta.pk.column)}"
    )
    return sql


def capture_resolve(capture: Capture) -> Capture:
    """Finds or creates the capture's person; a conversation becomes an in-person touch.

    Runs once per capture: a capture already resolved, or claimed at this moment by another
    worker, is returned as it is.
    """
    with transaction.atomic():
        claimed = Capture.objects.filter(pk=capture.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        capture = Capture.objects.select_related(*_CLAIMED, "person").get(pk=capture.pk)
        if claimed:
            _resolve_claimed([capture])
    return capture


class _TakenMeanwhile(Exception):
    """Another worker claimed part of a batch between reading and claiming it."""


def _resolve_batch(waiting: QuerySet[Capture], limit: int) -> int:
    """Claims up to ``limit`` waiting captures and resolves them in one transaction.

    On PostgreSQL the rows are locked as they are read, skipping those another worker holds;
    SQLite lets one writer at a time in (immediate transactions), so nobody can claim them in
    between. Either way the UPDATE claims only captures still waiting: if it finds fewer, the
    batch gives way to resolving one capture at a time.
    """
    if not waiting.exists():
        return 0  # a read only: an idle resolver never holds the database
    with transaction.atomic():
        ids = list(
            waiting.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return 0
        claimed = Capture.objects.filter(pk__in=ids, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        if claimed != len(ids):
            raise _TakenMeanwhile
        captures = list(Capture.objects.select_related(*_CLAIMED).filter(pk__in=ids).order_by("pk"))
        _resolve_claimed(captures)
    return len(ids)


def captures_resolve_waiting(
    *, limit: int | None = 100, exhibit: Exhibit | None = None, failed: set[int] | None = None
) -> int:
    """Resolves up to ``limit`` (None: all) waiting captures, oldest first; returns how many.

    A batch is claimed and resolved in one transaction, with its badges and identities looked
    up once for all. Safe to run from several threads or processes at once: a capture another
    worker claimed is skipped. When one capture of a batch fails, the batch is undone and its
    captures are resolved one at a time, so the others are not held back: the failing one
    stays waiting (and is logged), never half-written. ``failed`` collects the ids of captures
    that failed and skips them: a caller that passes the same set again (the server's resolver,
    between pauses at a busy booth) does not retry them on every turn.
    """
    waiting = Capture.objects.filter(resolved_at__isnull=True)
    if exhibit is not None:
        waiting = waiting.filter(exhibit=exhibit)
    done = 0
    failed = set() if failed is None else failed
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        pending = waiting.exclude(pk__in=failed) if failed else waiting
        failures = len(failed)
        try:
            resolved = _resolve_batch(pending, size)
        except (OperationalError, InterfaceError):
            raise  # the database is away or busy: everything stays waiting for the next turn
        except Exception:
            resolved = _resolve_one_by_one(pending, size, failed)
        if not resolved and len(failed) == failures:
            break  # nothing left waiting but what failed: each turn resolves or skips one
        done += resolved
    return done


def _resolve_one_by_one(waiting: QuerySet[Capture], limit: int, failed: set[int]) -> int:
    """Resolves waiting captures each in its own transaction; adds the failing ones to
    ``failed``."""
    done = 0
    for pk in list(waiting.order_by("pk").values_list("pk", flat=True)[:limit]):
        try:
            capture_resolve(Capture(pk=pk))
        except (OperationalError, InterfaceError):
            raise
        except Exception:
            logger.exception("Booth capture %s could not be matched; it stays waiting", pk)
            failed.add(pk)
            continue
        done += 1
    return done


def capture_record(**fields: Any) -> tuple[Capture, bool]:
    """Stores a capture once and resolves it at once (the booth's form page, imports, tests)."""
    capture, created = capture_store(**fields)
    if created:
        capture = capture_resolve(capture)
    return capture, created


@dataclass(frozen=True)
class ExhibitReport:
    """What an exhibit cost and what its conversations became."""

    exhibit: Exhibit
    cost: Decimal
    costs_by_category: dict[str, Decimal]
    entrants: int
    conversations: int
    cost_per_entrant: Decimal | None
    cost_per_conversation: Decimal | None
    by_staff: dict[str, int]
    by_hour: dict[int, int]
    followed_up_30: int
    followed_up_90: int
    connected_30: int
    connected_90: int
    lasting: int
    cost_per_lasting: Decimal | None
    waiting: int  # captures not matched to a person yet; counted once they are

    def as_dict(self) -> dict[str, Any]:
        def money(value: Decimal | None) -> str | None:
            return None if value is None else f"{value:.2f}"

        return {
            "exhibit": self.exhibit.name,
            "event": self.exhibit.event.name,
            "currency": self.exhibit.currency,
            "cost": money(self.cost),
            "costs_by_category": {k: money(v) for k, v in self.costs_by_category.items()},
            "entrants": self.entrants,
            "conversations": self.conversations,
            "cost_per_entrant": money(self.cost_per_entrant),
            "cost_per_conversation": money(self.cost_per_conversation),
            "published_cost_per_entrant": money(PUBLISHED_COST_PER_ENTRANT),
            "published_cost_per_conversation": money(PUBLISHED_COST_PER_CONVERSATION),
            "by_staff": self.by_staff,
            "by_hour": {str(hour): n for hour, n in sorted(self.by_hour.items())},
            "followed_up_within_30_days": self.followed_up_30,
            "followed_up_within_90_days": self.followed_up_90,
            "connected_within_30_days": self.connected_30,
            "connected_within_90_days": self.connected_90,
            "lasting_relationships": self.lasting,
            "cost_per_lasting_relationship": money(self.cost_per_lasting),
            "captures_waiting_to_be_matched": self.waiting,
        }


def _per(cost: Decimal, count: int) -> Decimal | None:
    return (cost / count).quantize(Decimal("0.01")) if count else None


def exhibit_report(*, exhibit: Exhibit, now: dt.datetime | None = None) -> ExhibitReport:
    """Entrants, conversations, costs per head, staff and hours, and the follow-through."""
    moment = now or timezone.now()
    captures = list(exhibit.captures.select_related("captured_by").order_by("captured_at"))
    costs = {
        row["category"]: row["total"]
        for row in exhibit.costs.values("category").annotate(total=Sum("amount"))
    }
    cost = sum(costs.values(), Decimal(0))
    # An entrant is anyone captured at all; the same person seen twice counts once.
    entrants = {c.person_id or f"capture-{c.pk}" for c in captures}
    talks = [c for c in captures if c.kind == Capture.Kind.CONVERSATION and c.person_id]
    first_talk: dict[int, dt.datetime] = {}
    for capture in talks:
        assert capture.person_id is not None  # noqa: S101  # filtered above
        first_talk.setdefault(capture.person_id, capture.captured_at)
    later = Touch.people.through.objects.filter(person_id__in=list(first_talk)).values_list(
        "person_id", "touch__occurred_at", "touch__source_key"
    )
    followed_30: set[int] = set()
    followed_90: set[int] = set()
    lasting: set[int] = set()
    for person_id, when, key in later:
        start = first_talk[person_id]
        if when <= start or when > moment or key.startswith("capture:"):
            continue
        if when <= start + dt.timedelta(days=30):
            followed_30.add(person_id)
        if when <= start + dt.timedelta(days=90):
            followed_90.add(person_id)
        if when >= start + dt.timedelta(days=90):
            lasting.add(person_id)
    connected_30: set[int] = set()
    connected_90: set[int] = set()
    for person_id, created, connected_on in Connection.objects.filter(
        person_id__in=list(first_talk)
    ).values_list("person_id", "created_at", "connected_on"):
        start = first_talk[person_id].date()
        day: dt.date = connected_on or created.date()
        if start <= day <= start + dt.timedelta(days=30):
            connected_30.add(person_id)
        if start <= day <= start + dt.timedelta(days=90):
            connected_90.add(person_id)
    by_staff = Counter(
        (c.captured_by.email if c.captured_by else "unknown")
        for c in captures
        if c.kind == Capture.Kind.CONVERSATION
    )
    by_hour = Counter(
        timezone.localtime(c.captured_at).hour
        for c in captures
        if c.kind == Capture.Kind.CONVERSATION
    )
    return ExhibitReport(
        exhibit=exhibit,
        cost=cost,
        costs_by_category=costs,
        entrants=len(entrants),
        conversations=len(first_talk),
        cost_per_entrant=_per(cost, len(entrants)),
        cost_per_conversation=_per(cost, len(first_talk)),
        by_staff=dict(by_staff.most_common()),
        by_hour=dict(by_hour),
        followed_up_30=len(followed_30),
        followed_up_90=len(followed_90),
        connected_30=len(connected_30),
        connected_90=len(connected_90),
        lasting=len(lasting),
        cost_per_lasting=_per(cost, len(lasting)),
        waiting=sum(c.resolved_at is None for c in captures),
    )


def _leads(exhibit: Exhibit) -> QuerySet[Capture]:
    return (
        exhibit.captures.filter(person__isnull=False)
        .select_related("person", "captured_by")
        .prefetch_related("person__identities")
        .order_by("captured_at")
    )


LEAD_HEADER = (
    "captured_at",
    "kind",
    "name",
    "organization",
    "title",
    "email",
    "phone",
    "linkedin",
    "rating",
    "interests",
    "follow_up",
    "note",
    "captured_by",
)


def leads_csv(*, exhibit: Exhibit) -> Iterator[str]:
    """The exhibit's leads as CSV for any CRM, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LEAD_HEADER)
    for capture in _leads(exhibit):
        person = capture.person
        assert person is not None  # noqa: S101  # filtered in _leads
        values = {i.kind: i.value for i in person.identities.all()}
        writer.writerow(
            [
                timezone.localtime(capture.captured_at).isoformat(),
                capture.kind,
                formula_safe(person.display_name),
                formula_safe(person.organization),
                formula_safe(person.title),
                values.get("email", ""),
                values.get("phone", ""),
                values.get("linkedin", ""),
                capture.rating or "",
                formula_safe(capture.interests),
                "yes" if capture.follow_up else "",
                formula_safe(capture.note),
                capture.captured_by.email if capture.captured_by else "",
            ]
        )
    yield buffer.getvalue()


def _vcard_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def leads_vcard(*, exhibit: Exhibit) -> str:
    """The exhibit's leads as vCard 3.0, one card per person."""
    cards = []
    seen: set[int] = set()
    for capture in _leads(exhibit):
        person = capture.person
        assert person is not None  # noqa: S101  # filtered in _leads
        if person.pk in seen:
            continue
        seen.add(person.pk)
        lines = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            f"N:{_vcard_text(person.family_name)};{_vcard_text(person.given_name)};;;",
            f"FN:{_vcard_text(person.display_name)}",
        ]
        if person.organization:
            lines.append(f"ORG:{_vcard_text(person.organization)}")
        if person.title:
            lines.append(f"TITLE:{_vcard_text(person.title)}")
        for identity in person.identities.all():
            if identity.kind == "email":
                lines.append(f"EMAIL;TYPE=INTERNET:{identity.value}")
            elif identity.kind == "phone":
                lines.append(f"TEL:{identity.value}")
            elif identity.kind == "linkedin":
                lines.append(f"URL:https://www.linkedin.com/in/{identity.value}")
        note = f"Met at {exhibit.name}, {exhibit.event.name}. {capture.note}".strip()
        lines.append(f"NOTE:{_vcard_text(note)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + ("\r\n" if cards else "")


def exhibits_list(*, workspace: Workspace) -> QuerySet[Exhibit]:
    return Exhibit.objects.filter(workspace=workspace).select_related("event")
