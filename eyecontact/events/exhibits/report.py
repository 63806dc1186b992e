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

from django.db.models import Sum
from django.utils import timezone

from eyecontact.networks.models import Connection
from eyecontact.people.models import Touch

from ..models import Capture, Exhibit

__all__ = [
    "PUBLISHED_COST_PER_CONVERSATION",
    "PUBLISHED_COST_PER_ENTRANT",
    "ExhibitReport",
    "exhibit_report",
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
        talked_on = first_talk[person_id].date()
        day: dt.date = connected_on or created.date()
        if talked_on <= day <= talked_on + dt.timedelta(days=30):
            connected_30.add(person_id)
        if talked_on <= day <= talked_on + dt.timedelta(days=90):
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
