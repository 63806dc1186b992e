"""Reading badge QR payloads as scanner apps return them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
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
    assert card.kind == "wifi"
    assert card.raw.startswith("WIFI:")
    assert card.name == ""
    assert card.needs_name


# Lead-retrieval layouts as organisers print them: (payload, given, family, full name,
# organisation, title, e-mails, phones, badge id).
LEAD_LAYOUTS = [
    (
        "HRS25-004217^Misaki^Tanaka^Kirin Labs K.K.^m.tanaka@kirin-labs.example",
        ("Misaki", "Tanaka", "", "Kirin Labs K.K.", ""),
        ("m.tanaka@kirin-labs.example",),
        (),
        "HRS25-004217",
    ),
    (
        "HRS25-001388|Anneliese|Brandt|Corvid Robotics GmbH|Head of Perception"
        "|a.brandt@corvid-robotics.example|+49 151 23456789",
        ("Anneliese", "Brandt", "", "Corvid Robotics GmbH", "Head of Perception"),
        ("a.brandt@corvid-robotics.example",),
        ("+49 151 23456789",),
        "HRS25-001388",
    ),
    (
        "Fatima Zahra El Amrani|Atlas Robotics SARL|CTO & Co-founder",
        ("", "", "Fatima Zahra El Amrani", "Atlas Robotics SARL", "CTO & Co-founder"),
        (),
        (),
        "",
    ),
    (
        "Fatima Zahra^El Amrani^Atlas Robotics SARL^CTO^fz.elamrani@atlas-robotics.example",
        ("Fatima Zahra", "El Amrani", "", "Atlas Robotics SARL", "CTO"),
        ("fz.elamrani@atlas-robotics.example",),
        (),
        "",
    ),
    (
        "q8Xk2Lm9\tHenrik\tVogel\t\tStudent\thenrik.vogel@mail.example",
        ("Henrik", "Vogel", "", "", "Student"),
        ("henrik.vogel@mail.example",),
        (),
        "q8Xk2Lm9",
    ),
    (
        "Lena\tHartmann\tFlora Analytics",
        ("Lena", "Hartmann", "", "Flora Analytics", ""),
        (),
        (),
        "",
    ),
    (
        "004217^^^^",
        ("", "", "", "", ""),
        (),
        (),
        "",
    ),
    (
        "Rafael|Mendes",
        ("Rafael", "Mendes", "", "", ""),
        (),
        (),
        "",
    ),
    (
        "Kwame Mensah|https://www.linkedin.com/in/kwame-mensah|kwame.mensah@harbor-bio.example",
        ("", "", "Kwame Mensah", "", ""),
        ("kwame.mensah@harbor-bio.example",),
        (),
        "",
    ),
]


@pytest.mark.parametrize(("payload", "names", "emails", "phones", "badge_id"), LEAD_LAYOUTS)
def test_lead_retrieval_layouts_are_split_into_fields(
    payload: str,
    names: tuple[str, str, str, str, str],
    emails: tuple[str, ...],
    phones: tuple[str, ...],
    badge_id: str,
) -> None:
    card = parse_badge(payload)
    if not any(names) and not emails:
        # Only a number between separators: nothing a lead layout would carry.
        assert card.kind != "lead"
        return
    assert card.kind == "lead"
    got = (card.given_name, card.family_name, card.full_name, card.organization, card.title)
    assert got == names
    assert (card.emails, card.phones, card.badge_id) == (emails, phones, badge_id)


def test_a_linkedin_url_in_a_lead_record_gives_the_profile() -> None:
    card = parse_badge(LEAD_LAYOUTS[-1][0])
    assert card.linkedin == "kwame-mensah"


@pytest.mark.parametrize(
    ("payload", "needs_name"),
    [
        ("just some words on a badge", True),
        ("WIFI:T:WPA;S:Guest;P:secret;;", True),
        ("HRS25-004217", False),
        ("https://www.linkedin.com/in/zoe-dupont-design", False),
        ("MECARD:N:Brandt,Anneliese;;", False),
        ("Lena|Hartmann", False),
    ],
)
def test_only_a_badge_that_names_or_finds_nobody_asks_for_the_name(
    payload: str, needs_name: bool
) -> None:
    assert parse_badge(payload).needs_name is needs_name


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        ("#ATT;7781;KL;2025", "layout"),
        ("EVT=HRS25, SEAT=B-17, DAY=2", "layout"),
        ("  Booth visitor 17, see paper form  ", "unknown"),
        ("Welcome to the Hamburg Robotics Summit 2025!", "unknown"),
        ("one; two; three", "unknown"),
    ],
)
def test_an_unknown_layout_is_told_from_plain_text_and_keeps_its_raw_text(
    payload: str, kind: str
) -> None:
    card = parse_badge(payload)
    assert (card.kind, card.raw) == (kind, payload)
    assert card.needs_name


_NAME_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüøñ", min_size=2, max_size=12).map(
    str.capitalize
)


@settings(deadline=None)
@given(
    separator=st.sampled_from(["^", "|", "\t"]),
    given_name=_NAME_WORD,
    family_name=_NAME_WORD,
    company=_NAME_WORD.map(lambda word: f"{word} GmbH"),
    local=st.from_regex(r"[a-z][a-z0-9.]{0,15}[a-z0-9]", fullmatch=True),
    number=st.integers(min_value=1, max_value=999_999),
    with_id=st.booleans(),
)
def test_generated_lead_records_give_back_their_fields(
    separator: str,
    given_name: str,
    family_name: str,
    company: str,
    local: str,
    number: int,
    with_id: bool,
) -> None:
    email = f"{local}@example.org"
    fields = [given_name, family_name, company, email]
    if with_id:
        fields.insert(0, f"REG-{number:06d}")
    card = parse_badge(separator.join(fields))
    assert card.kind == "lead"
    assert (card.given_name, card.family_name, card.organization) == (
        given_name,
        family_name,
        company,
    )
    assert card.emails == (email,)
    assert card.badge_id == (f"REG-{number:06d}" if with_id else "")


@settings(deadline=None)  # a busy test machine is no parser fault
@given(st.text(max_size=500))
def test_any_payload_is_read_without_error(payload: str) -> None:
    card = parse_badge(payload)
    assert card.raw == payload[:8192]
