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
