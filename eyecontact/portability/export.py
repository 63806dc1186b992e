"""Writing a workspace to its file, a row a line."""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.people.models import PersonMerge

from .sections import (
    CHUNK,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    SECTIONS,
    WORKSPACE_NOT_EXPORTED,
    Column,
    Section,
    columns_of,
    map_snapshot,
)

__all__ = ["workspace_export"]


def _plain(value: Any) -> Any:
    """A database value as JSON can hold it."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


class _Refs:
    """Database ids of each section in export order; an id's position is its id in the file."""

    def __init__(self) -> None:
        self.pks: dict[str, array[int]] = {}

    def ref(self, key: str, pk: int | None) -> int | None:
        pks = self.pks.get(key)
        if pk is None or pks is None:
            return None
        index = bisect_left(pks, pk)
        return index + 1 if index < len(pks) and pks[index] == pk else None


def workspace_export(*, workspace: Workspace, out: IO[str]) -> dict[str, int]:
    """Writes ``workspace`` as JSON to ``out``; returns how many rows each section holds."""
    refs = _Refs()
    users = dict(User.objects.values_list("pk", "email"))
    counts: dict[str, int] = {}
    with transaction.atomic():
        out.write("{\n")
        out.write(f' "format": {json.dumps(EXPORT_FORMAT)},\n "version": {EXPORT_VERSION},\n')
        out.write(f' "exported_at": {json.dumps(timezone.now().isoformat())},\n')
        settings = json.dumps(_workspace_settings(workspace), ensure_ascii=False, sort_keys=True)
        out.write(f' "workspace": {settings}')
        for section in SECTIONS:
            columns = columns_of(section)
            pks: array[int] = array("q")
            out.write(f',\n "{section.key}": [')
            separator = "\n"
            for chunk in _section_rows(workspace, section, columns):
                for row in chunk:
                    item = _export_row(section, columns, row, refs, users, len(pks) + 1)
                    if item is None:
                        continue
                    pks.append(row["pk"])
                    out.write(separator + json.dumps(item, ensure_ascii=False, sort_keys=True))
                    separator = ",\n"
            refs.pks[section.key] = pks
            counts[section.key] = len(pks)
            out.write("\n ]" if pks else "]")
        out.write("\n}\n")
    return counts


def _workspace_settings(workspace: Workspace) -> dict[str, Any]:
    return {
        model_field.name: _plain(getattr(workspace, model_field.attname))
        for model_field in Workspace._meta.concrete_fields
        if model_field.name not in WORKSPACE_NOT_EXPORTED
    }


def _section_rows(
    workspace: Workspace, section: Section, columns: list[Column]
) -> Iterator[list[dict[str, Any]]]:
    """The section's rows as dicts of database values, in chunks, in id order.

    Many-to-many columns hold the list of related ids, read with one query per chunk.
    """
    manager = section.model._default_manager
    names = ["pk", *(column.field.attname for column in columns if not column.many)]
    many = [column for column in columns if column.many]
    last = 0
    while True:
        rows = manager.filter(**{section.scope: workspace}, pk__gt=last).order_by("pk")
        chunk = list(rows.values(*names)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1]["pk"]
        for column in many:
            linked = _linked(column, [row["pk"] for row in chunk])
            for row in chunk:
                row[column.field.attname] = linked.get(row["pk"], [])
        yield chunk


def _linked(column: Column, pks: list[int]) -> dict[int, list[int]]:
    relation: Any = column.field
    through = relation.remote_field.through
    own, other = relation.m2m_column_name(), relation.m2m_reverse_name()
    linked: dict[int, list[int]] = {}
    rows = through.objects.filter(**{f"{own}__in": pks}).values_list(own, other)
    for pk, related in rows:
        linked.setdefault(pk, []).append(related)
    return linked


def _export_row(
    section: Section,
    columns: list[Column],
    row: dict[str, Any],
    refs: _Refs,
    users: dict[int, str],
    position: int,
) -> dict[str, Any] | None:
    """One row as it is written, or None for a row that only pointed at people now gone."""
    item: dict[str, Any] = {"id": position}
    for column in columns:
        value = row[column.field.attname]
        if column.many:
            found = (users.get(pk) if column.user else refs.ref(column.target, pk) for pk in value)
            item[column.name] = sorted(v for v in found if v is not None)
        elif column.user:
            item[column.name] = users.get(value) if value is not None else None
        elif column.target:
            item[column.name] = refs.ref(column.target, value)
            if item[column.name] is None and column.name in section.id_fields:
                return None
        else:
            item[column.name] = _plain(value)
    if section.model is PersonMerge:
        item["snapshot"] = map_snapshot(item["snapshot"], refs.ref)
    return item
