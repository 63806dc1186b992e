"""Name parsing and comparison: the table of cases a person would call the same name."""

from __future__ import annotations

import pytest

from eyecontact.matching.names import (
    compare_family,
    compare_given,
    compare_names,
    is_first_name_of,
    parse_name,
)


@pytest.mark.parametrize(
    ("full", "given", "family", "expected_given", "expected_family"),
    [
        ("Dr. Kwame Mensah", "", "", ("kwame",), ("mensah",)),
        ("", "Kwame", "Mensah, PhD", ("kwame",), ("mensah",)),
        ("Mensah, Kwame", "", "", ("kwame",), ("mensah",)),
        ("Kwame Mensah, PhD", "", "", ("kwame",), ("mensah",)),
        ("Daniel O'Brien", "", "", ("daniel",), ("o", "brien")),
        ("Aoife Ní Bhriain", "", "", ("aoife",), ("ni", "bhriain")),
        ("Lena 🌿 Hartmann", "", "", ("lena",), ("hartmann",)),
        (" Sofia  Andersson", "", "", ("sofia",), ("andersson",)),
        ("José Álvarez-Ruiz", "", "", ("jose",), ("alvarez", "ruiz")),
        ("", "Fatima Zahra", "El Amrani", ("fatima", "zahra"), ("el", "amrani")),
        ("Kofi", "", "", ("kofi",), ()),
        ("priya.raghu@mail.example", "", "", (), ()),
        ("Dave Garcia", "", "Garcia", ("dave",), ("garcia",)),
        ("", "Kofi Boateng", "", ("kofi",), ("boateng",)),
    ],
)
def test_parse_name_reads_each_form(
    full: str,
    given: str,
    family: str,
    expected_given: tuple[str, ...],
    expected_family: tuple[str, ...],
) -> None:
    parsed = parse_name(full, given, family)
    assert (parsed.given, parsed.family) == (expected_given, expected_family)


@pytest.mark.parametrize(
    ("a", "b", "category"),
    [
        ("Robert", "Bob", "nickname"),
        ("Jonathan", "Jon", "nickname"),
        ("Elizabeth", "Liz", "nickname"),
        ("Anneliese", "Liesl", "nickname"),
        ("Oluwaseun", "Seun", "nickname"),
        ("Daniel", "Dan", "nickname"),
        ("José", "Jose", "exact"),
        ("Łukasz", "Lukasz", "exact"),
        ("Zoë", "Zoe", "exact"),
        ("J.", "John", "initial"),
        ("J", "Mary", "different"),
        ("Jonh", "John", "typo"),
        ("Wei", "Li", "different"),
        ("Joseph", "Giuseppe", "different"),
        ("", "John", "missing"),
    ],
)
def test_compare_given_names(a: str, b: str, category: str) -> None:
    assert compare_given(parse_name(a).given, parse_name(b).given) == category


@pytest.mark.parametrize(
    ("a", "b", "category"),
    [
        ("Müller", "Mueller", "exact"),
        ("Müller", "Muller", "exact"),
        ("Kjærgaard", "Kjaergaard", "exact"),
        ("O'Brien", "O’Brien", "exact"),
        ("Ní Bhriain", "Ni Bhriain", "exact"),
        ("Garcia-Lopez", "Garcia", "compound"),
        ("Álvarez-Ruiz", "Alvarez", "compound"),
        ("Hartmann", "Hartmnan", "typo"),
        ("Zhang", "Wang", "different"),
    ],
)
def test_compare_family_names(a: str, b: str, category: str) -> None:
    family_a = parse_name("", "", a).family
    family_b = parse_name("", "", b).family
    assert compare_family(family_a, family_b) == category


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tanaka Misaki", "Misaki Tanaka"),
        ("Mensah, Kwame", "Dr. Kwame Mensah"),
        ("José Álvarez Ruiz", "José Álvarez-Ruiz"),
        ("Ana Maria Popescu", "Ana-Maria Popescu"),
        ("Bob Smith", "Robert Smith"),
    ],
)
def test_variants_of_one_name_score_positive(a: str, b: str) -> None:
    weight, _ = compare_names(parse_name(a), parse_name(b))
    assert weight >= 0.8


@pytest.mark.parametrize(("a", "b"), [("Wei Zhang", "Li Zhang"), ("Anna Schmidt", "Anna Weber")])
def test_different_names_score_negative(a: str, b: str) -> None:
    weight, _ = compare_names(parse_name(a), parse_name(b))
    assert weight < 0


def test_nickname_table_is_shipped_and_large() -> None:
    from importlib import resources

    text = resources.files("eyecontact.matching").joinpath("data", "nicknames.csv").read_text()
    groups = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(groups) >= 300


@pytest.mark.parametrize(
    ("first_name", "full_name", "expected"),
    [
        ("Thomas", "Thomas Fodemann", True),
        ("Bob", "Robert Praicheir", True),
        ("Kofi", "Boateng, Kofi", True),
        ("Misaki", "田中 美咲", True),
        ("Anna", "Thomas Fodemann", False),
        ("Thomas", "Thomas", False),  # no family name to be more complete by
        ("Thomas Fodemann", "Thomas Fodemann", False),  # not a first name alone
        ("T", "Thomas Fodemann", False),
    ],
)
def test_a_first_name_alone_is_the_given_name_of_a_full_one(
    first_name: str, full_name: str, expected: bool
) -> None:
    assert is_first_name_of(first_name, full_name) is expected
