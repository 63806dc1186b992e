"""A fuzzing entry point for the export parsers (atheris-compatible).

Run with ``python -m eyecontact.imports.sources.fuzz`` after ``pip install atheris``. Any
exception other than :class:`ImportFileError` is a bug: a file a user uploads must end in a
readable message, never a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys

from eyecontact.imports.sources.archive import iter_archive
from eyecontact.imports.sources.detect import detect_format, parse_file
from eyecontact.imports.sources.errors import ImportFileError

__all__ = ["TestOneInput"]

_UNTIL = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def TestOneInput(data: bytes) -> None:  # noqa: N802  # the name atheris looks for
    """Feed one input to detection, the parsers and the archive reader."""
    for call in (
        lambda: detect_format("fuzz.bin", data),
        lambda: parse_file("fuzz.bin", data, until=_UNTIL, owner_emails=("me@example.net",)),
        lambda: list(iter_archive("fuzz.zip", data)),
    ):
        with contextlib.suppress(ImportFileError):
            call()


if __name__ == "__main__":
    import atheris  # optional: installed only for fuzzing runs

    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
