"""The ledger's bulk writes: what an import adds, changes and takes back, many rows at once.

An importer plans its rows (:mod:`eyecontact.imports.loading`) and hands them here; these
functions write them through one prepared statement per table (:mod:`eyecontact.common.bulk`),
in the caller's transaction, and keep what the ledger derives from them (search words, touch
figures) current::

    people_bulk_create (names, search words) ──► identities_bulk_add ──► connections_bulk_add,
          │                     connections_bulk_redate, connections_mark_removed,
          │                     touches_bulk_add (with their people), reviews_bulk_add
          ▼
    people_bulk_refresh: search text of the people changed, touch figures, once, at the end

Undoing an import goes the other way: :func:`batch_touches_forget` and :func:`batch_forget`
take back what a batch added, :func:`people_restore_imported` puts back names and details it
changed, :func:`connections_restore_removed` the connections it marked removed.

Rows are plain named tuples (a tuple each, no model instance): a heavy user's import writes
hundreds of thousands. Rows may come from a generator; they are written a chunk at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.common.bulk import insert_rows, update_rows

from ..choices import IdentityKind, Source
from ..models import Connection, Identity, MatchReview, NotSamePerson, Person, Touch
from ..search import people_index_new, people_index_search, person_index_search
from .merges import _remember_not_same
from .persons import person_derive_fields, person_derived_values, person_refresh_figures
from .queue import reviews_queue_fill

__all__ = [
    "ConnectionRow",
    "IdentityRow",
    "NameTaken",
    "PersonRow",
    "ReviewRow",
    "TouchRow",
    "batch_forget",
    "batch_touches_forget",
    "connections_bulk_add",
    "connections_bulk_redate",
    "connections_mark_removed",
    "connections_restore_removed",
    "identities_bulk_hand_over",
    "identities_bulk_add",
    "people_bulk_create",
    "people_bulk_details",
    "people_bulk_refresh",
    "people_restore_imported",
    "person_split_row",
    "people_bulk_add_drawn",
    "people_take_names",
    "person_take_name",
    "reviews_bulk_add",
    "touches_bulk_add",
    "touches_bulk_add_drawn",
]


class PersonRow(NamedTuple):
    """A person to create, with the e-mail addresses they are found by; ``source_key`` (the
    row that made them) is unique in its batch."""

    display_name: str
    given_name: str
    family_name: str
    organization: str
    title: str
    city: str
    notes: str
    emails: Sequence[str]
    source_key: str


_PERSON_COLUMNS = (
    "display_name",
    "given_name",
    "family_name",
    "organization",
    "title",
    "city",
    "notes",
    "sort_name",
    "search_text",
    "source_key",
)


class IdentityRow(NamedTuple):
    person_id: int
    kind: str
    value: str
    source_key: str


class ConnectionRow(NamedTuple):
    person_id: int
    network: str
    kind: str
    connected_on: dt.date | None
    source_key: str


class TouchRow(NamedTuple):
    """A touch to write; ``source_key`` (the meeting or message) is unique in the workspace."""

    channel: str
    occurred_at: dt.datetime
    has_time: bool
    where: str
    note: str
    source_key: str


class ReviewRow(NamedTuple):
    """A possible match: two people, how sure matching is, and why."""

    person_a_id: int
    person_b_id: int
    score: float
    evidence: list[str]


def _imported(workspace: Workspace, batch_id: int) -> dict[str, Any]:
    return {"workspace_id": workspace.pk, "source": Source.IMPORT, "source_batch_id": batch_id}


def people_bulk_create(
    *, workspace: Workspace, batch_id: int, rows: Iterable[PersonRow]
) -> dict[str, int]:
    """Creates the people of ``rows`` as imported by batch ``batch_id``, with their derived
    names and search words; each one's id by its ``source_key``."""
    texts: dict[str, str] = {}

    def derived() -> Iterator[tuple[str, ...]]:
        for row in rows:
            display_name, sort_name, search_text = person_derived_values(
                display_name=row.display_name,
                given_name=row.given_name,
                family_name=row.family_name,
                organization=row.organization,
                title=row.title,
                city=row.city,
                emails=row.emails,
            )
            texts[row.source_key] = search_text
            yield (
                display_name,
                row.given_name,
                row.family_name,
                row.organization,
                row.title,
                row.city,
                row.notes,
                sort_name,
                search_text,
                row.source_key,
            )

    written = insert_rows(Person, _PERSON_COLUMNS, derived(), fixed=_imported(workspace, batch_id))
    if not written:
        return {}
    ids = {
        source_key: pk
        for pk, source_key in Person.objects.filter(
            workspace=workspace, source_batch_id=batch_id
        ).values_list("pk", "source_key")
        if source_key in texts
    }
    people_index_new((pk, workspace.pk, texts[key]) for key, pk in ids.items())
    return ids


def identities_bulk_add(*, workspace: Workspace, batch_id: int, rows: Iterable[IdentityRow]) -> int:
    """Gives people identities nobody in the workspace holds yet; how many were written."""
    return insert_rows(Identity, IdentityRow._fields, rows, fixed=_imported(workspace, batch_id))


def connections_bulk_add(
    *, workspace: Workspace, batch_id: int, rows: Iterable[ConnectionRow]
) -> int:
    """Adds connections the people do not have yet; how many were written."""
    return insert_rows(
        Connection, ConnectionRow._fields, rows, fixed=_imported(workspace, batch_id)
    )


def connections_bulk_redate(*, connections: Iterable[Connection]) -> None:
    """Stores the ``removed_on`` and ``connected_on`` these connections were given."""
    update_rows(
        Connection,
        ("removed_on", "connected_on"),
        ((c.removed_on, c.connected_on, c.pk) for c in connections),
    )


def connections_mark_removed(
    *, workspace: Workspace, person_ids: Sequence[int], network: str, kind: str, on: dt.date
) -> list[int]:
    """Marks the live connections of these people, of a network and kind, removed since
    ``on``; the ids of those marked."""
    gone: list[int] = []
    ids = list(person_ids)
    for start in range(0, len(ids), 900):
        links = Connection.objects.filter(
            workspace=workspace,
            person_id__in=ids[start : start + 900],
            network=network,
            kind=kind,
            removed_on__isnull=True,
        )
        chunk = list(links.values_list("pk", flat=True))
        Connection.objects.filter(pk__in=chunk).update(removed_on=on)
        gone += chunk
    return gone


def connections_restore_removed(*, workspace: Workspace, connection_ids: Sequence[int]) -> None:
    """The connections an import marked removed are live again."""
    for start in range(0, len(connection_ids), 900):
        Connection.objects.filter(
            workspace=workspace, pk__in=connection_ids[start : start + 900]
        ).update(removed_on=None)


def touches_bulk_add(
    *, workspace: Workspace, batch_id: int, touches: Sequence[tuple[TouchRow, Sequence[int]]]
) -> set[int]:
    """Writes touches with their people (each touch's key new to the workspace); the people
    touched, whose figures :func:`people_bulk_refresh` brings up to date."""
    insert_rows(
        Touch, TouchRow._fields, (t for t, _ in touches), fixed=_imported(workspace, batch_id)
    )
    if not touches:
        return set()
    # Source keys are unique among this batch's touches (the caller checked).
    ids = dict(
        Touch.objects.filter(workspace=workspace, source_batch_id=batch_id).values_list(
            "source_key", "pk"
        )
    )
    insert_rows(
        Touch.people.through,
        ("touch_id", "person_id"),
        ((ids[t.source_key], p) for t, people in touches for p in people),
    )
    return {p for _, people in touches for p in people}


def reviews_bulk_add(*, workspace: Workspace, batch_id: int, rows: Iterable[ReviewRow]) -> int:
    """Asks the user about possible matches: pairs of two different people neither waiting
    already nor said to be different people; how many were added."""
    not_same = {
        frozenset(pair)
        for pair in NotSamePerson.objects.filter(workspace=workspace).values_list(
            "person_low_id", "person_high_id"
        )
    }
    existing = set(
        MatchReview.objects.filter(workspace=workspace).values_list("person_a_id", "person_b_id")
    )
    pairs = set()
    reviews = []
    for a, b, score, evidence in rows:
        low, high = min(a, b), max(a, b)
        if low == high or (low, high) in pairs or (low, high) in existing:
            continue
        if frozenset((low, high)) in not_same:
            continue
        pairs.add((low, high))
        reviews.append((low, high, score, evidence))
    return insert_rows(
        MatchReview,
        ReviewRow._fields,
        reviews,
        fixed={"workspace_id": workspace.pk, "source_batch_id": batch_id},
    )


def people_bulk_details(*, rows: Iterable[tuple[str, str, str, int]]) -> None:
    """Sets the organization, title and city (then the person's id) of each row; their search
    text follows in :func:`people_bulk_refresh`."""
    update_rows(Person, ("organization", "title", "city"), rows)


class NameTaken(NamedTuple):
    """A name a row gives a person known by a stand-in name ("@handle")."""

    person_id: int
    full_name: str
    given_name: str
    family_name: str


def people_take_names(*, names: Iterable[NameTaken]) -> dict[int, list[str]]:
    """People known by a stand-in name ("@handle") take the names rows give them, read and
    written a few hundred at a time (a follower tool's list names thousands); what each
    renamed person's name was (display, given, family), in the order of ``names``. People
    with a name already keep it and are left out."""
    wanted = {name.person_id: name for name in names}
    ids = list(wanted)
    before: dict[int, list[str]] = {}
    rows = []
    now = timezone.now()
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        unnamed = Person.objects.filter(pk__in=chunk, given_name="", family_name="")
        found = {
            pk: fields
            for pk, *fields in unnamed.values_list(
                "pk", "display_name", "organization", "title", "city"
            )
            # Exactly as typed: SQLite's LIKE would take "x account 1" too.
            if fields[0].startswith(("@", "X account "))
        }
        emails: dict[int, list[str]] = defaultdict(list)
        held = Identity.objects.filter(person_id__in=sorted(found), kind=IdentityKind.EMAIL)
        for person_id, value in held.order_by("pk").values_list("person_id", "value"):
            emails[person_id].append(value)
        for person_id in chunk:
            if person_id not in found:
                continue
            display_name, organization, title, city = found[person_id]
            name = wanted[person_id]
            given_name, family_name = name.given_name[:150], name.family_name[:150]
            derived = person_derived_values(
                display_name=name.full_name[:300],
                given_name=given_name,
                family_name=family_name,
                organization=organization,
                title=title,
                city=city,
                emails=emails[person_id],
            )
            before[person_id] = [display_name, "", ""]
            rows.append((*derived, given_name, family_name, now, person_id))
    update_rows(
        Person,
        ("display_name", "sort_name", "search_text", "given_name", "family_name", "updated_at"),
        rows,
    )
    return before


def person_take_name(
    *, person_id: int, full_name: str, given_name: str, family_name: str
) -> list[str] | None:
    """A person known by a stand-in name ("@handle") takes the name a row gives them; what
    their name was (display, given, family), or None when they have a name already."""
    taken = people_take_names(names=[NameTaken(person_id, full_name, given_name, family_name)])
    return taken.get(person_id)


def people_bulk_refresh(
    *,
    created: set[int],
    changed: set[int],
    renamed: Iterable[int],
    touched: Iterable[int],
    touches_new: int,
) -> None:
    """Brings what the ledger derives up to date after a bulk write, once for all.

    ``changed`` are people, other than the ``created`` ones, who gained an e-mail address or
    new details (their search text is derived again), ``renamed`` those given a name;
    ``touched`` the people of new touches, whose figures are recomputed. ``touches_new`` says
    how many touches were written.
    """
    _analyze_after_bulk_load(len(created) + touches_new)
    _refresh_search(changed - created)
    people_index_search(changed | set(renamed))
    person_refresh_figures(touched)


def _analyze_after_bulk_load(rows_new: int) -> None:
    """Has PostgreSQL look at the tables a big import has just filled.

    Its planner knows a table's size only from its statistics, which autovacuum renews some time
    after a commit. Until then, tables that were nearly empty before the import look nearly
    empty still, and the queries that follow in this same transaction (the people's touch
    figures, their search words) pick plans that read whole tables for each person: the
    calendar import spent over a minute in them. ANALYZE counts the transaction's own new rows.
    """
    if connection.vendor != "postgresql" or rows_new < 10_000:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in (Person, Identity, Touch, Touch.people.through):
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _refresh_search(person_ids: set[int]) -> None:
    """The search text of people who gained an e-mail address or a new job."""
    ids = sorted(person_ids)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        emails: dict[int, list[str]] = defaultdict(list)
        for person_id, value in Identity.objects.filter(
            person_id__in=chunk, kind=IdentityKind.EMAIL
        ).values_list("person_id", "value"):
            emails[person_id].append(value)
        rows = []
        for pk, *fields in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "display_name", "given_name", "family_name", "organization", "title", "city"
        ):
            display_name, given_name, family_name, organization, title, city = fields
            _, _, search_text = person_derived_values(
                display_name=display_name,
                given_name=given_name,
                family_name=family_name,
                organization=organization,
                title=title,
                city=city,
                emails=sorted(emails[pk]),
            )
            rows.append((search_text, pk))
        update_rows(Person, ("search_text",), rows)


# ----- taking an import back -------------------------------------------------------------


def batch_touches_forget(*, workspace: Workspace, batch_id: int) -> set[int]:
    """Deletes the touches an import wrote; the people they touched, whose figures
    :func:`batch_forget` recomputes."""
    touched = set(
        Touch.people.through.objects.filter(
            touch__workspace=workspace, touch__source_batch_id=batch_id
        ).values_list("person_id", flat=True)
    )
    Touch.objects.filter(workspace=workspace, source_batch_id=batch_id).delete()
    return touched


def identities_bulk_hand_over(*, identities: Iterable[tuple[int, int, str]]) -> None:
    """Identities (id, batch id, source key) that another import shows too become that
    import's, so taking the first one back leaves them with their person."""
    update_rows(
        Identity, ("source_batch_id", "source_key"), ((b, k, pk) for pk, b, k in identities)
    )


def batch_forget(*, workspace: Workspace, batch_id: int, touched: Iterable[int]) -> int:
    """Takes back the connections, identities, reviews and people an import added (after
    :func:`batch_touches_forget`); how many people were removed.

    People it created stay when something else (a later import, the user) has since given
    them touches, identities or connections. ``touched`` people's figures are recomputed.
    """
    Connection.objects.filter(workspace=workspace, source_batch_id=batch_id).delete()
    Identity.objects.filter(workspace=workspace, source_batch_id=batch_id).delete()
    MatchReview.objects.filter(workspace=workspace, source_batch_id=batch_id).delete()
    created = Person.objects.filter(workspace=workspace, source_batch_id=batch_id)
    kept_alive = created.filter(
        Q(identities__isnull=False) | Q(touches__isnull=False) | Q(connections__isnull=False)
    ).values_list("pk", flat=True)
    removed: int = created.exclude(pk__in=list(kept_alive)).delete()[1].get("people.Person", 0)
    person_refresh_figures(touched)
    reviews_queue_fill(workspace_id=workspace.pk)
    return removed


def people_restore_imported(
    *,
    workspace: Workspace,
    names: Mapping[str, Sequence[str]],
    details: Mapping[str, Mapping[str, Sequence[str]]],
) -> None:
    """Puts back the names and details an import gave people it did not create, where they
    still show what it wrote.

    ``names`` holds, by person id, the display, given and family name before the import and
    the display name it wrote; ``details``, by person id and field, the value before and the
    value it wrote.
    """
    ids = sorted({int(pk) for pk in (*names, *details)})
    for person in Person.objects.filter(workspace=workspace, pk__in=ids):
        fields = []
        named = names.get(str(person.pk))
        if named is not None and person.display_name == named[3]:
            person.display_name, person.given_name, person.family_name = named[:3]
            fields += ["display_name", "given_name", "family_name"]
        for name, (before, after) in details.get(str(person.pk), {}).items():
            if getattr(person, name) == after:
                setattr(person, name, before)
                fields.append(name)
        if fields:
            previous = person.search_text
            person_derive_fields(person)
            person.save(update_fields=[*fields, "sort_name", "search_text", "updated_at"])
            person_index_search(person, previous=previous)


def person_split_row(*, person: Person, split: Person, source_key: str) -> None:
    """An imported row's identities and connections move from ``person`` to ``split`` (made
    for that row), and the two are remembered as different people."""
    Identity.objects.filter(person=person, source_key=source_key).update(person=split)
    Connection.objects.filter(person=person, source_key=source_key).update(person=split)
    _remember_not_same(person.workspace, person.pk, split.pk)
    for changed in (person, split):
        person_derive_fields(changed)
        changed.save(update_fields=["search_text"])
        person_index_search(changed)


def people_bulk_add_drawn(
    *,
    workspace: Workspace,
    people: Sequence[Person],
    identities: Sequence[Sequence[tuple[str, str]]],
    connections: Sequence[Sequence[tuple[str, str, dt.date | None]]],
    source: str,
) -> None:
    """Stores people drawn whole by a generator (the demo), each with its identities (kind,
    value) and connections (network, kind, connected on), at the index of the person; names
    and search text are derived here as for anyone. ``people`` get their ``pk``; touch
    figures and search words are the caller's to bring up to date once all is written."""
    for person, theirs in zip(people, identities, strict=True):
        person.workspace = workspace
        person.source = source
        person_derive_fields(
            person, emails=[value for kind, value in theirs if kind == IdentityKind.EMAIL]
        )
    Person.objects.bulk_create(people)
    Identity.objects.bulk_create(
        Identity(workspace=workspace, person=person, kind=kind, value=value, source=source)
        for person, theirs in zip(people, identities, strict=True)
        for kind, value in theirs
    )
    Connection.objects.bulk_create(
        Connection(
            workspace=workspace,
            person=person,
            network=network,
            kind=kind,
            connected_on=connected_on,
            source=source,
        )
        for person, links in zip(people, connections, strict=True)
        for network, kind, connected_on in links
    )


def touches_bulk_add_drawn(*, touches: Sequence[tuple[Touch, Sequence[int]]]) -> None:
    """Stores touches drawn by a generator (the demo) with the ids of their people; the
    people's figures are the caller's to bring up to date once all is written."""
    Touch.objects.bulk_create([touch for touch, _ in touches])
    through = Touch.people.through
    through.objects.bulk_create(
        through(touch_id=touch.pk, person_id=person_id)
        for touch, people in touches
        for person_id in people
    )
