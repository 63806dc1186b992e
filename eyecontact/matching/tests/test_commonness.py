"""Common names and big employers weigh less; the review queue stays human-sized; pruning
never drops a pair that scoring would have kept."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.matching import MatchIndex, PersonRecord, Resolution, resolve
from eyecontact.matching.blocking import block_keys, candidate_pairs
from eyecontact.matching.features import _website, prepare
from eyecontact.matching.frequencies import Frequencies, Tally
from eyecontact.matching.normalize import InvalidIdentity, normalize_website
from eyecontact.matching.pruning import name_penalties, needs_employer, prune_pairs
from eyecontact.matching.resolve import REVIEW_LINKS_PER_CLUSTER
from eyecontact.matching.scoring import score_features


def _namesakes(count: int, name: str, city: str = "") -> list[PersonRecord]:
    """Strangers followed on X who share one name, each with an account of their own."""
    return [
        PersonRecord(f"x-{name}-{n}", name, city=city, x_account=f"id:{n}", source="x")
        for n in range(count)
    ]


def _crowd(count: int, organization: str) -> list[PersonRecord]:
    """Colleagues at one employer, all with different names."""
    givens = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo")
    families = ("Arden", "Birch", "Crane", "Dale", "Egan", "Frost", "Gale", "Hale", "Irwin")
    pairs = itertools.islice(itertools.product(givens, families), count)
    return [
        PersonRecord(f"li-{g}-{f}", given_name=g, family_name=f, organization=organization)
        for g, f in pairs
    ]


def _linked(resolution: Resolution, a: object, b: object) -> str:
    for cluster in resolution.clusters:
        if a in cluster.ids:
            if b in cluster.ids:
                return "merge"
            break
    for link in resolution.review:
        if {link.a, link.b} == {a, b}:
            return "review"
    return "distinct"


class CommonNameTests:
    def test_a_rare_shared_name_is_offered_for_review(self) -> None:
        records = [
            PersonRecord("li", given_name="Kofi", family_name="Sternham", source="linkedin"),
            PersonRecord("x", "Kofi Sternham", x_account="id:9", source="x"),
        ]
        assert _linked(resolve(records), "li", "x") == "review"

    def test_a_very_common_name_alone_is_no_reason_to_look(self) -> None:
        records = [
            PersonRecord("li", given_name="Michael", family_name="Smith", source="linkedin"),
            *_namesakes(40, "Michael Smith"),
        ]
        resolution = resolve(records)
        assert _linked(resolution, "li", "x-Michael Smith-0") == "distinct"
        assert resolution.review == ()

    def test_a_common_name_at_a_big_employer_goes_to_review_not_merge(self) -> None:
        records = [
            PersonRecord(
                "li",
                given_name="Michael",
                family_name="Smith",
                organization="Tinker Energi A/S",
                source="linkedin",
            ),
            PersonRecord(
                "x", "Michael Smith", organization="Tinker Energi", x_account="id:1", source="x"
            ),
            *_namesakes(30, "Michael Smith", city="Berlin"),
            *_crowd(80, "Tinker Energi A/S"),
        ]
        resolution = resolve(records)
        assert _linked(resolution, "li", "x") == "review"
        (link,) = [link for link in resolution.review if {link.a, link.b} == {"li", "x"}]
        assert any(e.kind == "commonness" and e.weight < 0 for e in link.evidence)

    def test_a_rare_name_at_the_same_big_employer_still_merges(self) -> None:
        records = [
            PersonRecord(
                "li",
                given_name="Kofi",
                family_name="Sternham",
                organization="Tinker Energi A/S",
                source="linkedin",
            ),
            PersonRecord(
                "x", "Kofi Sternham", organization="Tinker Energi", x_account="id:1", source="x"
            ),
            *_crowd(80, "Tinker Energi A/S"),
        ]
        assert _linked(resolve(records), "li", "x") == "merge"

    def test_one_attendee_invited_many_times_does_not_make_a_name_common(self) -> None:
        invitations = [
            PersonRecord(f"cal-{n}", "Kofi Sternham", emails=("kofi@sternham.example",))
            for n in range(12)
        ]
        frequencies = Frequencies.count(prepare(r) for r in invitations)
        assert frequencies.names.total() == 1
        assert frequencies.namesakes(prepare(invitations[0]).name) == 0.0

    def test_the_index_weighs_names_by_how_common_they_are(self) -> None:
        index = MatchIndex(
            [
                PersonRecord("li", given_name="Kofi", family_name="Sternham"),
                *_namesakes(40, "Michael Smith"),
            ]
        )
        assert [c.id for c in index.candidates(PersonRecord("q", "Kofi Sternham"))] == ["li"]
        assert index.candidates(PersonRecord("q", "Michael Smith")) == []


class ReviewQueueTests:
    def test_review_links_are_capped_per_cluster(self) -> None:
        """Six people behind one family landline: each gets at most a few suggestions."""
        names = ("Mom", "Dad", "Jane Doe", "Kwame Mensah", "Lena Hartmann", "Wei Zhang")
        records = [PersonRecord(n, name, phones=("+4930123456",)) for n, name in enumerate(names)]
        resolution = resolve(records)
        assert all(len(cluster.ids) == 1 for cluster in resolution.clusters)
        offered: dict[object, int] = {}
        for link in resolution.review:
            offered[link.a] = offered.get(link.a, 0) + 1
            offered[link.b] = offered.get(link.b, 0) + 1
        assert resolution.review
        assert max(offered.values()) <= REVIEW_LINKS_PER_CLUSTER

    def test_two_clusters_are_offered_once(self) -> None:
        records = [
            PersonRecord("a1", "Jane Doe", emails=("jane@doe.example",), phones=("+4930111",)),
            PersonRecord("a2", "Jane Doe", emails=("jane@doe.example",), phones=("+4930111",)),
            PersonRecord("b", "Mom", phones=("+4930111",)),
        ]
        resolution = resolve(records)
        assert len(resolution.review) == 1

    def test_a_name_fitting_two_connections_is_left_to_a_person(self) -> None:
        """Which of two Jane Does at Acme the X account is, is a coin toss: no merge."""
        records = [
            PersonRecord("li-1", "Jane Doe", organization="Acme", linkedin="/in/jd1", source="li"),
            PersonRecord("li-2", "Jane Doe", organization="Acme", linkedin="/in/jd2", source="li"),
            PersonRecord("x", "Jane Doe", organization="Acme Inc.", x_account="id:7", source="x"),
        ]
        resolution = resolve(records)
        assert all(len(cluster.ids) == 1 for cluster in resolution.clusters)
        reviewed = {frozenset({link.a, link.b}) for link in resolution.review}
        assert {frozenset({"li-1", "x"}), frozenset({"li-2", "x"})} <= reviewed


class AccountOnlyTests:
    def test_an_account_known_only_by_id_has_one_key(self) -> None:
        assert block_keys(prepare(PersonRecord("x", x_account="id:42", source="x"))) == ["=x:id:42"]

    def test_followers_known_only_by_id_stay_apart_unless_an_id_is_shared(self) -> None:
        followers = [PersonRecord(n, x_account=f"id:{n}", source="x") for n in range(20_000)]
        card = PersonRecord("vc", "Kofi Sternham", x_account="id:7", source="vcard")
        resolution = resolve([*followers, card])
        assert len(resolution.clusters) == 20_000
        assert _linked(resolution, 7, "vc") == "merge"


_URLS = st.lists(
    st.sampled_from(
        ["http://", "https://", "www.", "WWW.", "acme", ".", "example", "-", "/", "team", "?q",
         "#x", ":80", "@", "%20", "é", " ", "A", "9", "_", "~"]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(_URLS)
def test_the_quick_website_reading_agrees_with_the_normaliser(raw: str) -> None:
    try:
        expected = normalize_website(raw)
    except InvalidIdentity:
        expected = ""
    assert _website(raw) == expected


_NAMES = st.sampled_from(
    ["Michael Smith", "Mike Smith", "M. Smith", "Smith, Michael", "Kofi Sternham", "Wei Zhang",
     "Jen Doe", "Jennifer Doe", "J. Doe", "", "jd@acme.example"]
)  # fmt: skip


_ADDRESSES = ["jd@acme.example", "m@x.example", "mike@tinker.example", "wz@globex.example"]


@st.composite
def _population(draw: st.DrawFn) -> list[PersonRecord]:
    count = draw(st.integers(min_value=2, max_value=30))
    return [
        PersonRecord(
            number,
            draw(_NAMES),
            # Work addresses at the employer named, at another one and at one nobody names.
            emails=tuple(draw(st.lists(st.sampled_from(_ADDRESSES))))[:1],
            organization=draw(st.sampled_from(["", "Acme", "Acme Inc.", "Tinker", "Tinkers"])),
            title=draw(st.sampled_from(["", "CTO"])),
            city=draw(st.sampled_from(["", "Berlin", "Lyon"])),
            x_account=draw(st.sampled_from(["", f"id:{number}"])),
            source=draw(st.sampled_from(["x", "linkedin"])),
        )
        for number in range(count)
    ]


@settings(max_examples=150, deadline=None)
@given(_population(), st.sampled_from([0.3, 0.6, 0.8]))
def test_pruning_never_drops_a_pair_scoring_would_keep(
    records: list[PersonRecord], review_threshold: float
) -> None:
    all_features = [prepare(record) for record in records]
    frequencies = Frequencies.count(all_features)
    penalties = name_penalties(all_features, frequencies)
    needy = needs_employer(all_features, penalties, review_threshold)
    pairs = candidate_pairs(all_features, range(len(records)), needy)
    everything = candidate_pairs(all_features, range(len(records)))
    kept = set(prune_pairs(pairs.named, pairs.count, all_features, penalties, review_threshold))
    for code in everything.named | everything.identity:
        if code in kept or code in pairs.identity:
            continue
        left, right = divmod(code, everything.count)
        score, _ = score_features(all_features[left], all_features[right], frequencies)
        assert score < review_threshold, (records[left], records[right], score)


@settings(max_examples=150, deadline=None)
@given(_population(), st.data())
def test_a_tally_kept_as_records_come_and_go_counts_as_a_fresh_count(
    records: list[PersonRecord], data: st.DataObject
) -> None:
    """An index refreshed for a series of imports keeps its counts record by record; they
    must give the frequencies a count of the records held would, to the last digit."""
    all_features = [prepare(record) for record in records]
    tally = Tally()
    held: list[int] = []
    for position in data.draw(st.lists(st.sampled_from(range(len(records))), max_size=40)):
        if position in held and data.draw(st.booleans()):
            held.remove(position)
            tally.remove(all_features[position])
        else:
            held.append(position)
            tally.add(all_features[position])
    assert tally.frequencies() == Frequencies.count(all_features[p] for p in held)
