"""What phones' address books hold: each workspace's book, its cards, and contact details.

A phone syncs a workspace's people as a CardDAV address book. :class:`AddressBook` counts the
book's revisions (a sync token names one); :class:`ContactCard` is a card as phones last saw it,
with the revision it last changed in, so a phone asking "what changed since revision 41" gets
exactly those cards and the ones that left the book. :class:`ContactDetails` holds what an
address book carries beyond Eye Contact's own fields (a birthday, a photo) and the name a
phone gave the card. Deleting a card on a phone archives its person (``Person.archived_at``).
"""

from __future__ import annotations

from django.db import models

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Person


class AddressBook(models.Model):
    """A workspace's people as an address book on its members' phones."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, primary_key=True, related_name="address_book"
    )
    revision = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.workspace} at revision {self.revision}"


class ContactCard(models.Model):
    """One card of an address book as phones last saw it, kept after it leaves the book."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=255, help_text="The card's file name in the book")
    etag = models.CharField(max_length=40)
    revision = models.PositiveBigIntegerField()
    gone = models.BooleanField(default=False, help_text="Left the book (archived, merged, deleted)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="contact_card_name_once")
        ]
        indexes = [models.Index(fields=["workspace", "revision"], name="contact_card_changes")]

    def __str__(self) -> str:
        return self.name


class ContactDetails(models.Model):
    """A person's birthday and photo, and the card a phone made for them."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="contact_details"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    birthday = models.CharField(
        max_length=10, blank=True, help_text='"1985-03-14", or "--03-14" without the year'
    )
    photo = models.BinaryField(blank=True, default=b"")
    photo_type = models.CharField(max_length=40, blank=True)
    photo_hash = models.CharField(max_length=40, blank=True, help_text="SHA-1 of the photo")
    card_name = models.CharField(max_length=255, blank=True, help_text="A phone's file name")
    card_uid = models.CharField(max_length=255, blank=True, help_text="A phone's UID")

    def __str__(self) -> str:
        return f"Contact details of person {self.person_id}"


class BusinessCardScan(models.Model):
    """A photographed business card, read on the server into a person to confirm."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting to be read"
        READ = "read", "Read: confirm the person"
        UNREADABLE = "unreadable", "Could not read this card"
        CONFIRMED = "confirmed", "Confirmed"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_id = models.UUIDField(
        null=True,
        blank=True,
        help_text="Made by the phone that took the photo, so a photo sent again is kept once",
    )
    photo = models.BinaryField()
    photo_type = models.CharField(max_length=40, default="image/jpeg")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    text = models.TextField(blank=True, help_text="What Tesseract read")
    fields = models.JSONField(default=dict, blank=True, help_text="Name, title, e-mails…")
    message = models.CharField(max_length=300, blank=True)
    match = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Someone already known the card names, proposed before anyone is created",
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "client_id"], name="business_card_client_id_once"
            )
        ]

    def __str__(self) -> str:
        return f"Business card {self.pk} ({self.status})"
