"""People of the hand-labelled sample exports (``eyecontact/imports/tests/fixtures``, truth
written by hand), as their records reach matching: who must be one person, who must not."""

from __future__ import annotations

from collections.abc import Hashable

from eyecontact.matching import PersonRecord, resolve

# Each sample person's records as the exports show them (see the fixtures' TRUTH notes).
_SAMPLES = [
    # P05: her own script in the address book, family name first in the calendar.
    PersonRecord(
        "P05-li",
        given_name="Misaki",
        family_name="Tanaka",
        organization="Kirin Labs K.K.",
        source="linkedin",
    ),
    PersonRecord(
        "P05-vcard",
        "田中 美咲",
        given_name="美咲",
        family_name="田中",
        emails=("m.tanaka@kirin-labs.example",),
        source="vcard",
    ),
    PersonRecord(
        "P05-google",
        given_name="美咲",
        family_name="田中",
        emails=("m.tanaka@kirin-labs.example",),
        source="google",
    ),
    PersonRecord(
        "P05-cal", "Tanaka Misaki", emails=("m.tanaka@kirin-labs.example",), source="calendar"
    ),
    # P07: a calendar attendee whose name is her personal address.
    PersonRecord(
        "P07-li",
        given_name="Priya",
        family_name="Raghunathan",
        emails=("priya.r@tessellate.example",),
        linkedin="https://www.linkedin.com/in/priya-raghunathan-03b9",
        organization="Tessellate Ltd.",
        source="linkedin",
    ),
    PersonRecord(
        "P07-google",
        emails=("priya.r@tessellate.example", "priya.raghu@mail.example"),
        websites=("https://www.linkedin.com/in/priya-raghunathan-03b9",),
        source="google",
    ),
    PersonRecord(
        "P07-cal-home",
        "priya.raghu@mail.example",
        emails=("priya.raghu@mail.example",),
        source="calendar",
    ),
    PersonRecord(
        "P07-cal-work",
        "Priya Raghunathan",
        emails=("priya.r@tessellate.example",),
        source="calendar",
    ),
    # P27: a phone-only entry with a first name, and the same phone written otherwise.
    PersonRecord("P27-li", given_name="Kofi", family_name="Boateng", source="linkedin"),
    PersonRecord("P27-google", given_name="Kofi", phones=("+233 24 555 0198",), source="google"),
    PersonRecord("P27-android", "Kofi Boateng", phones=("+233245550198",), source="vcard"),
    # P12: Vietnamese order on Facebook, a vCard with the middle name.
    PersonRecord("P12-li", given_name="Mai", family_name="Nguyen", source="linkedin"),
    PersonRecord(
        "P12-vcard",
        "Mai Nguyễn",
        given_name="Mai",
        family_name="Nguyễn",
        facebook="mai.nguyen.sst",
        source="vcard",
    ),
    # P04: "Last, First" with a credential, and a second work alias in the calendar.
    PersonRecord(
        "P04-li",
        given_name="Kwame",
        family_name="Mensah, PhD",
        emails=("kwame.mensah@harbor-bio.example",),
        organization="Harbor Bio Inc.",
        source="linkedin",
    ),
    PersonRecord(
        "P04-outlook",
        "Dr. Kwame Mensah",
        emails=("kwame.mensah@harbor-bio.example", "kmensah@harbor-bio.example"),
        source="google",
    ),
    PersonRecord(
        "P04-cal", "Mensah, Kwame", emails=("kmensah@harbor-bio.example",), source="calendar"
    ),
    # P25 and W2: two different people called Wei Zhang.
    PersonRecord(
        "P25-li",
        given_name="Wei",
        family_name="Zhang",
        emails=("wei.zhang@pearlriver-semi.example",),
        organization="Pearl River Semiconductors",
        source="linkedin",
    ),
    PersonRecord("W2-fb", "Wei Zhang", facebook="100004", source="facebook"),
]

_SAME = {
    "P05": {"P05-li", "P05-vcard", "P05-google", "P05-cal"},
    "P07": {"P07-li", "P07-google", "P07-cal-home", "P07-cal-work"},
    "P27": {"P27-google", "P27-android"},
    "P04": {"P04-li", "P04-outlook", "P04-cal"},
    "P25": {"P25-li"},
    "W2": {"W2-fb"},
}


def _clusters() -> dict[Hashable, set[Hashable]]:
    found = {}
    for cluster in resolve(_SAMPLES).clusters:
        for record_id in cluster.ids:
            found[record_id] = set(cluster.ids)
    return found


class SampleTests:
    def test_each_sample_person_is_one_person_and_no_more(self) -> None:
        clusters = _clusters()
        for person, records in _SAME.items():
            first = next(iter(records))
            assert records <= clusters[first], person
            strangers = {r for r in clusters[first] if str(r).split("-")[0] != person}
            assert not strangers, person

    def test_two_people_called_wei_zhang_are_not_merged(self) -> None:
        assert "W2-fb" not in _clusters()["P25-li"]

    def test_a_first_name_and_a_shared_phone_join_the_full_name(self) -> None:
        assert {"P27-google", "P27-android"} <= _clusters()["P27-google"]

    def test_a_name_without_anything_else_is_a_question_in_a_small_address_book(self) -> None:
        resolution = resolve(_SAMPLES)
        reviewed = {frozenset((link.a, link.b)) for link in resolution.review}
        clusters = _clusters()
        assert "P12-vcard" not in clusters["P12-li"]
        assert frozenset(("P12-li", "P12-vcard")) in reviewed
