"""Bulk writes store what the ORM would have stored."""

from __future__ import annotations

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.common.bulk import insert_rows, update_rows
from eyecontact.imports.models import ImportBatch

DOCUMENTS = [
    {"name": "José Müller", "lines": [1, 2.5, None, True], "nested": {"ok": "ß"}},
    {"id": 2**70, "note": "an integer past 64 bits"},  # beyond orjson: the field's own encoder
    {},
]


@pytest.mark.django_db
class InsertRowsTests:
    def test_json_documents_come_back_as_they_went_in(self, workspace: Workspace) -> None:
        rows = [(workspace.pk, f"file-{n}.csv", doc) for n, doc in enumerate(DOCUMENTS)]
        assert insert_rows(ImportBatch, ("workspace_id", "file_name", "counts"), rows) == 3
        stored = ImportBatch.objects.filter(workspace=workspace).order_by("file_name")
        assert [batch.counts for batch in stored] == DOCUMENTS
        assert [batch.errors for batch in stored] == [[], [], []]  # the field's default

    def test_a_document_can_be_found_by_its_fields(self, workspace: Workspace) -> None:
        insert_rows(
            ImportBatch,
            ("workspace_id", "file_name", "counts"),
            [(workspace.pk, "a", DOCUMENTS[0])],
        )
        assert ImportBatch.objects.filter(counts__name="José Müller").count() == 1
        assert ImportBatch.objects.filter(counts__nested__ok="ß").count() == 1

    def test_updated_documents_come_back_as_they_went_in(self, workspace: Workspace) -> None:
        batch = ImportBatch.objects.create(workspace=workspace, file_name="a.csv")
        update_rows(ImportBatch, ("counts",), [(DOCUMENTS[0], batch.pk)])
        batch.refresh_from_db()
        assert batch.counts == DOCUMENTS[0]
