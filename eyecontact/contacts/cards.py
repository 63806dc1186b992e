"""A person as a vCard, and a vCard from a phone as what it says. No Django.

:class:`Card` is everything a phone's address book shows of a person: names, organisation and
title, e-mails, phones, web addresses, birthday, photo and the NOTE line that tells who they
are when they call ("Last met 14 Mar 2026 at CES, Las Vegas · 7 in-person meetings").

Cards for CardDAV are written by :func:`card_text` (vCard 3.0, which every phone reads), with
the escaping and the 75-octet line folding of RFC 6350 done here: a phone's first sync of
10,000 people would spend half a minute in vobject's serializer (3.6 ms a card), and the
round-trip tests read every card written here back with vobject. The whole-workspace export
(:mod:`.export`) is written with vobject itself. Cards from phones are read with vobject
(:func:`phone_card`), which copes with what real phones send.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

import vobject
from vobject.base import ParseError, VObjectError

__all__ = [
    "Card",
    "InvalidCard",
    "PhoneCard",
    "birthday_of",
    "card_etag",
    "card_text",
    "fold_line",
    "phone_card",
]

_FOLD_AT = 75  # octets per line, line break excluded (RFC 6350, 3.2)
_MAX_PHOTO = 2 * 1024 * 1024


class InvalidCard(ValueError):
    """A phone sent something that is not a vCard Eye Contact can read."""


@dataclass(frozen=True, slots=True)
class Card:
    """One person in a workspace's address book, as the phone shows them."""

    uid: str
    display_name: str
    given_name: str = ""
    family_name: str = ""
    organization: str = ""
    title: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    birthday: str = ""  # "1985-03-14" or "--03-14"
    photo_type: str = ""
    photo_hash: str = ""  # of the photo's bytes: the ETag changes when the photo does
    note: str = ""


@dataclass(frozen=True, slots=True)
class PhoneCard:
    """What a vCard from a phone says about a person."""

    uid: str
    display_name: str
    given_name: str
    family_name: str
    organization: str
    title: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    urls: tuple[str, ...]
    birthday: str
    photo: bytes
    photo_type: str


def card_etag(card: Card) -> str:
    """A strong validator of the card's content, without writing the card."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in (
        card.uid,
        card.display_name,
        card.given_name,
        card.family_name,
        card.organization,
        card.title,
        "\x1e".join(card.emails),
        "\x1e".join(card.phones),
        "\x1e".join(card.urls),
        card.birthday,
        card.photo_type,
        card.photo_hash,
        card.note,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold_line(line: str) -> str:
    """``line`` folded to lines of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= _FOLD_AT:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, _FOLD_AT
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # back off to the start of a character
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, _FOLD_AT - 1  # continuation lines begin with a space
    return "\r\n ".join(parts) + "\r\n"


def card_text(card: Card, *, photo: bytes = b"") -> str:
    """The person as a vCard 3.0, lines folded at 75 octets and ended with CRLF."""
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//Eye Contact//Address book//EN",
        f"UID:{_escape(card.uid)}",
        f"FN:{_escape(card.display_name)}",
        f"N:{_escape(card.family_name)};{_escape(card.given_name)};;;",
    ]
    if card.organization:
        lines.append(f"ORG:{_escape(card.organization)}")
    if card.title:
        lines.append(f"TITLE:{_escape(card.title)}")
    lines += [f"EMAIL;TYPE=INTERNET:{_escape(email)}" for email in card.emails]
    lines += [f"TEL;TYPE=VOICE:{_escape(phone)}" for phone in card.phones]
    lines += [f"URL:{_escape(url)}" for url in card.urls]
    if card.birthday:
        lines.append(f"BDAY:{card.birthday}")
    if photo and card.photo_type:
        kind = card.photo_type.rpartition("/")[2].upper() or "JPEG"
        encoded = base64.b64encode(photo).decode("ascii")
        lines.append(f"PHOTO;ENCODING=b;TYPE={kind}:{encoded}")
    if card.note:
        lines.append(f"NOTE:{_escape(card.note)}")
    lines.append("END:VCARD")
    return "".join(fold_line(line) for line in lines)


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v).strip()
    return str(value or "").strip()


_DATE = re.compile(r"^(\d{4}|--)-?(\d{2})-?(\d{2})")


def birthday_of(raw: str) -> str:
    """A vCard BDAY ("19850314", "1985-03-14", "--0314", "--03-14T00:00") as stored."""
    found = _DATE.match(raw.strip())
    if not found:
        return ""
    year, month, day = found.groups()
    return f"{year}-{month}-{day}" if year != "--" else f"--{month}-{day}"


def _photo(card: vobject.base.Component) -> tuple[bytes, str]:
    for line in card.contents.get("photo", []):
        value = line.value
        kind = (line.params.get("TYPE") or ["JPEG"])[0].lower()
        if isinstance(value, bytes) and 0 < len(value) <= _MAX_PHOTO:
            return value, f"image/{kind}"
        if isinstance(value, str) and value.startswith("data:") and ";base64," in value:
            header, _, data = value.partition(";base64,")
            try:
                decoded = base64.b64decode(data, validate=False)
            except (binascii.Error, ValueError):
                continue
            if 0 < len(decoded) <= _MAX_PHOTO:
                return decoded, header[5:] or "image/jpeg"
    return b"", ""


def phone_card(text: str) -> PhoneCard:
    """Reads a vCard a phone sent; raises :class:`InvalidCard` naming what is wrong."""
    try:
        card = vobject.readOne(text)
    except (ParseError, VObjectError, StopIteration, ValueError) as exc:
        raise InvalidCard(f"This is not a vCard Eye Contact can read: {exc}") from exc
    if card.name != "VCARD":
        raise InvalidCard(f"Expected a VCARD, got {card.name}.")
    contents = card.contents
    given = family = ""
    if "n" in contents:
        name = contents["n"][0].value
        given, family = _text(name.given), _text(name.family)
    display = _text(contents["fn"][0].value) if "fn" in contents else ""
    display = display or " ".join(p for p in (given, family) if p)
    organization = _text(contents["org"][0].value) if "org" in contents else ""
    if not (display or organization):
        raise InvalidCard("The card has no name (FN or N) and no organisation (ORG).")
    photo, photo_type = _photo(card)
    return PhoneCard(
        uid=_text(contents["uid"][0].value) if "uid" in contents else "",
        display_name=display or organization,
        given_name=given,
        family_name=family,
        organization=organization,
        title=_text(contents["title"][0].value) if "title" in contents else "",
        emails=tuple(_text(e.value) for e in contents.get("email", []) if _text(e.value)),
        phones=tuple(_text(t.value) for t in contents.get("tel", []) if _text(t.value)),
        urls=tuple(_text(u.value) for u in contents.get("url", []) if _text(u.value)),
        birthday=birthday_of(_text(contents["bday"][0].value)) if "bday" in contents else "",
        photo=photo,
        photo_type=photo_type,
    )
