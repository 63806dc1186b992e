"""The fixed vocabularies of people, identities and touches."""

from django.db import models


class Channel(models.TextChoices):
    """How a touch happened. In person and phone are the high-touch channels."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    MESSAGE = "message", "Message"
    EMAIL = "email", "E-mail"
    SOCIAL = "social", "Social"


HIGH_TOUCH_CHANNELS = frozenset({Channel.IN_PERSON, Channel.PHONE})


class IdentityKind(models.TextChoices):
    """A way to recognise a person across sources."""

    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    WEBSITE = "website", "Website"


class Source(models.TextChoices):
    """Where a row came from, so imports stay idempotent and merges undoable."""

    MANUAL = "manual", "Typed by hand"
    IMPORT = "import", "Imported"
    BOOTH = "booth", "Captured at a booth"
    API = "api", "API"
    DEMO = "demo", "Demo data"


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
