"""The pure churn computation: snapshot diffs, every step between snapshots, churners."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyecontact.networks.churn import Churn, as_id_array, churn_compute, diff

D1, D2, D3, D4, D5 = (dt.date(2024, month, 1) for month in range(1, 6))
BIG = 2**64 - 1  # the largest X id the storage can hold
ids = as_id_array


def changes(result: Churn, kind: str) -> dict[int, tuple[dt.date | None, dt.date | None]]:
    found = result.changes[kind]
    return {
        int(a): (after, by)
        for a, after, by in zip(
            found.account_ids.tolist(),
            found.after.astype(object).tolist(),
            found.by.astype(object).tolist(),
            strict=True,
        )
    }


def episodes(result: Churn) -> list[tuple[Any, ...]]:
    c = result.churners
    return list(
        zip(
            c.account_ids.tolist(),
            *(
                d.astype(object).tolist()
                for d in (
                    c.followed_after,
                    c.followed_by,
                    c.followed_back_after,
                    c.followed_back_by,
                    c.unfollowed_after,
                    c.unfollowed_by,
                    c.came_back_by,
                )
            ),
            strict=True,
        )
    )


# Three snapshots, one account for each thing that can happen (F: follows you, G: you follow).
NEW_FOLLOWER = 10  # F 0 1 1
LOST_FOLLOWER = 11  # F 1 1 0
FOLLOWED_BACK = 12  # F 1 1 1, G 0 1 1
CHURNER = 13  # F 1 1 0, G 0 1 1
YOU_FOLLOW_ONLY = 14  # G 1 1 1
YOU_FOLLOWED = 15  # G 0 1 1
BOTH_LEFT = 16  # F 1 1 0, G 0 1 0: followed back, then both gone in one interval
CAME_BACK = 17  # F 1 0 1
MUTUAL_FROM_START = 18  # F 1 1 0, G 1 1 1: never seen being followed back
YOU_UNFOLLOWED = 19  # G 1 1 0
BIG_ID = BIG  # F 1 1 1: an id past 2**63 - 1

FOLLOWERS = {
    D1: [LOST_FOLLOWER, FOLLOWED_BACK, CHURNER, BOTH_LEFT, CAME_BACK, MUTUAL_FROM_START, BIG_ID],
    D2: [NEW_FOLLOWER, LOST_FOLLOWER, FOLLOWED_BACK, CHURNER, BOTH_LEFT, MUTUAL_FROM_START, BIG_ID],
    D3: [NEW_FOLLOWER, FOLLOWED_BACK, CAME_BACK, BIG_ID],
}
FOLLOWING = {
    D1: [YOU_FOLLOW_ONLY, MUTUAL_FROM_START, YOU_UNFOLLOWED],
    D2: [FOLLOWED_BACK, CHURNER, YOU_FOLLOW_ONLY, YOU_FOLLOWED, BOTH_LEFT, MUTUAL_FROM_START]
    + [YOU_UNFOLLOWED],
    D3: [FOLLOWED_BACK, CHURNER, YOU_FOLLOW_ONLY, YOU_FOLLOWED, MUTUAL_FROM_START],
}


def three_snapshots(order: list[dt.date] | None = None) -> Churn:
    dates = order or [D1, D2, D3]
    return churn_compute(
        followers=[(d, ids(FOLLOWERS[d])) for d in dates],
        following=[(d, ids(FOLLOWING[d])) for d in dates],
    )


class ChurnOverThreeSnapshotsTests:
    def test_new_followers_are_bracketed_by_the_snapshots_around_them(self) -> None:
        assert changes(three_snapshots(), "follower_gained") == {
            NEW_FOLLOWER: (D1, D2),
            CAME_BACK: (D2, D3),
        }

    def test_lost_followers_include_everyone_who_stopped_following(self) -> None:
        assert changes(three_snapshots(), "follower_lost") == {
            LOST_FOLLOWER: (D2, D3),
            CHURNER: (D2, D3),
            BOTH_LEFT: (D2, D3),
            CAME_BACK: (D1, D2),
            MUTUAL_FROM_START: (D2, D3),
        }

    def test_following_someone_who_follows_you_is_a_follow_back(self) -> None:
        result = three_snapshots()
        assert changes(result, "followed_back") == {
            FOLLOWED_BACK: (D1, D2),
            CHURNER: (D1, D2),
            BOTH_LEFT: (D1, D2),
        }
        assert changes(result, "you_followed") == {YOU_FOLLOWED: (D1, D2)}

    def test_you_unfollowing_is_its_own_step(self) -> None:
        assert changes(three_snapshots(), "you_unfollowed") == {
            YOU_UNFOLLOWED: (D2, D3),
            BOTH_LEFT: (D2, D3),
        }

    def test_a_churner_followed_was_followed_back_and_left_while_still_followed(self) -> None:
        assert episodes(three_snapshots()) == [(CHURNER, None, D1, D1, D2, D2, D3, None)]

    def test_one_way_follows_go_both_ways_as_of_the_latest_snapshots(self) -> None:
        result = three_snapshots()
        assert result.one_way_known
        assert result.they_follow_only.tolist() == [NEW_FOLLOWER, CAME_BACK, BIG_ID]
        assert result.you_follow_only.tolist() == [
            CHURNER,
            YOU_FOLLOW_ONLY,
            YOU_FOLLOWED,
            MUTUAL_FROM_START,
        ]

    def test_the_timeline_counts_each_step_on_the_date_it_was_first_seen(self) -> None:
        points = three_snapshots().timeline
        assert [p.date for p in points] == [D1, D2, D3]
        assert [(p.followers, p.following) for p in points] == [(7, 3), (7, 7), (4, 5)]
        assert [p.follower_gained for p in points] == [0, 1, 1]
        assert [p.follower_lost for p in points] == [0, 1, 4]
        assert [p.followed_back for p in points] == [0, 3, 0]
        assert [p.you_unfollowed for p in points] == [0, 0, 2]
        assert [p.churned for p in points] == [0, 0, 1]

    @pytest.mark.parametrize("order", [[D3, D1, D2], [D2, D3, D1], [D3, D2, D1]])
    def test_snapshots_given_out_of_date_order_give_the_same_churn(
        self, order: list[dt.date]
    ) -> None:
        expected, shuffled = three_snapshots(), three_snapshots(order)
        assert episodes(shuffled) == episodes(expected)
        for kind in expected.changes:
            assert changes(shuffled, kind) == changes(expected, kind)
        assert shuffled.timeline == expected.timeline


class ChurnEdgeTests:
    def test_one_snapshot_shows_no_changes(self) -> None:
        result = churn_compute(followers=[(D1, ids([1, 2]))], following=[(D1, ids([2, 3]))])
        assert all(len(found) == 0 for found in result.changes.values())
        assert len(result.churners) == 0
        assert (result.they_follow_only.tolist(), result.you_follow_only.tolist()) == ([1], [3])

    def test_no_snapshot_at_all_gives_an_empty_churn(self) -> None:
        result = churn_compute(followers=[], following=[])
        assert result.timeline == ()
        assert not result.one_way_known

    def test_the_same_list_twice_shows_no_changes(self) -> None:
        result = churn_compute(
            followers=[(D1, ids([1, 2])), (D2, ids([1, 2]))],
            following=[(D1, ids([1])), (D2, ids([1]))],
        )
        assert all(len(found) == 0 for found in result.changes.values())

    def test_without_a_following_list_one_way_follows_are_unknown(self) -> None:
        result = churn_compute(followers=[(D1, ids([1])), (D2, ids([2]))], following=[])
        assert not result.one_way_known
        assert len(result.they_follow_only) == 0
        assert changes(result, "follower_gained") == {2: (D1, D2)}
        assert len(result.churners) == 0

    def test_two_lists_of_one_kind_on_one_day_are_refused(self) -> None:
        with pytest.raises(ValueError, match="two follower snapshots"):
            churn_compute(followers=[(D1, ids([1])), (D1, ids([2]))], following=[])

    def test_you_unfollowing_them_first_is_not_churn(self) -> None:
        # F 1 1 1 0, G 0 1 0 0: followed back, you unfollowed, then they left.
        result = churn_compute(
            followers=[(D1, ids([7])), (D2, ids([7])), (D3, ids([7])), (D4, ids([]))],
            following=[(D1, ids([])), (D2, ids([7])), (D3, ids([])), (D4, ids([]))],
        )
        assert len(result.churners) == 0
        assert changes(result, "follower_lost") == {7: (D3, D4)}

    def test_a_churner_who_comes_back_and_leaves_again_churns_twice(self) -> None:
        # F 0 1 1 0 1 0 with G 0 0 1 1 1 1 over six monthly snapshots.
        d6 = dt.date(2024, 6, 1)
        follows = {D1: [], D2: [5], D3: [5], D4: [], D5: [5], d6: []}
        followed = {D1: [], D2: [], D3: [5], D4: [5], D5: [5], d6: [5]}
        result = churn_compute(
            followers=[(d, ids(a)) for d, a in follows.items()],
            following=[(d, ids(a)) for d, a in followed.items()],
        )
        assert episodes(result) == [
            (5, D1, D2, D2, D3, D3, D4, D5),
            (5, D4, D5, D2, D3, D5, d6, None),
        ]

    def test_lists_of_each_kind_on_different_days_carry_forward(self) -> None:
        """Followers on Jan 1 and Mar 1, following on Jan 1 and Feb 1: on Feb 1 the followers
        are still those of Jan 1, so following one of them then is a follow back."""
        result = churn_compute(
            followers=[(D1, ids([1, 2])), (D3, ids([2]))],
            following=[(D1, ids([])), (D2, ids([1]))],
        )
        assert changes(result, "followed_back") == {1: (D1, D2)}
        assert changes(result, "follower_lost") == {1: (D1, D3)}
        assert episodes(result) == [(1, None, D1, D1, D2, D1, D3, None)]

    def test_a_following_list_before_any_follower_list_is_no_follow_back(self) -> None:
        result = churn_compute(
            followers=[(D2, ids([1])), (D3, ids([]))],
            following=[(D1, ids([])), (D2, ids([1])), (D3, ids([1]))],
        )
        assert changes(result, "you_followed") == {1: (D1, D2)}
        assert len(result.churners) == 0

    @pytest.mark.parametrize("bad", [[-1], [2**64]])
    def test_ids_outside_64_bits_are_refused(self, bad: list[int]) -> None:
        with pytest.raises(ValueError, match="X account ids"):
            as_id_array(bad)

    def test_ids_are_sorted_and_unique_whatever_the_input(self) -> None:
        assert as_id_array([3, 1, 3, BIG]).tolist() == [1, 3, BIG]
        assert as_id_array(np.array([3, 1, 3], dtype=np.int64)).tolist() == [1, 3]
        assert as_id_array(np.array([2, 2], dtype=np.uint64)).tolist() == [2]


id_sets = st.sets(st.integers(min_value=0, max_value=BIG), max_size=60)


class DiffPropertyTests:
    @given(older=id_sets, newer=id_sets)
    def test_diff_agrees_with_python_sets(self, older: set[int], newer: set[int]) -> None:
        found = diff(as_id_array(older), as_id_array(newer))
        assert found.added.tolist() == sorted(newer - older)
        assert found.removed.tolist() == sorted(older - newer)

    @given(older=st.sets(st.integers(0, 40), max_size=30), newer=st.sets(st.integers(0, 40)))
    def test_diff_of_overlapping_small_ids_agrees_with_python_sets(
        self, older: set[int], newer: set[int]
    ) -> None:
        found = diff(as_id_array(older), as_id_array(newer))
        assert (set(found.added.tolist()), set(found.removed.tolist())) == (
            newer - older,
            older - newer,
        )


def reference_churners(
    follows: list[set[int]], followed: list[set[int]]
) -> list[tuple[int, int, int]]:
    """The rule walked account by account, snapshot by snapshot (all lists on the same days):
    (account, index of the follow back, index of the unfollow) for each episode."""
    found = []
    for account in set().union(*follows, *followed):
        armed, gone, back_at = False, False, -1
        for t in range(1, len(follows)):
            f0, f1 = account in follows[t - 1], account in follows[t]
            g0, g1 = account in followed[t - 1], account in followed[t]
            if armed and f0 and not f1 and g0 and g1:
                found.append((account, back_at, t))
                gone = True
            if f0 and f1 and not g0 and g1:
                armed, back_at = True, t
            if (f0 and not f1) or (g0 and not g1):
                armed = False
            if gone and not f0 and f1:
                gone, armed = False, g1
    return sorted(found)


def paired_lists(draw_size: int) -> st.SearchStrategy[tuple[list[set[int]], list[set[int]]]]:
    lists = st.lists(st.sets(st.integers(0, 9)), min_size=draw_size, max_size=draw_size)
    return st.tuples(lists, lists)


class ChurnPropertyTests:
    @settings(max_examples=200)
    @given(lists=st.integers(2, 6).flatmap(paired_lists))
    def test_churners_agree_with_a_per_account_walk(
        self, lists: tuple[list[set[int]], list[set[int]]]
    ) -> None:
        follows, followed = lists
        days = [D1 + dt.timedelta(days=7 * t) for t in range(len(follows))]
        result = churn_compute(
            followers=[(d, ids(s)) for d, s in zip(days, follows, strict=True)],
            following=[(d, ids(s)) for d, s in zip(days, followed, strict=True)],
        )
        got = sorted(
            (int(a), days.index(back), days.index(left))
            for a, *dates in episodes(result)
            for back, left in [(dates[3], dates[5])]
        )
        assert got == reference_churners(follows, followed)

    @given(lists=st.integers(2, 5).flatmap(paired_lists))
    def test_every_change_is_a_step_between_consecutive_lists(
        self, lists: tuple[list[set[int]], list[set[int]]]
    ) -> None:
        follows, followed = lists
        days = [D1 + dt.timedelta(days=7 * t) for t in range(len(follows))]
        result = churn_compute(
            followers=[(d, ids(s)) for d, s in zip(days, follows, strict=True)],
            following=[(d, ids(s)) for d, s in zip(days, followed, strict=True)],
        )
        expected_gained = {
            (a, days[t - 1], days[t])
            for t in range(1, len(days))
            for a in follows[t] - follows[t - 1]
        }
        expected_unfollowed = {
            (a, days[t - 1], days[t])
            for t in range(1, len(days))
            for a in followed[t - 1] - followed[t]
        }
        found = result.changes
        for kind, expected in (
            ("follower_gained", expected_gained),
            ("you_unfollowed", expected_unfollowed),
        ):
            assert {
                (int(a), after, by)
                for a, after, by in zip(
                    found[kind].account_ids.tolist(),
                    found[kind].after.astype(object).tolist(),
                    found[kind].by.astype(object).tolist(),
                    strict=True,
                )
            } == expected
        assert result.they_follow_only.tolist() == sorted(follows[-1] - followed[-1])


class PurityTests:
    def test_the_churn_core_imports_nothing_from_django_or_the_apps(self) -> None:
        source = Path(__file__).resolve().parent.parent / "churn.py"
        imported = set()
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
        assert imported <= {"__future__", "collections", "dataclasses", "datetime", "typing"} | {
            "numpy"
        }
