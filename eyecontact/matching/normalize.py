"""Normalised forms of the ways a person can be recognised.

Every identity Eye Contact stores (an e-mail, a phone number, a LinkedIn profile, a Facebook or
X account, a website) is kept in one canonical form, so that the same human seen in two exports
produces the same key. These functions are pure: no Django, no I/O.

Each normaliser returns the canonical string, or raises :class:`InvalidIdentity` with a message
a person can act on ("not an e-mail address: 'bob@'").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import SplitResult, unquote, urlsplit

import phonenumbers

__all__ = [
    "IDENTITY_KINDS",
    "InvalidIdentity",
    "fold_name",
    "normalize_email",
    "normalize_facebook",
    "normalize_identity",
    "normalize_linkedin",
    "normalize_phone",
    "normalize_website",
    "normalize_x",
]

IDENTITY_KINDS = ("email", "phone", "linkedin", "facebook", "x", "website")

_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_LINKEDIN_SLUG = re.compile(r"^[^/?#\s]{2,100}$")


class InvalidIdentity(ValueError):
    """A value that cannot be the kind of identity it claims to be."""


def _split_url(value: str, raw: str, what: str) -> SplitResult:
    """``urlsplit``, with its own ``ValueError`` (``http://[host``) turned into ours."""
    try:
        return urlsplit(value)
    except ValueError:
        raise InvalidIdentity(f"not {what}: {raw!r}") from None


# Imports ask for the same values again and again: an attendee's address at each of their
# meetings, a LinkedIn profile URL once for the row's key and once for its identity. The answers
# for addresses and profiles are kept (a value that raises is asked again, and raises again).
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_email(raw: str) -> str:
    """Lower-case, trimmed, ``mailto:`` dropped; raises on anything that is not an address."""
    value = raw.strip().removeprefix("mailto:").removeprefix("MAILTO:").strip()
    if not _EMAIL.match(value):
        raise InvalidIdentity(f"not an e-mail address: {raw!r}")
    return value.lower()


def normalize_phone(raw: str, default_region: str | None = None) -> str:
    """E.164 (``+4930123456``); a number without a country code needs ``default_region``."""
    value = raw.strip().removeprefix("tel:")
    if not value:
        raise InvalidIdentity("empty phone number")
    try:
        number = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException as exc:
        hint = "" if value.startswith("+") or default_region else " (add the country code, +49…)"
        raise InvalidIdentity(f"not a phone number: {raw!r}{hint}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity(f"not a phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=_CACHE_SIZE)
def normalize_linkedin(raw: str) -> str:
    """The profile slug: ``linkedin.com/in/Jane-Doe-1a2b/?x`` gives ``jane-doe-1a2b``."""
    value = raw.strip()
    if "linkedin.com" in value.lower() or value.startswith("/in/"):
        if "://" not in value and not value.startswith("/"):
            value = "https://" + value
        path = _split_url(value, raw, "a LinkedIn profile URL").path
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or parts[0].lower() not in ("in", "pub"):
            raise InvalidIdentity(f"not a LinkedIn profile URL: {raw!r}")
        value = parts[1]
    slug = unquote(value).strip().lower()
    if not _LINKEDIN_SLUG.match(slug):
        raise InvalidIdentity(f"not a LinkedIn profile: {raw!r}")
    return slug


def normalize_facebook(raw: str) -> str:
    """A numeric id or a profile name, from a bare value or a facebook.com URL."""
    value = raw.strip()
    if "facebook.com" in value.lower():
        if "://" not in value:
            value = "https://" + value
        parts = _split_url(value, raw, "a Facebook profile URL")
        query_id = re.search(r"(?:^|&)id=(\d+)", parts.query)
        if query_id:
            return query_id.group(1)
        segments = [p for p in parts.path.split("/") if p]
        if not segments:
            raise InvalidIdentity(f"not a Facebook profile URL: {raw!r}")
        value = segments[-1]
    value = value.strip().lower()
    if not re.match(r"^[a-z0-9.\-_]{1,100}$", value):
        raise InvalidIdentity(f"not a Facebook profile: {raw!r}")
    return value


def normalize_x(raw: str) -> str:
    """An X account: ``id:12345`` for a numeric account id, else the lower-cased handle."""
    value = raw.strip()
    if value.startswith("id:") and value[3:].isdigit():
        return value
    if "x.com" in value.lower() or "twitter.com" in value.lower():
        if "://" not in value:
            value = "https://" + value
        parts = _split_url(value, raw, "an X profile URL")
        user_id = re.search(r"(?:^|&)user_id=(\d+)", parts.query)
        if user_id:
            return "id:" + user_id.group(1)
        segments = [p for p in parts.path.split("/") if p]
        if not segments:
            raise InvalidIdentity(f"not an X profile URL: {raw!r}")
        if segments[0] == "i" and len(segments) >= 3 and segments[2].isdigit():
            return "id:" + segments[2]
        value = segments[0]
    value = value.removeprefix("@")
    if not _X_HANDLE.match(value):
        raise InvalidIdentity(f"not an X handle: {raw!r}")
    return value.lower()


def normalize_website(raw: str) -> str:
    """Host and path without scheme, ``www.``, query or trailing slash: ``acme.example/team``."""
    value = raw.strip()
    if "://" not in value:
        value = "https://" + value
    parts = _split_url(value, raw, "a website address")
    host = (parts.hostname or "").lower().removeprefix("www.")
    if "." not in host or " " in host:
        raise InvalidIdentity(f"not a website address: {raw!r}")
    path = parts.path.rstrip("/")
    return host + path


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "email": normalize_email,
    "linkedin": normalize_linkedin,
    "facebook": normalize_facebook,
    "x": normalize_x,
    "website": normalize_website,
}


def normalize_identity(kind: str, raw: str, *, default_region: str | None = None) -> str:
    """The canonical form of ``raw`` as an identity of ``kind`` (one of :data:`IDENTITY_KINDS`)."""
    if kind == "phone":
        return normalize_phone(raw, default_region)
    try:
        normalizer = _NORMALIZERS[kind]
    except KeyError:
        raise InvalidIdentity(f"unknown identity kind: {kind!r}") from None
    return normalizer(raw)


# Letters that Unicode does not decompose into a base letter and an accent, written the way
# their languages spell them in ASCII. Applied after case folding, so capitals fold the same.
_LETTERS = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ħ": "h",
        "ı": "i",
        "ŋ": "n",
        "ĸ": "k",
    }
)


_NOT_WORD = re.compile(r"[^\w\s]")


def fold_name(name: str) -> str:
    """A name folded for comparison: accents stripped, lower case, punctuation to spaces.

    Capital and small letters fold alike: "Æsa" and "æsa" both give ``aesa``, "Þór" ``thor``.
    """
    if name.isascii():
        # Most names and every e-mail address: nothing to decompose or translate.
        return " ".join(_NOT_WORD.sub(" ", name.lower()).split())
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold().translate(_LETTERS)  # casefold also turns ß into ss
    return " ".join(_NOT_WORD.sub(" ", folded).split())
