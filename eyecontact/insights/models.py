"""Keeping relationships alive: tags with cadences, strength settings, reminders, feeds."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from eyecontact.accounts.models import Workspace
from eyecontact.people.choices import CHANNELS, Channel
from eyecontact.people.models import Person

from .strength import DEFAULT_HALF_LIFE_DAYS

# The settings' column of each channel's weight: ``weight_phone`` for ``phone``.
WEIGHT_PREFIX = "weight_"


def _weight_fields() -> dict[str, models.FloatField[float, float]]:
    """A weight column per touch channel, in the channels' order, defaulting to its weight."""
    return {
        f"{WEIGHT_PREFIX}{channel.value}": models.FloatField(
            default=CHANNELS[channel].weight,
            validators=[MinValueValidator(0), MaxValueValidator(100)],
        )
        for channel in Channel
    }


class Tag(models.Model):
    """A group of people ("clients", "investors", "running club"), with its own cadence."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    # How often to see the people of this group, unless a person has a cadence of their own.
    cadence_days = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    people = models.ManyToManyField(Person, related_name="tags", blank=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class KeepInTouchSettings(models.Model):
    """How a workspace weighs touches and how fast relationships fade without them."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="keep_in_touch"
    )
    # ``weight_in_person``, ``weight_phone``, ...: one per channel of the registry, declared
    # here so the columns keep their place among the others.
    locals().update(_weight_fields())
    half_life_days = models.PositiveIntegerField(
        default=DEFAULT_HALF_LIFE_DAYS, validators=[MinValueValidator(7), MaxValueValidator(3650)]
    )
    # A cadence for everyone without one of their own or of a tag; empty means none.
    default_cadence_days = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    weekly_digest = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Keep-in-touch settings of {self.workspace}"

    def weights(self) -> dict[str, float]:
        """What a touch of each channel adds to strength here, by the channel's stored value."""
        return {
            channel.value: float(getattr(self, f"{WEIGHT_PREFIX}{channel.value}"))
            for channel in Channel
        }


class ReminderState(models.Model):
    """What the user did about a reminder: snoozed it until a day, or marked it done."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminder_states")
    snoozed_until = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person"], name="reminder_state_unique_person"),
        ]

    def __str__(self) -> str:
        return f"Reminder about {self.person}"


class CalendarFeed(models.Model):
    """A secret address from which a calendar app reads the user's reminders; revocable."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} for {self.workspace}"


class PlanItem(models.Model):
    """Someone the user means to meet at an upcoming event, and why; ticked once met."""

    class Group(models.TextChoices):
        ONLINE_TO_REAL = "online_to_real", "Turn online into real"
        RENEW = "renew", "Renew"
        SAY_HELLO = "say_hello", "Say hello"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="plan")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    group = models.CharField(max_length=16, choices=Group.choices)
    reason = models.CharField(max_length=300)
    met = models.BooleanField(default=False)
    touch = models.ForeignKey(
        "people.Touch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="plan_item_unique_person"),
        ]

    def __str__(self) -> str:
        return f"Meet {self.person} at {self.event}"
