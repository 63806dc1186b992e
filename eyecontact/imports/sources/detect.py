"""Which export a file is, from its content, and the one entry point that parses any of them.

Detection looks at the bytes, not the file name (people rename files, and Excel re-saves keep
the name): a ``BEGIN:VCALENDAR``/``BEGIN:VCARD`` line, the ``window.YTD.`` prefix of X archive
files, a Facebook list key in JSON, or a CSV header line among the first lines. The name is used
only to break a tie (X follower vs following CSVs).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import BinaryIO

from eyecontact.imports.sources._text import TextFile, decode_text, first_line, split_header_line
from eyecontact.imports.sources.errors import ImportFileError
from eyecontact.imports.sources.formats import (
    HEADER_LINES,
    MIB,
    Upload,
    all_formats,
    expected_csv,
    get_format,
    header_format,
    refused_file,
    refused_header,
)
from eyecontact.imports.sources.records import ParseResult

__all__ = [
    "MAX_FILE_BYTES",
    "UNREADABLE",
    "detect_format",
    "format_names",
    "parse_file",
    "size_text",
    "stream_of",
]

# The largest export file of any kind; each format has its own, smaller limit (``max_bytes``
# in :mod:`.formats`): a few times the largest real export (LinkedIn lists at most 30,000
# connections, about 3 MB; Facebook at most 5,000 friends, under 1 MB; ten busy years of
# calendar are about 20 MB), and small enough that reading and importing the file stays under
# 1 GB of memory (see bench/results/imports-memory.md). What costs memory is the people a file
# holds, not its bytes, so a kind with short rows (a list of X account ids) gets a smaller limit
# than one with long rows (a calendar).
MAX_FILE_BYTES = 24 * MIB
_HEAD = 64 * 1024  # enough of a file to tell its kind

UNREADABLE = (
    "could not be read: it holds values Eye Contact cannot make sense of, so nothing was "
    "imported; export the file again, or open it to check that it is the export itself"
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def format_names() -> tuple[str, ...]:
    """The name of every format Eye Contact imports, in the order they are recognised."""
    return tuple(f.name for f in all_formats())


def size_text(size: int) -> str:
    """A size as people read it: ``1.5 MB``, ``64 MB``, ``820 bytes``."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < MIB:
        return f"{size / 1024:,.0f} KB"
    megabytes = size / MIB
    return (
        f"{megabytes:,.0f} MB"
        if megabytes >= 10 or megabytes.is_integer()
        else f"{megabytes:.1f} MB"
    )


def _check_size(file_name: str, size: int, head: bytes, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportFileError(
            file_name,
            None,
            f"the file is {size_text(size)}; the largest export Eye Contact reads is "
            f"{size_text(max_bytes)}",
        )
    if head.startswith(_ZIP_MAGIC):
        raise ImportFileError(
            file_name, None, "this is a zip archive; open it with the archive import"
        )


def stream_of(data: bytes | BinaryIO) -> tuple[BinaryIO, int]:
    """A seekable binary stream of an export and its size in bytes."""
    if isinstance(data, bytes):
        return io.BytesIO(data), len(data)
    size = data.seek(0, io.SEEK_END)
    data.seek(0)
    return data, size


def _detect_text(file_name: str, text: str) -> str:
    head = text.lstrip()[:4096]
    for import_format in all_formats():
        if import_format.sniff is not None and import_format.sniff(head):
            return import_format.name
    refusal = refused_file(head)
    if refusal is not None:
        raise ImportFileError(file_name, 1, refusal)
    for line in text.split("\n", HEADER_LINES)[:HEADER_LINES]:
        if not line.strip():
            continue
        _, cells = split_header_line(line.strip())
        refusal = refused_header(cells)
        if refusal is not None:
            raise ImportFileError(file_name, 1, refusal)
        found = header_format(cells)
        if found is not None:
            return found.name
    for import_format in all_formats():
        if import_format.last_resort is not None and import_format.last_resort(text):
            return import_format.name
    raise ImportFileError(
        file_name, 1, f"expected {expected_csv()} header; found: {first_line(text)!r}"
    )


def detect_format(
    file_name: str, data: bytes | BinaryIO, *, max_bytes: int = MAX_FILE_BYTES
) -> str:
    """The name of the file's format (:mod:`.formats`); :class:`ImportFileError` when it is
    none of them."""
    stream, size = stream_of(data)
    head = stream.read(_HEAD)
    _check_size(file_name, size, head, max_bytes)
    return _detect_text(file_name, decode_text(file_name, head, final=len(head) == size))


def parse_file(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    until: dt.datetime | None = None,
    owner_emails: Iterable[str] = (),
    max_bytes: int = MAX_FILE_BYTES,
) -> ParseResult:
    """Every record of one export file: its bytes, or a seekable binary stream of them, which
    is read as it goes (never whole into memory, but for JSON).

    ``until`` bounds calendar recurrences and drops future meetings (default: now);
    ``owner_emails`` are the user's own addresses, removed from calendar attendees.
    Raises only :class:`ImportFileError`.
    """
    try:
        return _parse(file_name, data, until=until, owner_emails=owner_emails, max_bytes=max_bytes)
    except ImportFileError:
        raise
    except RecursionError:
        raise ImportFileError(file_name, None, "the file is nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
        # A safety net: every parser validates what it reads, but an export we have never
        # seen must still end in a message for the user, not a crash of the import.
        raise ImportFileError(file_name, None, UNREADABLE) from None


def _parse(
    file_name: str,
    data: bytes | BinaryIO,
    *,
    until: dt.datetime | None,
    owner_emails: Iterable[str],
    max_bytes: int,
) -> ParseResult:
    stream, size = stream_of(data)
    head = stream.read(_HEAD)
    _check_size(file_name, size, head, max_bytes)
    # The kind its beginning shows, and its size refused for that kind before it is read.
    head_text = decode_text(file_name, head, final=len(head) == size)
    kind = _detect_text(file_name, head_text)
    _check_kind_size(file_name, size, kind, max_bytes)
    import_format = get_format(kind)
    assert import_format is not None  # noqa: S101  # detection names registered formats only
    return import_format.parse(
        Upload(
            file_name,
            TextFile.open(file_name, stream),
            head_text,
            until=until,
            owner_emails=tuple(owner_emails),
        )
    )


def _check_kind_size(file_name: str, size: int, kind: str, max_bytes: int) -> None:
    import_format = get_format(kind)
    limit = max_bytes if import_format is None else min(max_bytes, import_format.max_bytes)
    if size > limit:
        label = kind if import_format is None else import_format.file_label
        raise ImportFileError(
            file_name,
            None,
            f"the file is {size_text(size)}; the largest {label} Eye Contact "
            f"reads is {size_text(limit)}, a few times the largest real export",
        )
