"""One file's load, step by step: each step takes what the ones before it gave and returns
what it found, and the report gathers what the user is told."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence

from eyecontact.accounts.models import Workspace
from eyecontact.contacts.services import contact_details_import
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.sources.records import ParseResult
from eyecontact.people.services import people_bulk_refresh

from .context import ImportSession, LoadContext, LoadReport, Owner, Progress
from .merging import nameless_absorb, nameless_name
from .removals import disappeared_mark, follow_lists_record
from .resolving import identities_held, resolve_by_identity, resolve_known, resolve_new
from .sightings import sightings_gather
from .touches import organizations_write, touches_write
from .writing import (
    connections_write,
    details_update,
    identities_write,
    people_create,
    reviews_queue_place,
    reviews_write,
    source_records_analyze,
    source_records_write,
)

__all__ = ["collector_paused", "load_results"]

_STEPS = 7


def load_results(
    *,
    workspace: Workspace,
    batch: ImportBatch,
    results: Sequence[ParseResult],
    owner: Owner,
    progress: Progress | None = None,
    session: ImportSession | None = None,
    accept_removals: bool = False,
) -> LoadReport:
    """Writes parse results into ``workspace`` as ``batch``; the caller holds the transaction.

    ``session`` carries what one file of a run of imports leaves the next (see
    :class:`ImportSession`). ``accept_removals`` marks connections removed however many an
    export lacks (see :data:`~.context.REMOVALS_TO_CONFIRM`)."""
    context = LoadContext(
        workspace=workspace,
        batch=batch,
        owner=owner,
        session=session,
        accept_removals=accept_removals,
    )
    with collector_paused():
        return _load(context, results, progress or (lambda done, total: None))


def _load(context: LoadContext, results: Sequence[ParseResult], progress: Progress) -> LoadReport:
    report = LoadReport()
    workspace = context.workspace
    progress(0, _STEPS)
    gathered = sightings_gather(results, owner=context.owner, region=context.region, report=report)
    sightings = gathered.sightings
    identity_owner = identities_held(workspace, gathered.shown_identities)
    known, unknown = resolve_known(workspace, sightings)
    progress(1, _STEPS)
    unresolved, identity_merges = resolve_by_identity(unknown, identity_owner)
    clusters = resolve_new(workspace, context.session, unresolved)
    merges = nameless_absorb(context, clusters.members, identity_merges, identity_owner, known)
    progress(2, _STEPS)
    made = people_create(context, clusters.members, report)
    created = made.created
    if merges.merged:
        for sighting in sightings.values():
            if sighting.person_id in merges.merged:
                sighting.person_id = merges.merged[sighting.person_id]
    nameless_name(context, merges.renamed)
    # Rows that joined someone already in the ledger, not a person made by this import.
    report.people_matched = len({s.person_id for s in unknown} - created)
    progress(3, _STEPS)
    everyone = list(sightings.values())
    refresh = identities_write(context, everyone, identity_owner, created, report)
    connections_write(context, everyone, created, report)
    held_lists = disappeared_mark(context, results, sightings, report)
    progress(4, _STEPS)
    refresh |= details_update(context, everyone, created, known, report)
    contact_details_import(
        workspace=workspace,
        details=[
            (s.person_id, s.birthday, s.photo)
            for s in everyone
            if s.person_id and (s.birthday or s.photo)
        ],
    )
    source_records_write(context, everyone, known)
    reviews_write(context, clusters, made.of_cluster)
    progress(5, _STEPS)
    touched = touches_write(context, results, identity_owner, report)
    organizations_write(context, gathered, report)
    progress(6, _STEPS)
    follow_lists_record(context, results, held_lists, report)
    source_records_analyze(report)
    people_bulk_refresh(
        created=created,
        changed=refresh,
        renamed=merges.renamed,
        touched=touched,
        touches_new=report.touches_new,
    )
    reviews_queue_place(context, report)
    progress(7, _STEPS)
    return report


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cycle collector while a file is read or loaded.

    A load allocates millions of small objects that live until it ends (rows, records,
    matching features); each allocation burst sets the collector off to walk every live object
    again, for nothing: reference counting frees them all. It resumes when the load ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
