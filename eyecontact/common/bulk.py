"""Writing many rows at once, faster than ``bulk_create`` and ``bulk_update``.

``bulk_create`` builds the text of its INSERT again for every batch, and SQLite caps a statement
at 999 parameters, so 100,000 rows of ten fields make 1,000 statements whose SQL building costs
more than the database's own work. :func:`insert_rows` prepares one parameterised statement
of many rows and hands the rows to the driver's ``executemany`` (SQLite loops in C), or
streams them with ``COPY`` (PostgreSQL). Rows are plain tuples, so no model instance is built
either. Both functions run in the caller's transaction and send no signals: they are for bulk
writers (imports) that keep derived fields themselves.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import Any

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.utils import timezone

__all__ = ["insert_rows", "roomy_page_cache", "update_rows"]

# Rows handed to one executemany call, to bound the memory of prepared values.
_CHUNK = 10_000
# Rows one SQLite INSERT carries at most (fewer when their values would pass SQLite's limit).
# Each statement SQLite runs opens the table, each of its indexes and the tables its foreign
# keys point at, and keeps the table's AUTOINCREMENT counter: a statement per row did that for
# each of the hundreds of thousands of rows of a heavy user's import.
_ROWS_PER_INSERT = 256
# SQLite's page cache while a bulk writer runs, in KiB (its default is 2,000).
_BULK_CACHE_KIB = 131_072


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    fixed: Mapping[str, Any] | None = None,
) -> int:
    """Inserts ``rows`` (values for the fields ``columns``, by attribute name) into ``model``'s
    table with one prepared statement; the fields of ``fixed`` take the same value in every row,
    other fields their defaults, ``auto_now`` ones the time now. Runs in the caller's
    transaction; returns how many rows went in.

    ``rows`` may be a generator: they are prepared and sent :data:`_CHUNK` at a time, so the
    memory this takes does not grow with their number.
    """
    meta = model._meta
    given = _fields(model, columns)
    fixed = fixed or {}
    constant = _fields(model, list(fixed))
    taken = {f.attname for f in given} | {f.attname for f in constant}
    now = timezone.now()
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in taken]
    rest_values = [
        f.get_db_prep_save(value, connection)
        for f, value in zip(constant, fixed.values(), strict=True)
    ]
    rest_values += [
        f.get_db_prep_save(
            now
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else f.get_default(),
            connection,
        )
        for f in rest
    ]
    prepared = _preparers(given)
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(f.column)) for f in [*given, *constant, *rest])
    # Only quoted names of the model's own table and columns; every value is a parameter.
    insert = f"INSERT INTO {quote(meta.db_table)} ({names}) "  # noqa: S608
    written = 0
    for chunk in _chunks(rows, prepared):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                copy = f"COPY {quote(meta.db_table)} ({names}) FROM STDIN"
                _copy_rows(cursor, copy, chunk, tuple(rest_values))
            else:
                _insert_many(cursor, insert, len(given), chunk, tuple(rest_values))
        written += len(chunk)
    return written


def _insert_many(
    cursor: Any,
    insert: str,
    width: int,
    values: Sequence[Sequence[Any]],
    extra: tuple[Any, ...],
) -> None:
    """Inserts rows of ``width`` values each, followed by the values ``extra`` that every row
    shares, on SQLite: as many rows in one statement as its limit on parameters allows (up to
    :data:`_ROWS_PER_INSERT`), the shared values given once to each statement.

    The statements are ``INSERT ... SELECT column1, ..., ? FROM (VALUES (...), ...)``: the
    shared values (timestamps, the workspace, the batch, empty defaults: half of a person's
    columns) are not bound again for every row. The rows get their ids in the order given, as
    one statement per row would give them.
    """
    if not width:
        for _ in values:
            cursor.execute(_statement(insert, 0, 1, len(extra)), extra)
        return
    per = max(1, min(_ROWS_PER_INSERT, (_sqlite_max_parameters() - len(extra)) // width))
    whole = len(values) - len(values) % per
    statements = []
    for at in range(0, len(values), per):
        # A statement's values side by side, built by extending one list (in C) rather than
        # a list per row: the rows of a heavy user's import are a million.
        parameters: list[Any] = list(extra)
        for row in values[at : at + per]:
            parameters += row
        statements.append(parameters)
    if whole:
        cursor.executemany(_statement(insert, width, per, len(extra)), statements[: whole // per])
    if whole < len(values):
        cursor.execute(_statement(insert, width, len(values) - whole, len(extra)), statements[-1])


def _statement(insert: str, width: int, rows: int, shared: int) -> str:
    """The text of an insert of ``rows`` rows of ``width`` values and ``shared`` values they
    all take (see :func:`_insert_many`)."""
    if not shared:
        return insert + "VALUES " + ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * rows)
    if not width:
        return insert + "VALUES (" + ", ".join(["%s"] * shared) + ")"
    # The shared values' marks come first in the text, so their parameters come first too.
    columns = ", ".join([f"column{n}" for n in range(1, width + 1)] + ["%s"] * shared)
    row = "(" + ", ".join(["%s"] * width) + ")"
    # Only the quoted names of insert_rows and marks; every value is a parameter.
    return f"{insert}SELECT {columns} FROM (VALUES {', '.join([row] * rows)})"  # noqa: S608


def _sqlite_max_parameters() -> int:
    """How many parameters the SQLite library allows in one statement (999 before 3.32)."""
    real = connections[DEFAULT_DB_ALIAS]
    real.ensure_connection()
    return int(real.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))


def _chunks(
    rows: Iterable[Sequence[Any]], prepared: Sequence[tuple[int, Callable[[Any], Any]]]
) -> Iterator[list[Sequence[Any]]]:
    """``rows`` as the driver takes them (each prepared), :data:`_CHUNK` at a time."""
    values = iter(rows)
    if not prepared:
        # Nothing to turn into what the driver takes: the rows go as they are.
        while chunk := list(islice(values, _CHUNK)):
            yield chunk
        return
    while chunk := list(islice(values, _CHUNK)):
        for n, row in enumerate(chunk):
            value = list(row)
            for i, prepare in prepared:
                value[i] = prepare(value[i])
            chunk[n] = value
        yield chunk


def _copy_rows(
    cursor: Any, sql: str, values: Sequence[Sequence[Any]], extra: tuple[Any, ...] = ()
) -> None:
    """Streams rows into PostgreSQL with ``COPY``.

    Django's PostgreSQL cursors bind parameters on the client, so ``executemany`` sends each
    row as an INSERT of its own that the server parses and plans again: 100,000 rows took it
    tens of seconds. ``COPY`` hands all rows to one statement, with the same constraints.
    """
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for value in values:
            copy.write_row((*value, *extra))


def _fields(model: type[models.Model], columns: Sequence[str]) -> list[models.Field[Any, Any]]:
    fields = []
    for name in columns:
        found = model._meta.get_field(name)
        if not isinstance(found, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        fields.append(found)
    return fields


def _preparers(fields: Sequence[models.Field[Any, Any]]) -> list[tuple[int, Callable[[Any], Any]]]:
    """For each column whose values the database driver cannot take as they are (JSON, dates),
    its position and what turns a value into one it can.

    A JSON document goes straight to the backend's adapter, as the field would hand it on: the
    field's own path costs more than encoding the document, for 100,000 documents.
    """
    real = connections[DEFAULT_DB_ALIAS]  # looked up once, not through the proxy per value
    found: list[tuple[int, Callable[[Any], Any]]] = []
    for i, field in enumerate(fields):
        if isinstance(field, models.JSONField) and real.vendor == "sqlite" and not field.encoder:
            found.append((i, partial(_json_text, real.ops.adapt_json_value)))
        elif isinstance(field, models.JSONField):
            found.append((i, partial(_json_value, real.ops.adapt_json_value, field.encoder)))
        elif isinstance(field, models.DateField):
            found.append((i, _remembered(partial(field.get_db_prep_save, connection=real))))
    return found


def _remembered(prepare: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``prepare`` for dates, each distinct value prepared once: a heavy user's connections
    and meetings fall on a few thousand days, and the field's own path costs more than a
    look-up, row after row."""
    done: dict[Any, Any] = {}

    def prepared(value: Any) -> Any:
        found = done.get(value, done)
        if found is done:
            found = done[value] = prepare(value)
        return found

    return prepared


def _json_text(adapt: Callable[[Any, type[json.JSONEncoder] | None], Any], value: Any) -> Any:
    """A JSON document as SQLite stores it, encoded by orjson: the standard library's encoder
    took a second for a heavy user's 150,000 source rows. What orjson does not encode (an
    integer past 64 bits) goes the field's own way."""
    if value is None:
        return None  # SQL NULL, as JSONField.get_db_prep_save has it
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return adapt(value, None)


def _json_value(
    adapt: Callable[[Any, type[json.JSONEncoder] | None], Any],
    encoder: type[json.JSONEncoder] | None,
    value: Any,
) -> Any:
    # None is SQL NULL, as JSONField.get_db_prep_save has it.
    return None if value is None else adapt(value, encoder)


def update_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Sets ``columns`` of the rows whose primary key ends each of ``rows``, in one prepared
    statement; ``rows`` are prepared and sent :data:`_CHUNK` at a time, like
    :func:`insert_rows`'."""
    meta = model._meta
    given = _fields(model, columns)
    prepared = _preparers(given)
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in given)
    assert meta.pk is not None  # noqa: S101  # every concrete model has one
    key = quote(str(meta.pk.column))
    # Only quoted names of the model's own table and columns; every value is a parameter.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {key} = %s"  # noqa: S608
    for chunk in _chunks(rows, prepared):
        if connection.vendor == "postgresql":
            # One statement prepared on the server for every row, not a parsed INSERT each (see
            # _copy_rows): a cursor of the driver's own, binding on the server.
            import psycopg

            connection.ensure_connection()
            with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as raw:
                raw.executemany(sql, chunk)
        else:
            with connection.cursor() as cursor:
                cursor.executemany(sql, chunk)


@contextmanager
def roomy_page_cache() -> Iterator[None]:
    """Gives SQLite a page cache of 128 MB while a bulk writer runs, then its own size back.

    A big import updates the pages of a dozen tables and their indexes over and over; with the
    default 2 MB cache SQLite keeps writing them out and reading them back within the one
    transaction. PostgreSQL sizes its shared buffers itself: nothing changes there.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        row = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(row[0]) if row else -2000}")
