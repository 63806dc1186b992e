"""Creating and changing events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.common.zones import UNKNOWN_ZONE, zone_is_known

from .models import Event

__all__ = ["event_create", "event_delete", "event_update", "events_create_many"]

EVENT_FIELDS = ("name", "kind", "venue", "city", "time_zone", "starts_on", "ends_on", "notes")


def _check_dates(event: Event) -> None:
    if event.starts_on and event.ends_on and event.ends_on < event.starts_on:
        raise ValidationError({"ends_on": "An event cannot end before it starts."})
    if event.time_zone and not zone_is_known(event.time_zone):
        raise ValidationError({"time_zone": UNKNOWN_ZONE.format(name=event.time_zone)})


@transaction.atomic
def event_create(
    *,
    workspace: Workspace,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = Event(
        workspace=workspace,
        name=" ".join(name.split()),
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        **fields,
    )
    _check_dates(event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def events_create_many(*, events: list[Event]) -> list[Event]:
    """Stores many new events at once (a generated history, a calendar of a year), each
    checked as :func:`event_create` checks one; their ``pk`` is set on return."""
    for event in events:
        event.full_clean(validate_unique=False, validate_constraints=False)
        _check_dates(event)
    return Event.objects.bulk_create(events)


@transaction.atomic
def event_update(*, event: Event, actor: User | None = None, **fields: Any) -> Event:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)
    _check_dates(event)
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def event_delete(*, event: Event, actor: User | None = None) -> None:
    """Deletes an event; its touches stay, without the event."""
    audit_record(workspace=event.workspace, actor=actor, action="event.delete", subject=event.name)
    event.delete()
