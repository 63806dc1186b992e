"""The people list, a person's page, and the changes made from it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.events.selectors import event_current
from eyecontact.people import selectors
from eyecontact.people.models import Person
from eyecontact.people.selectors import connection_get, connections_list
from eyecontact.people.services import (
    connection_add,
    connection_delete,
    identity_add,
    identity_remove,
    merge_fills,
    person_archive,
    person_create,
    person_delete,
    person_merge,
    person_unarchive,
    person_update,
)

from ..decorators import current_user, htmx_target, is_htmx, workspace_view
from ..forms import ConnectionForm, IdentityForm, PersonForm, TouchForm, add_service_errors

PER_PAGE = 50
# Touches a person's page shows at once; "Show older touches" fetches the next as many.
TIMELINE_PAGE = 50
SUGGESTIONS = 8
MET_FILTERS = {"in_person": "Met in person", "never": "Never met"}
# Columns the list sorts by: label, sort key, and the direction a first click sorts in.
SORT_COLUMNS = (
    ("Name", "name", ""),
    ("Last met", "last_met", "-"),
    ("Last touch", "last_touch", "-"),
    ("Touches", "touches", "-"),
)
LIST_FIELDS = (
    "id",
    "display_name",
    "organization",
    "title",
    "touch_count",
    "last_touch_at",
    "last_in_person_at",
)


def _sort_columns(current: str) -> list[dict[str, str]]:
    columns = []
    for label, key, first in SORT_COLUMNS:
        state = ""
        if current == key:
            state = "ascending"
        elif current == f"-{key}":
            state = "descending"
        if state == "ascending":
            next_sort = f"-{key}"
        elif state == "descending":
            next_sort = key
        else:
            next_sort = f"{first}{key}"
        columns.append({"label": label, "key": key, "sort": next_sort, "state": state})
    return columns


@workspace_view
@require_GET
def people_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Search as you type, filter by organization and met, sort, page through."""
    query = request.GET.get("q", "").strip()[:200]
    organization = request.GET.get("organization", "").strip()[:200]
    met = request.GET.get("met", "")
    met = met if met in MET_FILTERS else ""
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.PEOPLE_SORTS else "name"
    tag = request.GET.get("tag", "").strip()[:60]
    nameless = request.GET.get("nameless", "") == "1"
    archived = request.GET.get("archived", "") == "1"
    people = selectors.people_list(
        workspace=workspace,
        query=query,
        organization=organization,
        met=met,
        sort=sort,
        tag=tag,
        nameless=nameless,
        archived=archived,
    ).only(*LIST_FIELDS)
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "query": query,
        "organization": organization,
        "met": met,
        "sort": sort,
        "tag": tag,
        "nameless": nameless,
        "archived": archived,
        "filtered": bool(query or organization or met or tag or archived),
        "columns": _sort_columns(sort),
        "met_filters": MET_FILTERS,
    }
    if htmx_target(request) == "people-results":
        return render(request, "web/partials/_people_results.html", context)
    return render(request, "web/people_list.html", context)


@workspace_view
@require_GET
def organization_suggest(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The most common organizations, as options of the people list's organization filter.

    Fetched when the filter is first focused rather than with every list page: counting every
    person's organization is the slowest part of a large workspace's list.
    """
    names = selectors.organizations(workspace=workspace)
    return render(request, "web/partials/_organization_options.html", {"organizations": names})


@workspace_view
@require_GET
def people_suggest(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Names for the header's "log a touch" box, as options of a datalist."""
    query = request.GET.get("name", "").strip()[:200]
    people = (
        selectors.people_list(workspace=workspace, query=query, sort="-last_touch").only(
            "id", "display_name", "organization"
        )[:SUGGESTIONS]
        if query
        else []
    )
    return render(request, "web/partials/_people_suggestions.html", {"people": people})


@workspace_view
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = PersonForm(request.POST or None, initial={"display_name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                workspace=workspace, actor=current_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {person.display_name}.")
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    return render(request, "web/person_form.html", {"form": form, "person": None})


def touch_form(workspace: Workspace, data: Any = None) -> TouchForm:
    """A blank touch form: now, in person, at today's event if there is one."""
    today = timezone.localdate()
    current = event_current(workspace=workspace, day=today)
    initial = {
        "when": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "event": current.pk if current else None,
    }
    return TouchForm(data, workspace=workspace, initial=initial)


def _timeline_page(person: Person, before: tuple[dt.datetime, int] | None) -> dict[str, Any]:
    """One page of a person's timeline and the query string of the next (empty at the end)."""
    touches = list(selectors.person_timeline(person=person, before=before)[: TIMELINE_PAGE + 1])
    shown = touches[:TIMELINE_PAGE]
    older = ""
    if len(touches) > TIMELINE_PAGE:
        last = shown[-1]
        older = urlencode({"at": last.occurred_at.isoformat(), "before": last.pk})
    return {"timeline": shown, "timeline_older": older, "timeline_from": before}


def _timeline_cursor(request: HttpRequest) -> tuple[dt.datetime, int] | None:
    """The (time, id) of the last touch shown, from ``?at=…&before=…``; None when absent or bad."""
    at, before = request.GET.get("at", ""), request.GET.get("before", "")
    if not before.isdigit():
        return None
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    if timezone.is_naive(moment):
        return None
    return moment, int(before)


def person_context(
    workspace: Workspace,
    person: Person,
    before: tuple[dt.datetime, int] | None = None,
    **forms: Any,
) -> dict[str, Any]:
    """Everything a person's page shows; ``forms`` replaces a blank form with a filled one."""
    return {
        "person": person,
        "identities": list(person.identities.order_by("kind", "value")),
        "connections": list(connections_list(workspace=workspace, person_id=person.pk)),
        **_timeline_page(person, before),
        "touch_form": forms.get("touch_form") or touch_form(workspace),
        "identity_form": forms.get("identity_form") or IdentityForm(),
        "connection_form": forms.get("connection_form") or ConnectionForm(),
    }


@workspace_view
@require_GET
def person_detail(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    return render(request, "web/person_detail.html", person_context(workspace, person))


@workspace_view
@require_GET
def person_timeline_older(
    request: HttpRequest, workspace: Workspace, person_pk: int
) -> HttpResponse:
    """The next page of a person's timeline: its entries for htmx, else the page showing them."""
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    before = _timeline_cursor(request)
    if is_htmx(request):
        context = {"person": person, **_timeline_page(person, before)}
        return render(request, "web/partials/_timeline_entries.html", context)
    return render(request, "web/person_detail.html", person_context(workspace, person, before))


@workspace_view
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    initial = {name: getattr(person, name) for name in PersonForm.base_fields}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, actor=current_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    return render(request, "web/person_form.html", {"form": form, "person": person})


@workspace_view
@require_http_methods(["GET", "POST"])
def person_remove(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    if request.method == "POST":
        name = person.display_name
        person_delete(person=person, actor=current_user(request))
        messages.success(request, f"Deleted {name}.")
        return redirect("people_list", slug=workspace.slug)
    return render(request, "web/person_delete.html", {"person": person})


@workspace_view
@require_POST
def person_archive_view(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """Archives a person (as deleting them on a phone does), or brings them back."""
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    if request.POST.get("archive") == "0":
        person_unarchive(person=person, actor=current_user(request))
        messages.success(request, f"{person.display_name} is back in your lists and address book.")
    else:
        person_archive(person=person, actor=current_user(request))
        messages.success(
            request,
            f"Archived {person.display_name}: out of your lists, reminders and address book, "
            "with their history kept.",
        )
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)


def _person_page_with(
    request: HttpRequest, workspace: Workspace, person: Person, **forms: Any
) -> HttpResponse:
    return render(request, "web/person_detail.html", person_context(workspace, person, **forms))


@workspace_view
@require_POST
def identity_new(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            identity_add(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Added.")
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    return _person_page_with(request, workspace, person, identity_form=form)


@workspace_view
@require_POST
def identity_delete(
    request: HttpRequest, workspace: Workspace, person_pk: int, identity_pk: int
) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    identity = selectors.identity_get(workspace=workspace, pk=identity_pk)
    if identity.person_id != person.pk:
        return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    identity_remove(identity=identity)
    messages.success(request, f"Removed {identity.value}.")
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)


@workspace_view
@require_POST
def connection_new(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    form = ConnectionForm(request.POST)
    if form.is_valid():
        try:
            connection_add(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Connection added.")
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    return _person_page_with(request, workspace, person, connection_form=form)


@workspace_view
@require_POST
def connection_remove(
    request: HttpRequest, workspace: Workspace, person_pk: int, connection_pk: int
) -> HttpResponse:
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    connection = connection_get(workspace=workspace, pk=connection_pk)
    if connection.person_id == person.pk:
        connection_delete(connection=connection)
        messages.success(request, "Connection removed.")
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)


@workspace_view
@require_http_methods(["GET", "POST"])
def person_merge_view(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """Pick the other record of the same human by search, preview, then merge into this one."""
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    other_id = request.POST.get("other") or request.GET.get("other") or ""
    other = (
        selectors.person_get(workspace=workspace, pk=int(other_id)) if other_id.isdigit() else None
    )
    error = ""
    if request.method == "POST" and other is not None:
        try:
            kept = person_merge(keep=person, drop=other, actor=current_user(request))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"Merged {other.display_name} into {kept.display_name}.")
            return redirect("person_detail", slug=workspace.slug, person_pk=kept.pk)
    elif request.method == "POST":
        error = "Pick the person to merge first."
    query = request.GET.get("q", "").strip()[:200]
    candidates = (
        list(
            # A nameless X account is often the same human as someone named: offered too.
            selectors.people_list(workspace=workspace, query=query, nameless=True)
            .exclude(pk=person.pk)
            .only(*LIST_FIELDS)[:20]
        )
        if query
        else []
    )
    context = {
        "person": person,
        "other": other,
        "query": query,
        "candidates": candidates,
        "error": error,
        "preview": _merge_preview(person, other) if other is not None else None,
    }
    if htmx_target(request) == "merge-candidates":
        return render(request, "web/partials/_merge_candidates.html", context)
    return render(request, "web/person_merge.html", context)


def _merge_preview(keep: Person, drop: Person) -> dict[str, Any]:
    """What the merge will do, in figures people can check before they press the button."""
    label = {field.name: str(field.verbose_name) for field in Person._meta.concrete_fields}
    filled = [
        {"label": label.get(name, name), "value": value, "added": name == "notes"}
        for name, value in merge_fills(keep, drop)
    ]
    return {
        "identities": list(drop.identities.order_by("kind", "value")),
        "touches": drop.touches.count(),
        "connections": drop.connections.count(),
        "filled": filled,
        "same": keep.pk == drop.pk,
    }
