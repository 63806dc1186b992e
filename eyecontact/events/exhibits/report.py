"""What an exhibit was worth: its cost against the people it reached, and what followed.

Cost per entrant and per conversation beside the published industry figures (about $160 per
person who entered an exhibit, $260 per face-to-face conversation), conversations by staff
member and by hour, and the follow-through: conversations that led to a later touch or a new
connection within 30 and 90 days, and the cost per relationship that lasted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from eyecontact.people.models import Connection, Person, Touch

from ..models import Capture, Exhibit

__all__ = [
    "PUBLISHED_COST_PER_CONVERSATION",
    "PUBLISHED_COST_PER_ENTRANT",
    "ExhibitReport",
    "Lead",
    "exhibit_leads",
    "exhibit_report",
    "exhibits_counted",
]

# Published industry figures, in US dollars.
PUBLISHED_COST_PER_ENTRANT = Decimal("160")
PUBLISHED_COST_PER_CONVERSATION = Decimal("260")


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
    outside_dates: int  # captures outside the event's days: never counted

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
            "captures_outside_event_dates": self.outside_dates,
        }


def _per(cost: Decimal, count: int) -> Decimal | None:
    return (cost / count).quantize(Decimal("0.01")) if count else None


@dataclass(frozen=True)
class Lead:
    """One person met at the booth, as every figure and export of the exhibit counts them.

    ``capture`` is their first conversation, or their first visit if they never talked;
    ``captures`` all their counted captures, oldest first.
    """

    person: Person
    capture: Capture
    captures: tuple[Capture, ...]

    @property
    def talked(self) -> bool:
        return self.capture.kind == Capture.Kind.CONVERSATION

    @property
    def staff(self) -> str:
        """Who had the conversation (or saw the visit), by e-mail."""
        return self.capture.captured_by.email if self.capture.captured_by else "unknown"


def exhibit_leads(*, exhibit: Exhibit, with_identities: bool = False) -> list[Lead]:
    """The people met at the exhibit, one each, in the order first captured.

    The one reading of the captures behind the report (entrants, conversations, by staff, by
    hour, follow-through) and the leads exports, so they always agree. A capture counts once
    it is matched to a person and falls within the event's days (see
    :func:`~.resolving.capture_resolve`); waiting and out-of-dates captures are counted apart.
    """
    return _read(exhibit, with_identities=with_identities)[0]


def _read(exhibit: Exhibit, *, with_identities: bool) -> tuple[list[Lead], int, int]:
    """The leads, and how many captures wait to be matched or fell outside the event's days:
    from one query of the exhibit's captures."""
    captures = exhibit.captures.select_related("person", "captured_by").order_by(
        "captured_at", "pk"
    )
    if with_identities:
        captures = captures.prefetch_related("person__identities")
    by_person: dict[int, list[Capture]] = {}
    waiting = outside = 0
    for capture in captures:
        if capture.resolved_at is None:
            waiting += 1
        elif capture.outside_dates:
            outside += 1
        elif capture.person_id is not None:
            by_person.setdefault(capture.person_id, []).append(capture)
    leads = []
    for found in by_person.values():
        talks = [c for c in found if c.kind == Capture.Kind.CONVERSATION]
        first = talks[0] if talks else found[0]
        assert first.person is not None  # noqa: S101  # only captures with a person
        leads.append(Lead(person=first.person, capture=first, captures=tuple(found)))
    return leads, waiting, outside


def exhibits_counted(exhibits: QuerySet[Exhibit]) -> QuerySet[Exhibit]:
    """The exhibits with ``entrant_total`` and ``conversation_total``: the people met and the
    people talked to, counted as :func:`exhibit_leads` counts them (once each, matched, within
    the event's days)."""
    counted = Q(captures__person__isnull=False, captures__outside_dates=False)
    return exhibits.annotate(
        entrant_total=Count("captures__person", distinct=True, filter=counted),
        conversation_total=Count(
            "captures__person",
            distinct=True,
            filter=counted & Q(captures__kind=Capture.Kind.CONVERSATION),
        ),
    )


def exhibit_report(*, exhibit: Exhibit, now: dt.datetime | None = None) -> ExhibitReport:
    """Entrants, conversations, costs per head, staff and hours, and the follow-through."""
    moment = now or timezone.now()
    leads, waiting, outside = _read(exhibit, with_identities=False)
    costs = {
        row["category"]: row["total"]
        for row in exhibit.costs.values("category").annotate(total=Sum("amount"))
    }
    cost = sum(costs.values(), Decimal(0))
    talks = [lead for lead in leads if lead.talked]
    first_talk = {lead.person.pk: lead.capture.captured_at for lead in talks}
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
        talked_on = first_talk[person_id].date()
        day: dt.date = connected_on or created.date()
        if talked_on <= day <= talked_on + dt.timedelta(days=30):
            connected_30.add(person_id)
        if talked_on <= day <= talked_on + dt.timedelta(days=90):
            connected_90.add(person_id)
    by_staff = Counter(lead.staff for lead in talks)
    by_hour = Counter(timezone.localtime(lead.capture.captured_at).hour for lead in talks)
    return ExhibitReport(
        exhibit=exhibit,
        cost=cost,
        costs_by_category=costs,
        entrants=len(leads),
        conversations=len(talks),
        cost_per_entrant=_per(cost, len(leads)),
        cost_per_conversation=_per(cost, len(talks)),
        by_staff=dict(by_staff.most_common()),
        by_hour=dict(by_hour),
        followed_up_30=len(followed_30),
        followed_up_90=len(followed_90),
        connected_30=len(connected_30),
        connected_90=len(connected_90),
        lasting=len(lasting),
        cost_per_lasting=_per(cost, len(lasting)),
        waiting=waiting,
        outside_dates=outside,
    )
