"""All the records of one rare name are one person when nothing contradicts it: the LinkedIn
connection, the invitations at old and new employers' addresses (with or without a name), the
Facebook friend. Two LinkedIn profiles of the name, two customers of a CRM, a crowd of
strangers on X, a name that is common, or a person's "these are different people" keep them
apart."""

from __future__ import annotations

import itertools
from collections.abc import Hashable

from eyecontact.matching import PersonRecord, Resolution, resolve
from eyecontact.matching.features import prepare
from eyecontact.matching.frequencies import Frequencies
from eyecontact.matching.namegroups import rare_name_joins, spelt_keys, too_many_sightings

_SYLLABLES = ("ka", "lo", "mi", "ren", "sa", "tu", "vo", "zi", "dra", "pel", "qui", "mon")


def _rare_names(count: int, skip: int = 0) -> list[tuple[str, str]]:
    words = ["".join(p).capitalize() for p in itertools.permutations(_SYLLABLES, 4)]
    return [(words[2 * n], words[2 * n + 1]) for n in range(skip, skip + count)]


def _network(people: int = 400, strangers: int = 1200) -> list[PersonRecord]:
    """A user's network with rare names: LinkedIn connections, a quarter of them invited to
    meetings at their address (an eighth at a former employer's too), a tenth of them Facebook
    friends; and a crowd of strangers followed on X, few of whom the user knows, some of
    them namesakes of each other."""
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
        if n % 4 == 0:
            address = f"{given}.{family}@employer-{n % 40}.example".lower()
            records.append(
                PersonRecord(f"cal-{n}", f"{given} {family}", emails=(address,), source="calendar")
            )
        if n % 8 == 0:
            address = f"{given}.{family}@former-{n % 30}.example".lower()
            records.append(
                PersonRecord(f"old-{n}", f"{given} {family}", emails=(address,), source="calendar")
            )
        if n % 10 == 1:
            records.append(
                PersonRecord(
                    f"fb-{n}",
                    f"{given} {family}",
                    facebook=f"https://facebook.com/p{n}",
                    source="facebook",
                )
            )
    for n, (given, family) in enumerate(_rare_names(strangers, skip=people)):
        records.append(PersonRecord(f"x-{n}", f"{given} {family}", x_account=f"id:{n}", source="x"))
    return records


def _cluster(resolution: Resolution, wanted: Hashable) -> set[Hashable]:
    for cluster in resolution.clusters:
        if wanted in cluster.ids:
            return set(cluster.ids)
    raise AssertionError(wanted)


def _godofredo() -> list[PersonRecord]:
    """One person over ten years: a LinkedIn connection at his current employer, invitations
    at a former employer's address (once with a middle initial, once known by the address
    alone) and at a personal address, and a Facebook friend."""
    return [
        PersonRecord(
            "g-li",
            given_name="Godofredo",
            family_name="Aliaga",
            organization="Quarry Labs",
            linkedin="https://www.linkedin.com/in/godofredo-aliaga",
            source="linkedin",
        ),
        PersonRecord(
            "g-cal-1",
            "Godofredo M. Aliaga",
            emails=("godofredo.aliaga@tidewater.example",),
            source="calendar",
        ),
        PersonRecord(
            "g-cal-2",
            "godofredo.aliaga@tidewater.example",
            emails=("godofredo.aliaga@tidewater.example",),
            source="calendar",
        ),
        PersonRecord("g-cal-3", "", emails=("galiaga@quarry-labs.example",), source="calendar"),
        PersonRecord(
            "g-fb", "Godofredo Aliaga", facebook="https://facebook.com/goda", source="facebook"
        ),
    ]


def _joined(
    records: list[PersonRecord], cannot_link: tuple[tuple[str, str], ...] = ()
) -> list[set[Hashable]]:
    """The groups the name step joins, each record starting as a cluster of its own."""
    features = [prepare(r) for r in records]
    position = {r.id: n for n, r in enumerate(records)}
    forbidden = {tuple(sorted((position[a], position[b]))) for a, b in cannot_link}
    joins = rare_name_joins(
        features,
        Frequencies.count(features),
        [[n] for n in range(len(records))],
        {(a, b) for a, b in forbidden},
    )
    groups: dict[int, set[Hashable]] = {}
    for left, right, _ in joins:
        groups.setdefault(left, {records[left].id}).add(records[right].id)
    return list(groups.values())


class NameGroupTests:
    def test_every_record_of_a_rare_name_is_one_person(self) -> None:
        everyone = {"g-li", "g-cal-1", "g-cal-2", "g-cal-3", "g-fb"}
        assert everyone in _joined([*_network(), *_godofredo()])
        resolution = resolve([*_network(), *_godofredo()])
        assert _cluster(resolution, "g-li") == everyone
        assert not [link for link in resolution.review if {link.a, link.b} <= everyone]

    def test_the_join_says_why(self) -> None:
        records = [*_network(), *_godofredo()]
        features = [prepare(r) for r in records]
        joins = rare_name_joins(
            features, Frequencies.count(features), [[n] for n in range(len(records))], set()
        )
        details = {e.detail for left, _, e in joins if str(records[left].id).startswith("g-")}
        assert len(details) == 1
        detail = details.pop()
        assert "Godofredo" in detail
        assert "5 records that contradict nothing" in detail
        assert "others are expected to carry it" in detail

    def test_an_address_alone_counts_under_the_one_name_it_spells(self) -> None:
        features = [prepare(r) for r in _godofredo()]
        keys = spelt_keys(features)
        assert keys[2] == keys[0]  # godofredo.aliaga@
        assert keys[3] == keys[0]  # galiaga@, the one name here it fits

    def test_an_address_that_fits_two_names_counts_under_neither(self) -> None:
        records = [
            *_godofredo(),
            PersonRecord("gina", given_name="Gina", family_name="Aliaga", source="linkedin"),
        ]
        keys = spelt_keys([prepare(r) for r in records])
        assert keys[3] is None

    def test_two_linkedin_profiles_of_the_name_keep_it_apart(self) -> None:
        twin = PersonRecord(
            "twin-li",
            given_name="Godofredo",
            family_name="Aliaga",
            organization="Umber Foods",
            linkedin="https://www.linkedin.com/in/godofredo-aliaga-7f3a",
            source="linkedin",
        )
        joined = _joined([*_network(), *_godofredo(), twin])
        assert not [group for group in joined if "g-li" in group or "twin-li" in group]

    def test_two_rows_of_a_source_that_lists_each_person_once_keep_it_apart(self) -> None:
        # Customers, half of whom were met at a meeting too.
        customers = [
            PersonRecord(f"{kind}-{n}", f"{g} {f}", source=kind)
            for n, (g, f) in enumerate(_rare_names(300, skip=2000))
            for kind in ("crm", "calendar")[: 1 + n % 2]
        ]
        twins = [
            PersonRecord("crm-a", "Godofredo Aliaga", emails=("ga@umber.example",), source="crm"),
            PersonRecord("crm-b", "Godofredo Aliaga", emails=("ga@cedar.example",), source="crm"),
        ]
        frequencies = Frequencies.count(prepare(r) for r in [*_network(), *customers])
        assert frequencies.seen_in[("crm", "crm")] <= 0.1
        joined = _joined([*_network(), *customers, *_godofredo(), *twins])
        assert not [group for group in joined if "g-li" in group]
        assert [{"crm-1", "calendar-1"}] == [group for group in joined if "crm-1" in group]

    def test_a_chain_of_name_links_does_not_make_two_customers_one(self) -> None:
        customers = [
            PersonRecord(f"{kind}-{n}", f"{g} {f}", source=kind)
            for n, (g, f) in enumerate(_rare_names(300, skip=2000))
            for kind in ("crm", "calendar")[: 1 + n % 2]
        ]
        # Two customers of one name, each met at their own work address; a Facebook friend
        # of the name fits both.
        name = "Zelda Quorrin"
        twins = [
            PersonRecord("crm-a", name, emails=("zq@umber.example",), source="crm"),
            PersonRecord("crm-b", name, emails=("zelda@cedar.example",), source="crm"),
            PersonRecord("cal-a", name, emails=("zq@umber.example",), source="calendar"),
            PersonRecord("cal-b", name, emails=("zelda@cedar.example",), source="calendar"),
            PersonRecord("fb-z", name, facebook="https://facebook.com/zq", source="facebook"),
            # One customer entered twice with the same address is one person.
            PersonRecord("crm-c", "Ottilie Brackwen", emails=("ob@alder.example",), source="crm"),
            PersonRecord("crm-d", "Ottilie Brackwen", emails=("ob@alder.example",), source="crm"),
        ]
        resolution = resolve([*_network(), *customers, *twins])
        assert "crm-b" not in _cluster(resolution, "crm-a")
        assert {"crm-a", "cal-a"} <= _cluster(resolution, "crm-a")
        assert {"crm-b", "cal-b"} <= _cluster(resolution, "crm-b")
        assert "crm-d" in _cluster(resolution, "crm-c")
        refused = [
            e.detail
            for link in resolution.review
            for e in link.evidence
            if {link.a, link.b} & {"crm-a", "crm-b", "cal-a", "cal-b", "fb-z"}
        ]
        assert "not merged: would join two records of crm, which lists each person once" in refused

    def test_a_stranger_followed_on_x_is_not_joined_by_name_alone(self) -> None:
        follow = PersonRecord("g-x", "Godofredo Aliaga", x_account="id:99999", source="x")
        joined = _joined([*_network(), *_godofredo(), follow])
        assert {"g-li", "g-cal-1", "g-cal-2", "g-cal-3", "g-fb"} in joined
        assert not [group for group in joined if "g-x" in group]

    def test_a_person_who_said_different_people_is_heard(self) -> None:
        joined = _joined([*_network(), *_godofredo()], cannot_link=(("g-li", "g-fb"),))
        assert not [group for group in joined if "g-li" in group]
        resolution = resolve(
            [*_network(), *_godofredo()], cannot_link={frozenset({"g-li", "g-fb"})}
        )
        assert "g-fb" not in _cluster(resolution, "g-li")

    def test_a_common_name_is_not_joined(self) -> None:
        names = itertools.product(
            ("Maria", "Anna", "Sofia", "Elena", "Laura", "Clara", "Lucia", "Irene"),
            ("Garcia", "Rossi", "Novak", "Silva", "Costa", "Weber", "Meyer", "Brown"),
        )
        common = [
            PersonRecord(f"mc-{n}", f"{g} {f}", source="calendar", emails=(f"{n}@m.example",))
            for n, (g, f) in enumerate(names)
        ]
        records = [
            *_network(),
            *common,
            PersonRecord("li-maria", given_name="Maria", family_name="Garcia", source="linkedin"),
        ]
        assert not [group for group in _joined(records) if "li-maria" in group]

    def test_a_small_address_book_joins_nothing_by_name(self) -> None:
        assert _joined(_godofredo()) == []

    def test_a_name_at_more_addresses_than_one_person_leaves_is_not_joined(self) -> None:
        # Six attendees called Shota Sato, each at an address of their own: the name looks
        # rare by its parts (Shota goes with Sato), but it is several people.
        attendees = [
            PersonRecord(
                f"sato-{n}", "Shota Sato", emails=(f"ssato@firm-{n}.example",), source="calendar"
            )
            for n in range(6)
        ]
        joined = _joined([*_network(), *attendees])
        assert not [group for group in joined if "sato-0" in group]
        assert too_many_sightings(prepare(r) for r in attendees)
        assert not too_many_sightings(prepare(r) for r in attendees[:4])
