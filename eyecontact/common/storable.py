"""Values no database column can hold, refused at every door before they reach one.

SQLite's INTEGER and PostgreSQL's bigint hold 64-bit signed integers: a larger id or offset made
SQLite raise ``OverflowError`` and PostgreSQL "bigint out of range". Text is stored as UTF-8, which
has no encoding for an unpaired UTF-16 surrogate (JSON's ``"\\ud800"``): writing one raised
``UnicodeEncodeError``. PostgreSQL's text cannot hold the NUL character (``"\\u0000"``) at all
(psycopg raised ``ValueError``); Django's form fields refuse it already. The API
(:func:`eyecontact.common.api.guard_operations`) and the web forms' base class refuse them all
with :func:`storable_problem`'s message, naming the field.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

__all__ = [
    "DB_INT_MAX",
    "DB_INT_MIN",
    "INT_OUT_OF_RANGE",
    "NUL_CHARACTER",
    "UNPAIRED_SURROGATE",
    "storable_problem",
    "validate_storable",
]

# The range of a 64-bit signed integer: SQLite's INTEGER and PostgreSQL's bigint.
DB_INT_MIN = -(2**63)
DB_INT_MAX = 2**63 - 1
INT_OUT_OF_RANGE = f"Must be a whole number from {DB_INT_MIN} to {DB_INT_MAX}."
UNPAIRED_SURROGATE = (
    "Holds an unpaired surrogate (\\u{code:04x}), which is not a character: send the text as "
    "valid UTF-8, or a character beyond U+FFFF as a pair of surrogates."
)
NUL_CHARACTER = "Holds a NUL character (\\u0000), which text in a database cannot hold."
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_problem(value: Any) -> str | None:
    """Why a single value (an integer or a text) cannot be stored, or None when it can."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return None if DB_INT_MIN <= value <= DB_INT_MAX else INT_OUT_OF_RANGE
    if isinstance(value, str) and (found := _SURROGATE.search(value)):
        return UNPAIRED_SURROGATE.format(code=ord(found.group()))
    if isinstance(value, str) and "\x00" in value:
        return NUL_CHARACTER
    return None


def validate_storable(value: Any) -> None:
    """A Django validator: an integer or a text (or a list of them) the database can hold."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if problem := storable_problem(item):
            raise ValidationError(problem, code="not_storable")
