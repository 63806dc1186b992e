"""Clustering: union-find over merge links, strongest first, with guards against chaining.

Merge links are applied in order of falling score (ties broken by record id, so the result
does not depend on input order). Before two clusters are joined, two guards are checked:

- no pair across them is in ``cannot_link`` (the user said these are different people);
- together they would not hold two different accounts of one kind (LinkedIn, Facebook, X)
  from the same source, which would mean one "person" with two LinkedIn profiles.

A link that fails a guard is not applied: since links are applied strongest first, the
cluster splits on its weakest link. The refused link is handed back for review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from eyecontact.matching.features import Features

__all__ = ["ClusterState", "cluster"]


@dataclass(slots=True)
class _Group:
    members: list[int]
    accounts: dict[tuple[str, str], str] = field(default_factory=dict)
    forbidden: set[int] = field(default_factory=set)


@dataclass(slots=True)
class ClusterState:
    """Union-find over record positions that carries each cluster's guard data."""

    parent: list[int]
    groups: dict[int, _Group]

    @classmethod
    def start(
        cls, all_features: Sequence[Features], cannot_link: Iterable[tuple[int, int]]
    ) -> ClusterState:
        """One cluster per record, with its accounts and the records it may never join."""
        groups = {
            position: _Group([position], _accounts(f)) for position, f in enumerate(all_features)
        }
        for left, right in cannot_link:
            groups[left].forbidden.add(right)
            groups[right].forbidden.add(left)
        return cls(list(range(len(all_features))), groups)

    def find(self, position: int) -> int:
        """The root of the cluster holding ``position``."""
        parent = self.parent
        root = position
        while parent[root] != root:
            root = parent[root]
        while parent[position] != root:
            parent[position], position = root, parent[position]
        return root

    def union(self, left: int, right: int) -> str:
        """Join two clusters; returns ``""`` when joined, ``"same"`` when they already are
        one, else why the join was refused."""
        a, b = self.find(left), self.find(right)
        if a == b:
            return "same"
        group_a, group_b = self.groups[a], self.groups[b]
        if len(group_a.members) < len(group_b.members):
            a, b, group_a, group_b = b, a, group_b, group_a
        if group_a.forbidden.intersection(group_b.members):
            return "a person said these records are different people"
        for key, account in group_b.accounts.items():
            other = group_a.accounts.get(key)
            if other is not None and other != account:
                return f"would join two {key[0]} accounts from {key[1] or 'one source'}"
        self.parent[b] = a
        group_a.members.extend(group_b.members)
        group_a.accounts.update(group_b.accounts)
        group_a.forbidden.update(group_b.forbidden)
        del self.groups[b]
        return ""


def _accounts(features: Features) -> dict[tuple[str, str], str]:
    source = features.record.source
    accounts = {}
    if features.linkedin:
        accounts[("linkedin", source)] = features.linkedin
    if features.facebook:
        accounts[("facebook", source)] = features.facebook
    if features.x_account:
        accounts[("x", source)] = features.x_account
    return accounts


def cluster(
    all_features: Sequence[Features],
    merges: Sequence[tuple[int, int]],
    cannot_link: Iterable[tuple[int, int]],
) -> tuple[list[list[int]], list[int], list[tuple[int, str]]]:
    """Apply ``merges`` (already in order, strongest first) under the guards.

    Returns the clusters as lists of positions, the indexes in ``merges`` of the links that
    joined two clusters (a spanning forest), and the refused merges with the reason.
    """
    state = ClusterState.start(all_features, cannot_link)
    joined: list[int] = []
    refused: list[tuple[int, str]] = []
    for number, (left, right) in enumerate(merges):
        outcome = state.union(left, right)
        if not outcome:
            joined.append(number)
        elif outcome != "same":
            refused.append((number, outcome))
    return [group.members for group in state.groups.values()], joined, refused
