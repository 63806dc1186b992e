"""Reading badge QR payloads as scanner apps return them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyecontact.events.badges import parse_badge

FIXTURE = Path(__file__).parent / "fixtures" / "qr_payloads.txt"


def payloads() -> dict[str, str]:
    """The sample payloads by id (B1…B10), with their line ends as scanned."""
    blocks: dict[str, str] = {}
    current = ""
    lines: list[str] = []
    for line in FIXTURE.read_bytes().decode("utf-8").splitlines(keepends=True):
        if line.startswith("=== "):
            if current:
                blocks[current] = "".join(lines).strip("\n")
            current, lines = line[4:].split("|")[0].strip(), []
        elif current and not line.startswith("#"):
            lines.append(line)
    blocks[current] = "".join(lines).strip("\n")
    return blocks


SAMPLES = payloads()


@pytest.mark.parametrize(
    ("badge", "kind", "name", "organization", "email"),
    [
        (
            "B1",
            "mecard",
            "Anneliese Brandt",
            "Corvid Robotics GmbH",
            "a.brandt@corvid-robotics.example",
        ),
        ("B2", "vcard", "Dr. Kwame Mensah", "Harbor Bio Inc.", "kwame.mensah@harbor-bio.example"),
        (
            "B3",
            "vcard",
            "Rafael Mendes",
            "Atlântico Payments",
            "rafael.mendes@atlantico-pay.example",
        ),
        ("B4", "mecard", "Lena Hartmann", "Flora Analytics", "lena@flora-analytics.example"),
        (
            "B5",
            "bizcard",
            "Fatima Zahra El Amrani",
            "Atlas Robotics SARL",
            "fz.elamrani@atlas-robotics.example",
        ),
    ],
)
def test_contact_badges_give_name_organization_and_email(
    badge: str, kind: str, name: str, organization: str, email: str
) -> None:
    card = parse_badge(SAMPLES[badge])
    assert (card.kind, card.name, card.organization) == (kind, name, organization)
    assert card.emails[0] == email


def test_escapes_in_a_mecard_note_are_read() -> None:
    assert parse_badge(SAMPLES["B4"]).note == "Booth B12; asked about pilot: Q4"


def test_a_vcard_title_keeps_its_comma() -> None:
    assert parse_badge(SAMPLES["B2"]).title == "Director, Translational Research"


@pytest.mark.parametrize(
    ("badge", "slug"),
    [("B3", "rafaelmendes"), ("B8", "aoife-ni-bhriain"), ("B9", "zoe-dupont-design")],
)
def test_linkedin_profiles_are_found_in_urls_and_deep_links(badge: str, slug: str) -> None:
    assert parse_badge(SAMPLES[badge]).linkedin == slug


def test_an_opaque_registration_id_is_a_badge_id() -> None:
    card = parse_badge(SAMPLES["B6"])
    assert (card.kind, card.badge_id) == ("badge_id", "HRS25-004217")


def test_an_event_app_link_keeps_its_id_for_the_attendee_list() -> None:
    card = parse_badge(SAMPLES["B7"])
    assert (card.kind, card.badge_id) == ("url", "q8Xk2Lm9")


def test_a_wifi_code_is_kept_raw_not_read_as_a_person() -> None:
    card = parse_badge(SAMPLES["B10"])
    assert card.kind == "unknown"
    assert card.raw.startswith("WIFI:")
    assert card.name == ""


@given(st.text(max_size=500))
def test_any_payload_is_read_without_error(payload: str) -> None:
    card = parse_badge(payload)
    assert card.raw == payload[:8192]
