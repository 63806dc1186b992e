"""A search index for one record at a time: "have I met this person?".

:class:`MatchIndex` prepares and blocks its records once, and counts their names and
employers (see :mod:`.frequencies`). A query is prepared the same way, its blocking keys pick
the few records that share one (a few dozen at most, whatever the size of the index), and only
those are scored, weighing names by how common they are among the indexed records, so a query
takes a millisecond or so over 100,000 people.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from typing import cast

from eyecontact.matching.blocking import block_keys, build_blocks
from eyecontact.matching.features import Features, prepare
from eyecontact.matching.frequencies import Frequencies, name_penalty
from eyecontact.matching.namegroups import (
    NameKey,
    Spellings,
    named_key,
    sole_bearer,
)
from eyecontact.matching.pruning import (
    name_bonus,
    pair_bonus,
    score_bound,
    score_floor,
    shares_identity,
)
from eyecontact.matching.records import Candidate, Evidence, PersonRecord
from eyecontact.matching.resolve import (
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    collector_paused,
    decide,
    id_sort_key,
)
from eyecontact.matching.scoring import score_features

__all__ = ["MatchIndex"]

# A block this large is a very common name; scoring all of it would still be fast, but the
# answer would drown in namesakes, so the query keeps to its more telling keys.
_QUERY_BLOCK_CAP = 500
# The scorer rounds a name's commonness penalty to two places; the bound does not.
_ROUNDING = 0.01


class MatchIndex:
    """Records prepared and blocked once, to find the best matches for single queries.

    >>> from eyecontact.matching import MatchIndex, PersonRecord
    >>> index = MatchIndex([PersonRecord("p1", "Anneliese Brandt", organization="Corvid GmbH")])
    >>> [c.id for c in index.candidates(PersonRecord("q", "Liesl Brandt", organization="Corvid"))]
    ['p1']
    """

    def __init__(
        self,
        records: Iterable[PersonRecord],
        *,
        merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
        review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    ) -> None:
        with collector_paused():
            self._features: list[Features | None] = [prepare(record) for record in records]
            self._blocks = build_blocks(cast(list[Features], self._features))
            self._frequencies = Frequencies.count(cast(list[Features], self._features))
        # Where each record id sits; a record taken out leaves None in its place.
        self._position = {f.record.id: n for n, f in enumerate(self._features) if f is not None}
        self._merge_threshold = merge_threshold
        self._review_threshold = review_threshold
        self._spellings: Spellings | None = None

    def __len__(self) -> int:
        return len(self._position)

    def refresh(self, records: Iterable[PersonRecord]) -> None:
        """Makes this the index of ``records``, as ``MatchIndex(records)`` would be, reusing
        the preparation and blocks of every record that has not changed since.

        For a series of imports: each asks for the people known so far, which are mostly the
        ones the last import asked for; preparing and blocking 40,000 of them again took half a
        second. Name and employer counts are counted again, over everyone.
        """
        with collector_paused():
            wanted: set[Hashable] = set()
            for record in records:
                wanted.add(record.id)
                position = self._position.get(record.id)
                if position is not None:
                    if cast(Features, self._features[position]).record == record:
                        continue
                    self._take_out(position)
                self._put_in(prepare(record))
            for record_id in [i for i in self._position if i not in wanted]:
                self._take_out(self._position[record_id])
            self._frequencies = Frequencies.count(f for f in self._features if f is not None)
            self._spellings = None

    def name_key(self, query: PersonRecord) -> NameKey | None:
        """The name ``query`` carries, as :mod:`.namegroups` counts names; for a record with
        only an address, the one name of the indexed records that the address spells."""
        wanted = prepare(query)
        key = named_key(wanted)
        if key is not None or wanted.name or not wanted.emails:
            return key
        if self._spellings is None:
            self._spellings = Spellings.of(f for f in self._features if f is not None)
        spelt = {self._spellings.key(email) for email in wanted.emails}
        return spelt.pop() if len(spelt) == 1 else None

    def sole_bearer(
        self, queries: Sequence[PersonRecord], found: Hashable, key: NameKey
    ) -> Evidence | None:
        """Why ``queries`` (records carrying the name ``key``) are the indexed record ``found``,
        when that record is the only one here carrying the name, the name is rare here and
        nothing contradicts it (see :func:`.namegroups.sole_bearer`); else None."""
        position = self._position.get(found)
        if position is None:
            return None
        bearer = cast(Features, self._features[position])
        return sole_bearer(self._frequencies, key, bearer, [prepare(q) for q in queries])

    def _take_out(self, position: int) -> None:
        features = cast(Features, self._features[position])
        for key in block_keys(features):
            members = self._blocks[key]
            members.remove(position)
            if not members:
                del self._blocks[key]
        self._features[position] = None
        del self._position[features.record.id]

    def _put_in(self, features: Features) -> None:
        position = len(self._features)
        self._features.append(features)
        self._position[features.record.id] = position
        for key in block_keys(features):
            self._blocks[key].append(position)

    def _penalty(self, features: Features) -> float:
        """What a name shared with nothing else costs, by how common it is in the index."""
        name = features.name
        if not (name.given and name.family) or name_bonus(features, self._frequencies):
            return 0.0
        return name_penalty(self._frequencies.namesakes(name))

    def candidates(
        self, query: PersonRecord, limit: int = 5, *, min_score: float = 0.5
    ) -> list[Candidate]:
        """The ``limit`` best-scoring records for ``query``, best first, at or above
        ``min_score``; ties go to the smaller id."""
        wanted = prepare(query)
        positions: set[int] = set()
        for key in block_keys(wanted):
            members = self._blocks.get(key)
            if members and len(members) <= _QUERY_BLOCK_CAP:
                positions.update(members)
        # Most of a name's block are namesakes that could not reach ``min_score``: a cheap
        # bound on what they could score drops them unscored (see :mod:`.pruning`).
        floor = score_floor(min_score) - _ROUNDING
        own_penalty = self._penalty(wanted)
        own_bonus = name_bonus(wanted, self._frequencies)
        found = []
        for position in positions:
            features = cast(Features, self._features[position])  # blocks hold live records
            if features.record.id == query.id:
                continue
            if not shares_identity(wanted, features):
                penalty = max(own_penalty, self._penalty(features))
                bonus = pair_bonus(
                    wanted, features, own_bonus, name_bonus(features, self._frequencies)
                )
                if score_bound(wanted, features, penalty, bonus) < floor:
                    continue
            score, evidence = score_features(wanted, features, self._frequencies)
            if score >= min_score:
                decision = decide(score, self._merge_threshold, self._review_threshold, evidence)
                found.append(Candidate(features.record.id, score, evidence, decision))
        return heapq.nsmallest(limit, found, key=lambda c: (-c.score, id_sort_key(c.id)))
