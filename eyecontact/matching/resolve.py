"""Resolve a list of person records into clusters of one person each, and score pairs."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable

from eyecontact.matching.blocking import candidate_pairs
from eyecontact.matching.clustering import cluster
from eyecontact.matching.features import Features, prepare
from eyecontact.matching.records import Cluster, Decision, Evidence, Link, PersonRecord, Resolution
from eyecontact.matching.scoring import score_features

__all__ = [
    "DEFAULT_MERGE_THRESHOLD",
    "DEFAULT_REVIEW_THRESHOLD",
    "decide",
    "id_sort_key",
    "resolve",
    "score_pair",
]

DEFAULT_MERGE_THRESHOLD = 0.9
DEFAULT_REVIEW_THRESHOLD = 0.6


def id_sort_key(record_id: Hashable) -> tuple[str, str, int]:
    """A total order over opaque ids, so that results never depend on input order."""
    if isinstance(record_id, bool):
        return ("bool", "", int(record_id))
    if isinstance(record_id, int):
        return ("int", "", record_id)
    if isinstance(record_id, str):
        return ("str", record_id, 0)
    return (type(record_id).__name__, repr(record_id), 0)


def decide(score: float, merge_threshold: float, review_threshold: float) -> Decision:
    """What a score means: merge, review, or distinct people."""
    if score >= merge_threshold:
        return "merge"
    if score >= review_threshold:
        return "review"
    return "distinct"


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
    return Link(a.id, b.id, score, evidence, decide(score, merge_threshold, review_threshold))


def resolve(
    records: Iterable[PersonRecord],
    *,
    cannot_link: Collection[frozenset[Hashable]] = frozenset(),
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
    review_threshold: float = DEFAULT_REVIEW_THRESHOLD,
) -> Resolution:
    """Group records into people: normalise, block, score candidate pairs, cluster.

    ``cannot_link`` holds pairs of ids (as two-element frozensets) a person has said are
    different people: they are never merged, directly or through others, and never offered
    for review. Raises :class:`ValueError` on duplicate ids or thresholds out of order.
    """
    _check_thresholds(merge_threshold, review_threshold)
    ordered = sorted(records, key=lambda r: id_sort_key(r.id))
    position_of: dict[Hashable, int] = {}
    for position, record in enumerate(ordered):
        if position_of.setdefault(record.id, position) != position:
            raise ValueError(f"two records share the id {record.id!r}")
    all_features = [prepare(record) for record in ordered]
    forbidden = _cannot_link_positions(cannot_link, position_of)

    links: list[Link] = []
    merges: list[tuple[int, int]] = []
    merge_links: list[Link] = []
    # Records are sorted by id, so position order is id order and pairs come out canonical.
    for left, right in sorted(candidate_pairs(all_features, range(len(ordered)))):
        if (left, right) in forbidden:
            continue
        link = _link(all_features[left], all_features[right], merge_threshold, review_threshold)
        if link is None:
            continue
        if link.decision == "merge":
            merges.append((left, right))
            merge_links.append(link)
        else:
            links.append(link)

    order = sorted(range(len(merges)), key=lambda n: (-merge_links[n].score, merges[n]))
    merges = [merges[n] for n in order]
    merge_links = [merge_links[n] for n in order]
    groups, joined, refused = cluster(all_features, merges, forbidden)

    cluster_of = {}
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

    clusters = [
        Cluster(
            tuple(ordered[p].id for p in sorted(members)),
            tuple(inside.get(number, ())),
            weakest.get(number, 1.0),
        )
        for number, members in enumerate(groups)
    ]
    clusters.sort(key=lambda c: id_sort_key(c.ids[0]))
    review = [
        link for link in links if cluster_of[position_of[link.a]] != cluster_of[position_of[link.b]]
    ]
    review.sort(key=lambda link: (-link.score, id_sort_key(link.a), id_sort_key(link.b)))
    return Resolution(tuple(clusters), tuple(review))


def _link(a: Features, b: Features, merge_threshold: float, review_threshold: float) -> Link | None:
    score, evidence = score_features(a, b)
    decision = decide(score, merge_threshold, review_threshold)
    if decision == "distinct":
        return None
    return Link(a.record.id, b.record.id, score, evidence, decision)


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
