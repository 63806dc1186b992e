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
    # Where it takes place, as an IANA name: its meetings are shown in this zone. Blank: the user's.
    time_zone = models.CharField(max_length=64, blank=True, default="")
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


class Exhibit(models.Model):
    """The workspace's booth at an event: what it cost and who staffs it."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="exhibits")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="exhibits")
    name = models.CharField(max_length=200, help_text="The booth, e.g. 'Booth B12'")
    currency = models.CharField(max_length=3, default="USD")
    staff = models.ManyToManyField("accounts.User", related_name="exhibits_staffed", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-event__starts_on", "name")

    def __str__(self) -> str:
        return f"{self.name} at {self.event}"


class ExhibitCost(models.Model):
    """One line of what an exhibit cost."""

    class Category(models.TextChoices):
        SPACE = "space", "Space"
        STAND = "stand", "Stand"
        TRAVEL = "travel", "Travel"
        STAFF = "staff", "Staff"
        GIVEAWAYS = "giveaways", "Giveaways"
        OTHER = "other", "Other"

    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(max_length=10, choices=Category.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


class Capture(models.Model):
    """Someone met at the booth: a visit (entered the exhibit) or a face-to-face conversation.

    ``client_id`` is made by the capturing device, so a capture sent again (after a lost
    connection, from the offline queue) is stored exactly once.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        CONVERSATION = "conversation", "Conversation"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    exhibit = models.ForeignKey(Exhibit, on_delete=models.CASCADE, related_name="captures")
    client_id = models.UUIDField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    captured_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    captured_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    payload = models.TextField(blank=True, max_length=8192)
    payload_kind = models.CharField(max_length=10, blank=True)
    # What the staff member typed, kept as typed: the person is found from it after storing.
    name = models.CharField(max_length=300, blank=True)
    organization = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=320, blank=True)
    attendee = models.ForeignKey(
        Attendee, on_delete=models.SET_NULL, null=True, blank=True, related_name="captures"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="captures"
    )
    touch = models.ForeignKey(
        "people.Touch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    interests = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True, max_length=10_000)
    follow_up = models.BooleanField(default=False)
    # Captured more than a day before the event began or after it ended (a phone's clock, a test
    # scan the week before): the person is still found, but no meeting at the event is logged
    # and the exhibit's report does not count it.
    outside_dates = models.BooleanField(default=False)
    # When the capture was matched to a person (and a conversation logged as a touch); empty
    # while it waits: the phone's answer does not wait for the matching.
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "client_id"], name="capture_unique_client_id"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="capture_rating_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["exhibit", "captured_at"], name="capture_exhibit_when"),
            models.Index(
                fields=["id"],
                condition=models.Q(resolved_at__isnull=True),
                name="capture_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.exhibit}"
