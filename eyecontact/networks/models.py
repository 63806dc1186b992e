"""Links on social networks: the online side of a relationship."""

from __future__ import annotations

from django.db import models

from eyecontact.accounts.models import Workspace

# Follow churn on X. Account ids are X's 64-bit snowflakes, kept as decimal text: a
# BigIntegerField is signed and would refuse ids past 2**63 - 1, a DecimalField reads back as
# a float-like value on SQLite, while text is exact everywhere and matches the X identities'
# ``id:<number>`` values the pages link people by.
ACCOUNT_ID_LENGTH = 20  # digits of 2**64 - 1


class FollowListKind(models.TextChoices):
    FOLLOWER = "follower", "Followers"
    FOLLOWING = "following", "Following"


class FollowChangeKind(models.TextChoices):
    FOLLOWER_GAINED = "follower_gained", "Started following you"
    FOLLOWER_LOST = "follower_lost", "Stopped following you"
    FOLLOWED_BACK = "followed_back", "You followed back"
    YOU_FOLLOWED = "you_followed", "You followed"
    YOU_UNFOLLOWED = "you_unfollowed", "You unfollowed"


class FollowSnapshot(models.Model):
    """Who followed the user on X, or whom the user followed, as one list showed it on one day.

    The ids are a sorted array of unique unsigned 64-bit integers, stored as raw bytes
    (8 bytes an account), so ten million followers take 80 MB instead of a row each.
    """

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="follow_snapshots"
    )
    kind = models.CharField(max_length=10, choices=FollowListKind.choices)
    taken_on = models.DateField()
    count = models.PositiveIntegerField()
    ids = models.BinaryField()
    # The SHA-256 of ``ids``: recording the same list again is recognised without reading it.
    sha256 = models.CharField(max_length=64)
    source_batch = models.ForeignKey(
        "imports.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "taken_on"], name="follow_snapshot_unique_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.taken_on:%Y-%m-%d} ({self.count})"


class FollowChange(models.Model):
    """One step an X account made between two snapshots: it followed the user, left, was
    followed back or unfollowed. It happened after ``after_date`` (the last snapshot still
    showing the old state) and by ``by_date`` (the first snapshot showing the new one).

    Computed from the snapshots by ``churn_recompute``; never edited.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    account_id = models.CharField(max_length=ACCOUNT_ID_LENGTH)
    kind = models.CharField(max_length=20, choices=FollowChangeKind.choices)
    after_date = models.DateField()
    by_date = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "kind", "-by_date"], name="follow_change_ws_kind"),
            models.Index(fields=["workspace", "-by_date"], name="follow_change_ws_when"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.get_kind_display()} by {self.by_date:%Y-%m-%d}"


class Churner(models.Model):
    """An X account that followed the user, was followed back, then unfollowed the user while
    the user still followed it: one row per time that happened, with the dates bracketing
    each step (``*_after``: last snapshot before it, ``*_by``: first snapshot showing it).

    Computed from the snapshots by ``churn_recompute``; never edited.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    account_id = models.CharField(max_length=ACCOUNT_ID_LENGTH)
    # Empty when the account already followed the user at the first snapshot.
    followed_after = models.DateField(null=True, blank=True)
    followed_by = models.DateField()
    followed_back_after = models.DateField()
    followed_back_by = models.DateField()
    unfollowed_after = models.DateField()
    unfollowed_by = models.DateField()
    # The first snapshot where the account followed the user again, if it did.
    came_back_by = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "-unfollowed_by"], name="churner_ws_when"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} unfollowed by {self.unfollowed_by:%Y-%m-%d}"


class ChurnSummary(models.Model):
    """A workspace's follow churn at a glance, as of its latest X snapshots: the timeline of
    counts and the one-way follows (sorted ``uint64`` ids as bytes, paged by slicing)."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="churn_summary"
    )
    computed_at = models.DateTimeField()
    # One entry per snapshot date: list sizes and the steps first seen on it.
    timeline = models.JSONField(default=list, blank=True)
    follower_snapshots = models.PositiveIntegerField(default=0)
    following_snapshots = models.PositiveIntegerField(default=0)
    changes = models.PositiveIntegerField(default=0)
    churners = models.PositiveIntegerField(default=0)
    # Whether both a follower and a following list are known, so one-way follows mean something.
    one_way_known = models.BooleanField(default=False)
    they_follow_only_count = models.PositiveIntegerField(default=0)
    you_follow_only_count = models.PositiveIntegerField(default=0)
    they_follow_only_ids = models.BinaryField(default=b"")
    you_follow_only_ids = models.BinaryField(default=b"")

    class Meta:
        verbose_name_plural = "churn summaries"

    def __str__(self) -> str:
        return f"Follow churn of {self.workspace}"
