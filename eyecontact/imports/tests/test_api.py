"""The imports API: uploading exports, undoing them, and deciding who is who."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.imports import services
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import import_file
from eyecontact.imports.sources import parse_export
from eyecontact.people.models import Identity, MatchReview, NotSamePerson, Person, PersonMerge
from eyecontact.people.services import KEEP_NOT_IN_REVIEW, reviews_queue_sort, touch_log

FIXTURES = Path(__file__).parent / "fixtures"
MakePerson = Callable[..., Person]


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/workspaces/")  # the token's first use is recorded once, outside the counts
    return client


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}"


def upload(client: Client, base: str, name: str, data: bytes | None = None) -> Any:
    content = (FIXTURES / name).read_bytes() if data is None else data
    return client.post(f"{base}/imports", {"file": SimpleUploadedFile(Path(name).name, content)})


def imported(workspace: Workspace, name: str) -> ImportBatch:
    return import_file(
        workspace=workspace, file_name=Path(name).name, data=(FIXTURES / name).read_bytes()
    )


def person_with(workspace: Workspace, kind: str, value: str) -> Person:
    return Identity.objects.get(workspace=workspace, kind=kind, value=value).person


def post(client: Client, url: str, body: Any = None) -> Any:
    if body is None:
        return client.generic("POST", url)
    return client.post(url, body, content_type="application/json")


def refusals(response: Any) -> list[tuple[list[str], str]]:
    assert response.status_code == 422, response.content
    return [(error["loc"], error["msg"]) for error in response.json()["detail"]]


@pytest.fixture
def lookalikes(workspace: Workspace) -> MatchReview:
    """Zoë Dupont on LinkedIn and on Facebook: a name-only match, left for the user to decide."""
    imported(workspace, "linkedin/Connections.csv")
    imported(workspace, "facebook/your_friends.json")
    return MatchReview.objects.get(person_a__display_name="Zoë Dupont")


@pytest.mark.django_db(databases=["default", "live"])
class ImportUploadApiTests:
    def test_an_export_is_queued_with_a_url_to_poll_that_reports_it_done(
        self, client: Client, base: str, workspace: Workspace, run_queued: Callable[[], int]
    ) -> None:
        response = upload(client, base, "linkedin/Connections.csv")
        assert response.status_code == 202, response.content
        queued = response.json()
        assert queued["poll"] == f"http://testserver{base}/imports/{queued['batch']['id']}"
        assert response["Location"] == queued["poll"]
        assert (queued["batch"]["file_name"], queued["batch"]["status"]) == (
            "Connections.csv",
            "pending",
        )
        assert not Person.objects.exists()  # nothing is imported inside the request
        assert client.get(queued["poll"]).json()["status"] == "pending"

        assert run_queued() == 1
        batch = client.get(queued["poll"]).json()
        assert (batch["file_name"], batch["status"], batch["errors"]) == (
            "Connections.csv",
            "done",
            [],
        )
        assert batch["created_by"] == "morgan@example.net"
        assert batch["counts"]["people_new"] == Person.objects.filter(workspace=workspace).count()
        assert person_with(workspace, "linkedin", "anneliese-brandt-7f3a21").connections.exists()

    def test_a_spooled_upload_is_imported_by_the_worker_from_a_file_not_from_memory(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        run_queued: Callable[[], int],
        settings: Any,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """Over the memory limit the upload goes to a temporary file; the worker copies the
        stored bytes into one and the import reads it from there as a stream."""
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
        read: list[object] = []
        parse = parse_export

        def reading(file_name: str, data: Any, **options: Any) -> Any:
            read.append(data)
            return parse(file_name, data, **options)

        monkeypatch.setattr(services, "parse_export", reading)
        assert upload(client, base, "linkedin/Connections.csv").status_code == 202
        assert run_queued() == 1
        batch = ImportBatch.objects.get()
        assert (batch.status, batch.errors) == (ImportBatch.Status.DONE, [])
        assert batch.counts["people_new"] == Person.objects.filter(workspace=workspace).count() > 0
        assert len(read) == 1
        assert isinstance(read[0], Path)
        assert not read[0].exists()  # the worker's copy is gone once imported

    @pytest.mark.parametrize(
        ("name", "data", "expected"),
        [
            ("Connections.csv", b"Name,Shoe size\nBob,44\n", "Connections.csv"),
            (
                "your_friends.json",
                b'{"friends_v2": [\n  {"name": "Ada",\n}\n]}',
                "your_friends.json, line 3: invalid JSON",
            ),
            ("export.zip", b"PK\x03\x04truncated", "export.zip"),
        ],
    )
    def test_a_bad_file_ends_failed_with_what_was_wrong_and_nobody_is_added(
        self,
        client: Client,
        base: str,
        name: str,
        data: bytes,
        expected: str,
        run_queued: Callable[[], int],
    ) -> None:
        response = upload(client, base, name, data)
        assert response.status_code == 202, response.content
        run_queued()
        failed = client.get(response.json()["poll"]).json()
        assert failed["status"] == "failed"
        [message] = failed["errors"]
        assert message.startswith(expected)
        assert not Person.objects.exists()
        assert not SourceRecord.objects.exists()
        [listed] = client.get(f"{base}/imports").json()["items"]
        assert (listed["status"], listed["errors"]) == ("failed", [message])

    def test_a_request_without_a_file_is_refused(self, client: Client, base: str) -> None:
        response = client.post(f"{base}/imports", {"document": "not a file"})
        assert [loc for loc, _ in refusals(response)] == [["body", "file"]]
        assert not ImportBatch.objects.exists()

    def test_an_upload_to_another_workspace_is_not_found(
        self, client: Client, other_workspace: Workspace
    ) -> None:
        response = upload(client, f"/api/workspaces/{other_workspace.slug}", "vcard/contacts.vcf")
        assert response.status_code == 404
        assert not ImportBatch.objects.exists()


@pytest.mark.django_db
class ImportBatchApiTests:
    def test_imports_are_listed_newest_first_with_their_counts_in_few_queries(
        self,
        client: Client,
        base: str,
        workspace: Workspace,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        imported(workspace, "linkedin/Connections.csv")
        imported(workspace, "google/contacts.csv")
        imported(workspace, "facebook/your_friends.json")
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(5):
            body = client.get(f"{base}/imports").json()
        assert body["count"] == 3
        assert [b["file_name"] for b in body["items"]] == [
            "your_friends.json",
            "contacts.csv",
            "Connections.csv",
        ]
        assert all("people_new" in b["counts"] for b in body["items"])

    def test_an_import_is_shown_and_undone(
        self, client: Client, base: str, workspace: Workspace, make_person: MakePerson
    ) -> None:
        mine = make_person("Typed By Hand")
        batch = imported(workspace, "linkedin/Connections.csv")
        assert client.get(f"{base}/imports/{batch.pk}").json()["status"] == "done"
        response = post(client, f"{base}/imports/{batch.pk}/undo")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "undone"
        assert response.json()["undone_at"] is not None
        assert list(Person.objects.filter(workspace=workspace)) == [mine]

    def test_an_import_cannot_be_undone_twice(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        batch = imported(workspace, "linkedin/Connections.csv")
        post(client, f"{base}/imports/{batch.pk}/undo")
        [(loc, message)] = refusals(post(client, f"{base}/imports/{batch.pk}/undo"))
        assert loc == ["body"]
        assert "undone" in message

    def test_another_workspaces_import_is_not_found_nor_undone(
        self, client: Client, base: str, other_workspace: Workspace
    ) -> None:
        batch = imported(other_workspace, "linkedin/Connections.csv")
        assert client.get(f"{base}/imports/{batch.pk}").status_code == 404
        assert post(client, f"{base}/imports/{batch.pk}/undo").status_code == 404
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.DONE


@pytest.mark.django_db
class SourceRecordApiTests:
    def test_an_automatic_match_is_listed_and_split_off(
        self, client: Client, base: str, workspace: Workspace
    ) -> None:
        imported(workspace, "linkedin/Connections.csv")
        imported(workspace, "google/contacts.csv")
        priya = person_with(workspace, "linkedin", "priya-raghunathan-03b9")
        rows = client.get(f"{base}/people/{priya.pk}/source-records").json()
        [google] = [row for row in rows if row["source_format"] == "google_csv"]
        assert google["decision"] in ("identity", "matched")
        assert google["person_id"] == priya.pk
        response = post(client, f"{base}/source-records/{google['id']}/split")
        assert response.status_code == 201, response.content
        split = response.json()
        assert split["id"] != priya.pk
        assert person_with(workspace, "email", "priya.raghu@mail.example").pk == split["id"]
        row = client.get(f"{base}/source-records/{google['id']}").json()
        assert (row["decision"], row["person_id"]) == ("split", split["id"])

    def test_a_row_of_another_workspace_is_not_found(
        self, client: Client, base: str, other_workspace: Workspace
    ) -> None:
        imported(other_workspace, "linkedin/Connections.csv")
        row = SourceRecord.objects.filter(workspace=other_workspace).first()
        assert row is not None
        assert client.get(f"{base}/source-records/{row.pk}").status_code == 404
        assert post(client, f"{base}/source-records/{row.pk}/split").status_code == 404
        assert Person.objects.filter(workspace=other_workspace).count() == (
            SourceRecord.objects.filter(workspace=other_workspace, person__isnull=False)
            .values("person")
            .distinct()
            .count()
        )


@pytest.mark.django_db
class ReviewApiTests:
    def test_open_reviews_show_both_people_side_by_side_in_few_queries(
        self,
        client: Client,
        base: str,
        lookalikes: MatchReview,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(9):
            body = client.get(f"{base}/reviews").json()
        assert body["count"] == MatchReview.objects.filter(status="open").count() >= 1
        [review] = [r for r in body["items"] if r["id"] == lookalikes.pk]
        assert review["person_a"]["display_name"] == review["person_b"]["display_name"]
        assert review["evidence"]
        assert 0 < review["score"] < 1
        sides = {review["person_a"]["id"], review["person_b"]["id"]}
        assert sides == {lookalikes.person_a_id, lookalikes.person_b_id}
        networks = {
            c["network"] for side in ("person_a", "person_b") for c in review[side]["connections"]
        }
        assert networks == {"linkedin", "facebook"}

    def test_a_match_is_merged_into_the_person_chosen(
        self, client: Client, base: str, lookalikes: MatchReview
    ) -> None:
        keep = lookalikes.person_b_id
        response = post(client, f"{base}/reviews/{lookalikes.pk}/merge", {"keep": keep})
        assert response.status_code == 200, response.content
        merged = response.json()
        assert merged["id"] == keep
        assert not Person.objects.filter(pk=lookalikes.person_a_id).exists()
        assert lookalikes.pk not in [r["id"] for r in client.get(f"{base}/reviews").json()["items"]]
        # The review went with the person merged away.
        assert post(client, f"{base}/reviews/{lookalikes.pk}/merge").status_code == 404

    def test_the_better_known_person_is_kept_when_none_is_chosen(
        self, client: Client, base: str, workspace: Workspace, lookalikes: MatchReview
    ) -> None:
        better_known = Person.objects.get(pk=lookalikes.person_b_id)
        touch_log(workspace=workspace, people=[better_known], channel="in_person")
        response = post(client, f"{base}/reviews/{lookalikes.pk}/merge")
        assert response.json()["id"] == better_known.pk

    def test_keeping_someone_outside_the_review_is_refused(
        self, client: Client, base: str, lookalikes: MatchReview, make_person: MakePerson
    ) -> None:
        outsider = make_person("Someone Else")
        response = post(client, f"{base}/reviews/{lookalikes.pk}/merge", {"keep": outsider.pk})
        ids = sorted([lookalikes.person_a_id, lookalikes.person_b_id])
        assert refusals(response) == [(["body", "keep"], KEEP_NOT_IN_REVIEW.format(ids=ids))]
        lookalikes.refresh_from_db()
        assert lookalikes.status == MatchReview.Status.OPEN
        assert not PersonMerge.objects.exists()

    def test_a_rejected_match_is_remembered(
        self, client: Client, base: str, lookalikes: MatchReview
    ) -> None:
        response = post(client, f"{base}/reviews/{lookalikes.pk}/reject")
        assert response.status_code == 200
        assert response.json()["status"] == "rejected"
        pair = NotSamePerson.objects.get()
        assert {pair.person_low_id, pair.person_high_id} == {
            lookalikes.person_a_id,
            lookalikes.person_b_id,
        }
        assert client.get(f"{base}/reviews/{lookalikes.pk}").json()["status"] == "rejected"
        merged = post(client, f"{base}/reviews/{lookalikes.pk}/merge")
        assert refusals(merged) == [(["body"], "This match was already decided.")]
        assert Person.objects.filter(pk=lookalikes.person_a_id).exists()

    def test_a_merge_is_split_again(
        self, client: Client, base: str, lookalikes: MatchReview
    ) -> None:
        kept = lookalikes.person_a_id
        post(client, f"{base}/reviews/{lookalikes.pk}/merge", {"keep": kept})
        [merge] = client.get(f"{base}/people/{kept}/merges").json()
        assert (merge["kept"]["id"], merge["dropped_name"]) == (kept, "Zoë Dupont")
        response = post(client, f"{base}/merges/{merge['id']}/split")
        assert response.status_code == 201, response.content
        restored = response.json()
        assert restored["display_name"] == "Zoë Dupont"
        assert restored["id"] != kept
        assert client.get(f"{base}/merges/{merge['id']}").json()["undone_at"] is not None
        assert client.get(f"{base}/people/{kept}/merges").json() == []
        again = post(client, f"{base}/merges/{merge['id']}/split")
        assert refusals(again) == [(["body"], "This merge was already split.")]

    def test_the_queue_and_those_held_back_are_listed_apart_and_both_can_be_decided(
        self, client: Client, base: str, lookalikes: MatchReview, settings: LazySettings
    ) -> None:
        found = MatchReview.objects.count()
        settings.REVIEW_QUEUE_SIZE = 4
        reviews_queue_sort(workspace_id=lookalikes.workspace_id)
        waiting = client.get(f"{base}/reviews").json()
        held = client.get(f"{base}/reviews", {"held": "true"}).json()
        assert (waiting["count"], held["count"]) == (4, found - 4)
        assert {r["status"] for r in held["items"]} == {"held"}
        # Nobody has touches yet and each has one connection: the gain follows the score.
        assert min(r["score"] for r in waiting["items"]) >= max(r["score"] for r in held["items"])
        # A held-back one asked for by its id is decided; the best held back one comes in.
        last = held["items"][-1]["id"]
        assert post(client, f"{base}/reviews/{last}/reject").json()["status"] == "rejected"
        assert client.get(f"{base}/reviews/{last}").json()["status"] == "rejected"
        post(client, f"{base}/reviews/{waiting['items'][0]['id']}/reject")
        assert client.get(f"{base}/reviews").json()["count"] == 4
        assert client.get(f"{base}/reviews", {"held": "true"}).json()["count"] == found - 6

    def test_another_workspaces_reviews_are_not_found_nor_decided(
        self, client: Client, other_workspace: Workspace, workspace: Workspace
    ) -> None:
        imported(other_workspace, "linkedin/Connections.csv")
        imported(other_workspace, "facebook/your_friends.json")
        review = MatchReview.objects.filter(workspace=other_workspace).first()
        assert review is not None
        base = f"/api/workspaces/{workspace.slug}"
        assert client.get(f"{base}/reviews").json()["count"] == 0
        assert client.get(f"{base}/reviews", {"held": "true"}).json()["count"] == 0
        assert client.get(f"{base}/reviews/{review.pk}").status_code == 404
        assert post(client, f"{base}/reviews/{review.pk}/merge").status_code == 404
        assert post(client, f"{base}/reviews/{review.pk}/reject").status_code == 404
        review.refresh_from_db()
        assert review.status == MatchReview.Status.OPEN
