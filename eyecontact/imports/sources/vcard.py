"""vCard 2.1, 3.0 and 4.0 address books (iPhone, macOS, Google, Android).

We read vCards with the content-line reader shared with calendars (:mod:`.contentlines`)
instead of ``vobject``, which refuses Android's vCard 2.1 quoted-printable cards: it unfolds
lines and joins quoted-printable soft breaks on bytes, splits group, name and parameters, and
decodes each value with its ``ENCODING`` and ``CHARSET``. The file streams in card by card:
a card's lines are held until its ``END:VCARD``, then only its record is kept.

Grouped lines (``item1.EMAIL`` + ``item1.X-ABLabel``) count like ungrouped ones. Apple's
``X-SOCIALPROFILE`` links a card to LinkedIn, X (``x-userid``) and Facebook.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from eyecontact.imports.sources._common import emails_of, fallback_key, join_name, unique
from eyecontact.imports.sources._text import clean
from eyecontact.imports.sources.contentlines import ContentLine, content_lines, unescape
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.records import ContactRecord, ParseResult, Record, SkippedRow
from eyecontact.matching.normalize import normalize_x

__all__ = ["CUT_IN_CARD", "parse_vcard"]

CUT_IN_CARD = (
    "the file ends inside the card that begins here (no END:VCARD), so it was cut short; "
    "nothing was imported. Export or download it again."
)

_MAX_PHOTO_BYTES = 10 * 1024 * 1024


def split_structured(value: str) -> list[str]:
    """Components of ``N``, ``ADR`` and ``ORG`` (split on unescaped ``;``)."""
    parts = re.split(r"(?<!\\);", value)
    return [unescape(p) for p in parts]


def _component(parts: list[str], index: int) -> str:
    return clean(parts[index]) if index < len(parts) else ""


@dataclass
class _Card:
    start: int
    lines: list[ContentLine] = field(default_factory=list)


def _social(card: list[ContentLine]) -> tuple[str, str, str, str]:
    """LinkedIn URL, X account id, X handle and Facebook profile from ``X-SOCIALPROFILE``."""
    linkedin = x_id = x_handle = facebook = ""
    for prop in card:
        if prop.name not in ("X-SOCIALPROFILE", "X-SOCIAL-PROFILE", "SOCIALPROFILE"):
            continue
        service = next(iter(sorted(prop.types)), "")
        value = unescape(prop.text()).strip()
        user = prop.param("X-USER")
        if value.startswith("x-apple:"):
            value = ""
        if service == "linkedin":
            linkedin = linkedin or value or (f"https://www.linkedin.com/in/{user}" if user else "")
        elif service in ("twitter", "x"):
            x_id = x_id or (prop.param("X-USERID") if prop.param("X-USERID").isdigit() else "")
            for candidate in (user, value):
                if x_handle or not candidate:
                    continue
                try:
                    normalized = normalize_x(candidate)
                except ValueError:  # InvalidIdentity, or urlsplit on a malformed URL
                    continue
                if normalized.startswith("id:"):
                    x_id = x_id or normalized[3:]
                else:
                    x_handle = normalized
        elif service == "facebook":
            facebook = facebook or user or value
    return linkedin, x_id, x_handle, facebook


def _photo(card: list[ContentLine]) -> bytes | None:
    for prop in card:
        if prop.name != "PHOTO":
            continue
        if prop.param("ENCODING").upper() in ("B", "BASE64"):
            photo = prop.value_bytes()
        else:
            text = prop.raw_value.decode("ascii", errors="ignore")
            if not text.startswith("data:") or ";base64," not in text:
                continue  # a URL: we do not fetch anything
            try:
                photo = base64.b64decode(text.partition(";base64,")[2], validate=False)
            except (binascii.Error, ValueError):
                continue
        if photo and len(photo) <= _MAX_PHOTO_BYTES:
            return photo
    return None


def _record(file_name: str, card: _Card) -> ContactRecord | None:
    props = card.lines

    def first(name: str) -> ContentLine | None:
        return next((p for p in props if p.name == name), None)

    def text_of(name: str) -> str:
        prop = first(name)
        return unescape(prop.text()) if prop else ""

    n_prop = first("N")
    n_parts = split_structured(n_prop.text()) if n_prop else []
    family, given = _component(n_parts, 0), _component(n_parts, 1)
    middle, prefix, suffix = _component(n_parts, 2), _component(n_parts, 3), _component(n_parts, 4)
    full_name = clean(text_of("FN")) or join_name(prefix, given, middle, family, suffix)
    org_prop = first("ORG")
    organization = clean(split_structured(org_prop.text())[0]) if org_prop else ""
    is_company = text_of("X-ABSHOWAS").strip().upper() == "COMPANY" or (
        text_of("KIND").strip().lower() == "org"
    )
    emails = emails_of(unescape(p.text()) for p in props if p.name == "EMAIL")
    phones = unique(
        clean(unescape(p.text())).removeprefix("tel:") for p in props if p.name == "TEL"
    )
    websites = unique(clean(unescape(p.text())) for p in props if p.name == "URL")
    city = ""
    for prop in props:
        if prop.name == "ADR":
            city = _component(split_structured(prop.text()), 3)
            if city:
                break
    linkedin, x_id, x_handle, facebook = _social(props)
    if not linkedin:
        linkedin = next((w for w in websites if "linkedin.com/in/" in w.lower()), "")
    if not (full_name or organization or emails or phones):
        return None
    uid = clean(text_of("UID"))
    categories = first("CATEGORIES")
    return ContactRecord(
        source_format="vcard",
        file_name=file_name,
        line=card.start,
        key=f"uid:{uid}" if uid else fallback_key(full_name or organization, emails or phones),
        full_name=full_name,
        given_name=given,
        middle_name=middle,
        family_name=family,
        name_prefix=prefix,
        name_suffix=suffix,
        nickname=clean(text_of("NICKNAME").split(",")[0]),
        phonetic_given_name=clean(text_of("X-PHONETIC-FIRST-NAME")),
        phonetic_family_name=clean(text_of("X-PHONETIC-LAST-NAME")),
        organization=organization,
        title=clean(text_of("TITLE")),
        city=city,
        notes=text_of("NOTE").replace("\r\n", "\n").strip(),
        emails=emails,
        phones=phones,
        websites=websites,
        labels=unique(
            clean(c) for c in (unescape(categories.text()).split(",") if categories else [])
        ),
        birthday=clean(text_of("BDAY")),
        linkedin_url=linkedin,
        facebook_profile=facebook,
        x_account_id=x_id,
        x_handle=x_handle,
        photo=_photo(props),
        is_organization=is_company,
    )


def _cards(file_name: str, source: BinaryIO | bytes) -> Iterator[_Card]:
    """The cards of a file, each as soon as its END:VCARD is read."""
    current: _Card | None = None
    depth = 0
    for prop in content_lines(source):
        if not isinstance(prop, ContentLine):
            continue  # not a property line: vCard readers pass over them
        if prop.name == "BEGIN" and prop.raw_value.strip().upper() == b"VCARD":
            if current is None:
                current = _Card(prop.line)
            depth += 1  # vCard 2.1 AGENT cards nest; their lines stay with the outer card
            continue
        if prop.name == "END" and prop.raw_value.strip().upper() == b"VCARD":
            depth -= 1
            if current is not None and depth <= 0:
                yield current
                current = None
                depth = 0
            continue
        if current is not None and depth == 1:
            current.lines.append(prop)
    if current is not None:
        # The file stops inside a card: a download or copy cut short, not a card to skip.
        raise ImportFileError(file_name, current.start, CUT_IN_CARD)


def parse_vcard(file_name: str, source: BinaryIO | bytes) -> ParseResult:
    """The contacts of a vCard file: its bytes, or a binary stream of them (UTF-8, or 8-bit
    with each value's ``CHARSET``)."""
    records: list[Record] = []
    skipped: list[SkippedRow] = []
    cards = 0
    for card in _cards(file_name, source):
        cards += 1
        record = _record(file_name, card)
        if record is None:
            skipped.append(SkippedRow(card.start, "empty card"))
        else:
            records.append(record)
    if not cards:
        raise ImportFileError(file_name, 1, "expected a vCard file (BEGIN:VCARD ... END:VCARD)")
    return ParseResult(
        format="vcard",
        file_name=file_name,
        records=tuple(records),
        skipped=tuple(skipped),
    )
