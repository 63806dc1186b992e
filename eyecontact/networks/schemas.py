"""What the API reads and writes about connections on social networks."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .models import ConnectionKind, Network

__all__ = ["ConnectionIn", "ConnectionOut", "ConnectionPatch"]


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
