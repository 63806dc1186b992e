"""Logging a touch in seconds: from a person's page, or from the box in every page's header."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.people import selectors
from eyecontact.people.choices import Channel
from eyecontact.people.models import Person
from eyecontact.people.services import person_create, touch_delete, touch_log, touch_update

from ..decorators import current_user, is_htmx, workspace_view
from ..forms import QuickLogForm, TouchForm, add_service_errors
from .people import person_context, touch_form

# A service names the person field ``display_name`` or ``name`` and the moment ``occurred_at``;
# the touch forms call them ``name`` and ``when``.
_QUICK_FIELD_NAMES = {"display_name": "name", "occurred_at": "when"}


def _log(request: HttpRequest, workspace: Workspace, person: Person, form: TouchForm) -> None:
    when = form.cleaned_data["when"]
    moment, has_time = when if when is not None else (None, None)
    touch_log(
        workspace=workspace,
        people=[person],
        channel=form.cleaned_data["channel"],
        when=moment,
        has_time=has_time,
        where=form.cleaned_data["where"],
        event=form.cleaned_data["event"],
        note=form.cleaned_data["note"],
        actor=current_user(request),
    )


def _named_as_in_form(exc: ValidationError) -> ValidationError:
    """A service's refusal with its fields named as the touch forms name them."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({_QUICK_FIELD_NAMES.get(k, k): v for k, v in exc.error_dict.items()})


def _logged_message(person: Person, channel: str) -> str:
    return f"Logged {Channel(channel).label.lower()} with {person.display_name}."


@workspace_view
@require_POST
def person_touch_new(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """The quick form on a person's page; with htmx, only the form and timeline are redrawn."""
    person = selectors.person_get(workspace=workspace, pk=person_pk)
    form = TouchForm(request.POST, workspace=workspace)
    saved = False
    if form.is_valid():
        try:
            _log(request, workspace, person, form)
        except ValidationError as exc:
            add_service_errors(form, _named_as_in_form(exc))
        else:
            saved = True
    if saved:
        message = _logged_message(person, form.cleaned_data["channel"])
        if not is_htmx(request):
            messages.success(request, message)
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
        person.refresh_from_db()
        context = person_context(workspace, person, touch_form=touch_form(workspace))
        context["logged"] = message
        return render(request, "web/partials/_touch_panel.html", context)
    context = person_context(workspace, person, touch_form=form)
    if is_htmx(request):
        return render(request, "web/partials/_touch_panel.html", context)
    return render(request, "web/person_detail.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def quick_log(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """A touch with someone found by name.

    Only a name that exactly one person has is taken as theirs. A name nobody has (a typo,
    someone new) or that several people share brings the page back with the people it could
    be, their organization and when last met, and a choice to add someone new: the user
    picks, and the touch is saved only then.
    """
    initial: dict[str, Any] = {"name": request.GET.get("name", ""), "channel": Channel.IN_PERSON}
    blank = touch_form(workspace)
    initial.update(blank.initial)
    form = QuickLogForm(request.POST or None, workspace=workspace, initial=initial)
    lookup: selectors.NameLookup | None = None
    if request.method == "POST" and form.is_valid():
        name, choice = form.cleaned_data["name"], form.cleaned_data["person"]
        person: Person | None = None
        if choice.isdigit():
            person = selectors.person_get(workspace=workspace, pk=int(choice))
        elif choice != "new":
            lookup = selectors.person_for_name(workspace=workspace, name=name)
            person = lookup.person
        if person is not None or choice == "new":
            try:
                # Both or neither: a refused touch must not leave a new person behind.
                with transaction.atomic():
                    created = person is None
                    if person is None:
                        person = person_create(
                            workspace=workspace, display_name=name, actor=current_user(request)
                        )
                    _log(request, workspace, person, form)
            except ValidationError as exc:
                add_service_errors(form, _named_as_in_form(exc))
            else:
                message = _logged_message(person, form.cleaned_data["channel"])
                if created:
                    message += " They are new here: add their details below."
                messages.success(request, message)
                return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    context = {"form": form, "lookup": lookup, "name": form.data.get("name", "")}
    return render(request, "web/quick_log.html", context)


def _back_to(request: HttpRequest, fallback: str) -> str:
    """The page the user came from (``next``), if it is one of ours; else ``fallback``."""
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback


@workspace_view
@require_http_methods(["GET", "POST"])
def touch_edit(request: HttpRequest, workspace: Workspace, touch_pk: int) -> HttpResponse:
    """Corrects a touch: how, when, where, at which event, the note."""
    touch = selectors.touch_get(workspace=workspace, pk=touch_pk)
    people = list(touch.people.order_by("sort_name", "id"))
    local = timezone.localtime(touch.occurred_at)
    initial = {
        "channel": touch.channel,
        # A touch known by its day alone has no time to show in the box: left empty, it stays.
        "when": local.strftime("%Y-%m-%dT%H:%M") if touch.has_time else "",
        "where": touch.where,
        "event": touch.event_id,
        "note": touch.note,
    }
    form = TouchForm(
        request.POST if request.method == "POST" else None, workspace=workspace, initial=initial
    )
    day = f"{touch.occurred_at:%Y-%m-%d}" if not touch.has_time else f"{local:%Y-%m-%d %H:%M}"
    form.fields["when"].help_text = f"Now {day}. Empty keeps it; a date alone (2026-01-08) is fine."
    fallback = (
        reverse("person_detail", kwargs={"slug": workspace.slug, "person_pk": people[0].pk})
        if people
        else reverse("people_list", kwargs={"slug": workspace.slug})
    )
    back = _back_to(request, fallback)
    if request.method == "POST" and form.is_valid():
        when = form.cleaned_data["when"]
        changes: dict[str, Any] = {
            "channel": form.cleaned_data["channel"],
            "where": form.cleaned_data["where"],
            "event": form.cleaned_data["event"],
            "note": form.cleaned_data["note"],
        }
        if when is not None:
            moment, has_time = when
            changes["when"] = moment if has_time else moment.date()
        try:
            touch_update(touch=touch, actor=current_user(request), **changes)
        except ValidationError as exc:
            add_service_errors(form, _named_as_in_form(exc))
        else:
            messages.success(request, "Touch saved.")
            return redirect(back)
    context = {"touch": touch, "people": people, "form": form, "back": back}
    return render(request, "web/touch_edit.html", context)


@workspace_view
@require_POST
def touch_remove(request: HttpRequest, workspace: Workspace, touch_pk: int) -> HttpResponse:
    touch = selectors.touch_get(workspace=workspace, pk=touch_pk)
    touch_delete(touch=touch, actor=current_user(request))
    messages.success(request, "Touch deleted.")
    return redirect(_back_to(request, reverse("people_list", kwargs={"slug": workspace.slug})))
