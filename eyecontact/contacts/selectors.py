"""Reading a workspace's address book: its people as cards, and what changed since a revision.

A whole book is read in four queries whatever its size (people, identities, contact details,
in-person meetings), so a phone listing 10,000 cards costs the same few statements as one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.people.choices import Channel, IdentityKind
from eyecontact.people.models import Identity, Person, Touch

from .birthdays import Birthday, birthday_parse
from .cards import Card
from .models import AddressBook, BusinessCardScan, ContactCard, ContactDetails

__all__ = [
    "business_card_scan_get",
    "BookEntry",
    "birthdays_list",
    "book_cards",
    "book_changes",
    "book_entry",
    "book_revision",
    "card_by_name",
    "people_of_cards",
    "card_photo",
    "default_card_name",
    "default_uid",
    "meeting_note",
]


@dataclass(frozen=True, slots=True)
class BookEntry:
    """A card in the book under its file name, with the person it shows."""

    name: str
    person_id: int
    card: Card
    # Whether the person keeps the card's name and UID (a phone's, or one already recorded).
    named: bool = True


# The names Eye Contact gives cards; "-2" for someone whose name a restored card kept.
_DEFAULT_NAME = re.compile(r"^eyecontact-person-(\d+)(?:-2)?\.vcf$")
_PREFIX = "eyecontact-person-"


def default_uid(person_id: int) -> str:
    return f"{_PREFIX}{person_id}"


def default_card_name(person_id: int) -> str:
    return f"{default_uid(person_id)}.vcf"


def _claimed(workspace: Workspace, names: Iterable[str]) -> set[str]:
    """Which of these card names of Eye Contact's own form someone holds as theirs.

    A restored workspace keeps each card's name and UID as phones know them, and those were
    made from the person ids of the installation it came from: someone created later may get
    an id whose card name a restored card already holds. They are given ``-2`` names instead.
    """
    wanted = sorted(set(names))
    held: set[str] = set()
    for start in range(0, len(wanted), 500):
        held.update(
            ContactDetails.objects.filter(
                workspace=workspace, card_name__in=wanted[start : start + 500]
            ).values_list("card_name", flat=True)
        )
    return held


def _name_and_uid(
    person_id: int, card_name: str, card_uid: str, claimed: set[str]
) -> tuple[str, str]:
    uid = card_uid or default_uid(person_id)
    if card_name:
        return card_name, uid
    if default_card_name(person_id) in claimed:
        return f"{_PREFIX}{person_id}-2.vcf", card_uid or f"{_PREFIX}{person_id}-2"
    return default_card_name(person_id), uid


def meeting_note(count: int, last: dt.date | None, place: str) -> str:
    """ "Last met 14 Mar 2026 at CES, Las Vegas · 7 in-person meetings", or "" with none."""
    if not count or last is None:
        return ""
    text = f"Last met {last.day} {last:%b %Y}"
    if place:
        text += f" at {place}"
    return text + f" · {count} in-person meeting{'' if count == 1 else 's'}"


def _place(where: str, event_name: str | None, event_city: str | None) -> str:
    if event_name:
        return ", ".join(p for p in (event_name, event_city) if p)
    return where


def _people(workspace: Workspace, person_ids: Iterable[int] | None) -> QuerySet[Person]:
    people = Person.objects.filter(workspace=workspace, archived_at__isnull=True)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    return people


def book_cards(workspace: Workspace, person_ids: Iterable[int] | None = None) -> list[BookEntry]:
    """The people of the book (all, or those of ``person_ids``) as cards, in four queries."""
    rows = list(
        _people(workspace, person_ids)
        .order_by("pk")
        .values_list("pk", "display_name", "given_name", "family_name", "organization", "title")
    )
    wanted = [row[0] for row in rows]
    scoped = Q(workspace=workspace)
    if person_ids is not None:
        scoped &= Q(person_id__in=wanted)
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    urls: dict[int, list[str]] = defaultdict(list)
    for person_id, kind, value in (
        Identity.objects.filter(scoped).order_by("pk").values_list("person_id", "kind", "value")
    ):
        if kind == IdentityKind.EMAIL:
            emails[person_id].append(value)
        elif kind == IdentityKind.PHONE:
            phones[person_id].append(value)
        elif kind == IdentityKind.LINKEDIN:
            urls[person_id].append(f"https://www.linkedin.com/in/{value}")
        elif kind == IdentityKind.WEBSITE:
            urls[person_id].append(value if "://" in value else f"https://{value}")
    details: dict[int, dict[str, Any]] = {
        d["person_id"]: dict(d)
        for d in ContactDetails.objects.filter(scoped).values(
            "person_id", "birthday", "photo_type", "photo_hash", "card_name", "card_uid"
        )
    }
    unnamed = [row[0] for row in rows if not details.get(row[0], {}).get("card_name")]
    claimed = _claimed(workspace, (default_card_name(pk) for pk in unnamed))
    meetings = Touch.people.through.objects.filter(
        touch__workspace=workspace, touch__channel=Channel.IN_PERSON
    )
    if person_ids is not None:
        meetings = meetings.filter(person_id__in=wanted)
    counts: dict[int, int] = defaultdict(int)
    latest: dict[int, tuple[dt.datetime, bool, str, str | None, str | None]] = {}
    for person_id, when, has_time, where, event_name, event_city in meetings.values_list(
        "person_id",
        "touch__occurred_at",
        "touch__has_time",
        "touch__where",
        "touch__event__name",
        "touch__event__city",
    ):
        counts[person_id] += 1
        known = latest.get(person_id)
        if known is None or when > known[0]:
            latest[person_id] = (when, has_time, where, event_name, event_city)
    zone = timezone.get_current_timezone()
    last: dict[int, tuple[dt.date, str]] = {
        # A meeting logged without a time of day is on its date wherever the user is.
        person_id: (
            (when.astimezone(zone) if has_time else when).date(),
            _place(where, event_name, event_city),
        )
        for person_id, (when, has_time, where, event_name, event_city) in latest.items()
    }
    entries = []
    for person_id, display, given, family, organization, title in rows:
        detail: dict[str, Any] = details.get(person_id, {})
        day, place = last.get(person_id, (None, ""))
        name, uid = _name_and_uid(
            person_id, detail.get("card_name", ""), detail.get("card_uid", ""), claimed
        )
        card = Card(
            uid=uid,
            display_name=display,
            given_name=given,
            family_name=family,
            organization=organization,
            title=title,
            emails=tuple(emails[person_id]),
            phones=tuple(phones[person_id]),
            urls=tuple(urls[person_id]),
            birthday=detail.get("birthday", ""),
            photo_type=detail.get("photo_type", ""),
            photo_hash=detail.get("photo_hash", ""),
            note=meeting_note(counts[person_id], day, place),
        )
        named = bool(detail.get("card_name"))
        entries.append(BookEntry(name=name, person_id=person_id, card=card, named=named))
    return entries


def people_of_cards(workspace: Workspace, names: Iterable[str]) -> dict[str, int]:
    """The people in the book shown by the cards of these file names, by name."""
    names = set(names)
    people = _people(workspace, None)
    candidates = {int(found.group(1)) for name in names if (found := _DEFAULT_NAME.match(name))}
    candidates.update(
        people.filter(contact_details__card_name__in=names).values_list("pk", flat=True)
    )
    if not candidates:
        return {}
    in_book = set(people.filter(pk__in=list(candidates)).values_list("pk", flat=True))
    held = {
        person_id: (card_name, card_uid)
        for person_id, card_name, card_uid in ContactDetails.objects.filter(
            person_id__in=list(in_book)
        ).values_list("person_id", "card_name", "card_uid")
    }
    claimed = _claimed(
        workspace, (default_card_name(pk) for pk in in_book if not held.get(pk, ("", ""))[0])
    )
    shown: dict[str, int] = {}
    for person_id in in_book:
        name, _ = _name_and_uid(person_id, *held.get(person_id, ("", "")), claimed)
        if name in names:
            shown[name] = person_id
    return shown


def book_entry(workspace: Workspace, name: str) -> BookEntry | None:
    """The card of this file name, if its person is in the book."""
    person_id = people_of_cards(workspace, [name]).get(name)
    if person_id is None:
        return None
    entries = book_cards(workspace, [person_id])
    return entries[0] if entries else None


def card_photo(person_id: int) -> bytes:
    found = ContactDetails.objects.filter(person_id=person_id).values_list("photo", flat=True)
    return bytes(found[0]) if found else b""


def book_revision(workspace: Workspace) -> int:
    book = AddressBook.objects.filter(workspace=workspace).first()
    return book.revision if book is not None else 0


def card_by_name(workspace: Workspace, name: str) -> ContactCard | None:
    """The book's card of this file name, as phones last saw it (gone or not)."""
    return ContactCard.objects.filter(workspace=workspace, name=name).first()


def book_changes(workspace: Workspace, since: int) -> list[ContactCard]:
    """The cards that changed or left the book after revision ``since``."""
    return list(
        ContactCard.objects.filter(workspace=workspace, revision__gt=since).order_by("revision")
    )


def birthdays_list(*, workspace: Workspace) -> list[tuple[Person, Birthday]]:
    """The workspace's people with a birthday (archived ones left out), by name; one query."""
    details = (
        ContactDetails.objects.filter(
            workspace=workspace, birthday__gt="", person__archived_at__isnull=True
        )
        .select_related("person")
        .order_by("person__sort_name", "person_id")
    )
    found = []
    for detail in details:
        birthday = birthday_parse(detail.birthday)
        if birthday is not None:
            found.append((detail.person, birthday))
    return found


def business_card_scan_get(*, workspace: Workspace, pk: int) -> BusinessCardScan:
    """One business card read in ``workspace``, with the person it matched; a 404 otherwise."""
    return get_object_or_404(
        BusinessCardScan.objects.select_related("match", "workspace").filter(workspace=workspace),
        pk=pk,
    )
