"""Every change to people, identities and touches goes through these functions.

Each one validates (``full_clean``), writes in one transaction, keeps the per-person touch
figures current and leaves an audit entry for changes worth explaining (merges, deletes).
Views, the API, the CLI and importers call these, never the ORM directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, DateTimeField, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from eyecontact.accounts.models import AuditEntry, User, Workspace
from eyecontact.common.bulk import insert_rows
from eyecontact.common.dates import at_noon_utc
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_identity

from . import constants
from .choices import HIGH_TOUCH_CHANNELS, Channel, IdentityKind, Source
from .models import Identity, MatchReview, NotSamePerson, Person, PersonMerge, Touch
from .search import people_index_new, person_index_search

if TYPE_CHECKING:
    from eyecontact.imports.models import ImportBatch
    from eyecontact.people.models import Connection

__all__ = [
    "identity_add",
    "identity_remove",
    "identity_update",
    "merge_fill_details",
    "merge_fold_connection",
    "person_create",
    "person_delete",
    "person_derive_fields",
    "person_derived_values",
    "person_find_or_create",
    "person_merge",
    "person_refresh_figures",
    "person_unmerge",
    "person_update",
    "review_merge",
    "review_reject",
    "split_name",
    "touch_delete",
    "touch_log",
    "touch_too_far_ahead",
    "touch_update",
]

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "display_name",
    "organization",
    "title",
    "city",
    "notes",
    "cadence_days",
)


def split_name(full_name: str) -> tuple[str, str]:
    """Given and family name from a typed name: "Jane Doe", "Doe, Jane", "Jane van der Berg"."""
    name = " ".join(full_name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    parts = name.split(" ")
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], " ".join(parts[1:])


def person_derive_fields(person: Person, *, emails: Iterable[str] | None = None) -> None:
    """Fills the fields lists sort and search on: display, sort name and search text.

    ``emails`` saves a query when the caller knows them (bulk imports, the demo); otherwise a
    saved person's e-mail identities are read.
    """
    if emails is None:
        emails = (
            person.identities.filter(kind=IdentityKind.EMAIL).values_list("value", flat=True)
            if person.pk
            else ()
        )
    person.display_name, person.sort_name, person.search_text = person_derived_values(
        display_name=person.display_name,
        given_name=person.given_name,
        family_name=person.family_name,
        organization=person.organization,
        title=person.title,
        city=person.city,
        emails=emails,
    )


def person_derived_values(
    *,
    display_name: str,
    given_name: str,
    family_name: str,
    organization: str,
    title: str,
    city: str,
    emails: Iterable[str],
) -> tuple[str, str, str]:
    """Display name, sort name and search text of a person with these fields.

    What :func:`person_derive_fields` sets, for bulk imports that write rows without building
    a ``Person`` for each.
    """
    display_name = " ".join(display_name.split())
    if not display_name:
        display_name = " ".join(p for p in (given_name, family_name) if p)
    ordered = f"{family_name} {given_name}" if family_name else ""
    sort_name = (fold_name(ordered) or fold_name(display_name))[:300]
    words = fold_name(" ".join([display_name, organization, title, city]))
    return display_name, sort_name, " ".join([words, *emails])


def _validated_identity(workspace: Workspace, kind: str, raw: str) -> str:
    if kind not in IdentityKind.values:
        raise ValidationError({"kind": f"Unknown identity kind {kind!r}."})
    try:
        return normalize_identity(kind, raw, default_region=workspace.default_region)
    except InvalidIdentity as exc:
        raise ValidationError({"value": str(exc)}) from exc


@transaction.atomic
def person_create(
    *,
    workspace: Workspace,
    display_name: str = "",
    identities: Sequence[tuple[str, str]] = (),
    source: str = Source.MANUAL,
    source_key: str = "",
    actor: User | None = None,
    identities_unheld: bool = False,
    **fields: Any,
) -> Person:
    """A new person; ``identities`` are (kind, value) pairs, validated and normalised.

    ``identities_unheld`` says the caller has just looked them up, in this transaction, and
    nobody holds them: they are not looked up again (the database still refuses a duplicate).
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    display_name = " ".join(display_name.split())
    if display_name and not (fields.get("given_name") or fields.get("family_name")):
        fields["given_name"], fields["family_name"] = split_name(display_name)
    person = Person(
        workspace=workspace,
        display_name=display_name,
        source=source,
        source_key=source_key,
        **fields,
    )
    pairs = _free_identities(workspace, identities, look=not identities_unheld)
    # The e-mails are known: the search text is whole before the first write.
    person_derive_fields(person, emails=[v for k, v in pairs if k == IdentityKind.EMAIL])
    if not person.display_name:
        raise ValidationError({"display_name": constants.NAME_REQUIRED})
    # The workspace is the caller's own row: no query to check that it exists.
    person.full_clean(exclude=["workspace"])
    person.save()
    # A new person has no words yet: they go straight in, nothing read or deleted first.
    people_index_new([(person.pk, workspace.pk, person.search_text)])
    if pairs:
        rows = [
            Identity(workspace=workspace, person=person, kind=kind, value=value, source=source)
            for kind, value in pairs
        ]
        for identity in rows:
            # The person and workspace are rows just written or held: no queries to check them.
            identity.full_clean(exclude=["workspace", "person"])
        insert_rows(
            Identity,
            ("workspace_id", "person_id", "kind", "value", "source"),
            [(workspace.pk, person.pk, kind, value, source) for kind, value in pairs],
        )
    return person


def _free_identities(
    workspace: Workspace, identities: Sequence[tuple[str, str]], *, look: bool = True
) -> list[tuple[str, str]]:
    """``identities`` validated and normalised, each once; refused if someone holds one (when
    ``look``)."""
    pairs: list[tuple[str, str]] = []
    for kind, raw in identities:
        pair = (kind, _validated_identity(workspace, kind, raw))
        if pair not in pairs:
            pairs.append(pair)
    if not (pairs and look):
        return pairs
    held = Identity.objects.filter(
        workspace=workspace,
        kind__in={kind for kind, _ in pairs},
        value__in={value for _, value in pairs},
    ).values_list("kind", "value", "person_id")
    for kind, value, owner in held:
        if (kind, value) in pairs:
            raise ValidationError(
                {
                    "value": constants.IDENTITY_TAKEN.format(
                        kind=IdentityKind(kind).label,
                        value=value,
                        owner=Person.objects.get(pk=owner),
                    )
                }
            )
    return pairs


@transaction.atomic
def person_update(*, person: Person, actor: User | None = None, **fields: Any) -> Person:
    """Changes a person's details; names are re-derived so lists sort and search correctly."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if not fields:
        return person
    previous = person.search_text
    for name, value in fields.items():
        setattr(person, name, value)
    if "display_name" in fields and not {"given_name", "family_name"} & set(fields):
        person.given_name, person.family_name = split_name(person.display_name)
    person_derive_fields(person)
    if not person.display_name:
        raise ValidationError({"display_name": constants.NAME_REQUIRED})
    person.full_clean()
    # Only what was edited: the touch figures are the touch services' to keep.
    person.save(update_fields=[*PERSON_FIELDS, "sort_name", "search_text", "updated_at"])
    person_index_search(person, previous=previous)
    return person


@transaction.atomic
def person_delete(*, person: Person, actor: User | None = None) -> None:
    """Deletes a person with their identities and connections, and touches left with nobody."""
    workspace = person.workspace
    touch_ids = list(person.touches.values_list("pk", flat=True))
    AuditEntry.objects.create(
        workspace=workspace,
        actor=actor,
        action="person.delete",
        subject=person.display_name,
        details={"person_id": person.pk, "touches": len(touch_ids)},
    )
    person.delete()
    Touch.objects.filter(pk__in=touch_ids, people__isnull=True).delete()


def person_find_or_create(
    *, workspace: Workspace, name: str, actor: User | None = None
) -> tuple[Person, bool]:
    """The person with exactly this name (folded), or a new one; used by the quick log box."""
    folded = fold_name(name)
    if not folded:
        raise ValidationError({"name": constants.NAME_REQUIRED})
    for person in Person.objects.filter(workspace=workspace, search_text__startswith=folded)[:20]:
        if fold_name(person.display_name) == folded:
            return person, False
    return person_create(workspace=workspace, display_name=name, actor=actor), True


@transaction.atomic
def identity_add(
    *,
    person: Person,
    kind: str,
    value: str,
    label: str = "",
    source: str = Source.MANUAL,
    source_batch_id: int | None = None,
) -> Identity:
    """Adds a way to recognise ``person``; refuses one that already belongs to someone else."""
    workspace = person.workspace
    normalized = _validated_identity(workspace, kind, value)
    existing = (
        Identity.objects.select_related("person")
        .filter(workspace=workspace, kind=kind, value=normalized)
        .first()
    )
    if existing is not None:
        if existing.person_id == person.pk:
            return existing
        raise ValidationError(
            {
                "value": constants.IDENTITY_TAKEN.format(
                    kind=IdentityKind(kind).label, value=normalized, owner=existing.person
                )
            }
        )
    identity = Identity(
        workspace=workspace,
        person=person,
        kind=kind,
        value=normalized,
        label=label,
        source=source,
        source_batch_id=source_batch_id,
    )
    # The person and workspace are the caller's own rows: no queries to check them.
    identity.full_clean(exclude=["workspace", "person"])
    identity.save()
    if kind == IdentityKind.EMAIL:
        previous = person.search_text
        person_derive_fields(person)
        person.save(update_fields=["display_name", "sort_name", "search_text"])
        person_index_search(person, previous=previous)
    return identity


@transaction.atomic
def identity_remove(*, identity: Identity) -> None:
    person = identity.person
    identity.delete()
    previous = person.search_text
    person_derive_fields(person)
    person.save(update_fields=["display_name", "sort_name", "search_text"])
    person_index_search(person, previous=previous)


@transaction.atomic
def identity_update(
    *, identity: Identity, value: str | None = None, label: str | None = None
) -> Identity:
    """Corrects an identity's value or label; the value is validated like a new one."""
    if value is not None:
        normalized = _validated_identity(identity.workspace, identity.kind, value)
        taken = (
            Identity.objects.select_related("person")
            .filter(workspace_id=identity.workspace_id, kind=identity.kind, value=normalized)
            .exclude(pk=identity.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "value": constants.IDENTITY_TAKEN.format(
                        kind=IdentityKind(identity.kind).label, value=normalized, owner=taken.person
                    )
                }
            )
        identity.value = normalized
    if label is not None:
        identity.label = label.strip()
    identity.full_clean()
    identity.save(update_fields=["value", "label"])
    if value is not None and identity.kind == IdentityKind.EMAIL:
        person = identity.person
        previous = person.search_text
        person_derive_fields(person)
        person.save(update_fields=["display_name", "sort_name", "search_text"])
        person_index_search(person, previous=previous)
    return identity


def _latest_touch(**filters: Any) -> Subquery:
    through = Touch.people.through.objects.filter(person_id=OuterRef("pk"), **filters)
    return Subquery(through.order_by("-touch__occurred_at").values("touch__occurred_at")[:1])


def person_refresh_figures(person_ids: Iterable[int]) -> None:
    """Recomputes touch count and last (in-person, high-touch) dates for these people.

    One UPDATE with correlated subqueries per chunk, so the database does the work: refreshing
    a whole demo or imported workspace takes a fraction of a second.
    """
    ids = sorted(set(person_ids))
    high = [str(c) for c in HIGH_TOUCH_CHANNELS]
    count = (
        Touch.people.through.objects.filter(person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # an annotation, which the stubs cannot see
    )
    # Chunks keep each statement under SQLite's limit on query parameters.
    for start in range(0, len(ids), 500):
        Person.objects.filter(pk__in=ids[start : start + 500]).update(
            touch_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            last_touch_at=_latest_touch(),
            last_in_person_at=_latest_touch(touch__channel=Channel.IN_PERSON),
            last_high_touch_at=_latest_touch(touch__channel__in=high),
        )


def _check_touch(workspace: Workspace, people: Sequence[Person], channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationError(
            {
                "channel": constants.UNKNOWN_CHANNEL.format(
                    value=channel, choices=", ".join(Channel.values)
                )
            }
        )
    if not people:
        raise ValidationError({"people": constants.NO_PEOPLE})
    if any(p.workspace_id != workspace.pk for p in people):
        raise ValidationError({"people": "Every person must belong to this workspace."})


# How far ahead of the clock a touch may be: a day covers time zones, a phone's clock and a
# date typed for tonight; beyond it the touch has not happened, and would count as met.
TOUCH_AHEAD = dt.timedelta(days=1)


def touch_too_far_ahead(moment: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Whether a touch at ``moment`` would be more than a day in the future."""
    return moment > (now or timezone.now()) + TOUCH_AHEAD


def _as_moment(when: dt.datetime | dt.date | None) -> tuple[dt.datetime, bool]:
    """The moment of a touch and whether it has a time of day; refused when it is more than a
    day ahead (every door, web, API, CLI and booth, logs and edits touches through here)."""
    if when is None:
        return timezone.now(), True
    if isinstance(when, dt.datetime):
        if timezone.is_naive(when):
            raise ValidationError({"occurred_at": "The time needs a timezone."})
        moment, timed = when, True
    else:
        moment, timed = at_noon_utc(when), False
    if touch_too_far_ahead(moment):
        shown = f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if timed else f"{moment:%Y-%m-%d}"
        raise ValidationError({"occurred_at": constants.TOUCH_IN_FUTURE.format(when=shown)})
    return moment, timed


@transaction.atomic
def touch_log(
    *,
    workspace: Workspace,
    people: Sequence[Person],
    channel: str,
    when: dt.datetime | dt.date | None = None,
    has_time: bool | None = None,
    where: str = "",
    event: Any = None,
    note: str = "",
    source: str = Source.MANUAL,
    source_key: str = "",
    source_batch_id: int | None = None,
    actor: User | None = None,
) -> Touch:
    """Records a touch with ``people``: ``when`` is a moment, a day, or now by default."""
    _check_touch(workspace, people, channel)
    occurred_at, timed = _as_moment(when)
    if event is not None and event.workspace_id != workspace.pk:
        raise ValidationError({"event": constants.EVENT_OTHER_WORKSPACE})
    touch = Touch(
        workspace=workspace,
        channel=channel,
        occurred_at=occurred_at,
        has_time=timed if has_time is None else has_time,
        where=where.strip(),
        event=event,
        note=note.strip(),
        source=source,
        source_key=source_key,
        source_batch_id=source_batch_id,
        created_by=actor,
    )
    # The workspace, event and author are rows the caller holds (the event's workspace was
    # checked above): no queries to check that they exist.
    touch.full_clean(exclude=["workspace", "event", "created_by"])
    touch.save()
    touch.people.add(*people)  # a new touch: nobody to take off
    _figures_add(touch, {p.pk for p in people})
    return touch


def _figures_add(touch: Touch, person_ids: set[int]) -> None:
    """Counts a new touch into its people's figures: one UPDATE, no subqueries."""
    when = Value(touch.occurred_at, output_field=DateTimeField())

    def later(field: str) -> Greatest:
        return Greatest(Coalesce(F(field), when), when)

    changes: dict[str, Any] = {
        "touch_count": F("touch_count") + 1,
        "last_touch_at": later("last_touch_at"),
    }
    if touch.channel == Channel.IN_PERSON:
        changes["last_in_person_at"] = later("last_in_person_at")
    if touch.channel in {str(c) for c in HIGH_TOUCH_CHANNELS}:
        changes["last_high_touch_at"] = later("last_high_touch_at")
    Person.objects.filter(pk__in=person_ids).update(**changes)


@transaction.atomic
def touch_update(
    *,
    touch: Touch,
    people: Sequence[Person] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Touch:
    """Changes a touch; the figures of everyone it was and is with are recomputed."""
    allowed = {"channel", "when", "where", "event", "note"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown touch fields: {sorted(unknown)}")
    before = set(touch.people.values_list("pk", flat=True))
    channel = fields.get("channel", touch.channel)
    _check_touch(touch.workspace, people if people is not None else [touch.people.first()], channel)  # type: ignore[list-item]  # an existing touch always has people
    if "when" in fields:
        touch.occurred_at, touch.has_time = _as_moment(fields.pop("when"))
    event = fields.get("event", touch.event)
    if event is not None and event.workspace_id != touch.workspace_id:
        raise ValidationError({"event": constants.EVENT_OTHER_WORKSPACE})
    for name, value in fields.items():
        setattr(touch, name, value.strip() if isinstance(value, str) else value)
    touch.full_clean()
    touch.save()
    if people is not None:
        touch.people.set(people)
    person_refresh_figures(before | set(touch.people.values_list("pk", flat=True)))
    return touch


@transaction.atomic
def touch_delete(*, touch: Touch, actor: User | None = None) -> None:
    person_ids = list(touch.people.values_list("pk", flat=True))
    AuditEntry.objects.create(
        workspace=touch.workspace,
        actor=actor,
        action="touch.delete",
        subject=str(touch),
        details={"touch_id": touch.pk, "people": person_ids},
    )
    touch.delete()
    person_refresh_figures(person_ids)


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        "fields": {name: getattr(person, name) for name in PERSON_FIELDS},
        "source": person.source,
        "source_key": person.source_key,
        "identity_ids": list(person.identities.values_list("pk", flat=True)),
        "touch_ids": list(person.touches.values_list("pk", flat=True)),
        "connection_ids": list(person.connections.values_list("pk", flat=True)),
    }


# Details of a dropped person that fill the kept one's when empty.
MERGE_FILLED = ("organization", "title", "city", "cadence_days", "given_name", "family_name")


def merge_fill_details(keep: Person, drop: Person) -> list[str]:
    """Fills ``keep``'s empty details from ``drop`` and adds its notes; returns the fields
    changed, which a split empties again (unsaved: the caller saves ``keep``)."""
    filled = []
    for name in MERGE_FILLED:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
            filled.append(name)
    if drop.notes:
        keep.notes = f"{keep.notes}\n\n{drop.notes}".strip() if keep.notes else drop.notes
        filled.append("notes")
    return filled


def merge_fold_connection(
    snapshot: dict[str, Any], connection: Connection, twin: Connection
) -> bool:
    """A dropped person's connection the kept one has too (same network and kind): it goes,
    remembered in the merge's ``snapshot`` for a split, and the twin keeps the earlier date.
    Returns whether the twin's date changed (unsaved: the caller saves it)."""
    snapshot.setdefault("dropped_connections", []).append(
        {
            "network": connection.network,
            "kind": connection.kind,
            "connected_on": connection.connected_on.isoformat()
            if connection.connected_on
            else None,
        }
    )
    if connection.connected_on and (
        twin.connected_on is None or connection.connected_on < twin.connected_on
    ):
        twin.connected_on = connection.connected_on
        return True
    return False


@transaction.atomic
def person_merge(
    *,
    keep: Person,
    drop: Person,
    actor: User | None = None,
    automatic: bool = False,
    score: float | None = None,
    evidence: Sequence[str] = (),
    batch: ImportBatch | None = None,
) -> Person:
    """Makes two records of one human one: ``keep`` gains every identity, touch and connection.

    Empty details of ``keep`` are filled from ``drop``. A :class:`PersonMerge` keeps what is
    needed to split them again, and ``batch``, the import that decided it, if any.
    """
    if keep.pk == drop.pk:
        raise ValidationError(constants.MERGE_SELF)
    if keep.workspace_id != drop.workspace_id:
        raise ValidationError(constants.MERGE_WORKSPACES)
    snapshot = _snapshot(drop)
    snapshot["kept_touch_ids"] = list(keep.touches.values_list("pk", flat=True))
    snapshot["filled"] = merge_fill_details(keep, drop)
    drop.identities.update(person=keep)
    for touch in drop.touches.all():
        touch.people.add(keep)
    for connection in drop.connections.all():
        twin = keep.connections.filter(network=connection.network, kind=connection.kind).first()
        if twin is None:
            connection.person = keep
            connection.save(update_fields=["person"])
        elif merge_fold_connection(snapshot, connection, twin):
            twin.save(update_fields=["connected_on"])
    merge = PersonMerge.objects.create(
        workspace=keep.workspace,
        kept=keep,
        dropped_id=drop.pk,
        snapshot=snapshot,
        automatic=automatic,
        score=score,
        evidence=list(evidence),
        actor=actor,
        source_batch=batch,
    )
    AuditEntry.objects.create(
        workspace=keep.workspace,
        actor=actor,
        action="person.merge",
        subject=f"{drop.display_name} into {keep.display_name}",
        details={"merge_id": merge.pk, "kept": keep.pk, "dropped": drop.pk},
    )
    drop.delete()
    person_derive_fields(keep)
    keep.save()
    person_index_search(keep)
    person_refresh_figures([keep.pk])
    keep.refresh_from_db()
    return keep


def _remember_not_same(workspace: Workspace, a: int, b: int) -> None:
    NotSamePerson.objects.get_or_create(
        workspace=workspace, person_low_id=min(a, b), person_high_id=max(a, b)
    )


@transaction.atomic
def person_unmerge(
    *, merge: PersonMerge, actor: User | None = None, remember: bool = True
) -> Person:
    """Splits a merge: the dropped person comes back with what they brought.

    Identities, touches and connections that came with them return; anything added to the
    merged person since stays with the kept one. The two are remembered as different people, so
    matching never joins them again, unless ``remember`` is False: undoing the import that
    merged them takes the merge back, not the user's say that they are two.
    """
    if merge.undone_at is not None:
        raise ValidationError("This merge was already split.")
    keep = merge.kept
    snapshot = merge.snapshot
    restored = Person(
        workspace=keep.workspace,
        source=snapshot.get("source", Source.MANUAL),
        source_key=snapshot.get("source_key", ""),
        **snapshot["fields"],
    )
    person_derive_fields(restored, emails=())
    restored.save()
    person_index_search(restored, previous="")
    for name in snapshot.get("filled", []):
        if name == "notes":
            dropped_notes = snapshot["fields"].get("notes", "")
            keep.notes = keep.notes.replace(dropped_notes, "").strip()
        elif getattr(keep, name) == snapshot["fields"].get(name):
            setattr(keep, name, "" if name != "cadence_days" else None)
    Identity.objects.filter(person=keep, pk__in=snapshot["identity_ids"]).update(person=restored)
    kept_touches = set(snapshot.get("kept_touch_ids", []))
    for touch in Touch.objects.filter(pk__in=snapshot["touch_ids"], people=keep):
        touch.people.add(restored)
        if touch.pk not in kept_touches:
            touch.people.remove(keep)
    keep.connections.filter(pk__in=snapshot["connection_ids"]).update(person=restored)
    for connection in snapshot.get("dropped_connections", []):
        restored.connections.create(
            workspace=keep.workspace,
            network=connection["network"],
            kind=connection["kind"],
            connected_on=connection["connected_on"],
        )
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_at"])
    if remember:
        _remember_not_same(keep.workspace, keep.pk, restored.pk)
    AuditEntry.objects.create(
        workspace=keep.workspace,
        actor=actor,
        action="person.unmerge",
        subject=f"{restored.display_name} from {keep.display_name}",
        details={"merge_id": merge.pk, "kept": keep.pk, "restored": restored.pk},
    )
    person_derive_fields(keep)
    keep.save()
    person_index_search(keep)
    person_derive_fields(restored)
    restored.save()
    person_index_search(restored)
    person_refresh_figures([keep.pk, restored.pk])
    restored.refresh_from_db()
    return restored


@transaction.atomic
def review_merge(
    *, review: MatchReview, keep: Person | None = None, actor: User | None = None
) -> Person:
    """The user confirms two people are one human: they are merged (and can be split again)."""
    if review.status != MatchReview.Status.OPEN:
        raise ValidationError("This match was already decided.")
    first = Person.objects.get(pk=review.person_a_id)
    second = Person.objects.get(pk=review.person_b_id)
    keep = keep or (first if first.touch_count >= second.touch_count else second)
    drop = second if keep.pk == first.pk else first
    review.status = MatchReview.Status.MERGED
    review.decided_at = timezone.now()
    review.decided_by = actor
    review.save(update_fields=["status", "decided_at", "decided_by"])
    evidence = [str(e) for e in review.evidence]
    # The review goes with the dropped person; the merge record keeps its score and evidence.
    return person_merge(keep=keep, drop=drop, actor=actor, score=review.score, evidence=evidence)


@transaction.atomic
def review_reject(*, review: MatchReview, actor: User | None = None) -> MatchReview:
    """The user says these are two different humans; remembered for every later import."""
    if review.status != MatchReview.Status.OPEN:
        raise ValidationError("This match was already decided.")
    review.status = MatchReview.Status.REJECTED
    review.decided_at = timezone.now()
    review.decided_by = actor
    # Only a review still open is decided: another request may have decided it, or deleted or
    # merged one of its people (which removes it), since it was read.
    decided = MatchReview.objects.filter(pk=review.pk, status=MatchReview.Status.OPEN).update(
        status=review.status, decided_at=review.decided_at, decided_by=actor
    )
    if not decided:
        raise ValidationError("This match was already decided, or one of its people is gone.")
    _remember_not_same(review.workspace, review.person_a_id, review.person_b_id)
    return review
