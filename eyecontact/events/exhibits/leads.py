"""The exhibit's leads, for any CRM: a CSV file and a vCard file of the people met."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from eyecontact.common.csv import csv_lines

from ..models import Exhibit
from .report import exhibit_leads

__all__ = ["LEAD_HEADER", "leads_csv", "leads_vcard"]


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


def _joined(texts: Iterable[str]) -> str:
    """The distinct non-empty texts of a person's captures, in order."""
    return " / ".join(dict.fromkeys(t for t in texts if t))


def leads_csv(*, exhibit: Exhibit) -> Iterator[str]:
    """The exhibit's leads as CSV for any CRM, header first: one row per person met, as the
    report counts them (their first conversation, else their visit; the ratings, interests and
    notes of all their captures)."""

    def rows() -> Iterator[Iterable[object]]:
        yield LEAD_HEADER
        for lead in exhibit_leads(exhibit=exhibit, with_identities=True):
            person, capture = lead.person, lead.capture
            values = {i.kind: i.value for i in person.identities.all()}
            yield [
                timezone.localtime(capture.captured_at).isoformat(),
                capture.kind,
                person.display_name,
                person.organization,
                person.title,
                values.get("email", ""),
                values.get("phone", ""),
                values.get("linkedin", ""),
                max((c.rating for c in lead.captures if c.rating), default=""),
                _joined(c.interests for c in lead.captures),
                "yes" if any(c.follow_up for c in lead.captures) else "",
                _joined(c.note for c in lead.captures),
                lead.staff if capture.captured_by else "",
            ]

    return csv_lines(rows())


def _vcard_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def leads_vcard(*, exhibit: Exhibit) -> str:
    """The exhibit's leads as vCard 3.0, one card per person."""
    cards = []
    for lead in exhibit_leads(exhibit=exhibit, with_identities=True):
        person = lead.person
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
        notes = _joined(c.note for c in lead.captures)
        note = f"Met at {exhibit.name}, {exhibit.event.name}. {notes}".strip()
        lines.append(f"NOTE:{_vcard_text(note)}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    return "\r\n".join(cards) + ("\r\n" if cards else "")
