"""Conferences, trade shows, meetups and dinners where people meet face to face."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Provenance


class Event(Provenance):
    """A gathering the user attended or will attend."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Conference"
        TRADE_SHOW = "trade_show", "Trade show"
        MEETUP = "meetup", "Meetup"
        DINNER = "dinner", "Dinner"
        OTHER = "other", "Other"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="events")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CONFERENCE)
    venue = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    notes = models.TextField(blank=True, max_length=10_000, validators=[MaxLengthValidator(10_000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_on", "name")
        indexes = [models.Index(fields=["workspace", "-starts_on"], name="event_ws_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attendee(models.Model):
    """Someone on an event's attendee list, resolved to a person of the ledger when known."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    name = models.CharField(max_length=300)
    organization = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=320, blank=True)
    badge_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")
        indexes = [models.Index(fields=["event", "badge_id"], name="attendee_event_badge")]

    def __str__(self) -> str:
        return f"{self.name} at {self.event}"
