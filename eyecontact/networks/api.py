"""Connections on social networks under ``/api/workspaces/{workspace}/connections``."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from eyecontact.accounts.auth import workspace_of
from eyecontact.common.api import Pages
from eyecontact.people.choices import Source
from eyecontact.people.selectors import person_get

from .models import Connection, Network
from .schemas import ConnectionIn, ConnectionOut, ConnectionPatch
from .selectors import connection_get, connections_list
from .services import connection_add, connection_delete, connection_update

__all__ = ["PERSON_NOT_HERE", "router"]

router = Router(tags=["connections"])

PERSON_NOT_HERE = "No person with id {id} in this workspace."


@router.get("/{workspace}/connections", response=list[ConnectionOut])
@paginate(Pages)
def connections(
    request: HttpRequest,
    workspace: str,
    network: Network | None = None,
    person: int | None = None,
) -> QuerySet[Connection]:
    """Connections, newest first; ``network`` and ``person`` narrow them down."""
    return connections_list(
        workspace=workspace_of(request, workspace), network=network or "", person_id=person
    )


@router.post("/{workspace}/connections", response={201: ConnectionOut})
def connection_new(
    request: HttpRequest, workspace: str, payload: ConnectionIn
) -> Status[Connection]:
    """Records a connection; one that exists already only gets the new date."""
    space = workspace_of(request, workspace)
    try:
        person = person_get(workspace=space, pk=payload.person_id)
    except Http404 as exc:
        raise ValidationError({"person_id": PERSON_NOT_HERE.format(id=payload.person_id)}) from exc
    connection = connection_add(
        person=person,
        network=payload.network,
        kind=payload.kind,
        connected_on=payload.connected_on,
        source=Source.API,
    )
    return Status(201, connection)


@router.get("/{workspace}/connections/{connection_id}", response=ConnectionOut)
def connection_detail(request: HttpRequest, workspace: str, connection_id: int) -> Connection:
    return connection_get(workspace=workspace_of(request, workspace), pk=connection_id)


@router.patch("/{workspace}/connections/{connection_id}", response=ConnectionOut)
def connection_edit(
    request: HttpRequest, workspace: str, connection_id: int, payload: ConnectionPatch
) -> Connection:
    connection = connection_get(workspace=workspace_of(request, workspace), pk=connection_id)
    changes = payload.dict(exclude_unset=True)
    return connection_update(
        connection=connection,
        connected_on=changes.get("connected_on", connection.connected_on),
        removed_on=changes.get("removed_on", connection.removed_on),
    )


@router.delete("/{workspace}/connections/{connection_id}", response={204: None})
def connection_remove(request: HttpRequest, workspace: str, connection_id: int) -> Status[None]:
    connection_delete(
        connection=connection_get(workspace=workspace_of(request, workspace), pk=connection_id)
    )
    return Status(204, None)
