"""Events under ``/api/workspaces/{workspace}/events``."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.common.api import Pages
from eyecontact.events.models import Event
from eyecontact.events.schemas import EventDetailOut, EventIn, EventOut, EventPatch
from eyecontact.events.selectors import event_get, events_list
from eyecontact.events.services import event_create, event_delete, event_update

__all__ = ["router"]

router = Router(tags=["events"])


@router.get("/{workspace}/events", response=list[EventOut])
@paginate(Pages)
def events(request: HttpRequest, workspace: str, q: str = "") -> QuerySet[Event]:
    """Events, latest first; ``q`` searches their names."""
    return events_list(workspace=workspace_of(request, workspace), query=q)


@router.post("/{workspace}/events", response={201: EventOut})
def event_new(request: HttpRequest, workspace: str, payload: EventIn) -> Status[Event]:
    event = event_create(
        workspace=workspace_of(request, workspace), actor=caller(request), **payload.dict()
    )
    return Status(201, event)


@router.get("/{workspace}/events/{event_id}", response=EventDetailOut)
def event_detail(request: HttpRequest, workspace: str, event_id: int) -> Event:
    """An event with everyone met there."""
    return event_get(workspace=workspace_of(request, workspace), pk=event_id)


@router.patch("/{workspace}/events/{event_id}", response=EventOut)
def event_edit(request: HttpRequest, workspace: str, event_id: int, payload: EventPatch) -> Event:
    event = event_get(workspace=workspace_of(request, workspace), pk=event_id)
    return event_update(event=event, actor=caller(request), **payload.dict(exclude_unset=True))


@router.delete("/{workspace}/events/{event_id}", response={204: None})
def event_remove(request: HttpRequest, workspace: str, event_id: int) -> Status[None]:
    """Deletes the event; its touches stay, without it."""
    event = event_get(workspace=workspace_of(request, workspace), pk=event_id)
    event_delete(event=event, actor=caller(request))
    return Status(204, None)
