"""Exports are read as streams: the same records from a file as from its bytes, in any encoding,
with errors that still name the file and line, and memory that does not hold the file whole."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.imports.sources import ImportFileError, parse_export, parse_file
from eyecontact.imports.sources._json import json_list_entries
from eyecontact.imports.sources._text import TextFile, decode_text, read_table
from eyecontact.imports.sources.archive import iter_archive
from eyecontact.imports.sources.linkedin import classify_linkedin_header, parse_connections

from .test_sources_properties import SAMPLES, UNTIL

OWNERS = ("me@example.net",)


def parsed_or_error(name: str, data: bytes | io.BytesIO) -> object:
    try:
        return parse_file(name, data, until=UNTIL, owner_emails=OWNERS)
    except ImportFileError as exc:
        return str(exc)


class StreamTests:
    @pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
    def test_a_sample_read_from_a_stream_gives_what_its_bytes_give(self, path: Path) -> None:
        data = path.read_bytes()
        assert parsed_or_error(path.name, io.BytesIO(data)) == parsed_or_error(path.name, data)

    def test_an_upload_on_disk_is_read_from_its_path(self, tmp_path: Path) -> None:
        sample = next(p for p in SAMPLES if p.name == "Connections.csv")
        stored = tmp_path / "upload"
        stored.write_bytes(sample.read_bytes())
        assert parse_export("Connections.csv", stored, until=UNTIL) == parse_export(
            "Connections.csv", sample.read_bytes(), until=UNTIL
        )

    def test_a_path_that_is_gone_is_a_readable_error(self, tmp_path: Path) -> None:
        with pytest.raises(ImportFileError, match=r"^Connections.csv: cannot be read"):
            parse_export("Connections.csv", tmp_path / "missing", until=UNTIL)

    def test_archive_members_are_unpacked_into_files_that_go_once_read(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(
                "a/Connections.csv", "First Name,Last Name,Connected On\nA,B,1 Jan 2020\n"
            )
            archive.writestr("b/contacts.vcf", "BEGIN:VCARD\r\nFN:Ada\r\nEND:VCARD\r\n")
        members = iter_archive("export.zip", buffer)
        first = next(members)
        assert first.data.startswith(b"First Name")
        second = next(members)
        assert first.file.closed
        assert second.data.startswith(b"BEGIN:VCARD")

    def test_a_linkedin_file_read_twice_for_its_dates_keeps_day_and_month(self) -> None:
        """The date column is looked at first; 3/4/21 and 25/4/21 are day-first, so 3 April."""
        text = "First Name,Last Name,Connected On\nAda,Byrne,3/4/21\nBen,Okafor,25/4/21\n"
        table = read_table(
            "Connections.csv",
            TextFile.open("Connections.csv", io.BytesIO(text.encode())),
            classify_linkedin_header,
            "a LinkedIn",
        )
        dates = [r.connection.connected_at for r in parse_connections(table).contacts]  # type: ignore[union-attr]
        assert [str(d) for d in dates] == ["2021-04-03", "2021-04-25"]


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", blacklist_characters="\x00"),
    max_size=400,
)


class TextFileTests:
    @settings(max_examples=150, deadline=None)
    @given(text=_TEXT, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]))
    def test_lines_read_as_a_stream_are_the_decoded_text(self, text: str, encoding: str) -> None:
        data = ("Name\n" + text).encode(encoding)
        try:
            whole = decode_text("f.csv", data)
        except ImportFileError:
            with pytest.raises(ImportFileError):
                TextFile.open("f.csv", io.BytesIO(data))
            return
        assert "".join(TextFile.open("f.csv", io.BytesIO(data)).lines()) == whole

    def test_a_file_that_is_not_utf8_is_read_as_windows_1252(self) -> None:
        data = "Name\nRené, 5 €\n".encode("cp1252")
        assert TextFile.open("f.csv", io.BytesIO(data)).read() == "Name\nRené, 5 €\n"

    def test_a_binary_file_is_refused_before_it_is_read(self) -> None:
        with pytest.raises(ImportFileError, match="binary file"):
            TextFile.open("f.csv", io.BytesIO(bytes(range(1, 32)) * 400))


class JsonListTests:
    @settings(max_examples=150, deadline=None)
    @given(
        entries=st.lists(
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                lambda inner: (
                    st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=3)
                ),
                max_leaves=8,
            ),
            max_size=8,
        ),
        indent=st.sampled_from([None, 2]),
    )
    def test_entries_one_at_a_time_are_the_list_json_reads(
        self, entries: list[object], indent: int | None
    ) -> None:
        text = "window.YTD.follower.part0 = " + json.dumps(entries, indent=indent) + "\n"
        start = text.index("[")
        assert list(json_list_entries("follower.js", text, start)) == entries

    @pytest.mark.parametrize(
        ("text", "line"),
        [
            ('[\n  {"a": 1},\n  {"a": 2\n]', 4),
            ('[\n  {"a": 1}\n  {"a": 2}\n]', 3),
            ('[\n  {"a": 1}\n]\n]', 4),
        ],
    )
    def test_an_error_names_the_line_of_the_file(self, text: str, line: int) -> None:
        with pytest.raises(ImportFileError) as error:
            list(json_list_entries("follower.js", text))
        assert error.value.line == line
        assert error.value.message.startswith("invalid JSON: ")
