"""A search index for one record at a time: "have I met this person?".

:class:`MatchIndex` prepares and blocks its records once, and counts their names and
employers (see :mod:`.frequencies`). A query is prepared the same way, its blocking keys pick
the few records that share one (a few dozen at most, whatever the size of the index), and only
those are scored, weighing names by how common they are among the indexed records, so a query
takes a millisecond or so over 100,000 people.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import cast

from eyecontact.matching.blocking import block_keys, build_blocks
from eyecontact.matching.features import Features, prepare
from eyecontact.matching.frequencies import Tally, name_penalty
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
# Scores are rounded to four places: two pairs this close may show one score.
_SCORE_ROUNDING = 1e-4


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
            # Kept as records come and go (see refresh), for the frequencies of those held.
            self._tally = Tally()
            for features in self._features:
                self._tally.add(cast(Features, features))
            self._frequencies = self._tally.frequencies()
        # Where each record id sits; a record taken out leaves None in its place.
        self._position = {f.record.id: n for n, f in enumerate(self._features) if f is not None}
        self._merge_threshold = merge_threshold
        self._review_threshold = review_threshold
        self._spellings: Spellings | None = None
        # Each record with its name penalty and bonus, as the counts stand, and whether it is
        # named: the same for every query its block answers, so worked out once (a follower
        # tool's list asks 16,000 queries of 20 records each).
        self._weights: dict[int, tuple[Features, float, float, bool]] = {}
        # The last query prepared: asked its name and then its candidates, it is prepared once.
        self._last: Features | None = None

    def __len__(self) -> int:
        return len(self._position)

    def refresh(self, records: Iterable[PersonRecord]) -> None:
        """Makes this the index of ``records``, as ``MatchIndex(records)`` would be, reusing
        the preparation and blocks of every record that has not changed since.

        For a series of imports: each asks for the people known so far, which are mostly the
        ones the last import asked for; preparing and blocking 40,000 of them again took half a
        second, and counting their names and employers again as long.
        """
        with collector_paused():
            wanted: set[Hashable] = set()
            for record in records:
                wanted.add(record.id)
                position = self._position.get(record.id)
                if position is not None:
                    held = cast(Features, self._features[position]).record
                    if held is record or held == record:
                        continue
                    self._take_out(position)
                self._put_in(prepare(record))
            for record_id in [i for i in self._position if i not in wanted]:
                self._take_out(self._position[record_id])
            self._frequencies = self._tally.frequencies()
            self._spellings = None
            self._weights = {}

    def name_key(self, query: PersonRecord) -> NameKey | None:
        """The name ``query`` carries, as :mod:`.namegroups` counts names; for a record with
        only an address, the one name of the indexed records that the address spells."""
        wanted = self._prepare(query)
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

    def _prepare(self, query: PersonRecord) -> Features:
        """``query`` prepared; the same record object asked again in a row is not prepared
        again (records are frozen)."""
        last = self._last
        if last is None or last.record is not query:
            last = self._last = prepare(query)
        return last

    def _take_out(self, position: int) -> None:
        features = cast(Features, self._features[position])
        for key in block_keys(features):
            members = self._blocks[key]
            members.remove(position)
            if not members:
                del self._blocks[key]
        self._features[position] = None
        del self._position[features.record.id]
        self._tally.remove(features)

    def _put_in(self, features: Features) -> None:
        position = len(self._features)
        self._features.append(features)
        self._position[features.record.id] = position
        for key in block_keys(features):
            self._blocks[key].append(position)
        self._tally.add(features)

    def _name_weights(self, features: Features) -> tuple[float, float]:
        """What a name shared with nothing else costs, by how common it is in the index, and
        the most it can gain for being rare (see :func:`.pruning.name_bonus`)."""
        bonus = name_bonus(features, self._frequencies)
        name = features.name
        if not (name.given and name.family) or bonus:
            return 0.0, bonus
        return name_penalty(self._frequencies.namesakes(name)), bonus

    def _indexed_weights(self, position: int) -> tuple[Features, float, float, bool]:
        """The record at ``position``, its :meth:`_name_weights` and whether it is named,
        worked out once per count."""
        found = self._weights.get(position)
        if found is None:
            features = cast(Features, self._features[position])  # blocks hold live records
            penalty, bonus = self._name_weights(features)
            found = self._weights[position] = (features, penalty, bonus, bool(features.name))
        return found

    def candidates(
        self, query: PersonRecord, limit: int = 5, *, min_score: float = 0.5
    ) -> list[Candidate]:
        """The ``limit`` best-scoring records for ``query``, best first, at or above
        ``min_score``; ties go to the smaller id."""
        wanted = self._prepare(query)
        positions: set[int] = set()
        for key in block_keys(wanted):
            members = self._blocks.get(key)
            if members and len(members) <= _QUERY_BLOCK_CAP:
                positions.update(members)
        # Most of a name's block are namesakes that could not reach ``min_score``: a cheap
        # bound on what they could score drops them unscored (see :mod:`.pruning`).
        floor = score_floor(min_score) - _ROUNDING
        own_penalty, own_bonus = self._name_weights(wanted)
        named = bool(wanted.name)
        sharing: list[Features] = []
        bounded: list[tuple[float, int]] = []
        for position in positions:
            features, their_penalty, their_bonus, their_named = self._indexed_weights(position)
            if features.record.id == query.id:
                continue
            if shares_identity(wanted, features):
                sharing.append(features)
                continue
            penalty = max(own_penalty, their_penalty)
            bonus = pair_bonus(named and their_named, own_bonus, their_bonus)
            bound = score_bound(wanted, features, penalty, bonus, floor)
            if bound >= floor:
                bounded.append((bound, position))
        # The likeliest first: once ``limit`` candidates are found, a record whose bound
        # stays below the last of them could not take its place, and is left unscored.
        bounded.sort(key=lambda pair: -pair[0])
        found: list[Candidate] = []
        best: list[float] = []  # the ``limit`` best scores so far, the lowest first
        for bound, features in [
            *((math.inf, f) for f in sharing),
            *((b, cast(Features, self._features[p])) for b, p in bounded),
        ]:
            if len(best) == limit and not _could_reach(bound, best[0]):
                break
            score, evidence = score_features(wanted, features, self._frequencies)
            if score < min_score:
                continue
            decision = decide(score, self._merge_threshold, self._review_threshold, evidence)
            found.append(Candidate(features.record.id, score, evidence, decision))
            heapq.heappush(best, score)
            if len(best) > limit:
                heapq.heappop(best)
        return heapq.nsmallest(limit, found, key=lambda c: (-c.score, id_sort_key(c.id)))


def _could_reach(bound: float, score: float) -> bool:
    """Whether a pair whose log-odds are at most ``bound`` (see :func:`.pruning.score_bound`)
    could score ``score`` or more, or tie with it: the scorer's roundings of weights and of
    the score itself given in full."""
    most = bound + _ROUNDING
    top = 1.0 / (1.0 + math.exp(-most)) if most > -30 else 0.0
    return top + _SCORE_ROUNDING >= score
