"""Resolve a list of person records into clusters of one person each, and score pairs."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from eyecontact.matching.blocking import accounts_conflict, candidate_pairs
from eyecontact.matching.clustering import cluster
from eyecontact.matching.features import Features, prepare
from eyecontact.matching.frequencies import Frequencies
from eyecontact.matching.namegroups import listed_once, rare_name_joins
from eyecontact.matching.pruning import name_bonuses, name_penalties, needs_employer, prune_pairs
from eyecontact.matching.records import Cluster, Decision, Evidence, Link, PersonRecord, Resolution
from eyecontact.matching.scoring import score_features

__all__ = [
    "DEFAULT_MERGE_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "NAME_ONLY_MERGE_THRESHOLD",
    "REVIEW_LIMIT",
    "REVIEW_LINKS_PER_CLUSTER",
    "collector_paused",
    "decide",
    "id_sort_key",
    "resolve",
    "score_pair",
]

DEFAULT_MERGE_THRESHOLD = 0.9
DEFAULT_REVIEW_THRESHOLD = 0.6
# Odds of 19 to 1 by the learned rates, which err on the side of namesakes: measured against
# the truth of two independently generated networks, pairs resting on names that scored 0.95
# to 0.98 were one person 654 times in 660 (bench/results/matching-findings.md).
NAME_ONLY_MERGE_THRESHOLD = 0.95
# A person reviewing a cluster sees its few best candidates, not every namesake.
REVIEW_LINKS_PER_CLUSTER = 3
# A queue a person can work through; the best come first, the rest wait for the next import.
REVIEW_LIMIT = 1000


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while matching builds its structures.

    Resolving 150,000 records allocates millions of small containers (keys, blocks, pairs)
    and no reference cycles; the collector would walk all of them again and again, which
    cost a third of the time. Reference counting still frees everything; the collector is
    switched back on (if it was on) when matching returns or raises.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def id_sort_key(record_id: Hashable) -> tuple[str, str, int]:
    """A total order over opaque ids, so that results never depend on input order."""
    if isinstance(record_id, bool):
        return ("bool", "", int(record_id))
    if isinstance(record_id, int):
        return ("int", "", record_id)
    if isinstance(record_id, str):
        return ("str", record_id, 0)
    return (type(record_id).__name__, repr(record_id), 0)


def decide(
    score: float,
    merge_threshold: float,
    review_threshold: float,
    evidence: Iterable[Evidence] = (),
) -> Decision:
    """What a score means: merge, review, or distinct people. A pair that rests on its names
    alone (nothing but names, their rarity, a title and a city speak for it; anything else
    only against) merges only from
    :data:`NAME_ONLY_MERGE_THRESHOLD`, if that is higher: it is right often, but not as
    often as a shared address or employer, and a wrong merge costs more than a review."""
    if score >= merge_threshold:
        if score < NAME_ONLY_MERGE_THRESHOLD and _rests_on_names(evidence):
            return "review" if score >= review_threshold else "distinct"
        return "merge"
    if score >= review_threshold:
        return "review"
    return "distinct"


_NAME_KINDS = frozenset({"name", "rarity", "title", "city"})


def _rests_on_names(evidence: Iterable[Evidence]) -> bool:
    found = False
    for item in evidence:
        if item.kind in _NAME_KINDS:
            found = True
        elif item.weight > 0:
            return False
    return found


def score_pair(
    a: PersonRecord,
    b: PersonRecord,
    *,
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> Link:
    """Score two records and explain the score.

    >>> from eyecontact.matching import PersonRecord, score_pair
    >>> link = score_pair(
    ...     PersonRecord(1, "Bob Smith", organization="Acme Inc."),
    ...     PersonRecord(2, "Robert Smith", organization="ACME"),
    ... )
    >>> link.decision
    'merge'
    """
    _check_thresholds(merge_threshold, review_threshold)
    if id_sort_key(b.id) < id_sort_key(a.id):
        a, b = b, a
    score, evidence = score_features(prepare(a), prepare(b))
    return Link(
        a.id, b.id, score, evidence, decide(score, merge_threshold, review_threshold, evidence)
    )


def resolve(
    records: Iterable[PersonRecord],
    *,
    cannot_link: Collection[frozenset[Hashable]] = frozenset(),
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
    review_limit: int = REVIEW_LIMIT,
) -> Resolution:
    """Group records into people: normalise, block, score candidate pairs, cluster.

    ``cannot_link`` holds pairs of ids (as two-element frozensets) a person has said are
    different people: they are never merged, directly or through others, and never offered
    for review. Names and employers are weighed by how common they are among ``records``.
    The review links are the best one between two clusters, at most
    :data:`REVIEW_LINKS_PER_CLUSTER` per cluster and ``review_limit`` in all, those that would
    join the most records at the best odds first. Raises :class:`ValueError` on duplicate ids
    or thresholds out of order.
    """
    _check_thresholds(merge_threshold, review_threshold)
    with collector_paused():
        return _resolve(list(records), cannot_link, merge_threshold, review_threshold, review_limit)


def _resolve(
    records: list[PersonRecord],
    cannot_link: Collection[frozenset[Hashable]],
    merge_threshold: float,
    review_threshold: float,
    review_limit: int = REVIEW_LIMIT,
) -> Resolution:
    ordered = sorted(records, key=lambda r: id_sort_key(r.id))
    position_of: dict[Hashable, int] = {}
    for position, record in enumerate(ordered):
        if position_of.setdefault(record.id, position) != position:
            raise ValueError(f"two records share the id {record.id!r}")
    all_features = [prepare(record) for record in ordered]
    frequencies = Frequencies.count(all_features)
    forbidden = _cannot_link_positions(cannot_link, position_of)

    bonuses = name_bonuses(all_features, frequencies)
    penalties = name_penalties(all_features, frequencies, bonuses)
    needy = needs_employer(all_features, penalties, review_threshold)
    pairs = candidate_pairs(all_features, range(len(ordered)), needy)
    named = prune_pairs(
        pairs.named, pairs.count, all_features, penalties, review_threshold, bonuses
    )
    links: list[Link] = []
    merges: list[tuple[int, int]] = []
    merge_links: list[Link] = []
    # Records are sorted by id, so position order is id order and pairs come out canonical.
    for code in sorted(pairs.identity.union(named)):
        left, right = divmod(code, pairs.count)
        if (left, right) in forbidden:
            continue
        a, b = all_features[left], all_features[right]
        score, evidence = score_features(a, b, frequencies)
        decision = decide(score, merge_threshold, review_threshold, evidence)
        if decision == "distinct":
            continue
        link = Link(a.record.id, b.record.id, score, evidence, decision)
        if decision == "merge":
            merges.append((left, right))
            merge_links.append(link)
        else:
            links.append(link)

    merges, merge_links = _set_aside_ambiguous(all_features, merges, merge_links, links)
    order = sorted(range(len(merges)), key=lambda n: (-merge_links[n].score, merges[n]))
    merges = [merges[n] for n in order]
    merge_links = [merge_links[n] for n in order]
    once = listed_once(frequencies)
    groups, joined, refused = cluster(all_features, merges, forbidden, once)
    # Then each rare name as a whole: the clusters that carry it and contradict nothing.
    extra = rare_name_joins(all_features, frequencies, groups, forbidden)
    if extra:
        for left, right, why in extra:
            score, evidence = score_features(all_features[left], all_features[right], frequencies)
            merges.append((left, right))
            merge_links.append(
                Link(ordered[left].id, ordered[right].id, score, (*evidence, why), "merge")
            )
        groups, joined, refused = cluster(all_features, merges, forbidden, once)

    cluster_of = [0] * len(ordered)
    for number, members in enumerate(groups):
        for position in members:
            cluster_of[position] = number
    inside: dict[int, list[Link]] = {}
    weakest: dict[int, float] = {}
    for number in joined:
        left, _ = merges[number]
        home = cluster_of[left]
        weakest[home] = min(weakest.get(home, 1.0), merge_links[number].score)
    for number, link in enumerate(merge_links):
        left, right = merges[number]
        if cluster_of[left] == cluster_of[right]:
            inside.setdefault(cluster_of[left], []).append(link)
    for number, reason in refused:
        link = merge_links[number]
        note = Evidence("guard", f"not merged: {reason}", 0.0)
        links.append(Link(link.a, link.b, link.score, (*link.evidence, note), "review"))

    # Positions are in id order, so sorting by position sorts members and clusters by id.
    numbered = sorted(
        (sorted(members) if len(members) > 1 else members, number)
        for number, members in enumerate(groups)
    )
    clusters = tuple(
        Cluster(
            tuple(ordered[p].id for p in members),
            tuple(inside.get(number, ())),
            weakest.get(number, 1.0),
        )
        for members, number in numbered
    )
    return Resolution(clusters, _review_queue(links, cluster_of, position_of, review_limit))


_IDENTITY_KINDS = frozenset({"email", "phone", "linkedin", "facebook", "x"})


def _set_aside_ambiguous(
    all_features: Sequence[Features],
    merges: list[tuple[int, int]],
    merge_links: list[Link],
    review: list[Link],
) -> tuple[list[tuple[int, int]], list[Link]]:
    """Merges that rest on names alone, where a record fits two others that cannot be one
    person (two LinkedIn connections, two followed X accounts), go to review instead: which
    of the two it is, is a coin toss that a person should make."""
    partners: dict[int, list[int]] = {}
    for number, (link, (left, right)) in enumerate(zip(merge_links, merges, strict=True)):
        if not any(e.kind in _IDENTITY_KINDS for e in link.evidence):
            partners.setdefault(left, []).append(number)
            partners.setdefault(right, []).append(number)
    ambiguous: dict[int, int] = {}
    for position, numbers in partners.items():
        if len(numbers) < 2:
            continue
        others = [(n, sum(merges[n]) - position) for n in numbers]
        for (n1, p1), (n2, p2) in itertools.combinations(others, 2):
            if accounts_conflict(all_features[p1], all_features[p2]):
                ambiguous[n1] = ambiguous[n2] = position
    if not ambiguous:
        return merges, merge_links
    kept_merges: list[tuple[int, int]] = []
    kept_links: list[Link] = []
    for number, link in enumerate(merge_links):
        fits_twice = ambiguous.get(number)
        if fits_twice is None:
            kept_merges.append(merges[number])
            kept_links.append(link)
            continue
        who = all_features[fits_twice].record.id
        note = Evidence("ambiguity", f"{who!r} fits another record as well", 0.0)
        review.append(Link(link.a, link.b, link.score, (*link.evidence, note), "review"))
    return kept_merges, kept_links


def _review_queue(
    links: Iterable[Link],
    cluster_of: list[int],
    position_of: dict[Hashable, int],
    limit: int = REVIEW_LIMIT,
) -> tuple[Link, ...]:
    """The links worth a person's time, best first: between two clusters only the best
    link, at most :data:`REVIEW_LINKS_PER_CLUSTER` per cluster, and ``limit`` in all.

    Best is the expected gain of saying yes: the chance the two are one person (the score)
    times the records the decision would put together (the sizes of both clusters), so that
    a LinkedIn connection and thirty calendar invitations come before two lone records."""
    sizes: dict[int, int] = {}
    for number in cluster_of:
        sizes[number] = sizes.get(number, 0) + 1
    best: dict[tuple[int, int], tuple[tuple[float, int, int], Link]] = {}
    for link in links:
        a, b = position_of[link.a], position_of[link.b]
        home, away = cluster_of[a], cluster_of[b]
        if home == away:
            continue
        rank = (-link.score, a, b)
        pair = (home, away) if home < away else (away, home)
        kept = best.get(pair)
        if kept is None or rank < kept[0]:
            best[pair] = (rank, link)
    offered: dict[int, int] = {}
    queue: list[tuple[tuple[float, float, int, int], Link]] = []
    for (home, away), (rank, link) in sorted(best.items(), key=lambda item: item[1][0]):
        if max(offered.get(home, 0), offered.get(away, 0)) < REVIEW_LINKS_PER_CLUSTER:
            offered[home] = offered.get(home, 0) + 1
            offered[away] = offered.get(away, 0) + 1
            gain = link.score * (sizes[home] + sizes[away])
            queue.append(((-gain, *rank), link))
    queue.sort(key=lambda item: item[0])
    return tuple(link for _, link in queue[:limit])


def _cannot_link_positions(
    cannot_link: Collection[frozenset[Hashable]], position_of: dict[Hashable, int]
) -> set[tuple[int, int]]:
    forbidden = set()
    for pair in cannot_link:
        positions = sorted(position_of[i] for i in pair if i in position_of)
        if len(positions) == 2:
            forbidden.add((positions[0], positions[1]))
    return forbidden


def _check_thresholds(merge_threshold: float, review_threshold: float) -> None:
    if not 0.0 <= review_threshold <= merge_threshold <= 1.0:
        raise ValueError(
            f"thresholds must satisfy 0 <= review ({review_threshold}) <= "
            f"merge ({merge_threshold}) <= 1"
        )
