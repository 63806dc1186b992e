"""Reading imports and the rows they brought, always within one workspace."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import Person

from .models import ImportBatch, SourceRecord

__all__ = [
    "batch_get",
    "batches_list",
    "person_matched_records",
    "source_record_get",
]


def batches_list(*, workspace: Workspace) -> QuerySet[ImportBatch]:
    """The workspace's imports, newest first."""
    return (
        ImportBatch.objects.filter(workspace=workspace)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def batch_get(*, workspace: Workspace, pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.filter(workspace=workspace), pk=pk)


def person_matched_records(*, person: Person) -> QuerySet[SourceRecord]:
    """Imported rows that joined this person by an automatic match, which the user may undo."""
    return (
        SourceRecord.objects.filter(
            person=person,
            decision__in=[SourceRecord.Decision.MATCHED, SourceRecord.Decision.IDENTITY],
        )
        .select_related("last_batch")
        .order_by("source_format", "key")
    )


def source_record_get(*, workspace: Workspace, pk: int) -> SourceRecord:
    return get_object_or_404(SourceRecord.objects.filter(workspace=workspace), pk=pk)
