"""People, their identities and touches, under ``/api/workspaces/{workspace}/``.

Each operation resolves the workspace from the path (404 unless the caller is a member), reads
through a selector scoped to it, and writes through a service. Ids of another workspace answer
404 in the path and 422 in a body.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.accounts.models import Workspace
from eyecontact.common.api import Pages, renamed_fields
from eyecontact.common.dates import InvalidWhen, parse_when
from eyecontact.events.models import Event
from eyecontact.events.selectors import event_get
from eyecontact.people.choices import Channel, Source
from eyecontact.people.models import Identity, Person, Touch
from eyecontact.people.schemas import (
    IdentityIn,
    IdentityOut,
    IdentityPatch,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    TouchIn,
    TouchOut,
    TouchPatch,
)
from eyecontact.people.selectors import (
    identity_get,
    people_by_ids,
    people_list,
    person_get,
    person_timeline,
    touch_get,
    touches_list,
    with_identities,
)
from eyecontact.people.services import (
    identity_add,
    identity_remove,
    identity_update,
    person_create,
    person_delete,
    person_update,
    touch_delete,
    touch_log,
    touch_update,
)

__all__ = ["EVENT_NOT_HERE", "PEOPLE_NOT_HERE", "RECENT_TOUCHES", "PeopleSort", "router"]

router = Router()

PEOPLE_NOT_HERE = "No person with id {ids} in this workspace."
EVENT_NOT_HERE = "No event with id {id} in this workspace."
# How many of a person's touches their detail shows; the rest are one call away.
RECENT_TOUCHES = 20

# The selector's sorts (PEOPLE_SORTS), spelled out so the schema and mypy both know them.
PeopleSort = Literal[
    "name", "-name", "last_touch", "-last_touch", "last_met", "-last_met", "touches", "-touches"
]
Met = Literal["", "in_person", "never"]


def _person(workspace: Workspace, person_id: int) -> Person:
    return person_get(workspace=workspace, pk=person_id)


def _touch_out(workspace: Workspace, touch: Touch) -> Touch:
    """The touch as lists show it, with its people fetched in one go."""
    return touches_list(workspace=workspace).get(pk=touch.pk)


def _people(workspace: Workspace, ids: list[int]) -> list[Person]:
    people = people_by_ids(workspace=workspace, ids=ids)
    missing = sorted(set(ids) - {person.pk for person in people})
    if missing:
        raise ValidationError({"people": PEOPLE_NOT_HERE.format(ids=missing)})
    return people


def _event(workspace: Workspace, event_id: int | None) -> Event | None:
    if event_id is None:
        return None
    try:
        return event_get(workspace=workspace, pk=event_id)
    except Http404 as exc:
        raise ValidationError({"event": EVENT_NOT_HERE.format(id=event_id)}) from exc


def _when(text: str) -> dt.datetime | dt.date:
    """A moment, or the day alone for a date-only touch."""
    try:
        moment, has_time = parse_when(text)
    except InvalidWhen as exc:
        raise ValidationError({"when": str(exc)}) from exc
    return moment if has_time else moment.date()


# People ------------------------------------------------------------------------------------


@router.get("/{workspace}/people", response=list[PersonOut], tags=["people"])
@paginate(Pages)
def people(
    request: HttpRequest,
    workspace: str,
    q: str = "",
    organization: str = "",
    met: Met = "",
    sort: PeopleSort = "name",
    nameless: bool = False,
    archived: bool = False,
) -> QuerySet[Person]:
    """Search (name, organization, title, city, e-mail), filter and sort the people.

    Accounts of a follow list that nobody named ("X account 1234", "@handle") are left out
    unless ``nameless`` is true. Archived people (deleted from a phone's address book) are
    left out; ``archived=true`` lists only them.
    """
    return with_identities(
        people_list(
            workspace=workspace_of(request, workspace),
            query=q,
            organization=organization,
            met=met,
            sort=sort,
            nameless=nameless,
            archived=archived,
        )
    )


@router.post("/{workspace}/people", response={201: PersonOut}, tags=["people"])
def person_new(request: HttpRequest, workspace: str, payload: PersonIn) -> Status[Person]:
    fields = payload.dict(exclude={"identities"})
    with renamed_fields({"kind": "identities", "value": "identities"}):
        person = person_create(
            workspace=workspace_of(request, workspace),
            identities=[(identity.kind, identity.value) for identity in payload.identities],
            source=Source.API,
            actor=caller(request),
            **fields,
        )
    return Status(201, person)


@router.get("/{workspace}/people/{person_id}", response=PersonDetailOut, tags=["people"])
def person_detail(request: HttpRequest, workspace: str, person_id: int) -> dict[str, Any]:
    """A person with their identities, connections and latest touches."""
    person = _person(workspace_of(request, workspace), person_id)
    return {
        **PersonOut.from_orm(person).dict(),
        "connections": list(person.connections.order_by("network", "kind")),
        "recent_touches": list(person_timeline(person=person)[:RECENT_TOUCHES]),
    }


@router.patch("/{workspace}/people/{person_id}", response=PersonOut, tags=["people"])
def person_edit(
    request: HttpRequest, workspace: str, person_id: int, payload: PersonPatch
) -> Person:
    person = _person(workspace_of(request, workspace), person_id)
    return person_update(person=person, actor=caller(request), **payload.dict(exclude_unset=True))


@router.delete("/{workspace}/people/{person_id}", response={204: None}, tags=["people"])
def person_remove(request: HttpRequest, workspace: str, person_id: int) -> Status[None]:
    """Deletes the person, their identities and connections, and touches left with nobody."""
    person_delete(
        person=_person(workspace_of(request, workspace), person_id), actor=caller(request)
    )
    return Status(204, None)


@router.get(
    "/{workspace}/people/{person_id}/touches", response=list[TouchOut], tags=["people", "touches"]
)
@paginate(Pages)
def person_touches(request: HttpRequest, workspace: str, person_id: int) -> QuerySet[Touch]:
    """A person's touches, newest first."""
    return person_timeline(person=_person(workspace_of(request, workspace), person_id))


# Identities --------------------------------------------------------------------------------


@router.get(
    "/{workspace}/people/{person_id}/identities",
    response=list[IdentityOut],
    tags=["identities"],
)
def person_identities(request: HttpRequest, workspace: str, person_id: int) -> QuerySet[Identity]:
    return _person(workspace_of(request, workspace), person_id).identities.order_by("kind", "id")


@router.post(
    "/{workspace}/people/{person_id}/identities",
    response={201: IdentityOut},
    tags=["identities"],
)
def identity_new(
    request: HttpRequest, workspace: str, person_id: int, payload: IdentityIn
) -> Status[Identity]:
    """Adds an e-mail, phone or profile; it must not belong to someone else already."""
    person = _person(workspace_of(request, workspace), person_id)
    identity = identity_add(
        person=person,
        kind=payload.kind,
        value=payload.value,
        label=payload.label,
        source=Source.API,
    )
    return Status(201, identity)


@router.get("/{workspace}/identities/{identity_id}", response=IdentityOut, tags=["identities"])
def identity_detail(request: HttpRequest, workspace: str, identity_id: int) -> Identity:
    return identity_get(workspace=workspace_of(request, workspace), pk=identity_id)


@router.patch("/{workspace}/identities/{identity_id}", response=IdentityOut, tags=["identities"])
def identity_edit(
    request: HttpRequest, workspace: str, identity_id: int, payload: IdentityPatch
) -> Identity:
    identity = identity_get(workspace=workspace_of(request, workspace), pk=identity_id)
    return identity_update(identity=identity, **payload.dict(exclude_unset=True))


@router.delete("/{workspace}/identities/{identity_id}", response={204: None}, tags=["identities"])
def identity_delete(request: HttpRequest, workspace: str, identity_id: int) -> Status[None]:
    identity_remove(
        identity=identity_get(workspace=workspace_of(request, workspace), pk=identity_id)
    )
    return Status(204, None)


# Touches -----------------------------------------------------------------------------------


@router.get("/{workspace}/touches", response=list[TouchOut], tags=["touches"])
@paginate(Pages)
def touches(
    request: HttpRequest,
    workspace: str,
    person: int | None = None,
    event: int | None = None,
    channel: Channel | None = None,
) -> QuerySet[Touch]:
    """Touches, newest first; ``person``, ``event`` and ``channel`` narrow them down."""
    found = touches_list(workspace=workspace_of(request, workspace))
    if person is not None:
        found = found.filter(people=person)
    if event is not None:
        found = found.filter(event=event)
    if channel is not None:
        found = found.filter(channel=channel)
    return found


@router.post("/{workspace}/touches", response={201: TouchOut}, tags=["touches"])
def touch_new(request: HttpRequest, workspace: str, payload: TouchIn) -> Status[Touch]:
    """Logs a touch with people of this workspace; ``when`` defaults to now."""
    space = workspace_of(request, workspace)
    with renamed_fields({"occurred_at": "when"}):
        touch = touch_log(
            workspace=space,
            people=_people(space, payload.people),
            channel=payload.channel,
            when=None if payload.when is None else _when(payload.when),
            where=payload.where,
            event=_event(space, payload.event),
            note=payload.note,
            source=Source.API,
            actor=caller(request),
        )
    return Status(201, _touch_out(space, touch))


@router.get("/{workspace}/touches/{touch_id}", response=TouchOut, tags=["touches"])
def touch_detail(request: HttpRequest, workspace: str, touch_id: int) -> Touch:
    space = workspace_of(request, workspace)
    return _touch_out(space, touch_get(workspace=space, pk=touch_id))


@router.patch("/{workspace}/touches/{touch_id}", response=TouchOut, tags=["touches"])
def touch_edit(request: HttpRequest, workspace: str, touch_id: int, payload: TouchPatch) -> Touch:
    space = workspace_of(request, workspace)
    touch = touch_get(workspace=space, pk=touch_id)
    changes = payload.dict(exclude_unset=True)
    people = _people(space, changes.pop("people")) if "people" in changes else None
    if "when" in changes:
        changes["when"] = _when(changes["when"])
    if "event" in changes:
        changes["event"] = _event(space, changes["event"])
    with renamed_fields({"occurred_at": "when"}):
        touch_update(touch=touch, people=people, actor=caller(request), **changes)
    return _touch_out(space, touch)


@router.delete("/{workspace}/touches/{touch_id}", response={204: None}, tags=["touches"])
def touch_remove(request: HttpRequest, workspace: str, touch_id: int) -> Status[None]:
    space = workspace_of(request, workspace)
    touch_delete(touch=touch_get(workspace=space, pk=touch_id), actor=caller(request))
    return Status(204, None)
