"""Text written into CSV files that people open in spreadsheets."""

from __future__ import annotations

__all__ = ["formula_safe"]

# A cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Keeps a spreadsheet from running a name or note that starts like a formula."""
    return "'" + text if text[:1] in _FORMULA_STARTS else text
