"""The one reader of content lines, the lines vCard and iCalendar files are made of.

vCard (RFC 6350, and the 2.1 and 3.0 cards phones still write) and iCalendar (RFC 5545) share
their syntax: ``group.NAME;PARAM=value;PARAM="quoted:value":value``, long lines folded by
starting the next line with a space or a tab. Both parsers read their files through
:func:`content_lines`, which streams them, a chunk of bytes at a time::

    bytes ──physical_lines()──▶ (number, line) ──unfold──▶ logical line ──split──▶ ContentLine
                                                                              └──▶ UnreadableLine

1. **Physical lines** end with CRLF, LF or a lone CR; they are numbered from 1 so that an error
   can name the line of the file a property starts on.
2. **Unfolding** works on bytes, because a fold (and a vCard 2.1 quoted-printable soft break,
   ``=`` at the end of a line) can fall inside a multi-byte UTF-8 character.
3. **Splitting** finds the colon that ends the name and parameters (colons inside quoted
   parameter values skipped), the optional group, and the parameters: quoted values keep their
   ``;`` and ``:``, RFC 6868 ``^n``/``^^``/``^'`` escapes are decoded, and a bare vCard 2.1
   ``TEL;CELL`` counts as ``TYPE=CELL``.

Values stay bytes until a parser asks for them (:meth:`ContentLine.text`, decoded with the
line's ``CHARSET`` and ``ENCODING``), so a base64 photo is never decoded unless wanted. Only
one logical line is held at a time: memory does not grow with the file.
"""

from __future__ import annotations

import base64
import binascii
import io
import quopri
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

__all__ = [
    "ContentLine",
    "UnreadableLine",
    "content_lines",
    "fold",
    "physical_lines",
    "unescape",
]

CHUNK_BYTES = 64 * 1024
_NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_ESCAPE = re.compile(r"\\([\\,;:nN])")
_CARET = re.compile(r"\^[\^n']")
_CARETS = {"^^": "^", "^n": "\n", "^'": '"'}
_NO_PARAMS: Mapping[str, list[str]] = {}
# Where a fold may go: RFC 5545 and 6350 ask for lines of at most 75 octets.
_FOLD_AT = 75


class ContentLine(NamedTuple):
    """One unfolded ``group.NAME;PARAM=VALUE:value`` line, with the line of the file it starts on.

    ``group`` is lower case ("" when there is none), ``name`` and parameter names upper case;
    each parameter keeps every value it was given, in order, unquoted. (A named tuple: a
    calendar is hundreds of thousands of lines, and a tuple is the quickest thing to make.)
    """

    line: int
    group: str
    name: str
    params: Mapping[str, list[str]]
    raw_value: bytes

    def param(self, key: str) -> str:
        """The first value of parameter ``key`` (upper case), or ""."""
        values = self.params.get(key)
        return values[0] if values else ""

    @property
    def types(self) -> set[str]:
        """The ``TYPE`` values, lower case, comma lists split (``TYPE=work,pref``)."""
        return {t.lower() for value in self.params.get("TYPE", []) for t in value.split(",")}

    def value_bytes(self) -> bytes:
        """The value's bytes, quoted-printable or base64 decoded as its ``ENCODING`` says."""
        encoding = self.param("ENCODING").upper() if self.params else ""
        if encoding == "QUOTED-PRINTABLE":
            return quopri.decodestring(self.raw_value)
        if encoding in ("B", "BASE64"):
            try:
                return base64.b64decode(b"".join(self.raw_value.split()), validate=False)
            except (binascii.Error, ValueError):
                return b""
        return self.raw_value

    def text(self) -> str:
        """The value as text (not unescaped), decoded with its ``CHARSET`` (UTF-8 by default);
        bytes that are not UTF-8 are read as Windows-1252, as Outlook writes them."""
        if not self.params:
            return _decoded(self.raw_value)
        data = self.value_bytes()
        charset = self.param("CHARSET")
        if charset:
            try:
                return data.decode(charset)
            except (LookupError, ValueError):  # unknown, undecodable, or not a name at all
                pass
        return _decoded(data)


@dataclass(frozen=True, slots=True)
class UnreadableLine:
    """A logical line that is not a content line (no name, or no colon after the parameters)."""

    line: int


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def unescape(value: str) -> str:
    """A TEXT value as written: ``\\n`` is a new line, ``\\,`` ``\\;`` ``\\:`` ``\\\\`` the
    character itself; any other backslash stays."""
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def fold(line: str) -> bytes:
    """A logical line as a file writes it: UTF-8, CRLF, folded every 75 octets (possibly inside
    a character, as some writers do; :func:`content_lines` joins them back)."""
    data = line.encode("utf-8")
    pieces = [data[:_FOLD_AT]]
    pieces += [b" " + data[at : at + _FOLD_AT - 1] for at in range(_FOLD_AT, len(data), 74)]
    return b"\r\n".join(pieces) + b"\r\n"


def physical_lines(source: BinaryIO | bytes) -> Iterator[bytes]:
    """The lines of a file without their line ends (CRLF, LF or CR), read a chunk at a time."""
    stream: BinaryIO = io.BytesIO(source) if isinstance(source, bytes) else source
    rest = b""
    while True:
        chunk = stream.read(CHUNK_BYTES)
        if not chunk:
            break
        lines = (rest + chunk).splitlines(keepends=True)
        rest = b""
        if not lines[-1].endswith(b"\n"):
            # Cut by the chunk, or a lone CR that may be the first half of a CRLF: it waits.
            rest = lines.pop()
        for line in lines:
            yield line.removesuffix(b"\n").removesuffix(b"\r")
    if rest:
        yield rest.removesuffix(b"\r")


def _logical_lines(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """Unfolded lines with the number of the physical line each starts on."""
    start = 0
    first = b""
    more: list[bytes] = []  # the folded parts after the first, when there are any
    for number, raw in enumerate(lines, start=1):
        if start:
            if raw[:1] in (b" ", b"\t"):
                more.append(raw[1:])
                continue
            last = more[-1] if more else first
            if last.endswith(b"=") and _quoted_printable(first, more):
                # vCard 2.1: a quoted-printable value goes on after a soft break ("=" at the end).
                if more:
                    more[-1] = last[:-1]
                else:
                    first = first[:-1]
                more.append(raw)
                continue
            if more:
                yield start, first + b"".join(more)
                more = []
            elif first:
                yield start, first
        first = raw
        start = number
    if more:
        yield start, first + b"".join(more)
    elif start and first:
        yield start, first


def _quoted_printable(first: bytes, more: list[bytes]) -> bool:
    head = (first + b"".join(more))[:1000] if more and len(first) < 1000 else first[:1000]
    colon = _value_start(head)
    return colon > 0 and b"QUOTED-PRINTABLE" in head[:colon].upper()


def _value_start(line: bytes) -> int:
    """The index of the colon that ends the name and parameters, or -1."""
    colon = line.find(b":")
    if colon < 0 or b'"' not in line[:colon]:
        return colon
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return -1


def _split_params(head: str) -> list[str]:
    """``NAME;A=1;B="x;y"`` split on the semicolons outside quotes."""
    if '"' not in head:
        return head.split(";")
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _param_value(value: str) -> str:
    value = value.strip().replace('"', "")
    if "^" in value:  # RFC 6868: ^^, ^n and ^' stand for ^, a new line and "
        value = _CARET.sub(lambda m: _CARETS[m.group(0)], value)
    return value


def _content_line(number: int, raw: bytes) -> ContentLine | UnreadableLine:
    colon = _value_start(raw)
    if colon <= 0:
        return UnreadableLine(number)
    head = _decoded(raw[:colon])
    if ";" not in head:
        match = _NAME.fullmatch(head)
        if match is None:
            return UnreadableLine(number)
        return ContentLine(
            number,
            (match.group(1) or "").lower(),
            match.group(2).upper(),
            _NO_PARAMS,
            raw[colon + 1 :],
        )
    parts = _split_params(head)
    match = _NAME.fullmatch(parts[0].strip())
    if match is None:
        return UnreadableLine(number)
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, value = part.partition("=")
        if not equals:
            key, value = "TYPE", key  # vCard 2.1: TEL;CELL;VOICE
        params.setdefault(key.strip().upper(), []).append(_param_value(value))
    return ContentLine(
        number, (match.group(1) or "").lower(), match.group(2).upper(), params, raw[colon + 1 :]
    )


def content_lines(source: BinaryIO | bytes) -> Iterator[ContentLine | UnreadableLine]:
    """Every logical line of a vCard or iCalendar file, in order, read as the file streams in.

    ``source`` is the file's bytes or a binary stream of them, in UTF-8 (or an 8-bit charset
    that a line's ``CHARSET`` names; UTF-16 must be recoded first). Empty lines are passed over.
    """
    for number, raw in _logical_lines(physical_lines(source)):
        yield _content_line(number, raw)
