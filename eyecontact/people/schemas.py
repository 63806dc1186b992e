"""What the API reads and writes about people, their identities and touches.

``when`` on a touch is text: ``2026-01-08`` (a day: a date-only touch), ``2026-01-08T10:00``
(read in the server's timezone) or a full ISO 8601 moment with its offset.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .choices import Channel, ConnectionKind, IdentityKind, Network
from .models import Touch

__all__ = [
    "ConnectionIn",
    "ConnectionOut",
    "ConnectionPatch",
    "IdentityIn",
    "IdentityOut",
    "IdentityPatch",
    "NewPersonIdentity",
    "PersonDetailOut",
    "PersonIn",
    "PersonOut",
    "PersonPatch",
    "PersonRef",
    "TouchIn",
    "TouchOut",
    "TouchPatch",
]

WHEN_HELP = "2026-01-08 (a day), 2026-01-08T10:00 (server time) or ISO 8601 with an offset"


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


class IdentityOut(Schema):
    id: int
    person_id: int
    kind: IdentityKind
    value: str
    label: str
    source: str


class IdentityIn(Schema):
    kind: IdentityKind
    value: str
    label: str = ""


class NewPersonIdentity(Schema):
    kind: IdentityKind
    value: str


class IdentityPatch(Schema):
    value: str = ""
    label: str = ""


class PersonRef(Schema):
    id: int
    display_name: str


class PersonOut(Schema):
    id: int
    display_name: str
    given_name: str
    family_name: str
    organization: str
    title: str
    city: str
    notes: str
    cadence_days: int | None
    archived_at: dt.datetime | None
    source: str
    identities: list[IdentityOut]
    touch_count: int
    last_touch_at: dt.datetime | None
    last_in_person_at: dt.datetime | None
    last_high_touch_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class PersonIn(Schema):
    display_name: str
    given_name: str = ""
    family_name: str = ""
    organization: str = ""
    title: str = ""
    city: str = ""
    notes: str = ""
    cadence_days: int | None = Field(None, ge=1)
    identities: list[NewPersonIdentity] = []


class PersonPatch(Schema):
    display_name: str = ""
    given_name: str = ""
    family_name: str = ""
    organization: str = ""
    title: str = ""
    city: str = ""
    notes: str = ""
    cadence_days: int | None = Field(None, ge=1)


class TouchOut(Schema):
    id: int
    channel: Channel
    occurred_at: dt.datetime
    has_time: bool
    when: str = Field(..., description="The day alone for a date-only touch, else the moment")
    where: str
    event_id: int | None
    note: str
    people: list[PersonRef]
    source: str
    created_at: dt.datetime

    @staticmethod
    def resolve_when(touch: Touch) -> str:
        if touch.has_time:
            return touch.occurred_at.isoformat()
        return touch.occurred_at.date().isoformat()


class PersonDetailOut(PersonOut):
    connections: list[ConnectionOut]
    recent_touches: list[TouchOut]


class TouchIn(Schema):
    people: list[int] = Field(..., min_length=1, description="Ids of people in this workspace")
    channel: Channel
    when: str | None = Field(None, description=f"Now if left out; {WHEN_HELP}")
    where: str = ""
    event: int | None = Field(None, description="Id of an event in this workspace")
    note: str = ""


class TouchPatch(Schema):
    people: list[int] = Field([], min_length=1)
    channel: Channel = Channel.IN_PERSON
    when: str = Field("", description=WHEN_HELP)
    where: str = ""
    event: int | None = None
    note: str = ""
