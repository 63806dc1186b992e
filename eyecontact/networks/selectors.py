"""Reading connections within one workspace."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Connection

__all__ = ["connection_get", "connections_list"]


def connections_list(
    *, workspace: Workspace, network: str = "", person_id: int | None = None
) -> QuerySet[Connection]:
    connections = Connection.objects.filter(workspace=workspace).select_related("person")
    if network:
        connections = connections.filter(network=network)
    if person_id is not None:
        connections = connections.filter(person_id=person_id)
    return connections.order_by("-connected_on", "id")


def connection_get(*, workspace: Workspace, pk: int) -> Connection:
    return get_object_or_404(Connection.objects.filter(workspace=workspace), pk=pk)
