"""Changing the address book: its revisions, and what phones write into it.

**Revisions.** :func:`book_refresh` compares each person's card (by its ETag, a hash of what the
card shows) with the card phones last saw, and records each change under the book's next
revision; a person archived, merged away or deleted leaves a "gone" card behind, so a phone
syncing from an older revision is told to drop it. Nothing else has to remember to notify the
book: any edit, import, merge or meeting changes a card's ETag and is found on the next sync.

**Phones writing.** A card edited on a phone comes back through :func:`card_put`: a new e-mail
or phone number becomes an identity through the people services (refused, and recorded as
such, when it belongs to someone else), changed names, organisation or title go through
``person_update``; a card made on the phone becomes a person. Deleting a card on the phone
archives the person (:func:`card_archive`): they leave the address book and keep their history.
Every write is audited with what changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.common.bulk import insert_rows, update_rows
from eyecontact.people.choices import IdentityKind, Source
from eyecontact.people.models import Person
from eyecontact.people.services import (
    identity_add,
    person_archive,
    person_create,
    person_update,
)

from .cards import InvalidCard, PhoneCard, birthday_of, card_etag, phone_card
from .models import AddressBook, ContactCard, ContactDetails
from .selectors import BookEntry, book_cards, default_uid, people_of_cards

__all__ = [
    "CardConflict",
    "CardMissing",
    "InvalidCard",
    "Refreshed",
    "book_refresh",
    "card_archive",
    "card_put",
    "contact_details_import",
    "contact_details_keep",
]

_DEFAULT_NAME = re.compile(r"^eyecontact-person-(\d+)(?:-2)?\.vcf$")


class CardMissing(LookupError):
    """No card of that name is in the address book."""


class CardConflict(Exception):
    """The phone's If-Match or If-None-Match does not hold: the card changed meanwhile."""


@dataclass(frozen=True, slots=True)
class Refreshed:
    """The book after a refresh: its revision and its cards by file name."""

    revision: int
    entries: list[BookEntry]


@transaction.atomic
def book_refresh(*, workspace: Workspace) -> Refreshed:
    """Records every card changed since the last refresh under a new revision."""
    AddressBook.objects.get_or_create(workspace=workspace)
    book = AddressBook.objects.select_for_update().get(workspace=workspace)
    entries = book_cards(workspace)
    current = {entry.name: (entry.person_id, card_etag(entry.card)) for entry in entries}
    seen = {
        name: (pk, etag, gone)
        for pk, name, etag, gone in ContactCard.objects.filter(workspace=workspace).values_list(
            "pk", "name", "etag", "gone"
        )
    }
    revision = book.revision + 1
    changed: list[tuple[Any, ...]] = []
    added: list[tuple[Any, ...]] = []
    for name, (person_id, etag) in current.items():
        known = seen.get(name)
        if known is None:
            added.append((workspace.pk, person_id, name, etag, revision, False))
        elif known[1] != etag or known[2]:
            changed.append((person_id, etag, revision, False, known[0]))
    for name, (pk, etag, gone) in seen.items():
        if name not in current and not gone:
            changed.append((None, etag, revision, True, pk))
    _keep_names(workspace, [entry for entry in entries if not entry.named])
    if not (changed or added):
        return Refreshed(revision=book.revision, entries=entries)
    insert_rows(
        ContactCard, ("workspace_id", "person_id", "name", "etag", "revision", "gone"), added
    )
    update_rows(ContactCard, ("person_id", "etag", "revision", "gone"), changed)
    book.revision = revision
    book.save(update_fields=["revision"])
    return Refreshed(revision=revision, entries=entries)


def _keep_names(workspace: Workspace, entries: Sequence[BookEntry]) -> None:
    """Records the name and UID each new card has as its person's own.

    Eye Contact names a card after its person's id, which a restore into another database
    changes; kept with the person (and carried by the workspace file), the card answers to the
    same name and UID after a restore, so a phone neither downloads it again nor doubles it.
    """
    if not entries:
        return
    existing = {
        d.person_id: d
        for d in ContactDetails.objects.filter(
            workspace=workspace, person_id__in=[entry.person_id for entry in entries]
        )
    }
    new: list[ContactDetails] = []
    changed: list[ContactDetails] = []
    for entry in entries:
        row = existing.get(entry.person_id)
        if row is None:
            row = ContactDetails(person_id=entry.person_id, workspace=workspace)
            new.append(row)
        else:
            changed.append(row)
        row.card_name = entry.name
        row.card_uid = row.card_uid or entry.card.uid
    ContactDetails.objects.bulk_create(new, batch_size=500)
    ContactDetails.objects.bulk_update(changed, ["card_name", "card_uid"], batch_size=500)


def _person_of(workspace: Workspace, name: str) -> Person | None:
    """The person shown by the card of this file name, if they are in the book."""
    person_id = people_of_cards(workspace, [name]).get(name)
    return Person.objects.get(pk=person_id) if person_id is not None else None


def _current_etag(workspace: Workspace, person: Person) -> str:
    (entry,) = book_cards(workspace, [person.pk])
    return card_etag(entry.card)


def _check_preconditions(etag: str | None, if_match: str, if_none_match: str) -> None:
    if if_none_match.strip() == "*" and etag is not None:
        raise CardConflict("A card of this name is already in the address book.")
    wanted = [tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",") if tag]
    if wanted and (etag is None or ("*" not in wanted and etag not in wanted)):
        raise CardConflict("The card changed since the phone read it.")


def _audit(workspace: Workspace, actor: User, action: str, person: Person, **details: Any) -> None:
    audit_record(
        workspace=workspace,
        actor=actor,
        action=action,
        subject=person.display_name,
        details={"person_id": person.pk, **details},
    )


def contact_details_keep(
    *,
    person: Person,
    birthday: str | None = None,
    photo: bytes | None = None,
    photo_type: str = "image/jpeg",
    card_name: str | None = None,
    card_uid: str | None = None,
) -> ContactDetails:
    """Keeps a person's birthday, photo or phone card name; None leaves a value as it was."""
    details, _ = ContactDetails.objects.get_or_create(
        person=person, defaults={"workspace_id": person.workspace_id}
    )
    if birthday is not None:
        details.birthday = birthday[:10]
    if photo is not None:
        details.photo = photo
        details.photo_type = photo_type if photo else ""
        details.photo_hash = hashlib.sha1(photo, usedforsecurity=False).hexdigest() if photo else ""
    if card_name is not None:
        details.card_name = card_name
    if card_uid is not None:
        details.card_uid = card_uid
    details.full_clean(exclude=["person", "workspace"])
    details.save()
    return details


def _photo_type(photo: bytes) -> str:
    if photo.startswith(b"\x89PNG"):
        return "image/png"
    if photo.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return "image/jpeg"


def contact_details_import(
    *, workspace: Workspace, details: Sequence[tuple[int, str, bytes | None]]
) -> int:
    """Keeps the birthdays and photos of imported address books: (person id, BDAY, photo).

    What a person already has is kept (typed on a phone, or from an earlier import); a
    birthday is stored in one form (:func:`~.cards.birthday_of`), an unreadable one is dropped.
    Runs in the import's transaction; returns how many people got a birthday or a photo.
    """
    wanted: dict[int, tuple[str, bytes]] = {}
    for person_id, raw_birthday, photo in details:
        birthday = birthday_of(raw_birthday) if raw_birthday else ""
        if birthday or photo:
            old_birthday, old_photo = wanted.get(person_id, ("", b""))
            wanted[person_id] = (old_birthday or birthday, old_photo or photo or b"")
    if not wanted:
        return 0
    existing = {
        d.person_id: d
        for d in ContactDetails.objects.filter(workspace=workspace, person_id__in=list(wanted))
    }
    new: list[ContactDetails] = []
    changed: list[ContactDetails] = []
    for person_id, (birthday, photo) in wanted.items():
        row = existing.get(person_id)
        if row is None:
            row = ContactDetails(person_id=person_id, workspace=workspace)
            new.append(row)
        elif (row.birthday or not birthday) and (row.photo_hash or not photo):
            continue
        else:
            changed.append(row)
        if birthday and not row.birthday:
            row.birthday = birthday
        if photo and not row.photo_hash:
            row.photo = photo
            row.photo_type = _photo_type(photo)
            row.photo_hash = hashlib.sha1(photo, usedforsecurity=False).hexdigest()
    ContactDetails.objects.bulk_create(new, batch_size=500)
    ContactDetails.objects.bulk_update(
        changed, ["birthday", "photo", "photo_type", "photo_hash"], batch_size=500
    )
    return len(new) + len(changed)


def _add_identities(
    person: Person, kind: str, values: tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """Adds what the person does not have yet; returns (added, refused with the reason)."""
    added: list[str] = []
    refused: list[str] = []
    held = set(person.identities.filter(kind=kind).values_list("value", flat=True))
    for value in values:
        try:
            with transaction.atomic():
                identity = identity_add(person=person, kind=kind, value=value, source=Source.API)
            if identity.value not in held:
                held.add(identity.value)
                added.append(identity.value)
        except ValidationError as exc:
            refused.append(f"{value}: {' '.join(exc.messages)}")
    return added, refused


def _apply(person: Person, card: PhoneCard) -> dict[str, Any]:
    """Writes what the phone changed into ``person``; returns what changed, for the audit."""
    wanted = {
        "display_name": card.display_name,
        "given_name": card.given_name,
        "family_name": card.family_name,
        "organization": card.organization[:200],
        "title": card.title[:200],
    }
    fields: dict[str, Any] = {
        name: value for name, value in wanted.items() if getattr(person, name) != value
    }
    changes: dict[str, Any] = {
        name: [getattr(person, name), value] for name, value in fields.items()
    }
    if fields:
        person_update(person=person, **fields)
    emails, refused_emails = _add_identities(person, IdentityKind.EMAIL, card.emails)
    phones, refused_phones = _add_identities(person, IdentityKind.PHONE, card.phones)
    if emails:
        changes["emails_added"] = emails
    if phones:
        changes["phones_added"] = phones
    if refused_emails or refused_phones:
        changes["refused"] = refused_emails + refused_phones
    details = ContactDetails.objects.filter(person=person).first()
    birthday = details.birthday if details else ""
    photo_hash = details.photo_hash if details else ""
    new_hash = hashlib.sha1(card.photo, usedforsecurity=False).hexdigest() if card.photo else ""
    if card.birthday and card.birthday != birthday:
        changes["birthday"] = [birthday, card.birthday]
    if card.photo and new_hash != photo_hash:
        changes["photo"] = "changed"
    if "birthday" in changes or "photo" in changes:
        contact_details_keep(
            person=person,
            birthday=card.birthday if "birthday" in changes else None,
            photo=card.photo if "photo" in changes else None,
            photo_type=card.photo_type,
        )
    return changes


@transaction.atomic
def card_put(
    *,
    workspace: Workspace,
    actor: User,
    name: str,
    text: str,
    if_match: str = "",
    if_none_match: str = "",
) -> tuple[Person, bool]:
    """Takes a card a phone wrote; returns its person and whether the card was new.

    Raises :class:`InvalidCard`, or :class:`CardConflict` when the phone's precondition fails.
    """
    card = phone_card(text)
    person = _person_of(workspace, name)
    etag = _current_etag(workspace, person) if person is not None else None
    _check_preconditions(etag, if_match, if_none_match)
    if person is not None:
        changes = _apply(person, card)
        if changes:
            _audit(workspace, actor, "contacts.phone_edit", person, card=name, changes=changes)
        return person, False
    if _DEFAULT_NAME.match(name):
        # The name of a card Eye Contact made, for someone archived or gone: not a new person.
        raise CardMissing(name)
    person = person_create(
        workspace=workspace,
        display_name=card.display_name,
        given_name=card.given_name,
        family_name=card.family_name,
        organization=card.organization[:200],
        title=card.title[:200],
        source=Source.API,
        actor=actor,
    )
    contact_details_keep(person=person, card_name=name, card_uid=card.uid or default_uid(person.pk))
    changes = _apply(person, card)
    _audit(workspace, actor, "contacts.phone_create", person, card=name, changes=changes)
    return person, True


@transaction.atomic
def card_archive(*, workspace: Workspace, actor: User, name: str, if_match: str = "") -> Person:
    """Archives the person of a card deleted on a phone: out of the book, history kept."""
    person = _person_of(workspace, name)
    if person is None:
        raise CardMissing(name)
    _check_preconditions(_current_etag(workspace, person), if_match, "")
    return person_archive(person=person, actor=actor, why=f"Deleted on a phone (card {name})")
