"""Reading what a badge QR code says. Pure Python, no Django.

Conference badges carry one of: a vCard, a MECARD (``MECARD:N:Last,First;EMAIL:…;;``), a
BIZCARD, a profile URL (LinkedIn, also as a ``linkedin://in/<slug>`` deep link), or an opaque
registration id that only the organiser's attendee list resolves. Anything else (a Wi-Fi code
printed on the same badge, a URL of the event app) is kept raw, never dropped: a person at the
booth may still resolve it later.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

__all__ = ["BadgeCard", "parse_badge"]

Kind = Literal["vcard", "mecard", "bizcard", "linkedin", "badge_id", "url", "unknown"]
MAX_PAYLOAD = 8_192
_BADGE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-./:]{2,63}$")


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
    return BadgeCard(kind="unknown", raw=raw)
