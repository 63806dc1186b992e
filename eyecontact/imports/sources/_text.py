"""Bytes to text, and text to CSV rows, the way exports in the wild need it.

Decoding follows the byte-order mark when there is one (UTF-8, UTF-16 LE/BE: old Google CSV is
UTF-16 with a BOM), spots UTF-16 without one by its zero bytes, then tries UTF-8 and falls back
to Windows-1252 (Excel and Outlook on Windows save "ANSI"). Files with zero bytes or many
control characters are refused as binary.

CSV headers are found by scanning the first lines for one a caller recognises, because LinkedIn
puts a "Notes:" preamble before its header and Excel pads it with delimiters. The delimiter is
taken from the header line (``;`` in European Excel re-saves).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from eyecontact.imports.sources.errors import ImportFileError

__all__ = [
    "CUT_IN_QUOTED_VALUE",
    "CUT_IN_ROW",
    "MAX_COLUMNS",
    "Table",
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


def decode_text(file_name: str, data: bytes) -> str:
    """The text of an export file; raises :class:`ImportFileError` for binary or broken files."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = data[2:].decode(encoding)
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
                text = data.decode(encoding16)
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    file_name, None, f"not valid UTF-16 text at byte {exc.start}"
                ) from None
        else:
            try:
                text = data.decode("utf-8")
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


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file read from its header on: the header cells and an iterator of rows."""

    file_name: str
    kind: str
    header: tuple[str, ...]
    header_line: int
    delimiter: str
    rows: Iterator[tuple[int, list[str]]]

    def index(self, *names: str) -> int | None:
        """The column of the first of ``names`` present in the header (case-insensitive)."""
        for name in names:
            try:
                return self.header.index(name)
            except ValueError:
                continue
        return None


Classifier = Callable[[list[str]], str | None]


def find_header(text: str, classify: Classifier) -> tuple[str, int, str, list[str]] | None:
    """The kind, 0-based line index, delimiter and cells of the first recognised header line."""
    for index, line in enumerate(text.split("\n", HEADER_SCAN_LINES)[:HEADER_SCAN_LINES]):
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


def read_table(file_name: str, text: str, classify: Classifier, expected: str) -> Table:
    """The rows of a CSV export after its recognised header; raises when none is found."""
    found = find_header(text, classify)
    if found is None:
        raise ImportFileError(
            file_name, 1, f"expected {expected} header; found: {first_line(text)!r}"
        )
    kind, index, delimiter, cells = found
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            file_name,
            index + 1,
            f"the header has {len(cells)} columns; expected at most {MAX_COLUMNS}",
        )
    parts = text.split("\n", index + 1)
    body = parts[index + 1] if len(parts) > index + 1 else ""
    return Table(
        file_name=file_name,
        kind=kind,
        header=tuple(cells),
        header_line=index + 1,
        delimiter=delimiter,
        rows=_rows(file_name, body, delimiter, index + 1, tuple(cells)),
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


def _rows(
    file_name: str, body: str, delimiter: str, offset: int, header: tuple[str, ...]
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=False)
    previous_end = 0
    last: tuple[int, list[str]] | None = None  # where the last row began, and its cells
    while True:
        try:
            row = next(reader)
        except StopIteration:
            if last is not None:
                _refuse_cut_short(file_name, body, delimiter, offset, header, *last)
            return
        except csv.Error as exc:
            line = offset + reader.line_num
            raise ImportFileError(file_name, line, _csv_problem(exc)) from None
        start = offset + previous_end + 1
        last = (previous_end, row)
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
    body: str,
    delimiter: str,
    offset: int,
    header: tuple[str, ...],
    lines_before: int,
    row: list[str],
) -> None:
    """Raises when the file's last row shows that the file was cut off while it was written.

    A download or a copy that stopped early leaves a last row with fewer cells than the header
    and no line end, or a quoted value that is never closed (the lenient reader then takes the
    rest of the file as that value). Importing the rows before it would create a person from
    half a row and, for a connection list, mark everyone after it as removed.
    """
    if not any(cell.strip() for cell in row):
        return
    rest = io.StringIO(body, newline="")
    for _ in range(lines_before):
        rest.readline()
    text = rest.read()
    line = offset + lines_before + 1
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
