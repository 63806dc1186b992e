"""Who in an export is a person, and who is an organisation, a mailing list or a room.

Only people become people. Address books hold company and place cards (Apple's
``X-ABShowAs:COMPANY``, vCard 4 ``KIND:org``, a Google or Outlook row with a company and no
name); calendars invite mailing lists (``berlin-founders@lists.…``, ``CUTYPE=GROUP``), shared
mailboxes (``hello@``, ``info@``, ``team@``) and rooms (``CUTYPE=RESOURCE``/``ROOM``, Google's
``@resource.calendar.google.com``). They are kept as what they are, so that a meeting can say
where it happened or who hosted it, and never counted as someone the user met::

    attendee (address, CN, CUTYPE) --> attendee_kind() --> person | organization
                                                          | mailing_list | room
    contact record                 --> contact_kind()  --> person | organization
"""

from __future__ import annotations

import re

from eyecontact.imports.sources.records import ContactRecord, PartyKind
from eyecontact.matching.organizations import is_role_address

__all__ = ["PartyKind", "attendee_kind", "contact_kind"]

_ROOM_CUTYPES = frozenset({"RESOURCE", "ROOM"})
_ROOM_DOMAINS = ("resource.calendar.google.com",)
_LIST_DOMAINS = ("lists.", "list.", "groups.", "googlegroups.com", "group.calendar.google.com")
_LIST_LOCAL_PARTS = ("-list", "-all", "-members", "-announce", "-discuss", "-users")


# Words that name a gathering or a body, never a person ("Founders Breakfast Berlin").
_GROUP_WORDS = frozenset(
    [
        "breakfast",
        "lunch",
        "dinner",
        "meetup",
        "meetups",
        "club",
        "community",
        "network",
        "association",
        "committee",
        "newsletter",
        "group",
        "team",
        "events",
        "calendar",
        "office",
        "society",
        "alumni",
        "collective",
        "council",
        "chapter",
        "founders",
        "members",
        "stammtisch",
        "verein",
    ]
)
_WORD = re.compile(r"\w+")


def _group_name(name: str) -> bool:
    words = _WORD.findall(name.casefold())
    return len(words) >= 2 and not _GROUP_WORDS.isdisjoint(words)


def _list_address(email: str) -> bool:
    local, _, domain = email.partition("@")
    return (
        domain.startswith(_LIST_DOMAINS)
        or domain.endswith(_LIST_DOMAINS)
        or (local.endswith(_LIST_LOCAL_PARTS))
    )


def attendee_kind(email: str, name: str = "", cutype: str = "INDIVIDUAL") -> PartyKind:
    """What a calendar attendee or organiser is, from its address, name and CUTYPE.

    A name made of words that name a gathering ("Founders Breakfast Berlin", "Berlin Robotics
    Meetup") is an organisation whatever its address: groups often write from a free mailbox.
    """
    cutype = cutype.upper()
    email = email.lower()
    if cutype in _ROOM_CUTYPES or email.endswith(_ROOM_DOMAINS):
        return "room"
    if cutype == "GROUP":
        return "mailing_list"
    # A name that is itself an address (a list invited by its address) says the same.
    for address in (email, name.strip().lower().removeprefix("mailto:")):
        if "@" not in address:
            continue
        if _list_address(address):
            return "mailing_list"
        if is_role_address(address):
            return "organization"
    if _group_name(name):
        return "organization"
    return "person"


def contact_kind(record: ContactRecord) -> PartyKind:
    """Whether an address-book or network row is a person or an organisation (or place).

    A card marked as a company, or a row with a company and no name, is an organisation; so is
    a nameless row whose every address is a shared mailbox (``info@…``).
    """
    if record.is_organization:
        return "organization"
    named = record.full_name or record.given_name or record.family_name
    if not named and record.emails and not record.phones:
        if all(_list_address(email) for email in record.emails):
            return "mailing_list"
        if all(is_role_address(email) for email in record.emails):
            return "organization"
    return "person"
