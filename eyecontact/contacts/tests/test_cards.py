"""Cards written for phones read back the same with vobject; cards from phones are read."""

from __future__ import annotations

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.contacts.cards import Card, InvalidCard, card_etag, card_text, fold_line, phone_card

LENA = Card(
    uid="eyecontact-person-7",
    display_name="Lena Hartmann",
    given_name="Lena",
    family_name="Hartmann",
    organization="Flora Analytics; Berlin, DE",
    title="Head of Growth",
    emails=("lena@flora-analytics.example", "lena.h@mail.example"),
    phones=("+4915123456700",),
    urls=("https://www.linkedin.com/in/lena-hartmann",),
    birthday="--07-02",
    photo_type="image/jpeg",
    photo_hash="abc",
    note="Last met 14 Mar 2026 at CES, Las Vegas · 7 in-person meetings",
)


def test_a_card_reads_back_with_vobject_field_for_field() -> None:
    card = vobject.readOne(card_text(LENA, photo=b"\xff\xd8 jpeg bytes"))
    assert card.fn.value == "Lena Hartmann"
    assert (card.n.value.family, card.n.value.given) == ("Hartmann", "Lena")
    assert card.org.value == ["Flora Analytics; Berlin, DE"]
    assert [e.value for e in card.email_list] == list(LENA.emails)
    assert card.tel.value == "+4915123456700"
    assert card.bday.value == "--07-02"
    assert card.photo.value == b"\xff\xd8 jpeg bytes"
    assert card.note.value == LENA.note
    assert card.uid.value == "eyecontact-person-7"


def test_every_line_is_at_most_75_octets_and_ends_with_crlf() -> None:
    text = card_text(LENA, photo=bytes(range(256)) * 20)
    lines = text.split("\r\n")
    assert lines[-1] == ""
    assert max(len(line.encode()) for line in lines) <= 75
    assert "\n" not in text.replace("\r\n", "")


@settings(deadline=None)
@given(st.text(min_size=0, max_size=400))
def test_folding_never_splits_a_character_and_unfolds_to_the_line(text: str) -> None:
    line = "NOTE:" + text.replace("\r", "").replace("\n", "")
    folded = fold_line(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "").removesuffix("\r\n") == line


@settings(deadline=None)
@given(
    name=st.text(min_size=1, max_size=80).filter(lambda t: t.strip() == t and t.isprintable()),
    organization=st.text(max_size=80).filter(lambda t: t.strip() == t and t.isprintable()),
)
def test_any_name_and_organisation_survive_the_round_trip(name: str, organization: str) -> None:
    card = Card(uid="u1", display_name=name, family_name=name, organization=organization)
    read = phone_card(card_text(card))
    assert (read.display_name, read.family_name, read.organization) == (name, name, organization)


def test_the_etag_changes_with_what_the_card_shows() -> None:
    moved = Card(**{**{f: getattr(LENA, f) for f in LENA.__slots__}, "note": "Last met …"})
    assert card_etag(LENA) == card_etag(Card(**{f: getattr(LENA, f) for f in LENA.__slots__}))
    assert card_etag(LENA) != card_etag(moved)


@pytest.mark.parametrize(
    ("bday", "stored"),
    [("19880702", "1988-07-02"), ("1988-07-02", "1988-07-02"), ("--0702", "--07-02"), ("x", "")],
)
def test_birthdays_from_phones_are_stored_in_one_form(bday: str, stored: str) -> None:
    text = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ida Lund\r\nBDAY:{bday}\r\nEND:VCARD\r\n"
    assert phone_card(text).birthday == stored


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not a card", "not a vCard"),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "Expected a VCARD"),
        ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:x\r\nEND:VCARD\r\n", "no name"),
    ],
)
def test_what_is_not_a_usable_vcard_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidCard, match=message):
        phone_card(text)
