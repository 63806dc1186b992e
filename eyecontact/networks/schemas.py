"""What the API reads and writes about connections on social networks."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from eyecontact.people.choices import Channel

from .models import ConnectionKind, Network

__all__ = [
    "ConnectionIn",
    "ConnectionOut",
    "ConnectionPatch",
    "NetworkShareOut",
    "ScreenAnswerOut",
    "ScreenCandidateOut",
    "ScreenPersonOut",
    "ScreenTouchOut",
    "VettedConnectionOut",
    "VettingCounts",
    "VettingOut",
    "VettingShares",
    "VettingSort",
    "VettingStatus",
    "VettingYearOut",
    "VouchIn",
]


class ConnectionOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.display_name")
    network: Network
    kind: ConnectionKind
    connected_on: dt.date | None
    removed_on: dt.date | None
    source: str
    created_at: dt.datetime


class ConnectionIn(Schema):
    person_id: int
    network: Network
    kind: ConnectionKind
    connected_on: dt.date | None = None


class ConnectionPatch(Schema):
    """Only the dates change; a different network or kind is a different connection."""

    connected_on: dt.date | None = None
    removed_on: dt.date | None = None


# Vetting ------------------------------------------------------------------------------------

VettingStatus = Literal["met_before", "met_after", "met_date_unknown", "never"]
# The never-met list's sorts (VETTING_SORTS), spelled out for the schema and mypy.
VettingSort = Literal["name", "organization", "-connected", "connected", "-ties"]


class VettingCounts(Schema):
    met_before: int
    met_after: int
    met_date_unknown: int
    never: int


class VettingShares(Schema):
    met_before: float
    met_after: float
    met_date_unknown: float
    never: float


class NetworkShareOut(Schema):
    """How many of one network's connections were met before connecting, after, or never."""

    network: Network
    label: str
    total: int
    counts: VettingCounts
    shares: VettingShares = Field(..., description="Each count as a share of the total, 0 to 1")


class VettingYearOut(VettingCounts):
    """The connections made in one year, by whether they were met."""

    year: int
    total: int
    met_share: float = Field(..., description="Met before or after connecting, 0 to 1")


class VettingOut(Schema):
    summary: list[NetworkShareOut]
    trend: list[VettingYearOut] = Field(..., description="By year connected, oldest first")


class VettedConnectionOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.display_name")
    organization: str = Field(..., alias="person.organization")
    title: str = Field(..., alias="person.title")
    network: Network
    kind: ConnectionKind
    connected_on: dt.date | None
    status: VettingStatus
    first_met: dt.datetime | None = Field(
        ..., description="The first in-person meeting or phone call, if any"
    )
    touch_count: int = Field(..., alias="person.touch_count")


class VouchIn(Schema):
    """A meeting the user remembers: it is logged as a touch with the connection's person."""

    day: dt.date
    channel: Channel = Channel.IN_PERSON
    where: str = ""
    note: str = ""


# Screening a connection request -------------------------------------------------------------


class ScreenPersonOut(Schema):
    id: int
    name: str
    organization: str


class ScreenTouchOut(Schema):
    id: int
    channel: Channel
    when: dt.datetime
    date: dt.date
    where: str
    event: str
    note: str


class ScreenCandidateOut(Schema):
    person_id: int
    name: str
    organization: str
    score: float
    evidence: list[str]
    met: ScreenTouchOut | None = Field(..., description="Their latest in-person or phone touch")


class ScreenAnswerOut(Schema):
    verdict: Literal["met", "probably_met", "never_met"]
    advice: str
    accept: bool | None = Field(..., description="Your policy's advice; null: look first")
    person: ScreenPersonOut | None
    touch: ScreenTouchOut | None
    candidates: list[ScreenCandidateOut]
