"""Touches: every real-world contact with people, and the figures they keep current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.common.dates import at_noon_utc

from .. import constants
from ..choices import HIGH_TOUCH_CHANNELS, Channel, Source
from ..models import Person, Touch
from .persons import person_refresh_figures


def _check_touch(workspace: Workspace, people: Sequence[Person], channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationError(
            {
                "channel": constants.UNKNOWN_CHANNEL.format(
                    value=channel, choices=", ".join(Channel.values)
                )
            }
        )
    if not people:
        raise ValidationError({"people": constants.NO_PEOPLE})
    if any(p.workspace_id != workspace.pk for p in people):
        raise ValidationError({"people": "Every person must belong to this workspace."})


# How far ahead of the clock a touch may be: a day covers time zones, a phone's clock and a
# date typed for tonight; beyond it the touch has not happened, and would count as met.
TOUCH_AHEAD = dt.timedelta(days=1)


def touch_too_far_ahead(moment: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether a touch at ``moment`` would be more than a day in the future."""
    return moment > (now or timezone.now()) + TOUCH_AHEAD


def _as_moment(when: dt.datetime | dt.date | None) -> tuple[dt.datetime, bool]:
    """The moment of a touch and whether it has a time of day; refused when it is more than a
    day ahead (every door, web, API, CLI and booth, logs and edits touches through here)."""
    if when is None:
        return timezone.now(), True
    if isinstance(when, dt.datetime):
        if timezone.is_naive(when):
            raise ValidationError({"occurred_at": "The time needs a timezone."})
        moment, timed = when, True
    else:
        moment, timed = at_noon_utc(when), False
    if touch_too_far_ahead(moment):
        shown = f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if timed else f"{moment:%Y-%m-%d}"
        raise ValidationError({"occurred_at": constants.TOUCH_IN_FUTURE.format(when=shown)})
    return moment, timed


@transaction.atomic
def touch_log(
    *,
    workspace: Workspace,
    people: Sequence[Person],
    channel: str,
    when: dt.datetime | dt.date | None = None,
    has_time: bool | None = None,
    where: str = "",
    event: Any = None,
    note: str = "",
    source: str = Source.MANUAL,
    source_key: str = "",
    source_batch_id: int | None = None,
    actor: User | None = None,
) -> Touch:
    """Records a touch with ``people``: ``when`` is a moment, a day, or now by default."""
    _check_touch(workspace, people, channel)
    occurred_at, timed = _as_moment(when)
    if event is not None and event.workspace_id != workspace.pk:
        raise ValidationError({"event": constants.EVENT_OTHER_WORKSPACE})
    touch = Touch(
        workspace=workspace,
        channel=channel,
        occurred_at=occurred_at,
        has_time=timed if has_time is None else has_time,
        where=where.strip(),
        event=event,
        note=note.strip(),
        source=source,
        source_key=source_key,
        source_batch_id=source_batch_id,
        created_by=actor,
    )
    # The workspace, event and author are rows the caller holds (the event's workspace was
    # checked above): no queries to check that they exist.
    touch.full_clean(exclude=["workspace", "event", "created_by"])
    touch.save()
    touch.people.add(*people)  # a new touch: nobody to take off
    _figures_add(touch, {p.pk for p in people})
    return touch


def _figures_add(touch: Touch, person_ids: set[int]) -> None:
    """Counts a new touch into its people's figures: one UPDATE, no subqueries."""
    when = Value(touch.occurred_at, output_field=DateTimeField())

    def later(field: str) -> Greatest:
        return Greatest(Coalesce(F(field), when), when)

    changes: dict[str, Any] = {
        "touch_count": F("touch_count") + 1,
        "last_touch_at": later("last_touch_at"),
    }
    if touch.channel == Channel.IN_PERSON:
        changes["last_in_person_at"] = later("last_in_person_at")
    if touch.channel in {str(c) for c in HIGH_TOUCH_CHANNELS}:
        changes["last_high_touch_at"] = later("last_high_touch_at")
    Person.objects.filter(pk__in=person_ids).update(**changes)


@transaction.atomic
def touch_update(
    *,
    touch: Touch,
    people: Sequence[Person] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Touch:
    """Changes a touch; the figures of everyone it was and is with are recomputed."""
    allowed = {"channel", "when", "where", "event", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown touch fields: {sorted(unknown)}")
    before = set(touch.people.values_list("pk", flat=True))
    channel = fields.get("channel", touch.channel)
    _check_touch(touch.workspace, people if people is not None else [touch.people.first()], channel)  # type: ignore[list-item]  # an existing touch always has people
    if "when" in fields:
        touch.occurred_at, touch.has_time = _as_moment(fields.pop("when"))
    event = fields.get("event", touch.event)
    if event is not None and event.workspace_id != touch.workspace_id:
        raise ValidationError({"event": constants.EVENT_OTHER_WORKSPACE})
    for name, value in fields.items():
        setattr(touch, name, value.strip() if isinstance(value, str) else value)
    touch.full_clean()
    touch.save()
    if people is not None:
        touch.people.set(people)
    person_refresh_figures(before | set(touch.people.values_list("pk", flat=True)))
    return touch


@transaction.atomic
def touch_delete(*, touch: Touch, actor: User | None = None) -> None:
    person_ids = list(touch.people.values_list("pk", flat=True))
    audit_record(
        workspace=touch.workspace,
        actor=actor,
        action="touch.delete",
        subject=str(touch),
        details={"touch_id": touch.pk, "people": person_ids},
    )
    touch.delete()
    person_refresh_figures(person_ids)
