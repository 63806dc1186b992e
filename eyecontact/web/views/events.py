"""Events: the list, creating and editing one, and who was met there."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from eyecontact.accounts.models import Workspace
from eyecontact.common.zones import zone_for
from eyecontact.events import selectors
from eyecontact.events.services import event_create, event_update

from ..decorators import current_user, workspace_view
from ..forms import EventForm, add_service_errors

PER_PAGE = 50
EVENT_TOUCH_LIMIT = 500


@workspace_view
@require_GET
def events_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    events = selectors.events_list(workspace=workspace, query=query)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/events_list.html", {"page": page, "query": query})


@workspace_view
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(
                workspace=workspace, actor=current_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {event.name}.")
            return redirect("event_detail", slug=workspace.slug, event_pk=event.pk)
    return render(request, "web/event_form.html", {"form": form, "event": None})


@workspace_view
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    event = selectors.event_get(workspace=workspace, pk=event_pk)
    initial = {name: getattr(event, name) for name in EventForm.base_fields}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["ends_on"] = fields["ends_on"] or fields["starts_on"]
        try:
            event_update(event=event, actor=current_user(request), **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("event_detail", slug=workspace.slug, event_pk=event.pk)
    return render(request, "web/event_form.html", {"form": form, "event": event})


@workspace_view
@require_GET
def event_detail(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    event = selectors.event_get(workspace=workspace, pk=event_pk)
    touches = list(selectors.event_touches(event=event)[:EVENT_TOUCH_LIMIT])
    people = list(selectors.event_people(event=event))
    # Meetings at the event read in its local time (a CES meeting in Las Vegas time).
    zone = zone_for(event.time_zone, current_user(request).time_zone)
    return render(
        request,
        "web/event_detail.html",
        {"event": event, "touches": touches, "people": people, "event_zone": zone},
    )
