"""All the records of one rare name, joined as a person would join them at a glance.

Scoring judges two records at a time, and on a name alone a pair stays in review: "Kavya
Bergström" on LinkedIn and "Kavya Bergström" on X could be namesakes. A person looking at the
whole network sees more: the name is on LinkedIn, on X, on Facebook and in invitations at two
employers' addresses; nobody else here is expected to carry it; and none of those records
contradicts another (no second LinkedIn profile, no second X account of that name). They are
one person, and the person reviewing imports should not have to say so ten times.

After the pairwise merges, this step looks at each name as a whole:

- a record's name counts by its :func:`~.frequencies.name_key` (family name's skeleton and
  first given name or its nickname group), so accents, nicknames and middle initials agree;
- an attendee known only by an address that spells a name (``karim.gigrack@``,
  ``helenkoch@``, ``hkoch@`` when one name here fits it) counts under that name;
- the name must be rare here: fewer than :data:`RARE_GROUP` other records expected to carry
  it by chance, from how common its given and family names are apart, in a population large
  enough to tell (see :attr:`.Frequencies.learned`: a small address book joins nothing here);
- no two accounts of one kind (two LinkedIn profiles, two X accounts) may carry it, anywhere
  in the population, and the clusters together may not hold two of one kind either;
- no two of its records may come from a source that lists each person once (LinkedIn, a
  CRM), learned as a source in which rare names hardly ever appear twice, and no source may
  show it at more addresses than one person leaves there (names whose parts go together,
  like Shota Sato, look rare by their parts and are carried by many);
- a cluster made only of records from a crowd of strangers (followed X accounts), learned as
  a source whose rare names are seldom seen anywhere else, is not joined by name: a namesake
  among tens of thousands of strangers is too likely. Pairwise scoring still weighs it.

Every cluster carrying such a name is then joined, through a link that says why. A wrong join
stays explainable and splittable like any merge.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence

from eyecontact.matching.features import Features
from eyecontact.matching.frequencies import NAME_FREE, Frequencies, given_key, name_key, signature
from eyecontact.matching.names import skeleton
from eyecontact.matching.records import Evidence

__all__ = [
    "CROWD_RATE",
    "ONCE_RATE",
    "RARE_GROUP",
    "NameKey",
    "Spellings",
    "listed_once",
    "named_key",
    "rare_name_joins",
    "sole_bearer",
    "spelt_keys",
    "too_many_sightings",
]

# Expected namesakes (records carrying the name by chance) below which a name, shared by
# records that contradict nothing, makes them one person.
RARE_GROUP = 0.01
# A source in which at most this share of the rare names appears twice lists each person once:
# two of its records under one name are two people.
ONCE_RATE = 0.1
# A source in which fewer than this share of the rare names is seen in any other source is
# mostly strangers.
CROWD_RATE = 0.2

NameKey = tuple[str, str]
_SEPARATORS = re.compile(r"[._-]")


def named_key(features: Features) -> NameKey | None:
    """The key of the record's own name, or None without a whole given and family name."""
    name = features.name
    if len(name.first) < 2 or len(name.family_key) < 2:
        return None
    return name_key(name)


class Spellings:
    """The names an address can spell, from the names the population carries."""

    def __init__(self, keys: Iterable[tuple[str, str, NameKey]]) -> None:
        self.whole: dict[str, set[NameKey]] = defaultdict(set)
        self.initial: dict[str, set[NameKey]] = defaultdict(set)
        self.keys: set[NameKey] = set()
        for first, family, key in keys:
            self.keys.add(key)
            self.whole[first + family].add(key)
            self.whole[family + first].add(key)
            self.initial[first[0] + family].add(key)

    @classmethod
    def of(cls, all_features: Iterable[Features]) -> Spellings:
        """The spellings of the names these records carry."""
        found = ((f, named_key(f)) for f in all_features)
        return cls((f.name.first, f.name.family_key, key) for f, key in found if key is not None)

    def key(self, email: str) -> NameKey | None:
        """The one name ``email``'s local part spells (whole, family name with an initial, or
        two words of a given name, nickname too, and a family name), or None if none or several.
        Digits are left out: ``deborah.moore86`` spells Deborah Moore."""
        local = email.partition("@")[0]
        words = ["".join(ch for ch in w if ch.isalpha()) for w in _SEPARATORS.split(local)]
        words = [w for w in words if w]
        joined = "".join(words)
        if not joined:
            return None
        found = self.whole.get(joined)
        if not found:
            found = self.initial.get(joined)
        if not found and len(words) == 2 and all(len(w) > 1 for w in words):
            first, second = words
            found = {
                key
                for key in (
                    (skeleton(second), given_key(first)),
                    (skeleton(first), given_key(second)),
                )
                if key in self.keys
            }
        if found and len(found) == 1:
            return next(iter(found))
        return None


def spelt_keys(all_features: Sequence[Features]) -> list[NameKey | None]:
    """Each record's name key: its own name's, or for a record without a name, the one name
    its address spells among the names the others carry (else None)."""
    keys: list[NameKey | None] = [named_key(f) for f in all_features]
    spellings = Spellings.of(all_features)
    for position, features in enumerate(all_features):
        if keys[position] is None and not features.name and features.emails:
            spelt = {spellings.key(email) for email in features.emails}
            if len(spelt) == 1:
                keys[position] = spelt.pop()
    return keys


def _crowds(frequencies: Frequencies) -> frozenset[str]:
    """The sources that are mostly strangers (the tens of thousands of accounts followed on
    X), as learned from the population: few of their rare names are seen in any other source.
    A namesake there is likely, so a cluster of such records alone is not joined by name."""
    best: dict[str, float] = defaultdict(float)
    for (source, other), rate in frequencies.seen_in.items():
        if source != other:
            best[source] = max(best[source], rate)
    return frozenset(source for source, rate in best.items() if rate < CROWD_RATE)


def listed_once(frequencies: Frequencies) -> frozenset[str]:
    """The sources that list each person once (LinkedIn connections, a CRM's customers), as
    learned from the population: a rare name seldom appears in them twice."""
    return frozenset(
        source
        for (source, other), rate in frequencies.seen_in.items()
        if source == other and rate <= ONCE_RATE
    )


def too_many_sightings(carriers: Iterable[Features]) -> bool:
    """Whether these records of one name show more addresses, phones or accounts in one
    source than one person leaves there (:data:`~.frequencies.NAME_FREE`): thirty invitations
    of "Shota Sato" at twenty addresses are several people, however rare the name looks by its
    parts (given and family names that go together)."""
    seen: dict[str, set[Hashable]] = defaultdict(set)
    for features in carriers:
        found = seen[features.record.source]
        found.add(signature(features))
        if len(found) > NAME_FREE:
            return True
    return False


def _listed_twice(
    all_features: Sequence[Features], positions: Iterable[int], listed_once: frozenset[str]
) -> bool:
    """Whether two of these records, with different addresses, phones or accounts, come from
    one source that lists each person once."""
    seen: dict[str, Hashable] = {}
    for position in positions:
        features = all_features[position]
        source = features.record.source
        if source in listed_once:
            sighting = signature(features)
            if seen.setdefault(source, sighting) != sighting:
                return True
    return False


def _accounts_agree(members: Iterable[Features]) -> bool:
    seen: dict[str, str] = {}
    for features in members:
        for kind, account in (
            ("linkedin", features.linkedin),
            ("facebook", features.facebook),
            ("x", features.x_account),
        ):
            if account and seen.setdefault(kind, account) != account:
                return False
    return True


def rare_name_joins(
    all_features: Sequence[Features],
    frequencies: Frequencies,
    clusters: Sequence[Sequence[int]],
    forbidden: set[tuple[int, int]],
) -> list[tuple[int, int, Evidence]]:
    """The joins of clusters that carry one rare name and contradict nothing: pairs of
    record positions (one record of each cluster, the first carrying the name), in position
    order, with the evidence that explains them."""
    if not frequencies.learned:
        # Too few names to tell a rare one from a common one: pairs are left to scoring.
        return []
    keys = spelt_keys(all_features)
    cluster_of = [0] * len(all_features)
    for number, members in enumerate(clusters):
        for position in members:
            cluster_of[position] = number
    carriers: dict[NameKey, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        if key is not None:
            carriers[key].append(position)
    once = listed_once(frequencies)
    crowds = _crowds(frequencies)
    joins: list[tuple[int, int, Evidence]] = []
    for key, positions in carriers.items():
        firsts: dict[int, int] = {}
        for position in positions:
            firsts.setdefault(cluster_of[position], position)
        if crowds:
            firsts = {
                number: first
                for number, first in firsts.items()
                if any(all_features[p].record.source not in crowds for p in clusters[number])
            }
        if len(firsts) < 2 or frequencies.people.get(key, 1) > 1:
            continue
        if once and _listed_twice(all_features, positions, once):
            continue
        if too_many_sightings(all_features[p] for p in positions):
            continue
        expected = frequencies.parts_chance(*key)
        if expected >= RARE_GROUP:
            continue
        members = [p for number in firsts for p in clusters[number]]
        if not _accounts_agree(all_features[p] for p in members):
            continue
        if forbidden and any(
            (min(a, b), max(a, b)) in forbidden for a in members for b in members if a < b
        ):
            continue
        representatives = sorted(firsts.values())
        shown = _shown(all_features[representatives[0]])
        detail = (
            f"the name {shown} is carried here by {len(members)} records that contradict "
            f"nothing, and about {expected:.4f} others are expected to carry it"
        )
        head = representatives[0]
        joins.extend(
            (head, other, Evidence("name_group", detail, 0.0)) for other in representatives[1:]
        )
    return joins


def _shown(features: Features) -> str:
    record = features.record
    return (record.full_name or f"{record.given_name} {record.family_name}").strip() or min(
        features.emails, default="?"
    )


def sole_bearer(
    frequencies: Frequencies, key: NameKey | None, bearer: Features, queries: Sequence[Features]
) -> Evidence | None:
    """Why the records ``queries`` (all carrying the rare name ``key``) are ``bearer``, when
    ``bearer`` is the one person of a population of people carrying the name and none of them
    contradicts another; else None.

    For an import matching a file's new people against the people already known: each known
    person is one record, so a name carried by one of them and rare here is that person's."""
    if key is None or not frequencies.learned or named_key(bearer) != key:
        return None
    if frequencies.names.get(key, 0) != 1 or frequencies.people.get(key, 1) > 1:
        return None
    expected = frequencies.parts_chance(*key)
    if expected >= RARE_GROUP or not _accounts_agree((bearer, *queries)):
        return None
    if too_many_sightings(queries):
        return None
    detail = (
        f"the only person here named {_shown(bearer)}, a name about {expected:.4f} others "
        "are expected to carry, and nothing contradicts it"
    )
    return Evidence("name_group", detail, 0.0)
