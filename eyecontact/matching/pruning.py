"""A cheap bound on a pair's score, to drop pairs of namesakes before scoring them.

A pair that shares no identity can gain at most its name, what its employers say (weighed in
full, as scoring weighs them), a title and a city (see :mod:`.scoring`). When that bound, less
what the name's commonness costs, stays below the review threshold, the full score would too,
and the pair is dropped unscored.
Two steps use it:

- :func:`needs_employer` marks the records whose name is so common that its penalty eats
  what a title and a city could add: blocking pairs them by name only with records that may
  share their employer, and not at all when they name none (they still meet their matches
  through shared identities).
- :func:`prune_pairs` checks the bound pair by pair, for the name pairs that are left.

Among a heavy user's 105,000 followed X accounts most name pairs end in one or the other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from eyecontact.matching.features import Features
from eyecontact.matching.frequencies import Frequencies, name_penalty
from eyecontact.matching.names import NAME_MAX, NAME_MAX_AGAINST, compare_names
from eyecontact.matching.organizations import compare_organizations
from eyecontact.matching.scoring import (
    ADDRESS_MAX,
    CITY_WEIGHT,
    DIFFERENT_ORGANIZATION,
    EXACT_NAME,
    ORGANIZATION_DIFFERENT,
    ORGANIZATION_MAX,
    ORGANIZATION_SAME,
    ORGANIZATION_SIMILAR,
    SAME_ORGANIZATION,
    SIMILAR_ORGANIZATION,
    TITLE_WEIGHT,
    employer_weight,
)

__all__ = [
    "name_bonus",
    "name_bonuses",
    "name_penalties",
    "pair_bonus",
    "needs_employer",
    "prune_pairs",
    "score_bound",
    "score_floor",
    "shares_identity",
]

# Scores are rounded to four places; the bound keeps a margin so that it never drops a pair
# the rounding would have lifted to the threshold.
_MARGIN = 1e-3


def score_floor(review_threshold: float) -> float:
    """The log-odds a pair needs for review (or any score), less a margin for rounding."""
    if review_threshold <= 0.0:
        return -math.inf
    if review_threshold >= 1.0:
        return math.inf
    return math.log(review_threshold / (1.0 - review_threshold)) - _MARGIN


def name_penalties(
    all_features: Sequence[Features],
    frequencies: Frequencies,
    bonuses: Sequence[float] | None = None,
) -> list[float]:
    """Each record's name penalty when it shares nothing but its name (0 without a name, and
    for a name rare enough to count for more than it weighs: see :func:`name_bonus`, whose
    figures ``bonuses`` may hold already)."""
    if bonuses is None:
        bonuses = name_bonuses(all_features, frequencies)
    return [
        name_penalty(frequencies.namesakes(f.name))
        if f.name.given and f.name.family and not bonus
        else 0.0
        for f, bonus in zip(all_features, bonuses, strict=True)
    ]


def pair_bonus(both_named: bool, bonus_a: float, bonus_b: float) -> float:
    """The most two records' names can gain for being rare: the smaller of their bonuses
    when both are named (their pair is no rarer than either), else the named one's."""
    if both_named:
        return min(bonus_a, bonus_b)
    return max(bonus_a, bonus_b)


def name_bonuses(all_features: Sequence[Features], frequencies: Frequencies) -> list[float]:
    """Each record's :func:`name_bonus`."""
    return [name_bonus(f, frequencies) for f in all_features]


def name_bonus(features: Features, frequencies: Frequencies) -> float:
    """The most a record's name can gain for being rare here, over an exact name's weight."""
    name = features.name
    if not (name.given and name.family):
        return 0.0
    namesakes = frequencies.namesakes(name)
    if frequencies.rarity_bound(namesakes) <= EXACT_NAME:
        return 0.0  # too common to gain, whatever the sources
    return max(frequencies.rarity_bound(namesakes, features.record.source) - EXACT_NAME, 0.0)


def needs_employer(
    all_features: Sequence[Features], penalties: Sequence[float], review_threshold: float
) -> list[bool]:
    """Records whose name, however well another agrees with it, cannot reach review
    without a shared employer.

    A name that agrees loses the record's own penalty at least; one that disagrees somewhere
    adds at most :data:`~.names.NAME_MAX_AGAINST`. Title and city add only if both records
    have them.
    """
    floor = score_floor(review_threshold)
    needy = []
    for features, penalty in zip(all_features, penalties, strict=True):
        extras = (TITLE_WEIGHT if features.title else 0.0) + (CITY_WEIGHT if features.city else 0.0)
        needy.append(NAME_MAX - penalty + extras < floor and NAME_MAX_AGAINST + extras < floor)
    return needy


def prune_pairs(
    codes: Iterable[int],
    count: int,
    all_features: Sequence[Features],
    penalties: Sequence[float],
    review_threshold: float,
    bonuses: Sequence[float] | None = None,
) -> list[int]:
    """The pairs (``left * count + right`` codes) whose score could reach
    ``review_threshold``; each must share no identity."""
    floor = score_floor(review_threshold)
    if floor == -math.inf:
        return list(codes)
    kept = []
    for code in codes:
        left, right = divmod(code, count)
        a, b = all_features[left], all_features[right]
        bonus = (
            pair_bonus(bool(a.name and b.name), bonuses[left], bonuses[right])
            if bonuses is not None
            else 0.0
        )
        if score_bound(a, b, max(penalties[left], penalties[right]), bonus, floor) >= floor:
            kept.append(code)
    return kept


def score_bound(
    a: Features, b: Features, penalty: float, bonus: float = 0.0, floor: float = -math.inf
) -> float:
    """The most log-odds two records that share no identity can reach, ``penalty`` being the
    larger of their name penalties (see :func:`name_penalties`) and ``bonus`` the larger of
    their name bonuses (see :func:`name_bonus`).

    When one of them has a work address, what the employers add is first taken at its most;
    only a pair that would then reach ``floor`` has it weighed in full, as scoring weighs it
    (a work address at one firm says nothing of a namesake at another: taken at its most, a
    heavy user's calendar had 56,000 pairs scored in full; weighed, 11,000, the same ones
    found).

    A pair of named records with no employers to weigh is first given the most any two names
    can add, less what the name's commonness costs: the namesakes of a common name are
    dropped there without their names being compared (three in four of the pairs a heavy
    user's files ask about). Below ``floor`` the figure returned is then that looser bound.
    """
    extras = 0.0
    if a.title and b.title:
        extras += TITLE_WEIGHT
    if a.city and a.city == b.city:
        extras += CITY_WEIGHT
    named = bool(a.name and b.name)
    if named and not _both_employed(a, b):
        most = extras + max(NAME_MAX - penalty + bonus, 0.0)
        if most < floor:
            return most
    name = compare_names(a.name, b.name)[0] if named else None
    employer = _employer_bound(a, b)
    bound = extras + employer + _name_bound(name, employer, penalty, bonus)
    if employer == ORGANIZATION_MAX and bound >= floor:
        employer = employer_weight(a, b)
        bound = extras + employer + _name_bound(name, employer, penalty, bonus)
    return bound


def _name_bound(weight: float | None, employer: float, penalty: float, bonus: float) -> float:
    """The most a pair's names can add (``weight`` as :func:`.names.compare_names` gives it,
    None when one record has no name), with ``employer`` what their employers add."""
    if weight is None:
        return ADDRESS_MAX + bonus
    if weight >= 0 and employer <= 0:
        # Without a shared employer the name's commonness counts in full.
        weight -= penalty
    if weight >= 0:
        weight += bonus
    return weight


def shares_identity(a: Features, b: Features) -> bool:
    """Whether two records have an identity in common (the pairs :func:`score_bound` is not
    for): an e-mail address or mailbox, a phone, an account or a website."""
    return bool(
        (
            (a.emails or a.role_emails)
            and not (a.emails | a.role_emails).isdisjoint(b.emails | b.role_emails)
        )
        or (a.phones and not a.phones.isdisjoint(b.phones))
        or (a.websites and not a.websites.isdisjoint(b.websites))
        or (a.linkedin and a.linkedin == b.linkedin)
        or (a.facebook and a.facebook == b.facebook)
        or (a.x_account and a.x_account == b.x_account)
    )


def _both_employed(a: Features, b: Features) -> bool:
    """Whether both records name an employer or have a work address: their employers are
    weighed only then."""
    return bool((a.organization or a.work_domains) and (b.organization or b.work_domains))


def _employer_bound(a: Features, b: Features) -> float:
    """What the employers of two records add, when neither has a work address; the most they
    could add when one has."""
    if not _both_employed(a, b):
        return 0.0
    if a.work_domains or b.work_domains:
        return ORGANIZATION_MAX
    similarity = compare_organizations(a.organization, b.organization)
    if similarity >= SAME_ORGANIZATION:
        return ORGANIZATION_SAME
    if similarity >= SIMILAR_ORGANIZATION:
        return ORGANIZATION_SIMILAR
    if similarity < DIFFERENT_ORGANIZATION:
        return ORGANIZATION_DIFFERENT
    return 0.0
