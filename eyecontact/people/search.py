"""Finding people by the words they are known by, at any size of network.

Each person's ``search_text`` (name, organization, title, city and e-mails, folded) is also kept
as one ``PersonSearchWord`` row per distinct word. The people list finds a typed word by the
words it starts, through the (workspace, word) index, so a rare name costs what its matches
cost rather than a read of every person; several typed words each narrow the list further::

    "gra kel"  ->  words starting "gra"  ∩  words starting "kel"  ->  people

Whoever writes ``search_text`` calls :func:`people_index_search` afterwards (the person services
do it for each person they save; bulk writers once for all the people they wrote), so the words
never lag behind the text they come from.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from eyecontact.accounts.models import Workspace
from eyecontact.common.bulk import insert_rows
from eyecontact.matching.normalize import fold_name

from .models import SEARCH_WORD_MAX_LENGTH, Person, PersonSearchWord

__all__ = [
    "people_among",
    "people_index_new",
    "people_index_search",
    "person_index_search",
    "search_words",
    "word_owners",
]

# People whose words are rewritten at once: their words are held in memory meanwhile.
_REWRITE_CHUNK = 5_000
# How the label of an X account known by its id alone folds (see search_words).
_STAND_IN_LABEL = "x account "


def search_words(text: str) -> list[str]:
    """The distinct words ``text`` is found by: folded like names, e-mails split at dots and @.

    The label of an X account nobody named, "X account 123…", is found by its id alone: its
    other two words would be two rows for each of the tens of thousands of accounts a heavy
    user follows, and nobody looks for "account" to find them. Typed in full, the label finds
    the account all the same, as the typed words go through here too.
    """
    folded = fold_name(text)
    if folded.startswith(_STAND_IN_LABEL) and folded[len(_STAND_IN_LABEL) :][:1].isdigit():
        folded = folded[len(_STAND_IN_LABEL) :]
    return sorted({word[:SEARCH_WORD_MAX_LENGTH] for word in folded.split()})


def person_index_search(person: Person, *, previous: str | None = None) -> None:
    """Brings a saved person's search words up to date with its ``search_text``.

    ``previous`` is the search text the words were built from, when the caller knows it ("" for
    a new person): then only the words that changed are written, most often in one statement or
    none. Without it every word of the person is written again.
    """
    words = set(search_words(person.search_text))
    if previous is None:
        PersonSearchWord.objects.filter(person_id=person.pk).delete()
        added = words
    else:
        before = set(search_words(previous))
        if gone := before - words:
            PersonSearchWord.objects.filter(person_id=person.pk, word__in=gone).delete()
        added = words - before
    if added:
        PersonSearchWord.objects.bulk_create(
            [
                PersonSearchWord(person_id=person.pk, workspace_id=person.workspace_id, word=word)
                for word in sorted(added)
            ],
            # A word already there (written from an older copy of the person) is no error.
            ignore_conflicts=previous is not None,
        )


def people_index_search(person_ids: Iterable[int]) -> None:
    """Rewrites the search words of these people from their saved ``search_text``.

    For bulk writers (imports, the demo, restoring an export): one call after the rows are
    written; the words go in through one prepared statement, three statements per 5,000
    people, each given its people as one list (see :func:`people_among`).
    """
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), _REWRITE_CHUNK):
        chunk = people_among(Person.objects.all(), ids[start : start + _REWRITE_CHUNK])
        found = chunk.values_list("pk", "workspace_id", "search_text")
        rows = [
            (pk, workspace_id, word)
            for pk, workspace_id, text in found
            for word in search_words(text)
        ]
        PersonSearchWord.objects.filter(person__in=chunk.values("pk")).delete()
        insert_rows(PersonSearchWord, ("person_id", "workspace_id", "word"), rows)


def people_index_new(people: Iterable[tuple[int, int, str]]) -> None:
    """Writes the search words of people a bulk writer has just created.

    ``people`` holds each new person's id, workspace id and the ``search_text`` it was written
    with. A new person has no words yet, so nothing is read back or deleted first: the words go
    straight in through one prepared statement.
    """
    insert_rows(
        PersonSearchWord,
        ("person_id", "workspace_id", "word"),
        [
            (pk, workspace_id, word)
            for pk, workspace_id, text in sorted(people)
            for word in search_words(text)
        ],
    )


def word_owners(*, workspace: Workspace, word: str) -> QuerySet[PersonSearchWord, Any]:
    """The ids (as ``person_id`` values) of the people with a word that starts with ``word``."""
    words = PersonSearchWord.objects.filter(workspace=workspace)
    if connection.vendor == "postgresql":
        # LIKE 'word%' through the index's varchar_pattern_ops, whatever the database's
        # collation: a range would compare by that collation, which need not follow code points.
        words = words.filter(word__startswith=word)
    else:
        # SQLite compares text by code point, so the words starting with ``word`` are exactly
        # those from it up to the same word with its last letter one higher; the index answers
        # that range directly (it would not answer LIKE, which ignores case there).
        following = word[:-1] + chr(ord(word[-1]) + 1)
        words = words.filter(word__gte=word, word__lt=following)
    return words.values("person_id")


def people_among(people: QuerySet[Person], ids: Collection[int]) -> QuerySet[Person]:
    """``people`` whose id is one of ``ids``, however many there are.

    The ids go to the database as one array (PostgreSQL) or one JSON list (SQLite) rather than
    a parameter each: thousands of parameters take longer to write into the query than the
    database takes to answer it.
    """
    if connection.vendor == "postgresql":
        return people.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (sorted(ids),)))
    return people.filter(
        pk__in=RawSQL("SELECT value FROM json_each(%s)", (json.dumps(sorted(ids)),))
    )
