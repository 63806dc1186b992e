"""Time zones: the user's own, an event's, and the installation's default.

Every moment is stored in UTC. What a page, an export or a calendar feed shows is that moment
in a zone chosen in this order: the event's own zone where an event has one (a meeting at CES
reads in Las Vegas time), else the user's zone (picked from the browser on first login and
changeable in settings), else ``EYECONTACT_TIME_ZONE``, the installation's default. Zones are
IANA names ("Europe/Berlin"), so daylight-saving changes come from the zone database and a 07:00
run in Berlin reads 07:00 in summer and in winter.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings

__all__ = ["UNKNOWN_ZONE", "default_zone_name", "zone_choices", "zone_for", "zone_is_known"]

UNKNOWN_ZONE = "Unknown time zone {name!r}: pick one from the list, such as Europe/Berlin."


@cache
def _known() -> frozenset[str]:
    # "localtime" and "Factory" are artefacts of the system's zone database, not places.
    return frozenset(
        name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"
    )


def zone_is_known(name: str) -> bool:
    return name in _known()


def zone_choices() -> list[tuple[str, str]]:
    """(name, label) of every zone, by name, for a select box."""
    return [(name, name.replace("_", " ")) for name in sorted(_known())]


def default_zone_name() -> str:
    return str(settings.TIME_ZONE)


def zone_for(*names: str | None) -> zoneinfo.ZoneInfo:
    """The first known zone among ``names`` (event's, user's), else the installation's."""
    for name in names:
        if name and zone_is_known(name):
            return zoneinfo.ZoneInfo(name)
    return zoneinfo.ZoneInfo(default_zone_name())
