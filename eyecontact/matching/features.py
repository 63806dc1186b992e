"""A record turned into the normalised features that blocking and scoring compare.

Each :class:`PersonRecord` is prepared once: identities normalised (invalid ones dropped, since
an importer may pass raw values), role mailboxes set apart from a person's own addresses, the
name parsed, the organisation reduced to a key. Everything after this step works on features.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
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
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True, slots=True)
class Features:
    """The comparable form of one :class:`PersonRecord`."""

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
    return Features(
        record=record,
        name=parse_name(record.full_name, record.given_name, record.family_name),
        emails=frozenset(emails) if emails else _NONE,
        role_emails=frozenset(role_emails) if role_emails else _NONE,
        work_domains=work_domains,
        phones=frozenset(p for p in map(_phone, record.phones) if p) if record.phones else _NONE,
        linkedin=_linkedin(record.linkedin or _profile(record, "linkedin.com")),
        facebook=_identity(normalize_facebook, record.facebook or _profile(record, "facebook.com")),
        x_account=_identity(normalize_x, record.x_account),
        websites=frozenset(
            w for w in (_identity(normalize_website, r) for r in record.websites) if w
        )
        if record.websites
        else _NONE,
        organization=organization_key(record.organization) if record.organization else "",
        title=_folded(record.title),
        city=_folded(record.city),
    )


def _linkedin(raw: str) -> str:
    """The profile slug; the common ``…/in/<slug>`` shape is read without parsing a URL."""
    head, marker, tail = raw.partition("/in/")
    if marker and "linkedin" in head.lower():
        slug = unquote(tail.split("/", 1)[0].split("?", 1)[0]).strip().lower()
        if 2 <= len(slug) <= 100 and not any(ch in slug for ch in "#? \t"):
            return slug
    return _identity(normalize_linkedin, raw)


def _profile(record: PersonRecord, host: str) -> str:
    """A social profile listed among the websites (an X bio linking to LinkedIn)."""
    for website in record.websites:
        if host in website.lower():
            return website
    return ""


@cache
def _email(raw: str) -> str:
    try:
        email = normalize_email(raw)
    except InvalidIdentity:
        return ""
    local, _, domain = email.partition("@")
    return local.split("+", 1)[0] + "@" + domain  # jane+crm@x and jane@x reach one inbox


@cache
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


@cache
def _folded(text: str) -> str:
    return fold_name(text) if text else ""


def _identity(normalizer: Callable[[str], str], raw: str) -> str:
    if not raw:
        return ""
    return _normalized(normalizer, raw)


@cache
def _normalized(normalizer: Callable[[str], str], raw: str) -> str:
    try:
        return normalizer(raw)
    except InvalidIdentity:
        return ""
