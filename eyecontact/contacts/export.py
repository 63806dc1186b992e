"""A whole workspace as one vCard 4.0 file (RFC 6350), written with vobject.

Each person is one card with the fields of their phone card (:mod:`.cards`). vobject writes
the cards; two things it gets wrong for vCard 4.0 are done here: a ``PHOTO`` data URI is a URI,
not text, so its ``;`` and ``,`` must not be escaped; and every line is folded again to at most
75 octets, which vobject does not do for a long line without spaces.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import vobject

from eyecontact.accounts.models import Workspace

from .cards import Card, fold_line
from .selectors import book_cards, card_photo

__all__ = ["workspace_vcards"]


def _vcard(card: Card) -> vobject.base.Component:
    vcard = vobject.vCard()
    vcard.add("version").value = "4.0"
    vcard.add("uid").value = card.uid
    vcard.add("fn").value = card.display_name
    vcard.add("n").value = vobject.vcard.Name(family=card.family_name, given=card.given_name)
    if card.organization:
        vcard.add("org").value = [card.organization]
    if card.title:
        vcard.add("title").value = card.title
    for email in card.emails:
        vcard.add("email").value = email
    for phone in card.phones:
        tel = vcard.add("tel")
        tel.value = phone
        tel.params["VALUE"] = ["uri"] if phone.startswith("tel:") else ["text"]
    for url in card.urls:
        vcard.add("url").value = url
    if card.birthday:
        # vCard 4.0 writes dates in the basic format: 19880702, or --0702 without the year.
        day = card.birthday.removeprefix("--").replace("-", "")
        vcard.add("bday").value = f"--{day}" if card.birthday.startswith("--") else day
    if card.note:
        vcard.add("note").value = card.note
    return vcard


def _refolded(text: str) -> str:
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    return "".join(fold_line(line) for line in unfolded.split("\r\n") if line)


def workspace_vcards(workspace: Workspace) -> Iterator[str]:
    """The workspace's people (those in its address book) as vCard 4.0, a card at a time."""
    for entry in book_cards(workspace):
        text = _vcard(entry.card).serialize()
        if entry.card.photo_hash:
            photo = card_photo(entry.person_id)
            if photo:
                uri = f"data:{entry.card.photo_type};base64,{base64.b64encode(photo).decode()}"
                text = text.replace("END:VCARD", f"PHOTO:{uri}\r\nEND:VCARD")
        yield _refolded(text)
