"""What the API reads and writes about connections on social networks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from eyecontact.people.choices import Channel, ConnectionKind, Network

from .models import FollowChangeKind, FollowListKind
from .snapshots import X_PROFILE

__all__ = [
    "ChurnCsvList",
    "ChurnDayOut",
    "ChurnSummaryOut",
    "ChurnerOut",
    "FollowChangeOut",
    "FollowSnapshotOut",
    "NetworkShareOut",
    "OneWayAccountOut",
    "OneWayDirection",
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
    known_online: bool = Field(
        ..., description="Never met, though in the ledger (or like people who are)"
    )
    title: str = Field(..., description="The verdict in words")
    advice: str
    accept: bool | None = Field(..., description="Your policy's advice; null: look first")
    person: ScreenPersonOut | None
    touch: ScreenTouchOut | None
    candidates: list[ScreenCandidateOut]


# Follow churn on X --------------------------------------------------------------------------

ChurnCsvList = Literal["churners", "changes", "they_follow_only", "you_follow_only"]
OneWayDirection = Literal["they_follow_only", "you_follow_only"]


class ChurnDayOut(Schema):
    """One snapshot date: the list sizes known on it and the steps first seen on it."""

    date: dt.date
    followers: int | None
    following: int | None
    follower_gained: int
    follower_lost: int
    followed_back: int
    you_followed: int
    you_unfollowed: int
    churned: int


class ChurnSummaryOut(Schema):
    """Follow churn at a glance, as of the latest lists; all zero before any list is kept."""

    computed_at: dt.datetime | None
    follower_snapshots: int
    following_snapshots: int
    changes: int
    churners: int
    one_way_known: bool = Field(..., description="Both a follower and a following list known")
    they_follow_only_count: int
    you_follow_only_count: int
    timeline: list[ChurnDayOut] = Field(..., description="One entry per snapshot date")


class FollowSnapshotOut(Schema):
    id: int
    kind: FollowListKind
    taken_on: dt.date
    count: int
    source_batch_id: int | None
    created_at: dt.datetime


class _XAccount(Schema):
    account_id: str
    profile_url: str
    person_id: int | None = Field(..., description="The person with this X account, if any")
    person_name: str | None

    @staticmethod
    def resolve_profile_url(row: Any) -> str:
        return X_PROFILE.format(account_id=row.account_id)


class FollowChangeOut(_XAccount):
    """One step an account made: it happened after ``after_date`` and by ``by_date``."""

    id: int
    kind: FollowChangeKind
    after_date: dt.date
    by_date: dt.date


class ChurnerOut(_XAccount):
    """Followed you, was followed back, then unfollowed while you still followed it."""

    id: int
    followed_after: dt.date | None
    followed_by: dt.date
    followed_back_after: dt.date
    followed_back_by: dt.date
    unfollowed_after: dt.date
    unfollowed_by: dt.date
    came_back_by: dt.date | None


class OneWayAccountOut(_XAccount):
    """An account in a one-way follow."""
