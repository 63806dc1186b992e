"""The value of face-to-face, measured in the user's own data.

Relationships are grouped by how they began: **face to face** when the first touch was in
person or by phone, **online only** when it was a video call, message, e-mail or social touch.
For each group: how long relationships stay active (Kaplan–Meier; a relationship has ended when
its last touch is more than ``ACTIVE_DAYS`` ago), touches per year, and how many also became
two-way links on a network (a LinkedIn connection, a Facebook friendship, a mutual follow on X).
Then the vetted share of connections by year, and the funnel from events: conversations at
events, the people among them who connected online, and those still in touch a year later.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.networks.vetting import vetting_trend
from eyecontact.people.choices import HIGH_TOUCH_CHANNELS, Channel, ConnectionKind, Network
from eyecontact.people.models import Connection, Touch

from .survival import Lifetime, SurvivalPoint, kaplan_meier, survival_at

__all__ = [
    "ACTIVE_DAYS",
    "GroupFigures",
    "event_funnel",
    "relationship_groups",
    "value_of_face_to_face",
]

ACTIVE_DAYS = 365
FACE_TO_FACE = "face_to_face"
ONLINE_ONLY = "online_only"
GROUP_LABELS = {FACE_TO_FACE: "Began face to face", ONLINE_ONLY: "Began online"}


@dataclass(frozen=True)
class GroupFigures:
    group: str
    label: str
    relationships: int
    active: int
    touches_per_year: float
    two_way: int
    curve: list[SurvivalPoint]

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "label": self.label,
            "relationships": self.relationships,
            "active": self.active,
            "touches_per_year": round(self.touches_per_year, 2),
            "two_way": self.two_way,
            "two_way_share": round(self.two_way / self.relationships, 4)
            if self.relationships
            else 0,
            "active_after_1_year": round(survival_at(self.curve, 365), 4),
            "active_after_3_years": round(survival_at(self.curve, 3 * 365), 4),
            "curve": [
                {"day": p.day, "survival": round(p.survival, 4), "at_risk": p.at_risk}
                for p in self.curve
            ],
        }


def _two_way(workspace: Workspace) -> set[int]:
    rows = Connection.objects.filter(workspace=workspace, removed_on__isnull=True).values_list(
        "person_id", "network", "kind"
    )
    follows: dict[int, set[str]] = defaultdict(set)
    linked: set[int] = set()
    for person_id, network, kind in rows:
        if network == Network.X:
            follows[person_id].add(kind)
        else:
            linked.add(person_id)
    mutual = {
        p
        for p, kinds in follows.items()
        if {ConnectionKind.FOLLOWER, ConnectionKind.FOLLOWING} <= kinds
    }
    return linked | mutual


def relationship_groups(
    *, workspace: Workspace, now: dt.datetime | None = None
) -> list[GroupFigures]:
    """Face-to-face-born vs online-born relationships: lifetimes, touches a year, two-way."""
    moment = now or timezone.now()
    high = {str(c) for c in HIGH_TOUCH_CHANNELS}
    rows = (
        Touch.people.through.objects.filter(
            touch__workspace=workspace, touch__occurred_at__lte=moment
        )
        .values_list("person_id", "touch__channel", "touch__occurred_at")
        .order_by("person_id", "touch__occurred_at")
    )
    first: dict[int, tuple[dt.datetime, str]] = {}
    last: dict[int, dt.datetime] = {}
    count: dict[int, int] = defaultdict(int)
    for person_id, channel, when in rows.iterator(5000):
        if person_id not in first:
            first[person_id] = (when, channel)
        last[person_id] = when
        count[person_id] += 1
    two_way = _two_way(workspace)
    lifetimes: dict[str, list[Lifetime]] = {FACE_TO_FACE: [], ONLINE_ONLY: []}
    rates: dict[str, list[float]] = {FACE_TO_FACE: [], ONLINE_ONLY: []}
    linked: dict[str, int] = {FACE_TO_FACE: 0, ONLINE_ONLY: 0}
    for person_id, (began, channel) in first.items():
        group = FACE_TO_FACE if channel in high else ONLINE_ONLY
        ended = (moment - last[person_id]).days > ACTIVE_DAYS
        end = last[person_id] if ended else moment
        lifetimes[group].append(Lifetime(days=max((end - began).days, 0), ended=ended))
        years = max((moment - began).days / 365.25, 1.0)
        rates[group].append(count[person_id] / years)
        linked[group] += person_id in two_way
    return [
        GroupFigures(
            group=group,
            label=GROUP_LABELS[group],
            relationships=len(lifetimes[group]),
            active=sum(not item.ended for item in lifetimes[group]),
            touches_per_year=sum(rates[group]) / len(rates[group]) if rates[group] else 0.0,
            two_way=linked[group],
            curve=kaplan_meier(lifetimes[group]),
        )
        for group in (FACE_TO_FACE, ONLINE_ONLY)
    ]


def event_funnel(*, workspace: Workspace, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per past event: conversations → connections → still in touch a year later."""
    moment = now or timezone.now()
    talks = (
        Touch.people.through.objects.filter(
            touch__workspace=workspace,
            touch__event__isnull=False,
            touch__channel=Channel.IN_PERSON,
            touch__occurred_at__lte=moment,
        )
        .values("touch__event_id", "touch__event__name", "touch__event__starts_on", "person_id")
        .annotate(first=Min("touch__occurred_at"))
    )
    events: dict[int, dict[str, Any]] = {}
    met: dict[int, dict[int, dt.datetime]] = defaultdict(dict)
    for row in talks:
        event_id = row["touch__event_id"]
        events[event_id] = {
            "event": row["touch__event__name"],
            "starts_on": row["touch__event__starts_on"],
        }
        met[event_id][row["person_id"]] = row["first"]
    people = {p for by_person in met.values() for p in by_person}
    connected = set(
        Connection.objects.filter(workspace=workspace, person_id__in=people).values_list(
            "person_id", flat=True
        )
    )
    touches_by_person: dict[int, list[dt.datetime]] = defaultdict(list)
    for person_id, when in Touch.people.through.objects.filter(
        person_id__in=people, touch__occurred_at__lte=moment
    ).values_list("person_id", "touch__occurred_at"):
        touches_by_person[person_id].append(when)
    funnel = []
    for event_id, info in sorted(events.items(), key=lambda item: item[1]["starts_on"]):
        conversations = met[event_id]
        a_year_on = [
            p
            for p, when in conversations.items()
            if any(t >= when + dt.timedelta(days=ACTIVE_DAYS) for t in touches_by_person[p])
        ]
        mature = (moment - max(conversations.values())).days >= ACTIVE_DAYS
        funnel.append(
            {
                **info,
                "starts_on": info["starts_on"].isoformat(),
                "conversations": len(conversations),
                "connections": sum(p in connected for p in conversations),
                "active_a_year_later": len(a_year_on) if mature else None,
            }
        )
    return funnel


def value_of_face_to_face(
    *, workspace: Workspace, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Every figure of the insights page, as plain data (for charts, the API and CSV)."""
    return {
        "groups": [g.as_dict() for g in relationship_groups(workspace=workspace, now=now)],
        "vetted_by_year": vetting_trend(workspace=workspace, now=now),
        "event_funnel": event_funnel(workspace=workspace, now=now),
    }
