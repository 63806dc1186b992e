"""Business cards: photographed, read on the queue, confirmed into a person.

::

    phone ──business_card_submit()──▶ BusinessCardScan (waiting) + queued business_card_task
    worker ──business_card_read()──▶ Tesseract + field split ──▶ read (fields, a known match)
                                                              └─▶ unreadable (photo kept)
    user ──business_card_confirm()──▶ the known person gets the new e-mails and phones,
                                      or a new person is created

The photo waits in the database, so any worker reads it, and a photo taken offline at the
booth is sent with the capture queue when the phone is back online. Before anyone is created,
the card's e-mails and phones are looked up among the workspace's identities, then its name
among its people (``match_by_name``), and that person is proposed.
``EYECONTACT_CARDS_INLINE = True`` (the test settings) reads the card in the calling thread.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.events.attendees import match_by_name
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity
from eyecontact.people.choices import IdentityKind, Source
from eyecontact.people.models import Identity, Person
from eyecontact.people.services import identity_add, person_create, person_update

from .business_cards import CardFields
from .models import BusinessCardScan
from .ocr import COULD_NOT_READ, UnreadableCard, read_card

__all__ = [
    "MAX_PHOTO_BYTES",
    "PHOTO_TOO_BIG",
    "business_card_confirm",
    "business_card_read",
    "business_card_submit",
    "business_card_task",
]

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TOO_BIG = "A card photo is at most 10 MB."

logger = logging.getLogger(__name__)


def business_card_submit(
    *,
    workspace: Workspace,
    actor: User,
    photo: bytes,
    photo_type: str = "image/jpeg",
    client_id: uuid.UUID | None = None,
) -> BusinessCardScan:
    """Keeps a card photo and queues its reading; returns the waiting scan.

    A photo sent again with the ``client_id`` the phone gave it the first time (its answer was
    lost) is not kept twice: the scan made the first time is returned, as it is by then.
    """
    if client_id is not None:
        known = BusinessCardScan.objects.filter(workspace=workspace, client_id=client_id).first()
        if known is not None:
            return known
    if not photo:
        raise ValidationError({"photo": "Send the photo of the card."})
    if len(photo) > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": PHOTO_TOO_BIG})
    try:
        with transaction.atomic():
            scan = BusinessCardScan.objects.create(
                workspace=workspace,
                created_by=actor,
                client_id=client_id,
                photo=photo,
                photo_type=photo_type[:40],
            )
    except IntegrityError:
        # The same photo, sent twice at once: the other request kept it.
        return BusinessCardScan.objects.get(workspace=workspace, client_id=client_id)
    if getattr(settings, "EYECONTACT_CARDS_INLINE", False):
        business_card_read(scan_pk=scan.pk)
        scan.refresh_from_db()
    else:
        transaction.on_commit(lambda: business_card_task.enqueue(scan_pk=scan.pk))
    return scan


@task()
def business_card_task(scan_pk: int) -> str:
    """The queued reading of one card photo; returns how it ended."""
    return business_card_read(scan_pk=scan_pk)


def _match(workspace: Workspace, fields: CardFields) -> Person | None:
    """Someone already known the card names: by an e-mail or phone, then surely by name."""
    region = workspace.default_region
    wanted: list[tuple[str, str]] = []
    lookups: tuple[tuple[str, tuple[str, ...]], ...] = (
        (IdentityKind.EMAIL, fields.emails),
        (IdentityKind.PHONE, fields.phones),
    )
    for kind, values in lookups:
        for value in values:
            with contextlib.suppress(InvalidIdentity):
                wanted.append((kind, normalize_identity(kind, value, default_region=region)))
    for kind, value in wanted:
        held = (
            Identity.objects.select_related("person")
            .filter(workspace=workspace, kind=kind, value=value)
            .first()
        )
        if held is not None:
            return held.person
    return match_by_name(workspace, fields.name, fields.organization)


def business_card_read(*, scan_pk: int) -> str:
    """Reads a waiting card photo: its fields and a known match, or "could not read"."""
    scan = BusinessCardScan.objects.select_related("workspace").filter(pk=scan_pk).first()
    if scan is None or scan.status != BusinessCardScan.Status.WAITING:
        return "gone" if scan is None else str(scan.status)
    try:
        text, fields = read_card(bytes(scan.photo), default_region=scan.workspace.default_region)
    except UnreadableCard:
        scan.status = BusinessCardScan.Status.UNREADABLE
        scan.message = COULD_NOT_READ
    except Exception:  # Tesseract missing or stopped: the photo stays, the user is told
        logger.exception("Reading business card %s failed", scan.pk)
        scan.status = BusinessCardScan.Status.UNREADABLE
        scan.message = COULD_NOT_READ
    else:
        scan.status = BusinessCardScan.Status.READ
        scan.text = text
        scan.fields = {
            "name": fields.name,
            "title": fields.title,
            "organization": fields.organization,
            "emails": list(fields.emails),
            "phones": list(fields.phones),
            "websites": list(fields.websites),
        }
        scan.match = _match(scan.workspace, fields)
    scan.read_at = timezone.now()
    scan.save(update_fields=["status", "text", "fields", "message", "match", "read_at"])
    return str(scan.status)


@transaction.atomic
def business_card_confirm(
    *,
    scan: BusinessCardScan,
    actor: User,
    name: str,
    title: str = "",
    organization: str = "",
    emails: list[str] | None = None,
    phones: list[str] | None = None,
    websites: list[str] | None = None,
    person: Person | None = None,
) -> Person:
    """The person the user confirmed from a card: ``person`` (or a new one) gets its details.

    An e-mail or phone that belongs to someone else is not moved; it is named in the audit.
    """
    if not name.strip() and person is None:
        raise ValidationError({"name": "A name is required."})
    identities = [(IdentityKind.EMAIL, e) for e in emails or []]
    identities += [(IdentityKind.PHONE, p) for p in phones or []]
    identities += [(IdentityKind.WEBSITE, w) for w in websites or []]
    changes: dict[str, Any] = {}
    if person is None:
        person = person_create(
            workspace=scan.workspace,
            display_name=name,
            organization=organization[:200],
            title=title[:200],
            source=Source.MANUAL,
            actor=actor,
        )
        changes["created"] = True
    else:
        fields = {
            key: value[:200]
            for key, value in (("organization", organization), ("title", title))
            if value and not getattr(person, key)
        }
        if fields:
            person_update(person=person, actor=actor, **fields)
            changes.update(fields)
    refused: list[str] = []
    for kind, value in identities:
        try:
            with transaction.atomic():
                identity_add(person=person, kind=kind, value=value, source=Source.MANUAL)
        except ValidationError as exc:
            refused.append(f"{value}: {' '.join(exc.messages)}")
    if refused:
        changes["refused"] = refused
    scan.person = person
    scan.status = BusinessCardScan.Status.CONFIRMED
    scan.save(update_fields=["person", "status"])
    audit_record(
        workspace=scan.workspace,
        actor=actor,
        action="contacts.business_card",
        subject=person.display_name,
        details={"person_id": person.pk, "scan_id": scan.pk, **changes},
    )
    return person
