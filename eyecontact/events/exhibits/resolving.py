"""Resolving stored captures to people, and conversations to in-person touches.

A capture resolves to a person by what the badge or the typed details say (an e-mail, a LinkedIn
profile, a badge id on the attendee list), or creates one; a **conversation** is an in-person
touch with that person at the event, a **visit** only counts an entrant. Waiting captures are
claimed in the database a batch at a time (see :mod:`eyecontact.events.resolver`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from eyecontact.common.bulk import update_rows
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity
from eyecontact.people.choices import Channel, Source
from eyecontact.people.models import Identity, Person
from eyecontact.people.services import (
    identity_add,
    person_create,
    touch_log,
    touch_too_far_ahead,
)

from ..attendees import match_by_name
from ..badges import BadgeCard, parse_badge
from ..models import Attendee, Capture, Exhibit
from .storing import capture_store

__all__ = ["DATES_MARGIN", "capture_record", "capture_resolve", "captures_resolve_waiting"]

# Waiting captures resolved in one transaction at most.
BATCH = 100
# How far before or after its event's days a capture still counts as met there: time zones,
# the set-up day, a phone's clock.
DATES_MARGIN = dt.timedelta(days=1)

logger = logging.getLogger(__name__)


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


def _outside_dates(capture: Capture) -> bool:
    """Whether the capture falls outside its event's days, give or take ``DATES_MARGIN``, or
    more than a day ahead of the clock: not a meeting at the event."""
    event = capture.exhibit.event
    day = timezone.localdate(capture.captured_at)
    if not event.starts_on - DATES_MARGIN <= day <= event.ends_on + DATES_MARGIN:
        return True
    return touch_too_far_ahead(capture.captured_at)


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
        capture.outside_dates = _outside_dates(capture)
        if (
            capture.kind == Capture.Kind.CONVERSATION
            and person is not None
            and not capture.outside_dates
        ):
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
        ("person_id", "attendee_id", "touch_id", "outside_dates"),
        [(c.person_id, c.attendee_id, c.touch_id, c.outside_dates, c.pk) for c in captures],
    )


_CLAIMED = (
    "exhibit__event",
    "exhibit__workspace",
    "attendee__person",
    "captured_by",
)


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
