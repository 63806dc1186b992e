"""Connections a newer export no longer lists, and X follow lists kept for churn.

An export that lists every connection of its kind (``snapshot`` in the format registry) says
who is gone by leaving them out. When it lacks more than :data:`~.context.REMOVALS_TO_CONFIRM`
of what the last one listed, nothing is marked until the user accepts it: the rows wait on the
batch (``restore["held_removals"]``) and the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.sources.formats import all_formats, get_format
from eyecontact.imports.sources.records import ParseResult
from eyecontact.networks.snapshots import churn_recompute, snapshot_record
from eyecontact.people.services import connections_mark_removed

from .context import REMOVALS_TO_CONFIRM, LoadContext, LoadReport
from .sightings import Sighting

__all__ = ["disappeared_mark", "follow_lists_record", "list_label", "mark_removed"]

# A follow list (kind, day) whose removals wait for the user: its snapshot waits too.
HeldList = tuple[str, str]


def disappeared_mark(
    context: LoadContext,
    results: Sequence[ParseResult],
    sightings: dict[tuple[str, str], Sighting],
    report: LoadReport,
) -> set[HeldList]:
    """Rows of a full-snapshot export that a newer one no longer lists: the link is gone.
    Returns the X lists whose removals wait for the user."""
    held_lists: set[HeldList] = set()
    for result in results:
        import_format = get_format(result.format)
        if import_format is None or not import_format.snapshot:
            continue
        lists: set[tuple[str, str, str]] = {
            (r.source_format, r.connection.network, r.connection.kind)
            for r in result.contacts
            if r.connection is not None
        }
        whole = import_format.whole_list
        if whole is not None:  # an empty list is a list too
            lists.add((whole.source_format, whole.network, whole.kind))
        snapshot = result.snapshot_date or timezone.localdate()
        for source_format, network, kind in sorted(lists):
            present = {k for f, k in sightings if f == source_format}
            # An older export may key a row differently (no profile URL before 2023):
            # a person listed again under a new key is still connected.
            still_there = {
                s.person_id
                for (f, _), s in sightings.items()
                if f == source_format and s.connection_kind == kind
            }
            rows = list(
                SourceRecord.objects.filter(
                    workspace=context.workspace,
                    source_format=source_format,
                    key__startswith=f"{kind}:",
                    missing_since__isnull=True,
                ).values_list("pk", "key", "person_id", "first_batch_id")
            )
            # Rows this import wrote itself were not listed before it.
            listed_before = [row for row in rows if row[3] != context.batch.pk]
            gone = [
                (pk, person)
                for pk, key, person, _ in listed_before
                if key not in present and person not in still_there
            ]
            if not gone:
                continue
            if not context.accept_removals and len(gone) > REMOVALS_TO_CONFIRM * len(listed_before):
                _hold_removals(
                    context,
                    report,
                    result,
                    (source_format, network, kind),
                    gone,
                    len(listed_before),
                    snapshot,
                )
                if network == "x":
                    held_lists.add((kind, snapshot.isoformat()))
                continue
            report.connections_removed += mark_removed(
                workspace=context.workspace,
                batch=context.batch,
                network=network,
                kind=kind,
                rows=gone,
                on=snapshot,
            )
    return held_lists


def list_label(network: str, kind: str) -> str:
    """A list of connections in the user's words: "X accounts followed"."""
    return next(
        (
            f.whole_list.label
            for f in all_formats()
            if f.whole_list is not None
            and (f.whole_list.network, f.whole_list.kind) == (network, kind)
        ),
        f"{network} {kind}",
    )


def _hold_removals(
    context: LoadContext,
    report: LoadReport,
    result: ParseResult,
    which: tuple[str, str, str],
    gone: Sequence[tuple[int, int | None]],
    listed_before: int,
    snapshot: dt.date,
) -> None:
    source_format, network, kind = which
    held: dict[str, Any] = {
        "network": network,
        "kind": kind,
        "label": list_label(network, kind),
        "missing": len(gone),
        "listed_before": listed_before,
        "file": result.file_name,
    }
    report.removals_held.append(held)
    waiting = context.batch.restore.setdefault("held_removals", [])
    waiting.append(
        {
            **held,
            "source_format": source_format,
            "on": snapshot.isoformat(),
            "rows": [[pk, person] for pk, person in gone],
        }
    )


def follow_lists_record(
    context: LoadContext,
    results: Sequence[ParseResult],
    held_lists: set[HeldList],
    report: LoadReport,
) -> None:
    """Every X follower or following list is a dated snapshot for follow churn."""
    lists: dict[tuple[str, dt.date], set[int]] = defaultdict(set)
    for result in results:
        import_format = get_format(result.format)
        if import_format is None or not import_format.follow_list:
            continue
        taken_on = result.snapshot_date or timezone.localdate()
        if import_format.whole_list is not None:  # an empty list is a list too
            lists[(import_format.whole_list.kind, taken_on)] = set()
        for contact in result.contacts:
            if contact.connection is None or not contact.x_account_id.isdigit():
                continue
            lists[(contact.connection.kind, taken_on)].add(int(contact.x_account_id))
    for (kind, taken_on), ids in list(lists.items()):
        if (kind, taken_on.isoformat()) in held_lists:
            # Recorded, the list would show everyone it lacks as gone: it waits too.
            for waiting in context.batch.restore.get("held_removals", []):
                if waiting["network"] == "x" and waiting["kind"] == kind:
                    waiting["account_ids"] = sorted(ids)
            del lists[(kind, taken_on)]
            continue
        snapshot_record(
            workspace=context.workspace,
            kind=kind,
            taken_on=taken_on,
            account_ids=sorted(ids),
            batch_id=context.batch.pk,
            recompute=False,
        )
    if lists:
        churn_recompute(workspace=context.workspace)
        report.follow_lists += len(lists)


def mark_removed(
    *,
    workspace: Workspace,
    batch: ImportBatch,
    network: str,
    kind: str,
    rows: Sequence[tuple[int, int | None]],
    on: dt.date,
) -> int:
    """Marks imported rows (source record, person) as no longer listed since ``on``, and the
    people's live connections of that network and kind as removed; the connections marked.

    What it marks is noted on ``batch`` (``restore["removed"]``), for an undo to put back; the
    caller saves the batch.
    """
    removed = 0
    noted = batch.restore.setdefault("removed", {"rows": [], "connections": []})
    for start in range(0, len(rows), 900):
        chunk = rows[start : start + 900]
        listed = SourceRecord.objects.filter(
            workspace=workspace, pk__in=[pk for pk, _ in chunk], missing_since__isnull=True
        )
        noted["rows"].extend(listed.values_list("pk", flat=True))
        listed.update(missing_since=on)
        gone = connections_mark_removed(
            workspace=workspace,
            person_ids=[person for _, person in chunk if person],
            network=network,
            kind=kind,
            on=on,
        )
        noted["connections"].extend(gone)
        removed += len(gone)
    return removed
