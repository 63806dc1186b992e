"""How a meeting happened, as far as its calendar entry tells: in person, video, phone."""

from __future__ import annotations

import re

from eyecontact.imports.sources.records import Channel

__all__ = ["LINK_PROPERTIES", "has_meeting_link", "infer_channel"]

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
_MEETING_LINK = re.compile(
    r"(?:meet\.google\.com|zoom\.us|zoom\.com|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com"
    r"|webex\.com|whereby\.com|meet\.jit\.si|gotomeet(?:ing)?\.com|chime\.aws|bluejeans\.com"
    r"|skype\.com|lync\.)",
    re.IGNORECASE,
)
_ONLINE_PLACES = re.compile(
    r"^(?:microsoft teams(?: meeting)?|teams|zoom(?: meeting)?|google meet|webex|skype"
    r"(?: meeting)?|online|virtual|video call)$",
    re.IGNORECASE,
)
_PHONE_PLACE = re.compile(r"^(?:tel:)?\+?[\d\s().\-/]{6,}$")
_CALL_WORDS = re.compile(r"\b(?:call|phone call|phone|anruf|telefonat)\b", re.IGNORECASE)
# Properties in which calendars attach a meeting's video link.
LINK_PROPERTIES = frozenset(
    {
        "X-GOOGLE-CONFERENCE",
        "X-MICROSOFT-SKYPETEAMSMEETINGURL",
        "X-MICROSOFT-ONLINEMEETINGCONFLINK",
        "X-MICROSOFT-ONLINEMEETINGEXTERNALLINK",
    }
)


def has_meeting_link(text: str) -> bool:
    """Whether ``text`` (an event's description) holds a link to a video meeting."""
    return bool(_MEETING_LINK.search(text))


def infer_channel(location: str, description: str, summary: str, *, has_link: bool) -> Channel:
    """How a meeting happened, as far as its calendar entry tells.

    A link or an online service as the location is ``video``; a phone number as the location is
    ``phone``; any other location is a place: ``in_person``, or ``hybrid`` when a meeting link
    is attached too. Without a location, a meeting link means ``video`` and "call" in the title
    means ``phone``; otherwise we do not know.
    """
    place = location.strip()
    if place and (_URL.search(place) or _ONLINE_PLACES.match(place)):
        return "video"
    if place and _PHONE_PLACE.match(place) and sum(c.isdigit() for c in place) >= 6:
        return "phone"
    link = has_link or has_meeting_link(description) or has_meeting_link(place)
    if place:
        return "hybrid" if link else "in_person"
    if link:
        return "video"
    if _CALL_WORDS.search(summary):
        return "phone"
    return "unknown"
