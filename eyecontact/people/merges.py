"""Many automatic merges at once, each as :func:`~eyecontact.people.services.person_merge` makes it.

An import that joins the X accounts nobody named to the people whose cards name them merges
dozens of pairs (a heavy user's vCards a hundred). One by one, each merge took some thirty
queries (deleting a person alone asks every table that points at people); here the pairs share
a dozen::

    keep ◄── drop     the dropped person's identities, touches and connections move to the
    keep ◄── drop     kept one, empty details are filled from it, a PersonMerge keeps what a
    ...               split needs, an audit entry says who and why; then every dropped person
                      is deleted at once and every kept one's derived fields, search words and
                      touch figures are brought up to date once.

The result is what merging the pairs in their order would leave, snapshots included, so each
merge can be split like any other. Pairs where a kept person is dropped by another pair (a
chain) go one by one through ``person_merge``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from eyecontact.accounts.models import AuditEntry, User
from eyecontact.common.bulk import update_rows
from eyecontact.people.models import Connection

from .choices import IdentityKind
from .models import Identity, Person, PersonMerge, Touch
from .search import people_index_search
from .services import (
    PERSON_FIELDS,
    merge_fill_details,
    merge_fold_connection,
    person_derive_fields,
    person_merge,
    person_refresh_figures,
)

if TYPE_CHECKING:
    from eyecontact.imports.models import ImportBatch

__all__ = ["PlannedMerge", "people_merge_automatic"]


@dataclass(frozen=True, slots=True)
class PlannedMerge:
    """One merge an import decided on: ``drop`` into ``keep``, how sure and why."""

    keep_id: int
    drop_id: int
    score: float | None = None
    evidence: tuple[str, ...] = ()


@transaction.atomic
def people_merge_automatic(
    *, merges: Sequence[PlannedMerge], actor: User | None = None, batch: ImportBatch | None = None
) -> None:
    """Makes each pair of ``merges`` one person, automatically, as merging them in order would;
    ``batch`` is the import that decided them, so undoing it splits them again."""
    if not merges:
        return
    drops = [m.drop_id for m in merges]
    keeps = {m.keep_id for m in merges}
    if len(set(drops)) != len(drops) or keeps & set(drops):
        for merge in merges:
            person_merge(
                keep=Person.objects.get(pk=merge.keep_id),
                drop=Person.objects.get(pk=merge.drop_id),
                actor=actor,
                automatic=True,
                score=merge.score,
                evidence=list(merge.evidence),
                batch=batch,
            )
        return
    everyone = sorted(keeps | set(drops))
    people = Person.objects.in_bulk(everyone)
    for merge in merges:
        keep, drop = people[merge.keep_id], people[merge.drop_id]
        if keep.workspace_id != drop.workspace_id:
            # One call per pair raises the usual error for it.
            person_merge(keep=keep, drop=drop, actor=actor, automatic=True)
    identities: dict[int, list[int]] = defaultdict(list)
    for person_id, pk in (
        Identity.objects.filter(person_id__in=drops).order_by("pk").values_list("person_id", "pk")
    ):
        identities[person_id].append(pk)
    touches: dict[int, list[int]] = defaultdict(list)
    links = Touch.people.through.objects.filter(person_id__in=everyone).order_by("touch_id")
    for person_id, touch_id in links.values_list("person_id", "touch_id"):
        touches[person_id].append(touch_id)
    connections: dict[int, list[Connection]] = defaultdict(list)
    for connection in Connection.objects.filter(person_id__in=everyone).order_by("pk"):
        connections[connection.person_id].append(connection)

    moved_identities: list[tuple[int, int]] = []
    moved_connections: list[Connection] = []
    redated_connections: dict[int, Connection] = {}
    records: list[PersonMerge] = []
    for merge in merges:
        keep, drop = people[merge.keep_id], people[merge.drop_id]
        snapshot: dict[str, Any] = {
            "fields": {name: getattr(drop, name) for name in PERSON_FIELDS},
            "source": drop.source,
            "source_key": drop.source_key,
            "identity_ids": identities[drop.pk],
            "touch_ids": list(touches[drop.pk]),
            "connection_ids": [c.pk for c in connections[drop.pk]],
            "kept_touch_ids": list(touches[keep.pk]),
        }
        snapshot["filled"] = merge_fill_details(keep, drop)
        moved_identities += [(keep.pk, pk) for pk in identities.pop(drop.pk, [])]
        touches[keep.pk] += [t for t in touches[drop.pk] if t not in touches[keep.pk]]
        for connection in connections.pop(drop.pk, []):
            twin = next(
                (
                    c
                    for c in connections[keep.pk]
                    if (c.network, c.kind) == (connection.network, connection.kind)
                ),
                None,
            )
            if twin is None:
                connection.person_id = keep.pk
                connections[keep.pk].append(connection)
                moved_connections.append(connection)
            elif merge_fold_connection(snapshot, connection, twin):
                redated_connections[twin.pk] = twin
        records.append(
            PersonMerge(
                workspace_id=keep.workspace_id,
                kept=keep,
                dropped_id=drop.pk,
                snapshot=snapshot,
                automatic=True,
                score=merge.score,
                evidence=list(merge.evidence),
                actor=actor,
                source_batch=batch,
            )
        )

    update_rows(Identity, ("person_id",), moved_identities)
    Touch.people.through.objects.bulk_create(
        [
            Touch.people.through(touch_id=touch_id, person_id=merge.keep_id)
            for merge in merges
            for touch_id in touches[merge.drop_id]
        ],
        ignore_conflicts=True,
    )
    Connection.objects.bulk_update(moved_connections, ["person"])
    Connection.objects.bulk_update(list(redated_connections.values()), ["connected_on"])
    PersonMerge.objects.bulk_create(records)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                workspace_id=record.workspace_id,
                actor=actor,
                action="person.merge",
                subject=f"{people[record.dropped_id].display_name} into "
                f"{people[record.kept_id].display_name}",
                details={
                    "merge_id": record.pk,
                    "kept": record.kept_id,
                    "dropped": record.dropped_id,
                },
            )
            for record in records
        ]
    )
    Person.objects.filter(pk__in=drops).delete()
    kept = [people[pk] for pk in sorted(keeps)]
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, value in (
        Identity.objects.filter(person_id__in=keeps, kind=IdentityKind.EMAIL)
        .order_by("pk")
        .values_list("person_id", "value")
    ):
        emails[person_id].append(value)
    for person in kept:
        person_derive_fields(person, emails=emails[person.pk])
        person.save()
    people_index_search(keeps)
    person_refresh_figures(keeps)
