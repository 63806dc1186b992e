"""Nameless people (X accounts known by an id) whom a named row shows to be someone.

A row that holds the identities of a named person and of nameless ones makes them one person;
a named row matched by name makes the nameless people whose identities it holds join the
person it became. Such merges are planned first and made all at once, undoable like any
merge; a nameless person a cluster joins takes the cluster's best name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eyecontact.common.bulk import update_rows
from eyecontact.imports.models import SourceRecord
from eyecontact.people.services import (
    NameTaken,
    PlannedMerge,
    people_merge_automatic,
    people_take_names,
    split_name,
)

from .context import LoadContext
from .resolving import IdentityMerge
from .sightings import Sighting, completeness

__all__ = ["Merges", "nameless_absorb", "nameless_name"]


@dataclass
class Merges:
    """What joining nameless people changed: who was merged into whom (dropped -> kept), and
    the nameless people who take a row's name."""

    merged: dict[int, int] = field(default_factory=dict)
    renamed: dict[int, Sighting] = field(default_factory=dict)
    planned: list[PlannedMerge] = field(default_factory=list)

    def plan(
        self,
        keep_id: int,
        drop_id: int,
        members: list[Sighting],
        identity_owner: dict[tuple[str, str], int],
    ) -> None:
        """Plans the merge of ``drop`` into ``keep``, with the identities the rows share."""
        shared = [
            f"same {kind}: {value}"
            for s in members
            for kind, value in s.identities
            if identity_owner.get((kind, value)) == drop_id
        ]
        evidence = [*members[0].evidence, *shared]
        self.planned.append(
            PlannedMerge(
                keep_id=keep_id,
                drop_id=drop_id,
                score=members[0].score,
                evidence=tuple(dict.fromkeys(evidence)),
            )
        )
        self.merged[drop_id] = keep_id


def nameless_absorb(
    context: LoadContext,
    clusters: list[list[Sighting]],
    identity_merges: list[IdentityMerge],
    identity_owner: dict[tuple[str, str], int],
    known: dict[tuple[str, str], SourceRecord],
) -> Merges:
    """Nameless people a named row shared an identity with join the person it became.

    Matched to someone by name: the nameless people are merged into them (undoable like
    any merge). Otherwise the cluster joins the first nameless person, who takes its name.
    ``identity_owner`` and ``known`` are brought up to date: what the merged people held is
    the kept people's now.
    """
    merges = Merges()
    for keep, drop, sighting in identity_merges:
        if drop not in merges.merged:
            merges.plan(keep, drop, [sighting], identity_owner)
    for members in clusters:
        absorbed = sorted({p for s in members for p in s.absorbs})
        if not absorbed:
            continue
        # Another row may have merged one of them into someone already.
        gone = [merges.merged[p] for p in absorbed if p in merges.merged]
        absorbed = [p for p in absorbed if p not in merges.merged]
        target = members[0].person_id
        if target is None and not absorbed:
            target = gone[0]
            for sighting in members:
                sighting.person_id = target
                sighting.decision = SourceRecord.Decision.IDENTITY
        elif target is None or target in absorbed:
            target = absorbed[0]
            for sighting in members:
                sighting.person_id = target
                if sighting.absorbs:
                    sighting.decision = SourceRecord.Decision.IDENTITY
                else:
                    sighting.decision = SourceRecord.Decision.MATCHED
                    sighting.evidence = ["the same person as another row of this import"]
            merges.renamed[target] = max(members, key=completeness)
        for person_id in absorbed:
            if person_id != target:
                merges.plan(target, person_id, members, identity_owner)
    _merge_planned(context, merges.planned)
    if merges.merged:
        for pair, owner in identity_owner.items():
            if owner in merges.merged:
                identity_owner[pair] = merges.merged[owner]
        for row in known.values():
            if row.person_id in merges.merged:
                row.person_id = merges.merged[row.person_id]
    return merges


def _merge_planned(context: LoadContext, merges: list[PlannedMerge]) -> None:
    """Makes the planned merges, all at once (a heavy user's vCards plan a hundred)."""
    if not merges:
        return
    # Rows imported as a nameless person are the kept person's rows from now on.
    # By person, so the database reads the person index, not the whole workspace.
    keep_of = {m.drop_id: m.keep_id for m in merges}
    drops = sorted(keep_of)
    moved = []
    for start in range(0, len(drops), 900):
        moved += [
            (keep_of[person_id], pk)
            for pk, person_id in SourceRecord.objects.filter(
                person_id__in=drops[start : start + 900]
            ).values_list("pk", "person_id")
        ]
    update_rows(SourceRecord, ("person_id",), moved)
    people_merge_automatic(merges=merges, batch_id=context.batch.pk)


def nameless_name(context: LoadContext, renamed: dict[int, Sighting]) -> None:
    """A nameless person a named row joined takes its name."""
    names = []
    for person_id, sighting in renamed.items():
        given, family = sighting.given_name, sighting.family_name
        if not (given or family):
            given, family = split_name(sighting.full_name)
        names.append(NameTaken(person_id, sighting.full_name, given, family))
    for person_id, before in people_take_names(names=names).items():
        # What an undo of this import puts back (unless the user renames them since).
        restore = context.batch.restore.setdefault("names", {})
        restore[str(person_id)] = [*before, renamed[person_id].full_name[:300]]
