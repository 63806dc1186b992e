"""The exhibit's leads, for any CRM: a CSV file and a vCard file of the people met."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from eyecontact.common.spreadsheets import formula_safe

from ..models import Capture, Exhibit

__all__ = ["LEAD_HEADER", "leads_csv", "leads_vcard"]


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
