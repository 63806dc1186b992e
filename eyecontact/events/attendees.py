"""An event's attendee list: imported from the organiser's CSV, matched to the people I know.

The CSV needs a name column and may have organization, e-mail and badge id columns; headers are
matched by name in the usual spellings ("Company", "E-mail Address", "Badge ID"…). Each
attendee is linked to a person of the ledger by e-mail, else by name and organization when the
match is certain; "who from my network is attending" is the linked ones. Importing the list
again updates it instead of duplicating it (same badge id, else same e-mail, else same name).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from eyecontact.accounts.models import Workspace
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_email
from eyecontact.people.models import Identity, Person
from eyecontact.people.selectors import people_like

from .models import Attendee, Event

__all__ = [
    "AttendeeImport",
    "attendees_import",
    "attendees_known",
    "match_by_name",
    "match_person",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 200
_HEADERS = {
    "name": ("name", "full name", "attendee", "attendee name"),
    "given": ("first name", "given name", "firstname"),
    "family": ("last name", "family name", "surname", "lastname"),
    "organization": ("organization", "organisation", "company", "company name", "employer"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "badge_id": ("badge id", "badge", "badge number", "registration id", "ticket id", "id"),
}


@dataclass(frozen=True)
class AttendeeImport:
    """What importing an attendee list did."""

    added: int
    updated: int
    known: int
    skipped: int


def _columns(file_name: str, header: list[str]) -> dict[str, int]:
    if len(header) > MAX_COLUMNS:
        raise ValidationError(
            f"{file_name}, line 1: {len(header)} columns; expected at most {MAX_COLUMNS}."
        )
    found: dict[str, int] = {}
    cleaned = [h.strip().lstrip("\ufeff").lower().replace("_", " ") for h in header]
    for field, spellings in _HEADERS.items():
        for position, name in enumerate(cleaned):
            if name in spellings and field not in found:
                found[field] = position
    if "name" not in found and not {"given", "family"} & set(found):
        raise ValidationError(
            f"{file_name}, line 1: expected a header with a Name column (or First Name and "
            f"Last Name); found: {', '.join(h for h in header if h) or 'nothing'}."
        )
    return found


def _text(file_name: str, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{file_name}: the file is larger than {MAX_BYTES // 2**20} MB.")
    if b"\x00" in data[:4096]:
        raise ValidationError(f"{file_name}: this is not a text file; expected a CSV.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(f"{file_name}: the text could not be decoded.")  # pragma: no cover


def match_person(event: Event, name: str, organization: str, email: str) -> Person | None:
    """The person of the ledger this attendee is, when an identity or a sure match says so."""
    if email:
        try:
            value = normalize_email(email)
        except InvalidIdentity:
            value = ""
        owner = (
            Identity.objects.select_related("person")
            .filter(workspace=event.workspace, kind="email", value=value)
            .first()
        )
        if owner is not None:
            return owner.person
    return match_by_name(event.workspace, name, organization)


def match_by_name(workspace: Workspace, name: str, organization: str) -> Person | None:
    """The one person a name (and organization) surely describes; None when unsure or two are."""
    if not name:
        return None
    found = people_like(workspace=workspace, name=name, organization=organization, limit=2)
    if found and found[0].decision == "merge" and (len(found) == 1 or found[1].decision != "merge"):
        return found[0].person
    return None


@transaction.atomic
def attendees_import(*, event: Event, file_name: str, data: bytes) -> AttendeeImport:
    """Reads an attendee list CSV into ``event``; a bad file changes nothing."""
    text = _text(file_name, data)
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(rows)
    except StopIteration:
        raise ValidationError(
            f"{file_name}: the file is empty; expected a CSV with a header."
        ) from None
    except csv.Error as exc:
        raise ValidationError(f"{file_name}, line 1: {exc}") from None
    columns = _columns(file_name, header)
    existing = list(Attendee.objects.filter(event=event))
    by_badge = {a.badge_id: a for a in existing if a.badge_id}
    by_email = {a.email: a for a in existing if a.email}
    by_name = {fold_name(a.name): a for a in existing}
    added = updated = skipped = 0

    def cell(row: list[str], field: str) -> str:
        position = columns.get(field)
        return row[position].strip() if position is not None and position < len(row) else ""

    try:
        for row in rows:
            if not any(value.strip() for value in row):
                continue
            name = cell(row, "name") or " ".join(
                p for p in (cell(row, "given"), cell(row, "family")) if p
            )
            if not name:
                skipped += 1
                continue
            email = cell(row, "email").lower()
            badge = cell(row, "badge_id")
            attendee = (
                (by_badge.get(badge) if badge else None)
                or (by_email.get(email) if email else None)
                or by_name.get(fold_name(name))
            )
            if attendee is None:
                attendee = Attendee(workspace=event.workspace, event=event)
                added += 1
            else:
                updated += 1
            attendee.name = name[:300]
            attendee.organization = cell(row, "organization")[:200]
            attendee.email = email[:320]
            attendee.badge_id = badge[:100]
            attendee.person = match_person(event, name, attendee.organization, email)
            attendee.save()
            by_name[fold_name(name)] = attendee
            if badge:
                by_badge[badge] = attendee
            if email:
                by_email[email] = attendee
    except csv.Error as exc:
        raise ValidationError(f"{file_name}, line {rows.line_num}: {exc}") from None
    known = Attendee.objects.filter(event=event, person__isnull=False).count()
    return AttendeeImport(added=added, updated=updated, known=known, skipped=skipped)


def attendees_known(*, event: Event) -> QuerySet[Attendee]:
    """Who from my network is attending: attendees linked to a person of the ledger."""
    return (
        Attendee.objects.filter(event=event, person__isnull=False)
        .select_related("person")
        .order_by("person__sort_name")
    )
