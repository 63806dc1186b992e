"""Names written in other scripts, read in the Latin letters their owners use abroad.

A friend may be 田中 美咲 in one address book and Misaki Tanaka on LinkedIn, Мария Смирнова on
Facebook and Maria Smirnova in a calendar. Before a name is parsed, :func:`latin` gives its
Latin reading, so the two compare as one name:

- Japanese (any kana, or kanji written with a space between family and given name, as Japanese
  users write them) is read with ``pykakasi`` in Hepburn, long vowels shortened as passports
  and business cards write them (Satou → Sato, Shouta → Shota), family name first;
- Chinese (Han characters with no space) is read in pinyin by ``anyascii``; the first
  syllable is the family name (王芳 → Fang Wang);
- Korean is read by ``anyascii``, a one-syllable family name first when the name has no space,
  with the spellings Koreans use for the common family names (Gim → Kim, I → Lee);
- every other script (Cyrillic, Greek, Arabic, Hebrew, Devanagari…) by ``anyascii``, with the
  Greek ου read as "ou".

Latin text, with or without accents, is left as it is: accents are folded later, with the rest
of the name. The Japanese reader loads its dictionary (about a second) the first time a
Japanese name is met.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

__all__ = ["latin", "writes_family_first"]

# Korean family names as their owners spell them in Latin letters.
_KOREAN_FAMILY = {
    "gim": "Kim",
    "i": "Lee",
    "bak": "Park",
    "choe": "Choi",
    "jeong": "Jung",
    "gang": "Kang",
    "jo": "Cho",
    "yun": "Yoon",
    "jang": "Jang",
    "im": "Lim",
    "o": "Oh",
    "sin": "Shin",
    "no": "Roh",
    "ryu": "Ryu",
}
_SYLLABLE = re.compile(r"[A-Z][a-z']*")
# A long vowel that a passport writes short: Satou, Shouta, Yuuki (but not Inoue).
_LONG_VOWEL = re.compile(r"(?<=[aeiou])[uo](?![aeiou])|(?<=u)u")


@lru_cache(maxsize=1 << 14)
def latin(text: str) -> str:
    """``text`` in Latin letters; Latin text is returned unchanged."""
    if text.isascii() or all(_is_latin(ch) for ch in text if ch.isalpha()):
        return text
    if any(_is_kana(ch) for ch in text) or (" " in text.strip() and _has_han(text)):
        return _japanese(text)
    if _has_han(text) or _has_hangul(text):
        return _east_asian(text)
    if any("GREEK" in unicodedata.name(ch, "") for ch in text):
        text = text.replace("ου", "ou").replace("ού", "ou").replace("Ου", "Ou")
    return anyascii(text).replace("'", "")


def writes_family_first(text: str) -> bool:
    """Whether a name in this script is written family name first (Chinese, Japanese,
    Korean)."""
    return _has_han(text) or _has_hangul(text) or any(_is_kana(ch) for ch in text)


def _is_latin(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("LATIN")


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff"


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in text)


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def _east_asian(text: str) -> str:
    """Chinese or Korean: family name first; a word without spaces starts with a
    one-syllable family name. The Latin reading is given first-name first."""
    words = text.split()
    korean = _has_hangul(text)
    if len(words) == 1:
        syllables = _SYLLABLE.findall(anyascii(words[0]))
        if len(syllables) < 2:
            return anyascii(text)
        family, given = syllables[0], "".join(syllables[1:]).lower().capitalize()
    else:
        family = anyascii(words[0])
        given = " ".join(anyascii(w).lower().capitalize() for w in words[1:])
    if korean:
        family = _KOREAN_FAMILY.get(family.lower(), family)
    return f"{given} {family}".replace("'", "")


def _japanese(text: str) -> str:
    """Read in Hepburn, family name (written first) last."""
    words = [
        _LONG_VOWEL.sub("", "".join(part["hepburn"] for part in _kakasi().convert(word)))
        for word in text.split()
    ]
    words = [w.replace("'", "").capitalize() for w in words if w]
    if len(words) >= 2:
        words = [*words[1:], words[0]]
    return " ".join(words)


@cache
def _kakasi() -> Any:  # pykakasi has no type information
    import pykakasi  # noqa: PLC0415  # its dictionary takes a second to load: only when needed

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]  # pykakasi has no annotations
