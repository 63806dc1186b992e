"""How person names are parsed and compared.

A name arrives as a full name ("Dr. Kwame Mensah", "Mensah, Kwame", "Tanaka Misaki"), as given
and family fields ("Kwame", "Mensah, PhD"), or both. :func:`parse_name` folds it (accents,
case, punctuation), drops honorifics and credentials, reads "Last, First" order, and splits
given names from family names, keeping family particles (van, de, Ní, El, O') with the family
name. :func:`compare_names` then says how two parsed names relate, in categories that the
scorer turns into weights: exact, nickname (from the shipped table ``data/nicknames.csv``),
initial, typo, compound family name (Garcia-Lopez and Garcia), swapped order, or different.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from rapidfuzz.distance import OSA

from eyecontact.matching.normalize import fold_name as _fold_uncached
from eyecontact.matching.scripts import latin, writes_family_first

__all__ = [
    "NAME_MAX",
    "NAME_MAX_AGAINST",
    "ParsedName",
    "compare_family",
    "compare_given",
    "compare_names",
    "given_groups",
    "is_first_name_of",
    "parse_name",
    "skeleton",
]


def _words(text: str) -> frozenset[str]:
    """The words of a compact word list."""
    return frozenset(text.split())


# Honorifics that stand before a name and are never part of it.
_HONORIFICS = _words(
    "dr mr mrs ms mx miss mister madam prof professor sir dame lord lady rev revd fr hon herr "
    "frau mme mlle monsieur sr sra srta dott ing"
)
# Credentials and generational suffixes that can be dropped wherever they trail a name.
_CREDENTIALS = _words(
    "phd md mba jr sr ii iii iv esq cpa dds dmd msc bsc dphil mphil llm llb jd cfa pmp rn frcs "
    "obe mbe cbe facs mph mfa meng beng pe ceng fca aca acca cissp pmp dipl frs"
)
# Short credentials that are also surnames (Ma, Ba): dropped only after a comma.
_COMMA_CREDENTIALS = _CREDENTIALS | _words("ma ba bs ms do od ea")
# Particles that belong to the family name that follows them.
_PARTICLES = _words(
    "van von der den de del della dela di da du dos das le la el al bin ibn ben ni nic mac "
    "o st ter ten zu af av y"
)
_NICKNAME_FILE = "nicknames.csv"

# Names repeat a great deal across 100,000 records; folding each spelling once is enough. The
# caches are bounded, since a server process meets new names for as long as it runs.
_CACHE_SIZE = 1 << 16
_PAIR_CACHE_SIZE = 1 << 18
fold_name = lru_cache(maxsize=_CACHE_SIZE)(_fold_uncached)


class ParsedName(NamedTuple):
    """A name split into folded given-name tokens and family-name tokens.

    A named tuple rather than a frozen dataclass: names key several caches, and a tuple
    hashes in C.
    """

    given: tuple[str, ...] = ()
    family: tuple[str, ...] = ()

    @property
    def first(self) -> str:
        """The first given name, or ``""``."""
        return self.given[0] if self.given else ""

    @property
    def family_key(self) -> str:
        """The family name as one word: "O'Brien" and "OBrien" both give ``obrien``."""
        return "".join(self.family)

    @property
    def family_parts(self) -> frozenset[str]:
        """The family name's words without particles: "Garcia-Lopez" gives garcia and lopez."""
        return frozenset(t for t in self.family if t not in _PARTICLES and len(t) > 1)

    def __bool__(self) -> bool:
        return bool(self.given or self.family)


def skeleton(word: str) -> str:
    """A rough phonetic key, so that Müller/Mueller/Muller and Kjærgaard/Kjaergaard agree."""
    return _skeleton(word)


@lru_cache(maxsize=_CACHE_SIZE)
def _skeleton(word: str) -> str:
    key = word.replace(" ", "")
    for old, new in _SKELETON_RULES:
        key = key.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", key)


_SKELETON_RULES = (
    ("ue", "u"),
    ("oe", "o"),
    ("ae", "a"),
    ("aa", "a"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("y", "i"),
    ("w", "v"),
    ("z", "s"),
)


def parse_name(full_name: str = "", given_name: str = "", family_name: str = "") -> ParsedName:
    """Parse a person's name from whichever of its forms a source provides; a name in
    another script is read in Latin letters first (see :mod:`.scripts`)."""
    if not (full_name.isascii() and given_name.isascii() and family_name.isascii()):
        if latin(given_name) != given_name or latin(family_name) != family_name:
            # Given and family names in their own script read best together, in the order
            # their script writes them.
            whole = (
                f"{family_name} {given_name}"
                if writes_family_first(family_name)
                else (f"{given_name} {family_name}")
            )
            return _parse(latin(whole.strip()), "", "")
        full_name = latin(full_name)
    return _parse(full_name, given_name, family_name)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse(full_name: str, given_name: str, family_name: str) -> ParsedName:
    given = _tokens(given_name, leading_honorifics=True)
    family = _tokens(family_name, leading_honorifics=False)
    if given and family:
        return ParsedName(tuple(given), tuple(family))
    if full_name.strip():
        whole = _parse_full(full_name)
        if whole.given and whole.family or not (given or family):
            return whole
    if given and len(given) > 1:
        return _parse_full(given_name)  # "Kofi Boateng" typed whole into the first-name box
    return ParsedName(tuple(given), tuple(family))


def _parse_full(full_name: str) -> ParsedName:
    if "@" in full_name:
        return ParsedName()  # a calendar attendee whose name is their address
    segments = [s for s in full_name.split(",") if s.strip()]
    segments = [s for i, s in enumerate(segments) if i == 0 or not _is_credentials(s)]
    if len(segments) == 2:
        family = _tokens(segments[0], leading_honorifics=True)
        given = _tokens(segments[1], leading_honorifics=True)
        if family and given:
            return ParsedName(tuple(given), tuple(family))
    # Words are split on spaces only, so that a hyphenated family name stays one unit.
    units = [fold_name(word).split() for word in " ".join(segments).split()]
    units = [unit for unit in units if unit]
    while len(units) > 1 and len(units[0]) == 1 and units[0][0] in _HONORIFICS:
        units.pop(0)
    while len(units) > 1 and len(units[-1]) == 1 and units[-1][0] in _CREDENTIALS:
        units.pop()
    if not units:
        return ParsedName()
    if len(units) == 1:
        return ParsedName(given=tuple(units[0]))
    start = len(units) - 1
    while start > 1 and len(units[start - 1]) == 1 and units[start - 1][0] in _PARTICLES:
        start -= 1
    return ParsedName(
        tuple(t for unit in units[:start] for t in unit),
        tuple(t for unit in units[start:] for t in unit),
    )


def _is_credentials(segment: str) -> bool:
    words = fold_name(segment).split()
    return bool(words) and all(w in _COMMA_CREDENTIALS for w in words)


def _tokens(text: str, *, leading_honorifics: bool) -> list[str]:
    if "," in text:
        parts = text.split(",")
        text = " ".join([parts[0], *(p for p in parts[1:] if not _is_credentials(p))])
    words = fold_name(text).split()
    if leading_honorifics:
        while len(words) > 1 and words[0] in _HONORIFICS:
            words.pop(0)
    while len(words) > 1 and words[-1] in _CREDENTIALS:
        words.pop()
    return words


@cache
def _nickname_groups() -> dict[str, frozenset[int]]:
    text = resources.files("eyecontact.matching").joinpath("data", _NICKNAME_FILE)
    groups: dict[str, set[int]] = {}
    number = 0
    for line in text.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        number += 1
        for name in line.split(","):
            key = fold_name(name).replace(" ", "")
            if key:
                groups.setdefault(key, set()).add(number)
    return {name: frozenset(ids) for name, ids in groups.items()}


def given_groups(given: str) -> frozenset[int]:
    """The nickname groups a folded given name belongs to (empty if it is in none)."""
    return _nickname_groups().get(given, frozenset())


@lru_cache(maxsize=_PAIR_CACHE_SIZE)
def compare_given(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """How two given names relate: exact, nickname, middle, initial, typo, prefix,
    missing or different."""
    if not a or not b:
        return "missing"
    fa, fb = a[0], b[0]
    if fa == fb or "".join(a) == "".join(b) or _skeleton(fa) == _skeleton(fb):
        return "exact"
    if len(fa) == 1 or len(fb) == 1:
        return "initial" if fa[0] == fb[0] else "different"
    if given_groups(fa) & given_groups(fb):
        return "nickname"
    if fa in b[1:] or fb in a[1:]:
        return "middle"
    if min(len(fa), len(fb)) >= 4 and OSA.distance(fa, fb) <= 1:
        return "typo"
    short, long = sorted((fa, fb), key=len)
    if len(short) >= 3 and long.startswith(short):
        return "prefix"
    return "different"


def is_first_name_of(first_name: str, full_name: str) -> bool:
    """Whether ``first_name`` alone (a phone book's "Thomas", "Bob") is the given name of
    ``full_name``, a name with a family name ("Thomas Fodemann", "Robert Praicheir"), as
    written or as a nickname."""
    lone, whole = parse_name(first_name), parse_name(full_name)
    if lone.family or len(lone.given) != 1 or not (whole.given and whole.family):
        return False
    return compare_given(lone.given, whole.given) in ("exact", "nickname")


@lru_cache(maxsize=_PAIR_CACHE_SIZE)
def compare_family(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    """How two family names relate: exact, compound, typo, missing or different."""
    if not a or not b:
        return "missing"
    ka, kb = "".join(a), "".join(b)
    if ka == kb or _skeleton(ka) == _skeleton(kb):
        return "exact"
    pa = frozenset(t for t in a if t not in _PARTICLES and len(t) > 1)
    pb = frozenset(t for t in b if t not in _PARTICLES and len(t) > 1)
    if pa and pa == pb:
        return "exact"
    if pa & pb and (pa <= pb or pb <= pa):
        return "compound"
    shortest = min(len(ka), len(kb))
    if shortest >= 5 and OSA.distance(ka, kb) <= (2 if shortest >= 9 else 1):
        return "typo"
    return "different"


# Log-odds that two records are one person, from how their given and family names relate.
# Rows: given-name category; columns: family-name category. Names alone stay below the merge
# threshold on purpose: a name needs an organisation, a place or an identity to back it.
_FAMILY_COLUMNS = ("exact", "compound", "typo", "missing", "different")
_NAME_WEIGHTS: dict[str, tuple[float, float, float, float, float]] = {
    "exact": (1.1, 0.8, 0.5, -0.6, -2.2),
    "nickname": (0.8, 0.5, 0.1, -0.9, -2.6),
    "middle": (0.5, 0.2, -0.2, -1.2, -3.0),
    "typo": (0.5, 0.2, -0.5, -1.2, -3.0),
    "prefix": (0.3, 0.0, -0.6, -1.4, -3.0),
    "initial": (0.0, -0.3, -0.8, -1.6, -3.0),
    "missing": (-0.3, -0.6, -1.2, 0.0, -3.0),
    "different": (-2.5, -3.0, -3.5, -3.0, -4.0),
}
_SWAP_PENALTY = 0.15
# The most a name can add, and the most a name that disagrees somewhere can add.
NAME_MAX = max(max(row) for row in _NAME_WEIGHTS.values())
NAME_MAX_AGAINST = max(w for row in _NAME_WEIGHTS.values() for w in row if w < 0)


@lru_cache(maxsize=_PAIR_CACHE_SIZE)
def compare_names(a: ParsedName, b: ParsedName) -> tuple[float, str]:
    """The log-odds two names add to a match, and a phrase saying why."""
    if not a or not b:
        return 0.0, "no name on one side"
    straight = _weigh(a.given, a.family, b.given, b.family)
    swapped = _weigh(a.given, a.family, b.family, b.given)
    if b.family and b.given and swapped[0] - _SWAP_PENALTY > straight[0]:
        return swapped[0] - _SWAP_PENALTY, swapped[1] + " (name order swapped)"
    return straight


@lru_cache(maxsize=_PAIR_CACHE_SIZE)
def _weigh(
    ga: tuple[str, ...], fa: tuple[str, ...], gb: tuple[str, ...], fb: tuple[str, ...]
) -> tuple[float, str]:
    given = compare_given(ga, gb)
    family = compare_family(fa, fb)
    if family != "exact" and (len(ga) > 1 or len(gb) > 1):
        # "José Álvarez Ruiz" without its hyphen reads Álvarez as a middle name.
        wider = compare_family(ga[1:] + fa, gb[1:] + fb)
        if wider == "exact":
            family = "exact"
        elif wider == "compound" and family in ("different", "typo"):
            family = "compound"
    weight = _NAME_WEIGHTS[given][_FAMILY_COLUMNS.index(family)]
    return weight, f"given name {given}, family name {family}"
