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
from typing import TypeVar

from eyecontact.matching.features import Features
from eyecontact.matching.names import ParsedName, given_groups, skeleton

__all__ = [
    "DEFAULT_REPEAT",
    "EMPLOYER_MAX_PENALTY",
    "EMPLOYER_NAMESAKES_FREE",
    "MAX_PENALTY",
    "NAMESAKES_FREE",
    "NAME_FREE",
    "RARE_FLOOR",
    "RARE_MAX",
    "Frequencies",
    "Tally",
    "commonness_penalty",
    "given_key",
    "name_key",
    "name_penalty",
    "signature",
]

_Key = TypeVar("_Key", bound=Hashable)

# What a rare name can say on its own: the odds that two records of a name that nobody else
# here is expected to carry are one person (see Frequencies.rarity).
RARE_MAX = 4.6
RARE_FLOOR = 0.005
# The share of people seen more than once, when a population is too small to tell (fewer rare
# names than REPEAT_SAMPLE), and the bounds of the estimate.
DEFAULT_REPEAT = 0.3
REPEAT_SAMPLE = 200
REPEAT_MIN = 0.05
REPEAT_MAX = 0.8
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
    return skeleton(name.family_key), given_key(name.first)


def given_key(first: str) -> str:
    """The given part of a :func:`name_key`: the name, or its nickname group."""
    groups = given_groups(first) if len(first) > 1 else frozenset()
    return f"~{min(groups)}" if groups else first


@dataclass(frozen=True, slots=True)
class Frequencies:
    """How many records carry each name, name part and employer, in one population."""

    names: Counter[tuple[str, str]] = field(default_factory=Counter)
    givens: Counter[str] = field(default_factory=Counter)
    families: Counter[str] = field(default_factory=Counter)
    named: int = 0
    employers: Counter[str] = field(default_factory=Counter)
    with_employer: int = 0
    # The chance that a person here is seen more than once, and for names that two accounts
    # of one kind carry (two LinkedIn connections), at least how many people carry them.
    repeat: float = DEFAULT_REPEAT
    people: dict[tuple[str, str], int] = field(default_factory=dict)
    # Learned from the rare names: how often a person seen in one source is seen in another
    # (``seen_in[(a, b)]``), and each source's share of the named records.
    seen_in: dict[tuple[str, str], float] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    # The namesakes a rare name has all the same, learned from how often two accounts of one
    # source (two followed X accounts) carry one rare name.
    rare_namesakes: float = RARE_FLOOR
    # Whether the population had rare names enough to learn all this from; else a name's
    # rarity adds nothing, as a small address book cannot tell.
    learned: bool = False
    # The highest chance and the smallest share among the sources, for rarity_bound.
    bound: tuple[float, float] = (DEFAULT_REPEAT, 1.0)
    # Expected namesakes by name key, worked out once per name.
    expected: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)
    # Rarity bounds by namesakes and source, worked out once each.
    bounds: dict[tuple[float, str], float] = field(default_factory=dict, compare=False)

    @classmethod
    def count(cls, all_features: Iterable[Features]) -> Frequencies:
        """Count the full names, given names (and their initials), family names and
        employers (organisation keys and work mail domains) of a population.

        Records of a name that share their first identity (one attendee invited to five
        meetings) count once.
        """
        tally = Tally()
        for features in all_features:
            tally.add(features)
        return tally.frequencies()

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
        # Two accounts of one kind under this name are two people at least.
        known = float(self.people.get((family, given), 1) - 1)
        chance = self.parts_chance(family, given)
        if len(given) == 1:
            return max(chance, known)
        return max(chance, float(seen - NAME_FREE), known)

    def parts_chance(self, family: str, given: str) -> float:
        """Records one would expect to carry this name by chance, its given and family names
        taken as independent, from the records not carrying this name: a person's own records
        must not make their name look common."""
        seen = self.names.get((family, given), 0)
        others_given = max(self.givens.get(given, 0) - seen, 0)
        others_family = max(self.families.get(family, 0) - seen, 0)
        return others_given * others_family / max(self.named, 1)

    def rarity(self, namesakes: float, source_a: str = "", source_b: str = "") -> float:
        """The log-odds that two records showing one name are one person, by how rare the
        name is here: the chance that a person seen in one source is seen in the other,
        against the namesakes expected in the other. Without sources, the chance that a
        person is seen twice at all, against all namesakes. ``-RARE_MAX`` when nothing was
        learned."""
        if not self.learned:
            return -RARE_MAX
        if source_a and source_b and self.seen_in:
            odds = math.sqrt(
                self._odds(namesakes, source_a, source_b)
                * self._odds(namesakes, source_b, source_a)
            )
        else:
            odds = self.repeat / max(namesakes, self.rare_namesakes)
        return min(math.log(odds), RARE_MAX) if odds > 0 else -RARE_MAX

    def rarity_bound(self, namesakes: float, source: str | None = None) -> float:
        """The most :meth:`rarity` gives for these namesakes, for a record of ``source``
        against any other (or whatever the two sources)."""
        if not self.learned:
            return -RARE_MAX
        key = (namesakes, source or "")
        found = self.bounds.get(key)
        if found is not None:
            return found
        if source is not None and self.seen_in:
            found = max(self.rarity(namesakes, source, other) for other in self.shares)
            found = max(found, self.rarity(namesakes))
        else:
            chance, share = self.bound
            floor = self.rare_namesakes
            odds = chance / max(namesakes * share, floor * share, floor * RARE_FLOOR)
            found = min(math.log(odds), RARE_MAX)
        self.bounds[key] = found
        return found

    def _odds(self, namesakes: float, known: str, other: str) -> float:
        chance = self.seen_in.get((known, other), self.repeat)
        share = self.shares.get(other, 1.0)
        floor = self.rare_namesakes
        return chance / max(namesakes * share, floor * share, floor * RARE_FLOOR)

    def colleagues(self, keys: tuple[str, ...], a: Features, b: Features) -> int:
        """Records other than ``a`` and ``b`` at the largest of these employers
        (organisation keys or work mail domains)."""
        biggest = max((self.employers.get(key, 0) for key in keys), default=0)
        own = sum(
            1 for f in (a, b) if f.organization in keys or not f.work_domains.isdisjoint(keys)
        )
        return max(biggest - own, 0)


class Tally:
    """The counts behind :class:`Frequencies`, kept up to date as records come and go.

    A series of imports matches each file against everyone the files before it brought: the
    index of them changes by a few thousand records a file, and counting its 50,000 again
    took a good part of each file's time. What :meth:`frequencies` gives is what
    :meth:`Frequencies.count` of the records now held would give.
    """

    __slots__ = (
        "accounts",
        "employed",
        "families",
        "givens",
        "named_in",
        "names",
        "per_source",
        "sightings",
        "with_employer",
    )

    def __init__(self) -> None:
        # Each count is of the records held, and an entry goes when its count reaches 0.
        self.sightings: Counter[tuple[str, str, str, Hashable]] = Counter()
        self.accounts: Counter[tuple[str, str, str, str]] = Counter()
        self.named_in: Counter[tuple[str, str, str]] = Counter()
        self.employed: Counter[str] = Counter()
        self.with_employer = 0
        # Counted over the distinct sightings and accounts above.
        self.names: Counter[tuple[str, str]] = Counter()
        self.givens: Counter[str] = Counter()
        self.families: Counter[str] = Counter()
        self.per_source: Counter[tuple[str, str, str]] = Counter()

    def add(self, features: Features) -> None:
        """Counts one more record."""
        self._count(features, 1)

    def remove(self, features: Features) -> None:
        """Counts a record no more (one counted before)."""
        self._count(features, -1)

    def _count(self, features: Features, step: int) -> None:
        name = features.name
        if name.given and name.family:
            family, given = name_key(name)
            initial = name.first[0]
            if _step(self.sightings, (family, given, initial, signature(features)), step):
                _step(self.names, (family, given), step)
                _step(self.givens, given, step)
                if given != initial:  # an initial stands for every name it starts
                    _step(self.givens, initial, step)
                _step(self.families, family, step)
            source = features.record.source
            _step(self.named_in, (family, given, source), step)
            account = features.linkedin or features.facebook or features.x_account
            if account and _step(self.accounts, (family, given, source, account), step):
                _step(self.per_source, (family, given, source), step)
        if features.organization:
            self.with_employer += step
            _step(self.employed, features.organization, step)
            for domain in features.work_domains:
                _step(self.employed, domain, step)
        elif features.work_domains:
            self.with_employer += step
            for domain in features.work_domains:
                _step(self.employed, domain, step)

    def frequencies(self) -> Frequencies:
        """The frequencies of the records counted now."""
        names, givens, families = Counter(self.names), Counter(self.givens), self.families.copy()
        per_source = self.per_source
        people: dict[tuple[str, str], int] = {}
        for (family, given, _), count in per_source.items():
            if count > 1 and count > people.get((family, given), 0):
                people[(family, given)] = count
        repeat, seen_in, shares, rare_namesakes = _repeat_rates(
            names, givens, families, self.named_in, per_source
        )
        return Frequencies(
            names,
            givens,
            families,
            len(self.sightings),
            Counter(self.employed),
            self.with_employer,
            repeat,
            people,
            seen_in,
            shares,
            rare_namesakes,
            bool(seen_in),
            (
                max(repeat, max(seen_in.values(), default=0.0)),
                min(shares.values(), default=1.0) if seen_in else 1.0,
            ),
        )


def _step(counter: Counter[_Key], key: _Key, step: int) -> bool:
    """Adds ``step`` to ``key``'s count, dropping it at 0; True when the key came or went."""
    count = counter.get(key, 0) + step
    if count:
        counter[key] = count
        return count == step
    del counter[key]
    return True


def _repeat_rates(
    names: Counter[tuple[str, str]],
    givens: Counter[str],
    families: Counter[str],
    named_in: Counter[tuple[str, str, str]],
    accounts: Counter[tuple[str, str, str]],
) -> tuple[float, dict[tuple[str, str], float], dict[str, float], float]:
    """How often one person is seen twice, learned from this population's rare names: where
    namesakes are unlikely, two sightings of a name are one person seen twice. A salesperson's
    address book and a crowd of strangers followed on X differ a great deal, and so do a
    LinkedIn connection (often in the calendar too) and a followed X account (seldom met).

    Returns the share of rare names seen more than once; for each pair of sources, the share
    of the rare names seen in the first that are seen in the second too (in the same source: a
    second time); each source's share of the named sightings; and the namesakes a rare name
    has all the same, from how often two accounts of one source carry a rare name (they are
    two people). Too few rare names in a source leave its rates out (the overall share
    stands in)."""
    named = sum(names.values())
    rare = twice = 0
    rare_keys: set[tuple[str, str]] = set()
    in_source: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    records: Counter[str] = Counter()
    # The sources each name was seen in, for the rare names only.
    sources: dict[tuple[str, str], dict[str, int]] = {}
    common: set[tuple[str, str]] = set()
    for (family, given, source), count in named_in.items():
        records[source] += count
        key = (family, given)
        if key in common:
            continue
        by_source = sources.get(key)
        if by_source is None:
            seen = names.get(key, 0)
            chance = (
                (givens.get(given, 0) - seen) * (families.get(family, 0) - seen) / max(named, 1)
            )
            if len(given) == 1 or chance >= RARE_FLOOR:
                common.add(key)
                continue
            by_source = sources[key] = {}
        by_source[source] = count
    for key, by_source in sources.items():
        seen = names.get(key, 0)
        rare += 1
        rare_keys.add(key)
        twice += seen > 1
        for source, count in by_source.items():
            in_source[source] += 1
            for other in by_source:
                if other != source or count > 1:
                    both[(source, other)] += 1
    total = sum(records.values()) or 1
    shares = {source: count / total for source, count in records.items()}
    if rare < REPEAT_SAMPLE:
        return DEFAULT_REPEAT, {}, shares, RARE_FLOOR
    # Distinct accounts, not records: a followed account that also follows is one account.
    account_sources = {source for _, _, source in accounts}
    # In a fixed order: the same counts give the same figure, to the last digit, however
    # they were reached (see Tally).
    exposure = sum(in_source[s] * shares[s] for s in sorted(account_sources) if s in in_source)
    collided = sum(
        1
        for (family, given, source), count in accounts.items()
        if count > 1 and (family, given) in rare_keys
    )
    rare_namesakes = max(collided / exposure, RARE_FLOOR) if exposure else RARE_FLOOR
    repeat = min(max(twice / rare, REPEAT_MIN), REPEAT_MAX)
    seen_in = {
        (source, other): min(max(both[(source, other)] / in_source[source], REPEAT_MIN), REPEAT_MAX)
        for source in in_source
        if in_source[source] >= REPEAT_SAMPLE // 4
        for other in records
    }
    return repeat, seen_in, shares, rare_namesakes


def signature(features: Features) -> Hashable:
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
