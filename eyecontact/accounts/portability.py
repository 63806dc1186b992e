"""A whole workspace as one JSON file, and back: backups, moves between installations.

The file is lossless: the workspace's settings and every row that belongs to it, with all
fields and provenance (where a row came from, which import). It reads::

    {"format": "eyecontact.workspace", "version": 1, "exported_at": "...",
     "workspace": {...settings...},
     "import_batches": [{"id": 1, ...}, ...],
     "events": [...], "people": [...], "identities": [...], "connections": [...],
     "touches": [{"id": 1, "people": [3, 8], "event": 2, ...}, ...],
     "merges": [...], "match_reviews": [...], "not_same_people": [...],
     "source_records": [...], "audit": [...]}

Ids in the file are positions (1, 2, 3...) in each section, so an export does not depend on the
database it came from, and exporting a restored workspace gives the same file again. References
between rows use these ids; users (who created a touch, who decided a review) are written as
e-mail addresses and restored to the user with that address if the installation has one.

Fields the services derive (a person's sort name, search text and touch figures) are left out
and recomputed on restore. Sections are written one row per line, streamed in chunks, so large
workspaces export in little memory. :data:`SECTIONS` lists what is exported; a test fails when
a model that belongs to a workspace is missing from it.
"""

from __future__ import annotations

import datetime as dt
import json
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone

from eyecontact.events.models import Event
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.networks.models import Connection
from eyecontact.people.models import (
    Identity,
    MatchReview,
    NotSamePerson,
    Person,
    PersonMerge,
    Touch,
)
from eyecontact.people.services import person_derive_fields, person_refresh_figures

from .models import AuditEntry, Invitation, Membership, User, Workspace
from .services import workspace_create

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "SECTIONS",
    "RestoreResult",
    "workspace_export",
    "workspace_restore",
]

EXPORT_FORMAT = "eyecontact.workspace"
EXPORT_VERSION = 1
CHUNK = 2000

# Rows that belong to a workspace but are not its data: who may open it, and pending invitations
# (their links are secrets). The restoring owner is named on restore instead.
NOT_EXPORTED: tuple[type[models.Model], ...] = (Membership, Invitation)
WORKSPACE_NOT_EXPORTED = ("id", "slug")
SNAPSHOT_REFS = {
    "identity_ids": "identities",
    "touch_ids": "touches",
    "connection_ids": "connections",
}


@dataclass(frozen=True)
class Section:
    """One kind of row in the file: its key, model, and what needs translating."""

    key: str
    model: type[models.Model]
    # Fields the services derive; recomputed on restore rather than trusted from a file.
    derived: tuple[str, ...] = ()
    # Integer fields that hold another section's ids without being foreign keys.
    id_fields: Mapping[str, str] = field(default_factory=dict)


SECTIONS: tuple[Section, ...] = (
    Section("import_batches", ImportBatch),
    Section("events", Event),
    Section(
        "people",
        Person,
        derived=(
            "sort_name",
            "search_text",
            "touch_count",
            "last_touch_at",
            "last_in_person_at",
            "last_high_touch_at",
        ),
    ),
    Section("identities", Identity),
    Section("connections", Connection),
    Section("touches", Touch),
    Section("merges", PersonMerge),
    Section("match_reviews", MatchReview),
    Section(
        "not_same_people",
        NotSamePerson,
        id_fields={"person_low_id": "people", "person_high_id": "people"},
    ),
    Section("source_records", SourceRecord),
    Section("audit", AuditEntry),
)
_BY_MODEL = {section.model: section for section in SECTIONS}


@dataclass(frozen=True)
class _Column:
    """How one field travels: as a plain value, a reference to a section, or a user's e-mail."""

    name: str
    field: models.Field[Any, Any]
    target: str = ""  # the referenced section
    user: bool = False


def _columns(section: Section) -> list[_Column]:
    columns = []
    for model_field in section.model._meta.concrete_fields:
        if model_field.primary_key or model_field.name in section.derived:
            continue
        if model_field.name == "workspace":
            continue
        name = model_field.name
        if isinstance(model_field, models.ForeignKey):
            related = model_field.related_model
            if related is User:
                columns.append(_Column(name, model_field, user=True))
                continue
            target = _BY_MODEL.get(related)  # type: ignore[arg-type]  # a model class
            if target is None:
                raise TypeError(f"{section.key}.{name} points at an unexported model")
            columns.append(_Column(name, model_field, target=target.key))
        elif name in section.id_fields:
            columns.append(_Column(name, model_field, target=section.id_fields[name]))
        else:
            columns.append(_Column(name, model_field))
    return columns


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


class _Refs:
    """Database ids of each section in export order; an id's position is its id in the file."""

    def __init__(self) -> None:
        self.pks: dict[str, array[int]] = {}

    def ref(self, key: str, pk: int | None) -> int | None:
        if pk is None:
            return None
        pks = self.pks.get(key)
        if pks is None:
            return None
        index = bisect_left(pks, pk)
        return index + 1 if index < len(pks) and pks[index] == pk else None


def _section_rows(workspace: Workspace, section: Section) -> Iterator[list[dict[str, Any]]]:
    """The section's rows as dicts of database values, in chunks, in id order."""
    manager = section.model._default_manager
    names = ["pk", *(model_field.attname for model_field in _fields(section))]
    last = 0
    while True:
        chunk = list(
            manager.filter(workspace=workspace, pk__gt=last).order_by("pk").values(*names)[:CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1]["pk"]
        yield chunk


def _fields(section: Section) -> list[models.Field[Any, Any]]:
    return [column.field for column in _columns(section)]


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
            columns = _columns(section)
            pks: array[int] = array("q")
            out.write(f',\n "{section.key}": [')
            separator = "\n"
            for chunk in _section_rows(workspace, section):
                people = _touch_people(chunk) if section.model is Touch else {}
                for row in chunk:
                    item = _export_row(section, columns, row, refs, users, len(pks) + 1)
                    if item is None:
                        continue
                    if section.model is Touch:
                        found = (refs.ref("people", pk) for pk in people.get(row["pk"], ()))
                        item["people"] = sorted(ref for ref in found if ref is not None)
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


def _touch_people(chunk: list[dict[str, Any]]) -> dict[int, list[int]]:
    through = Touch.people.through
    people: dict[int, list[int]] = {}
    rows = through.objects.filter(touch_id__in=[row["pk"] for row in chunk]).values_list(
        "touch_id", "person_id"
    )
    for touch_id, person_id in rows:
        people.setdefault(touch_id, []).append(person_id)
    return people


def _export_row(
    section: Section,
    columns: list[_Column],
    row: dict[str, Any],
    refs: _Refs,
    users: dict[int, str],
    position: int,
) -> dict[str, Any] | None:
    """One row as it is written, or None for a row that only pointed at people now gone."""
    item: dict[str, Any] = {"id": position}
    for column in columns:
        value = row[column.field.attname]
        if column.user:
            item[column.name] = users.get(value) if value is not None else None
        elif column.target:
            item[column.name] = refs.ref(column.target, value)
            if item[column.name] is None and value is not None and column.name in section.id_fields:
                return None
        else:
            item[column.name] = _plain(value)
    if section.model is PersonMerge:
        item["snapshot"] = _map_snapshot(item["snapshot"], refs.ref)
    return item


def _map_snapshot(snapshot: Any, translate: Callable[[str, int], int | None]) -> Any:
    """A merge snapshot with its lists of row ids translated; ids that no longer exist go."""
    if not isinstance(snapshot, dict):
        return snapshot
    mapped = dict(snapshot)
    for name, key in SNAPSHOT_REFS.items():
        ids = snapshot.get(name)
        if isinstance(ids, list):
            found = (translate(key, pk) for pk in ids if isinstance(pk, int))
            mapped[name] = [ref for ref in found if ref is not None]
    return mapped


# Restoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    """The new workspace, how many rows each section brought, and users the file named who
    have no account here (their rows are kept without them)."""

    workspace: Workspace
    counts: dict[str, int]
    unknown_users: tuple[str, ...]


def _bad(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _check_header(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise _bad("This is not an Eye Contact workspace export.")
    version = data.get("version")
    if version != EXPORT_VERSION:
        raise _bad(
            f"This export has format version {version!r}; this Eye Contact reads version "
            f"{EXPORT_VERSION}."
        )
    if not isinstance(data.get("workspace"), dict):
        raise _bad("The export has no workspace settings.")
    for section in SECTIONS:
        rows = data.get(section.key, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise _bad(f"The section {section.key!r} must be a list of objects.")


def workspace_restore(*, data: Any, owner: User, workspace_name: str = "") -> RestoreResult:
    """A new workspace owned by ``owner`` holding everything in an export (parsed JSON).

    All or nothing: a file that is not an export, has another format version or holds a bad
    row raises a :class:`ValidationError` naming the section and row, and nothing is written.
    """
    _check_header(data)
    emails = _emails(data)
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    try:
        with transaction.atomic():
            workspace = _restore_workspace(data["workspace"], owner, workspace_name)
            restore = _Restore(workspace=workspace, users=users, emails=_person_emails(data))
            counts = {}
            for section in SECTIONS:
                rows = data.get(section.key, [])
                restore.section(section, rows)
                counts[section.key] = len(rows)
            person_refresh_figures(restore.new_pks["people"].values())
    except IntegrityError as exc:
        raise _bad(f"The export contradicts itself (a duplicate or a broken link): {exc}") from exc
    return RestoreResult(
        workspace=workspace,
        counts=counts,
        unknown_users=tuple(sorted(emails - set(users))),
    )


def _emails(data: dict[str, Any]) -> set[str]:
    """Every user e-mail the export names."""
    found: set[str] = set()
    for section in SECTIONS:
        user_columns = [column.name for column in _columns(section) if column.user]
        for row in data.get(section.key, []):
            for name in user_columns:
                value = row.get(name)
                if isinstance(value, str):
                    found.add(value)
    return found


def _person_emails(data: dict[str, Any]) -> dict[Any, list[str]]:
    """E-mail addresses by person id in the file: people's search text includes them."""
    emails: dict[Any, list[str]] = {}
    for row in data.get("identities", []):
        if row.get("kind") == "email" and isinstance(row.get("value"), str):
            emails.setdefault(row.get("person"), []).append(row["value"])
    return emails


def _restore_workspace(settings: dict[str, Any], owner: User, name: str) -> Workspace:
    workspace = workspace_create(
        name=name or str(settings.get("name") or "Restored workspace"),
        owner=owner,
        default_region=str(settings.get("default_region") or "US"),
    )
    changed = []
    for model_field in Workspace._meta.concrete_fields:
        if model_field.name in (*WORKSPACE_NOT_EXPORTED, "name"):
            continue
        if model_field.name in settings:
            value = _value(model_field, settings[model_field.name], "workspace", 0)
            setattr(workspace, model_field.attname, value)
            changed.append(model_field.name)
    try:
        workspace.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _bad(f"workspace: {_describe(exc)}") from exc
    # update() rather than save(), so the export's creation time is kept.
    Workspace.objects.filter(pk=workspace.pk).update(
        **{name: getattr(workspace, name) for name in changed}
    )
    workspace.refresh_from_db()
    return workspace


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _value(model_field: models.Field[Any, Any], raw: Any, key: str, row_id: int) -> Any:
    try:
        return model_field.to_python(raw)
    except ValidationError as exc:
        raise _bad(f"{key} #{row_id}: {model_field.name}: {' '.join(exc.messages)}") from exc


@dataclass
class _Restore:
    """The state of one restore: the new workspace and the new database id of every file id."""

    workspace: Workspace
    users: dict[str, User]
    emails: dict[Any, list[str]]
    new_pks: dict[str, dict[int, int]] = field(default_factory=dict)

    def section(self, section: Section, rows: list[dict[str, Any]]) -> None:
        columns = _columns(section)
        known = {"id", *(column.name for column in columns)}
        if section.model is Touch:
            known.add("people")
        stamped = [
            model_field
            for model_field in section.model._meta.concrete_fields
            if getattr(model_field, "auto_now", False)
            or getattr(model_field, "auto_now_add", False)
        ]
        mapping: dict[int, int] = {}
        self.new_pks[section.key] = mapping
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            objects = [self.build(section, columns, known, row) for row in chunk]
            section.model._default_manager.bulk_create(objects)
            for obj, row in zip(objects, chunk, strict=True):
                if row["id"] in mapping:
                    raise _bad(f"{section.key} #{row['id']} appears twice.")
                mapping[row["id"]] = obj.pk
            if stamped:
                _restore_timestamps(section, stamped, objects, chunk)
            if section.model is Touch:
                self.touch_people(objects, chunk, section.key)

    def build(
        self, section: Section, columns: list[_Column], known: set[str], row: dict[str, Any]
    ) -> models.Model:
        row_id = row.get("id")
        if not isinstance(row_id, int) or isinstance(row_id, bool):
            raise _bad(f"A row of {section.key} has no numeric id.")
        unknown = set(row) - known
        if unknown:
            raise _bad(f"{section.key} #{row_id}: unknown fields {sorted(unknown)}.")
        values: dict[str, Any] = {}
        for column in columns:
            if column.name not in row:
                continue
            raw = row[column.name]
            if column.user:
                user = self.users.get(raw) if isinstance(raw, str) else None
                values[column.field.attname] = user.pk if user is not None else None
            elif column.target:
                values[column.field.attname] = self.resolve(section, column, raw, row_id)
            else:
                values[column.field.attname] = _value(column.field, raw, section.key, row_id)
        if section.model is PersonMerge:
            values["snapshot"] = _map_snapshot(
                values.get("snapshot"), lambda key, ref: self.new_pks.get(key, {}).get(ref)
            )
        if section.model is NotSamePerson:
            low, high = values.get("person_low_id"), values.get("person_high_id")
            if isinstance(low, int) and isinstance(high, int) and low > high:
                values["person_low_id"], values["person_high_id"] = high, low
        obj = section.model(workspace=self.workspace, **values)
        if isinstance(obj, Person):
            person_derive_fields(obj, emails=self.emails.get(row_id, []))
        exclude = [
            "workspace",
            *(column.name for column in columns if column.target or column.user),
        ]
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise _bad(f"{section.key} #{row_id}: {_describe(exc)}") from exc
        return obj

    def resolve(self, section: Section, column: _Column, raw: Any, row_id: int) -> int | None:
        if raw is None:
            if not column.field.null:
                raise _bad(f"{section.key} #{row_id}: {column.name} is required.")
            return None
        pk = self.new_pks.get(column.target, {}).get(raw) if isinstance(raw, int) else None
        if pk is None:
            raise _bad(f"{section.key} #{row_id}: {column.name} {raw!r} is not in {column.target}.")
        return pk

    def touch_people(
        self, touches: list[models.Model], rows: list[dict[str, Any]], key: str
    ) -> None:
        people = self.new_pks["people"]
        through = Touch.people.through
        links = []
        for touch, row in zip(touches, rows, strict=True):
            refs = row.get("people", [])
            if not isinstance(refs, list) or not refs:
                raise _bad(f"{key} #{row['id']}: a touch needs at least one person.")
            for ref in refs:
                pk = people.get(ref) if isinstance(ref, int) else None
                if pk is None:
                    raise _bad(f"{key} #{row['id']}: person {ref!r} is not in people.")
                links.append(through(touch_id=touch.pk, person_id=pk))
        through.objects.bulk_create(links)


def _restore_timestamps(
    section: Section,
    stamped: list[models.Field[Any, Any]],
    objects: list[models.Model],
    rows: list[dict[str, Any]],
) -> None:
    """Puts back the export's creation and change times, which ``bulk_create`` overwrote.

    Plain parameterised UPDATEs: ``bulk_update`` builds a CASE expression per row, which is
    far slower for tens of thousands of rows.
    """
    connection = connections[section.model._default_manager.db]
    quote = connection.ops.quote_name
    table = quote(section.model._meta.db_table)
    for model_field in stamped:
        values = []
        for obj, row in zip(objects, rows, strict=True):
            moment = _value(model_field, row.get(model_field.name), section.key, row["id"])
            if moment is None:
                continue
            values.append((model_field.get_db_prep_value(moment, connection), obj.pk))
        column, key = quote(model_field.column), quote(section.model._meta.pk.column)
        # Names come quoted from model metadata; values travel as parameters.
        sql = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"  # noqa: S608  # see above
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)
