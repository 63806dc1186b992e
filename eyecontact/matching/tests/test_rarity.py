"""A name nobody else in the network carries is strong evidence, weighed by what the user's
own data says about how often one person shows up in two sources; names in other scripts are
read in Latin letters."""

from __future__ import annotations

import itertools

import pytest

from eyecontact.matching import PersonRecord, resolve, score_pair
from eyecontact.matching.features import prepare
from eyecontact.matching.frequencies import RARE_MAX, Frequencies
from eyecontact.matching.names import compare_names, parse_name
from eyecontact.matching.records import Evidence
from eyecontact.matching.resolve import NAME_ONLY_MERGE_THRESHOLD, decide
from eyecontact.matching.scripts import latin

_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tu", "vo", "zi", "dra", "pel", "qui", "mon")


def _rare_names(count: int) -> list[tuple[str, str]]:
    """``count`` made-up full names, no two alike and no part shared by many."""
    words = ["".join(p).capitalize() for p in itertools.permutations(_SYLLABLES, 3)]
    return [(words[2 * n], words[2 * n + 1]) for n in range(count)]


def _network(people: int = 600, met_share: float = 0.5) -> list[PersonRecord]:
    """LinkedIn connections with rare names; ``met_share`` of them are also calendar
    attendees under that name, at a former employer's address."""
    records = []
    for n, (given, family) in enumerate(_rare_names(people)):
        records.append(
            PersonRecord(
                f"li-{n}",
                given_name=given,
                family_name=family,
                organization=f"Employer {n % 40}",
                linkedin=f"https://www.linkedin.com/in/{given}-{family}".lower(),
                source="linkedin",
            )
        )
        if n < people * met_share:
            records.append(
                PersonRecord(
                    f"cal-{n}",
                    f"{given} {family}",
                    emails=(f"{given}.{family}@former-{n % 30}.example".lower(),),
                    source="calendar",
                )
            )
    return records


def _cluster_of(records: list[PersonRecord], wanted: str) -> tuple[object, ...]:
    for cluster in resolve(records).clusters:
        if wanted in cluster.ids:
            return cluster.ids
    raise AssertionError(wanted)


class RarityTests:
    def test_a_connection_met_at_a_former_employer_is_one_person_by_a_rare_name(self) -> None:
        records = _network()
        assert set(_cluster_of(records, "li-3")) == {"li-3", "cal-3"}

    def test_the_merge_says_the_name_is_rare(self) -> None:
        resolution = resolve(_network())
        cluster = next(c for c in resolution.clusters if "li-3" in c.ids)
        kinds = {e.kind for link in cluster.links for e in link.evidence}
        assert "rarity" in kinds
        assert any("rare name" in e.detail for link in cluster.links for e in link.evidence)

    def test_the_chance_of_showing_up_twice_is_learned_from_the_network(self) -> None:
        often = Frequencies.count(prepare(r) for r in _network(met_share=0.8))
        seldom = Frequencies.count(prepare(r) for r in _network(met_share=0.1))
        assert often.learned and seldom.learned
        assert often.seen_in[("linkedin", "calendar")] > seldom.seen_in[("linkedin", "calendar")]
        assert often.rarity(0.05, "linkedin", "calendar") > seldom.rarity(
            0.05, "linkedin", "calendar"
        )

    def test_two_accounts_with_one_rare_name_make_it_no_longer_rare(self) -> None:
        records = _network()
        given, family = _rare_names(1)[0]
        records.append(
            PersonRecord(
                "li-twin",
                given_name=given,
                family_name=family,
                linkedin="https://www.linkedin.com/in/someone-else",
                source="linkedin",
            )
        )
        assert "li-0" not in _cluster_of(records, "cal-0")
        frequencies = Frequencies.count(prepare(r) for r in records)
        assert frequencies.namesakes(prepare(records[0]).name) >= 1.0

    def test_a_small_address_book_learns_nothing_and_a_name_stays_a_question(self) -> None:
        frequencies = Frequencies.count(prepare(r) for r in _network(people=20))
        assert not frequencies.learned
        assert frequencies.rarity(0.0, "linkedin", "calendar") == -RARE_MAX

    def test_a_merge_on_names_alone_needs_more_than_the_merge_threshold(self) -> None:
        names = [Evidence("name", "given name exact, family name exact", 1.1)]
        names.append(Evidence("rarity", "a rare name here", 1.9))
        employer = Evidence("organization", "same organisation corvid", 1.5)
        assert decide(0.93, 0.9, 0.6, names) == "review"
        assert decide(NAME_ONLY_MERGE_THRESHOLD - 0.001, 0.9, 0.6, names) == "review"
        assert decide(NAME_ONLY_MERGE_THRESHOLD, 0.9, 0.6, names) == "merge"
        assert decide(0.93, 0.9, 0.6, [*names, employer]) == "merge"

    def test_a_shared_identity_still_merges_below_the_name_only_threshold(self) -> None:
        link = score_pair(
            PersonRecord("a", "Kofi", phones=("+233201234567",)),
            PersonRecord("b", "Kofi Boateng", phones=("+233 20 123 4567",)),
        )
        assert link.decision == "merge"


class ScriptTests:
    @pytest.mark.parametrize(
        ("native", "latin_form"),
        [
            ("田中 美咲", "Misaki Tanaka"),
            ("佐藤 翔太", "Shota Sato"),
            ("王芳", "Fang Wang"),
            ("김민준", "Minjun Kim"),
            ("Мария Смирнова", "Maria Smirnova"),
            ("Ελένη Παπαδοπούλου", "Eleni Papadopoulou"),
        ],
    )
    def test_a_name_in_its_own_script_is_the_same_name_in_latin_letters(
        self, native: str, latin_form: str
    ) -> None:
        weight, detail = compare_names(parse_name(native), parse_name(latin_form))
        assert detail == "given name exact, family name exact"
        assert weight > 1

    def test_given_and_family_fields_in_kanji_read_as_one_name(self) -> None:
        assert parse_name("", "美咲", "田中") == parse_name("Misaki Tanaka")

    def test_latin_names_are_left_alone(self) -> None:
        assert latin("José Müller") == "José Müller"
        assert latin("Łukasz Wiśniewski") == "Łukasz Wiśniewski"

    def test_the_evidence_says_how_the_name_was_read(self) -> None:
        link = score_pair(
            PersonRecord("a", "田中 美咲", emails=("misaki@example.net",)),
            PersonRecord("b", "Misaki Tanaka", emails=("misaki@example.net",)),
        )
        assert any("田中 美咲 read as misaki tanaka" in e.detail for e in link.evidence)


class ReviewQueueTests:
    def _pairs(self, count: int) -> list[PersonRecord]:
        """``count`` pairs of records that share a name and nothing else."""
        records = []
        for n, (given, family) in enumerate(_rare_names(count)):
            records.append(PersonRecord(f"a{n}", f"{given} {family}", city="Accra"))
            records.append(PersonRecord(f"b{n}", f"{given} {family}", city="Accra"))
        return records

    def test_the_queue_is_capped(self) -> None:
        resolution = resolve(self._pairs(30), review_limit=10)
        assert len(resolution.review) == 10
        assert len(resolve(self._pairs(30)).review) == 30

    def test_a_decision_that_joins_more_records_comes_first(self) -> None:
        records = self._pairs(5)
        given, family = _rare_names(5)[4]
        # The last pair's second record is one person with three calendar addresses.
        records += [
            PersonRecord(f"cal{n}", f"{given} {family}", emails=("p@x.example",)) for n in range(3)
        ]
        records = [r for r in records if r.id != "b4"]
        first = resolve(records).review[0]
        assert {first.a, first.b} & {"a4", "cal0", "cal1", "cal2"}
