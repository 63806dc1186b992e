"""The one way Eye Contact writes CSV files, which people open in spreadsheet programs.

Every download (vetting, churn, exhibit leads, insights and chart numbers) goes through
``csv_lines``: a row at a time, so a long list streams, with every text cell made formula-safe,
so a name such as ``=HYPERLINK(...)`` that an export brought in is shown, never run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

__all__ = ["csv_lines", "csv_text", "formula_safe"]

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A signed plain number (a phone number such as +49 151 2345678) calls nothing when a spreadsheet
# reads it, and a CRM importing leads wants it as it is.
_PLAIN_NUMBER = re.compile(r"[+-]\d[\d .]*")


def formula_safe(text: str) -> str:
    """Keeps a spreadsheet from running a name or note that starts like a formula."""
    if text[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _cell(value: object) -> object:
    # Numbers stay numbers (a spreadsheet reads -3 as minus three, not as a formula); any text,
    # whatever field it came from, is made safe; a missing value is an empty cell.
    if value is None:
        return ""
    if isinstance(value, str):
        return formula_safe(value)
    return value


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """Each row as one CSV line (``\\r\\n``-terminated), header included when the rows have one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in row])
        yield buffer.getvalue()


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """A whole (short) CSV file as one text."""
    return "".join(csv_lines(rows))
