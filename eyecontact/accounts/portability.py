"""A whole workspace as one JSON file, and back: backups, moves between installations.

The file is lossless: the workspace's settings and every row that belongs to it, with all
fields and provenance (where a row came from, which import). It reads::

    {"format": "eyecontact.workspace", "version": 1, "exported_at": "...",
     "workspace": {...settings...},
     "import_batches": [{"id": 1, ...}, ...],
     "events": [...], "people": [...], "identities": [...], "connections": [...],
     "touches": [{"id": 1, "people": [3, 8], "event": 2, ...}, ...],
     ... one list per entry of SECTIONS ...}

Ids in the file are positions (1, 2, 3...) in each section, so an export does not depend on the
database it came from, and exporting a restored workspace gives the same file again. References
between rows (foreign keys, many-to-many lists, the row ids a merge keeps to undo itself) use
these ids; users (who created a touch, who staffs a booth) are written as e-mail addresses and
restored to the user with that address if the installation has one. Binary fields are base64.

Fields the services derive (a person's sort name, search text and touch figures) are left out
and recomputed on restore. Rows are written one a line, read in chunks, so large workspaces
export in little memory. Who may open the workspace (memberships), pending invitations and
calendar feed keys are not data of the workspace and stay behind; the restoring user becomes
the owner. A test fails when a model that belongs to a workspace is in neither list.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import uuid
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone

from eyecontact.events.models import Attendee, Capture, Event, Exhibit, ExhibitCost
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.insights.models import (
    CalendarFeed,
    KeepInTouchSettings,
    PlanItem,
    ReminderState,
    Tag,
)
from eyecontact.networks.models import (
    Churner,
    ChurnSummary,
    Connection,
    FollowChange,
    FollowSnapshot,
)
from eyecontact.people.models import (
    Identity,
    MatchReview,
    NotSamePerson,
    Person,
    PersonMerge,
    PersonSearchWord,
    Touch,
)
from eyecontact.people.search import people_index_search
from eyecontact.people.services import person_derive_fields, person_refresh_figures

from .models import AuditEntry, Invitation, Membership, User, Workspace
from .services import workspace_create

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "NOT_EXPORTED",
    "SECTIONS",
    "RestoreResult",
    "Section",
    "workspace_export",
    "workspace_restore",
]

EXPORT_FORMAT = "eyecontact.workspace"
EXPORT_VERSION = 1
CHUNK = 2000

# Rows of a workspace that are access rather than data: who may open it, invitation links and
# calendar feed keys (secrets). The restoring user is named on restore instead.
# The people's search words are derived, and rebuilt from the people on restore.
NOT_EXPORTED: tuple[type[models.Model], ...] = (
    Membership,
    Invitation,
    CalendarFeed,
    PersonSearchWord,
)
WORKSPACE_NOT_EXPORTED = ("id", "slug")
# The lists of row ids a merge keeps so that it can be undone.
SNAPSHOT_REFS = {
    "identity_ids": "identities",
    "touch_ids": "touches",
    "connection_ids": "connections",
}


@dataclass(frozen=True)
class Section:
    """One kind of row in the file: its key, its model and what needs translating."""

    key: str
    model: type[models.Model]
    # The lookup from a row to its workspace, for rows that belong to it through a parent.
    scope: str = "workspace"
    # Fields the services derive; recomputed on restore rather than trusted from a file.
    derived: tuple[str, ...] = ()
    # Integer fields that hold another section's ids without being foreign keys.
    id_fields: Mapping[str, str] = field(default_factory=dict)
    # Fields that stay with this installation and come back empty: their JSON holds row ids
    # that a restore numbers anew.
    left_behind: tuple[str, ...] = ()


# In dependency order: a section refers only to sections before it.
SECTIONS: tuple[Section, ...] = (
    # What an import changed on people, for its undo, names them by id (see ImportBatch).
    Section("import_batches", ImportBatch, left_behind=("restore",)),
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
    Section("attendees", Attendee),
    Section("exhibits", Exhibit),
    Section("exhibit_costs", ExhibitCost, scope="exhibit__workspace"),
    Section("captures", Capture),
    Section("merges", PersonMerge),
    Section("match_reviews", MatchReview),
    Section(
        "not_same_people",
        NotSamePerson,
        id_fields={"person_low_id": "people", "person_high_id": "people"},
    ),
    Section("source_records", SourceRecord),
    Section("tags", Tag),
    Section("keep_in_touch", KeepInTouchSettings),
    Section("reminder_states", ReminderState),
    Section("plan_items", PlanItem),
    Section("follow_snapshots", FollowSnapshot),
    Section("follow_changes", FollowChange),
    Section("churners", Churner),
    Section("churn_summary", ChurnSummary),
    Section("audit", AuditEntry),
)
_BY_MODEL = {section.model: section for section in SECTIONS}


@dataclass(frozen=True)
class _Column:
    """How one field travels: as a plain value, a reference to a section, or users' e-mails."""

    name: str
    field: models.Field[Any, Any]
    target: str = ""  # the referenced section
    user: bool = False
    many: bool = False


def _target(section: Section, model_field: models.Field[Any, Any]) -> _Column:
    related = model_field.related_model
    many = bool(model_field.many_to_many)
    if related is User:
        return _Column(model_field.name, model_field, user=True, many=many)
    target = _BY_MODEL.get(related)  # type: ignore[arg-type]  # a model class
    if target is None:
        raise TypeError(f"{section.key}.{model_field.name} points at an unexported model")
    return _Column(model_field.name, model_field, target=target.key, many=many)


def _columns(section: Section) -> list[_Column]:
    """Every field of the section's rows except its id, workspace, derived fields and those
    left behind."""
    columns = []
    skipped = {"workspace", *section.derived, *section.left_behind}
    for model_field in section.model._meta.concrete_fields:
        name = model_field.name
        if model_field.primary_key or name in skipped:
            continue
        if model_field.is_relation:
            columns.append(_target(section, model_field))
        elif name in section.id_fields:
            columns.append(_Column(name, model_field, target=section.id_fields[name]))
        else:
            columns.append(_Column(name, model_field))
    for model_field in section.model._meta.many_to_many:
        columns.append(_target(section, model_field))
    return columns


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


# Exporting -----------------------------------------------------------------------------------


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
    workspace: Workspace, section: Section, columns: list[_Column]
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


def _linked(column: _Column, pks: list[int]) -> dict[int, list[int]]:
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
    """The new workspace, how many rows each section brought, and the users the file names
    who have no account here (their rows are kept without them)."""

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
    known = {"format", "version", "exported_at", "workspace", *(s.key for s in SECTIONS)}
    unknown = set(data) - known
    if unknown:
        raise _bad(f"The export has sections this Eye Contact does not know: {sorted(unknown)}.")
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
            people_index_search(restore.new_pks["people"].values())
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
        user_columns = [column for column in _columns(section) if column.user]
        for row in data.get(section.key, []):
            for column in user_columns:
                value = row.get(column.name)
                values = value if column.many and isinstance(value, list) else [value]
                found.update(v for v in values if isinstance(v, str))
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
    except (ValidationError, ValueError, TypeError) as exc:
        message = _describe(exc) if isinstance(exc, ValidationError) else str(exc)
        raise _bad(f"{key} #{row_id}: {model_field.name}: {message}") from exc


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
        stamped = [
            model_field
            for model_field in section.model._meta.concrete_fields
            if getattr(model_field, "auto_now", False)
            or getattr(model_field, "auto_now_add", False)
        ]
        mapping: dict[int, int] = {}
        self.new_pks[section.key] = mapping
        owner_field = section.model._meta.get_field(section.scope.split("__")[0])
        if rows and section.scope == "workspace" and getattr(owner_field, "unique", False):
            # One row per workspace (settings): the restored one replaces any default.
            section.model._default_manager.filter(workspace=self.workspace).delete()
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
            for column in columns:
                if column.many:
                    self.link(section, column, objects, chunk)

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
            if column.many or column.name not in row:
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
        if section.scope == "workspace":
            values["workspace"] = self.workspace
        obj = section.model(**values)
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

    def link(
        self,
        section: Section,
        column: _Column,
        objects: list[models.Model],
        rows: list[dict[str, Any]],
    ) -> None:
        """Writes a many-to-many column: touches' people, a booth's staff, a tag's people."""
        relation: Any = column.field
        through = relation.remote_field.through
        own, other = relation.m2m_column_name(), relation.m2m_reverse_name()
        links = []
        for obj, row in zip(objects, rows, strict=True):
            related = row.get(column.name, [])
            if not isinstance(related, list):
                raise _bad(f"{section.key} #{row['id']}: {column.name} must be a list.")
            for value in related:
                if column.user:
                    user = self.users.get(value) if isinstance(value, str) else None
                    pk = user.pk if user is not None else None
                    if pk is None:
                        continue
                else:
                    pk = self.resolve(section, column, value, row["id"])
                links.append(through(**{own: obj.pk, other: pk}))
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
