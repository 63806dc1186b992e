"""Making two people one, and splitting them again.

An import that joins the X accounts nobody named to the people whose cards name them merges
dozens of pairs (a heavy user's vCards a hundred). One by one, each merge took some thirty
queries (deleting a person alone asks every table that points at people);
:func:`people_merge_automatic` makes the pairs share a dozen::

    keep ◄── drop     the dropped person's identities, touches and connections move to the
    keep ◄── drop     kept one, empty details are filled from it, a PersonMerge keeps what a
    ...               split needs, an audit entry says who and why; then every dropped person
                      is deleted at once and every kept one's derived fields, search words and
                      touch figures are brought up to date once.

The result is what merging the pairs in their order would leave, snapshots included, so each
merge can be split like any other. Pairs where a kept person is dropped by another pair (a
chain) go one by one through :func:`person_merge`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import CASCADE, SET_NULL, ForeignObjectRel, Model, QuerySet
from django.db.models.deletion import Collector, get_candidate_relations_to_delete
from django.db.models.signals import post_delete, pre_delete
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import AuditNote, audit_record, audit_record_many
from eyecontact.common.bulk import update_rows

from .. import constants
from ..choices import IdentityKind, Source
from ..models import Connection, Identity, NotSamePerson, Person, PersonMerge, Touch
from ..search import people_among, people_index_search, person_index_search
from .persons import PERSON_FIELDS, person_derive_fields, person_refresh_figures
from .queue import reviews_queue_fill


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        "fields": {name: getattr(person, name) for name in PERSON_FIELDS},
        "source": person.source,
        "source_key": person.source_key,
        "identity_ids": list(person.identities.values_list("pk", flat=True)),
        "touch_ids": list(person.touches.values_list("pk", flat=True)),
        "connection_ids": list(person.connections.values_list("pk", flat=True)),
    }


# Details of a dropped person that fill the kept one's when empty.
MERGE_FILLED = ("organization", "title", "city", "cadence_days", "given_name", "family_name")


def merge_fills(keep: Person, drop: Person) -> list[tuple[str, Any]]:
    """What a merge of ``drop`` into ``keep`` gives ``keep``: each detail ``keep`` lacks and
    ``drop`` has, with its value, then ``drop``'s notes (added to ``keep``'s). The merge preview
    shows exactly this list."""
    fills = [
        (name, getattr(drop, name))
        for name in MERGE_FILLED
        if not getattr(keep, name) and getattr(drop, name)
    ]
    if drop.notes:
        fills.append(("notes", drop.notes))
    return fills


def merge_fill_details(keep: Person, drop: Person) -> list[str]:
    """Fills ``keep``'s empty details from ``drop`` and adds its notes; returns the fields
    changed, which a split empties again (unsaved: the caller saves ``keep``)."""
    filled = []
    for name, value in merge_fills(keep, drop):
        if name == "notes":
            keep.notes = f"{keep.notes}\n\n{value}".strip() if keep.notes else value
        else:
            setattr(keep, name, value)
        filled.append(name)
    return filled


def merge_fold_connection(
    snapshot: dict[str, Any], connection: Connection, twin: Connection
) -> bool:
    """A dropped person's connection the kept one has too (same network and kind): it goes,
    remembered in the merge's ``snapshot`` for a split, and the twin keeps the earlier date.
    Returns whether the twin's date changed (unsaved: the caller saves it)."""
    snapshot.setdefault("dropped_connections", []).append(
        {
            "network": connection.network,
            "kind": connection.kind,
            "connected_on": connection.connected_on.isoformat()
            if connection.connected_on
            else None,
        }
    )
    if connection.connected_on and (
        twin.connected_on is None or connection.connected_on < twin.connected_on
    ):
        twin.connected_on = connection.connected_on
        return True
    return False


@transaction.atomic
def person_merge(
    *,
    keep: Person,
    drop: Person,
    actor: User | None = None,
    automatic: bool = False,
    score: float | None = None,
    evidence: Sequence[str] = (),
    batch_id: int | None = None,
) -> Person:
    """Makes two records of one human one: ``keep`` gains every identity, touch and connection.

    Empty details of ``keep`` are filled from ``drop``. A :class:`PersonMerge` keeps what is
    needed to split them again, and ``batch_id``, the import that decided it, if any.
    """
    if keep.pk == drop.pk:
        raise ValidationError(constants.MERGE_SELF)
    if keep.workspace_id != drop.workspace_id:
        raise ValidationError(constants.MERGE_WORKSPACES)
    snapshot = _snapshot(drop)
    snapshot["kept_touch_ids"] = list(keep.touches.values_list("pk", flat=True))
    snapshot["filled"] = merge_fill_details(keep, drop)
    drop.identities.update(person=keep)
    for touch in drop.touches.all():
        touch.people.add(keep)
    for connection in drop.connections.all():
        twin = keep.connections.filter(network=connection.network, kind=connection.kind).first()
        if twin is None:
            connection.person = keep
            connection.save(update_fields=["person"])
        elif merge_fold_connection(snapshot, connection, twin):
            twin.save(update_fields=["connected_on"])
    merge = PersonMerge.objects.create(
        workspace=keep.workspace,
        kept=keep,
        dropped_id=drop.pk,
        snapshot=snapshot,
        automatic=automatic,
        score=score,
        evidence=list(evidence),
        actor=actor,
        source_batch_id=batch_id,
    )
    audit_record(
        workspace=keep.workspace,
        actor=actor,
        action="person.merge",
        subject=f"{drop.display_name} into {keep.display_name}",
        details={"merge_id": merge.pk, "kept": keep.pk, "dropped": drop.pk},
    )
    drop.delete()
    person_derive_fields(keep)
    keep.save()
    person_index_search(keep)
    person_refresh_figures([keep.pk])
    keep.refresh_from_db()
    if not automatic:
        # The dropped person's possible duplicates went with them; an import sorts its own.
        reviews_queue_fill(workspace_id=keep.workspace_id)
    return keep


def _remember_not_same(workspace: Workspace, a: int, b: int) -> None:
    NotSamePerson.objects.get_or_create(
        workspace=workspace, person_low_id=min(a, b), person_high_id=max(a, b)
    )


@transaction.atomic
def person_unmerge(
    *, merge: PersonMerge, actor: User | None = None, remember: bool = True
) -> Person:
    """Splits a merge: the dropped person comes back with what they brought.

    Identities, touches and connections that came with them return; anything added to the
    merged person since stays with the kept one. The two are remembered as different people, so
    matching never joins them again, unless ``remember`` is False: undoing the import that
    merged them takes the merge back, not the user's say that they are two.
    """
    if merge.undone_at is not None:
        raise ValidationError("This merge was already split.")
    keep = merge.kept
    snapshot = merge.snapshot
    restored = Person(
        workspace=keep.workspace,
        source=snapshot.get("source", Source.MANUAL),
        source_key=snapshot.get("source_key", ""),
        **snapshot["fields"],
    )
    person_derive_fields(restored, emails=())
    restored.save()
    person_index_search(restored, previous="")
    for name in snapshot.get("filled", []):
        if name == "notes":
            dropped_notes = snapshot["fields"].get("notes", "")
            keep.notes = keep.notes.replace(dropped_notes, "").strip()
        elif getattr(keep, name) == snapshot["fields"].get(name):
            setattr(keep, name, "" if name != "cadence_days" else None)
    Identity.objects.filter(person=keep, pk__in=snapshot["identity_ids"]).update(person=restored)
    kept_touches = set(snapshot.get("kept_touch_ids", []))
    for touch in Touch.objects.filter(pk__in=snapshot["touch_ids"], people=keep):
        touch.people.add(restored)
        if touch.pk not in kept_touches:
            touch.people.remove(keep)
    keep.connections.filter(pk__in=snapshot["connection_ids"]).update(person=restored)
    for connection in snapshot.get("dropped_connections", []):
        restored.connections.create(
            workspace=keep.workspace,
            network=connection["network"],
            kind=connection["kind"],
            connected_on=connection["connected_on"],
        )
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    if remember:
        _remember_not_same(keep.workspace, keep.pk, restored.pk)
    audit_record(
        workspace=keep.workspace,
        actor=actor,
        action="person.unmerge",
        subject=f"{restored.display_name} from {keep.display_name}",
        details={"merge_id": merge.pk, "kept": keep.pk, "restored": restored.pk},
    )
    person_derive_fields(keep)
    keep.save()
    person_index_search(keep)
    person_derive_fields(restored)
    restored.save()
    person_index_search(restored)
    person_refresh_figures([keep.pk, restored.pk])
    restored.refresh_from_db()
    return restored


@dataclass(frozen=True, slots=True)
class PlannedMerge:
    """One merge an import decided on: ``drop`` into ``keep``, how sure and why."""

    keep_id: int
    drop_id: int
    score: float | None = None
    evidence: tuple[str, ...] = ()


@transaction.atomic
def people_merge_automatic(
    *, merges: Sequence[PlannedMerge], actor: User | None = None, batch_id: int | None = None
) -> None:
    """Makes each pair of ``merges`` one person, automatically, as merging them in order would;
    ``batch_id`` is the import that decided them, so undoing it splits them again."""
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
                batch_id=batch_id,
            )
        return
    everyone = sorted(keeps | set(drops))
    # The people go to the database as one list each time, not thousands of parameters that
    # take longer to write into a query than the database takes to answer it.
    involved = people_among(Person.objects.all(), everyone)
    people = {p.pk: p for p in involved}
    involved_ids = involved.values("pk")
    dropped = people_among(Person.objects.all(), drops).values("pk")
    for merge in merges:
        keep, drop = people[merge.keep_id], people[merge.drop_id]
        if keep.workspace_id != drop.workspace_id:
            # One call per pair raises the usual error for it.
            person_merge(keep=keep, drop=drop, actor=actor, automatic=True)
    identities: dict[int, list[int]] = defaultdict(list)
    for person_id, pk in (
        Identity.objects.filter(person__in=dropped).order_by("pk").values_list("person_id", "pk")
    ):
        identities[person_id].append(pk)
    touches: dict[int, list[int]] = defaultdict(list)
    links = Touch.people.through.objects.filter(person__in=involved_ids).order_by("touch_id")
    for person_id, touch_id in links.values_list("person_id", "touch_id"):
        touches[person_id].append(touch_id)
    connections: dict[int, list[Connection]] = defaultdict(list)
    for connection in Connection.objects.filter(person__in=involved_ids).order_by("pk"):
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
                source_batch_id=batch_id,
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
    update_rows(Connection, ("person_id",), [(c.person_id, c.pk) for c in moved_connections])
    update_rows(
        Connection,
        ("connected_on",),
        [(c.connected_on, c.pk) for c in redated_connections.values()],
    )
    PersonMerge.objects.bulk_create(records)
    audit_record_many(
        [
            AuditNote(
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
    _people_delete(drops)
    kept = [people[pk] for pk in sorted(keeps)]
    emails: dict[int, list[str]] = defaultdict(list)
    for person_id, value in (
        Identity.objects.filter(
            person__in=people_among(Person.objects.all(), keeps).values("pk"),
            kind=IdentityKind.EMAIL,
        )
        .order_by("pk")
        .values_list("person_id", "value")
    ):
        emails[person_id].append(value)
    # One statement for every kept person, not a save each: an X archive's names join
    # thousands of accounts to the people they are.
    now = timezone.now()
    columns = (*PERSON_FIELDS, "sort_name", "search_text", "updated_at")
    rows = []
    for person in kept:
        person_derive_fields(person, emails=emails[person.pk])
        person.updated_at = now
        rows.append((*(getattr(person, name) for name in columns), person.pk))
    update_rows(Person, columns, rows)
    people_index_search(keeps)
    person_refresh_figures(keeps)


def _people_delete(ids: Sequence[int]) -> None:
    """Deletes these people, and what each relation to them says goes with them (or forgets
    them), as deleting them one by one would.

    A statement per relation, the people given as one list: Django's own delete reads every
    person first and writes their ids into a query per relation, a few seconds for the
    thousands of X accounts an import merges. A relation it could not treat so (one with
    relations or signals of its own) leaves the work to Django's delete.
    """
    if any(signal.has_listeners(Person) for signal in (pre_delete, post_delete)):
        Person.objects.filter(pk__in=ids).delete()
        return
    using = router.db_for_write(Person)
    people = people_among(Person.objects.all(), ids)
    collector = Collector(using=using)
    steps: list[tuple[QuerySet[Model], str | None]] = []
    for candidate in get_candidate_relations_to_delete(Person._meta):
        relation = cast(ForeignObjectRel, candidate)
        field = relation.field
        model = cast(type[Model], relation.related_model)
        related = model._base_manager.using(using).filter(
            **{f"{field.name}__in": people.values("pk")}
        )
        on_delete = field.remote_field.on_delete
        if on_delete is CASCADE and collector.can_fast_delete(related, from_field=field):
            steps.append((related, None))
        elif on_delete is SET_NULL:
            steps.append((related, field.name))
        else:
            Person.objects.filter(pk__in=ids).delete()
            return
    for related, nulled in steps:
        if nulled is None:
            related._raw_delete(using)
        else:
            related.update(**{nulled: None})
    people._raw_delete(using)
