"""What the API reads and writes about events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema

from eyecontact.common.api import ApiName
from eyecontact.people.models import Person

from .models import Event
from .selectors import event_people

__all__ = ["EventDetailOut", "EventIn", "EventKind", "EventOut", "EventPatch", "EventPersonOut"]

# Named apart from the kinds of booth captures in the OpenAPI document.
EventKind = Annotated[Event.Kind, ApiName("EventKind")]


class EventOut(Schema):
    id: int
    name: str
    kind: EventKind
    venue: str
    city: str
    starts_on: dt.date
    ends_on: dt.date
    notes: str
    touch_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_touch_count(event: Event) -> int:
        # Lists annotate the figure; a single event counts its touches.
        total = getattr(event, "touch_total", None)
        return event.touches.count() if total is None else int(total)


class EventPersonOut(Schema):
    """Someone met at the event, with how many touches there."""

    id: int
    display_name: str
    organization: str
    touches_here: int


class EventDetailOut(EventOut):
    people: list[EventPersonOut]

    @staticmethod
    def resolve_people(event: Event) -> list[Person]:
        return list(event_people(event=event))


class EventIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    kind: EventKind = Event.Kind.CONFERENCE
    venue: str = ""
    city: str = ""
    notes: str = ""


class EventPatch(Schema):
    name: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    kind: EventKind = Event.Kind.CONFERENCE
    venue: str = ""
    city: str = ""
    notes: str = ""
