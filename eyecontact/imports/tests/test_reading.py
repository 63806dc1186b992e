"""Reading several uploads, the next ones in a second process: the same records, the same errors."""

from __future__ import annotations

import datetime as dt
import pickle
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from eyecontact.imports.sources import ImportFileError, ParseResult
from eyecontact.imports.sources.reading import NO_KNOWN_FILE, ReadAhead, parse_export

FIXTURES = Path(__file__).parent / "fixtures"
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
UPLOADS = [
    (name, (FIXTURES / name).read_bytes())
    for name in (
        "linkedin/Connections.csv",
        "calendar/calendar_outlook.ics",
        "x/follower.js",
        "vcard/contacts.vcf",
    )
]
BAD_CSV = ("Connections.csv", b"Name,Shoe size\nBob,44\n")


def read_here(name: str, data: bytes) -> tuple[ParseResult, ...]:
    return parse_export(name, data, until=UNTIL, owner_emails=["morgan.ellery@example.net"])


class _FailingPool:
    """Stands in for the reading process: every upload sent to it fails with ``error``."""

    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.sent: list[str] = []

    def submit(self, function: Any, file_name: str, *args: Any) -> Future[Any]:
        self.sent.append(file_name)
        future: Future[Any] = Future()
        future.set_exception(self.error)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


class ReadAheadTests:
    def test_every_upload_reads_as_it_would_here_in_order(self) -> None:
        with ReadAhead(UPLOADS, until=UNTIL, owner_emails=["morgan.ellery@example.net"]) as reader:
            found = [reader.parsed(n) for n in range(len(UPLOADS))]
        assert found == [read_here(name, data) for name, data in UPLOADS]

    def test_an_error_in_the_second_process_names_the_file_and_line(self) -> None:
        uploads = [UPLOADS[0], BAD_CSV, UPLOADS[3]]
        with ReadAhead(uploads, until=UNTIL) as reader:
            assert reader.parsed(0) == read_here(*UPLOADS[0])
            with pytest.raises(ImportFileError) as raised:
                reader.parsed(1)
            assert reader.parsed(2) == read_here(*UPLOADS[3])
        assert str(raised.value) == (
            "Connections.csv, line 1: expected a LinkedIn, Google, Outlook or X header; "
            "found: 'Name,Shoe size'"
        )
        assert (raised.value.file, raised.value.line) == ("Connections.csv", 1)

    def test_an_archive_without_an_export_is_refused_by_name(self) -> None:
        with pytest.raises(ImportFileError, match=NO_KNOWN_FILE[:40]) as raised:
            parse_export("empty.zip", b"PK\x05\x06" + b"\x00" * 18)
        assert raised.value.file == "empty.zip"

    def test_the_first_upload_is_read_here_and_a_single_one_starts_no_process(self) -> None:
        with ReadAhead(UPLOADS[:1], until=UNTIL) as reader:
            assert reader.parsed(0) == read_here(*UPLOADS[0])
            assert reader._pool is None

    def test_reading_runs_ahead_by_bytes_one_upload_at_least(self) -> None:
        with ReadAhead(UPLOADS, until=UNTIL, ahead_bytes=1) as reader:
            pool = _FailingPool(BrokenProcessPool("gone"))
            reader._pool = pool  # type: ignore[assignment]  # a stand-in records what is sent
            reader.parsed(0)
            assert pool.sent == [UPLOADS[1][0]]

    @pytest.mark.parametrize(
        "error",
        [BrokenProcessPool("the reading process died"), pickle.PicklingError("a zone")],
    )
    def test_what_the_second_process_could_not_return_is_read_here(
        self, error: BaseException
    ) -> None:
        with ReadAhead(UPLOADS, until=UNTIL) as reader:
            reader._pool = _FailingPool(error)  # type: ignore[assignment]  # see above
            found = [reader.parsed(n) for n in range(len(UPLOADS))]
        assert found == [parse_export(name, data, until=UNTIL) for name, data in UPLOADS]

    def test_a_reading_process_that_died_is_not_started_again(self) -> None:
        with ReadAhead(UPLOADS, until=UNTIL, ahead_bytes=1) as reader:
            pool = _FailingPool(BrokenProcessPool("the reading process died"))
            reader._pool = pool  # type: ignore[assignment]  # see above
            found = [reader.parsed(n) for n in range(len(UPLOADS))]
            assert reader._pool is None
        # Sent before it was found dead; the last upload never was.
        assert pool.sent == [UPLOADS[1][0], UPLOADS[2][0]]
        assert found == [parse_export(name, data, until=UNTIL) for name, data in UPLOADS]

    def test_records_pickle_as_they_were(self) -> None:
        for name, data in UPLOADS:
            results = read_here(name, data)
            assert pickle.loads(pickle.dumps(results)) == results  # noqa: S301  # our own bytes
