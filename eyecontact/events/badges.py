"""Reading what a badge code says. Pure Python, no Django.

Conference badges (QR, PDF417, Aztec, Data Matrix or Code 128) carry one of:

- a vCard, a MECARD (``MECARD:N:Last,First;EMAIL:…;;``) or a BIZCARD (``BIZCARD:N:First;X:Last;…``);
- a lead-retrieval record: fields separated by ``^``, ``|`` or tabs, in the organiser's order
  (``HRS25-004217^Misaki^Tanaka^Kirin Labs K.K.^m.tanaka@…``). Fields are told apart by what
  they look like: an e-mail, a phone number, a web address, a registration id (first field, no
  spaces, with a digit), and the words left over are the name, then organisation and title;
- a profile URL (LinkedIn, also as a ``linkedin://in/<slug>`` deep link), or an event app's link;
- an opaque registration id that only the organiser's attendee list resolves.

A record in a layout not read here (short fields between separators, with a number, such as
``#ATT;7781;KL;2025``) is kind ``layout``: it is a badge, kept raw, and
:attr:`BadgeCard.needs_name` tells the booth page to ask who it was. A Wi-Fi code printed on the
same badge is kind ``wifi``; plain text (a sentence, a word) is ``unknown``; the booth refuses
both as badges (``NOT_A_BADGE`` in :mod:`.exhibits.storing`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from eyecontact.matching.normalize import fold_name
from eyecontact.matching.organizations import organization_key

__all__ = ["BadgeCard", "parse_badge"]

Kind = Literal[
    "vcard", "mecard", "bizcard", "lead", "linkedin", "badge_id", "url", "layout", "wifi", "unknown"
]
MAX_PAYLOAD = 8_192
_BADGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./:]{2,63}$")
# Lead-retrieval separators, most specific first: a caret or a bar never occurs in a name.
_SEPARATORS = ("^", "|", "\t")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./\-]{5,24}$")
_WEB = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BadgeCard:
    """Who a badge says its wearer is, as far as it says."""

    kind: Kind
    raw: str
    given_name: str = ""
    family_name: str = ""
    full_name: str = ""
    organization: str = ""
    title: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    linkedin: str = ""
    badge_id: str = ""
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.full_name or " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def needs_name(self) -> bool:
        """True when nothing on the badge names or finds its wearer: the booth asks for the name.

        An e-mail, a LinkedIn profile or a registration id can still find a person (through the
        attendee list or someone already known), so only a badge with none of them asks.
        """
        return not (self.name or self.emails or self.linkedin or self.badge_id)


def _split_escaped(text: str, separator: str) -> list[str]:
    """Splits on ``separator`` except where a backslash escapes it; unescapes the parts."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _fields(body: str) -> list[tuple[str, str]]:
    pairs = []
    for chunk in _split_escaped(body, ";"):
        key, sep, value = chunk.partition(":")
        if sep and key:
            pairs.append((key.strip().upper(), value.strip()))
    return pairs


def _mecard(raw: str, body: str) -> BadgeCard:
    given = family = org = title = note = ""
    emails, phones, urls = [], [], []
    for key, value in _fields(body):
        if key == "N":
            family, _, given = value.partition(",")
        elif key == "ORG":
            org = value
        elif key == "TITLE":
            title = value
        elif key == "EMAIL":
            emails.append(value)
        elif key == "TEL":
            phones.append(value)
        elif key == "URL":
            urls.append(value)
        elif key == "NOTE":
            note = value
    return _with_linkedin(
        BadgeCard(
            kind="mecard",
            raw=raw,
            given_name=given.strip(),
            family_name=family.strip(),
            organization=org,
            title=title,
            emails=tuple(emails),
            phones=tuple(phones),
            urls=tuple(urls),
            note=note,
        )
    )


def _bizcard(raw: str, body: str) -> BadgeCard:
    values = dict(_fields(body))
    return BadgeCard(
        kind="bizcard",
        raw=raw,
        given_name=values.get("N", ""),
        family_name=values.get("X", ""),
        title=values.get("T", ""),
        organization=values.get("C", ""),
        emails=tuple(v for k, v in _fields(body) if k == "E"),
        phones=tuple(v for k, v in _fields(body) if k in ("B", "M", "P")),
    )


def _unescape_vcard(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")


def _vcard(raw: str) -> BadgeCard:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    for line in text.split("\n"):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    given = family = full = org = title = note = ""
    emails, phones, urls = [], [], []
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        prop = name.split(";")[0].split(".")[-1].upper()
        if prop == "N":
            parts = _split_escaped(value, ";") + ["", ""]
            family, given = parts[0].strip(), parts[1].strip()
        elif prop == "FN":
            full = _unescape_vcard(value).strip()
        elif prop == "ORG":
            org = _unescape_vcard(_split_escaped(value, ";")[0]).strip()
        elif prop == "TITLE":
            title = _unescape_vcard(value).strip()
        elif prop == "EMAIL":
            emails.append(value.strip())
        elif prop == "TEL":
            phones.append(value.strip())
        elif prop == "URL":
            urls.append(value.strip())
        elif prop == "NOTE":
            note = _unescape_vcard(value).strip()
    return _with_linkedin(
        BadgeCard(
            kind="vcard",
            raw=raw,
            given_name=given,
            family_name=family,
            full_name=full,
            organization=org,
            title=title,
            emails=tuple(emails),
            phones=tuple(phones),
            urls=tuple(urls),
            note=note,
        )
    )


def _linkedin_slug(url: str) -> str:
    text = url.strip()
    if text.lower().startswith("linkedin://"):
        text = "https://www.linkedin.com/" + text[len("linkedin://") :]
    if "linkedin.com" not in text.lower():
        return ""
    try:
        parts = [
            p for p in urlsplit(text if "://" in text else "https://" + text).path.split("/") if p
        ]
    except ValueError:
        return ""
    if len(parts) >= 2 and parts[0].lower() == "in":
        return parts[1].lower()
    return ""


def _with_linkedin(card: BadgeCard) -> BadgeCard:
    for url in card.urls:
        slug = _linkedin_slug(url)
        if slug:
            return dataclasses.replace(card, linkedin=slug)
    return card


def _looks_like_organization(text: str) -> bool:
    """True when a field ends in a legal form ("Kirin Labs K.K.", "Atlas Robotics SARL")."""
    words = [w for w in fold_name(text.replace("&", " and ")).split() if w != "and"]
    return len(organization_key(text).split()) < len(words)


def _lead(raw: str, text: str, separator: str) -> BadgeCard | None:
    """A lead-retrieval record, or None when the fields do not look like one."""
    fields = [f.strip() for f in text.split(separator)]
    if len([f for f in fields if f]) < 2:
        return None
    badge_id = ""
    emails: list[str] = []
    phones: list[str] = []
    urls: list[str] = []
    words: list[str] = []
    for position, value in enumerate(fields):
        if not value:
            if words:
                # A column left empty keeps its place: "Henrik^Vogel^^Student".
                words.append("")
            continue
        if _EMAIL.match(value):
            emails.append(value)
        elif _WEB.match(value) or _linkedin_slug(value):
            urls.append(value)
        elif (
            not badge_id
            and position == 0
            and _BADGE_ID.match(value)
            and any(c.isdigit() for c in value)
            and not value.startswith("+")
        ):
            badge_id = value
        elif _PHONE.match(value) and sum(c.isdigit() for c in value) >= 7:
            phones.append(value)
        elif any(c.isalpha() for c in value):
            words.append(value)
    if not any(words) and not emails:
        return None
    while words and not words[-1]:
        words.pop()
    given = family = full = organization = title = ""
    if len(words) >= 2 and " " in words[0] and words[1] and _looks_like_organization(words[1]):
        # Full name, then organisation, then title.
        full, organization = words[0], words[1]
        title = words[2] if len(words) > 2 else ""
    elif len(words) >= 3 and (" " not in words[0] or _looks_like_organization(words[2] or "")):
        # First name, last name, organisation, title.
        given, family, organization = words[0], words[1], words[2]
        title = words[3] if len(words) > 3 else ""
    elif len(words) == 2 and " " not in words[0] and not _looks_like_organization(words[1]):
        given, family = words
    elif words:
        full = words[0]
        organization = words[1] if len(words) > 1 else ""
        title = words[2] if len(words) > 2 else ""
    return _with_linkedin(
        BadgeCard(
            kind="lead",
            raw=raw,
            given_name=given,
            family_name=family,
            full_name=full,
            organization=organization,
            title=title,
            emails=tuple(emails),
            phones=tuple(phones),
            urls=tuple(urls),
            badge_id=badge_id,
        )
    )


_RECORD_SEPARATORS = re.compile(r"[;,=:#/]")


def _is_record(text: str) -> bool:
    """True for a record in a layout not read here ("#ATT;7781;KL;2025"), not prose.

    Its fields are short (a few words at most), there are at least three, and it carries a
    number somewhere, as registration systems' records do; a sentence has long fields.
    """
    if "\n" in text or not any(c.isdigit() for c in text):
        return False
    fields = [f.strip() for f in _RECORD_SEPARATORS.split(text) if f.strip()]
    return len(fields) >= 3 and all(len(f.split()) <= 3 for f in fields)


def parse_badge(payload: str) -> BadgeCard:
    """What a scanned badge says; never raises, an unreadable payload is kind ``unknown``."""
    raw = payload[:MAX_PAYLOAD]
    text = raw.strip().lstrip("\ufeff")
    upper = text[:12].upper()
    if upper.startswith("BEGIN:VCARD"):
        return _vcard(text)
    if upper.startswith("MECARD:"):
        return _mecard(raw, text[7:])
    if upper.startswith("BIZCARD:"):
        return _bizcard(raw, text[8:])
    if upper.startswith("WIFI:"):
        return BadgeCard(kind="wifi", raw=raw)
    for separator in _SEPARATORS:
        if separator in text:
            lead = _lead(raw, text, separator)
            if lead is not None:
                return lead
    slug = _linkedin_slug(text)
    if slug:
        return BadgeCard(kind="linkedin", raw=raw, linkedin=slug, urls=(text,))
    lowered = text.lower()
    if lowered.startswith(("http://", "https://")):
        # An event app's profile link: its last part is often the attendee id.
        try:
            tail = [p for p in urlsplit(text).path.split("/") if p]
        except ValueError:
            tail = []
        return BadgeCard(kind="url", raw=raw, urls=(text,), badge_id=tail[-1] if tail else "")
    if _BADGE_ID.match(text) and ":" not in text:
        return BadgeCard(kind="badge_id", raw=raw, badge_id=text)
    if _is_record(text):
        return BadgeCard(kind="layout", raw=raw)
    return BadgeCard(kind="unknown", raw=raw)
