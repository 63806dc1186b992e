"""Properties every export parser keeps on any input, archives, purity and speed."""

from __future__ import annotations

import ast
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eyecontact.imports import sources
from eyecontact.imports.sources import (
    ImportFileError,
    detect_format,
    fuzz,
    iter_archive,
    parse_archive,
    parse_file,
)
from eyecontact.imports.sources import detect as detect_module
from eyecontact.imports.sources._text import decode_text
from eyecontact.imports.sources.facebook import parse_facebook
from eyecontact.imports.sources.ical import parse_ical
from eyecontact.imports.sources.vcard import parse_vcard
from eyecontact.imports.sources.x import parse_x_archive

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = Path(sources.__file__).parent
UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SAMPLES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
SAMPLE_BYTES = [p.read_bytes() for p in SAMPLES]
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def only_import_file_errors(call: Callable[[], object]) -> None:
    try:
        call()
    except ImportFileError as exc:
        assert exc.file
        assert str(exc).startswith(exc.file)


def unguarded(name: str, data: bytes) -> None:
    """The parsers without the safety net of ``parse_file``: a crash here is a real bug."""
    detect_module._parse(
        name, data, until=UNTIL, owner_emails=("me@example.net",), max_bytes=1 << 30
    )


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "repeat"]))
        if operation == "flip":
            data[at] = draw(st.integers(0, 255))
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif operation == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [b"\r\n", b"\n ", b'"', b",", b";", b":", b"=", b"\x00", b"\xff\xfe", b"\\"]
                )
                | st.binary(max_size=20)
            )
        elif operation == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


class TestAnyInput:
    @PROPERTY_SETTINGS
    @given(st.binary(max_size=2000))
    def test_random_bytes_only_raise_import_file_error(self, data: bytes) -> None:
        only_import_file_errors(lambda: detect_format("upload", data))
        only_import_file_errors(lambda: unguarded("upload", data))
        only_import_file_errors(lambda: list(iter_archive("upload.zip", data)))

    @PROPERTY_SETTINGS
    @given(mutated_sample())
    def test_mutated_exports_only_raise_import_file_error(self, data: bytes) -> None:
        only_import_file_errors(lambda: detect_format("upload", data))
        only_import_file_errors(lambda: unguarded("upload", data))

    @PROPERTY_SETTINGS
    @given(mutated_sample())
    def test_every_parser_takes_any_text(self, data: bytes) -> None:
        text = data.decode("utf-8", errors="replace")
        only_import_file_errors(lambda: parse_vcard("f.vcf", data))
        only_import_file_errors(lambda: parse_ical("f.ics", text, until=UNTIL))
        only_import_file_errors(lambda: parse_facebook("f.json", text))
        only_import_file_errors(lambda: parse_x_archive("f.js", text))
        only_import_file_errors(lambda: decode_text("f", data))

    @PROPERTY_SETTINGS
    @given(st.text(max_size=300))
    def test_any_vcard_or_calendar_property_value(self, value: str) -> None:
        card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{value}\r\nEMAIL:{value}\r\nEND:VCARD\r\n"
        only_import_file_errors(lambda: unguarded("f.vcf", card.encode("utf-8", "replace")))
        event = (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20250101T100000Z\r\n"
            f"RRULE:{value}\r\nLOCATION:{value}\r\nATTENDEE;CN={value}:mailto:{value}\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        only_import_file_errors(lambda: unguarded("f.ics", event.encode("utf-8", "replace")))

    def test_fuzz_entry_point_accepts_anything(self) -> None:
        for data in [b"", b"\x00", *SAMPLE_BYTES]:
            fuzz.TestOneInput(data)

    @pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: str(p.relative_to(FIXTURES)))
    def test_records_are_frozen_and_point_at_their_line(self, sample: Path) -> None:
        try:
            result = parse_file(sample.name, sample.read_bytes(), until=UNTIL)
        except ImportFileError:
            return
        for record in result.records:
            assert record.file_name == sample.name
            assert record.line >= 1
            with pytest.raises(AttributeError):
                record.line = 0  # type: ignore[misc]


def build_zip(members: dict[str, bytes], name: str = "export.zip") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return buffer.getvalue()


class TestArchives:
    def test_yields_the_files_we_read_from_an_x_archive(self) -> None:
        data = build_zip(
            {
                "data/follower.js": (FIXTURES / "x/follower.js").read_bytes(),
                "data/following.js": (FIXTURES / "x/following.js").read_bytes(),
                "data/account.js": (FIXTURES / "x/account.js").read_bytes(),
                "data/tweets.js": b"window.YTD.tweets.part0 = []",
                "data/manifest.js": b'window.__THAR_CONFIG = {"archiveInfo" : '
                b'{"generationDate" : "2026-03-02T10:15:00.000Z"}}',
                "__MACOSX/data/._follower.js": b"\x00\x05",
            }
        )
        paths = [m.path for m in iter_archive("twitter-2026-03-02-abc.zip", data)]
        assert paths == ["data/follower.js", "data/following.js", "data/account.js"]
        results = parse_archive("twitter-2026-03-02-abc.zip", data, until=UNTIL)
        assert [r.format for r in results] == ["x_follower", "x_following", "x_account"]
        assert {r.snapshot_date for r in results} == {dt.date(2026, 3, 2)}
        assert results[0].file_name == "twitter-2026-03-02-abc.zip/data/follower.js"

    def test_dates_a_linkedin_archive_from_its_name(self) -> None:
        data = build_zip(
            {
                "Connections.csv": (FIXTURES / "linkedin/Connections.csv").read_bytes(),
                "Invitations.csv": (FIXTURES / "linkedin/Invitations.csv").read_bytes(),
                "messages.csv": (FIXTURES / "linkedin/messages.csv").read_bytes(),
            }
        )
        results = parse_archive("Basic_LinkedInDataExport_03-02-2026.zip", data, until=UNTIL)
        assert [r.format for r in results] == ["linkedin_connections", "linkedin_invitations"]
        assert results[0].snapshot_date == dt.date(2026, 3, 2)

    def test_reads_a_facebook_archive(self) -> None:
        data = build_zip(
            {
                "connections/friends/your_friends.json": (
                    FIXTURES / "facebook/your_friends.json"
                ).read_bytes(),
                "connections/friends/removed_friends.json": b'{"deleted_friends_v2": []}',
            }
        )
        [result] = parse_archive("facebook-morgan.zip", data, until=UNTIL)
        assert len(result.contacts) == 20

    @pytest.mark.parametrize("cut", [10, 100, -30])
    def test_a_truncated_zip_names_the_file(self, cut: int) -> None:
        data = build_zip({"Connections.csv": (FIXTURES / "linkedin/Connections.csv").read_bytes()})
        with pytest.raises(ImportFileError) as caught:
            list(iter_archive("Basic_LinkedInDataExport.zip", data[:cut]))
        assert str(caught.value).startswith("Basic_LinkedInDataExport.zip")

    def test_a_corrupt_member_names_the_file(self) -> None:
        data = bytearray(build_zip({"Connections.csv": b"First Name," * 2000}))
        middle = len(data) // 3
        data[middle : middle + 20] = b"\x00" * 20
        with pytest.raises(ImportFileError, match=r"^export\.zip"):
            list(iter_archive("export.zip", bytes(data)))

    def test_stops_a_zip_bomb(self) -> None:
        data = build_zip({"Connections.csv": b"\x00" * 5_000_000})
        assert len(data) < 20_000
        with pytest.raises(ImportFileError, match="unpacks to more than"):
            list(iter_archive("bomb.zip", data, max_total_bytes=1_000_000))

    def test_refuses_too_many_members(self) -> None:
        data = build_zip({f"f{i}.txt": b"" for i in range(30)})
        with pytest.raises(ImportFileError, match="expected at most 20"):
            list(iter_archive("many.zip", data, max_members=20))


FORBIDDEN_ROOTS = ("django", "eyecontact")
# The matching core is pure too: its identity normalising and its shared-mailbox test.
ALLOWED = (
    "eyecontact.matching.normalize",
    "eyecontact.matching.organizations",
    "eyecontact.imports.sources",
)


def forbidden_imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            root = name.split(".")[0]
            allowed = any(name == a or name.startswith(a + ".") for a in ALLOWED)
            if root in FORBIDDEN_ROOTS and not allowed:
                found.append(f"{path.name}:{getattr(node, 'lineno', 0)} imports {name}")
    return found


class TestPurity:
    def test_the_parsers_import_neither_django_nor_other_apps(self) -> None:
        files = sorted(SOURCES.glob("*.py"))
        assert len(files) >= 10
        assert [f for path in files for f in forbidden_imports(path)] == []

    def test_the_check_catches_a_forbidden_import(self, tmp_path: Path) -> None:
        module = tmp_path / "bad.py"
        module.write_text("import django\nfrom eyecontact.people.models import Person\n")
        assert len(forbidden_imports(module)) == 2


class TestLargeExports:
    """The largest exports users bring parse whole; their speed is measured in bench/."""

    def test_reads_30000_linkedin_connections(self) -> None:
        head = (FIXTURES / "linkedin/Connections.csv").read_bytes().split(b"\n")[:4]
        rows = [
            f'First{i},"Last{i}, PhD",https://www.linkedin.com/in/person-{i},'
            f'p{i}@mail.example,"Company {i}, Inc.",Engineer,{1 + i % 28:02d} Mar 2024'.encode()
            for i in range(30_000)
        ]
        data = b"\n".join(head + rows)
        result = parse_file("Connections.csv", data)
        assert len(result.contacts) == 30_000
        assert result.contacts[-1].family_name == "Last29999"

    def test_reads_100000_x_followers(self) -> None:
        entries = ",\n".join(
            f'  {{\n    "follower" : {{\n      "accountId" : "{10**15 + i}",\n'
            f'      "userLink" : "https://x.com/intent/user?user_id={10**15 + i}"\n    }}\n  }}'
            for i in range(100_000)
        )
        data = f"window.YTD.follower.part0 = [\n{entries}\n]".encode()
        result = parse_file("follower.js", data)
        assert len(result.contacts) == 100_000
        assert result.contacts[-1].x_account_id == str(10**15 + 99_999)
