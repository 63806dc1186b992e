"""Reading people and touches, always within one workspace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from rapidfuzz import fuzz, process

from eyecontact.accounts.models import Workspace
from eyecontact.matching import MatchIndex, PersonRecord
from eyecontact.matching.normalize import fold_name

from .choices import Source
from .models import Connection, Identity, MatchReview, Person, PersonMerge, PersonSearchWord, Touch
from .search import people_among, search_words, word_owners

__all__ = [
    "with_identities",
    "connection_get",
    "connections_list",
    "LIKE_CANDIDATES",
    "NAMELESS",
    "NameLookup",
    "PEOPLE_SORTS",
    "PersonLike",
    "identity_get",
    "merge_get",
    "organizations",
    "people_by_ids",
    "people_list",
    "people_like",
    "people_named",
    "person_for_name",
    "person_get",
    "person_merges",
    "person_timeline",
    "review_gain",
    "review_get",
    "reviews_held_count",
    "reviews_of_batch",
    "reviews_open",
    "reviews_open_count",
    "touch_get",
    "touches_list",
]

# An account from a follow list that nobody named: an import made its name up from the X account
# ("X account 1234", "@handle"). Not someone the user knows, so lists, counts and searches leave
# them out unless asked; the follower history (churn) reads their accounts, not this list.
NAMELESS = (
    Q(given_name="", family_name="")
    & (Q(display_name__startswith="X account ") | Q(display_name__startswith="@"))
    & ~Q(source=Source.MANUAL)
)

# A search matching fewer people than this sorts them after finding them; see people_list.
SORT_AFTER_SEARCH = 5_000
# The sorts a people list offers, by the name users see in the URL.
PEOPLE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("sort_name", "id"),
    "-name": ("-sort_name", "-id"),
    "last_touch": ("last_touch_at", "id"),
    "-last_touch": ("-last_touch_at", "-id"),
    "last_met": ("last_in_person_at", "id"),
    "-last_met": ("-last_in_person_at", "-id"),
    "touches": ("touch_count", "id"),
    "-touches": ("-touch_count", "-id"),
}


def people_list(
    *,
    workspace: Workspace,
    query: str = "",
    organization: str = "",
    met: str = "",
    sort: str = "name",
    tag: str = "",
    nameless: bool = False,
    archived: bool = False,
) -> QuerySet[Person]:
    """People matching a search (name, organization, title, city, e-mail), filtered and sorted.

    Every word of ``query`` must start a word of the person's: "gra hop" finds Grace Hopper.
    A query with no word in it (only punctuation: ``'``, ``<>``) finds nobody.

    ``met`` is ``"in_person"`` (met in person at least once), ``"never"`` (never met in person)
    or empty for everyone. ``tag`` keeps the people with the tag of that name. The
    :data:`NAMELESS` accounts of follow lists are left out unless ``nameless`` is true.
    Archived people (deleted from a phone) are left out; with ``archived``, only they are
    listed.
    """
    people = Person.objects.filter(workspace=workspace, archived_at__isnull=not archived)
    if not nameless:
        people = people.exclude(NAMELESS)
    # Each typed word is the start of one of a person's words (an e-mail's too: its parts are
    # words), found through the word index; several words narrow the list down.
    words = search_words(query)
    if query.strip() and not words:
        return Person.objects.none()
    few = _search_matches(workspace, words) if words else None
    if few is not None:
        people = people_among(people, few)
    else:
        for word in words:
            people = people.filter(pk__in=word_owners(workspace=workspace, word=word))
    if organization:
        people = people.filter(organization__iexact=organization.strip())
    if tag:
        tagged = Person.tags.through.objects.filter(
            tag__workspace=workspace, tag__name__iexact=tag.strip()
        ).values("person_id")
        people = people.filter(pk__in=tagged)
    if met == "in_person":
        people = people.filter(last_in_person_at__isnull=False)
    elif met == "never":
        people = people.filter(last_in_person_at__isnull=True)
    order = PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"])
    field, descending = order[0].lstrip("-"), order[0].startswith("-")
    key: F | Coalesce = F(field)
    if few is not None:
        # Coalesce(x, x) is x, but no index yields its order: the database fetches the few
        # matches by id and sorts them. Otherwise it may walk the sort's index hoping to meet
        # matches soon, and read every person when they sit at its end (a family name sorted
        # by name). Many matches are met soon, so they keep the index.
        key = Coalesce(F(field), F(field))
    # Never touched, never met: at the end whichever way the dates are sorted.
    nulls_last = True if field in ("last_touch_at", "last_in_person_at") else None
    first = key.desc(nulls_last=nulls_last) if descending else key.asc(nulls_last=nulls_last)
    return people.order_by(first, order[1])


def _search_matches(workspace: Workspace, words: list[str]) -> set[int] | None:
    """The ids of the people matching every word, or None when more than SORT_AFTER_SEARCH.

    Read from the word index alone, starting from the longest (likely the rarest) word.
    """
    longest, *others = sorted(words, key=len, reverse=True)
    rows = word_owners(workspace=workspace, word=longest)
    for word in others:
        rows = rows.filter(person_id__in=word_owners(workspace=workspace, word=word))
    # Rows, not people: a person has a row per word the typed one starts ("ann": anna, anne).
    found = list(rows.values_list("person_id", flat=True)[: SORT_AFTER_SEARCH + 1])
    return None if len(found) > SORT_AFTER_SEARCH else set(found)


def people_by_ids(*, workspace: Workspace, ids: Iterable[int]) -> list[Person]:
    """The people of this workspace among ``ids``; ids of other workspaces are left out."""
    return list(Person.objects.filter(workspace=workspace, pk__in=set(ids)).order_by("id"))


def people_named(*, workspace: Workspace, name: str) -> list[Person]:
    """Everyone whose name is exactly ``name``, ignoring case, accents and punctuation."""
    folded = fold_name(name)
    if not folded:
        return []
    candidates = Person.objects.filter(workspace=workspace, search_text__startswith=folded)
    return [
        p for p in candidates.order_by("sort_name", "id") if fold_name(p.display_name) == folded
    ]


# People compared with a name at most: those sharing the most words of it, then the most recently
# met. The matcher scores a few hundred in a millisecond or two.
LIKE_CANDIDATES = 300
# What the matcher reads of each person, and what a found person needs for the touch services;
# in the model's order of fields, as ``Person.from_db`` takes them.
_LIKE_FIELDS = (
    "id",
    "workspace_id",
    "given_name",
    "family_name",
    "display_name",
    "organization",
    "title",
    "city",
)


@dataclass(frozen=True)
class PersonLike:
    """A person of the ledger who could be the human a name (and organization) describes."""

    person: Person
    score: float
    evidence: tuple[str, ...]
    decision: str  # the matcher's: "merge" (sure) or "review" (maybe)


def people_like(
    *,
    workspace: Workspace,
    name: str,
    organization: str = "",
    limit: int = 5,
    candidates: int = LIKE_CANDIDATES,
) -> list[PersonLike]:
    """The people of this workspace who could be ``name`` at ``organization``, best first.

    Everyone sharing a word of the name (exactly, through the search-word index) is a
    candidate; the matcher (:class:`~eyecontact.matching.MatchIndex`) scores them, weighing
    nicknames, typos and the organization. Only its sure and maybe answers are returned, at
    most ``limit``. One query; the people come with the fields the matcher reads (the others
    load when used).
    """
    words = [word for word in search_words(name) if len(word) >= 2]
    if not words:
        return []
    rows = _sharing_a_word(workspace, words, candidates)
    if not rows:
        return []
    index = MatchIndex(
        PersonRecord(
            id=row[0],
            full_name=row[4],
            given_name=row[2],
            family_name=row[3],
            organization=row[5],
            title=row[6],
            city=row[7],
        )
        for row in rows
    )
    found = [
        candidate
        for candidate in index.candidates(
            PersonRecord(id="query", full_name=name, organization=organization), limit=limit
        )
        if candidate.decision != "distinct"
    ]
    by_id = {row[0]: row for row in rows}
    answer = []
    for candidate in found:
        person = Person.from_db(connection.alias, _LIKE_FIELDS, by_id[candidate.id])
        person.workspace = workspace  # the caller's row: no query when a service reads it
        answer.append(
            PersonLike(
                person=person,
                score=candidate.score,
                evidence=tuple(e.detail for e in candidate.evidence),
                decision=candidate.decision,
            )
        )
    return answer


@dataclass(frozen=True)
class NameLookup:
    """Whom a typed name means: the one person called exactly that, or who it could be.

    ``person`` is set only when exactly one person has the name (ignoring case, accents and
    punctuation). Otherwise ``candidates`` holds everyone with the name, then the people the
    matcher finds like it (a typo, a nickname), best first; it may be empty.
    """

    person: Person | None
    candidates: list[Person]


# What a choice between candidates shows of each: the name, organization and when last met.
_CANDIDATE_FIELDS = ("id", "workspace_id", "display_name", "organization", "last_in_person_at")


def person_for_name(*, workspace: Workspace, name: str, limit: int = 5) -> NameLookup:
    """Who ``name`` is in this workspace, never guessing: see :class:`NameLookup`."""
    named = people_named(workspace=workspace, name=name)
    if len(named) == 1:
        return NameLookup(person=named[0], candidates=[])
    ids = [p.pk for p in named]
    similar = [like.person.pk for like in people_like(workspace=workspace, name=name, limit=limit)]
    for pk in [*similar, *_spelled_alike(workspace, name, limit)]:
        if pk not in ids:
            ids.append(pk)
    found = Person.objects.filter(workspace=workspace, pk__in=ids).only(*_CANDIDATE_FIELDS)
    by_id = {p.pk: p for p in found}
    return NameLookup(person=None, candidates=[by_id[pk] for pk in ids if pk in by_id])


# How alike two folded names must be (rapidfuzz's ratio, 0 to 100) to offer one for the other:
# "anneliese brant" and "anneliese brandt" score 97, "anneliese muller" 65.
SPELLED_ALIKE = 85


def _spelled_alike(workspace: Workspace, name: str, limit: int) -> list[int]:
    """People sharing a word of ``name`` whose whole name is spelled almost like it: a typo
    the matcher, which weighs names by their parts, leaves out."""
    words = [word for word in search_words(name) if len(word) >= 2]
    folded = fold_name(name)
    if not words or not folded:
        return []
    rows = _sharing_a_word(workspace, words, LIKE_CANDIDATES)
    found = process.extract(
        folded,
        {row[0]: fold_name(row[4]) for row in rows},
        scorer=fuzz.ratio,
        score_cutoff=SPELLED_ALIKE,
        limit=limit,
    )
    return [int(pk) for _, _, pk in found]


def _sharing_a_word(workspace: Workspace, words: list[str], limit: int) -> list[tuple[Any, ...]]:
    """The ``_LIKE_FIELDS`` of up to ``limit`` people with one of ``words``: those sharing the
    most of them first, then those met most recently, ranked in the word index.

    Written out rather than built with the ORM, which takes longer to build this query (three
    quarters of a millisecond) than the database takes to answer it; plain SQL that SQLite and
    PostgreSQL both read.
    """
    quote = connection.ops.quote_name
    people = quote(Person._meta.db_table)
    search_words = quote(PersonSearchWord._meta.db_table)
    columns = ", ".join(f"p.{quote(name)}" for name in _LIKE_FIELDS)
    marks = ", ".join(["%s"] * len(words))
    # Only the models' own quoted table and column names; every value is a parameter.
    sql = (
        f"SELECT {columns} FROM {people} p WHERE p.workspace_id = %s AND p.id IN ("  # noqa: S608
        f"SELECT w.person_id FROM {search_words} w "
        f"INNER JOIN {people} m ON m.id = w.person_id "
        f"WHERE w.workspace_id = %s AND w.word IN ({marks}) "
        "GROUP BY w.person_id, m.last_high_touch_at "
        "ORDER BY COUNT(*) DESC, m.last_high_touch_at DESC NULLS LAST, w.person_id "
        "LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [workspace.pk, workspace.pk, *words, limit])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def person_get(*, workspace: Workspace, pk: int) -> Person:
    """The person with this id in this workspace, or a 404."""
    return get_object_or_404(Person.objects.filter(workspace=workspace), pk=pk)


def person_timeline(
    *, person: Person, before: tuple[dt.datetime, int] | None = None
) -> QuerySet[Touch]:
    """A person's touches, newest first, with the people and event of each.

    ``before`` is the (time, id) of the last touch already shown: the touches after it in this
    order, found by key rather than by offset so a later page costs what the first one does.
    """
    touches = person.touches.all()
    if before is not None:
        moment, touch_id = before
        touches = touches.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=touch_id))
    return (
        touches.select_related("event")
        .prefetch_related(Prefetch("people", queryset=Person.objects.only("id", "display_name")))
        .order_by("-occurred_at", "-id")
    )


def touches_list(*, workspace: Workspace) -> QuerySet[Touch]:
    return (
        Touch.objects.filter(workspace=workspace)
        .select_related("event")
        .prefetch_related(Prefetch("people", queryset=Person.objects.only("id", "display_name")))
        .order_by("-occurred_at", "-id")
    )


def touch_get(*, workspace: Workspace, pk: int) -> Touch:
    return get_object_or_404(Touch.objects.filter(workspace=workspace), pk=pk)


def identity_get(*, workspace: Workspace, pk: int) -> Identity:
    return get_object_or_404(Identity.objects.filter(workspace=workspace), pk=pk)


def organizations(*, workspace: Workspace, limit: int = 200) -> list[str]:
    """The most common organizations, for the people list's filter."""
    rows = (
        Person.objects.filter(workspace=workspace)
        .exclude(organization="")
        .values("organization")
        .annotate(n=Count("id"))
        .order_by("-n", "organization")[:limit]
    )
    return [row["organization"] for row in rows]


def review_gain() -> ExpressionWrapper[CombinedExpression]:
    """What deciding a possible duplicate is worth: how sure the match is times what saying yes
    would join (the two people's touches and connections, so that a LinkedIn connection with
    thirty meetings comes before two lone records). The review queue is ranked by it."""
    joined = (
        Value(1.0)
        + F("person_a__touch_count")
        + F("person_b__touch_count")
        + _connection_count("person_a")
        + _connection_count("person_b")
    )
    return ExpressionWrapper(F("score") * joined, output_field=FloatField())


def reviews_open(*, workspace: Workspace, held: bool = False) -> QuerySet[MatchReview]:
    """Possible duplicates waiting for the user (the review queue), both people ready to
    compare, the likeliest gain first (:func:`review_gain`); ``held``: those held back instead,
    in the order they will come into the queue."""
    status = MatchReview.Status.HELD if held else MatchReview.Status.OPEN
    return (
        MatchReview.objects.filter(workspace=workspace, status=status)
        .select_related("person_a", "person_b", "source_batch")
        .prefetch_related(
            "person_a__identities",
            "person_a__connections",
            "person_b__identities",
            "person_b__connections",
        )
        .annotate(gain=review_gain())
        .order_by("-gain", "-score", "id")
    )


def _connection_count(side: str) -> Coalesce:
    counted = (
        Connection.objects.filter(person=OuterRef(side))
        .order_by()
        .values("person")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def reviews_open_around(*, workspace: Workspace, people: Iterable[int]) -> dict[int, int]:
    """For each of ``people``, how many possible duplicates of theirs are open."""
    wanted = list(set(people))
    rows = MatchReview.objects.filter(workspace=workspace, status=MatchReview.Status.OPEN).filter(
        Q(person_a__in=wanted) | Q(person_b__in=wanted)
    )
    found: dict[int, int] = {}
    for a, b in rows.values_list("person_a_id", "person_b_id"):
        for side in (a, b):
            found[side] = found.get(side, 0) + 1
    return {person: found.get(person, 0) for person in wanted}


def reviews_open_count(*, workspace: Workspace) -> int:
    """How many possible duplicates wait in the review queue (at most REVIEW_QUEUE_SIZE)."""
    return MatchReview.objects.filter(workspace=workspace, status=MatchReview.Status.OPEN).count()


def reviews_held_count(*, workspace: Workspace) -> int:
    """How many less likely possible duplicates are held back, to come up as the queue's are
    decided."""
    return MatchReview.objects.filter(workspace=workspace, status=MatchReview.Status.HELD).count()


def reviews_of_batch(*, workspace: Workspace, batch_id: int) -> dict[str, int]:
    """How many of the possible duplicates an import found are in each state (open, held…)."""
    rows = (
        MatchReview.objects.filter(workspace=workspace, source_batch_id=batch_id)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def review_get(*, workspace: Workspace, pk: int) -> MatchReview:
    return get_object_or_404(MatchReview.objects.filter(workspace=workspace), pk=pk)


def person_merges(*, person: Person) -> QuerySet[PersonMerge]:
    """The records merged into this person that can still be split off again."""
    return person.merges_kept.filter(undone_at__isnull=True).order_by("-created_at", "-id")


def merge_get(*, workspace: Workspace, pk: int) -> PersonMerge:
    return get_object_or_404(PersonMerge.objects.filter(workspace=workspace), pk=pk)


def connections_list(
    *, workspace: Workspace, network: str = "", person_id: int | None = None
) -> QuerySet[Connection]:
    connections = Connection.objects.filter(workspace=workspace).select_related("person")
    if network:
        connections = connections.filter(network=network)
    if person_id is not None:
        connections = connections.filter(person_id=person_id)
    return connections.order_by("-connected_on", "id")


def connection_get(*, workspace: Workspace, pk: int) -> Connection:
    return get_object_or_404(Connection.objects.filter(workspace=workspace), pk=pk)


def with_identities(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with their identities (by kind), one query for a whole page, not one each."""
    return people.prefetch_related(
        Prefetch("identities", queryset=Identity.objects.order_by("kind", "id"))
    )
