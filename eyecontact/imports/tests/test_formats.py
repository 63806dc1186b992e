"""The registry of import formats: what each built-in format says of itself holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from eyecontact.imports.sources import (
    ImportFileError,
    all_formats,
    format_names,
    get_format,
    parse_file,
    register,
    unregister,
)
from eyecontact.imports.sources.formats import archive_wants, expected_csv

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = sorted(
    path for path in FIXTURES.rglob("*") if path.is_file() and path.name != "messages.csv"
)


class ImportFormatRegistryTests:
    def test_the_stored_format_names_are_the_ones_imports_have_always_written(self) -> None:
        assert sorted(format_names()) == [
            "facebook_friends",
            "google_csv",
            "ical",
            "linkedin_connections",
            "linkedin_invitations",
            "outlook_csv",
            "vcard",
            "x_account",
            "x_csv",
            "x_follower",
            "x_following",
        ]

    @pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: str(path.relative_to(FIXTURES)))
    def test_each_sample_export_yields_only_the_records_its_format_declares(
        self, sample: Path
    ) -> None:
        result = parse_file(sample.name, sample.read_bytes())
        import_format = get_format(result.format)
        assert import_format is not None
        assert all(isinstance(record, import_format.yields) for record in result.records)
        assert len(sample.read_bytes()) <= import_format.max_bytes

    @pytest.mark.parametrize(
        ("member", "wanted"),
        [
            ("connections.csv", True),
            ("invitations.csv", True),
            ("your_friends.json", True),
            ("friends.json", True),
            ("follower.js", True),
            ("following-part12.js", True),
            ("account.js", True),
            ("address book.vcf", True),
            ("work.ics", True),
            ("messages.csv", False),
            ("manifest.js", False),
            ("follower-partx.js", False),
            ("like.js", False),
            ("notes.txt", False),
        ],
    )
    def test_an_archive_reads_the_member_files_some_format_may_be_in(
        self, member: str, wanted: bool
    ) -> None:
        assert archive_wants(member) is wanted

    def test_the_lists_of_connections_are_named_as_people_say_them(self) -> None:
        lists = {
            f.name: (f.whole_list.network, f.whole_list.kind, f.whole_list.label)
            for f in all_formats()
            if f.whole_list is not None
        }
        assert lists == {
            "linkedin_connections": ("linkedin", "connection", "LinkedIn connections"),
            "facebook_friends": ("facebook", "friend", "Facebook friends"),
            "x_follower": ("x", "follower", "X followers"),
            "x_following": ("x", "following", "X accounts followed"),
        }
        assert {f.name for f in all_formats() if f.snapshot} == {*lists, "x_csv"}
        assert {f.name for f in all_formats() if f.follow_list} == {
            "x_follower",
            "x_following",
            "x_csv",
        }

    def test_a_csv_that_no_format_knows_is_refused_naming_the_makers_of_those_it_does(
        self,
    ) -> None:
        assert expected_csv() == "a LinkedIn, Google, Outlook or X"
        with pytest.raises(ImportFileError, match="expected a LinkedIn, Google, Outlook or X"):
            parse_file("shoes.csv", b"Name,Shoe size\nBob,44\n")

    def test_a_name_is_registered_once_and_built_in_formats_stay(self) -> None:
        vcard = get_format("vcard")
        assert vcard is not None
        with pytest.raises(ValueError, match="registered already"):
            register(vcard)
        with pytest.raises(ValueError, match="built in"):
            unregister("vcard")
        assert get_format("no_such_format") is None
