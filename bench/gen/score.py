"""How well an import put rows together, pairwise, against the generator's truth.

Every row of every export that the import keeps (a LinkedIn connection, a Facebook friend, an X
account followed or following, a vCard, a calendar attendee's address) is one item; the import
says which person each became, the truth which person it is. Over all pairs of rows:

- **precision**: of the pairs the import put into one person, the share that are one person;
- **recall (linkable)**: of the pairs that are one person *and* that the files can link (the two
  rows share an e-mail address, phone, LinkedIn profile or X account, or show the same current
  employer, directly or through other rows of that person), the share the import put together;
- **recall (all)**: the same against every same-person pair, including those the files give no
  way to link (a Facebook friend, shown by name only, who is also a LinkedIn connection; an X
  account id with no profile linking it) — a ceiling no careful matcher should reach;
- **F1** combines precision and linkable recall.

A possible match waiting for review is two people until the user confirms it, so it counts as
not merged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["ClusterScore", "ImportScore", "score_clusters", "score_import"]

_Id = TypeVar("_Id", bound=Hashable)


@dataclass(frozen=True, slots=True)
class ImportScore:
    rows: int
    missing_rows: int
    unknown_rows: int
    precision: float
    recall: float
    recall_all: float
    f1: float
    true_pairs: int
    linkable_pairs: int
    merged_pairs: int
    correct_pairs: int
    wrong_clusters: tuple[tuple[Hashable, ...], ...]
    missed_groups: tuple[tuple[Hashable, ...], ...]


def score_import(
    person_of_row: Iterable[tuple[str, int | None]],
    truth: Mapping[Hashable, int],
    linkable: Mapping[Hashable, int],
) -> ImportScore:
    """Scores ``(row key, person id)`` pairs; rows missing from the truth are not counted.

    ``wrong_clusters`` lists the people that hold rows of more than one true person, largest
    first, as the row keys they hold; ``missed_groups`` the linkable groups of rows that were
    left in more than one person.
    """
    clusters: dict[int, list[Hashable]] = defaultdict(list)
    unknown = 0
    seen: set[Hashable] = set()
    for key, person in person_of_row:
        if key not in truth:
            unknown += 1
            continue
        if person is None:
            continue
        clusters[person].append(key)
        seen.add(key)
    counted_truth = {key: truth[key] for key in seen}
    counted_linkable = {key: linkable[key] for key in seen}
    members = list(clusters.values())
    by_truth = score_clusters(members, counted_truth)
    by_linkable = score_clusters(members, counted_linkable)
    precision, recall = by_truth.precision, by_linkable.recall
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    wrong = sorted(
        (tuple(sorted(keys, key=str)) for keys in members if len({truth[k] for k in keys}) > 1),
        key=lambda keys: (-len(keys), str(keys[0])),
    )
    person_of = {key: person for person, keys in clusters.items() for key in keys}
    groups: dict[int, list[Hashable]] = defaultdict(list)
    for row in seen:
        groups[linkable[row]].append(row)
    missed = sorted(
        (
            tuple(sorted(keys, key=str))
            for keys in groups.values()
            if len({person_of[k] for k in keys}) > 1
        ),
        key=lambda keys: (-len(keys), str(keys[0])),
    )
    return ImportScore(
        rows=len(seen),
        missing_rows=len(truth) - len(seen),
        unknown_rows=unknown,
        precision=precision,
        recall=recall,
        recall_all=by_truth.recall,
        f1=f1,
        true_pairs=by_truth.true_pairs,
        linkable_pairs=by_linkable.true_pairs,
        merged_pairs=by_truth.predicted_pairs,
        correct_pairs=by_truth.correct_pairs,
        wrong_clusters=tuple(wrong),
        missed_groups=tuple(missed),
    )


@dataclass(frozen=True, slots=True)
class ClusterScore:
    """Pairwise quality of clusters against the truth."""

    precision: float
    recall: float
    f1: float
    true_pairs: int  # same-person pairs in the recall truth
    predicted_pairs: int  # pairs put in one cluster
    correct_pairs: int  # of those, pairs that are one person


def score_clusters(
    clusters: Iterable[Sequence[_Id]],
    truth: Mapping[_Id, int],
    *,
    recall_truth: Mapping[_Id, int] | None = None,
) -> ClusterScore:
    """Pairwise precision, recall and F1 of ``clusters`` (sequences of record ids).

    Precision is measured against ``truth`` (record id to person), recall against
    ``recall_truth`` when given (usually :attr:`Population.linkable`), else ``truth`` too.
    Records missing from a truth are ignored.
    """
    clusters = [tuple(members) for members in clusters]
    predicted, correct = _pairs(clusters, truth)
    recall_truth = truth if recall_truth is None else recall_truth
    true_pairs = sum(n * (n - 1) // 2 for n in Counter(recall_truth.values()).values())
    _, found = _pairs(clusters, recall_truth)
    precision = correct / predicted if predicted else 1.0
    recall = found / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClusterScore(precision, recall, f1, true_pairs, predicted, correct)


def _pairs(clusters: Iterable[Sequence[_Id]], truth: Mapping[_Id, int]) -> tuple[int, int]:
    predicted = correct = 0
    for members in clusters:
        people = Counter(truth[i] for i in members if i in truth)
        size = sum(people.values())
        predicted += size * (size - 1) // 2
        correct += sum(n * (n - 1) // 2 for n in people.values())
    return predicted, correct
