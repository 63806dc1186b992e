"""The import pages: upload, follow, list and undo imports; decide possible duplicates; split."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.background.models import ImportUpload
from eyecontact.background.progress import progress_report
from eyecontact.imports import services as import_services
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import batch_create, import_file
from eyecontact.imports.sources import parse_export
from eyecontact.people.models import (
    Connection,
    Identity,
    MatchReview,
    NotSamePerson,
    Person,
    PersonMerge,
)
from eyecontact.people.services import connection_add, person_create, person_merge, touch_log
from eyecontact.web.forms_imports import NO_FILE
from eyecontact.web.views import imports as import_views

FIXTURES = Path(__file__).resolve().parents[2] / "imports" / "tests" / "fixtures"
HTMX_STATUS = {"HX-Request": "true", "HX-Target": "import-status"}
WHEN = dt.datetime(2025, 9, 17, 10, 42, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


def url(workspace: Workspace, name: str, **kwargs: int) -> str:
    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


def upload(client: Client, workspace: Workspace, name: str, data: bytes | None = None) -> Any:
    payload = (FIXTURES / name).read_bytes() if data is None else data
    file = io.BytesIO(payload)
    file.name = Path(name).name
    return client.post(url(workspace, "import_new"), {"export": file})


def run(workspace: Workspace, name: str) -> ImportBatch:
    return import_file(
        workspace=workspace, file_name=Path(name).name, data=(FIXTURES / name).read_bytes()
    )


def with_reviews(workspace: Workspace) -> list[MatchReview]:
    """LinkedIn then Facebook: the Facebook Zoë Dupont may be the LinkedIn one."""
    run(workspace, "linkedin/Connections.csv")
    run(workspace, "facebook/your_friends.json")
    reviews = list(MatchReview.objects.filter(workspace=workspace, status="open"))
    assert reviews
    return reviews


class UploadTests:
    def test_the_upload_page_names_the_exports_it_reads(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(url(workspace, "import_new"))
        content = response.content.decode()
        assert response.status_code == 200
        assert '<label for="id_export">Export file</label>' in content
        for source in ("LinkedIn", "Facebook", "vCard", "Outlook", ".ics"):
            assert source in content

    def test_a_linkedin_export_is_imported_and_its_summary_shown(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = upload(member_client, workspace, "linkedin/Connections.csv")
        batch = ImportBatch.objects.get(workspace=workspace)
        assert response.status_code == 302
        assert response["Location"] == url(workspace, "import_detail", batch_pk=batch.pk)
        assert batch.status == ImportBatch.Status.DONE
        assert batch.file_format == "linkedin_connections"
        page = member_client.get(response["Location"]).content.decode()
        assert "Imported Connections.csv." in page
        assert "LinkedIn connections" in page
        assert f"<dt>New people</dt><dd>{batch.counts['people_new']}</dd>" in page
        assert "Undo this import" in page
        assert 'hx-trigger="every 1s"' not in page

    def test_a_zip_archive_is_read_whole(self, member_client: Client, workspace: Workspace) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.write(FIXTURES / "x/follower.js", "data/follower.js")
            archive.write(FIXTURES / "x/following.js", "data/following.js")
        upload(member_client, workspace, "twitter-archive.zip", buffer.getvalue())
        batch = ImportBatch.objects.get(workspace=workspace)
        assert batch.status == ImportBatch.Status.DONE
        assert batch.file_format.startswith("x_follower+x_follow")
        page = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        assert b"X followers + X following" in page.content

    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "photo.jpg"),
            ("Connections.csv", b"Name,Shoe size\nBob,44\n", "Connections.csv"),
            ("export.zip", b"PK\x03\x04truncated", "export.zip"),
        ],
    )
    def test_a_file_we_do_not_know_is_refused_next_to_the_field_naming_it(
        self, member_client: Client, workspace: Workspace, name: str, data: bytes, expected: str
    ) -> None:
        response = upload(member_client, workspace, name, data)
        assert response.status_code == 200
        errors = response.context["form"].errors["export"]
        assert errors and errors[0].startswith(expected)
        assert b'class="errorlist' in response.content
        assert not Person.objects.exists()
        # The failed attempt is kept, so the imports list can say what was wrong.
        assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED

    def test_no_file_or_an_empty_one_is_refused(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(url(workspace, "import_new"), {})
        assert NO_FILE in response.context["form"].errors["export"]
        response = upload(member_client, workspace, "empty.csv", b"")
        assert response.context["form"].errors["export"]
        assert not ImportBatch.objects.exists()

    @pytest.mark.django_db(databases=["default", "live"])
    def test_a_large_file_is_queued_and_its_page_follows_it_to_the_summary(
        self,
        member_client: Client,
        workspace: Workspace,
        monkeypatch: pytest.MonkeyPatch,
        run_queued: Callable[[], int],
    ) -> None:
        monkeypatch.setattr(import_views, "INLINE_LIMIT", 100)
        response = upload(member_client, workspace, "linkedin/Connections.csv")
        batch = ImportBatch.objects.get()
        assert response["Location"] == url(workspace, "import_detail", batch_pk=batch.pk)
        assert batch.status == ImportBatch.Status.PENDING
        assert not Person.objects.exists()  # nothing is imported inside the request
        page = member_client.get(response["Location"])
        assert 'hx-trigger="every 1s"' in page.content.decode()

        assert run_queued() == 1
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE
        assert batch.counts["people_new"] == Person.objects.filter(workspace=workspace).count()
        assert not ImportUpload.objects.exists()  # the file is not kept once imported
        poll = member_client.get(response["Location"], headers=HTMX_STATUS).content.decode()
        assert 'hx-trigger="every 1s"' not in poll
        assert "New people" in poll


class SpooledUploadTests:
    def test_an_upload_spooled_to_disk_is_imported_from_its_file(
        self,
        member_client: Client,
        workspace: Workspace,
        settings: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Over the memory limit Django writes the upload to a temporary file as it arrives;
        the import reads that file as a stream instead of the upload's bytes."""
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
        read: list[object] = []
        parse = parse_export

        def reading(file_name: str, data: Any, **options: Any) -> Any:
            read.append(data)
            return parse(file_name, data, **options)

        monkeypatch.setattr(import_services, "parse_export", reading)
        response = upload(member_client, workspace, "linkedin/Connections.csv")
        batch = ImportBatch.objects.get()
        assert response["Location"] == url(workspace, "import_detail", batch_pk=batch.pk)
        assert (batch.status, batch.errors) == (ImportBatch.Status.DONE, [])
        assert batch.counts["people_new"] == Person.objects.filter(workspace=workspace).count() > 0
        assert len(read) == 1
        assert isinstance(read[0], Path)


class ImportStatusTests:
    @pytest.mark.django_db(databases=["default", "live"])
    def test_a_running_import_polls_with_its_progress_then_stops_when_done(
        self, member_client: Client, workspace: Workspace, user: User
    ) -> None:
        data = (FIXTURES / "vcard/contacts.vcf").read_bytes()
        batch = batch_create(workspace=workspace, file_name="contacts.vcf", data=data, actor=user)
        progress_report(f"import:{batch.pk}", 3, 7)  # as the worker running it reports
        page = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        content = page.content.decode()
        assert 'hx-trigger="every 1s"' in content
        assert "Step 3 of 7" in content
        assert '<progress id="import-progress" class="import-progress" max="100" value="43">' in (
            content
        )
        import_file(workspace=workspace, file_name="contacts.vcf", data=data, batch=batch)
        poll = member_client.get(
            url(workspace, "import_detail", batch_pk=batch.pk), headers=HTMX_STATUS
        )
        text = poll.content.decode()
        assert "<h1>" not in text  # only the status part, swapped in place
        assert 'hx-trigger="every 1s"' not in text
        assert "New people" in text

    def test_a_failed_import_names_the_file_and_line(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        upload(member_client, workspace, "Connections.csv", b"Name,Shoe size\nBob,44\n")
        batch = ImportBatch.objects.get()
        page = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        assert b"What was wrong with the file" in page.content
        assert escape(batch.errors[0]).encode() in page.content
        assert b"Undo this import" not in page.content

    def test_a_refused_recurrence_rule_is_shown_with_its_file_and_line(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        calendar = (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:zero\r\n"
            "DTSTART:20240105T090000Z\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\nLOCATION:Room 4\r\n"
            "ATTENDEE;CN=Priya Raman:mailto:priya@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        upload(member_client, workspace, "hostile.ics", calendar.encode())
        batch = ImportBatch.objects.get()
        assert batch.status == ImportBatch.Status.DONE
        page = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        assert b"Read in part" in page.content
        assert (
            b"hostile.ics, line 3: the repeating rule RRULE:FREQ=DAILY;INTERVAL=0 was not read"
            in page.content
        )


class ImportsListTests:
    def test_lists_source_status_counts_skipped_reasons_and_errors(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        run(workspace, "calendar/calendar.ics")
        upload(member_client, workspace, "shoes.csv", b"Name,Shoe size\nBob,44\n")
        response = member_client.get(url(workspace, "imports_list"))
        content = response.content.decode()
        for text in ("calendar.ics", "Calendar", "Done", "New touches", "shoes.csv", "Failed"):
            assert text in content
        calendar = ImportBatch.objects.get(file_name="calendar.ics")
        for reason in calendar.counts["skipped"]:
            assert reason in content
        assert escape(ImportBatch.objects.get(file_name="shoes.csv").errors[0]) in content

    def test_pages_through_many_imports_with_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        data = (FIXTURES / "vcard/contacts.vcf").read_bytes()
        for n in range(30):
            import_file(workspace=workspace, file_name=f"contacts-{n}.vcf", data=data)
        member_client.get(url(workspace, "imports_list"))
        with django_assert_max_num_queries(7):
            response = member_client.get(url(workspace, "imports_list"))
        assert len(response.context["rows"]) == import_views.BATCHES_PER_PAGE
        assert b"Page 1 of 2" in response.content


class UndoTests:
    def test_undo_asks_first_then_takes_back_what_the_import_added(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        mine = person_create(workspace=workspace, display_name="Typed By Hand")
        batch = run(workspace, "linkedin/Connections.csv")
        undo = url(workspace, "import_undo", batch_pk=batch.pk)
        confirm = member_client.get(undo)
        assert b"Undo the import of Connections.csv?" in confirm.content
        assert Person.objects.count() > 1
        response = member_client.post(undo)
        assert response["Location"] == url(workspace, "import_detail", batch_pk=batch.pk)
        assert list(Person.objects.all()) == [mine]
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.UNDONE
        page = member_client.get(response["Location"]).content.decode()
        assert "Undid the import of Connections.csv." in page
        assert "Undo this import" not in page

    def test_an_import_that_is_not_done_cannot_be_undone(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        upload(member_client, workspace, "shoes.csv", b"Name,Shoe size\nBob,44\n")
        batch = ImportBatch.objects.get()
        response = member_client.post(url(workspace, "import_undo", batch_pk=batch.pk), follow=True)
        assert b"Only a finished import can be undone; this one is failed." in response.content
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.FAILED


class ReviewQueueTests:
    def test_shows_both_people_side_by_side_with_evidence_and_score(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        review = with_reviews(workspace)[0]
        response = member_client.get(url(workspace, "reviews_list"))
        content = response.content.decode()
        for person in (review.person_a, review.person_b):
            assert reverse("person_detail", args=[workspace.slug, person.pk]) in content
        for line in review.evidence:
            assert str(line) in content
        assert f"{round(review.score * 100)}% alike" in content
        assert "Same person — merge" in content
        assert "Not the same person" in content

    def test_the_nav_counts_the_open_reviews(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        reviews = with_reviews(workspace)
        page = member_client.get(url(workspace, "people_list")).content.decode()
        assert f'Review <span class="badge">{len(reviews)}</span>' in page

    def test_a_short_queue_says_how_many_more_wait_and_the_import_page_too(
        self, member_client: Client, workspace: Workspace, settings: LazySettings
    ) -> None:
        settings.REVIEW_QUEUE_SIZE = 3
        with_reviews(workspace)
        found = MatchReview.objects.filter(workspace=workspace).count()
        assert found > 4
        page = member_client.get(url(workspace, "reviews_list")).content.decode()
        assert "3 pairs that may be one person" in page
        assert f"{found - 3} more, less likely, come up as you work through these." in page
        assert 'Review <span class="badge">3</span>' in page
        friends = ImportBatch.objects.get(file_name="your_friends.json")
        summary = member_client.get(
            url(workspace, "import_detail", batch_pk=friends.pk)
        ).content.decode()
        assert f"{found - 3} less likely possible duplicates of this import were held back" in (
            summary
        )
        review = MatchReview.objects.filter(workspace=workspace, status="open").first()
        assert review is not None
        member_client.post(url(workspace, "review_different", review_pk=review.pk))
        page = member_client.get(url(workspace, "reviews_list")).content.decode()
        assert 'Review <span class="badge">3</span>' in page
        more = found - 4
        assert f"{more} more, less likely, come up as you work through these." in page

    def test_a_held_back_review_of_another_workspace_is_not_found(
        self, member_client: Client, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        theirs = person_create(workspace=other_workspace, display_name="Godofredo Aliaga")
        twin = person_create(workspace=other_workspace, display_name="Godofredo Aliaga")
        held = MatchReview.objects.create(
            workspace=other_workspace,
            person_a=twin,
            person_b=theirs,
            score=0.8,
            status=MatchReview.Status.HELD,
        )
        for name in ("review_same", "review_different"):
            response = member_client.post(url(workspace, name, review_pk=held.pk))
            assert response.status_code == 404
        held.refresh_from_db()
        assert held.status == MatchReview.Status.HELD

    def test_same_person_merges_keeping_the_chosen_record(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        review = with_reviews(workspace)[0]
        keep, drop = review.person_b, review.person_a
        response = member_client.post(
            url(workspace, "review_same", review_pk=review.pk), {"keep": keep.pk}
        )
        assert response["Location"] == url(workspace, "reviews_list")
        assert not Person.objects.filter(pk=drop.pk).exists()
        # The decided review went with the dropped record; the merge keeps its score.
        assert not MatchReview.objects.filter(pk=review.pk).exists()
        assert PersonMerge.objects.get(kept=keep, dropped_id=drop.pk).score == review.score

    def test_not_the_same_person_is_remembered(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        review = with_reviews(workspace)[0]
        member_client.post(url(workspace, "review_different", review_pk=review.pk), {"page": "2"})
        review.refresh_from_db()
        assert review.status == MatchReview.Status.REJECTED
        low, high = sorted([review.person_a_id, review.person_b_id])
        assert NotSamePerson.objects.filter(person_low_id=low, person_high_id=high).exists()
        # Deciding again is refused with a message, not an error page.
        again = member_client.post(
            url(workspace, "review_same", review_pk=review.pk),
            {"keep": review.person_a_id},
            follow=True,
        )
        assert b"This match was already decided." in again.content

    def test_a_record_to_keep_that_is_not_in_the_pair_is_refused(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        review = with_reviews(workspace)[0]
        stranger = person_create(workspace=workspace, display_name="Not In The Pair")
        response = member_client.post(
            url(workspace, "review_same", review_pk=review.pk), {"keep": stranger.pk}, follow=True
        )
        assert b"Pick which record to keep." in response.content
        review.refresh_from_db()
        assert review.status == MatchReview.Status.OPEN

    def test_pages_through_reviews_likeliest_first_with_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        with_reviews(workspace)
        run(workspace, "facebook/friends_2019.json")
        run(workspace, "vcard/contacts.vcf")
        run(workspace, "x/follower.js")
        member_client.get(url(workspace, "reviews_list"))
        # 13: the page also counts the possible duplicates held back.
        with django_assert_max_num_queries(13):
            response = member_client.get(url(workspace, "reviews_list"))
        gains = [review.gain for review in response.context["page"].object_list]
        assert gains == sorted(gains, reverse=True)

    def test_what_a_yes_would_join_comes_first(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        lone = [person_create(workspace=workspace, display_name="Ada Lone") for _ in range(2)]
        met = [person_create(workspace=workspace, display_name="Kofi Met") for _ in range(2)]
        connection_add(person=met[0], network="linkedin", kind="connection")
        for _ in range(3):
            touch_log(workspace=workspace, people=[met[1]], channel="in_person", when=WHEN)
        surer = MatchReview.objects.create(
            workspace=workspace, person_a=lone[0], person_b=lone[1], score=0.85
        )
        joins_more = MatchReview.objects.create(
            workspace=workspace, person_a=met[0], person_b=met[1], score=0.7
        )
        page = member_client.get(url(workspace, "reviews_list")).context["page"]
        assert [r.pk for r in page.object_list] == [joins_more.pk, surer.pk]
        # 0.7 x (1 + 3 touches + 1 connection) against 0.85 x 1
        assert page.object_list[0].gain == pytest.approx(3.5)

    def test_all_possible_duplicates_of_a_person_merge_in_one_click(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        godofredo = person_create(workspace=workspace, display_name="Godofredo Aliaga")
        invited = [
            person_create(workspace=workspace, display_name=name)
            for name in ("Godofredo Aliaga", "Godofredo M. Aliaga", "galiaga@tidewater.example")
        ]
        for other in invited:
            MatchReview.objects.create(
                workspace=workspace, person_a=other, person_b=godofredo, score=0.8
            )
        content = member_client.get(url(workspace, "reviews_list")).content.decode()
        assert "All 3 are Godofredo Aliaga — merge them" in content
        response = member_client.post(
            url(workspace, "reviews_same_around", person_pk=godofredo.pk), follow=True
        )
        assert b"Merged 3 records into Godofredo Aliaga." in response.content
        assert list(Person.objects.filter(workspace=workspace)) == [godofredo]
        assert PersonMerge.objects.filter(kept=godofredo).count() == 3
        assert not MatchReview.objects.filter(workspace=workspace, status="open").exists()
        # A second click finds nothing left to merge, and says so.
        again = member_client.post(
            url(workspace, "reviews_same_around", person_pk=godofredo.pk), follow=True
        )
        assert b"No possible duplicates of Godofredo Aliaga are waiting." in again.content
        assert PersonMerge.objects.filter(kept=godofredo).count() == 3

    def test_another_workspaces_person_is_not_found_for_a_group_merge(
        self, member_client: Client, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        theirs = person_create(workspace=other_workspace, display_name="Godofredo Aliaga")
        twin = person_create(workspace=other_workspace, display_name="Godofredo Aliaga")
        MatchReview.objects.create(
            workspace=other_workspace, person_a=twin, person_b=theirs, score=0.8
        )
        response = member_client.post(url(workspace, "reviews_same_around", person_pk=theirs.pk))
        assert response.status_code == 404
        assert Person.objects.filter(workspace=other_workspace).count() == 2


class SplitTests:
    def test_the_person_page_loads_their_joined_records(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        person = person_create(workspace=workspace, display_name="Ada Lovelace")
        page = member_client.get(url(workspace, "person_detail", person_pk=person.pk))
        assert url(workspace, "person_origins", person_pk=person.pk).encode() in page.content

    def test_a_merged_record_can_be_split_off_again(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        keep = person_create(workspace=workspace, display_name="Ada Lovelace")
        drop = person_create(workspace=workspace, display_name="A. Lovelace")
        person_merge(keep=keep, drop=drop)
        merge = PersonMerge.objects.get()
        origins = member_client.get(
            url(workspace, "person_origins", person_pk=keep.pk), headers={"HX-Request": "true"}
        ).content.decode()
        assert "Merged from" in origins
        assert "A. Lovelace" in origins
        assert "<h1>" not in origins
        response = member_client.post(
            url(workspace, "merge_split", person_pk=keep.pk, merge_pk=merge.pk), follow=True
        )
        assert b"Split A. Lovelace off Ada Lovelace." in response.content
        merge.refresh_from_db()
        assert merge.undone_at is not None
        assert Person.objects.filter(display_name="A. Lovelace").exists()

    def test_an_automatic_match_can_be_split_from_the_person(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections.csv")
        run(workspace, "google/contacts.csv")
        priya = Identity.objects.get(kind="linkedin", value="priya-raghunathan-03b9").person
        record = SourceRecord.objects.get(source_format="google_csv", person=priya)
        origins = member_client.get(url(workspace, "person_origins", person_pk=priya.pk))
        assert b"Not this person \xe2\x80\x94 split" in origins.content
        member_client.post(url(workspace, "record_split", person_pk=priya.pk, record_pk=record.pk))
        record.refresh_from_db()
        assert record.person_id != priya.pk
        assert record.decision == SourceRecord.Decision.SPLIT

    def test_a_merge_or_row_of_someone_else_is_not_found_on_this_persons_page(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        keep = person_create(workspace=workspace, display_name="Ada Lovelace")
        person_merge(keep=keep, drop=person_create(workspace=workspace, display_name="Ada L"))
        bystander = person_create(workspace=workspace, display_name="Bystander")
        merge = PersonMerge.objects.get()
        response = member_client.post(
            url(workspace, "merge_split", person_pk=bystander.pk, merge_pk=merge.pk)
        )
        assert response.status_code == 404
        merge.refresh_from_db()
        assert merge.undone_at is None


class RemovalsHeldTests:
    def lacking_nine(self) -> bytes:
        lines = (FIXTURES / "linkedin/Connections.csv").read_bytes().split(b"\n")
        people = [i for i, line in enumerate(lines) if b"linkedin.com/in/" in line]
        return b"\n".join(line for i, line in enumerate(lines) if i not in people[-9:])

    def test_the_import_page_asks_before_marking_many_connections_removed(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        run(workspace, "linkedin/Connections.csv")
        response = upload(member_client, workspace, "linkedin/Connections.csv", self.lacking_nine())
        batch = ImportBatch.objects.filter(workspace=workspace).order_by("-pk").first()
        assert batch is not None
        assert response.status_code == 302
        page = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        text = page.content.decode()
        assert "This export lacks 9 of the 30 LinkedIn connections" in text
        confirm = url(workspace, "import_accept_removals", batch_pk=batch.pk)
        assert f'action="{confirm}"' in text
        assert not Connection.objects.filter(removed_on__isnull=False).exists()

        answer = member_client.post(confirm)

        assert answer.status_code == 302
        assert Connection.objects.filter(removed_on__isnull=False).count() == 9
        after = member_client.get(url(workspace, "import_detail", batch_pk=batch.pk))
        assert "This export lacks" not in after.content.decode()
        assert "Marked 9 connections as removed." in after.content.decode()

    def test_nothing_to_confirm_says_so(self, member_client: Client, workspace: Workspace) -> None:
        batch = run(workspace, "linkedin/Connections.csv")
        confirm = url(workspace, "import_accept_removals", batch_pk=batch.pk)
        page = member_client.post(confirm, follow=True)
        assert "This import has no removals waiting to be confirmed." in page.content.decode()

    def test_another_workspaces_import_is_not_found(
        self, member_client: Client, other_workspace: Workspace
    ) -> None:
        theirs = run(other_workspace, "linkedin/Connections.csv")
        response = member_client.post(
            url(other_workspace, "import_accept_removals", batch_pk=theirs.pk)
        )
        assert response.status_code == 404
