"""The people a user knows, the ways to recognise them, and every real-world touch with them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from eyecontact.accounts.models import Workspace

from .choices import Channel, ConnectionKind, IdentityKind, Network, Source

NOTE_MAX_LENGTH = 10_000
# Longer words are cut to this: nobody types a hundred letters of one word to find someone.
SEARCH_WORD_MAX_LENGTH = 100


class Provenance(models.Model):
    """Where a row came from: typed, imported (from which import and which record), captured."""

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A stable key from the source file (a profile URL, a calendar UID), so re-imports match.
    source_key = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


class Person(Provenance):
    """A human the user knows or is connected to."""

    # Every index below leads with the workspace: one of its own would only slow imports.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="people", db_index=False
    )
    given_name = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=300)
    organization = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=120, blank=True)
    notes = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    # How often the user wants a high-touch contact with this person; empty means no goal.
    cadence_days = models.PositiveIntegerField(null=True, blank=True)
    # Archived (deleted from a phone's address book, or by hand): out of the people list,
    # search, counts, reminders and the address book, with all their history kept; brought
    # back by clearing it.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Kept up to date by the touch services so lists sort and filter without aggregating.
    sort_name = models.CharField(max_length=300, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    touch_count = models.PositiveIntegerField(default=0, editable=False)
    last_touch_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_in_person_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_high_touch_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "people"
        # Each ends with the id the lists break ties by, so PostgreSQL reads a page straight
        # from the index instead of sorting every tie (the 40,000 people never touched share a
        # touch count of 0). SQLite keeps the id in every index anyway.
        indexes = [
            models.Index(fields=["workspace", "sort_name", "id"], name="person_ws_sort"),
            models.Index(fields=["workspace", "last_touch_at", "id"], name="person_ws_last_touch"),
            models.Index(
                fields=["workspace", "last_in_person_at", "id"], name="person_ws_last_met"
            ),
            models.Index(fields=["workspace", "touch_count", "id"], name="person_ws_touch_count"),
            models.Index(fields=["workspace", "organization"], name="person_ws_org"),
        ]

    def __str__(self) -> str:
        return self.display_name


class PersonSearchWord(models.Model):
    """One word a person is found by: of their name, organization, title, city or an e-mail.

    Kept from ``Person.search_text`` by ``eyecontact.people.search``; the people list finds
    people by the words a typed word starts, through the (workspace, word) index.
    """

    # Both covered by the indexes below, which lead with them.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="search_words", db_index=False
    )
    word = models.CharField(max_length=SEARCH_WORD_MAX_LENGTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "word"], name="search_word_unique"),
        ]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL answer LIKE 'word%' from the index whatever
            # the database's collation; other databases ignore operator classes.
            models.Index(
                fields=["workspace", "word", "person"],
                name="search_word_ws_word",
                opclasses=["int8_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ]

    def __str__(self) -> str:
        return self.word


class Identity(Provenance):
    """One way to recognise a person: an e-mail, a phone number, a profile on a network."""

    # Covered by the unique constraint and the index below, which lead with them.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="identities", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="identities", db_index=False
    )
    kind = models.CharField(max_length=10, choices=IdentityKind.choices)
    value = models.CharField(max_length=320, help_text="Normalised: lower-case e-mail, E.164 phone")
    label = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "value"], name="identity_unique_per_workspace"
            ),
        ]
        indexes = [models.Index(fields=["person", "kind"], name="identity_person_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Touch(Provenance):
    """An interaction with one or more people: a meeting, a call, a message."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="touches")
    people = models.ManyToManyField(Person, related_name="touches")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    occurred_at = models.DateTimeField()
    # A touch known only by its day is stored at noon UTC and shown as a date.
    has_time = models.BooleanField(default=True)
    where = models.CharField(max_length=200, blank=True)
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="touches"
    )
    note = models.TextField(
        blank=True, max_length=NOTE_MAX_LENGTH, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "touches"
        indexes = [
            models.Index(fields=["workspace", "-occurred_at"], name="touch_ws_when"),
            models.Index(fields=["workspace", "source_key"], name="touch_ws_source_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.occurred_at:%Y-%m-%d}"


class PersonMerge(models.Model):
    """Two records of one human made one; keeps what is needed to split them again."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="merges")
    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="merges_kept")
    dropped_id = models.BigIntegerField()
    # The dropped person's fields and the ids of the identities, touches and connections moved.
    snapshot = models.JSONField()
    automatic = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    evidence = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The import that made this merge, so undoing the import splits it again.
    source_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Merge of #{self.dropped_id} into {self.kept}"


class MatchReview(models.Model):
    """Two people who may be one human: shown side by side for the user to decide.

    At most ``settings.REVIEW_QUEUE_SIZE`` of a workspace's undecided ones wait for review at
    once, the likeliest gain first; the rest are held back, kept, and come up as those waiting
    are decided (:mod:`eyecontact.people.services.queue`)."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for review"
        HELD = "held", "Held back, less likely"
        MERGED = "merged", "Same person, merged"
        REJECTED = "rejected", "Not the same person"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="reviews")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    evidence = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    source_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="review_unique_pair"),
        ]
        indexes = [models.Index(fields=["workspace", "status", "-score"], name="review_ws_open")]

    def __str__(self) -> str:
        return f"{self.person_a} / {self.person_b} ({self.score:.2f})"


class NotSamePerson(models.Model):
    """The user's word that two people are different humans; matching never joins them again."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    # Ids rather than keys: a person deleted later leaves a harmless row behind.
    person_low_id = models.BigIntegerField()
    person_high_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "person_low_id", "person_high_id"],
                name="not_same_unique_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.person_low_id} is not #{self.person_high_id}"


class Connection(Provenance):
    """A link between the user and a person on a social network."""

    # No index of their own: (workspace, network, kind) and (person, network, kind) below lead
    # with them, and a heavy user's import would keep 140,000 entries more in each.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="connections", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="connections", db_index=False
    )
    network = models.CharField(max_length=10, choices=Network.choices)
    kind = models.CharField(max_length=10, choices=ConnectionKind.choices)
    # Networks that give no date (X) leave it empty.
    connected_on = models.DateField(null=True, blank=True)
    # When a later export no longer listed this connection.
    removed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it had when connections belonged to the networks app.
        db_table = "networks_connection"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "kind"], name="connection_unique_per_person"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "network", "kind"], name="conn_ws_net")]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.get_kind_display().lower()}: {self.person}"
