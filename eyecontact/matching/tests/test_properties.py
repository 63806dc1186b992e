"""Properties of resolve that must hold for any input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.matching import PersonRecord, resolve

_NAMES = st.sampled_from(
    [
        "Wei Zhang",
        "Bob Smith",
        "Robert Smith",
        "J. Smith",
        "Zoë Dupont",
        "Zoe Dupont",
        "Mensah, Kwame",
        "",
        "x@y",
    ]
)
_ORGS = st.sampled_from(["", "Acme Inc.", "ACME", "Pearl River", "Corvid GmbH"])
_EMAILS = st.lists(
    st.sampled_from(
        ["a@acme.example", "b@acme.example", "info@acme.example", "zoe@gmail.com", "bad@"]
    ),
    max_size=2,
)
_PHONES = st.lists(st.sampled_from(["+4930123456", "030 123456", "+1 555 0100 200"]), max_size=1)


@st.composite
def _records(draw: st.DrawFn) -> list[PersonRecord]:
    count = draw(st.integers(min_value=0, max_value=12))
    return [
        PersonRecord(
            number,
            full_name=draw(_NAMES),
            emails=tuple(draw(_EMAILS)),
            phones=tuple(draw(_PHONES)),
            organization=draw(_ORGS),
            linkedin=draw(st.sampled_from(["", "/in/a", "/in/b"])),
            x_account=draw(st.sampled_from(["", "id:1", "id:2"])),
            source=draw(st.sampled_from(["linkedin", "vcard"])),
            city=draw(st.sampled_from(["", "Berlin", "Hamburg"])),
        )
        for number in range(count)
    ]


@settings(max_examples=150, deadline=None)
@given(_records(), st.randoms(use_true_random=False))
def test_resolve_is_total_and_order_independent(records: list[PersonRecord], rng: object) -> None:
    resolution = resolve(records)
    ids = [i for cluster in resolution.clusters for i in cluster.ids]
    assert len(ids) == len(records)  # every record in exactly one cluster
    assert set(ids) == {r.id for r in records}
    shuffled = list(records)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]  # hypothesis' Random
    again = resolve(shuffled)
    assert again.clusters == resolution.clusters
    assert again.review == resolution.review
    for link in resolution.review:
        assert link.decision == "review"
        assert 0.0 <= link.score <= 1.0


@settings(max_examples=100, deadline=None)
@given(_records(), st.data())
def test_cannot_link_pairs_never_share_a_cluster(
    records: list[PersonRecord], data: st.DataObject
) -> None:
    ids = [r.id for r in records]
    pairs = set()
    if len(ids) >= 2:
        for _ in range(data.draw(st.integers(min_value=0, max_value=4))):
            a, b = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
            pairs.add(frozenset({a, b}))
    resolution = resolve(records, cannot_link=pairs)
    for cluster in resolution.clusters:
        members = set(cluster.ids)
        assert not any(pair <= members for pair in pairs)
    for link in resolution.review:
        assert frozenset({link.a, link.b}) not in pairs
