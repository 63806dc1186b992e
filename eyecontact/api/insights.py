"""Keeping in touch under ``/api/workspaces/{workspace}/``: who is fading, whom to contact this
week, how strong each relationship is, tags with their cadences, and the workspace's settings.

The fading list and reminders are computed by the selectors when read (see
:mod:`eyecontact.insights.selectors`); the API pages through their answer.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params import functions as param

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.common.api import Pages, renamed_fields
from eyecontact.insights.models import WEIGHT_PREFIX, KeepInTouchSettings, ReminderState, Tag
from eyecontact.insights.schemas import (
    FadingOut,
    KeepInTouchSettingsOut,
    KeepInTouchSettingsPatch,
    PersonTagIn,
    ReminderDoneIn,
    ReminderOut,
    ReminderSnoozeIn,
    ReminderStateOut,
    StrengthOut,
    TagIn,
    TagOut,
    TagPatch,
)
from eyecontact.insights.selectors import (
    FadingPerson,
    Reminder,
    effective_cadences,
    fading_list,
    keep_in_touch_settings,
    reminders_list,
    strengths,
    tag_get,
    tags_list,
)
from eyecontact.insights.services import (
    reminder_done,
    reminder_snooze,
    settings_update,
    tag_create,
    tag_delete,
    tag_person,
    tag_update,
    untag_person,
)
from eyecontact.people.models import Person
from eyecontact.people.selectors import person_get

__all__ = ["router"]

router = Router(tags=["keep in touch"])


def _person(request: HttpRequest, workspace: str, person_id: int) -> Person:
    return person_get(workspace=workspace_of(request, workspace), pk=person_id)


def _settings_out(config: KeepInTouchSettings) -> dict[str, Any]:
    return {
        "weights": config.weights(),
        "half_life_days": config.half_life_days,
        "default_cadence_days": config.default_cadence_days,
        "weekly_digest": config.weekly_digest,
    }


# Fading and reminders ----------------------------------------------------------------------


@router.get(
    "/{workspace}/fading",
    response=list[FadingOut],
    summary="People fading: past their cadence since we last met",
)
@paginate(Pages)
def fading(request: HttpRequest, workspace: str) -> list[FadingPerson]:
    """People whose last in-person meeting or phone call is further back than their cadence,
    strongest relationship first."""
    return fading_list(workspace=workspace_of(request, workspace))


@router.get(
    "/{workspace}/reminders",
    response=list[ReminderOut],
    summary="Whom to contact soon, and why",
)
@paginate(Pages)
def reminders(
    request: HttpRequest,
    workspace: str,
    horizon_days: int = param.Query(7, ge=0, le=90, description="Due within this many days"),
) -> list[Reminder]:
    """Overdue first, then by due day and strength; snoozed reminders stay hidden until their
    day, done ones until the cadence comes round."""
    return reminders_list(workspace=workspace_of(request, workspace), horizon_days=horizon_days)


@router.post(
    "/{workspace}/reminders/{person_id}/snooze",
    response=ReminderStateOut,
    summary="Snooze the reminder about a person until a day",
)
def reminder_snooze_new(
    request: HttpRequest, workspace: str, person_id: int, payload: ReminderSnoozeIn
) -> ReminderState:
    return reminder_snooze(person=_person(request, workspace, person_id), until=payload.until)


@router.post(
    "/{workspace}/reminders/{person_id}/done",
    response=ReminderStateOut,
    summary="Mark the reminder about a person done: we got in touch",
)
def reminder_done_new(
    request: HttpRequest, workspace: str, person_id: int, payload: ReminderDoneIn | None = None
) -> ReminderState:
    """The reminder comes back when the cadence comes round again; the body may be left out.
    With ``channel``, the touch that happened is logged too."""
    day = payload.day if payload is not None else None
    channel = payload.channel if payload is not None and payload.channel else ""
    with renamed_fields({"occurred_at": "day"}):
        return reminder_done(
            person=_person(request, workspace, person_id),
            day=day,
            channel=channel,
            actor=caller(request),
        )


@router.get(
    "/{workspace}/people/{person_id}/strength",
    response=StrengthOut,
    summary="How strong a relationship is, and why",
)
def person_strength(request: HttpRequest, workspace: str, person_id: int) -> dict[str, Any]:
    space = workspace_of(request, workspace)
    person = person_get(workspace=space, pk=person_id)
    strength = strengths(workspace=space, person_ids=[person.pk])[person.pk]
    return {
        "person_id": person.pk,
        "score": strength.score,
        "explanation": strength.explanation,
        "counts": strength.counts,
        "last": strength.last,
        "cadence_days": effective_cadences(workspace=space, people=[person]).get(person.pk),
    }


# Tags --------------------------------------------------------------------------------------


@router.get(
    "/{workspace}/tags",
    response=list[TagOut],
    summary="Tags with their cadence and how many people they hold",
)
@paginate(Pages)
def tags(request: HttpRequest, workspace: str) -> QuerySet[Tag]:
    return tags_list(workspace=workspace_of(request, workspace))


@router.post("/{workspace}/tags", response={201: TagOut}, summary="Create a tag")
def tag_new(request: HttpRequest, workspace: str, payload: TagIn) -> Status[Tag]:
    space = workspace_of(request, workspace)
    tag = tag_create(workspace=space, name=payload.name, cadence_days=payload.cadence_days)
    return Status(201, tag_get(workspace=space, pk=tag.pk))


@router.get("/{workspace}/tags/{tag_id}", response=TagOut, summary="A tag")
def tag_detail(request: HttpRequest, workspace: str, tag_id: int) -> Tag:
    return tag_get(workspace=workspace_of(request, workspace), pk=tag_id)


@router.patch(
    "/{workspace}/tags/{tag_id}", response=TagOut, summary="Rename a tag or change its cadence"
)
def tag_edit(request: HttpRequest, workspace: str, tag_id: int, payload: TagPatch) -> Tag:
    space = workspace_of(request, workspace)
    tag = tag_update(tag=tag_get(workspace=space, pk=tag_id), **payload.dict(exclude_unset=True))
    return tag_get(workspace=space, pk=tag.pk)


@router.delete(
    "/{workspace}/tags/{tag_id}",
    response={204: None},
    summary="Delete a tag; its people stay",
)
def tag_remove(request: HttpRequest, workspace: str, tag_id: int) -> Status[None]:
    tag_delete(tag=tag_get(workspace=workspace_of(request, workspace), pk=tag_id))
    return Status(204, None)


@router.get(
    "/{workspace}/people/{person_id}/tags", response=list[TagOut], summary="A person's tags"
)
def person_tags(request: HttpRequest, workspace: str, person_id: int) -> QuerySet[Tag]:
    space = workspace_of(request, workspace)
    return tags_list(workspace=space, person=person_get(workspace=space, pk=person_id))


@router.post(
    "/{workspace}/people/{person_id}/tags",
    response={201: TagOut},
    summary="Tag a person, creating the tag on first use",
)
def person_tag_new(
    request: HttpRequest, workspace: str, person_id: int, payload: PersonTagIn
) -> Status[Tag]:
    space = workspace_of(request, workspace)
    tag = tag_person(person=person_get(workspace=space, pk=person_id), name=payload.name)
    return Status(201, tag_get(workspace=space, pk=tag.pk))


@router.delete(
    "/{workspace}/people/{person_id}/tags/{tag_id}",
    response={204: None},
    summary="Take a tag off a person",
)
def person_tag_remove(
    request: HttpRequest, workspace: str, person_id: int, tag_id: int
) -> Status[None]:
    space = workspace_of(request, workspace)
    untag_person(
        person=person_get(workspace=space, pk=person_id), tag=tag_get(workspace=space, pk=tag_id)
    )
    return Status(204, None)


# Settings ----------------------------------------------------------------------------------


@router.get(
    "/{workspace}/keep-in-touch/settings",
    response=KeepInTouchSettingsOut,
    summary="How touches are weighed and how fast relationships fade",
)
def settings(request: HttpRequest, workspace: str) -> dict[str, Any]:
    return _settings_out(keep_in_touch_settings(workspace=workspace_of(request, workspace)))


@router.patch(
    "/{workspace}/keep-in-touch/settings",
    response=KeepInTouchSettingsOut,
    summary="Change the weights, half-life, default cadence or weekly digest",
)
def settings_edit(
    request: HttpRequest, workspace: str, payload: KeepInTouchSettingsPatch
) -> dict[str, Any]:
    changes = payload.dict(exclude_unset=True)
    weights = changes.pop("weights", None) or {}
    fields = {f"{WEIGHT_PREFIX}{channel}": weight for channel, weight in weights.items()}
    with renamed_fields(dict.fromkeys(fields, "weights")):
        config = settings_update(workspace=workspace_of(request, workspace), **fields, **changes)
    return _settings_out(config)
