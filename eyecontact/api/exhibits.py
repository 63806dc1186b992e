"""Exhibits and booth captures under ``/api/workspaces/{workspace}/exhibits``.

The capture endpoints are what the booth page's offline queue talks to: each capture carries
the ``client_id`` its device made, so sending it again (a retry, a queue flushed twice) answers
200 with the stored capture instead of storing it twice. ``captures/sync`` takes a whole queue
at once and answers per capture, so one bad capture never blocks the others.

A new capture is answered as soon as it is stored, with ``resolved: false``: finding or making
its person, and logging a conversation as an in-person touch, follows in the background within
moments (see :mod:`eyecontact.events.resolver`); the capture list shows the result.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.accounts.models import User
from eyecontact.accounts.selectors import members_by_email
from eyecontact.common.api import ApiName, Pages, field_errors
from eyecontact.common.locks import CAPTURE_WAIT_S, lock_wait
from eyecontact.events.attendees import attendees_import
from eyecontact.events.exhibits import (
    NOT_STAFF,
    capture_store,
    exhibit_add_cost,
    exhibit_cost_delete,
    exhibit_cost_get,
    exhibit_cost_update,
    exhibit_create,
    exhibit_report,
    exhibits_counted,
    exhibits_list,
    leads_csv,
    leads_vcard,
)
from eyecontact.events.models import Attendee, Capture, Event, Exhibit, ExhibitCost
from eyecontact.events.resolver import capture_stored
from eyecontact.events.selectors import attendees_of, event_get, exhibit_for_capture, exhibit_get

__all__ = ["router"]

router = Router(tags=["exhibits"])
MAX_SYNC = 500


class ExhibitIn(Schema):
    event_id: int
    name: str = Field(..., max_length=200)
    currency: str = Field("USD", min_length=3, max_length=3)
    staff: list[str] = Field(default_factory=list, description="E-mails of staff members")


class ExhibitOut(Schema):
    id: int
    name: str
    event_id: int
    event: str
    currency: str
    staff: list[str]
    visits: int
    conversations: int
    entrants: int

    @staticmethod
    def resolve_event(exhibit: Exhibit) -> str:
        return exhibit.event.name

    @staticmethod
    def resolve_staff(exhibit: Exhibit) -> list[str]:
        return sorted(u.email for u in exhibit.staff.all())

    @staticmethod
    def resolve_visits(exhibit: Exhibit) -> int:
        """People who came by without a conversation: entrants less conversations."""
        entrants = int(getattr(exhibit, "entrant_total", 0))
        return entrants - int(getattr(exhibit, "conversation_total", 0))

    @staticmethod
    def resolve_entrants(exhibit: Exhibit) -> int:
        return int(getattr(exhibit, "entrant_total", 0))

    @staticmethod
    def resolve_conversations(exhibit: Exhibit) -> int:
        return int(getattr(exhibit, "conversation_total", 0))


class CostIn(Schema):
    category: ExhibitCost.Category
    amount: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=200)


class CostOut(Schema):
    id: int
    category: str
    amount: Decimal
    note: str


class AttendeeOut(Schema):
    id: int
    name: str
    organization: str
    badge_id: str
    person_id: int | None


class CaptureIn(Schema):
    client_id: uuid.UUID
    kind: Annotated[Capture.Kind, ApiName("CaptureKind")]  # apart from the kinds of events
    captured_at: dt.datetime | None = None
    payload: str = Field("", max_length=8192)
    attendee_id: int | None = None
    name: str = Field("", max_length=300)
    organization: str = Field("", max_length=200)
    email: str = Field("", max_length=320)
    rating: int | None = Field(None, ge=1, le=5)
    interests: str = Field("", max_length=300)
    note: str = Field("", max_length=10_000)
    follow_up: bool = False


class CaptureOut(Schema):
    id: int
    client_id: uuid.UUID
    kind: str
    captured_at: dt.datetime
    received_at: dt.datetime
    payload_kind: str
    name: str
    organization: str
    resolved: bool = Field(
        ..., description="Matched to a person yet; a new capture is matched just after"
    )
    person_id: int | None
    person: str | None
    attendee_id: int | None
    touch_id: int | None
    rating: int | None
    follow_up: bool

    @staticmethod
    def resolve_resolved(capture: Capture) -> bool:
        return capture.resolved_at is not None

    @staticmethod
    def resolve_person(capture: Capture) -> str | None:
        return capture.person.display_name if capture.person else None


class SyncIn(Schema):
    captures: list[CaptureIn] = Field(..., max_length=MAX_SYNC)


class SyncResult(Schema):
    client_id: uuid.UUID
    status: Literal["created", "existing", "refused"]
    capture: CaptureOut | None = None
    errors: list[dict[str, object]] = Field(default_factory=list)


class SyncOut(Schema):
    results: list[SyncResult]


def _exhibit(request: HttpRequest, workspace: str, exhibit_id: int) -> Exhibit:
    return exhibit_get(workspace=workspace_of(request, workspace), pk=exhibit_id)


def _user(request: HttpRequest) -> User:
    user = caller(request)
    if user is None:  # pragma: no cover - the API's auth lets no anonymous caller through
        raise PermissionDenied
    return user


@router.get("/{workspace}/exhibits", response=list[ExhibitOut], summary="List exhibits")
@paginate(Pages)
def exhibits(request: HttpRequest, workspace: str) -> QuerySet[Exhibit]:
    return (
        exhibits_counted(exhibits_list(workspace=workspace_of(request, workspace)))
        .prefetch_related("staff")
        .order_by("-event__starts_on", "name")
    )


@router.post("/{workspace}/exhibits", response={201: ExhibitOut}, summary="Create an exhibit")
def exhibit_new(request: HttpRequest, workspace: str, payload: ExhibitIn) -> Status[Exhibit]:
    space = workspace_of(request, workspace)
    try:
        event = event_get(workspace=space, pk=payload.event_id)
    except Http404:
        raise DjangoValidationError({"event_id": "No such event in this workspace."}) from None
    staff = members_by_email(workspace=space, emails=payload.staff)
    missing = {e.lower() for e in payload.staff} - {u.email for u in staff}
    if missing:
        raise DjangoValidationError({"staff": f"Not members: {', '.join(sorted(missing))}."})
    exhibit = exhibit_create(
        event=event, name=payload.name, currency=payload.currency.upper(), staff=staff
    )
    return Status(201, exhibit)


@router.get("/{workspace}/exhibits/{exhibit_id}", response=ExhibitOut, summary="Get an exhibit")
def exhibit_detail(request: HttpRequest, workspace: str, exhibit_id: int) -> Exhibit:
    space = workspace_of(request, workspace)
    return get_object_or_404(exhibits_counted(exhibits_list(workspace=space)), pk=exhibit_id)


@router.post(
    "/{workspace}/exhibits/{exhibit_id}/costs",
    response={201: CostOut},
    summary="Add a cost line to an exhibit",
)
def cost_new(
    request: HttpRequest, workspace: str, exhibit_id: int, payload: CostIn
) -> Status[ExhibitCost]:
    exhibit = _exhibit(request, workspace, exhibit_id)
    cost = exhibit_add_cost(
        exhibit=exhibit, category=payload.category, amount=payload.amount, note=payload.note
    )
    return Status(201, cost)


@router.patch(
    "/{workspace}/exhibits/{exhibit_id}/costs/{cost_id}",
    response=CostOut,
    summary="Correct a cost line of an exhibit",
)
def cost_edit(
    request: HttpRequest, workspace: str, exhibit_id: int, cost_id: int, payload: CostIn
) -> ExhibitCost:
    exhibit = _exhibit(request, workspace, exhibit_id)
    return exhibit_cost_update(
        cost=exhibit_cost_get(exhibit=exhibit, pk=cost_id),
        category=payload.category,
        amount=payload.amount,
        note=payload.note,
    )


@router.delete(
    "/{workspace}/exhibits/{exhibit_id}/costs/{cost_id}",
    response={204: None},
    summary="Delete a cost line of an exhibit",
)
def cost_remove(
    request: HttpRequest, workspace: str, exhibit_id: int, cost_id: int
) -> Status[None]:
    exhibit = _exhibit(request, workspace, exhibit_id)
    exhibit_cost_delete(cost=exhibit_cost_get(exhibit=exhibit, pk=cost_id))
    return Status(204, None)


@router.get(
    "/{workspace}/exhibits/{exhibit_id}/attendees",
    response=list[AttendeeOut],
    summary="The event's attendee list, for picking at the booth",
)
@paginate(Pages)
def exhibit_attendees(request: HttpRequest, workspace: str, exhibit_id: int) -> QuerySet[Attendee]:
    exhibit = _exhibit(request, workspace, exhibit_id)
    return attendees_of(event=exhibit.event)


@router.post(
    "/{workspace}/events/{event_id}/attendees",
    response={201: dict[str, int]},
    summary="Upload an event's attendee list (CSV)",
)
def attendees_upload(
    request: HttpRequest, workspace: str, event_id: int, file: File[UploadedFile]
) -> Status[dict[str, int]]:
    event = get_object_or_404(Event, workspace=workspace_of(request, workspace), pk=event_id)
    report = attendees_import(event=event, file_name=file.name or "attendees.csv", data=file.read())
    return Status(
        201,
        {
            "added": report.added,
            "updated": report.updated,
            "known": report.known,
            "skipped": report.skipped,
        },
    )


def _record(
    exhibit: Exhibit, user: User, capture: CaptureIn, *, is_staff: bool
) -> tuple[Capture, bool]:
    stored, created = capture_store(
        exhibit=exhibit, actor=user, actor_is_staff=is_staff, **capture.dict()
    )
    # Stored but still waiting: its matching was cut off (a locked database answered the phone
    # with a 503 after the capture was written), and the phone sent it again. Match it now.
    if created or stored.resolved_at is None:
        return capture_stored(stored), created
    return stored, created


@router.post(
    "/{workspace}/exhibits/{exhibit_id}/captures",
    response={200: CaptureOut, 201: CaptureOut},
    summary="Capture a visit or a conversation (idempotent by client_id)",
)
def capture_new(
    request: HttpRequest, workspace: str, exhibit_id: int, payload: CaptureIn
) -> Status[Capture]:
    user = _user(request)
    exhibit, is_staff = exhibit_for_capture(user=user, slug=workspace, pk=exhibit_id)
    # While an import holds SQLite's write lock, the phone hears a 503 at once and keeps the
    # capture in its queue (see eyecontact.common.locks).
    with lock_wait(CAPTURE_WAIT_S):
        capture, created = _record(exhibit, user, payload, is_staff=is_staff)
    return Status(201 if created else 200, capture)


@router.post(
    "/{workspace}/exhibits/{exhibit_id}/captures/sync",
    response=SyncOut,
    summary="Send a device's queue of captures; each is stored once",
)
def captures_sync(
    request: HttpRequest, workspace: str, exhibit_id: int, payload: SyncIn
) -> dict[str, list[dict[str, object]]]:
    user = _user(request)
    exhibit, is_staff = exhibit_for_capture(user=user, slug=workspace, pk=exhibit_id)
    if not is_staff:
        raise PermissionDenied(NOT_STAFF)
    results: list[dict[str, object]] = []
    with lock_wait(CAPTURE_WAIT_S):
        for item in payload.captures:
            results.append(_synced(exhibit, user, item, is_staff=is_staff))
    return {"results": results}


def _synced(exhibit: Exhibit, user: User, item: CaptureIn, *, is_staff: bool) -> dict[str, object]:
    """One capture of a queue: stored (or found stored) or refused, with why."""
    try:
        capture, created = _record(exhibit, user, item, is_staff=is_staff)
    except DjangoValidationError as exc:
        return {"client_id": item.client_id, "status": "refused", "errors": field_errors(exc)}
    return {
        "client_id": item.client_id,
        "status": "created" if created else "existing",
        "capture": capture,
    }


@router.get(
    "/{workspace}/exhibits/{exhibit_id}/captures",
    response=list[CaptureOut],
    summary="The exhibit's captures, newest first",
)
@paginate(Pages)
def captures(request: HttpRequest, workspace: str, exhibit_id: int) -> QuerySet[Capture]:
    exhibit = _exhibit(request, workspace, exhibit_id)
    return exhibit.captures.select_related("person").order_by("-captured_at", "-id")


@router.get(
    "/{workspace}/exhibits/{exhibit_id}/report",
    response=dict[str, object],
    summary="What the exhibit cost and what its conversations became",
)
def report(request: HttpRequest, workspace: str, exhibit_id: int) -> dict[str, object]:
    return exhibit_report(exhibit=_exhibit(request, workspace, exhibit_id)).as_dict()


@router.get(
    "/{workspace}/exhibits/{exhibit_id}/leads.csv",
    summary="The exhibit's leads as CSV",
    response={200: None},
)
def leads_as_csv(request: HttpRequest, workspace: str, exhibit_id: int) -> HttpResponse:
    exhibit = _exhibit(request, workspace, exhibit_id)
    response = HttpResponse("".join(leads_csv(exhibit=exhibit)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="leads-{exhibit.pk}.csv"'
    return response


@router.get(
    "/{workspace}/exhibits/{exhibit_id}/leads.vcf",
    summary="The exhibit's leads as vCards",
    response={200: None},
)
def leads_as_vcard(request: HttpRequest, workspace: str, exhibit_id: int) -> HttpResponse:
    exhibit = _exhibit(request, workspace, exhibit_id)
    response = HttpResponse(leads_vcard(exhibit=exhibit), content_type="text/vcard")
    response["Content-Disposition"] = f'attachment; filename="leads-{exhibit.pk}.vcf"'
    return response
