"""Bulk writes store what the ORM would have stored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.common import bulk
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

    def test_rows_from_a_generator_go_in_a_chunk_at_a_time_with_the_fixed_values(
        self, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A bulk writer need not hold all its rows at once: a chunk is prepared at a time."""
        monkeypatch.setattr(bulk, "_CHUNK", 4)
        written_before: list[int] = []

        def rows() -> Iterator[tuple[str, dict[str, int]]]:
            for n in range(10):
                # How many rows were in the table when this one was handed over.
                written_before.append(ImportBatch.objects.filter(workspace=workspace).count())
                yield (f"file-{n:02}.csv", {"n": n})

        written = insert_rows(
            ImportBatch,
            ("file_name", "counts"),
            rows(),
            fixed={"workspace_id": workspace.pk, "status": ImportBatch.Status.DONE},
        )
        assert written == 10
        stored = ImportBatch.objects.filter(workspace=workspace).order_by("file_name")
        assert [(b.file_name, b.counts, b.status) for b in stored] == [
            (f"file-{n:02}.csv", {"n": n}, ImportBatch.Status.DONE) for n in range(10)
        ]
        assert written_before == [0, 0, 0, 0, 4, 4, 4, 4, 8, 8]
