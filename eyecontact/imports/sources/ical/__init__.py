"""Calendar exports (iCalendar ``.ics`` from Google Calendar, Outlook and others).

A calendar file is read in three steps, each a module of its own::

    bytes ──components──▶ Event per VEVENT ──times──▶ occurrences ──meetings──▶ MeetingRecord
          (streamed,        (what a meeting     (zones, recurrences    (owner, who took part,
           content lines)    needs, no more)     within bounds)         cancelled, declined)

- :mod:`.components` streams the file's content lines (:mod:`..contentlines`) and keeps each
  event as soon as it ends, reduced to what a meeting needs; ``VTIMEZONE`` definitions are kept
  for ``icalendar``, which reads them (and the rare ``DURATION``) better than we would.
- :mod:`.times` resolves times in their zones (IANA, Windows names, the file's own) and
  expands ``RRULE``/``RDATE``/``EXDATE`` with ``dateutil`` within the hard bounds of
  :mod:`..recurrence`.
- :mod:`.meetings` finds the calendar's owner and decides which occurrences were meetings, with
  whom; :mod:`.channel` tells how each happened.

Building ``icalendar`` objects for every property of every event took minutes and memory in
proportion to the file; reading content lines ourselves keeps one event in memory at a time.
"""

from eyecontact.imports.sources.ical.channel import infer_channel
from eyecontact.imports.sources.ical.components import CUT_IN_COMPONENT
from eyecontact.imports.sources.ical.meetings import parse_ical

__all__ = ["CUT_IN_COMPONENT", "infer_channel", "parse_ical"]
