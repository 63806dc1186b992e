"""What the export parsers read from the sample exports (ground truth in the fixtures' TRUTH)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eyecontact.imports.sources import (
    Connection,
    ContactRecord,
    ImportFileError,
    MeetingRecord,
    ParseResult,
    detect_format,
    fix_meta_text,
    infer_channel,
    parse_file,
)
from eyecontact.imports.sources.vcard import CUT_IN_CARD

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BERLIN = ZoneInfo("Europe/Berlin")


def parse(name: str, **kwargs: object) -> ParseResult:
    return parse_file(name, (FIXTURES / name).read_bytes(), until=UNTIL, **kwargs)  # type: ignore[arg-type]


def contact(result: ParseResult, full_name: str) -> ContactRecord:
    found = [c for c in result.contacts if c.full_name == full_name]
    assert len(found) == 1, [c.full_name for c in result.contacts]
    return found[0]


def meetings(result: ParseResult, summary: str) -> list[MeetingRecord]:
    return [m for m in result.meetings if m.summary.startswith(summary)]


class TestDetectFormat:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("linkedin/Connections.csv", "linkedin_connections"),
            ("linkedin/Connections_BOM.csv", "linkedin_connections"),
            ("linkedin/Connections_excel_resave.csv", "linkedin_connections"),
            ("linkedin/Connections_2021.csv", "linkedin_connections"),
            ("linkedin/Connections_2018.csv", "linkedin_connections"),
            ("linkedin/Connections_european.csv", "linkedin_connections"),
            ("linkedin/linkedin_connections_export_microsoft_outlook.csv", "linkedin_connections"),
            ("linkedin/Invitations.csv", "linkedin_invitations"),
            ("facebook/your_friends.json", "facebook_friends"),
            ("facebook/friends_2019.json", "facebook_friends"),
            ("x/follower.js", "x_follower"),
            ("x/following.js", "x_following"),
            ("x/account.js", "x_account"),
            ("x/followers_export.csv", "x_csv"),
            ("x/account_ids.csv", "x_csv"),
            ("x/ids.txt", "x_csv"),
            ("google/contacts.csv", "google_csv"),
            ("google/contacts_legacy_utf16.csv", "google_csv"),
            ("google/outlook_contacts.csv", "outlook_csv"),
            ("vcard/contacts.vcf", "vcard"),
            ("vcard/contacts_android_v21.vcf", "vcard"),
            ("vcard/contact_v4.vcf", "vcard"),
            ("calendar/calendar.ics", "ical"),
            ("calendar/calendar_outlook.ics", "ical"),
        ],
    )
    def test_detects_the_format_from_the_content(self, name: str, expected: str) -> None:
        data = (FIXTURES / name).read_bytes()
        assert detect_format(name, data) == expected
        assert detect_format("renamed.txt", data) == expected

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
            (b"Name,Phone\nAda,123\n", "expected a LinkedIn, Google, Outlook or X header; found:"),
            (b'{"messages": []}', "expected a Facebook friends file"),
            (b'{"friends_v2": [\n  {"name": "Ada",\n}', "invalid JSON"),
            (b"window.YTD.tweets.part0 = []", "'tweets' is not imported"),
            (b"PK\x03\x04rest", "zip archive"),
        ],
    )
    def test_refuses_other_files_with_a_message(self, data: bytes, message: str) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_file("upload.dat", data)
        assert message in str(caught.value)
        assert str(caught.value).startswith("upload.dat")

    def test_points_at_the_line_of_a_json_error(self) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_file("your_friends.json", b'{"friends_v2": [\n  {"name": "Ada",\n}\n]}')
        assert caught.value.line == 3
        assert str(caught.value).startswith("your_friends.json, line 3: invalid JSON")

    def test_refuses_a_file_over_the_size_cap(self) -> None:
        with pytest.raises(
            ImportFileError, match="the largest export Eye Contact reads is 10 bytes"
        ):
            parse_file("Connections.csv", b"First Name,Last Name\n" * 2, max_bytes=10)

    def test_refuses_more_than_500_columns(self) -> None:
        header = "First Name,Connected On,Company," + ",".join(f"c{i}" for i in range(600))
        with pytest.raises(ImportFileError, match="expected at most 500"):
            parse_file("Connections.csv", header.encode())

    def test_names_linkedin_messages_as_not_imported(self) -> None:
        with pytest.raises(ImportFileError, match="messages.csv; expected Connections.csv"):
            parse("linkedin/messages.csv")


class TestLinkedInConnections:
    @pytest.mark.parametrize(
        "name",
        [
            "linkedin/Connections.csv",
            "linkedin/Connections_BOM.csv",
            "linkedin/Connections_excel_resave.csv",
        ],
    )
    def test_reads_every_copy_of_the_current_file_alike(self, name: str) -> None:
        result = parse(name)
        assert len(result.contacts) == 30
        assert [(s.line, s.reason) for s in result.skipped] == [
            (27, "hidden member"),
            (35, "hidden member"),
        ]
        kwame = contact(result, "Kwame Mensah")
        assert (kwame.family_name, kwame.name_suffix) == ("Mensah", "PhD")
        assert kwame.emails == ("kwame.mensah@harbor-bio.example",)
        assert kwame.title == "Director, Translational Research"
        assert kwame.connection == Connection("linkedin", "connection", dt.date(2025, 5, 14))
        assert kwame.line == 9

    @pytest.mark.parametrize(
        ("full_name", "key", "field", "value"),
        [
            (
                "José Álvarez-Ruiz",
                "slug:josé-álvarez-ruiz-19b7",
                "organization",
                "Lumen Freight S.L.",
            ),
            ("Łukasz Wójcik", "slug:łukasz-wójcik-5a1b2c", "title", "Data Engineer"),
            ("François Lemaître", "slug:françois-lemaître-2b7c90", "title", "Gérant"),
            ("Chloe Park", "slug:chloe-park-studio", "title", "Creative Director"),
            ("Tyler Nakamura-Hughes", "slug:tylernh", "title", 'Founder & "Chief Tinkerer"'),
            (
                "Hannah Schmidt",
                "slug:hannah-schmidt-swp",
                "organization",
                "Schmidt, Weber & Partner mbB",
            ),
            ("Lena 🌿 Hartmann", "slug:lena-hartmann-flora", "given_name", "Lena 🌿"),
            ("Fatima Zahra El Amrani", "slug:fatima-zahra-el-amrani", "family_name", "El Amrani"),
            ("Kofi Boateng", "slug:kofi-boateng-22", "organization", ""),
        ],
    )
    def test_keeps_the_quirks_of_real_rows(
        self, full_name: str, key: str, field: str, value: str
    ) -> None:
        record = contact(parse("linkedin/Connections.csv"), full_name)
        assert record.key == key
        assert getattr(record, field) == value

    def test_reads_excel_day_month_year_dates(self) -> None:
        record = contact(parse("linkedin/Connections_excel_resave.csv"), "Misaki Tanaka")
        assert record.connection is not None
        assert record.connection.connected_at == dt.date(2025, 9, 19)

    def test_reads_the_2021_file_without_url_column(self) -> None:
        result = parse("linkedin/Connections_2021.csv")
        isabella = contact(result, "Isabella Rossi")
        assert (isabella.organization, isabella.title) == ("Banca Serena", "Business Analyst")
        assert isabella.linkedin_url == ""
        assert isabella.key == "name:isabella rossi|"
        assert [s.detail for s in result.skipped] == ["02 Mar 2018"]

    def test_reads_the_2018_file_with_times(self) -> None:
        result = parse("linkedin/Connections_2018.csv")
        tyler = contact(result, "Tyler Nakamura-Hughes")
        assert tyler.emails == ("tyler@tinkerforge.example",)
        assert tyler.connection is not None
        assert tyler.connection.connected_at == dt.datetime(2018, 8, 8, 16, 51, tzinfo=dt.UTC)
        ethan = contact(result, "Ethan Brooks")
        assert ethan.organization == "Redwood Networks"
        assert ethan.key == "name:ethan brooks|ethan.brooks@mail.example"

    def test_reads_the_european_excel_file(self) -> None:
        result = parse("linkedin/Connections_european.csv")
        jose = contact(result, "José Álvarez-Ruiz")
        assert jose.connection is not None
        assert jose.connection.connected_at == dt.date(2019, 11, 21)
        assert contact(result, "Hannah Schmidt").organization == "Schmidt, Weber & Partner mbB"
        assert [(s.reason, s.detail) for s in result.skipped] == [("hidden member", "02.03.2018")]

    def test_reads_the_2017_outlook_style_export(self) -> None:
        result = parse("linkedin/linkedin_connections_export_microsoft_outlook.csv")
        assert result.format == "linkedin_connections"
        ethan = contact(result, "Ethan Brooks")
        assert (ethan.organization, ethan.title) == ("Redwood Networks", "Network Engineer")
        assert ethan.connection == Connection("linkedin", "connection", None)

    def test_a_malformed_profile_url_falls_back_to_name_and_email(self) -> None:
        data = (
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b"Ada,Lovelace,http://[linkedin.com/in/ada,ada@mail.example,,,01 Jan 2025\n"
        )
        [ada] = parse_file("Connections.csv", data).contacts
        assert ada.key == "name:ada lovelace|ada@mail.example"

    def test_a_reimport_gives_the_same_keys(self) -> None:
        first = {c.key for c in parse("linkedin/Connections.csv").contacts}
        again = {c.key for c in parse("linkedin/Connections_excel_resave.csv").contacts}
        assert first == again
        assert len(first) == 30


class TestLinkedInInvitations:
    def test_reads_direction_time_and_owner(self) -> None:
        result = parse("linkedin/Invitations.csv")
        assert len(result.invitations) == 6
        first = result.invitations[0]
        assert (first.from_name, first.to_name, first.direction) == (
            "Misaki Tanaka",
            "Morgan Ellery",
            "incoming",
        )
        assert first.sent_at == dt.datetime(2025, 9, 19, 8, 14, tzinfo=dt.UTC)
        rafael = [i for i in result.invitations if i.to_name == "Rafael Mendes"][0]
        assert rafael.direction == "outgoing"
        assert rafael.message.startswith("Great chat at booth B12")
        assert rafael.key == "outgoing|slug:rafaelmendes|2025-09-17T11:26:00+00:00"
        assert result.owner is not None
        assert result.owner.name == "Morgan Ellery"
        assert result.owner.linkedin_url.endswith("/in/morgan-ellery-4b21a7")


class TestFacebook:
    @pytest.mark.parametrize(
        ("mojibake", "repaired"),
        [
            ("JosÃ©", "José"),
            ("Nguyá»\x85n Thá»\x8b Mai", "Nguyễn Thị Mai"),
            ("Nina â\x9c¨ Kowalski", "Nina ✨ Kowalski"),
            ("Already fine: Zoë", "Already fine: Zoë"),
            ("Дмитрий", "Дмитрий"),
        ],
    )
    def test_repairs_meta_mojibake(self, mojibake: str, repaired: str) -> None:
        assert fix_meta_text(mojibake) == repaired

    @pytest.mark.parametrize(
        ("full_name", "since"),
        [
            ("José Álvarez Ruiz", dt.datetime(2019, 11, 21, 13, 0, tzinfo=dt.UTC)),
            ("Zoë Dupont", dt.datetime(2023, 4, 11, 14, 0, tzinfo=dt.UTC)),
            ("Nguyễn Thị Mai", None),
            ("Łukasz Wójcik", None),
            ("Nina ✨ Kowalski", None),
            ("Дмитрий Волков", None),
            ("Lena Hartmann", None),
        ],
    )
    def test_reads_friends_v2(self, full_name: str, since: dt.datetime | None) -> None:
        result = parse("facebook/your_friends.json")
        assert len(result.contacts) == 20
        friend = contact(result, full_name)
        assert friend.connection is not None
        assert friend.connection.kind == "friend"
        if since is not None:
            assert friend.connection.connected_at == since

    def test_reads_the_2019_friends_layout(self) -> None:
        result = parse("facebook/friends_2019.json")
        fatima = contact(result, "Fatima Zahra El Amrani")
        assert fatima.emails == ("fatima.elamrani@mail.example",)
        assert fatima.key == "name:fatima zahra el amrani|1543764783"
        assert contact(result, "Jürgen Müller").line == 2
        assert [(s.line, s.reason) for s in result.skipped] == [(3, "no name")]


class TestX:
    def test_reads_follower_ids_as_strings(self) -> None:
        result = parse("x/follower.js")
        ids = [c.x_account_id for c in result.contacts]
        assert len(ids) == 20
        assert "1555666777888999000" in ids
        assert "48213977" in ids
        assert all(c.connection == Connection("x", "follower", None) for c in result.contacts)
        assert result.contacts[0].key == "id:1402938475610293760"

    def test_reads_following(self) -> None:
        result = parse("x/following.js")
        assert {c.connection.kind for c in result.contacts if c.connection} == {"following"}
        assert "87654321" in {c.x_account_id for c in result.contacts}

    def test_reads_the_owner_from_account_js(self) -> None:
        result = parse("x/account.js")
        assert result.records == ()
        assert result.owner is not None
        assert (result.owner.x_account_id, result.owner.x_handle) == ("2840171103", "morgan_ellery")
        assert result.owner.emails == ("morgan.ellery@example.net",)

    def test_reads_a_follower_export_csv(self) -> None:
        result = parse("x/followers_export.csv")
        grace = contact(result, "Grace Liu")
        assert grace.x_handle == "graceliu_vc"
        assert grace.notes == "VC\nBright Harbor"
        assert contact(result, "Lena Hartmann").x_handle == "lena_flora"
        # Grace follows the user and is followed back; Lena only follows.
        assert (grace.mutual, contact(result, "Lena Hartmann").mutual) == (True, False)

    def test_reads_id_lists(self) -> None:
        assert [(c.x_account_id, c.x_handle) for c in parse("x/account_ids.csv").contacts] == [
            ("3141592653", "graceliu_vc"),
            ("1402938475610293760", ""),
        ]
        assert [c.key for c in parse("x/ids.txt").contacts] == [
            "id:3141592653",
            "id:48213977",
            "handle:jalvarezruiz",
        ]


class TestGoogleAndOutlookCsv:
    def test_reads_google_contacts(self) -> None:
        result = parse("google/contacts.csv")
        assert len(result.contacts) == 11
        priya = contact(result, "Priya Raghunathan")
        assert priya.emails == ("priya.r@tessellate.example", "priya.raghu@mail.example")
        assert priya.phones == ("+49 171 5550123",)
        assert priya.labels == ("Running club",)
        assert priya.notes == "Met at Berlin JS meetup.\nRuns on Thursdays."
        assert priya.linkedin_url == "https://www.linkedin.com/in/priya-raghunathan-03b9"
        assert priya.birthday == "1990-07-14"
        misaki = contact(result, "美咲 田中")
        assert (misaki.phonetic_given_name, misaki.phonetic_family_name) == ("Misaki", "Tanaka")
        assert contact(result, "Dan O’Brien").emails == ("dan.obrien@quayside.example",)
        hannah = contact(result, "Hannah Schmidt")
        assert (hannah.organization, hannah.birthday) == ("Schmidt, Weber & Partner mbB", "--03-02")

    def test_keeps_email_only_phone_only_and_org_only_rows(self) -> None:
        result = parse("google/contacts.csv")
        by_email = [
            c for c in result.contacts if c.emails == ("liesl.brandt@corvid-robotics.example",)
        ]
        assert by_email[0].full_name == ""
        assert contact(result, "Kofi").phones == ("+233 24 555 0198",)
        cafe = [c for c in result.contacts if c.organization == "Café Kranzler"][0]
        assert cafe.is_organization
        assert cafe.city == "Berlin"

    def test_reads_the_old_utf16_google_file(self) -> None:
        result = parse("google/contacts_legacy_utf16.csv")
        priya = contact(result, "Priya Raghunathan")
        assert priya.emails == ("priya.r@tessellate.example", "priya.raghu@mail.example")
        assert (priya.organization, priya.title) == ("Tessellate Ltd.", "Staff Engineer")
        assert priya.labels == ("Running club",)
        assert contact(result, "Søren Kjærgaard").emails == ("soren.kj@mail.example",)

    def test_reads_outlook_csv(self) -> None:
        result = parse("google/outlook_contacts.csv")
        jose = contact(result, "José Álvarez Ruiz")
        assert jose.emails == (
            "jose.alvarez@lumen-freight.example",
            "jose.alvarez.ruiz@mail.example",
        )
        assert jose.phones == ()  # a fax number is not a way to reach a person
        kwame = contact(result, "Kwame Mensah")
        assert (kwame.name_prefix, kwame.birthday) == ("Dr.", "")
        assert kwame.emails == ("kmensah@harbor-bio.example",)
        assert contact(result, "Liesl Brandt").city == "Berlin"


class TestVCard:
    def test_reads_iphone_cards(self) -> None:
        result = parse("vcard/contacts.vcf")
        assert len(result.contacts) == 10
        liesl = contact(result, "Liesl Brandt")
        assert (liesl.given_name, liesl.nickname) == ("Anneliese", "Liesl")
        assert liesl.emails == ("liesl.brandt@corvid-robotics.example",)
        assert liesl.phones == ("+49 151 23456789",)
        assert liesl.linkedin_url == "http://www.linkedin.com/in/anneliese-brandt-7f3a21"
        assert liesl.notes.startswith("Met for coffee at Kranzler (March 2025). Works on lidar")
        grace = contact(result, "Grace Liu")
        assert (grace.x_account_id, grace.x_handle) == ("3141592653", "graceliu_vc")
        assert grace.linkedin_url == "http://www.linkedin.com/in/graceliu"
        assert contact(result, "Mai Nguyễn").facebook_profile == "mai.nguyen.sst"
        assert contact(result, "Sofia Andersson").birthday == "1992-11-03"
        assert contact(result, "田中 美咲").phonetic_family_name == "Tanaka"
        assert contact(result, "Café Kranzler").is_organization
        seun = contact(result, "Seun Adeyemi")
        assert (seun.x_handle, seun.linkedin_url) == ("", "")

    def test_keeps_the_photo_bytes(self) -> None:
        kwame = contact(parse("vcard/contacts.vcf"), "Dr. Kwame Mensah")
        assert kwame.photo is not None
        assert kwame.photo.startswith(b"\xff\xd8\xff")
        assert (kwame.name_prefix, kwame.organization, kwame.title) == (
            "Dr.",
            "Harbor Bio Inc.",
            "Director",
        )
        assert kwame.websites == ("https://harbor-bio.example",)

    def test_reads_android_quoted_printable_with_soft_breaks(self) -> None:
        result = parse("vcard/contacts_android_v21.vcf")
        soren = contact(result, "Søren Kjærgaard")
        assert (soren.given_name, soren.family_name) == ("Søren", "Kjærgaard")
        assert soren.phones == ("+45 20 55 01 23",)
        ayse = contact(result, "Ayşe Yılmaz")
        assert ayse.organization == "Bosphorus Cloud Bilişim"
        assert ayse.notes == "İstanbul meetup, Nov 2022.\nSolutions architect."
        assert contact(result, "Kofi Boateng").phones == ("+233245550198",)

    def test_reads_vcard_4_uid_and_data_uri_photo(self) -> None:
        grace = parse("vcard/contact_v4.vcf").contacts[0]
        assert grace.key == "uid:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
        assert grace.phones == ("+1-555-555-0100",)
        assert grace.photo is not None

    def test_refuses_a_file_cut_off_inside_a_card(self) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_file("cut.vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n")
        assert (caught.value.file, caught.value.line) == ("cut.vcf", 1)
        assert caught.value.message == CUT_IN_CARD

    def test_refuses_an_address_book_cut_off_after_its_first_cards(self) -> None:
        data = (FIXTURES / "vcard/contacts.vcf").read_bytes()
        cut = data[: len(data) // 2]
        with pytest.raises(ImportFileError) as caught:
            parse_file("contacts.vcf", cut)
        assert caught.value.line == 29  # the BEGIN:VCARD of Kwame Mensah's card, cut in its photo
        assert caught.value.message == CUT_IN_CARD


class TestCalendar:
    def test_expands_the_weekly_run_to_exactly_seven_occurrences(self) -> None:
        runs = meetings(parse("calendar/calendar.ics"), "Tiergarten run")
        assert [m.start for m in runs] == [
            dt.datetime(2025, 5, 8, 7, 0, tzinfo=BERLIN),
            dt.datetime(2025, 5, 15, 7, 0, tzinfo=BERLIN),
            dt.datetime(2025, 5, 22, 7, 0, tzinfo=BERLIN),
            dt.datetime(2025, 6, 5, 7, 0, tzinfo=BERLIN),
            dt.datetime(2025, 6, 12, 7, 30, tzinfo=BERLIN),
            dt.datetime(2025, 6, 19, 7, 0, tzinfo=BERLIN),
            dt.datetime(2025, 6, 26, 7, 0, tzinfo=BERLIN),
        ]
        moved = runs[4]
        assert moved.location.startswith("Tempelhofer Feld")
        assert moved.instance_key == "1run8tiergarten2q4w6e8r0t@google.com/20250612T050000Z"
        assert moved.recurrence_id == dt.datetime(2025, 6, 12, 5, 0, tzinfo=dt.UTC)
        assert len({m.instance_key for m in runs}) == 7
        assert runs[0].attendees[0].email == "priya.raghu@mail.example"
        assert runs[0].attendees[0].name == ""  # Google wrote the address as the name

    def test_stops_recurrences_at_until(self) -> None:
        result = parse_file(
            "calendar.ics",
            (FIXTURES / "calendar/calendar.ics").read_bytes(),
            until=dt.datetime(2025, 5, 20, tzinfo=dt.UTC),
        )
        assert len(meetings(result, "Tiergarten run")) == 2
        assert "Coffee with Liesl" in {m.summary for m in result.meetings}

    @pytest.mark.parametrize(
        ("summary", "start_utc", "channel", "attendees"),
        [
            (
                "Coffee with Liesl",
                dt.datetime(2025, 3, 12, 8, 30, tzinfo=dt.UTC),
                "in_person",
                ["liesl.brandt@corvid-robotics.example"],
            ),
            (
                "Dinner – José & Morgan",
                dt.datetime(2025, 4, 2, 19, 0, tzinfo=dt.UTC),
                "in_person",
                ["jose.alvarez@lumen-freight.example", "mateo.garcia@lumen-freight.example"],
            ),
            (
                "Harbor Bio lab tour",
                dt.datetime(2025, 5, 14, 14, 0, tzinfo=dt.UTC),
                "in_person",
                ["kmensah@harbor-bio.example"],
            ),
            (
                "Tessellate API review",
                dt.datetime(2025, 6, 17, 12, 0, tzinfo=dt.UTC),
                "video",
                ["priya.r@tessellate.example"],
            ),
            ("Lunch with Chloe", dt.datetime(2024, 12, 18, 11, 30, tzinfo=dt.UTC), "in_person", []),
            (
                "Berlin founders breakfast #14",
                dt.datetime(2025, 2, 5, 7, 0, tzinfo=dt.UTC),
                "in_person",
                ["seun@kola-payments.example", "marcus@feldwerk.example"],
            ),
            (
                "Kirin Labs follow-up",
                dt.datetime(2025, 9, 18, 12, 0, tzinfo=dt.UTC),
                "in_person",
                ["m.tanaka@kirin-labs.example"],
            ),
            (
                "Cliffside Analytics workshop",
                dt.datetime(2025, 10, 7, 8, 0, tzinfo=dt.UTC),
                "in_person",
                ["aoife@cliffside-analytics.example"],
            ),
            (
                "Call: Atlântico pilot",
                dt.datetime(2025, 9, 24, 8, 0, tzinfo=dt.UTC),
                "phone",
                ["rafael.mendes@atlantico-pay.example"],
            ),
        ],
    )
    def test_reads_each_google_event(
        self, summary: str, start_utc: dt.datetime, channel: str, attendees: list[str]
    ) -> None:
        [meeting] = meetings(parse("calendar/calendar.ics"), summary)
        assert meeting.start.astimezone(dt.UTC) == start_utc
        assert meeting.start.tzinfo is not None
        assert meeting.channel == channel
        assert [a.email for a in meeting.attendees] == attendees

    def test_skips_cancelled_and_all_day_blocks_and_drops_the_owner(self) -> None:
        result = parse("calendar/calendar.ics")
        assert len(result.meetings) == 16
        assert [(s.reason, s.detail) for s in result.skipped] == [
            ("all-day without attendees", "Hamburg Robotics Summit 2025"),
            ("cancelled", "Lunch – Lemaître & Fils"),
        ]
        assert result.owner is not None
        assert result.owner.emails == ("morgan.ellery@example.net",)
        assert result.owner.name == "Morgan Ellery"
        everyone = {a.email for m in result.meetings for a in m.attendees}
        assert "morgan.ellery@example.net" not in everyone
        assert not any("resource.calendar.google.com" in e for e in everyone)

    def test_keeps_attendee_answers(self) -> None:
        result = parse("calendar/calendar.ics")
        [dinner] = meetings(result, "Dinner")
        assert [(a.name, a.partstat) for a in dinner.attendees] == [
            ("José Álvarez-Ruiz", "ACCEPTED"),
            ("Mateo García", "TENTATIVE"),
        ]
        [breakfast] = meetings(result, "Berlin founders")
        assert ("Marcus Feld", "DECLINED") in [(a.name, a.partstat) for a in breakfast.attendees]
        assert breakfast.owner_partstat == "ACCEPTED"
        [tour] = meetings(result, "Harbor Bio")
        assert tour.organizer is not None
        assert tour.organizer.email == "kmensah@harbor-bio.example"
        assert not tour.organized_by_owner

    def test_skips_events_the_owner_declined(self) -> None:
        calendar = (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Pitch\r\n"
            b"DTSTART:20250301T100000Z\r\nLOCATION:Factory Berlin\r\n"
            b"ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.net\r\n"
            b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.net\r\nEND:VEVENT\r\n"
            b"BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:Lunch\r\nDTSTART:20250302T100000Z\r\n"
            b"LOCATION:Markthalle\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.net\r\n"
            b"ATTENDEE:mailto:ada@example.net\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        result = parse_file("cal.ics", calendar, until=UNTIL, owner_emails=("me@example.net",))
        assert [m.summary for m in result.meetings] == ["Lunch"]
        assert [(s.line, s.reason, s.detail) for s in result.skipped] == [(2, "declined", "Pitch")]

    def test_reads_outlook_windows_zones(self) -> None:
        result = parse("calendar/calendar_outlook.ics")
        review, sync = result.meetings
        assert review.start.astimezone(dt.UTC) == dt.datetime(2025, 6, 11, 12, 0, tzinfo=dt.UTC)
        assert review.channel == "in_person"
        assert [(a.name, a.partstat) for a in review.attendees] == [
            ("Liesl Brandt", "NEEDS-ACTION")
        ]
        assert review.organized_by_owner
        assert sync.start.astimezone(dt.UTC) == dt.datetime(2025, 7, 9, 15, 0, tzinfo=dt.UTC)
        assert sync.channel == "video"
        assert [(a.email, a.name) for a in sync.attendees] == [
            ("kmensah@harbor-bio.example", "Mensah, Kwame")
        ]
        assert sync.owner_partstat == "ACCEPTED"

    def test_drops_addresses_passed_as_the_owners(self) -> None:
        result = parse("calendar/calendar.ics", owner_emails=("PRIYA.RAGHU@mail.example",))
        runs = meetings(result, "Tiergarten run")
        assert runs[0].attendees == ()


class TestChannel:
    @pytest.mark.parametrize(
        ("location", "description", "summary", "has_link", "channel"),
        [
            ("Café Kranzler, Berlin", "", "Coffee", False, "in_person"),
            ("https://meet.example/abc", "", "Review", False, "video"),
            ("Microsoft Teams Meeting", "", "Sync", False, "video"),
            ("", "Join https://us02web.zoom.us/j/123", "Sync", False, "video"),
            ("", "", "Sync", True, "video"),
            (
                "Room 4, CCH Hamburg",
                "https://meet.google.com/abc-defg-hij",
                "Sync",
                False,
                "hybrid",
            ),
            ("+351 912 345 678", "", "Pilot", False, "phone"),
            ("", "", "Call with Rafael", False, "phone"),
            ("", "", "Planning", False, "unknown"),
        ],
    )
    def test_infers_how_a_meeting_happened(
        self, location: str, description: str, summary: str, has_link: bool, channel: str
    ) -> None:
        assert infer_channel(location, description, summary, has_link=has_link) == channel
