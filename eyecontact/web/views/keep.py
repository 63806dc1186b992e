"""Keeping in touch: this week's reminders and the fading list, tags, settings, calendar feeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.insights.feeds import reminders_ics
from eyecontact.insights.selectors import (
    Reminder,
    effective_cadences,
    fading_list,
    feed_get,
    feeds_list,
    keep_in_touch_settings,
    reminders_list,
    reminders_schedule,
    strengths,
    tag_get,
    tags_list,
)
from eyecontact.insights.services import (
    SETTINGS_FIELDS,
    feed_create,
    feed_find,
    feed_revoke,
    reminder_done,
    reminder_snooze,
    settings_update,
    tag_create,
    tag_delete,
    tag_person,
    tag_update,
    untag_person,
)
from eyecontact.people.choices import Channel
from eyecontact.people.models import Person
from eyecontact.people.selectors import person_get

from ..decorators import current_user, htmx_target, is_htmx, workspace_view
from ..forms import add_service_errors
from ..forms_keep import DoneForm, KeepSettingsForm, PersonTagForm, SnoozeForm, TagForm

REMINDERS_PER_PAGE = 20
FADING_PER_PAGE = 25
WEEK_TARGET = "keep-week"
CARD_TARGET = "keep-person"


def _snooze_days(today: dt.date) -> list[tuple[str, dt.date]]:
    """The quick snooze buttons: in three days, and in a week (never sooner than the first)."""
    return [("+3 days", today + dt.timedelta(days=3)), ("Next week", today + dt.timedelta(days=7))]


def _day_heading(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "Today"
    if day == today + dt.timedelta(days=1):
        return "Tomorrow"
    return date_format(day, "l j F")


def _week_context(
    workspace: Workspace, page: str | None = None, fading_page: str | None = None, **extra: Any
) -> dict[str, Any]:
    today = timezone.localdate()
    fading = fading_list(workspace=workspace)
    reminders = reminders_list(workspace=workspace)
    errors: dict[int, str] = extra.pop("errors", {})
    # A few people a day, grouped by the day to act, a page at a time.
    scheduled = Paginator(reminders_schedule(reminders, today=today), REMINDERS_PER_PAGE)
    shown = scheduled.get_page(page)
    days: dict[dt.date, list[tuple[Reminder, str]]] = {}
    for day, reminder in shown.object_list:
        days.setdefault(day, []).append((reminder, errors.get(reminder.person.pk, "")))
    fading_shown = Paginator(fading, FADING_PER_PAGE).get_page(fading_page)
    return {
        "reminders": reminders,
        "reminder_page": shown,
        "days": [
            {"day": day, "heading": _day_heading(day, today), "rows": rows}
            for day, rows in days.items()
        ],
        "fading": fading_shown.object_list,
        "fading_page": fading_shown,
        "fading_count": len(fading),
        "today": today,
        "snooze_days": _snooze_days(today),
        "tomorrow": today + dt.timedelta(days=1),
        "channels": Channel.choices,
        "notice": "",
        **extra,
    }


@workspace_view
@require_GET
def this_week(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Who to contact this week and why, and the relationships that are fading."""
    context = _week_context(
        workspace, page=request.GET.get("page"), fading_page=request.GET.get("fading")
    )
    if htmx_target(request) == WEEK_TARGET:
        return render(request, "web/partials/_keep_week.html", context)
    return render(request, "web/keep_week.html", context)


def _after_reminder(
    request: HttpRequest, workspace: Workspace, notice: str, errors: dict[int, str]
) -> HttpResponse:
    """Redraws the week in place for htmx; otherwise back to the page (or it, with errors)."""
    if is_htmx(request):
        context = _week_context(workspace, notice=notice, errors=errors)
        return render(request, "web/partials/_keep_week.html", context)
    if errors:
        return render(request, "web/keep_week.html", _week_context(workspace, errors=errors))
    messages.success(request, notice)
    return redirect("keep_week", slug=workspace.slug)


@workspace_view
@require_POST
def reminder_snooze_view(
    request: HttpRequest, workspace: Workspace, person_pk: int
) -> HttpResponse:
    person = person_get(workspace=workspace, pk=person_pk)
    form = SnoozeForm(request.POST)
    errors: dict[int, str] = {}
    notice = ""
    if form.is_valid():
        try:
            reminder_snooze(person=person, until=form.snooze_until)
        except ValidationError as exc:
            errors[person.pk] = " ".join(exc.messages)
        else:
            until = date_format(form.snooze_until, "l j F")
            notice = f"Snoozed {person.display_name} until {until}."
    else:
        errors[person.pk] = " ".join(str(m) for field in form.errors.values() for m in field)
    return _after_reminder(request, workspace, notice, errors)


@workspace_view
@require_POST
def reminder_done_view(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = person_get(workspace=workspace, pk=person_pk)
    form = DoneForm(request.POST)
    errors: dict[int, str] = {}
    notice = ""
    if form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            reminder_done(
                person=person,
                day=form.cleaned_data["day"],
                channel=channel,
                actor=current_user(request),
            )
        except ValidationError as exc:
            errors[person.pk] = " ".join(exc.messages)
        else:
            logged = f" Logged {Channel(channel).label.lower()}." if channel else ""
            notice = (
                f"Done: {person.display_name} comes back when their cadence comes round.{logged}"
            )
    else:
        errors[person.pk] = " ".join(str(m) for field in form.errors.values() for m in field)
    return _after_reminder(request, workspace, notice, errors)


# A person's page: strength, cadence and tags, in a card of its own.


def _card_context(workspace: Workspace, person: Person, **extra: Any) -> dict[str, Any]:
    strength = strengths(workspace=workspace, person_ids=[person.pk])[person.pk]
    return {
        "person": person,
        "strength": strength,
        "cadence": effective_cadences(workspace=workspace, people=[person]).get(person.pk),
        "person_tags": list(tags_list(workspace=workspace, person=person)),
        "all_tags": [t.name for t in tags_list(workspace=workspace)],
        "tag_form": extra.pop("tag_form", None) or PersonTagForm(),
        **extra,
    }


def _card(request: HttpRequest, workspace: Workspace, person: Person, **extra: Any) -> HttpResponse:
    context = _card_context(workspace, person, **extra)
    if is_htmx(request):
        return render(request, "web/partials/_keep_person_card.html", context)
    return render(request, "web/keep_person.html", context)


@workspace_view
@require_GET
def person_keep(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """How strong the relationship is and why, the cadence, and the person's tags."""
    return _card(request, workspace, person_get(workspace=workspace, pk=person_pk))


@workspace_view
@require_POST
def person_tag_add(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    person = person_get(workspace=workspace, pk=person_pk)
    form = PersonTagForm(request.POST)
    if form.is_valid():
        try:
            tag = tag_person(person=person, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if is_htmx(request):
                return _card(request, workspace, person, notice=f"Tagged {tag.name}.")
            messages.success(request, f"Tagged {tag.name}.")
            return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
    return _card(request, workspace, person, tag_form=form)


@workspace_view
@require_POST
def person_tag_remove(
    request: HttpRequest, workspace: Workspace, person_pk: int, tag_pk: int
) -> HttpResponse:
    person = person_get(workspace=workspace, pk=person_pk)
    tag = tag_get(workspace=workspace, pk=tag_pk)
    untag_person(person=person, tag=tag)
    if is_htmx(request):
        return _card(request, workspace, person, notice=f"Removed the tag {tag.name}.")
    messages.success(request, f"Removed the tag {tag.name}.")
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)


# Tags


@workspace_view
@require_http_methods(["GET", "POST"])
def tags_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Every tag with how many people carry it, and a form for a new one."""
    form = TagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tag = tag_create(workspace=workspace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added the tag {tag.name}.")
            return redirect("tags", slug=workspace.slug)
    context = {"tags": list(tags_list(workspace=workspace)), "form": form}
    return render(request, "web/tags_list.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def tag_edit(request: HttpRequest, workspace: Workspace, tag_pk: int) -> HttpResponse:
    tag = tag_get(workspace=workspace, pk=tag_pk)
    initial = {"name": tag.name, "cadence_days": tag.cadence_days}
    form = TagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tag_update(tag=tag, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("tags", slug=workspace.slug)
    return render(request, "web/tags_edit.html", {"tag": tag, "form": form})


@workspace_view
@require_POST
def tag_remove(request: HttpRequest, workspace: Workspace, tag_pk: int) -> HttpResponse:
    tag = tag_get(workspace=workspace, pk=tag_pk)
    tag_delete(tag=tag)
    messages.success(request, f"Deleted the tag {tag.name}; the people keep everything else.")
    return redirect("tags", slug=workspace.slug)


# Settings and calendar feeds


def _settings_page(
    request: HttpRequest, workspace: Workspace, form: KeepSettingsForm, feed_url: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "feeds": list(feeds_list(workspace=workspace, user=current_user(request))),
        "feed_url": feed_url,
    }
    return render(request, "web/keep_settings.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def keep_settings(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Channel weights, half-life, default cadence, weekly digest; and the calendar feeds."""
    config = keep_in_touch_settings(workspace=workspace)
    initial = {name: getattr(config, name) for name in SETTINGS_FIELDS}
    form = KeepSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            settings_update(workspace=workspace, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved. Strength and reminders follow the new settings.")
            return redirect("keep_settings", slug=workspace.slug)
    return _settings_page(request, workspace, form)


@workspace_view
@require_POST
def feed_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """A new secret calendar address, shown this once."""
    _, secret = feed_create(workspace=workspace, user=current_user(request))
    url = request.build_absolute_uri(reverse("calendar_feed", kwargs={"token": secret}))
    config = keep_in_touch_settings(workspace=workspace)
    form = KeepSettingsForm(initial={name: getattr(config, name) for name in SETTINGS_FIELDS})
    return _settings_page(request, workspace, form, feed_url=url)


@workspace_view
@require_POST
def feed_revoke_view(request: HttpRequest, workspace: Workspace, feed_pk: int) -> HttpResponse:
    feed = feed_get(workspace=workspace, user=current_user(request), pk=feed_pk)
    feed_revoke(feed=feed)
    messages.success(request, "Revoked. Calendars subscribed to that address get nothing more.")
    return redirect("keep_settings", slug=workspace.slug)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The reminders as iCalendar, for a calendar app holding the secret address; no login."""
    feed = feed_find(token)
    if feed is None:
        raise Http404("No such calendar feed.")
    response = HttpResponse(reminders_ics(feed=feed), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
