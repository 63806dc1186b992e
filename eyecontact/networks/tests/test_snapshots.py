"""Recording X follower and following lists, and reading the stored churn back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch
from eyecontact.networks.models import Churner, ChurnSummary, FollowChange, FollowSnapshot
from eyecontact.networks.snapshots import (
    churn_csv_rows,
    churn_recompute,
    churn_summary,
    churners,
    follow_changes,
    one_way,
    snapshot_delete,
    snapshot_get,
    snapshot_ids,
    snapshot_record,
    snapshots_forget_batch,
    snapshots_list,
)
from eyecontact.people.models import Person

D1, D2, D3 = dt.date(2025, 1, 5), dt.date(2025, 2, 9), dt.date(2025, 3, 2)
BIG = 2**64 - 1

# The same accounts as in test_churn: 10 new follower, 11 lost, 12 followed back, 13 churner,
# 14 you follow only, 15 you followed, 16 both left, 17 came back, 18 mutual from the start,
# 19 you unfollowed; BIG follows throughout.
FOLLOWERS = {
    D1: [11, 12, 13, 16, 17, 18, BIG],
    D2: [10, 11, 12, 13, 16, 18, BIG],
    D3: [10, 12, 17, BIG],
}
FOLLOWING = {
    D1: [14, 18, 19],
    D2: [12, 13, 14, 15, 16, 18, 19],
    D3: [12, 13, 14, 15, 18],
}


def record_all(workspace: Workspace, order: tuple[dt.date, ...] = (D1, D2, D3)) -> None:
    for day in order:
        snapshot_record(
            workspace=workspace, kind="follower", taken_on=day, account_ids=FOLLOWERS[day]
        )
        snapshot_record(
            workspace=workspace, kind="following", taken_on=day, account_ids=FOLLOWING[day]
        )


def stored_results(
    workspace: Workspace,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    changes = list(
        FollowChange.objects.filter(workspace=workspace)
        .order_by("kind", "account_id")
        .values_list("kind", "account_id", "after_date", "by_date")
    )
    episodes = list(
        Churner.objects.filter(workspace=workspace)
        .order_by("account_id")
        .values_list(
            "account_id",
            "followed_after",
            "followed_by",
            "followed_back_after",
            "followed_back_by",
            "unfollowed_after",
            "unfollowed_by",
            "came_back_by",
        )
    )
    return changes, episodes


@pytest.mark.django_db
class SnapshotRecordTests:
    def test_a_list_is_kept_sorted_and_unique_with_its_count(self, workspace: Workspace) -> None:
        snapshot = snapshot_record(
            workspace=workspace, kind="follower", taken_on=D1, account_ids=[BIG, 5, 3, 5]
        )
        assert snapshot.count == 3
        assert snapshot_ids(snapshot=snapshot).tolist() == [3, 5, BIG]

    def test_a_numpy_array_of_ids_is_accepted(self, workspace: Workspace) -> None:
        snapshot = snapshot_record(
            workspace=workspace,
            kind="following",
            taken_on=D1,
            account_ids=np.array([9, 2], dtype=np.uint64),
        )
        assert snapshot_ids(snapshot=snapshot).tolist() == [2, 9]

    def test_recording_the_same_list_twice_changes_nothing(self, workspace: Workspace) -> None:
        record_all(workspace)
        before = stored_results(workspace)
        computed_at = ChurnSummary.objects.get(workspace=workspace).computed_at
        change_ids = set(FollowChange.objects.values_list("pk", flat=True))
        snapshot_record(
            workspace=workspace, kind="follower", taken_on=D2, account_ids=FOLLOWERS[D2]
        )
        assert FollowSnapshot.objects.filter(workspace=workspace).count() == 6
        assert ChurnSummary.objects.get(workspace=workspace).computed_at == computed_at
        assert set(FollowChange.objects.values_list("pk", flat=True)) == change_ids
        assert stored_results(workspace) == before

    def test_a_different_list_for_the_same_day_replaces_it(self, workspace: Workspace) -> None:
        snapshot_record(workspace=workspace, kind="follower", taken_on=D1, account_ids=[1, 2])
        snapshot_record(workspace=workspace, kind="follower", taken_on=D2, account_ids=[1, 2])
        assert not FollowChange.objects.filter(workspace=workspace).exists()
        batch = ImportBatch.objects.create(workspace=workspace, file_name="follower.js")
        replaced = snapshot_record(
            workspace=workspace, kind="follower", taken_on=D2, account_ids=[2, 3], batch_id=batch.pk
        )
        assert FollowSnapshot.objects.filter(workspace=workspace, kind="follower").count() == 2
        assert (replaced.count, replaced.source_batch_id) == (2, batch.pk)
        assert sorted(follow_changes(workspace=workspace).values_list("kind", "account_id")) == [
            ("follower_gained", "3"),
            ("follower_lost", "1"),
        ]

    def test_lists_recorded_out_of_date_order_give_the_same_churn(
        self, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        record_all(workspace)
        record_all(other_workspace, order=(D3, D1, D2))
        assert stored_results(other_workspace) == stored_results(workspace)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"kind": "friends"}, "kind"),
            ({"account_ids": [-4]}, "account_ids"),
            ({"account_ids": [2**64]}, "account_ids"),
            ({"account_ids": ["@jane"]}, "account_ids"),
            ({"taken_on": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)}, "taken_on"),
        ],
    )
    def test_a_bad_list_is_refused_with_the_field_at_fault(
        self, workspace: Workspace, fields: dict[str, object], field: str
    ) -> None:
        arguments: dict[str, object] = {"kind": "follower", "taken_on": D1, "account_ids": [1]}
        with pytest.raises(ValidationError) as caught:
            snapshot_record(workspace=workspace, **{**arguments, **fields})  # type: ignore[arg-type]  # wrong on purpose
        assert field in caught.value.message_dict
        assert not FollowSnapshot.objects.exists()

    def test_deleting_a_list_recomputes_without_it(self, workspace: Workspace) -> None:
        record_all(workspace)
        snapshot_delete(snapshot=FollowSnapshot.objects.get(kind="follower", taken_on=D3))
        assert not churners(workspace=workspace).exists()
        assert ChurnSummary.objects.get(workspace=workspace).follower_snapshots == 2

    def test_undoing_an_import_forgets_the_lists_it_brought(self, workspace: Workspace) -> None:
        batch = ImportBatch.objects.create(workspace=workspace, file_name="twitter.zip")
        snapshot_record(workspace=workspace, kind="follower", taken_on=D1, account_ids=[1])
        snapshot_record(
            workspace=workspace, kind="follower", taken_on=D2, account_ids=[2], batch_id=batch.pk
        )
        assert snapshots_forget_batch(workspace=workspace, batch_id=batch.pk) == 1
        assert list(snapshots_list(workspace=workspace).values_list("taken_on", flat=True)) == [D1]
        assert not follow_changes(workspace=workspace).exists()


@pytest.mark.django_db
class ChurnSelectorsTests:
    def test_one_list_only_shows_no_changes(self, workspace: Workspace) -> None:
        snapshot_record(workspace=workspace, kind="follower", taken_on=D1, account_ids=[1, 2])
        summary = churn_summary(workspace=workspace)
        assert summary is not None
        assert (summary.changes, summary.churners, summary.one_way_known) == (0, 0, False)
        assert summary.timeline == [
            {
                "date": "2025-01-05",
                "followers": 2,
                "following": None,
                "follower_gained": 0,
                "follower_lost": 0,
                "followed_back": 0,
                "you_followed": 0,
                "you_unfollowed": 0,
                "churned": 0,
            }
        ]
        assert len(one_way(workspace=workspace, direction="they_follow_only")) == 0

    def test_no_summary_before_any_list(self, workspace: Workspace) -> None:
        assert churn_summary(workspace=workspace) is None
        assert list(one_way(workspace=workspace)) == []

    def test_churners_carry_the_dates_of_each_step_and_the_person(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Churn", identities=[("x", "id:13")])
        record_all(workspace)
        [row] = churners(workspace=workspace)
        assert (row.account_id, row.person_id, row.person_name) == ("13", ada.pk, "Ada Churn")  # type: ignore[attr-defined]  # annotated
        assert (row.followed_after, row.followed_by) == (None, D1)
        assert (row.followed_back_after, row.followed_back_by) == (D1, D2)
        assert (row.unfollowed_after, row.unfollowed_by, row.came_back_by) == (D2, D3, None)
        assert not churners(workspace=workspace, came_back=True).exists()

    def test_follow_changes_of_one_kind_latest_first(self, workspace: Workspace) -> None:
        record_all(workspace)
        gained = follow_changes(workspace=workspace, kind="follower_gained")
        assert list(gained.values_list("account_id", "after_date", "by_date")) == [
            ("17", D2, D3),
            ("10", D1, D2),
        ]
        assert [c.person_id for c in gained] == [None, None]  # type: ignore[attr-defined]  # annotated
        assert follow_changes(workspace=workspace).count() == 13

    def test_an_unknown_change_kind_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            follow_changes(workspace=workspace, kind="ghosted")
        assert "kind" in caught.value.message_dict

    def test_one_way_follows_page_in_account_order_with_their_people(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        grace = make_person("Grace Big", identities=[("x", f"id:{BIG}")])
        record_all(workspace)
        they_only = one_way(workspace=workspace, direction="they_follow_only")
        assert [a.account_id for a in they_only] == ["10", "17", str(BIG)]
        assert they_only[-1].person_id == grace.pk
        assert they_only[-1].profile_url == f"https://x.com/i/user/{BIG}"
        you_only = one_way(workspace=workspace, direction="you_follow_only")
        assert [a.account_id for a in you_only[1:3]] == ["14", "15"]
        assert [a.account_id for a in you_only[::2]] == ["13", "15"]
        with pytest.raises(IndexError):
            you_only[4]

    def test_pages_read_stored_results_in_few_queries(
        self,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        make_person("Ada Churn", identities=[("x", "id:13")])
        record_all(workspace)
        with django_assert_max_num_queries(2):
            page = Paginator(follow_changes(workspace=workspace), 5).page(2)
            names = [c.person_name for c in page]  # type: ignore[attr-defined]  # annotated
        assert len(names) == 5
        # The count, the page's own bytes of the stored ids, the people of the page.
        with django_assert_max_num_queries(3):
            accounts = Paginator(one_way(workspace=workspace, direction="you_follow_only"), 2).page(
                2
            )
            assert [a.account_id for a in accounts] == ["15", "18"]

    def test_an_unknown_direction_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            one_way(workspace=workspace, direction="both")
        assert "direction" in caught.value.message_dict

    def test_another_workspace_sees_nothing_of_these_lists(
        self, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        record_all(workspace)
        assert churn_summary(workspace=other_workspace) is None
        assert not follow_changes(workspace=other_workspace).exists()
        assert not churners(workspace=other_workspace).exists()
        assert not snapshots_list(workspace=other_workspace).exists()
        mine = snapshots_list(workspace=workspace).first()
        assert mine is not None
        with pytest.raises(Http404):
            snapshot_get(workspace=other_workspace, pk=mine.pk)
        assert snapshot_get(workspace=workspace, pk=mine.pk) == mine

    def test_recompute_is_repeatable(self, workspace: Workspace) -> None:
        record_all(workspace)
        before = stored_results(workspace)
        churn_recompute(workspace=workspace)
        assert stored_results(workspace) == before


@pytest.mark.django_db
class ChurnCsvTests:
    def test_churners_export_with_every_date(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Ada Churn", identities=[("x", "id:13")])
        record_all(workspace)
        header, *rows = churn_csv_rows(workspace=workspace, name="churners")
        assert header[:3] == ["account_id", "profile", "person"]
        assert rows == [
            [
                "13",
                "https://x.com/i/user/13",
                "Ada Churn",
                "",
                "2025-01-05",
                "2025-01-05",
                "2025-02-09",
                "2025-02-09",
                "2025-03-02",
                "",
            ]
        ]

    def test_changes_and_one_way_follows_export(self, workspace: Workspace) -> None:
        record_all(workspace)
        _, *lost = churn_csv_rows(workspace=workspace, name="changes", kind="follower_lost")
        assert {row[0] for row in lost} == {"11", "13", "16", "17", "18"}
        assert all(row[3] == "follower_lost" for row in lost)
        _, *they_only = churn_csv_rows(workspace=workspace, name="they_follow_only")
        assert [row[0] for row in they_only] == ["10", "17", str(BIG)]

    def test_an_unknown_list_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError):
            list(churn_csv_rows(workspace=workspace, name="everyone"))
