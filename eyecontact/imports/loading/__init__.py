"""Turning parsed export records into people, identities, connections and touches.

The parsers (:mod:`eyecontact.imports.sources`) hand over frozen records; this package writes
them, for one import batch, inside the caller's transaction::

    records ──> sightings (one per person seen: a contact row, an attendee, an invitee)
                  │  the owner's own addresses and accounts are dropped        sightings.py
                  ▼
            known row?  (SourceRecord by format + key)  ──> its person; details refreshed
                  │ no                                                         resolving.py
                  ▼
            shared identity? (e-mail, phone, profile, account id)  ──> that person
                  │ no
                  ▼
            matching.resolve() among the new sightings, then MatchIndex against the people
            already in the workspace:  merge ──> that person,  review ──> new person + review
                  │ nothing                       nameless people a row names: merging.py
                  ▼
            new person                                                         writing.py

Then identities, connections (with disappeared ones marked, removals.py), touches from
meetings and invitations and the organisations the files show (touches.py), and the per-row
:class:`SourceRecord` that makes the next import idempotent. :mod:`.load` runs the steps in
order; each takes what the ones before it found and returns what it adds, and
:class:`LoadContext` is what they all share. Everything is written (writing.py) with bulk
queries, so a heavy user's exports load in seconds: new rows go in through one prepared INSERT
per table (:mod:`eyecontact.common.bulk`), not ``bulk_create``.
"""

from .context import (
    REMOVALS_TO_CONFIRM,
    ImportSession,
    LoadContext,
    LoadReport,
    Owner,
)
from .load import collector_paused, load_results
from .removals import list_label, mark_removed

__all__ = [
    "REMOVALS_TO_CONFIRM",
    "ImportSession",
    "LoadContext",
    "LoadReport",
    "Owner",
    "collector_paused",
    "list_label",
    "load_results",
    "mark_removed",
]
