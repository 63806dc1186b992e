"""The fixed vocabularies of people, identities and touches.

Touch channels are a registry: :class:`Channel` holds each channel's stored value and label,
:data:`CHANNELS` what else Eye Contact knows of it (how the strength explanation counts its
touches, whether it is high-touch, its default weight in strength). Every form, report, setting
and API field reads these two, so adding a channel is one entry in each and the migrations
``makemigrations`` writes for them (docs/architecture.md, "A touch channel").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db import models

__all__ = [
    "CHANNELS",
    "DEFAULT_WEIGHTS",
    "HIGH_TOUCH_CHANNELS",
    "Channel",
    "ChannelTraits",
    "ConnectionKind",
    "IdentityKind",
    "Network",
    "Source",
]


class Channel(models.TextChoices):
    """How a touch happened: the value stored on the touch (never changed) and its label, shown
    on the chips of the touch forms and the badges of timelines. Each has its :data:`CHANNELS`
    entry below."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video"
    MESSAGE = "message", "Message"
    EMAIL = "email", "E-mail"
    SOCIAL = "social", "Social"


@dataclass(frozen=True, slots=True)
class ChannelTraits:
    """What Eye Contact knows of a channel besides its value and label.

    ``one`` and ``many`` count its touches in a strength explanation ("3 phone calls");
    ``high_touch`` channels are the ones that vetting and "met" count as knowing someone;
    ``weight`` is what one of its touches adds to strength until a workspace sets its own.
    """

    one: str
    many: str
    high_touch: bool
    weight: float


CHANNELS: Mapping[Channel, ChannelTraits] = MappingProxyType(
    {
        Channel.IN_PERSON: ChannelTraits(
            "in-person meeting", "in-person meetings", high_touch=True, weight=10.0
        ),
        Channel.PHONE: ChannelTraits("phone call", "phone calls", high_touch=True, weight=6.0),
        Channel.VIDEO: ChannelTraits("video call", "video calls", high_touch=False, weight=4.0),
        Channel.MESSAGE: ChannelTraits("message", "messages", high_touch=False, weight=2.0),
        Channel.EMAIL: ChannelTraits("e-mail", "e-mails", high_touch=False, weight=2.0),
        Channel.SOCIAL: ChannelTraits(
            "social touch", "social touches", high_touch=False, weight=1.0
        ),
    }
)
if set(CHANNELS) != set(Channel):  # pragma: no cover - fails at start-up, before any test
    raise ImportError(
        "every touch channel needs its CHANNELS entry in eyecontact/people/choices.py: "
        f"missing {sorted(set(Channel) - set(CHANNELS))}"
    )

HIGH_TOUCH_CHANNELS = frozenset(
    channel for channel, traits in CHANNELS.items() if traits.high_touch
)
# What a touch of each channel adds to strength, by stored value, in the channels' order.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {channel.value: CHANNELS[channel].weight for channel in Channel}
)


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
