"""Identity normalisers, organisation keys and role mailboxes."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from eyecontact.matching.features import prepare
from eyecontact.matching.normalize import (
    IDENTITY_KINDS,
    InvalidIdentity,
    fold_name,
    normalize_identity,
)
from eyecontact.matching.organizations import (
    domain_matches_organization,
    is_role_address,
    organization_key,
)
from eyecontact.matching.records import PersonRecord


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        (
            "email",
            "MAILTO:JOSE.ALVAREZ@LUMEN-FREIGHT.EXAMPLE",
            "jose.alvarez@lumen-freight.example",
        ),
        ("phone", "+233 24 555 0198", "+233245550198"),
        (
            "linkedin",
            "https://www.linkedin.com/in/jos%C3%A9-%C3%A1lvarez-ruiz-19b7",
            "josé-álvarez-ruiz-19b7",
        ),
        (
            "linkedin",
            "https://www.linkedin.com/in/zoe-dupont-design?utm_source=x",
            "zoe-dupont-design",
        ),
        ("x", "id:87654321", "id:87654321"),
        ("x", "@Morgan_Ellery", "morgan_ellery"),
        ("facebook", "https://facebook.com/profile.php?id=1234", "1234"),
        ("website", "https://www.Acme.example/team/", "acme.example/team"),
    ],
)
def test_normalize_identity(kind: str, raw: str, expected: str) -> None:
    assert normalize_identity(kind, raw) == expected


@pytest.mark.parametrize(("kind", "raw"), [("email", "bob@"), ("phone", "12"), ("fax", "1")])
def test_normalize_identity_rejects_nonsense(kind: str, raw: str) -> None:
    with pytest.raises(InvalidIdentity):
        normalize_identity(kind, raw)


@pytest.mark.parametrize("kind", ["linkedin", "facebook", "x", "website"])
@pytest.mark.parametrize(
    "raw",
    [
        "http://[linkedin.com/in/x",
        "https://[facebook.com/jane",
        "https://x.com[/jane",
        "http://[acme.example",
    ],
)
def test_malformed_urls_are_invalid_identities(kind: str, raw: str) -> None:
    with pytest.raises(InvalidIdentity):
        normalize_identity(kind, raw)


_URL_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "[",
        "]",
        "linkedin.com",
        "/in/",
        "facebook.com",
        "x.com",
        "@",
        ":",
        "?id=1",
        "&user_id=2",
        "/i/user/3",
        "www.",
        ".",
        "/",
        "%C3%A9",
        " ",
        "é",
        "ｆ",
        "\t",
        "#",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    kind=st.sampled_from([*IDENTITY_KINDS, "fax"]),
    raw=st.one_of(st.text(), st.lists(_URL_PIECES | st.text(max_size=3)).map("".join)),
)
@example(kind="linkedin", raw="http://[linkedin.com/in/x")
def test_normalize_identity_raises_only_invalid_identity(kind: str, raw: str) -> None:
    """Importers catch InvalidIdentity to skip a bad value; nothing else may escape."""
    try:
        value = normalize_identity(kind, raw)
    except InvalidIdentity:
        return
    assert isinstance(value, str)
    assert value


def test_fold_name_strips_accents_and_punctuation() -> None:
    assert fold_name("Łukasz Wójcik-Kjærø") == "lukasz wojcik kjaero"


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Æsa", "aesa"),
        ("æsa", "aesa"),
        ("Œuvre", "oeuvre"),
        ("Guðrún", "gudrun"),
        ("GUÐRÚN", "gudrun"),
        ("Þór Ðórðarson", "thor dordarson"),
        ("ØYSTEIN", "oystein"),
        ("STRAẞE", "strasse"),
        ("ŁUKASZ", "lukasz"),
    ],
)
def test_fold_name_folds_capitals_like_small_letters(name: str, folded: str) -> None:
    assert fold_name(name) == folded


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_name_ignores_case_and_is_idempotent(name: str) -> None:
    folded = fold_name(name)
    assert fold_name(folded) == folded
    assert fold_name(name.upper()) == fold_name(name.lower()) or not name.isascii()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Corvid Robotics GmbH", "corvid robotics"),
        ("Lumen Freight S.L.", "lumen freight"),
        ("Schmidt, Weber & Partner mbB", "schmidt weber partner"),
        ("Nordlys Energi A/S", "nordlys energi"),
        ("Kirin Labs K.K.", "kirin labs"),
        ("The Acme Company, Inc.", "acme"),
        ("Harbor Bio Inc.", "harbor bio"),
        ("GmbH", "gmbh"),
    ],
)
def test_organization_key_drops_legal_forms(name: str, key: str) -> None:
    assert organization_key(name) == key


@pytest.mark.parametrize(
    ("domain", "organization", "matches"),
    [
        ("corvid-robotics.example", "Corvid Robotics GmbH", True),
        ("swp-steuer.example", "Schmidt, Weber & Partner mbB", True),
        ("acme.co.uk", "ACME Ltd", True),
        ("gmail.com", "Gmail", False),
        ("harbor-bio.example", "Lumen Freight", False),
    ],
)
def test_domain_matches_organization(domain: str, organization: str, matches: bool) -> None:
    assert domain_matches_organization(domain, organization_key(organization)) is matches


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("info@acme.example", True),
        ("sales+eu@acme.example", True),
        ("berlin-founders@lists.founders-breakfast.example", True),
        ("hello@founders-breakfast.example", True),
        ("liesl.brandt@corvid-robotics.example", False),
    ],
)
def test_role_addresses(email: str, role: bool) -> None:
    assert is_role_address(email) is role


def test_prepare_normalises_and_drops_invalid_identities() -> None:
    features = prepare(
        PersonRecord(
            1,
            "Jane Doe",
            emails=("Jane+crm@Acme.example", "info@acme.example", "not-an-address"),
            phones=("+49 30 1234567", "12"),
            linkedin="linkedin.com/in/Jane-Doe/",
            websites=("https://www.linkedin.com/in/other", "jane.example"),
        )
    )
    assert features.emails == {"jane@acme.example"}
    assert features.role_emails == {"info@acme.example"}
    assert features.work_domains == {"acme.example"}
    assert features.phones == {"+49301234567"}
    assert features.linkedin == "jane-doe"
    assert features.websites == {"linkedin.com/in/other", "jane.example"}


def test_prepare_reads_a_linkedin_profile_from_the_websites() -> None:
    features = prepare(PersonRecord(1, "Jane Doe", websites=("https://linkedin.com/in/jane-d",)))
    assert features.linkedin == "jane-d"
