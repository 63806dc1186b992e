"""Planning whom to meet at an upcoming event, and logging who was met afterwards.

From the event's attendee list, the people of the ledger who will be there fall into three
groups, each ranked:

- **turn online into real**: connected on a network but never met in person or by phone,
  most-touched online first: the event is the chance to make the link real;
- **renew**: relationships past their cadence (the fading list), strongest first;
- **say hello**: strong relationships, strongest first.

The user picks people into a personal plan, prints it or adds it to a calendar, and after the
event ticks who they met: each becomes an in-person touch at the event, in one step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from eyecontact.accounts.models import User
from eyecontact.events.models import Attendee, Event
from eyecontact.people.choices import Channel
from eyecontact.people.models import Connection, Person, Touch
from eyecontact.people.services import touch_log

from .models import PlanItem
from .selectors import fading_list, strengths

__all__ = [
    "SAY_HELLO_STRENGTH",
    "Suggestion",
    "plan_items",
    "plan_pick",
    "plan_suggestions",
    "plan_tick_met",
    "plan_unpick",
]

# About two recent in-person meetings' worth of strength.
SAY_HELLO_STRENGTH = 15.0
Group = PlanItem.Group


@dataclass(frozen=True)
class Suggestion:
    """Someone to meet at the event, the group they fall in, and why."""

    person: Person
    group: str
    reason: str
    strength: float
    picked: bool


def _attending(event: Event) -> list[Person]:
    ids = (
        Attendee.objects.filter(event=event, person__isnull=False)
        .values_list("person_id", flat=True)
        .distinct()
    )
    # Someone archived (deleted from a phone) is not suggested.
    known = Person.objects.filter(workspace=event.workspace, archived_at__isnull=True)
    return list(known.filter(pk__in=list(ids)))


def plan_suggestions(
    *, event: Event, now: dt.datetime | None = None
) -> dict[str, list[Suggestion]]:
    """The attendees I know, grouped and ranked, each with why."""
    moment = now or timezone.now()
    people = _attending(event)
    ids = [p.pk for p in people]
    power = strengths(workspace=event.workspace, person_ids=ids, now=moment)
    picked = set(PlanItem.objects.filter(event=event).values_list("person_id", flat=True))
    fading = {f.person.pk: f for f in fading_list(workspace=event.workspace, now=moment)}
    links: dict[int, list[Connection]] = {}
    for connection in Connection.objects.filter(person_id__in=ids, removed_on__isnull=True):
        links.setdefault(connection.person_id, []).append(connection)
    groups: dict[str, list[Suggestion]] = {g.value: [] for g in Group}
    for person in people:
        strength = power[person.pk]
        met = person.last_high_touch_at is not None and person.last_high_touch_at <= moment
        if not met and person.pk in links:
            first = min(links[person.pk], key=lambda c: c.connected_on or dt.date.max)
            since = f" since {first.connected_on:%B %Y}" if first.connected_on else ""
            reason = f"Connected on {first.get_network_display()}{since}, never met."
            group = Group.ONLINE_TO_REAL
        elif person.pk in fading:
            reason = fading[person.pk].why
            group = Group.RENEW
        elif strength.score >= SAY_HELLO_STRENGTH:
            reason = strength.explanation
            group = Group.SAY_HELLO
        else:
            continue
        groups[group].append(
            Suggestion(
                person=person,
                group=group,
                reason=reason,
                strength=strength.score,
                picked=person.pk in picked,
            )
        )
    groups[Group.ONLINE_TO_REAL].sort(key=lambda s: (-s.person.touch_count, s.person.sort_name))
    for group in (Group.RENEW, Group.SAY_HELLO):
        groups[group].sort(key=lambda s: (-s.strength, s.person.sort_name))
    return groups


def plan_pick(*, event: Event, person: Person, group: str, reason: str) -> PlanItem:
    """Adds ``person`` to the plan for ``event``."""
    if person.workspace_id != event.workspace_id:
        raise ValidationError({"person": "That person belongs to another workspace."})
    if group not in Group.values:
        raise ValidationError({"group": f"Unknown group {group!r}."})
    item, _ = PlanItem.objects.update_or_create(
        event=event,
        person=person,
        defaults={"workspace": event.workspace, "group": group, "reason": reason[:300]},
    )
    return item


def plan_unpick(*, event: Event, person: Person) -> None:
    PlanItem.objects.filter(event=event, person=person, met=False).delete()


def plan_items(*, event: Event) -> QuerySet[PlanItem]:
    return (
        PlanItem.objects.filter(event=event)
        .select_related("person")
        .order_by("group", "person__sort_name")
    )


@transaction.atomic
def plan_tick_met(
    *,
    event: Event,
    people: Sequence[Person],
    day: dt.date | None = None,
    actor: User | None = None,
) -> list[Touch]:
    """After the event: each person ticked becomes an in-person touch at the event."""
    touches = []
    when = day or event.starts_on
    if when < event.starts_on or when > event.ends_on:
        raise ValidationError(
            {"day": f"{event.name} ran from {event.starts_on} to {event.ends_on}."}
        )
    where = ", ".join(p for p in (event.venue, event.city) if p)
    for person in people:
        item = PlanItem.objects.filter(event=event, person=person).first()
        if item is not None and item.met:
            continue
        touch = touch_log(
            workspace=event.workspace,
            people=[person],
            channel=Channel.IN_PERSON,
            when=when,
            where=where,
            event=event,
            note=f"Met at {event.name}",
            actor=actor,
        )
        if item is None:
            item = PlanItem(
                workspace=event.workspace,
                event=event,
                person=person,
                group=Group.SAY_HELLO,
                reason="Met at the event",
            )
        item.met = True
        item.touch = touch
        item.save()
        touches.append(touch)
    return touches
