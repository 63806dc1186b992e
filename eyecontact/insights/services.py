"""Changing tags, cadences, reminders, settings and calendar feeds."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import secret_hash
from eyecontact.people.choices import Channel
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

from .models import WEIGHT_PREFIX, CalendarFeed, KeepInTouchSettings, ReminderState, Tag

__all__ = [
    "feed_create",
    "feed_find",
    "feed_revoke",
    "reminder_done",
    "reminder_snooze",
    "settings_update",
    "tag_create",
    "tag_delete",
    "tag_person",
    "tag_update",
    "untag_person",
]

SETTINGS_FIELDS = (
    *(f"{WEIGHT_PREFIX}{channel.value}" for channel in Channel),
    "half_life_days",
    "default_cadence_days",
    "weekly_digest",
)


@transaction.atomic
def tag_create(*, workspace: Workspace, name: str, cadence_days: int | None = None) -> Tag:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A tag needs a name."})
    if Tag.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a tag called {name!r}."})
    tag = Tag(workspace=workspace, name=name, cadence_days=cadence_days)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, **fields: Any) -> Tag:
    unknown = set(fields) - {"name", "cadence_days"}
    if unknown:
        raise TypeError(f"unknown tag fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(tag, name, value)
    tag.name = " ".join(tag.name.split())
    tag.full_clean()
    tag.save()
    return tag


def tag_delete(*, tag: Tag) -> None:
    tag.delete()


def tag_person(*, person: Person, name: str) -> Tag:
    """Puts ``person`` in the group ``name``, creating the tag on first use."""
    tag = Tag.objects.filter(workspace_id=person.workspace_id, name__iexact=name.strip()).first()
    if tag is None:
        tag = tag_create(workspace=person.workspace, name=name)
    tag.people.add(person)
    return tag


def untag_person(*, person: Person, tag: Tag) -> None:
    tag.people.remove(person)


def reminder_snooze(*, person: Person, until: dt.date) -> ReminderState:
    """Hides the reminder about ``person`` until ``until``."""
    if until <= timezone.localdate():
        raise ValidationError({"until": "Snooze until a day in the future."})
    state, _ = ReminderState.objects.update_or_create(
        person=person, defaults={"workspace_id": person.workspace_id, "snoozed_until": until}
    )
    return state


@transaction.atomic
def reminder_done(
    *,
    person: Person,
    day: dt.date | None = None,
    channel: str = "",
    actor: User | None = None,
) -> ReminderState:
    """The user got in touch: the reminder comes back only when the cadence comes round.

    With ``channel``, the touch that happened is logged too: on ``day`` (a day alone), or now
    when no day is given. A refused touch (a day ahead, an unknown channel) marks nothing done.
    """
    if channel:
        touch_log(
            workspace=person.workspace,
            people=[person],
            channel=channel,
            when=day,
            actor=actor,
        )
    state, _ = ReminderState.objects.update_or_create(
        person=person,
        defaults={
            "workspace_id": person.workspace_id,
            "done_on": day or timezone.localdate(),
            "snoozed_until": None,
        },
    )
    return state


@transaction.atomic
def settings_update(*, workspace: Workspace, **fields: Any) -> KeepInTouchSettings:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown settings: {sorted(unknown)}")
    config, _ = KeepInTouchSettings.objects.get_or_create(workspace=workspace)
    for name, value in fields.items():
        setattr(config, name, value)
    config.full_clean()
    config.save()
    return config


def feed_create(*, workspace: Workspace, user: User) -> tuple[CalendarFeed, str]:
    """A new secret calendar address for ``user``; the secret is shown once."""
    secret = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        workspace=workspace, user=user, token_hash=secret_hash(secret)
    )
    return feed, secret


def feed_find(secret: str) -> CalendarFeed | None:
    """The live feed behind a secret address; None once revoked or if the user left."""
    feed = (
        CalendarFeed.objects.select_related("workspace", "user")
        .filter(token_hash=secret_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or not feed.workspace.memberships.filter(user=feed.user).exists():
        return None
    return feed


def feed_revoke(*, feed: CalendarFeed) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
