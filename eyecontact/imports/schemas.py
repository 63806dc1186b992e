"""What the API shows of imports, the rows they brought, and the matches waiting for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import removals_held_text
from eyecontact.imports.sources import format_names
from eyecontact.people.choices import ConnectionKind, Network
from eyecontact.people.models import PersonMerge
from eyecontact.people.schemas import IdentityOut, PersonRef

__all__ = [
    "ImportBatchOut",
    "ImportQueuedOut",
    "MergeOut",
    "ReviewConnectionOut",
    "ReviewMergeIn",
    "ReviewOut",
    "ReviewPersonOut",
    "SourceRecordOut",
]


class ImportBatchOut(Schema):
    """One imported file: what it added, what it skipped and why, or what was wrong with it."""

    id: int
    file_name: str
    file_format: str = Field(
        ...,
        description="The format of the file, or of each file of an archive joined by + (cut "
        f"at 20 characters): {', '.join(format_names())}",
    )
    status: str = Field(..., description="pending, running, done, failed or undone")
    counts: dict[str, Any] = Field(..., description="People new and matched, skipped rows, ...")
    errors: list[str] = Field(..., description="What was wrong with a failed file, by line")
    removals_held: list[str] = Field(
        ...,
        description="Lists that lack more than a fifth of the connections the last export "
        "listed: none of them was marked removed; POST accept-removals to mark them",
    )
    created_by: str | None = Field(None, alias="created_by.email")
    created_at: dt.datetime
    finished_at: dt.datetime | None
    undone_at: dt.datetime | None

    @staticmethod
    def resolve_removals_held(batch: ImportBatch) -> list[str]:
        return [removals_held_text(held) for held in (batch.counts or {}).get("removals_held", [])]


class ImportQueuedOut(Schema):
    """An uploaded file queued for import, and where to follow it."""

    poll: str = Field(..., description="The import's URL: its status as it runs and once ended")
    batch: ImportBatchOut


class SourceRecordOut(Schema):
    """One row of an export as last imported, and which person it became and why."""

    id: int
    source_format: str
    key: str
    person_id: int | None
    decision: str = Field(..., description="new, identity, matched, review or split")
    score: float | None
    evidence: list[str]
    data: dict[str, Any] = Field(..., description="What the row said: name, organization, ...")
    first_batch_id: int
    last_batch_id: int
    missing_since: dt.date | None = Field(
        ..., description="Set when a newer export of the same source no longer lists the row"
    )


class ReviewConnectionOut(Schema):
    network: Network
    kind: ConnectionKind
    connected_on: dt.date | None


class ReviewPersonOut(Schema):
    """One side of a possible match, with what there is to compare."""

    id: int
    display_name: str
    organization: str
    title: str
    city: str
    touch_count: int
    last_touch_at: dt.datetime | None
    last_in_person_at: dt.datetime | None
    identities: list[IdentityOut]
    connections: list[ReviewConnectionOut]


class ReviewOut(Schema):
    """Two people who may be one human, side by side, with why they might be."""

    id: int
    score: float = Field(..., description="How alike they are, 0 to 1")
    evidence: list[str]
    status: str = Field(
        ...,
        description="open (waiting for review), held (held back, less likely), merged or rejected",
    )
    source_batch_id: int | None = Field(..., description="The import that found the match")
    created_at: dt.datetime
    person_a: ReviewPersonOut
    person_b: ReviewPersonOut


class ReviewMergeIn(Schema):
    keep: int | None = Field(
        None, description="Id of the person to keep, one of the two; the better known if left out"
    )


class MergeOut(Schema):
    """Two records made one; splitting brings the dropped one back."""

    id: int
    kept: PersonRef
    dropped_id: int
    dropped_name: str
    automatic: bool
    score: float | None
    evidence: list[str]
    created_at: dt.datetime
    undone_at: dt.datetime | None

    @staticmethod
    def resolve_dropped_name(merge: PersonMerge) -> str:
        return str(merge.snapshot.get("fields", {}).get("display_name", ""))
