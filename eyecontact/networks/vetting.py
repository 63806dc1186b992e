"""Vetting: of the people I am connected to online, whom have I actually met, and when?

A connection is **met before connecting** when an in-person or phone touch happened on or
before the day of the connection, **met after connecting** when the first such touch came
later, **never met** when there is none, and **met, date unknown** when the network gave no
date (X). Messages, e-mails, video calls and social touches keep a relationship going, but do
not vet it. Touches in the future (a planned meeting) do not count yet.

The status is computed in the database from the touches every time it is read, so it is always
current when touches or connections change: nothing to recompute, nothing to go stale.

Which links are vetted: LinkedIn connections, Facebook friends, connections added by hand on
other networks, and X *mutual* follows (someone who follows you and whom you follow back): a
one-way follow is not a relationship.

The screener answers "have I met this person?" for an incoming connection request from what
the request shows (a name, a headline or organization, a profile URL or handle).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.common.csv import csv_lines
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity
from eyecontact.people.choices import HIGH_TOUCH_CHANNELS, Channel, ConnectionKind, Network
from eyecontact.people.models import Connection, Identity, Person, Touch
from eyecontact.people.selectors import people_like
from eyecontact.people.services import touch_log

__all__ = [
    "VETTING_SORTS",
    "ScreenAnswer",
    "Status",
    "connection_vouch",
    "screen_request",
    "vetted_connections",
    "vetting_csv",
    "vetting_summary",
    "vetting_trend",
]


class Status:
    """The four answers to "did I meet them, and was it before we connected?"."""

    MET_BEFORE = "met_before"
    MET_AFTER = "met_after"
    NEVER = "never"
    MET_UNKNOWN_DATE = "met_date_unknown"

    ALL = (MET_BEFORE, MET_AFTER, MET_UNKNOWN_DATE, NEVER)
    LABELS = {
        MET_BEFORE: "Met before connecting",
        MET_AFTER: "Met after connecting",
        MET_UNKNOWN_DATE: "Met, date unknown",
        NEVER: "Never met",
    }


# Sorts the never-met list offers, by the name used in URLs and the CLI.
VETTING_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("person__sort_name", "id"),
    "organization": ("person__organization", "person__sort_name", "id"),
    "-connected": ("-connected_on", "person__sort_name", "id"),
    "connected": ("connected_on", "person__sort_name", "id"),
    # How much the relationship lives online: touches of any kind.
    "-ties": ("-person__touch_count", "person__sort_name", "id"),
}


def _high_touch() -> list[str]:
    return [str(channel) for channel in HIGH_TOUCH_CHANNELS]


def vetted_connections(
    *,
    workspace: Workspace,
    network: str = "",
    status: str = "",
    organization: str = "",
    year: int | None = None,
    sort: str = "name",
    now: dt.datetime | None = None,
) -> QuerySet[Connection]:
    """The workspace's vettable connections, each annotated with ``first_met`` and ``status``."""
    moment = now or timezone.now()
    first_met = (
        Touch.objects.filter(
            people=OuterRef("person_id"),
            channel__in=_high_touch(),
            occurred_at__lte=moment,
        )
        .order_by()
        .values("people")
        .annotate(first=Min("occurred_at"))
        .values("first")
    )
    follows_back = Connection.objects.filter(
        person_id=OuterRef("person_id"),
        network=Network.X,
        kind=ConnectionKind.FOLLOWER,
        removed_on__isnull=True,
    )
    tz = timezone.get_default_timezone()
    connections = (
        Connection.objects.filter(workspace=workspace, removed_on__isnull=True)
        .exclude(network=Network.X, kind=ConnectionKind.FOLLOWER)
        .exclude(Q(network=Network.X, kind=ConnectionKind.FOLLOWING) & ~Exists(follows_back))
        .select_related("person")
        .annotate(first_met=first_met)
        .annotate(
            first_met_day=TruncDate("first_met", tzinfo=tz),
            status=Case(
                When(first_met__isnull=True, then=Value(Status.NEVER)),
                When(connected_on__isnull=True, then=Value(Status.MET_UNKNOWN_DATE)),
                When(first_met_day__lte=F("connected_on"), then=Value(Status.MET_BEFORE)),
                default=Value(Status.MET_AFTER),
                output_field=CharField(),
            ),
        )
    )
    if network:
        connections = connections.filter(network=network)
    if status:
        connections = connections.filter(status=status)
    if organization:
        connections = connections.filter(person__organization__iexact=organization.strip())
    if year is not None:
        connections = connections.filter(connected_on__year=year)
    return connections.order_by(*VETTING_SORTS.get(sort, VETTING_SORTS["name"]))


@dataclass(frozen=True)
class NetworkShare:
    """How many of one network's connections were met before, after, or never."""

    network: str
    label: str
    total: int
    counts: dict[str, int]

    def share(self, status: str) -> float:
        return self.counts.get(status, 0) / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "label": self.label,
            "total": self.total,
            "counts": self.counts,
            "shares": {s: round(self.share(s), 4) for s in Status.ALL},
        }


def vetting_summary(*, workspace: Workspace, now: dt.datetime | None = None) -> list[NetworkShare]:
    """Per network: the connections met before connecting, after, with no date, and never."""
    rows = (
        vetted_connections(workspace=workspace, now=now)
        .order_by()
        .values("network", "status")  # type: ignore[misc]  # status is an annotation
        .annotate(n=Count("id"))
    )
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["network"], dict.fromkeys(Status.ALL, 0))[row["status"]] = row["n"]
    return [
        NetworkShare(
            network=network,
            label=Network(network).label,
            total=sum(by_status.values()),
            counts=by_status,
        )
        for network, by_status in sorted(counts.items())
    ]


def vetting_trend(
    *, workspace: Workspace, network: str = "", now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """By year connected: how many connections were met before, after, never. Is my network
    getting less real?"""
    rows = (
        vetted_connections(workspace=workspace, network=network, now=now)
        .filter(connected_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("connected_on"))
        .values("year", "status")
        .annotate(n=Count("id"))
    )
    years: dict[int, dict[str, int]] = {}
    for row in rows:
        years.setdefault(row["year"], dict.fromkeys(Status.ALL, 0))[row["status"]] = row["n"]
    trend = []
    for year, by_status in sorted(years.items()):
        total = sum(by_status.values())
        met = by_status[Status.MET_BEFORE] + by_status[Status.MET_AFTER]
        trend.append(
            {"year": year, "total": total, **by_status, "met_share": round(met / total, 4)}
        )
    return trend


CSV_HEADER = (
    "name",
    "organization",
    "title",
    "network",
    "connected_on",
    "status",
    "first_met",
    "touches",
)


def vetting_csv(connections: Iterable[Connection]) -> Iterator[str]:
    """CSV lines (header first) for a list of vetted connections."""

    def rows() -> Iterator[Iterable[object]]:
        yield CSV_HEADER
        for connection in connections:
            first_met = getattr(connection, "first_met", None)
            yield [
                connection.person.display_name,
                connection.person.organization,
                connection.person.title,
                connection.network,
                connection.connected_on.isoformat() if connection.connected_on else "",
                getattr(connection, "status", ""),
                timezone.localdate(first_met).isoformat() if first_met else "",
                connection.person.touch_count,
            ]

    return csv_lines(rows())


@transaction.atomic
def connection_vouch(
    *,
    connection: Connection,
    day: dt.date,
    where: str = "",
    note: str = "",
    channel: str = Channel.IN_PERSON,
    actor: User | None = None,
) -> Touch:
    """The user remembers meeting them ("met at a dinner in 2014"): that touch is logged."""
    return touch_log(
        workspace=connection.workspace,
        people=[connection.person],
        channel=channel,
        when=day,
        where=where,
        note=note or "Vouched for by hand",
        actor=actor,
    )


# ----- screening a connection request -------------------------------------------------------

VERDICT_MET = "met"
VERDICT_PROBABLY = "probably_met"
VERDICT_NEVER = "never_met"
CANDIDATE_CAP = 300
VERDICT_TITLES = {
    VERDICT_MET: "You have met",
    VERDICT_PROBABLY: "You have probably met",
    VERDICT_NEVER: "You have never met",
}


@dataclass(frozen=True)
class ScreenCandidate:
    person: Person
    score: float
    evidence: tuple[str, ...]
    met: Touch | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person.pk,
            "name": self.person.display_name,
            "organization": self.person.organization,
            "score": round(self.score, 4),
            "evidence": list(self.evidence),
            "met": _touch_dict(self.met),
        }


@dataclass(frozen=True)
class ScreenAnswer:
    """The screener's answer: met (with the touch), probably met (candidates of whom one at
    least was met), or never met, which is "known online, never met" when the request is
    someone in the ledger (``person``) or could be (``candidates``)."""

    verdict: str
    advice: str
    accept: bool | None
    person: Person | None = None
    touch: Touch | None = None
    candidates: tuple[ScreenCandidate, ...] = field(default_factory=tuple)

    @property
    def known_online(self) -> bool:
        """Never met, though the ledger knows them (or people they could be)."""
        return self.verdict == VERDICT_NEVER and bool(self.person or self.candidates)

    @property
    def title(self) -> str:
        """The verdict in words."""
        if self.known_online:
            return "Known online, never met"
        return VERDICT_TITLES[self.verdict]

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "known_online": self.known_online,
            "title": self.title,
            "advice": self.advice,
            "accept": self.accept,
            "person": (
                {
                    "id": self.person.pk,
                    "name": self.person.display_name,
                    "organization": self.person.organization,
                }
                if self.person
                else None
            ),
            "touch": _touch_dict(self.touch),
            "candidates": [c.as_dict() for c in self.candidates],
        }


def _touch_dict(touch: Touch | None) -> dict[str, Any] | None:
    if touch is None:
        return None
    return {
        "id": touch.pk,
        "channel": touch.channel,
        "when": touch.occurred_at.isoformat(),
        "date": timezone.localdate(touch.occurred_at).isoformat(),
        "where": touch.where,
        "event": touch.event.name if touch.event else "",
        "note": touch.note,
    }


def _profile_identity(url: str) -> tuple[str, str] | None:
    """The identity a profile URL or handle names: LinkedIn, X, Facebook, or an e-mail."""
    text = url.strip()
    if not text:
        return None
    lowered = text.lower()
    if "@" in text and "." in text.split("@")[-1] and not lowered.startswith("http"):
        kinds = ["email"]
    elif "linkedin.com" in lowered:
        kinds = ["linkedin"]
    elif "facebook.com" in lowered:
        kinds = ["facebook"]
    elif "x.com" in lowered or "twitter.com" in lowered or text.startswith("@"):
        kinds = ["x"]
    else:
        kinds = ["linkedin", "x"]
    for kind in kinds:
        try:
            return kind, normalize_identity(kind, text)
        except InvalidIdentity:
            continue
    return None


def _first_contact(person: Person, *, high_touch_only: bool, now: dt.datetime) -> Touch | None:
    touches = person.touches.select_related("event").filter(occurred_at__lte=now)
    if high_touch_only:
        touches = touches.filter(channel__in=_high_touch())
    return touches.order_by("-occurred_at").first()


def _advice(workspace: Workspace, verdict: str, touch: Touch | None) -> tuple[str, bool | None]:
    policy = workspace.screen_policy
    if policy == Workspace.ScreenPolicy.ANYONE:
        return "Your policy accepts anyone.", True
    if verdict == VERDICT_MET:
        return "Accept: you have met.", True
    if verdict == VERDICT_PROBABLY:
        return "Check the candidates: accept if one of them is who you met.", None
    if policy == Workspace.ScreenPolicy.ANY_TOUCH and touch is not None:
        return "Accept: you have been in touch, though never in person or by phone.", True
    return (
        "Decline, or meet first: your policy accepts only people you have met "
        "in person or by phone.",
        False,
    )


def screen_request(
    *,
    workspace: Workspace,
    name: str = "",
    organization: str = "",
    url: str = "",
    now: dt.datetime | None = None,
) -> ScreenAnswer:
    """Have I met the person behind this connection request?

    A profile URL or handle that belongs to someone in the ledger answers exactly; otherwise the
    name and organization are matched against the people whose names share a word with it.
    """
    moment = now or timezone.now()
    identity = _profile_identity(url)
    if identity is not None:
        owner = (
            Identity.objects.select_related("person")
            .filter(workspace=workspace, kind=identity[0], value=identity[1])
            .first()
        )
        if owner is not None:
            return _answer_for(workspace, owner.person, moment)
    found = people_like(
        workspace=workspace, name=name, organization=organization, candidates=CANDIDATE_CAP
    )
    if not found:
        advice, accept = _advice(workspace, VERDICT_NEVER, None)
        return ScreenAnswer(verdict=VERDICT_NEVER, advice=advice, accept=accept)
    candidates = tuple(
        ScreenCandidate(
            person=like.person,
            score=like.score,
            evidence=like.evidence,
            met=_first_contact(like.person, high_touch_only=True, now=moment),
        )
        for like in found
    )
    best = found[0]
    if best.decision == "merge" and (len(found) == 1 or found[1].score < best.score):
        return _answer_for(workspace, candidates[0].person, moment, candidates=candidates)
    if not any(candidate.met for candidate in candidates):
        # Whichever of them it is, you have never met them: known online at most, which is
        # the reason to be wary, not a "probably met".
        advice, accept = _advice(workspace, VERDICT_NEVER, None)
        return ScreenAnswer(
            verdict=VERDICT_NEVER, advice=advice, accept=accept, candidates=candidates
        )
    advice, accept = _advice(workspace, VERDICT_PROBABLY, None)
    return ScreenAnswer(
        verdict=VERDICT_PROBABLY, advice=advice, accept=accept, candidates=candidates
    )


def _answer_for(
    workspace: Workspace,
    person: Person,
    now: dt.datetime,
    candidates: Sequence[ScreenCandidate] = (),
) -> ScreenAnswer:
    met = _first_contact(person, high_touch_only=True, now=now)
    if met is not None:
        advice, accept = _advice(workspace, VERDICT_MET, met)
        return ScreenAnswer(
            verdict=VERDICT_MET,
            advice=advice,
            accept=accept,
            person=person,
            touch=met,
            candidates=tuple(candidates),
        )
    other = _first_contact(person, high_touch_only=False, now=now)
    advice, accept = _advice(workspace, VERDICT_NEVER, other)
    return ScreenAnswer(
        verdict=VERDICT_NEVER,
        advice=advice,
        accept=accept,
        person=person,
        touch=other,
        candidates=tuple(candidates),
    )
