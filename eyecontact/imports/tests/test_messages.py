"""What an unreadable file tells the user: what was wrong, in plain words, with file and line.

Python's own wording ("Exceeds the limit (4300 digits) for integer string conversion", "field
larger than field limit", zlib's "Error -3 while decompressing") means nothing to someone
importing their contacts; none of it may reach them.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import ImportFailed, import_file
from eyecontact.imports.sources import ImportFileError, formats, parse_export
from eyecontact.imports.sources.detect import UNREADABLE

LONG_NUMBER = "9" * 5000
PYTHON_WORDS = (
    "Exceeds the limit",
    "set_int_max_str_digits",
    "field limit (",
    "Error -3",
    "ValueError",
    "TypeError",
    "Traceback",
    "b'",
)
CONNECTIONS_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def zip_of(name: str, data: bytes, *, damage_at: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    packed = bytearray(buffer.getvalue())
    if damage_at is not None:
        packed[damage_at : damage_at + 20] = b"\xff" * 20
    return bytes(packed)


def plain(message: str) -> None:
    for words in PYTHON_WORDS:
        assert words not in message, message


class NumbersTooLongTests:
    @pytest.mark.parametrize(
        ("name", "text"),
        [
            ("friends.json", '{"friends_v2": [{"name": "Ada Byrne", "timestamp": %s}]}'),
            ("friends.json", '{"friends_v2": [{"name": "Ada Byrne", "id": %s}]}'),
            ("follower.js", 'window.YTD.follower.part0 = [{"follower": {"accountId": %s}}]'),
        ],
    )
    def test_a_json_number_of_thousands_of_digits_is_an_unreadable_value_not_a_crash(
        self, name: str, text: str
    ) -> None:
        [result] = parse_export(name, (text % LONG_NUMBER).encode())
        for record in result.records:
            assert getattr(record, "connection", None) is None or (
                record.connection.connected_at is None  # type: ignore[union-attr]
            )
        if name == "follower.js":
            assert [s.reason for s in result.skipped] == ["no account id"]


class PlainErrorTests:
    @pytest.mark.parametrize(
        ("name", "data", "line", "said"),
        [
            (
                "Connections.csv",
                (CONNECTIONS_HEADER + 'Ada,Byrne,,,"Acme,' + "x" * 200_000 + "\n").encode(),
                2,
                "a value in this row is longer than 131,072 characters",
            ),
        ],
    )
    def test_a_broken_csv_row_is_named_by_its_line_in_plain_words(
        self, name: str, data: bytes, line: int, said: str
    ) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_export(name, data)
        assert caught.value.file == name
        assert caught.value.line == line
        assert said in caught.value.message
        plain(str(caught.value))

    def test_a_damaged_archive_member_says_the_archive_is_damaged(self) -> None:
        data = zip_of("Connections.csv", (CONNECTIONS_HEADER * 1000).encode(), damage_at=50)
        with pytest.raises(ImportFileError) as caught:
            parse_export("export.zip", data)
        assert str(caught.value) == (
            "export.zip: Connections.csv cannot be unpacked from the archive: the archive is "
            "damaged; download the export again"
        )

    def test_a_file_that_only_looks_like_a_zip_says_so(self) -> None:
        with pytest.raises(ImportFileError) as caught:
            parse_export("export.zip", b"PK\x03\x04" + b"\x00" * 100)
        assert caught.value.message == "not a readable zip archive: it is damaged or not a zip file"

    def test_a_very_long_time_zone_name_reads_as_an_unknown_zone(self) -> None:
        text = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\n"
            f"DTSTART;TZID={'Europe/' * 1000}:20240101T090000\r\n"
            "ATTENDEE:mailto:ada@example.org\r\nLOCATION:Room 4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        [result] = parse_export("calendar.ics", text.encode())
        assert len(result.meetings) == 1

    def test_an_unforeseen_failure_in_a_parser_ends_in_a_plain_sentence(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def broken(file_name: str, text: str) -> None:
            raise ValueError("invalid literal for int() with base 10: 'x'")

        monkeypatch.setattr(formats, "parse_facebook", broken)
        with pytest.raises(ImportFileError) as caught:
            parse_export("friends.json", b'{"friends_v2": []}')
        assert caught.value.message == UNREADABLE
        plain(str(caught.value))


@pytest.mark.django_db
class ImportErrorReportTests:
    def test_the_import_report_shows_the_plain_message_with_file_and_line(
        self, workspace: Workspace
    ) -> None:
        data = (CONNECTIONS_HEADER + 'Ada,Byrne,,,"Acme,' + "x" * 200_000 + "\n").encode()
        with pytest.raises(ImportFailed) as failed:
            import_file(workspace=workspace, file_name="Connections.csv", data=data)
        batch = failed.value.batch
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.errors == [
            "Connections.csv, line 2: a value in this row is longer than 131,072 characters; "
            "a quote that is never closed makes the rest of the file one value"
        ]
