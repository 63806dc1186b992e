"""An event's plan: its attendee list, whom to meet there and why, and who was met."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.events.attendees import MAX_BYTES, attendees_import, attendees_known
from eyecontact.events.models import Event
from eyecontact.events.selectors import event_get
from eyecontact.insights.feeds import plan_ics
from eyecontact.insights.models import PlanItem
from eyecontact.insights.plan import (
    plan_items,
    plan_pick,
    plan_suggestions,
    plan_tick_met,
    plan_unpick,
)
from eyecontact.people.selectors import people_by_ids, person_get

from ..decorators import current_user, htmx_target, is_htmx, workspace_view
from ..forms import add_service_errors
from ..forms_keep import AttendeesForm, MetForm

PLAN_TARGET = "plan-body"


def _met_choices(items: list[PlanItem], known: list[Any]) -> list[tuple[int, str]]:
    """Everyone who could be ticked as met: the plan first, then the others I know attending."""
    choices: dict[int, str] = {}
    for item in items:
        if not item.met:
            choices[item.person.pk] = item.person.display_name
    for attendee in known:
        if attendee.person.pk not in choices and not any(
            i.person.pk == attendee.person.pk for i in items
        ):
            choices[attendee.person.pk] = attendee.person.display_name
    return list(choices.items())


def _plan_context(event: Event, **forms: Any) -> dict[str, Any]:
    items = list(plan_items(event=event))
    known = list(attendees_known(event=event))
    suggestions = plan_suggestions(event=event)
    groups = [
        {"value": value, "label": label, "suggestions": suggestions[value]}
        for value, label in PlanItem.Group.choices
    ]
    choices = _met_choices(items, known)
    return {
        "event": event,
        "items": items,
        "met_count": sum(item.met for item in items),
        "known": known,
        "attendee_count": event.attendees.count(),
        "groups": groups,
        "started": timezone.localdate() >= event.starts_on,
        "attendees_form": forms.get("attendees_form") or AttendeesForm(),
        "met_form": forms.get("met_form") or MetForm(event=event, choices=choices),
    }


def _plan_page(request: HttpRequest, event: Event, **forms: Any) -> HttpResponse:
    context = _plan_context(event, **forms)
    if htmx_target(request) == PLAN_TARGET:
        return render(request, "web/partials/_plan_body.html", context)
    return render(request, "web/plan_event.html", context)


@workspace_view
@require_GET
def event_plan(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    """Who from my network is attending, whom to meet and why, and my plan."""
    return _plan_page(request, event_get(workspace=workspace, pk=event_pk))


@workspace_view
@require_POST
def plan_attendees(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    """Reads the organiser's attendee list; a bad file is refused naming its line."""
    event = event_get(workspace=workspace, pk=event_pk)
    form = AttendeesForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["attendees"]
        try:
            report = attendees_import(
                event=event, file_name=upload.name, data=upload.read(MAX_BYTES + 1)
            )
        except ValidationError as exc:
            form.add_error("attendees", exc.messages)
        else:
            messages.success(
                request,
                f"Read the attendee list: {report.added} new, {report.updated} updated, "
                f"{report.skipped} without a name skipped. You know {report.known} of them.",
            )
            return redirect("event_plan", slug=workspace.slug, event_pk=event.pk)
    return _plan_page(request, event, attendees_form=form)


@workspace_view
@require_POST
def plan_pick_view(
    request: HttpRequest, workspace: Workspace, event_pk: int, person_pk: int
) -> HttpResponse:
    event = event_get(workspace=workspace, pk=event_pk)
    person = person_get(workspace=workspace, pk=person_pk)
    suggestions = plan_suggestions(event=event)
    found = next(
        (s for group in suggestions.values() for s in group if s.person.pk == person.pk), None
    )
    if found is None:
        raise Http404("That person is not among the suggestions for this event.")
    plan_pick(event=event, person=person, group=found.group, reason=found.reason)
    if is_htmx(request):
        return _plan_page(request, event)
    messages.success(request, f"Added {person.display_name} to your plan.")
    return redirect("event_plan", slug=workspace.slug, event_pk=event.pk)


@workspace_view
@require_POST
def plan_unpick_view(
    request: HttpRequest, workspace: Workspace, event_pk: int, person_pk: int
) -> HttpResponse:
    event = event_get(workspace=workspace, pk=event_pk)
    person = person_get(workspace=workspace, pk=person_pk)
    plan_unpick(event=event, person=person)
    if is_htmx(request):
        return _plan_page(request, event)
    messages.success(request, f"Took {person.display_name} off your plan.")
    return redirect("event_plan", slug=workspace.slug, event_pk=event.pk)


@workspace_view
@require_POST
def plan_met(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    """After the event: everyone ticked becomes an in-person touch there, in one step."""
    event = event_get(workspace=workspace, pk=event_pk)
    choices = _met_choices(list(plan_items(event=event)), list(attendees_known(event=event)))
    form = MetForm(request.POST, event=event, choices=choices)
    if form.is_valid():
        people = people_by_ids(workspace=workspace, ids=form.cleaned_data["person"])
        try:
            touches = plan_tick_met(
                event=event,
                people=people,
                day=form.cleaned_data["day"],
                actor=current_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(touches)
            messages.success(
                request,
                f"Logged {count} in-person touch{'es' if count != 1 else ''} at {event.name}.",
            )
            return redirect("event_plan", slug=workspace.slug, event_pk=event.pk)
    return _plan_page(request, event, met_form=form)


@workspace_view
@require_GET
def plan_print(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    """The plan on paper: whom to meet and why, with boxes to tick."""
    event = event_get(workspace=workspace, pk=event_pk)
    items = list(plan_items(event=event))
    return render(request, "web/plan_print.html", {"event": event, "items": items})


@workspace_view
@require_GET
def plan_calendar(request: HttpRequest, workspace: Workspace, event_pk: int) -> HttpResponse:
    """The plan as an iCalendar file to add to a calendar."""
    event = event_get(workspace=workspace, pk=event_pk)
    response = HttpResponse(plan_ics(event=event), content_type="text/calendar; charset=utf-8")
    name = slugify(event.name) or "event"
    response["Content-Disposition"] = f'attachment; filename="plan-{name}.ics"'
    return response
