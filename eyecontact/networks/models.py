"""Links on social networks: the online side of a relationship."""

from __future__ import annotations

from django.db import models

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Person, Provenance


class Network(models.TextChoices):
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    OTHER = "other", "Other"


class ConnectionKind(models.TextChoices):
    CONNECTION = "connection", "Connection"
    FRIEND = "friend", "Friend"
    FOLLOWER = "follower", "Follows you"
    FOLLOWING = "following", "You follow"


class Connection(Provenance):
    """A link between the user and a person on a social network."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="connections")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="connections")
    network = models.CharField(max_length=10, choices=Network.choices)
    kind = models.CharField(max_length=10, choices=ConnectionKind.choices)
    # Networks that give no date (X) leave it empty.
    connected_on = models.DateField(null=True, blank=True)
    # When a later export no longer listed this connection.
    removed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "network", "kind"], name="connection_unique_per_person"
            ),
        ]
        indexes = [models.Index(fields=["workspace", "network", "kind"], name="conn_ws_net")]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.get_kind_display().lower()}: {self.person}"
