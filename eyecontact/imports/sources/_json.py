"""JSON loading with errors that point at the line, shared by the Facebook and X parsers.

A list of entries can be read one entry at a time (:func:`json_list_entries`): a heavy user's
X follower list is a hundred thousand small objects, and each is dropped as soon as it has
become a record instead of all of them living at once as one document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from eyecontact.imports.sources.errors import ImportFileError

__all__ = ["json_list_entries", "load_json"]

_SPACE = re.compile(r"[ \t\n\r]*")


# Digits past which a JSON number is kept as its text: no id, count or date in an export is
# that long, and Python refuses to turn numbers of over 4,300 digits into integers at all.
MAX_NUMBER_DIGITS = 40


def _number(text: str) -> int | str:
    return int(text) if len(text) <= MAX_NUMBER_DIGITS else text


def load_json(file_name: str, text: str, *, line_offset: int = 0) -> object:
    """The parsed document; :class:`ImportFileError` with the line of the first JSON error.

    A number too long to be a value of an export stays a string, which the parsers then
    treat as the unreadable value it is."""
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            file_name, exc.lineno + line_offset, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise ImportFileError(file_name, None, "invalid JSON: nested too deeply") from None


def json_list_entries(file_name: str, text: str, start: int = 0) -> Iterator[object]:
    """The entries of the JSON list that begins at ``start`` in ``text``, one at a time; only
    white space may follow the list. Errors name the line of the file, as :func:`load_json`'s."""
    decoder = json.JSONDecoder(parse_int=_number)
    at = _skip(text, start)
    if text[at : at + 1] != "[":
        _invalid(file_name, text, at, "Expecting '['")
    at = _skip(text, at + 1)
    if text[at : at + 1] == "]":
        at = _skip(text, at + 1)
    else:
        while True:
            try:
                entry, at = decoder.raw_decode(text, at)
            except json.JSONDecodeError as exc:
                raise ImportFileError(
                    file_name, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
                ) from None
            except RecursionError:
                raise ImportFileError(file_name, None, "invalid JSON: nested too deeply") from None
            yield entry
            at = _skip(text, at)
            separator = text[at : at + 1]
            if separator not in (",", "]"):
                _invalid(file_name, text, at, "Expecting ',' delimiter")
            at = _skip(text, at + 1)
            if separator == "]":
                break
    if at < len(text):
        _invalid(file_name, text, at, "Extra data")


def _skip(text: str, at: int) -> int:
    """Past the JSON white space at ``at``."""
    space = _SPACE.match(text, at)
    return space.end() if space else at


def _invalid(file_name: str, text: str, at: int, message: str) -> None:
    error = json.JSONDecodeError(message, text, at)
    raise ImportFileError(
        file_name, error.lineno, f"invalid JSON: {message} (column {error.colno})"
    )
