"""Model instances from rows a plain statement read, as the ORM itself would have built them.

A request the booth's phones make hundreds of times a second cannot afford the ORM's query
building: for a one-row lookup it costs several times what the database takes to run it. Such a
lookup is written once as SQL (names from the models, every value a parameter), and its row is
turned back into a model here, through the same converters the ORM applies (SQLite's text
becomes an aware datetime, its 1 a boolean).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import models

__all__ = ["columns", "from_row"]

M = TypeVar("M", bound=models.Model)

# (model, database vendor) -> [(index, converter, column expression)]
_CONVERTERS: dict[tuple[type[models.Model], str], list[tuple[int, Any, Any]]] = {}


def columns(model: type[models.Model], alias: str) -> str:
    """The SELECT list of ``model``'s columns under the table alias ``alias``, in the order
    :func:`from_row` takes them."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


def from_row(model: type[M], connection: Any, values: Sequence[Any]) -> M:
    """The instance of ``model`` whose columns (as :func:`columns` lists them) are ``values``."""
    converted = list(values)
    for index, convert, column in _converters(model, connection):
        converted[index] = convert(converted[index], column, connection)
    return model.from_db(
        connection.alias, [field.attname for field in model._meta.concrete_fields], converted
    )


def _converters(model: type[models.Model], connection: Any) -> list[tuple[int, Any, Any]]:
    key = (model, connection.vendor)
    if key not in _CONVERTERS:
        expressions = [field.get_col(model._meta.db_table) for field in model._meta.concrete_fields]
        _CONVERTERS[key] = [
            (index, convert, expression)
            for index, expression in enumerate(expressions)
            for convert in [
                *connection.ops.get_db_converters(expression),
                *expression.get_db_converters(connection),
            ]
        ]
    return _CONVERTERS[key]
