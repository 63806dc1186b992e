"""``import``, ``imports`` and ``reviews``: export files in, undone, duplicates decided."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings

from eyecontact.accounts.models import Workspace
from eyecontact.cli.tests.test_commands import assert_refused, run
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import import_file
from eyecontact.people.models import Connection, Identity, MatchReview, NotSamePerson, Person
from eyecontact.people.services import reviews_queue_sort

FIXTURES = Path(__file__).parents[2] / "imports" / "tests" / "fixtures"
LINKEDIN = FIXTURES / "linkedin" / "Connections.csv"
FACEBOOK = FIXTURES / "facebook" / "your_friends.json"
VCARD = FIXTURES / "vcard" / "contacts.vcf"


def imported(workspace: Workspace, path: Path) -> ImportBatch:
    return import_file(workspace=workspace, file_name=path.name, data=path.read_bytes())


def errors(stderr: str) -> list[str]:
    """The problems reported, without the progress bars of the files that went well."""
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def bad_linkedin(tmp_path: Path) -> Path:
    bad = tmp_path / "Connections.csv"
    bad.write_text("Name,Shoe size\nBob,44\n")
    return bad


class ImportCommandTests:
    def test_imports_an_export_with_a_progress_bar_and_a_summary(
        self, workspace: Workspace
    ) -> None:
        result = run("import", str(LINKEDIN))
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert any("Connections.csv (linkedin" in line for line in lines)
        new_people = next(line for line in lines if "New people" in line)
        assert "30" in new_people
        hidden = next(line for line in lines if "Skipped: hidden member" in line)
        assert "2" in hidden
        assert "Importing Connections.csv" in result.stderr and "100%" in result.stderr
        assert Person.objects.filter(workspace=workspace).count() == 30

    def test_json_lists_one_summary_per_file(self, workspace: Workspace) -> None:
        result = run("import", str(LINKEDIN), str(FACEBOOK), "--json")
        assert result.exit_code == 0, result.output
        summaries = json.loads(result.stdout)
        assert [s["file"] for s in summaries] == [str(LINKEDIN), str(FACEBOOK)]
        assert [s["status"] for s in summaries] == ["done", "done"]
        assert [s["file_format"] for s in summaries] == ["linkedin_connections", "facebook_friends"]
        linkedin, facebook = summaries
        assert linkedin["counts"]["people_new"] == 30
        assert linkedin["counts"]["connections_new"] == 30
        assert linkedin["counts"]["skipped"] == {"hidden member": 2}
        assert facebook["counts"]["reviews"] == MatchReview.objects.count() > 0
        assert [s["id"] for s in summaries] == list(
            ImportBatch.objects.order_by("id").values_list("id", flat=True)
        )
        assert "Importing" not in result.stderr

    def test_the_format_is_read_from_the_content_not_the_name(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        renamed = tmp_path / "address-book.txt"
        renamed.write_bytes(VCARD.read_bytes())
        result = run("import", str(renamed), "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)[0]["file_format"] == "vcard"

    def test_an_export_archive_is_one_import(self, workspace: Workspace, tmp_path: Path) -> None:
        archive = tmp_path / "twitter-archive.zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as bundle:
            for name in ("follower.js", "following.js", "account.js"):
                bundle.write(FIXTURES / "x" / name, f"data/{name}")
        archive.write_bytes(buffer.getvalue())
        result = run("import", str(archive), "--json")
        assert result.exit_code == 0, result.output
        (summary,) = json.loads(result.stdout)
        assert summary["counts"]["connections_new"] == Connection.objects.count() == 40
        assert sorted(summary["counts"]["files"]) == [
            "twitter-archive.zip/data/account.js",
            "twitter-archive.zip/data/follower.js",
            "twitter-archive.zip/data/following.js",
        ]

    def test_a_bad_file_is_named_and_the_others_still_import(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        bad = bad_linkedin(tmp_path)
        result = run("import", str(bad), str(VCARD))
        assert result.exit_code == 2
        assert errors(result.stderr) == [
            "error: Connections.csv, line 1: expected a LinkedIn, Google, Outlook or X header; "
            "found: 'Name,Shoe size'"
        ]
        assert "contacts.vcf (vcard)" in result.stdout
        assert Identity.objects.filter(workspace=workspace).exists()
        statuses = dict(ImportBatch.objects.values_list("file_name", "status"))
        assert statuses == {"Connections.csv": "failed", "contacts.vcf": "done"}

    def test_a_bad_file_read_while_another_is_written_is_named_the_same_way(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        bad = bad_linkedin(tmp_path)
        result = run("import", str(LINKEDIN), str(bad), str(VCARD), "--json")
        assert result.exit_code == 2
        assert errors(result.stderr) == [
            "error: Connections.csv, line 1: expected a LinkedIn, Google, Outlook or X header; "
            "found: 'Name,Shoe size'"
        ]
        summaries = json.loads(result.stdout)
        assert [s["status"] for s in summaries] == ["done", "failed", "done"]
        failed = ImportBatch.objects.get(pk=summaries[1]["id"])
        assert not Person.objects.filter(source_batch=failed).exists()
        assert Person.objects.count() == sum(
            s["counts"]["people_new"] for s in summaries if s["status"] == "done"
        )

    def test_json_reports_the_failed_file_too(self, workspace: Workspace, tmp_path: Path) -> None:
        bad = bad_linkedin(tmp_path)
        result = run("import", str(bad), "--json")
        assert result.exit_code == 2
        (summary,) = json.loads(result.stdout)
        assert summary["status"] == "failed"
        assert summary["errors"][0].startswith("Connections.csv, line 1:")
        assert result.stderr.startswith("error: Connections.csv, line 1:")
        assert not Person.objects.exists()

    def test_a_missing_path_is_refused_by_name(self, workspace: Workspace, tmp_path: Path) -> None:
        missing = tmp_path / "Connectons.csv"
        result = run("import", str(missing), str(LINKEDIN))
        assert_refused(result, f"error: {missing}: no such file")
        assert len(errors(result.stderr)) == 1
        assert Person.objects.count() == 30

    def test_a_folder_is_not_a_file(self, workspace: Workspace, tmp_path: Path) -> None:
        assert_refused(run("import", str(tmp_path)), f"{tmp_path}: is a folder, not a file")
        assert not ImportBatch.objects.exists()

    def test_an_unknown_workspace_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("import", str(LINKEDIN), "-w", "atlantis"), "No workspace 'atlantis'")
        assert not ImportBatch.objects.exists()


class ImportsCommandTests:
    def test_lists_imports_newest_first(
        self, workspace: Workspace, tmp_path: Path, django_assert_max_num_queries: Any
    ) -> None:
        first = imported(workspace, LINKEDIN)
        second = imported(workspace, VCARD)
        with django_assert_max_num_queries(3):
            result = run("imports", "--json")
        assert result.exit_code == 0, result.output
        listed = json.loads(result.stdout)
        assert [(i["id"], i["file_name"], i["status"]) for i in listed] == [
            (second.pk, "contacts.vcf", "done"),
            (first.pk, "Connections.csv", "done"),
        ]
        assert listed[1]["counts"]["people_new"] == 30
        table = run("imports").stdout
        assert "Connections.csv" in table and "contacts.vcf" in table

    def test_an_empty_list_says_so(self, workspace: Workspace) -> None:
        result = run("imports")
        assert result.exit_code == 0
        assert "Nothing imported into Morgan's network yet." in result.stdout
        assert json.loads(run("imports", "--json").stdout) == []

    def test_undo_takes_back_what_an_import_added(self, workspace: Workspace) -> None:
        batch = imported(workspace, LINKEDIN)
        result = run("imports", "undo", str(batch.pk))
        assert result.exit_code == 0, result.output
        assert f"Undid import #{batch.pk} (Connections.csv)." in result.stdout
        assert not Person.objects.exists()
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.UNDONE

    def test_an_import_is_undone_only_once(self, workspace: Workspace) -> None:
        batch = imported(workspace, LINKEDIN)
        run("imports", "undo", str(batch.pk))
        assert_refused(
            run("imports", "undo", str(batch.pk)), "id: Only a finished import can be undone"
        )

    def test_the_workspace_may_come_before_undo(
        self, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        batch = imported(workspace, LINKEDIN)
        assert_refused(run("imports", "undo", str(batch.pk)), "choose one with --workspace")
        result = run("imports", "-w", workspace.slug, "undo", str(batch.pk))
        assert result.exit_code == 0, result.output
        assert not Person.objects.exists()

    def test_an_unknown_import_is_refused(
        self, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        theirs = imported(other_workspace, LINKEDIN)
        result = run("imports", "undo", str(theirs.pk), "-w", workspace.slug)
        assert_refused(result, f"No import #{theirs.pk} in Morgan's network.", code=1)
        theirs.refresh_from_db()
        assert theirs.status == ImportBatch.Status.DONE


@pytest.fixture
def review(workspace: Workspace) -> MatchReview:
    """Zoë Dupont from LinkedIn and from Facebook: alike by name only, so left for the user."""
    imported(workspace, LINKEDIN)
    imported(workspace, FACEBOOK)
    return MatchReview.objects.get(person_a__display_name="Zoë Dupont")


class ReviewsCommandTests:
    def test_lists_possible_duplicates_likeliest_first(
        self, review: MatchReview, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(8):
            result = run("reviews", "--json")
        assert result.exit_code == 0, result.output
        listed = json.loads(result.stdout)
        assert len(listed) == MatchReview.objects.count()
        assert [r["score"] for r in listed] == sorted((r["score"] for r in listed), reverse=True)
        zoe = next(r for r in listed if r["id"] == review.pk)
        assert zoe["person_a"]["name"] == zoe["person_b"]["name"] == "Zoë Dupont"
        assert zoe["evidence"]
        assert f"#{review.person_a_id} Zoë Dupont" in run("reviews").stdout

    def test_lists_the_queue_and_says_how_many_more_are_held_back(
        self, review: MatchReview, settings: LazySettings
    ) -> None:
        found = MatchReview.objects.count()
        settings.REVIEW_QUEUE_SIZE = 4
        reviews_queue_sort(workspace_id=review.workspace_id)
        waiting = json.loads(run("reviews", "--json").stdout)
        held = json.loads(run("reviews", "--held", "--json").stdout)
        assert (len(waiting), len(held)) == (4, found - 4)
        assert {r["id"] for r in waiting} | {r["id"] for r in held} == set(
            MatchReview.objects.values_list("pk", flat=True)
        )
        table = " ".join(run("reviews").stdout.split())
        assert f"{found - 4} more, less likely, are held back" in table

    def test_merge_keeps_the_person_asked_for(self, review: MatchReview) -> None:
        keep, drop = review.person_b, review.person_a
        result = run("reviews", "merge", str(review.pk), "--keep", str(keep.pk))
        assert result.exit_code == 0, result.output
        assert f"Merged into #{keep.pk} Zoë Dupont" in result.stdout
        assert not Person.objects.filter(pk=drop.pk).exists()
        # The decided review leaves with the dropped person; the merge keeps its evidence.
        assert not MatchReview.objects.filter(pk=review.pk).exists()
        assert keep.merges_kept.get().evidence == review.evidence

    def test_merge_refuses_to_keep_someone_outside_the_review(self, review: MatchReview) -> None:
        result = run("reviews", "merge", str(review.pk), "--keep", "999999")
        assert_refused(result, "keep: Keep one of the two people of this review")
        review.refresh_from_db()
        assert review.status == MatchReview.Status.OPEN

    def test_reject_keeps_the_two_apart(self, review: MatchReview) -> None:
        result = run("reviews", "reject", str(review.pk))
        assert result.exit_code == 0, result.output
        assert "apart" in result.stdout
        low, high = sorted((review.person_a_id, review.person_b_id))
        assert NotSamePerson.objects.filter(person_low_id=low, person_high_id=high).exists()
        assert_refused(run("reviews", "merge", str(review.pk)), "This match was already decided.")

    def test_the_workspace_may_come_before_the_decision(
        self, review: MatchReview, other_workspace: Workspace
    ) -> None:
        result = run("reviews", "--workspace", "Morgan's network", "reject", str(review.pk))
        assert result.exit_code == 0, result.output
        review.refresh_from_db()
        assert review.status == MatchReview.Status.REJECTED

    def test_an_unknown_review_is_refused(self, workspace: Workspace) -> None:
        assert_refused(run("reviews", "reject", "4242"), "No possible duplicate #4242", code=1)

    def test_no_reviews_says_so(self, workspace: Workspace) -> None:
        assert "No possible duplicates" in run("reviews").stdout


def lacking_nine(tmp_path: Path) -> Path:
    """Connections.csv as an export that lacks nine of its thirty people."""
    lines = LINKEDIN.read_bytes().split(b"\n")
    people = [i for i, line in enumerate(lines) if b"linkedin.com/in/" in line]
    short = tmp_path / "Connections.csv"
    short.write_bytes(b"\n".join(line for i, line in enumerate(lines) if i not in people[-9:]))
    return short


class RemovalsCommandTests:
    def test_an_export_lacking_many_connections_says_so_and_marks_none(
        self, workspace: Workspace, tmp_path: Path
    ) -> None:
        imported(workspace, LINKEDIN)
        result = run("import", str(lacking_nine(tmp_path)))
        assert result.exit_code == 0, result.output
        assert (
            "warning: Connections.csv: This export lacks 9 of the 30 LinkedIn connections"
            in result.stderr
        )
        assert "import the file again with --accept-removals" in result.stderr
        assert not Connection.objects.filter(removed_on__isnull=False).exists()

    def test_accept_removals_marks_them_removed(self, workspace: Workspace, tmp_path: Path) -> None:
        imported(workspace, LINKEDIN)
        result = run("import", str(lacking_nine(tmp_path)), "--accept-removals", "--json")
        assert result.exit_code == 0, result.output
        (summary,) = json.loads(result.stdout)
        assert summary["counts"]["connections_removed"] == 9
        assert summary["counts"]["removals_held"] == []
        assert "warning" not in result.stderr
        assert Connection.objects.filter(removed_on__isnull=False).count() == 9
