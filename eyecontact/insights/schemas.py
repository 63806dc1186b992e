"""What the API reads and writes about keeping in touch: strength, reminders, tags, settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema
from pydantic import create_model

from eyecontact.people.choices import CHANNELS, Channel

from .strength import DEFAULT_HALF_LIFE_DAYS

__all__ = [
    "FadingOut",
    "KeepInTouchSettingsOut",
    "KeepInTouchSettingsPatch",
    "PersonTagIn",
    "ReminderDoneIn",
    "ReminderOut",
    "ReminderPersonOut",
    "ReminderSnoozeIn",
    "ReminderStateOut",
    "StrengthOut",
    "TagIn",
    "TagOut",
    "TagPatch",
    "Weights",
    "WeightsPatch",
]

# The bounds below are the model fields' validators, repeated so the schema documents them and
# a refusal names the nested field (``["body", "weights", "phone"]``).


class ReminderPersonOut(Schema):
    id: int
    display_name: str
    organization: str
    title: str


class FadingOut(Schema):
    """Someone whose last in-person meeting or phone call is further back than their cadence."""

    person: ReminderPersonOut
    cadence_days: int
    last_high_touch_at: dt.datetime | None = Field(..., alias="last_high_touch")
    due_on: dt.date
    overdue_days: int
    why: str
    strength: float = Field(..., alias="strength.score")
    strength_explanation: str = Field(..., alias="strength.explanation")


class ReminderOut(Schema):
    """Someone to contact soon, and why."""

    person: ReminderPersonOut
    due_on: dt.date
    overdue: bool
    why: str
    strength: float
    birthday: dt.date | None = Field(None, description="A birthday within the days, if any")


class ReminderSnoozeIn(Schema):
    until: dt.date = Field(..., description="A day in the future")


class ReminderDoneIn(Schema):
    day: dt.date | None = Field(None, description="The day you got in touch; today if left out")
    channel: Channel | None = Field(
        None, description="How you got in touch: logs that touch too (on the day, else now)"
    )


class ReminderStateOut(Schema):
    person_id: int
    snoozed_until: dt.date | None
    done_on: dt.date | None


class StrengthOut(Schema):
    """How alive a relationship is: each touch's weight, halved every half-life since."""

    person_id: int
    score: float
    explanation: str = Field(..., description='In words: "3 in-person meetings, last one ..."')
    counts: dict[str, int] = Field(..., description="Touches by channel")
    last: dict[str, dt.datetime] = Field(..., description="The latest touch by channel")
    cadence_days: int | None = Field(
        ..., description="How often to meet: the person's own, else their tags', else the default"
    )


class TagOut(Schema):
    id: int
    name: str
    cadence_days: int | None
    member_count: int


class TagIn(Schema):
    name: str
    cadence_days: int | None = Field(None, ge=1, le=3650)


class TagPatch(Schema):
    name: str = ""
    cadence_days: int | None = Field(None, ge=1, le=3650)


class PersonTagIn(Schema):
    name: str = Field(..., description="The tag's name; a new tag is created on first use")


# A field per touch channel of the registry, named by its stored value (``in_person``, ...).
_WEIGHTS: dict[str, Any] = {channel.value: (float, ...) for channel in Channel}
_WEIGHTS_PATCH: dict[str, Any] = {
    channel.value: (float, Field(CHANNELS[channel].weight, ge=0, le=100)) for channel in Channel
}
Weights = create_model("Weights", __base__=Schema, **_WEIGHTS)
WeightsPatch = create_model("WeightsPatch", __base__=Schema, **_WEIGHTS_PATCH)


class KeepInTouchSettingsOut(Schema):
    # A class built from the registry is a type to pydantic, not to mypy.
    weights: Weights = Field(  # type: ignore[valid-type]
        ..., description="What a touch of each channel adds to strength"
    )
    half_life_days: int = Field(..., description="Days after which a touch counts half")
    default_cadence_days: int | None = Field(
        ..., description="How often to meet people with no cadence of their own or of a tag"
    )
    weekly_digest: bool


class KeepInTouchSettingsPatch(Schema):
    """Only the fields sent change; so do only the weights sent."""

    weights: WeightsPatch | None = None  # type: ignore[valid-type]  # built from the registry
    half_life_days: int = Field(DEFAULT_HALF_LIFE_DAYS, ge=7, le=3650)
    default_cadence_days: int | None = Field(None, ge=1, le=3650)
    weekly_digest: bool = False
