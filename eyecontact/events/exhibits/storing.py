"""Storing a capture as a phone sends it: once, however often it is sent.

A capture comes from a staff member's phone, maybe hours after it was taken (the show floor has
no signal), maybe several times (the phone did not hear the answer). Its ``client_id`` makes it
idempotent: the first arrival is stored, later ones return the stored capture. Storing is all a
phone waits for; finding the person is :mod:`.resolving`'s work, done after the answer.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from eyecontact.accounts.models import User
from eyecontact.common.rows import columns, from_row
from eyecontact.people.models import Person

from ..badges import BadgeCard, parse_badge
from ..models import Attendee, Capture, Exhibit

__all__ = ["NOT_A_BADGE", "NOT_STAFF", "capture_store"]

NOT_STAFF = "Only the exhibit's staff can capture at its booth."
# A scanned code that says nothing about an attendee, by what it is.
NOT_A_BADGE = {
    "wifi": "That code is a Wi-Fi network, not a badge",
    "url": "That code is a web link, not a badge or a LinkedIn profile",
    "unknown": "That code is plain text, not a badge",
}
NOT_A_BADGE_HINT = ": scan the attendee's badge, find them on the attendee list or type their name."


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
    card = parse_badge(payload) if payload.strip() else None
    if card is not None and not _is_badge(exhibit, card):
        raise ValidationError({"payload": NOT_A_BADGE[card.kind] + NOT_A_BADGE_HINT})
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
        payload_kind=card.kind if card is not None else "",
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


def _is_badge(exhibit: Exhibit, card: BadgeCard) -> bool:
    """Whether a scanned code says who its wearer is, or how to find them.

    A Wi-Fi code and plain text never do. A web link does when it is a LinkedIn profile
    (read as such) or an event app's link ending in a badge id of this event's attendee list.
    """
    if card.kind in ("wifi", "unknown"):
        return False
    if card.kind == "url":
        return bool(card.badge_id) and (
            Attendee.objects.filter(event_id=exhibit.event_id, badge_id=card.badge_id).exists()
        )
    return True


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
        cursor.execute(_CAPTURE_INSERT, values)
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


_UNIQUE_CLIENT_ID = next(
    constraint
    for constraint in Capture._meta.constraints
    if constraint.name == "capture_unique_client_id"
)
# Table and column names from the model, the same for SQLite and PostgreSQL; every value is a
# parameter.
_CAPTURE_INSERT = (
    f"INSERT INTO {Capture._meta.db_table} "  # noqa: S608
    f"({', '.join(field.column for field in _CAPTURE_FIELDS)}) "
    f"VALUES ({', '.join(['%s'] * len(_CAPTURE_FIELDS))}) "
    "ON CONFLICT ("
    + ", ".join(
        field.column
        for field in _CAPTURE_FIELDS
        if field.name in _UNIQUE_CLIENT_ID.fields  # type: ignore[attr-defined]  # a UniqueConstraint's
    )
    + f") DO NOTHING RETURNING {Capture._meta.pk.column}"
)
