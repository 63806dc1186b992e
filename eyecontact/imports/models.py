"""A record of each file a user imported, so it can be shown, repeated safely and undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from eyecontact.accounts.models import Workspace


class ImportBatch(models.Model):
    """One imported file (or export archive): its source, when, what it changed."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        UNDONE = "undone", "Undone"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # What the import changed on people it did not create, for an undo to put back:
    # {"names": {person id: [display, given, family name before, display name after]},
    #  "details": {person id: {field: [before, after]}}}. Its merges name it themselves.
    restore = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class SourceRecord(models.Model):
    """One row of an export as last imported: which person it became and why.

    Keyed by format and the row's stable key, so a re-import updates instead of duplicating, a
    newer export can tell which connections disappeared, and an automatic match can be split.
    """

    class Decision(models.TextChoices):
        NEW = "new", "New person"
        IDENTITY = "identity", "Matched by a shared identity"
        MATCHED = "matched", "Matched by name and details"
        REVIEW = "review", "New person, possible match waiting for review"
        SPLIT = "split", "Split from a match by the user"

    # Covered by the unique key, which leads with it.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    source_format = models.CharField(max_length=20)
    key = models.CharField(max_length=400)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_records",
    )
    first_batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="+")
    # Indexed once, by the index named in Meta.
    last_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    score = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Set when a newer export of the same source no longer lists this row.
    missing_since = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source_format", "key"], name="source_record_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["last_batch"], name="source_record_last_batch")]

    def __str__(self) -> str:
        return f"{self.source_format}:{self.key}"


class Organization(models.Model):
    """A company, a place, a mailing list, a shared mailbox or a room that an export listed.

    Address books hold company and place cards and calendars invite lists, shared mailboxes
    and rooms: none of them is a person, so none becomes one. Each is kept once per workspace
    (by its address, else its name) and linked to the touches that happened there or that it
    hosted.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organisation or place"
        MAILING_LIST = "mailing_list", "Mailing list or group"
        ROOM = "room", "Room"

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=320, blank=True)
    # "email:<address>" or "name:<folded name>": the same organisation from every export.
    key = models.CharField(max_length=400)
    source_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    touches = models.ManyToManyField("people.Touch", related_name="organizations", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="organization_unique_key"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.key
