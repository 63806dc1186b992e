"""Bulk writes store what the ORM would have stored."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

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

    @pytest.mark.parametrize("per_statement", [1, 3, 4, 10, 256])
    def test_rows_written_several_to_a_statement_keep_their_order_and_values(
        self, workspace: Workspace, monkeypatch: pytest.MonkeyPatch, per_statement: int
    ) -> None:
        """Rows go in as they were given, ids in the same order, however many one statement
        carries and whatever is left over."""
        monkeypatch.setattr(bulk, "_ROWS_PER_INSERT", per_statement)
        rows = [(f"file-{n:02}.csv", {"n": n}, "" if n % 2 else "no") for n in range(10)]
        assert (
            insert_rows(
                ImportBatch,
                ("file_name", "counts", "file_format"),
                rows,
                fixed={"workspace_id": workspace.pk},
            )
            == 10
        )
        stored = ImportBatch.objects.filter(workspace=workspace).order_by("pk")
        assert [(b.file_name, b.counts, b.file_format) for b in stored] == rows

    def test_a_statement_carries_no_more_values_than_the_database_allows(
        self, workspace: Workspace
    ) -> None:
        """Rows of many columns go fewer to a statement: SQLite refuses one with more
        parameters than its limit (999 in builds before 3.32)."""
        columns = len([f for f in ImportBatch._meta.concrete_fields if not f.primary_key])
        rows = [(f"file-{n:03}.csv", {"n": n}) for n in range(301)]
        with _parameter_limit(2 * columns + 1):  # a few rows to a statement, then the rest
            written = insert_rows(
                ImportBatch, ("file_name", "counts"), rows, fixed={"workspace_id": workspace.pk}
            )
        assert written == 301
        stored = ImportBatch.objects.filter(workspace=workspace).order_by("pk")
        assert [(b.file_name, b.counts) for b in stored] == rows


@contextmanager
def _parameter_limit(limit: int) -> Iterator[None]:
    """SQLite allows at most ``limit`` parameters in a statement meanwhile; PostgreSQL takes
    bulk rows through COPY, which has no such limit."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)
