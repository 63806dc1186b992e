"""Reading a workspace file back into a new workspace, all of it or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import workspace_create
from eyecontact.people.models import (
    NotSamePerson,
    Person,
    PersonMerge,
)
from eyecontact.people.search import people_index_search
from eyecontact.people.services import (
    person_derive_fields,
    person_refresh_figures,
    reviews_queue_fill,
)

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

__all__ = ["RestoreResult", "workspace_restore"]


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
            # An export from before the review queue had a size waits whole; this holds back
            # the less likely ones beyond it (and changes nothing in a queue of its size).
            reviews_queue_fill(workspace_id=workspace.pk)
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
        user_columns = [column for column in columns_of(section) if column.user]
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
        columns = columns_of(section)
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
        self, section: Section, columns: list[Column], known: set[str], row: dict[str, Any]
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
            values["snapshot"] = map_snapshot(
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

    def resolve(self, section: Section, column: Column, raw: Any, row_id: int) -> int | None:
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
        column: Column,
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
