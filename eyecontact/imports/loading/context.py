"""What one load is given (the workspace, the batch, the owner) and what it gives back (the
report). Which exports list connections whole is said by the format registry
(:mod:`eyecontact.imports.sources.formats`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch
from eyecontact.matching import MatchIndex, PersonRecord
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity

__all__ = [
    "MAX_NOTICES",
    "REMOVALS_TO_CONFIRM",
    "ImportSession",
    "IndexedRow",
    "LoadContext",
    "LoadReport",
    "Owner",
    "Progress",
]

# Above this share of the connections the last export listed, missing ones are not marked
# removed unless the user accepts it: a partial export is far likelier than a mass unfriending.
REMOVALS_TO_CONFIRM = 0.2
# Notices kept on an import's report: a hostile file could have one on every line.
MAX_NOTICES = 100

Progress = Callable[[int, int], None]


@dataclass
class Owner:
    """What identifies the user themself, so they are never imported as their own contact."""

    identities: set[tuple[str, str]] = field(default_factory=set)

    def add(self, kind: str, raw: str, region: str) -> None:
        if not raw:
            return
        try:
            self.identities.add((kind, normalize_identity(kind, raw, default_region=region)))
        except InvalidIdentity:
            return


# A person as the index of known people read them: their row, their identities and the
# record matching compares.
IndexedRow = tuple[tuple[Any, ...], tuple[tuple[str, str], ...], PersonRecord]


@dataclass
class ImportSession:
    """What a run of imports, one file after another, carries from each file to the next.

    The index of the people already known: each file is matched against everyone the files
    before it brought, and building that index anew (40,000 people, half a second) is mostly
    redone work. It is refreshed from the people each file reads from the database, so it
    answers exactly as a new one would, whatever happened in between.
    """

    index: MatchIndex | None = None
    # Each indexed person's row and identities as last read, with the record made of them:
    # a person read again unchanged is given the same record, not a new one to compare.
    rows: dict[int, IndexedRow] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadContext:
    """What every step of one file's load is given: where it writes, as which batch, for whom.

    ``batch.restore`` is the one thing steps add to (what an undo puts back); the caller saves
    the batch.
    """

    workspace: Workspace
    batch: ImportBatch
    owner: Owner
    session: ImportSession | None = None
    accept_removals: bool = False

    @property
    def region(self) -> str:
        return self.workspace.default_region


@dataclass
class LoadReport:
    """What an import changed, shown to the user and kept on the batch."""

    people_new: int = 0
    people_matched: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    # The import's possible duplicates waiting for review when it ended, and those held back:
    # less likely than the review queue's, they come up as the queue's are decided.
    reviews: int = 0
    reviews_held: int = 0
    identities: int = 0
    connections_new: int = 0
    connections_removed: int = 0
    touches_new: int = 0
    touches_unchanged: int = 0
    follow_lists: int = 0
    organizations_new: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    # Lines of the files the user should look at ("file, line N: what"), in file order.
    notices: list[str] = field(default_factory=list)
    # Lists that lack too many of the connections listed before: nothing was marked removed.
    removals_held: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "people_new": self.people_new,
            "people_matched": self.people_matched,
            "people_updated": self.people_updated,
            "people_unchanged": self.people_unchanged,
            "reviews": self.reviews,
            "reviews_held": self.reviews_held,
            "identities": self.identities,
            "connections_new": self.connections_new,
            "connections_removed": self.connections_removed,
            "touches_new": self.touches_new,
            "touches_unchanged": self.touches_unchanged,
            "follow_lists": self.follow_lists,
            "organizations_new": self.organizations_new,
            "skipped": dict(sorted(self.skipped.items())),
            "notices": self.notices[:MAX_NOTICES],
            "removals_held": self.removals_held,
        }
