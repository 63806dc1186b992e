"""Clustering: union-find over merge links, strongest first, with guards against chaining.

Merge links are applied in order of falling score (ties broken by record id, so the result
does not depend on input order). Before two clusters are joined, two guards are checked:

- no pair across them is in ``cannot_link`` (the user said these are different people);
- together they would not hold two different accounts of one kind (LinkedIn, Facebook, X)
  from the same source, which would mean one "person" with two LinkedIn profiles;
- nor records of a source that lists each person once (``listed_once``: a CRM's customers,
  a list of friends) that share no address, phone or account with each other: two customers
  of one name, which a chain of name-only links through other sources would make one.

A link that fails a guard is not applied: since links are applied strongest first, the
cluster splits on its weakest link. The refused link is handed back for review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from eyecontact.matching.blocking import personal_keys
from eyecontact.matching.features import Features

__all__ = ["ClusterState", "cluster"]


@dataclass(slots=True)
class _Group:
    members: list[int]
    accounts: dict[tuple[str, str], str] = field(default_factory=dict)
    forbidden: set[int] = field(default_factory=set)
    # For each source that lists each person once: the identities its records here hold.
    listed: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass(slots=True)
class ClusterState:
    """Union-find over record positions that carries each cluster's guard data.

    Guard data is built only for the clusters a merge or a ``cannot_link`` pair touches:
    most of a heavy user's records (strangers followed on X) stay alone and cost nothing.
    """

    parent: list[int]
    groups: dict[int, _Group]
    all_features: Sequence[Features]
    listed_once: frozenset[str] = frozenset()

    @classmethod
    def start(
        cls,
        all_features: Sequence[Features],
        cannot_link: Iterable[tuple[int, int]],
        listed_once: frozenset[str] = frozenset(),
    ) -> ClusterState:
        """One cluster per record, with the records it may never join."""
        state = cls(list(range(len(all_features))), {}, all_features, listed_once)
        for left, right in cannot_link:
            state.group(left).forbidden.add(right)
            state.group(right).forbidden.add(left)
        return state

    def group(self, root: int) -> _Group:
        """The guard data of the cluster whose root is ``root``."""
        found = self.groups.get(root)
        if found is None:
            features = self.all_features[root]
            found = self.groups[root] = _Group([root], _accounts(features))
            if features.record.source in self.listed_once:
                found.listed[features.record.source] = frozenset(personal_keys(features))
        return found

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
        group_a, group_b = self.group(a), self.group(b)
        if len(group_a.members) < len(group_b.members):
            a, b, group_a, group_b = b, a, group_b, group_a
        if group_a.forbidden.intersection(group_b.members):
            return "a person said these records are different people"
        for key, account in group_b.accounts.items():
            other = group_a.accounts.get(key)
            if other is not None and other != account:
                return f"would join two {key[0]} accounts from {key[1] or 'one source'}"
        for source, held in group_b.listed.items():
            other_held = group_a.listed.get(source)
            if other_held is not None and not held & other_held:
                return f"would join two records of {source}, which lists each person once"
        self.parent[b] = a
        group_a.members.extend(group_b.members)
        group_a.accounts.update(group_b.accounts)
        group_a.forbidden.update(group_b.forbidden)
        for source, held in group_b.listed.items():
            group_a.listed[source] = group_a.listed.get(source, frozenset()) | held
        del self.groups[b]
        return ""

    def clusters(self) -> list[list[int]]:
        """The clusters as lists of positions: the joined ones, then each record left alone."""
        found = [group.members for group in self.groups.values()]
        grouped = {position for members in found for position in members}
        found.extend([p] for p in range(len(self.parent)) if p not in grouped)
        return found


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
    listed_once: frozenset[str] = frozenset(),
) -> tuple[list[list[int]], list[int], list[tuple[int, str]]]:
    """Apply ``merges`` (already in order, strongest first) under the guards.

    Returns the clusters as lists of positions, the indexes in ``merges`` of the links that
    joined two clusters (a spanning forest), and the refused merges with the reason.
    """
    state = ClusterState.start(all_features, cannot_link, listed_once)
    joined: list[int] = []
    refused: list[tuple[int, str]] = []
    for number, (left, right) in enumerate(merges):
        outcome = state.union(left, right)
        if not outcome:
            joined.append(number)
        elif outcome != "same":
            refused.append((number, outcome))
    return state.clusters(), joined, refused
