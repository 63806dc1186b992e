"""Bytes to text, and text to CSV rows, the way exports in the wild need it.

Decoding follows the byte-order mark when there is one (UTF-8, UTF-16 LE/BE: old Google CSV is
UTF-16 with a BOM), spots UTF-16 without one by its zero bytes, then tries UTF-8 and falls back
to Windows-1252 (Excel and Outlook on Windows save "ANSI"). Files with zero bytes or many
control characters are refused as binary.

A file is read as a stream (:class:`TextFile`): its encoding is settled by one pass over its
bytes, then its lines are decoded as they are read, so a file is never held as bytes and text
at once; a CSV file goes row by row, and can be read again from the start (LinkedIn's date
column is looked at first, to choose how its dates are written).

CSV headers are found by scanning the first lines for one a caller recognises, because LinkedIn
puts a "Notes:" preamble before its header and Excel pads it with delimiters. The delimiter is
taken from the header line (``;`` in European Excel re-saves).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from eyecontact.imports.sources.errors import ImportFileError

__all__ = [
    "CUT_IN_QUOTED_VALUE",
    "CUT_IN_ROW",
    "MAX_COLUMNS",
    "Table",
    "TextFile",
    "clean",
    "decode_text",
    "line_of_offset",
    "read_table",
    "split_header_line",
]

MAX_COLUMNS = 500
HEADER_SCAN_LINES = 15
_BINARY_HINT = "expected a text export (CSV, JSON, JavaScript, vCard or iCalendar)"
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
CUT_IN_QUOTED_VALUE = (
    "the file ends inside a quoted value, so it was cut short; nothing was imported. "
    "Export or download it again."
)
CUT_IN_ROW = (
    "the file ends in the middle of a row ({cells} of {columns} columns), so it was cut short; "
    "nothing was imported. Export or download it again."
)


def line_of_offset(data: bytes | str, offset: int) -> int:
    """The 1-based line number of a byte or character offset."""
    if isinstance(data, bytes):
        return data.count(b"\n", 0, offset) + 1
    return data.count("\n", 0, offset) + 1


def _utf16_without_bom(sample: bytes) -> str | None:
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd_zeros > half * 0.4 and even_zeros == 0:
        return "utf-16-le"
    if even_zeros > half * 0.4 and odd_zeros == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, final: bool) -> str:
    return codecs.getincrementaldecoder(encoding)().decode(data, final=final)


def decode_text(file_name: str, data: bytes, *, final: bool = True) -> str:
    """The text of an export file; raises :class:`ImportFileError` for binary or broken files.

    ``final=False`` reads the first bytes of a longer file: a character cut at their end is
    left out instead of making them unreadable."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = _decode(data[2:], encoding, final)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                file_name, None, f"not valid UTF-16 text at byte {exc.start + 2}"
            ) from None
    else:
        sample = data[:8192]
        if b"\x00" in sample:
            encoding16 = _utf16_without_bom(sample)
            if encoding16 is None:
                raise ImportFileError(file_name, None, f"binary file; {_BINARY_HINT}")
            try:
                text = _decode(data, encoding16, final)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    file_name, None, f"not valid UTF-16 text at byte {exc.start}"
                ) from None
        else:
            try:
                text = _decode(data, "utf-8", final)
            except UnicodeDecodeError:
                # Excel and Outlook on Windows save "ANSI" (Windows-1252); Latin-1 never fails.
                try:
                    text = data.decode("cp1252")
                except UnicodeDecodeError:
                    text = data.decode("latin-1")
    text = text.removeprefix("\ufeff")
    head = text[:4096]
    if head and ("\x00" in head or len(_CONTROL.findall(head)) > max(8, len(head) // 20)):
        raise ImportFileError(file_name, None, f"binary file; {_BINARY_HINT}")
    return text


_SCAN_BYTES = 1024 * 1024


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    """Whether the whole stream decodes in ``encoding``, read a megabyte at a time."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(_SCAN_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class TextFile:
    """A text export read from a binary stream, in the encoding :meth:`open` settles on.

    The stream must be seekable: :meth:`lines` reads it again from the start each time.
    """

    file_name: str
    stream: BinaryIO = field(repr=False)
    encoding: str

    @classmethod
    def open(cls, file_name: str, stream: BinaryIO) -> TextFile:
        """The rules of :func:`decode_text`, without reading the file into memory; raises
        :class:`ImportFileError` for binary files."""
        stream.seek(0)
        head = stream.read(8192)
        if head.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
        elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
            encoding = "utf-16"  # the codec reads the byte-order mark and drops it
        elif b"\x00" in head:
            found = _utf16_without_bom(head)
            if found is None:
                raise ImportFileError(file_name, None, f"binary file; {_BINARY_HINT}")
            encoding = found
        elif _decodes(stream, "utf-8"):
            encoding = "utf-8"
        else:
            # Excel and Outlook on Windows save "ANSI" (Windows-1252); Latin-1 never fails.
            encoding = "cp1252" if _decodes(stream, "cp1252") else "latin-1"
        first = head.decode(encoding, errors="replace").removeprefix("\ufeff")[:4096]
        if first and ("\x00" in first or len(_CONTROL.findall(first)) > max(8, len(first) // 20)):
            raise ImportFileError(file_name, None, f"binary file; {_BINARY_HINT}")
        return cls(file_name, stream, encoding)

    def lines(self) -> Iterator[str]:
        """The file's lines from the start, each with its line end (CSV reads them so)."""
        with self._reader() as reader:
            first = True
            for line in reader:
                if first:
                    line = line.removeprefix("\ufeff")
                    first = False
                yield line

    def read(self) -> str:
        """The whole text, in one piece (for JSON, which is read as one document)."""
        with self._reader() as reader:
            return reader.read().removeprefix("\ufeff")

    @contextlib.contextmanager
    def _reader(self) -> Iterator[io.TextIOWrapper]:
        self.stream.seek(0)
        # A file marked UTF-8 by its byte-order mark is read as UTF-8 whatever it holds.
        errors = "replace" if self.encoding == "utf-8-sig" else "strict"
        reader = io.TextIOWrapper(self.stream, encoding=self.encoding, errors=errors, newline="")
        try:
            yield reader
        except UnicodeDecodeError:
            raise ImportFileError(
                self.file_name, None, f"not valid {self.encoding.upper()} text"
            ) from None
        finally:
            # The stream stays open (it is read again, and closed by its owner), unless its
            # owner closed it first, while these lines were left half read.
            with contextlib.suppress(ValueError):
                reader.detach()

    def utf8(self) -> BinaryIO:
        """The file as UTF-8 bytes (or its 8-bit bytes as they are), for content-line readers
        that work on bytes: UTF-16 is recoded as it is read, a UTF-8 byte-order mark skipped."""
        if self.encoding == "utf-8-sig":
            self.stream.seek(3)
            return self.stream
        if self.encoding.startswith("utf-16"):
            self.stream.seek(0)
            return codecs.EncodedFile(self.stream, "utf-8", self.encoding)
        self.stream.seek(0)
        return self.stream


def text_lines(text: str) -> Iterator[str]:
    """The lines of a text, each with its line end, as :meth:`TextFile.lines` gives them."""
    return iter(io.StringIO(text, newline=""))


def clean(value: str) -> str:
    """Whitespace trimmed and collapsed; invisible format characters left alone."""
    if not value:
        return ""
    return _SPACES.sub(" ", value).strip()


def _header_key(cell: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", cell).replace("\ufeff", "").split()).lower()


def split_header_line(line: str) -> tuple[str, list[str]]:
    """The delimiter of a header line and its cells, normalised for lookup (lower case)."""
    delimiter = max((",", ";", "\t"), key=line.count)
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        cells = line.split(delimiter)
    return delimiter, [_header_key(c) for c in cells]


Lines = Callable[[], Iterator[str]]


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file read from its header on: the header cells, and its rows each time
    :attr:`rows` is asked for (the file is read again from the start, row by row)."""

    file_name: str
    kind: str
    header: tuple[str, ...]
    header_line: int
    delimiter: str
    lines: Lines = field(repr=False, compare=False)

    @property
    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` of every row after the header, read as the file streams in."""
        lines = self.lines()
        for _ in range(self.header_line):
            next(lines, None)
        return _rows(self.file_name, lines, self.delimiter, self.header_line, self.header)

    def index(self, *names: str) -> int | None:
        """The column of the first of ``names`` present in the header (case-insensitive)."""
        for name in names:
            try:
                return self.header.index(name)
            except ValueError:
                continue
        return None


Classifier = Callable[[list[str]], str | None]


def _head_lines(lines: Iterable[str]) -> list[str]:
    head: list[str] = []
    for line in lines:
        head.append(line)
        if len(head) == HEADER_SCAN_LINES:
            break
    return head


def find_header(text: str, classify: Classifier) -> tuple[str, int, str, list[str]] | None:
    """The kind, 0-based line index, delimiter and cells of the first recognised header line."""
    return _find_header(_head_lines(text_lines(text)), classify)


def _find_header(
    head: Iterable[str], classify: Classifier
) -> tuple[str, int, str, list[str]] | None:
    for index, line in enumerate(head):
        stripped = line.strip()
        if not stripped:
            continue
        delimiter, cells = split_header_line(stripped)
        kind = classify(cells)
        if kind is not None:
            return kind, index, delimiter, cells
    return None


def first_line(text: str) -> str:
    for line in text.split("\n", HEADER_SCAN_LINES)[:HEADER_SCAN_LINES]:
        if line.strip():
            shown = line.strip()
            return shown if len(shown) <= 120 else shown[:117] + "..."
    return "(empty file)"


def read_table(file_name: str, text: str | TextFile, classify: Classifier, expected: str) -> Table:
    """The CSV export after its recognised header (found among the first lines); raises when
    there is none. ``text`` is the file's text, or the file itself, read as a stream."""
    lines: Lines = text.lines if isinstance(text, TextFile) else lambda: text_lines(text)
    stream = lines()
    try:
        head = _head_lines(stream)
    finally:
        stream.close()  # type: ignore[attr-defined]  # a generator, or a StringIO iterator
    found = _find_header(head, classify)
    if found is None:
        raise ImportFileError(
            file_name, 1, f"expected {expected} header; found: {first_line(''.join(head))!r}"
        )
    kind, index, delimiter, cells = found
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            file_name,
            index + 1,
            f"the header has {len(cells)} columns; expected at most {MAX_COLUMNS}",
        )
    return Table(
        file_name=file_name,
        kind=kind,
        header=tuple(cells),
        header_line=index + 1,
        delimiter=delimiter,
        lines=lines,
    )


def _csv_problem(error: csv.Error) -> str:
    """What a CSV reading error means, in the user's words rather than the csv module's."""
    text = str(error)
    if "field limit" in text:
        return (
            f"a value in this row is longer than {csv.field_size_limit():,} characters; "
            "a quote that is never closed makes the rest of the file one value"
        )
    return "this row cannot be read as CSV; the file may be damaged"


class _Held:
    """The lines a CSV reader takes, the lines of the row it is reading kept aside."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines
        self.row: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.row.append(line)
        return line


def _rows(
    file_name: str, lines: Iterator[str], delimiter: str, offset: int, header: tuple[str, ...]
) -> Iterator[tuple[int, list[str]]]:
    held = _Held(lines)
    reader = csv.reader(held, delimiter=delimiter, strict=False)
    previous_end = 0
    last: tuple[int, list[str]] | None = None  # where the last row began, and its cells
    last_lines: list[str] = []  # the lines of the last row, as written
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if last is not None:
                text = "".join(last_lines + held.row)
                _refuse_cut_short(file_name, text, delimiter, header, *last)
            return
        except csv.Error as exc:
            line = offset + reader.line_num
            raise ImportFileError(file_name, line, _csv_problem(exc)) from None
        start = offset + previous_end + 1
        last = (start, row)
        last_lines, held.row = held.row, []
        previous_end = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) > MAX_COLUMNS:
            raise ImportFileError(
                file_name, start, f"the row has {len(row)} cells; expected at most {MAX_COLUMNS}"
            )
        if (
            len(row) == len(header)
            and _header_key(row[0]) == header[0]
            and [_header_key(c) for c in row] == list(header)
        ):
            continue  # a header repeated in the middle of a sorted file
        yield start, row


def _refuse_cut_short(
    file_name: str,
    text: str,
    delimiter: str,
    header: tuple[str, ...],
    line: int,
    row: list[str],
) -> None:
    """Raises when the file's last row shows that the file was cut off while it was written.

    A download or a copy that stopped early leaves a last row with fewer cells than the header
    and no line end, or a quoted value that is never closed (the lenient reader then takes the
    rest of the file as that value). Importing the rows before it would create a person from
    half a row and, for a connection list, mark everyone after it as removed. ``text`` is the
    last row as the file wrote it, which runs to the end of the file.
    """
    if not any(cell.strip() for cell in row):
        return
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise ImportFileError(file_name, line, CUT_IN_QUOTED_VALUE) from None
    if not text.endswith(("\n", "\r")) and len(row) < len(header):
        raise ImportFileError(
            file_name, line, CUT_IN_ROW.format(cells=len(row), columns=len(header))
        )
