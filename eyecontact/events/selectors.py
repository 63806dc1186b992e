"""Reading events with the touches and people met there."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from eyecontact.accounts.models import Membership, User, Workspace
from eyecontact.people.models import Person, Touch
from eyecontact.people.selectors import touches_list

from .models import Attendee, Event, Exhibit

__all__ = [
    "attendees_of",
    "event_choices",
    "event_current",
    "event_find",
    "event_get",
    "event_people",
    "event_touches",
    "events_list",
    "exhibit_find",
    "exhibit_get",
    "exhibit_for_capture",
]


def events_list(*, workspace: Workspace, query: str = "") -> QuerySet[Event]:
    events = Event.objects.filter(workspace=workspace).annotate(touch_total=Count("touches"))
    if query:
        events = events.filter(name__icontains=query.strip())
    return events.order_by("-starts_on", "name")


def event_get(*, workspace: Workspace, pk: int) -> Event:
    return get_object_or_404(Event.objects.filter(workspace=workspace), pk=pk)


def event_touches(*, event: Event) -> QuerySet[Touch]:
    return touches_list(workspace=event.workspace).filter(event=event)


def event_people(*, event: Event) -> QuerySet[Person]:
    """Everyone with a touch at this event, with how many touches each."""
    return (
        Person.objects.filter(workspace=event.workspace, touches__event=event)
        .annotate(touches_here=Count("touches"))
        .order_by("sort_name")
    )


def event_choices(*, workspace: Workspace) -> QuerySet[Event]:
    """Events to pick from when logging a touch: newest first, without aggregates."""
    return (
        Event.objects.filter(workspace=workspace)
        .only("id", "name", "starts_on")
        .order_by("-starts_on", "name")
    )


def event_current(*, workspace: Workspace, day: dt.date) -> Event | None:
    """The event taking place on ``day``, so a touch logged there picks it by default."""
    return (
        Event.objects.filter(workspace=workspace, starts_on__lte=day, ends_on__gte=day)
        .order_by("-starts_on", "name")
        .first()
    )


def event_find(*, workspace: Workspace, key: str) -> Event:
    """The event with this id or name (case-insensitive); a clear error when none or several."""
    key = " ".join(key.split())
    events = Event.objects.filter(workspace=workspace).order_by("-starts_on", "name")
    found = list(events.filter(pk=int(key))) if key.isdigit() else []
    found = (
        found
        or list(events.filter(name__iexact=key))
        or list(events.filter(name__icontains=key)[:10])
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError({"event": f"No event {key!r} in this workspace."})
    choices = "; ".join(f"#{e.pk} {e.name} ({e.starts_on:%Y-%m-%d})" for e in found)
    raise ValidationError({"event": f"Several events match {key!r}: {choices}."})


def exhibit_find(*, workspace: Workspace, key: str) -> Exhibit:
    """The exhibit with this id or name, or the only one at the event of that name
    (case-insensitive); a clear error when none or several."""
    key = " ".join(key.split())
    exhibits = (
        Exhibit.objects.filter(workspace=workspace)
        .select_related("event")
        .order_by("-event__starts_on", "name", "id")
    )
    found = list(exhibits.filter(pk=int(key))) if key.isdigit() else []
    found = (
        found
        or list(exhibits.filter(name__iexact=key))
        or list(exhibits.filter(event__name__iexact=key))
    )
    # An id that is not here must not turn into a search for the digits in names.
    if not found and not key.isdigit():
        found = list(exhibits.filter(Q(name__icontains=key) | Q(event__name__icontains=key))[:10])
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationError({"exhibit": f"No exhibit {key!r} in this workspace."})
    choices = "; ".join(f"#{e.pk} {e.name} at {e.event.name}" for e in found)
    raise ValidationError({"exhibit": f"Several exhibits match {key!r}: {choices}."})


def exhibit_for_capture(*, user: User, slug: str, pk: int) -> tuple[Exhibit, bool]:
    """The exhibit ``pk`` of workspace ``slug`` and whether ``user`` is on its staff.

    A workspace ``user`` is not a member of, or an exhibit not in it, is a 404 as everywhere.
    The booth's phones call this for every capture, so it is one plain statement: built by the
    ORM (joins through the membership, an EXISTS for the staff) it cost ten times as much
    processor time to compile as to run.
    """
    with connection.cursor() as cursor:
        cursor.execute(_EXHIBIT_FOR_CAPTURE, [user.pk, pk, slug, user.pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such exhibit.")
    exhibit_pk, workspace_pk, event_pk, name, is_staff = row
    exhibit = Exhibit(pk=exhibit_pk, workspace_id=workspace_pk, event_id=event_pk, name=name)
    exhibit._state.adding = False  # a row read from the database, like the ORM's own
    exhibit._state.db = connection.alias
    return exhibit, bool(is_staff)


_EXHIBIT_FOR_CAPTURE = f"""
    SELECT e.id, e.workspace_id, e.event_id, e.name,
           EXISTS (SELECT 1 FROM {Exhibit.staff.through._meta.db_table} s
                   WHERE s.exhibit_id = e.id AND s.user_id = %s)
    FROM {Exhibit._meta.db_table} e
    JOIN {Workspace._meta.db_table} w ON w.id = e.workspace_id
    JOIN {Membership._meta.db_table} m ON m.workspace_id = w.id
    WHERE e.id = %s AND w.slug = %s AND m.user_id = %s
"""  # noqa: S608  # table names from the models; every value is a parameter


def exhibit_get(*, workspace: Workspace, pk: int) -> Exhibit:
    """The exhibit ``pk`` of ``workspace`` with its event; a 404 for any other."""
    return get_object_or_404(
        Exhibit.objects.select_related("event", "workspace").filter(workspace=workspace), pk=pk
    )


def attendees_of(*, event: Event) -> QuerySet[Attendee]:
    """The event's attendee list, by name."""
    return Attendee.objects.filter(event=event).order_by("name", "id")
