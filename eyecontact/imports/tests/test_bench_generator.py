"""The import benchmark's generated exports: the same seed gives the same files, and importing
a small set of them gives people that the truth agrees with."""

from __future__ import annotations

import pytest

from bench.gen import ExportSizes, generate_exports, score_import
from bench.gen.people_files import generate_people_exports, records_of_rows
from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import import_file

SMALL = ExportSizes(
    linkedin=300, facebook=80, x_followers=300, x_following=60, vcards=60, events=300
)


class ExportGeneratorTests:
    def test_the_same_seed_gives_the_same_bytes_and_truth(self) -> None:
        first, again = generate_exports(11, SMALL), generate_exports(11, SMALL)
        assert [(f.name, f.data) for f in first.files] == [(f.name, f.data) for f in again.files]
        assert first.truth == again.truth
        assert first.linkable == again.linkable

    def test_another_seed_gives_other_exports(self) -> None:
        first, other = generate_exports(11, SMALL), generate_exports(12, SMALL)
        assert [f.data for f in first.files] != [f.data for f in other.files]

    def test_every_export_has_rows_with_a_known_person(self) -> None:
        exports = generate_exports(11, SMALL)
        sources = {str(key).split("|")[0] for key in exports.truth}
        assert sources == {"linkedin", "facebook", "x", "vcard", "ical"}
        assert exports.linkable.keys() == exports.truth.keys()


@pytest.mark.django_db
class GeneratedImportTests:
    def test_importing_the_exports_merges_rows_of_one_person_only(
        self, workspace: Workspace
    ) -> None:
        exports = generate_exports(11, SMALL)
        for export in exports.files:
            batch = import_file(
                workspace=workspace,
                file_name=export.name,
                data=export.data,
                until=exports.until,
                owner_emails=[exports.owner_email],
            )
            assert batch.status == ImportBatch.Status.DONE
        rows = SourceRecord.objects.filter(workspace=workspace).values_list(
            "source_format", "key", "person_id"
        )
        score = score_import(
            ((f"{source}|{key}", person) for source, key, person in rows),
            exports.truth,
            exports.linkable,
        )
        assert (score.missing_rows, score.unknown_rows) == (0, 0)
        assert score.merged_pairs > 0
        assert score.precision >= 0.99


@pytest.mark.django_db
class IndependentImportTests:
    """The files written from the independent population import, row for row."""

    def test_the_same_seed_gives_the_same_files(self) -> None:
        first, again = generate_people_exports(5, 0.005), generate_people_exports(5, 0.005)
        assert [(f.name, f.data) for f in first.files] == [(f.name, f.data) for f in again.files]
        assert first.rows == again.rows

    def test_every_imported_row_maps_back_to_its_records(self, workspace: Workspace) -> None:
        exports = generate_people_exports(5, 0.005)
        for export in exports.files:
            batch = import_file(
                workspace=workspace,
                file_name=export.name,
                data=export.data,
                until=exports.until,
                owner_emails=[exports.owner_email],
            )
            assert batch.status == ImportBatch.Status.DONE, (export.name, batch.errors)
        rows = SourceRecord.objects.filter(workspace=workspace).values_list(
            "source_format", "key", "person_id"
        )
        imported = {f"{source}|{key}": person for source, key, person in rows}
        assert imported.keys() == exports.rows.keys()
        records, unknown, split = records_of_rows(imported.items(), exports.rows)
        assert (unknown, split) == (0, 0)
        assert {record for record, _ in records} == exports.truth.keys()
        assert {"linkedin", "facebook", "x", "x_csv", "vcard", "google_csv", "ical"} == {
            row.split("|")[0] for row in imported
        }
        score = score_import(records, exports.truth, exports.evident)
        assert score.merged_pairs > 0
        assert score.precision >= 0.99
