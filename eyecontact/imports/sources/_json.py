"""JSON loading with errors that point at the line, shared by the Facebook and X parsers."""

from __future__ import annotations

import json

from eyecontact.imports.sources.errors import ImportFileError

__all__ = ["load_json"]


def load_json(file_name: str, text: str, *, line_offset: int = 0) -> object:
    """The parsed document; :class:`ImportFileError` with the line of the first JSON error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            file_name, exc.lineno + line_offset, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except RecursionError:
        raise ImportFileError(file_name, None, "invalid JSON: nested too deeply") from None
