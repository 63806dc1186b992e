"""A record turned into the normalised features that blocking and scoring compare.

Each :class:`PersonRecord` is prepared once: identities normalised (invalid ones dropped, since
an importer may pass raw values), role mailboxes set apart from a person's own addresses, the
name parsed, the organisation reduced to a key. Everything after this step works on features.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

from eyecontact.matching.names import ParsedName, parse_name
from eyecontact.matching.normalize import (
    InvalidIdentity,
    fold_name,
    normalize_email,
    normalize_facebook,
    normalize_linkedin,
    normalize_phone,
    normalize_website,
    normalize_x,
)
from eyecontact.matching.organizations import (
    domain_matches_organization,
    is_free_mail,
    is_role_address,
    organization_key,
)
from eyecontact.matching.records import PersonRecord

__all__ = ["Features", "prepare"]

_NONE: frozenset[str] = frozenset()
_NO_NAME = ParsedName()
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class Features(NamedTuple):
    """The comparable form of one :class:`PersonRecord`.

    A named tuple rather than a frozen dataclass: as immutable, and several times cheaper to
    build, which counts when a heavy user's import prepares 150,000 of them.
    """

    record: PersonRecord
    name: ParsedName
    emails: frozenset[str]
    role_emails: frozenset[str]
    work_domains: frozenset[str]
    phones: frozenset[str]
    linkedin: str
    facebook: str
    x_account: str
    websites: frozenset[str]
    organization: str
    title: str
    city: str

    @property
    def work_domains_match_organization(self) -> bool:
        """True when the record's own work address agrees with its organisation."""
        return any(domain_matches_organization(d, self.organization) for d in self.work_domains)


def prepare(record: PersonRecord) -> Features:
    """Normalise a record's identities, name, organisation, title and city."""
    if not (
        record.full_name
        or record.given_name
        or record.family_name
        or record.emails
        or record.phones
        or record.organization
        or record.title
        or record.city
        or record.linkedin
        or record.facebook
        or record.websites
    ):
        # Most of a heavy user's records are accounts known by an id alone (X followers):
        # nothing to parse, and nothing to compare but that id.
        return Features(
            record, _NO_NAME, _NONE, _NONE, _NONE, _NONE, "", "", _x(record.x_account), _NONE,
            "", "", "",
        )  # fmt: skip
    emails: set[str] = set()
    role_emails: set[str] = set()
    for raw in record.emails:
        email = _email(raw)
        if email:
            (role_emails if is_role_address(email) else emails).add(email)
    work_domains = (
        frozenset(d for d in (e.partition("@")[2] for e in emails) if not is_free_mail(d))
        if emails
        else _NONE
    )
    websites = record.websites
    linkedin = record.linkedin or (_profile(websites, "linkedin.com") if websites else "")
    facebook = record.facebook or (_profile(websites, "facebook.com") if websites else "")
    return Features(
        record=record,
        name=parse_name(record.full_name, record.given_name, record.family_name),
        emails=frozenset(emails) if emails else _NONE,
        role_emails=frozenset(role_emails) if role_emails else _NONE,
        work_domains=work_domains,
        phones=frozenset(p for p in map(_phone, record.phones) if p) if record.phones else _NONE,
        linkedin=_linkedin(linkedin) if linkedin else "",
        facebook=_normalized(normalize_facebook, facebook) if facebook else "",
        x_account=_x(record.x_account) if record.x_account else "",
        websites=frozenset(w for w in map(_website, websites) if w) if websites else _NONE,
        organization=organization_key(record.organization) if record.organization else "",
        title=_folded(record.title) if record.title else "",
        city=_folded(record.city) if record.city else "",
    )


def _linkedin(raw: str) -> str:
    """The profile slug; the common ``…/in/<slug>`` shape is read without parsing a URL."""
    if not raw:
        return ""
    head, marker, tail = raw.partition("/in/")
    if marker and "linkedin" in head.lower():
        slug = unquote(tail.split("/", 1)[0].split("?", 1)[0]).strip().lower()
        if 2 <= len(slug) <= 100 and not any(ch in slug for ch in "#? \t"):
            return slug
    return _normalized(normalize_linkedin, raw)


def _profile(websites: tuple[str, ...], host: str) -> str:
    """A social profile listed among the websites (an X bio linking to LinkedIn)."""
    for website in websites:
        if host in website.lower():
            return website
    return ""


def _x(raw: str) -> str:
    """An X account; the usual ``id:<digits>`` of an export is taken as it is."""
    if not raw:
        return ""
    if raw.startswith("id:") and raw[3:].isdigit():
        return raw
    return _normalized(normalize_x, raw)


# The usual shape of a website (``https://www.acme.example/team/``), read without urlsplit.
_PLAIN_URL = re.compile(
    r"(?:https?://)?([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)((?:/[\w.~%!$&'()*+,;=:@-]*)*)",
    re.ASCII,
)


def _website(raw: str) -> str:
    """A website as :func:`normalize_website` writes it, or ``""`` if it is none."""
    value = raw.strip()
    match = _PLAIN_URL.fullmatch(value)
    if match is None or ("://" in value and not value.lower().startswith(("http://", "https://"))):
        return _normalized(normalize_website, raw)
    host = match.group(1).lower().removeprefix("www.")
    if "." not in host:
        return ""
    return host + match.group(2).rstrip("/")


# Values repeat across records (a company's domain, a city); ids do not, so caches are bounded.
_CACHE_SIZE = 1 << 16


@lru_cache(maxsize=_CACHE_SIZE)
def _email(raw: str) -> str:
    try:
        email = normalize_email(raw)
    except InvalidIdentity:
        return ""
    local, _, domain = email.partition("@")
    return local.split("+", 1)[0] + "@" + domain  # jane+crm@x and jane@x reach one inbox


@lru_cache(maxsize=_CACHE_SIZE)
def _phone(raw: str) -> str:
    compact = re.sub(r"[\s().-]", "", raw)
    if _E164.match(compact):
        return compact
    try:
        return normalize_phone(raw)
    except InvalidIdentity:
        digits = re.sub(r"\D", "", raw)
        # Without a country code the digits are still the same line when they agree in full.
        return "#" + digits if len(digits) >= 7 else ""


@lru_cache(maxsize=_CACHE_SIZE)
def _folded(text: str) -> str:
    return fold_name(text)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalized(normalizer: Callable[[str], str], raw: str) -> str:
    try:
        return normalizer(raw)
    except InvalidIdentity:
        return ""
