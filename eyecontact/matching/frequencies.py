"""How common a name and an employer are among the records being matched.

Two records that agree on a name are good evidence of one person when nobody else is likely
to carry that name, and weak evidence when many are. In a small address book two "Kofi
Sternham" are nearly always one person; among a heavy user's 150,000 records, 105,000 of them
strangers followed on X, most pairs of namesakes are two people. What decides is how many
records one would expect to carry the name by chance, the *namesakes*::

    namesakes  ~  max( others with that given name x others with that family name
                       ────────────────────────────────────────────────────────
                                   records with a full name

                       , records seen with that exact name, beyond what one person leaves )

"Others" are the records with that given (or family) name but not the whole name, so that a
person's own records never make their name look common. The first estimate treats given and
family names as independent and is steady for rare names; the second catches names whose
parts go together (Wei Zhang) and very common names.
A pair that also shares an employer can only be confused with the namesakes who work there::

    namesakes at the employer  ~  namesakes x records at the employer / records with one

:class:`Frequencies` counts names and employers once per population, and
:func:`commonness_penalty` turns the expected namesakes into log-odds taken off a pair's
score: nothing while namesakes are unlikely, more the more of them there are. The name and
employer weights of :mod:`.scoring` were set for a small address book; at full size a pair
with nothing but a name drops below review, and a common name at a big employer drops from
merge to review.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from eyecontact.matching.features import Features
from eyecontact.matching.names import ParsedName, given_groups, skeleton

__all__ = [
    "EMPLOYER_MAX_PENALTY",
    "EMPLOYER_NAMESAKES_FREE",
    "MAX_PENALTY",
    "NAMESAKES_FREE",
    "NAME_FREE",
    "Frequencies",
    "commonness_penalty",
    "name_key",
    "name_penalty",
]

# Records one person leaves with one name (LinkedIn, Facebook, a vCard, a few invitations).
NAME_FREE = 4
# Expected namesakes up to which a shared name keeps its full weight.
NAMESAKES_FREE = 0.03
# Expected namesakes at a shared employer up to which name and employer keep full weight.
EMPLOYER_NAMESAKES_FREE = 0.05
MAX_PENALTY = 4.0
# At most this much for a pair that shares an employer: the same full name at the same
# employer stays worth a look, however common both are.
EMPLOYER_MAX_PENALTY = 2.0


@lru_cache(maxsize=1 << 16)
def name_key(name: ParsedName) -> tuple[str, str]:
    """The key a name is counted by: the family name's skeleton and the first given name,
    or its nickname group (Jen, Jenny and Jennifer are counted as one name)."""
    first = name.first
    groups = given_groups(first) if len(first) > 1 else frozenset()
    return skeleton(name.family_key), f"~{min(groups)}" if groups else first


@dataclass(frozen=True, slots=True)
class Frequencies:
    """How many records carry each name, name part and employer, in one population."""

    names: Counter[tuple[str, str]] = field(default_factory=Counter)
    givens: Counter[str] = field(default_factory=Counter)
    families: Counter[str] = field(default_factory=Counter)
    named: int = 0
    employers: Counter[str] = field(default_factory=Counter)
    with_employer: int = 0
    # Expected namesakes by name key, worked out once per name.
    expected: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)

    @classmethod
    def count(cls, all_features: Iterable[Features]) -> Frequencies:
        """Count the full names, given names (and their initials), family names and
        employers (organisation keys and work mail domains) of a population.

        Records of a name that share their first identity (one attendee invited to five
        meetings) count once.
        """
        sightings: set[tuple[str, str, str, Hashable]] = set()
        employed: list[str] = []
        with_employer = 0
        for features in all_features:
            name = features.name
            if name.given and name.family:
                family, given = name_key(name)
                sightings.add((family, given, name.first[0], _signature(features)))
            if features.organization:
                with_employer += 1
                employed.append(features.organization)
                if features.work_domains:
                    employed.extend(features.work_domains)
            elif features.work_domains:
                with_employer += 1
                employed.extend(features.work_domains)
        # Counting whole lists runs in C; the records are many.
        employers = Counter(employed)
        names = Counter([(family, given) for family, given, _, _ in sightings])
        givens = Counter([given for _, given, _, _ in sightings])
        # An initial stands for every name it starts.
        givens.update([initial for _, given, initial, _ in sightings if given != initial])
        families = Counter([family for family, _, _, _ in sightings])
        return cls(names, givens, families, len(sightings), employers, with_employer)

    def namesakes(self, name: ParsedName, *, initial: bool = False) -> float:
        """Records one would expect to carry this name (or its initial and family name) by
        chance, apart from the person's own; 0 for a name without given and family parts."""
        if not name.given or not name.family or not self.named:
            return 0.0
        family, given = name_key(name)
        if initial:
            given = name.first[0]
        key = (family, given)
        found = self.expected.get(key)
        if found is None:
            found = self.expected[key] = self._namesakes(family, given)
        return found

    def _namesakes(self, family: str, given: str) -> float:
        seen = self.names.get((family, given), 0)
        # Given and family names as if independent, from the records not carrying this name:
        # a person's own records must not make their name look common.
        others_given = self.givens.get(given, 0) - seen
        others_family = self.families.get(family, 0) - seen
        chance = others_given * others_family / self.named
        if len(given) == 1:
            return chance
        return max(chance, float(seen - NAME_FREE))

    def colleagues(self, keys: tuple[str, ...], a: Features, b: Features) -> int:
        """Records other than ``a`` and ``b`` at the largest of these employers
        (organisation keys or work mail domains)."""
        biggest = max((self.employers.get(key, 0) for key in keys), default=0)
        own = sum(
            1 for f in (a, b) if f.organization in keys or not f.work_domains.isdisjoint(keys)
        )
        return max(biggest - own, 0)


def _signature(features: Features) -> Hashable:
    """What tells one sighting of a person from another: an address, a phone, an account,
    else the record itself."""
    if features.emails:
        return min(features.emails)
    if features.phones:
        return min(features.phones)
    return features.linkedin or features.facebook or features.x_account or features.record.id


def name_penalty(namesakes: float) -> float:
    """Log-odds taken off a shared name with this many expected namesakes."""
    if namesakes <= NAMESAKES_FREE:
        return 0.0
    return min(math.log(namesakes / NAMESAKES_FREE), MAX_PENALTY)


def commonness_penalty(frequencies: Frequencies, namesakes: float, colleagues: int | None) -> float:
    """Log-odds taken off a pair for how common its name is; when the pair shares an
    employer, ``colleagues`` are the other records there, and what counts is how many
    namesakes one would expect among them."""
    if colleagues is None:
        return name_penalty(namesakes)
    expected = namesakes * colleagues / max(frequencies.with_employer, 1)
    if expected <= EMPLOYER_NAMESAKES_FREE:
        return 0.0
    return min(math.log(expected / EMPLOYER_NAMESAKES_FREE), EMPLOYER_MAX_PENALTY)
