"""JSON loading with errors that point at the line, shared by the Facebook and X parsers."""

from __future__ import annotations

import json

from eyecontact.imports.sources.errors import ImportFileError

__all__ = ["load_json"]


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
