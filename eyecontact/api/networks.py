"""Connections on social networks, vetting them, and follow churn on X, under
``/api/workspaces/{workspace}/``.

Vetting answers "of the people I am connected to online, whom have I actually met?" from the
touches (see :mod:`eyecontact.networks.vetting`); the screener answers it for a connection
request before it is accepted. Churn is read from the results stored when follower and
following lists are recorded (see :mod:`eyecontact.networks.snapshots`), never recomputed here.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params import functions as param

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.accounts.models import Workspace
from eyecontact.common.api import Pages
from eyecontact.common.csv import csv_lines
from eyecontact.networks.models import Churner, FollowChange, FollowChangeKind, FollowSnapshot
from eyecontact.networks.schemas import (
    ChurnCsvList,
    ChurnerOut,
    ChurnSummaryOut,
    FollowChangeOut,
    FollowSnapshotOut,
    OneWayAccountOut,
    OneWayDirection,
    ScreenAnswerOut,
    VettedConnectionOut,
    VettingOut,
    VettingSort,
    VettingStatus,
    VouchIn,
)
from eyecontact.networks.snapshots import (
    OneWayList,
    churn_csv_rows,
    churn_summary,
    churners,
    follow_changes,
    one_way,
    snapshots_list,
)
from eyecontact.networks.vetting import (
    connection_vouch,
    screen_request,
    vetted_connections,
    vetting_csv,
    vetting_summary,
    vetting_trend,
)
from eyecontact.people.choices import Network, Source
from eyecontact.people.models import Connection, Touch
from eyecontact.people.schemas import ConnectionIn, ConnectionOut, ConnectionPatch, TouchOut
from eyecontact.people.selectors import connection_get, connections_list, person_get, touches_list
from eyecontact.people.services import connection_add, connection_delete, connection_update

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


# Vetting ------------------------------------------------------------------------------------

YEAR = param.Query(None, ge=1900, le=2200, description="Only connections made in this year")


def _vetted(
    space: Workspace,
    network: Network | None,
    status: VettingStatus | None,
    organization: str,
    year: int | None,
    sort: VettingSort,
) -> QuerySet[Connection]:
    return vetted_connections(
        workspace=space,
        network=network or "",
        status=status or "",
        organization=organization,
        year=year,
        sort=sort,
    )


@router.get(
    "/{workspace}/vetting",
    response=VettingOut,
    tags=["vetting"],
    summary="Whom of my connections have I met, per network and by year connected",
)
def vetting(request: HttpRequest, workspace: str, network: Network | None = None) -> dict[str, Any]:
    """Per network, the connections met before connecting, after, with no date, and never;
    and by year connected (``network`` narrows the trend to one network)."""
    space = workspace_of(request, workspace)
    return {
        "summary": [share.as_dict() for share in vetting_summary(workspace=space)],
        "trend": vetting_trend(workspace=space, network=network or ""),
    }


@router.get(
    "/{workspace}/vetting/connections",
    response=list[VettedConnectionOut],
    tags=["vetting"],
    summary="Connections with whether and when I met them",
)
@paginate(Pages)
def vetting_connections(
    request: HttpRequest,
    workspace: str,
    network: Network | None = None,
    status: VettingStatus | None = None,
    organization: str = "",
    year: int | None = YEAR,
    sort: VettingSort = "name",
) -> QuerySet[Connection]:
    """``status=never`` lists the connections never met in person or by phone."""
    space = workspace_of(request, workspace)
    return _vetted(space, network, status, organization, year, sort)


@router.get(
    "/{workspace}/vetting/connections.csv",
    tags=["vetting"],
    summary="The same list as a CSV file",
    openapi_extra={
        "responses": {
            200: {"description": "CSV, header first", "content": {"text/csv": {}}},
        }
    },
)
def vetting_connections_csv(
    request: HttpRequest,
    workspace: str,
    network: Network | None = None,
    status: VettingStatus | None = None,
    organization: str = "",
    year: int | None = YEAR,
    sort: VettingSort = "name",
) -> StreamingHttpResponse:
    """Name, organization, title, network, connected on, status, first met and touches."""
    space = workspace_of(request, workspace)
    connections = _vetted(space, network, status, organization, year, sort)
    response = StreamingHttpResponse(
        vetting_csv(connections.iterator(chunk_size=2000)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="vetting.csv"'
    return response


@router.post(
    "/{workspace}/connections/{connection_id}/vouch",
    response={201: TouchOut},
    tags=["vetting"],
    summary="Vouch for a connection: I met them, on this day",
)
def connection_vouch_new(
    request: HttpRequest, workspace: str, connection_id: int, payload: VouchIn
) -> Status[Touch]:
    """Logs the meeting the user remembers as a touch with the connection's person."""
    space = workspace_of(request, workspace)
    touch = connection_vouch(
        connection=connection_get(workspace=space, pk=connection_id),
        day=payload.day,
        channel=payload.channel,
        where=payload.where,
        note=payload.note,
        actor=caller(request),
    )
    return Status(201, touches_list(workspace=space).get(pk=touch.pk))


@router.get(
    "/{workspace}/screen",
    response=ScreenAnswerOut,
    tags=["vetting"],
    summary="Screen a connection request: have I met this person?",
)
def screen(
    request: HttpRequest,
    workspace: str,
    name: str = param.Query("", max_length=200),
    organization: str = param.Query("", max_length=200),
    url: str = param.Query("", max_length=500, description="A profile URL, handle or e-mail"),
) -> dict[str, Any]:
    """A profile URL or handle known in the ledger answers exactly; otherwise the name and
    organization are matched. The advice follows the workspace's screening policy."""
    answer = screen_request(
        workspace=workspace_of(request, workspace), name=name, organization=organization, url=url
    )
    return answer.as_dict()


# Follow churn on X --------------------------------------------------------------------------

# What the churn summary reads before any follower or following list is kept.
NO_CHURN: dict[str, Any] = {
    "computed_at": None,
    "follower_snapshots": 0,
    "following_snapshots": 0,
    "changes": 0,
    "churners": 0,
    "one_way_known": False,
    "they_follow_only_count": 0,
    "you_follow_only_count": 0,
    "timeline": [],
}


@router.get(
    "/{workspace}/churn",
    response=ChurnSummaryOut,
    tags=["churn"],
    summary="Follow churn on X at a glance: counts and a timeline by snapshot date",
)
def churn(request: HttpRequest, workspace: str) -> Any:
    """Read from the results stored when the lists were recorded, never recomputed here."""
    return churn_summary(workspace=workspace_of(request, workspace)) or NO_CHURN


@router.get(
    "/{workspace}/churn/snapshots",
    response=list[FollowSnapshotOut],
    tags=["churn"],
    summary="The follower and following lists kept, newest first",
)
@paginate(Pages)
def churn_snapshots(request: HttpRequest, workspace: str) -> QuerySet[FollowSnapshot]:
    return snapshots_list(workspace=workspace_of(request, workspace))


@router.get(
    "/{workspace}/churn/churners",
    response=list[ChurnerOut],
    tags=["churn"],
    summary="Accounts that followed, were followed back, then unfollowed",
)
@paginate(Pages)
def churn_churners(
    request: HttpRequest, workspace: str, came_back: bool | None = None
) -> QuerySet[Churner]:
    """Latest first, one row per time; ``came_back`` keeps those who followed again, or not."""
    return churners(workspace=workspace_of(request, workspace), came_back=came_back)


@router.get(
    "/{workspace}/churn/changes",
    response=list[FollowChangeOut],
    tags=["churn"],
    summary="Follows gained and lost between the lists, latest first",
)
@paginate(Pages)
def churn_changes(
    request: HttpRequest, workspace: str, kind: FollowChangeKind | None = None
) -> QuerySet[FollowChange]:
    return follow_changes(workspace=workspace_of(request, workspace), kind=kind or "")


@router.get(
    "/{workspace}/churn/one-way",
    response=list[OneWayAccountOut],
    tags=["churn"],
    summary="One-way follows: who follows me that I do not follow, or the reverse",
)
@paginate(Pages)
def churn_one_way(
    request: HttpRequest, workspace: str, direction: OneWayDirection = "they_follow_only"
) -> OneWayList:
    """As of the latest lists, by account id; empty until both kinds of list are kept."""
    return one_way(workspace=workspace_of(request, workspace), direction=direction)


CSV_LIST = param.Query("churners", alias="list", description="Which list to download")


@router.get(
    "/{workspace}/churn.csv",
    tags=["churn"],
    summary="Churners, follow changes or one-way follows as a CSV file",
    openapi_extra={
        "responses": {
            200: {"description": "CSV, header first", "content": {"text/csv": {}}},
        }
    },
)
def churn_csv(
    request: HttpRequest,
    workspace: str,
    name: ChurnCsvList = CSV_LIST,
    kind: FollowChangeKind | None = None,
) -> StreamingHttpResponse:
    """``list`` picks which; ``kind`` narrows the follow changes."""
    rows = churn_csv_rows(workspace=workspace_of(request, workspace), name=name, kind=kind or "")
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="x-{name.replace("_", "-")}.csv"'
    return response
