"""Business cards over the API: send a photo, read what it says, confirm the person."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.contacts.models import BusinessCardScan
from eyecontact.contacts.scans import business_card_confirm, business_card_submit
from eyecontact.contacts.selectors import business_card_scan_get
from eyecontact.people.models import Person

__all__ = ["router"]

router = Router(tags=["business cards"])


class CardScanOut(Schema):
    id: int
    status: str
    message: str
    fields: dict[str, object]
    match_id: int | None
    match_name: str
    match_organization: str
    person_id: int | None
    photo_url: str


class CardConfirmIn(Schema):
    name: str = ""
    title: str = ""
    organization: str = ""
    emails: list[str] = []
    phones: list[str] = []
    websites: list[str] = []
    person_id: int | None = None


def _out(scan: BusinessCardScan) -> dict[str, object]:
    return {
        "id": scan.pk,
        "status": scan.status,
        "message": scan.message,
        "fields": scan.fields,
        "match_id": scan.match_id,
        "match_name": scan.match.display_name if scan.match else "",
        "match_organization": scan.match.organization if scan.match else "",
        "person_id": scan.person_id,
        "photo_url": f"/api/workspaces/{scan.workspace.slug}/business-cards/{scan.pk}/photo",
    }


def _scan(request: HttpRequest, workspace: str, scan_id: int) -> BusinessCardScan:
    return business_card_scan_get(workspace=workspace_of(request, workspace), pk=scan_id)


@router.post(
    "/{workspace}/business-cards",
    response={202: CardScanOut},
    summary="Send a business card photo (read on the queue: poll it)",
)
def card_new(
    request: HttpRequest,
    workspace: str,
    photo: File[UploadedFile],
    client_id: Form[uuid.UUID | None] = None,
) -> Status[dict[str, object]]:
    """The photo is kept and read by Tesseract in the background; the answer's ``status`` is
    ``waiting``, then ``read`` with the fields and a known person it may be (``match_id``), or
    ``unreadable`` with "Could not read this card" (the photo is kept). A ``client_id`` made
    by the phone keeps a photo sent again (from an offline queue) from being kept twice."""
    scan = business_card_submit(
        workspace=workspace_of(request, workspace),
        actor=caller(request),
        photo=photo.read(),
        photo_type=photo.content_type or "image/jpeg",
        client_id=client_id,
    )
    return Status(202, _out(scan))


@router.get("/{workspace}/business-cards/{scan_id}", response=CardScanOut)
def card_get(request: HttpRequest, workspace: str, scan_id: int) -> dict[str, object]:
    return _out(_scan(request, workspace, scan_id))


@router.get("/{workspace}/business-cards/{scan_id}/photo", response={200: None})
def card_photo_get(request: HttpRequest, workspace: str, scan_id: int) -> HttpResponse:
    scan = _scan(request, workspace, scan_id)
    return HttpResponse(bytes(scan.photo), content_type=scan.photo_type)


@router.post("/{workspace}/business-cards/{scan_id}/confirm", response=CardScanOut)
def card_confirm(
    request: HttpRequest, workspace: str, scan_id: int, payload: CardConfirmIn
) -> dict[str, object]:
    """Creates the person the card names, or adds its details to ``person_id`` (the proposed
    match, or anyone of the workspace)."""
    scan = _scan(request, workspace, scan_id)
    person = None
    if payload.person_id is not None:
        person = get_object_or_404(Person, workspace=scan.workspace, pk=payload.person_id)
    business_card_confirm(
        scan=scan,
        actor=caller(request),
        name=payload.name,
        title=payload.title,
        organization=payload.organization,
        emails=payload.emails,
        phones=payload.phones,
        websites=payload.websites,
        person=person,
    )
    scan.refresh_from_db()
    return _out(scan)
