"""Connections on social networks: added, redated and removed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import ConnectionKind, Network, Source
from ..models import Connection, Person

# The kinds of link each network has.
NETWORK_KINDS = {
    Network.LINKEDIN: {ConnectionKind.CONNECTION},
    Network.FACEBOOK: {ConnectionKind.FRIEND},
    Network.X: {ConnectionKind.FOLLOWER, ConnectionKind.FOLLOWING},
    Network.OTHER: set(ConnectionKind),
}


def _check(network: str, kind: str) -> None:
    if network not in Network.values:
        raise ValidationError(
            {"network": f"Unknown network {network!r}; use one of: {', '.join(Network.values)}."}
        )
    if kind not in ConnectionKind.values:
        raise ValidationError({"kind": f"Unknown connection kind {kind!r}."})
    if kind not in NETWORK_KINDS[Network(network)]:
        allowed = ", ".join(sorted(NETWORK_KINDS[Network(network)]))
        raise ValidationError({"kind": f"{Network(network).label} has no {kind!r}; use {allowed}."})


@transaction.atomic
def connection_add(
    *,
    person: Person,
    network: str,
    kind: str,
    connected_on: dt.date | None = None,
    source: str = Source.MANUAL,
    source_key: str = "",
    source_batch_id: int | None = None,
) -> Connection:
    """Records that the user and ``person`` are linked on ``network``; updates the date if known."""
    _check(network, kind)
    connection = Connection.objects.filter(person=person, network=network, kind=kind).first()
    if connection is not None:
        if connected_on and connection.connected_on != connected_on:
            connection.connected_on = connected_on
            connection.save(update_fields=["connected_on"])
        return connection
    connection = Connection(
        workspace_id=person.workspace_id,
        person=person,
        network=network,
        kind=kind,
        connected_on=connected_on,
        source=source,
        source_key=source_key,
        source_batch_id=source_batch_id,
    )
    connection.full_clean()
    connection.save()
    return connection


@transaction.atomic
def connection_update(
    *, connection: Connection, connected_on: dt.date | None, removed_on: dt.date | None = None
) -> Connection:
    connection.connected_on = connected_on
    connection.removed_on = removed_on
    connection.full_clean()
    connection.save(update_fields=["connected_on", "removed_on"])
    return connection


def connection_delete(*, connection: Connection) -> None:
    connection.delete()
