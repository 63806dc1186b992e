"""What a workspace file holds: its sections in dependency order, and how each field travels."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from eyecontact.accounts.models import AuditEntry, Invitation, Membership, User
from eyecontact.contacts.models import AddressBook, BusinessCardScan, ContactCard, ContactDetails
from eyecontact.events.models import Attendee, Capture, Event, Exhibit, ExhibitCost
from eyecontact.imports.models import ImportBatch, Organization, SourceRecord
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
    FollowChange,
    FollowSnapshot,
)
from eyecontact.people.models import (
    Connection,
    Identity,
    MatchReview,
    NotSamePerson,
    Person,
    PersonMerge,
    PersonSearchWord,
    Touch,
)

__all__ = [
    "BY_MODEL",
    "CHUNK",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "NOT_EXPORTED",
    "SECTIONS",
    "SNAPSHOT_REFS",
    "WORKSPACE_NOT_EXPORTED",
    "Column",
    "Section",
    "columns_of",
    "map_snapshot",
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
    Section("organizations", Organization),
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
    # Birthdays, photos and the name and UID of each person's card; keyed by the person.
    Section("contact_details", ContactDetails),
    # The address book as phones last synced it (its revision, each card's name and ETag), so
    # a phone that syncs with the token it had after a restore is told only what changed.
    Section("address_book", AddressBook),
    Section("contact_cards", ContactCard),
    Section("business_cards", BusinessCardScan),
    Section("follow_snapshots", FollowSnapshot),
    Section("follow_changes", FollowChange),
    Section("churners", Churner),
    Section("churn_summary", ChurnSummary),
    Section("audit", AuditEntry),
)
BY_MODEL = {section.model: section for section in SECTIONS}


@dataclass(frozen=True)
class Column:
    """How one field travels: as a plain value, a reference to a section, or users' e-mails."""

    name: str
    field: models.Field[Any, Any]
    target: str = ""  # the referenced section
    user: bool = False
    many: bool = False


def target_of(section: Section, model_field: models.Field[Any, Any]) -> Column:
    related = model_field.related_model
    many = bool(model_field.many_to_many)
    if related is User:
        return Column(model_field.name, model_field, user=True, many=many)
    target = BY_MODEL.get(related)  # type: ignore[arg-type]  # a model class
    if target is None:
        raise TypeError(f"{section.key}.{model_field.name} points at an unexported model")
    return Column(model_field.name, model_field, target=target.key, many=many)


def columns_of(section: Section) -> list[Column]:
    """Every field of the section's rows except its id, workspace, derived fields and those
    left behind."""
    columns = []
    skipped = {"workspace", *section.derived, *section.left_behind}
    for model_field in section.model._meta.concrete_fields:
        name = model_field.name
        # A row keyed by the row it belongs to (a person's contact details) names it.
        if (model_field.primary_key and not model_field.is_relation) or name in skipped:
            continue
        if model_field.is_relation:
            columns.append(target_of(section, model_field))
        elif name in section.id_fields:
            columns.append(Column(name, model_field, target=section.id_fields[name]))
        else:
            columns.append(Column(name, model_field))
    for model_field in section.model._meta.many_to_many:
        columns.append(target_of(section, model_field))
    return columns


def map_snapshot(snapshot: Any, translate: Callable[[str, int], int | None]) -> Any:
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
