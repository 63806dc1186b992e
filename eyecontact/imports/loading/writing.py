"""Writing what the sightings resolved to: new people, identities, connections, details that
changed, the reviews matching asked for, and the per-row :class:`SourceRecord` that makes the
next import of the same file change nothing.

Each step takes the sightings (every one has a person by the time it writes) and returns what
the steps after it need: the people it created, the people whose search text changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection

from eyecontact.common.bulk import insert_rows, update_rows
from eyecontact.imports.models import SourceRecord
from eyecontact.people.choices import IdentityKind
from eyecontact.people.models import Connection, MatchReview, Person
from eyecontact.people.search import people_among
from eyecontact.people.selectors import reviews_of_batch
from eyecontact.people.services import (
    ConnectionRow,
    IdentityRow,
    PersonRow,
    ReviewRow,
    connections_bulk_add,
    connections_bulk_redate,
    identities_bulk_add,
    people_bulk_create,
    people_bulk_details,
    reviews_bulk_add,
    reviews_queue_sort,
    split_name,
)

from .context import LoadContext, LoadReport
from .resolving import Clusters
from .sightings import Sighting, completeness, first

__all__ = [
    "NewPeople",
    "connections_write",
    "details_update",
    "identities_write",
    "people_create",
    "source_records_analyze",
    "reviews_queue_place",
    "reviews_write",
    "source_records_write",
]


@dataclass(slots=True)
class _Link:
    """A connection an import found already there: its id, date and removal."""

    pk: int
    connected_on: dt.date | None
    removed_on: dt.date | None


@dataclass
class NewPeople:
    """The person each cluster became, and the people the import created."""

    of_cluster: dict[int, int] = field(default_factory=dict)
    created: set[int] = field(default_factory=set)


def people_create(
    context: LoadContext, clusters: list[list[Sighting]], report: LoadReport
) -> NewPeople:
    """Creates a person for each cluster without one; every sighting has a person after it."""
    made = NewPeople()
    rows: list[PersonRow] = []
    keys: dict[str, int] = {}
    for n, members in enumerate(clusters):
        if members[0].person_id is not None:
            made.of_cluster[n] = members[0].person_id
            continue
        if len(members) == 1:  # most people: one row of one file
            best = members[0]
            organization, title, city = best.organization, best.title, best.city
            notes = best.notes
        else:
            best = max(members, key=completeness)
            organization = first(m.organization for m in members)
            title = first(m.title for m in members)
            city = first(m.city for m in members)
            notes = first(m.notes for m in members)
        organization, title, city = organization[:200], title[:200], city[:120]
        given, family = best.given_name, best.family_name
        if not (given or family) and not best.full_name.startswith(("@", "X account")):
            given, family = split_name(best.full_name)
        given, family = given[:150], family[:150]
        emails = sorted({v for m in members for k, v in m.identities if k == "email"})
        # Unique within the batch: a row's key is unique in its format.
        source_key = f"{best.source_format}:{best.key}"[:300]
        keys[source_key] = n
        rows.append(
            PersonRow(
                best.full_name[:300],
                given,
                family,
                organization,
                title,
                city,
                notes[:10_000],
                emails,
                source_key,
            )
        )
    created = people_bulk_create(workspace=context.workspace, batch_id=context.batch.pk, rows=rows)
    for source_key, pk in created.items():
        if source_key in keys:
            made.of_cluster[keys[source_key]] = pk
            made.created.add(pk)
    report.people_new += len(rows)
    for n, members in enumerate(clusters):
        for sighting in members:
            if sighting.person_id is None:
                sighting.person_id = made.of_cluster[n]
                if len(members) > 1:
                    sighting.decision = SourceRecord.Decision.MATCHED
                    sighting.evidence = ["the same person as another row of this import"]
    return made


def identities_write(
    context: LoadContext,
    sightings: Iterable[Sighting],
    identity_owner: dict[tuple[str, str], int],
    created: set[int],
    report: LoadReport,
) -> set[int]:
    """Gives each person the identities their rows show that nobody holds yet (and notes them
    in ``identity_owner``); the people, not created by this import, now found by a new e-mail
    address."""
    new: list[IdentityRow] = []
    refresh: set[int] = set()
    for sighting in sightings:
        assert sighting.person_id is not None  # noqa: S101  # every sighting has a person by now
        for kind, value in sighting.identities:
            holder = identity_owner.get((kind, value))
            if holder is None:
                identity_owner[(kind, value)] = sighting.person_id
                if kind == IdentityKind.EMAIL and sighting.person_id not in created:
                    refresh.add(sighting.person_id)  # now found by the address
                new.append(
                    IdentityRow(
                        sighting.person_id,
                        kind,
                        value[:320],
                        f"{sighting.source_format}:{sighting.key}"[:300],
                    )
                )
            elif holder != sighting.person_id:
                report.skipped["identity already belongs to another person"] += 1
    report.identities += identities_bulk_add(
        workspace=context.workspace, batch_id=context.batch.pk, rows=new
    )
    return refresh


def connections_write(
    context: LoadContext, sightings: Iterable[Sighting], created: set[int], report: LoadReport
) -> None:
    """The connection each row of a network's list shows: new ones are added, ones marked
    removed or dated differently before are live again with the row's date."""
    linked = [s for s in sightings if s.network]
    if not linked:
        return
    # People this import created have no connections yet: only the others are looked up, as
    # one list of the workspace's people, so a follower tool's 16,000 rows read their own
    # connections and not the workspace's hundred thousand.
    earlier = {s.person_id for s in linked if s.person_id and s.person_id not in created}
    # Read as plain values, not as connections: most are read and left as they are.
    existing: dict[tuple[int, str, str], _Link] = {}
    if earlier:
        among = people_among(Person.objects.filter(workspace=context.workspace), earlier)
        rows = Connection.objects.filter(person__in=among.values("pk")).values_list(
            "person_id", "network", "kind", "pk", "connected_on", "removed_on"
        )
        for person_id, network, kind, pk, connected_on, removed_on in rows.iterator(5000):
            existing[(person_id, network, kind)] = _Link(pk, connected_on, removed_on)
    new: dict[tuple[int, str, str], ConnectionRow] = {}
    changed: dict[int, _Link] = {}
    for sighting in linked:
        assert sighting.person_id is not None  # noqa: S101  # every sighting has a person by now
        key = (sighting.person_id, sighting.network, sighting.connection_kind)
        if key in new:
            continue
        link = existing.get(key)
        if link is None:
            new[key] = ConnectionRow(
                sighting.person_id,
                sighting.network,
                sighting.connection_kind,
                sighting.connected_on,
                f"{sighting.source_format}:{sighting.key}"[:300],
            )
        elif link.removed_on is not None or (
            sighting.connected_on and link.connected_on != sighting.connected_on
        ):
            link.removed_on = None
            link.connected_on = sighting.connected_on or link.connected_on
            changed[link.pk] = link
    report.connections_new += connections_bulk_add(
        workspace=context.workspace, batch_id=context.batch.pk, rows=new.values()
    )
    connections_bulk_redate(
        connections=[
            Connection(pk=link.pk, connected_on=link.connected_on, removed_on=link.removed_on)
            for link in changed.values()
        ]
    )


def details_update(
    context: LoadContext,
    sightings: Sequence[Sighting],
    created: set[int],
    known: dict[tuple[str, str], SourceRecord],
    report: LoadReport,
) -> set[int]:
    """A newer export's organization and title replace an older export's, not the user's;
    the people changed.

    A value is replaced when the person still shows what an earlier row of the same source
    said (or nothing); a value the user typed differs from it and is kept.
    """
    earlier = [s for s in sightings if s.person_id and s.person_id not in created]
    said: dict[tuple[str, int], dict[str, Any]] = {}
    ids = sorted({s.person_id for s in earlier if s.person_id})
    # What rows of these formats said before: other formats' rows do not count.
    formats = sorted({s.source_format for s in earlier})
    shown: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        # Of a person's several rows of one format, the one imported last speaks.
        for source_format, person_id, data in (
            SourceRecord.objects.filter(
                workspace=context.workspace, person_id__in=chunk, source_format__in=formats
            )
            .order_by("pk")
            .values_list("source_format", "person_id", "data")
        ):
            said[(source_format, person_id)] = data or {}
        for pk, organization, title, city in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "organization", "title", "city"
        ):
            shown[pk] = {"organization": organization, "title": title, "city": city}
    changed: set[int] = set()
    for sighting in earlier:
        person_id = cast(int, sighting.person_id)  # filtered above
        person = shown[person_id]
        old = said.get((sighting.source_format, person_id), {})
        updated = False
        for name in ("organization", "title", "city"):
            value = sighting.raw.get(name, "")
            current = person[name]
            if value and value != current and (not current or current == old.get(name)):
                # What an undo puts back: the value before this import, and after it.
                changes = context.batch.restore.setdefault("details", {})
                change = changes.setdefault(str(person_id), {}).setdefault(name, [current])
                change[1:] = [value]
                person[name] = value
                updated = True
        if updated:
            changed.add(person_id)
        elif sighting.record_key in known:
            report.people_unchanged += 1
    people_bulk_details(
        rows=[
            (shown[pk]["organization"], shown[pk]["title"], shown[pk]["city"], pk)
            for pk in sorted(changed)
        ]
    )
    report.people_updated += len(changed)
    return changed


def source_records_write(
    context: LoadContext,
    sightings: Sequence[Sighting],
    known: dict[tuple[str, str], SourceRecord],
) -> None:
    """Keeps each row, the person it became and why, so the next import of it changes
    nothing; rows imported before are this batch's now.

    What each row said is built as it is written, a chunk at a time, not for all rows first:
    a heavy user's follower list has a hundred thousand.
    """
    batch = context.batch.pk

    def said(sighting: Sighting) -> dict[str, Any]:
        data = dict(sighting.raw, line=sighting.line, file=sighting.file_name)
        data["identities"] = [list(pair) for pair in sighting.identities]
        return data

    insert_rows(
        SourceRecord,
        (
            "source_format",
            "key",
            "person_id",
            "decision",
            "score",
            "evidence",
            "data",
        ),
        (
            (
                sighting.source_format,
                sighting.key,
                sighting.person_id,
                sighting.decision,
                sighting.score,
                sighting.evidence,
                said(sighting),
            )
            for sighting in sightings
            if sighting.record_key not in known
        ),
        fixed={
            "workspace_id": context.workspace.pk,
            "first_batch_id": batch,
            "last_batch_id": batch,
        },
    )
    update_rows(
        SourceRecord,
        ("last_batch_id", "person_id", "data", "missing_since"),
        (
            (batch, sighting.person_id, said(sighting), None, known[sighting.record_key].pk)
            for sighting in sightings
            if sighting.record_key in known
        ),
    )


def reviews_write(context: LoadContext, clusters: Clusters, of_cluster: dict[int, int]) -> None:
    """The possible matches matching asked the user about, between the people the clusters
    became and the people already in the workspace: every one is kept, and
    :func:`reviews_queue_place` then decides which wait for review and which are held back."""
    rows = [
        ReviewRow(of_cluster[a], of_cluster[b], score, evidence)
        for a, b, score, evidence in clusters.new_reviews
    ] + [
        ReviewRow(of_cluster[a], person_id, score, evidence)
        for a, person_id, score, evidence in clusters.existing_reviews
    ]
    reviews_bulk_add(workspace=context.workspace, batch_id=context.batch.pk, rows=rows)


def reviews_queue_place(context: LoadContext, report: LoadReport) -> None:
    """Ranks the import's possible duplicates with those already waiting (once the people's
    touches are counted, which the ranking weighs): the best wait in the review queue, the
    rest are held back. Counts the import's own of each."""
    reviews_queue_sort(workspace_id=context.workspace.pk)
    placed = reviews_of_batch(workspace=context.workspace, batch_id=context.batch.pk)
    report.reviews = placed.get(MatchReview.Status.OPEN, 0)
    report.reviews_held = placed.get(MatchReview.Status.HELD, 0)


def source_records_analyze(report: LoadReport) -> None:
    """Has PostgreSQL look at the imported rows a big import has just written, as the ledger's
    bulk writes have it look at theirs (see :func:`people_bulk_refresh`): its statistics of the
    table are renewed only some time after the commit, and the queries that follow in this same
    transaction would plan for a table nearly empty."""
    if connection.vendor != "postgresql" or report.people_new + report.touches_new < 10_000:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(SourceRecord._meta.db_table)}")
