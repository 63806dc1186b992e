"""Connections a newer export lacks: marked removed, unless it lacks so many that it is likelier
cut short or filtered; then the user is asked first. An empty follow list is a list."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.services import (
    NOTHING_HELD,
    batch_undo,
    import_file,
    removals_accept,
    removals_held_text,
)
from eyecontact.networks.models import FollowSnapshot
from eyecontact.people.models import Connection, Person

FIXTURES = Path(__file__).parent / "fixtures"
CONNECTIONS = (FIXTURES / "linkedin/Connections.csv").read_bytes()
EMPTY_FOLLOWING = b"window.YTD.following.part0 = []"
EMPTY_FOLLOWERS = b"window.YTD.follower.part0 = [ ]\n"


def without_last_people(count: int) -> bytes:
    """Connections.csv as an export that lacks its last ``count`` people (hidden rows stay)."""
    lines = CONNECTIONS.split(b"\n")
    people = [i for i, line in enumerate(lines) if b"linkedin.com/in/" in line]
    dropped = set(people[-count:])
    return b"\n".join(line for i, line in enumerate(lines) if i not in dropped)


def run(workspace: Workspace, name: str, data: bytes, **options: Any) -> ImportBatch:
    batch = import_file(workspace=workspace, file_name=name, data=data, **options)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return batch


def removed(workspace: Workspace, network: str = "linkedin") -> int:
    return Connection.objects.filter(
        workspace=workspace, network=network, removed_on__isnull=False
    ).count()


def live(workspace: Workspace, network: str, kind: str) -> int:
    return Connection.objects.filter(
        workspace=workspace, network=network, kind=kind, removed_on__isnull=True
    ).count()


@pytest.mark.django_db
class ManyMissingTests:
    def test_an_export_lacking_9_of_30_connections_marks_none_removed_and_says_so(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        batch = run(workspace, "Connections.csv", without_last_people(9))

        assert removed(workspace) == 0
        assert batch.counts["connections_removed"] == 0
        assert not SourceRecord.objects.filter(missing_since__isnull=False).exists()
        (held,) = batch.counts["removals_held"]
        assert (held["label"], held["missing"], held["listed_before"]) == (
            "LinkedIn connections",
            9,
            30,
        )
        assert removals_held_text(held).startswith(
            "This export lacks 9 of the 30 LinkedIn connections the last one listed (30%). "
            "They were not marked as removed"
        )

    def test_the_rows_of_that_export_are_imported_all_the_same(self, workspace: Workspace) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        newer = (
            without_last_people(9).replace(b"Principal Research Scientist", b"Head of Research")
            + b"\nAda,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,"
            b"Founder,01 Oct 2025"
        )
        batch = run(workspace, "Connections.csv", newer)
        assert batch.counts["removals_held"]
        assert batch.counts["people_new"] == 1
        assert batch.counts["people_updated"] == 1
        misaki = Person.objects.get(workspace=workspace, display_name="Misaki Tanaka")
        assert misaki.title == "Head of Research"
        assert live(workspace, "linkedin", "connection") == 31

    def test_accepting_marks_them_removed_as_of_that_export(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        batch = run(workspace, "Connections.csv", without_last_people(9))

        assert removals_accept(batch=batch, actor=user) == 9

        assert removed(workspace) == 9
        assert SourceRecord.objects.filter(missing_since__isnull=False).count() == 9
        batch.refresh_from_db()
        assert batch.counts["connections_removed"] == 9
        assert batch.counts.get("removals_held", []) == []
        with pytest.raises(ValueError, match=NOTHING_HELD):
            removals_accept(batch=batch, actor=user)

    def test_a_connection_a_later_export_lists_again_is_not_marked_when_accepting(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        short = run(workspace, "Connections.csv", without_last_people(9))
        run(workspace, "Connections.csv", CONNECTIONS)

        assert removals_accept(batch=short, actor=user) == 0
        assert removed(workspace) == 0

    def test_accepting_at_import_marks_them_removed_at_once(self, workspace: Workspace) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        batch = run(workspace, "Connections.csv", without_last_people(9), accept_removals=True)
        assert batch.counts["removals_held"] == []
        assert batch.counts["connections_removed"] == removed(workspace) == 9

    def test_connections_marked_removed_are_live_again_when_a_later_export_lists_them(
        self, workspace: Workspace
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        links = Connection.objects.filter(workspace=workspace, network="linkedin")
        dated = sorted(links.values_list("person_id", "connected_on"))
        run(workspace, "Connections.csv", without_last_people(9), accept_removals=True)
        assert removed(workspace) == 9

        run(workspace, "Connections.csv", CONNECTIONS)

        assert removed(workspace) == 0
        assert live(workspace, "linkedin", "connection") == 30
        assert sorted(links.values_list("person_id", "connected_on")) == dated

    def test_a_few_missing_are_marked_removed_without_asking(self, workspace: Workspace) -> None:
        """Six of thirty (20%) is what people remove between two exports."""
        run(workspace, "Connections.csv", CONNECTIONS)
        batch = run(workspace, "Connections.csv", without_last_people(6))
        assert batch.counts["removals_held"] == []
        assert batch.counts["connections_removed"] == removed(workspace) == 6

    def test_the_first_export_of_a_list_asks_nothing(self, workspace: Workspace) -> None:
        batch = run(workspace, "Connections.csv", without_last_people(9))
        assert batch.counts["removals_held"] == []


@pytest.mark.django_db
class EmptyFollowListTests:
    def test_an_empty_following_list_is_recorded_as_following_nobody(
        self, workspace: Workspace
    ) -> None:
        batch = run(workspace, "following.js", EMPTY_FOLLOWING)
        snapshot = FollowSnapshot.objects.get(workspace=workspace)
        assert (snapshot.kind, snapshot.count) == ("following", 0)
        assert batch.counts["follow_lists"] == 1

    def test_an_empty_follower_list_is_recorded_too(self, workspace: Workspace) -> None:
        run(workspace, "follower.js", EMPTY_FOLLOWERS)
        snapshot = FollowSnapshot.objects.get(workspace=workspace)
        assert (snapshot.kind, snapshot.count) == ("follower", 0)

    def test_following_nobody_after_following_twenty_asks_then_unfollows_all(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "following.js", (FIXTURES / "x/following.js").read_bytes())
        assert live(workspace, "x", "following") == 20
        empty = run(workspace, "following.js", EMPTY_FOLLOWING)

        (held,) = empty.counts["removals_held"]
        assert (held["label"], held["missing"], held["listed_before"]) == (
            "X accounts followed",
            20,
            20,
        )
        assert live(workspace, "x", "following") == 20
        assert FollowSnapshot.objects.get(workspace=workspace, kind="following").count == 20

        removals_accept(batch=empty, actor=user)

        assert live(workspace, "x", "following") == 0
        assert FollowSnapshot.objects.get(workspace=workspace, kind="following").count == 0

    def test_following_nobody_accepted_at_import_unfollows_all(self, workspace: Workspace) -> None:
        run(workspace, "following.js", (FIXTURES / "x/following.js").read_bytes())
        batch = run(workspace, "following.js", EMPTY_FOLLOWING, accept_removals=True)
        assert batch.counts["connections_removed"] == 20
        assert live(workspace, "x", "following") == 0
        assert FollowSnapshot.objects.get(workspace=workspace, kind="following").count == 0


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db(databases=["default", "live"])
class RemovalsApiTests:
    @pytest.fixture(autouse=True)
    def queue(self, run_queued: Callable[[], int]) -> None:
        self.run_queued = run_queued

    def upload(self, client: Client, workspace: Workspace, data: bytes, query: str = "") -> Any:
        """The import as its poll URL shows it once a worker has run it."""
        response = client.post(
            f"/api/workspaces/{workspace.slug}/imports{query}",
            {"file": SimpleUploadedFile("Connections.csv", data)},
        )
        assert response.status_code == 202, response.content
        assert self.run_queued() == 1
        return client.get(response.json()["poll"])

    def test_the_import_says_which_removals_wait_and_a_post_accepts_them(
        self, client: Client, workspace: Workspace
    ) -> None:
        assert self.upload(client, workspace, CONNECTIONS).status_code == 200
        response = self.upload(client, workspace, without_last_people(9))
        assert response.status_code == 200
        body = response.json()
        assert body["removals_held"] == [removals_held_text(body["counts"]["removals_held"][0])]
        assert "9 of the 30 LinkedIn connections" in body["removals_held"][0]
        assert removed(workspace) == 0

        accepted = client.post(
            f"/api/workspaces/{workspace.slug}/imports/{body['id']}/accept-removals"
        )

        assert accepted.status_code == 200
        assert accepted.json()["removals_held"] == []
        assert accepted.json()["counts"]["connections_removed"] == 9
        assert removed(workspace) == 9
        again = client.post(
            f"/api/workspaces/{workspace.slug}/imports/{body['id']}/accept-removals"
        )
        assert again.status_code == 422

    def test_accept_removals_at_upload_marks_them_at_once(
        self, client: Client, workspace: Workspace
    ) -> None:
        self.upload(client, workspace, CONNECTIONS)
        response = self.upload(
            client, workspace, without_last_people(9), query="?accept_removals=true"
        )
        assert response.status_code == 200
        assert response.json()["removals_held"] == []
        assert removed(workspace) == 9

    def test_another_workspaces_import_cannot_be_accepted(
        self, client: Client, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        run(other_workspace, "Connections.csv", CONNECTIONS)
        theirs = run(other_workspace, "Connections.csv", without_last_people(9))
        response = client.post(
            f"/api/workspaces/{workspace.slug}/imports/{theirs.pk}/accept-removals"
        )
        assert response.status_code == 404
        assert removed(other_workspace) == 0


@pytest.mark.django_db
class UndoRemovalsTests:
    def test_undoing_an_export_puts_back_the_connections_it_marked_removed(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        shorter = run(workspace, "Connections.csv", without_last_people(6))
        assert removed(workspace) == 6

        batch_undo(batch=shorter, actor=user)

        assert removed(workspace) == 0
        assert live(workspace, "linkedin", "connection") == 30
        assert not SourceRecord.objects.filter(missing_since__isnull=False).exists()

    def test_undoing_puts_back_removals_accepted_later_too(
        self, workspace: Workspace, user: User
    ) -> None:
        run(workspace, "Connections.csv", CONNECTIONS)
        shorter = run(workspace, "Connections.csv", without_last_people(9))
        removals_accept(batch=shorter, actor=user)
        assert removed(workspace) == 9
        shorter.refresh_from_db()

        batch_undo(batch=shorter, actor=user)

        assert removed(workspace) == 0
        assert not SourceRecord.objects.filter(missing_since__isnull=False).exists()
