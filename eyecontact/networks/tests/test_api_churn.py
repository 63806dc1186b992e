"""The follow churn API: who followed, left, churned and follows one way on X."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.networks.models import Churner, FollowChange
from eyecontact.networks.snapshots import snapshot_record
from eyecontact.people.models import Person

MakePerson = Callable[..., Person]
D1, D2, D3 = dt.date(2025, 1, 5), dt.date(2025, 2, 9), dt.date(2025, 3, 2)
BIG = 2**64 - 1

# 10 new follower, 11 lost, 12 followed back, 13 churner, 14 you follow only, 15 you followed,
# 16 both left, 17 came back, 18 mutual from the start, 19 you unfollowed; BIG follows throughout.
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


def record_all(workspace: Workspace) -> None:
    for day in (D1, D2, D3):
        snapshot_record(
            workspace=workspace, kind="follower", taken_on=day, account_ids=FOLLOWERS[day]
        )
        snapshot_record(
            workspace=workspace, kind="following", taken_on=day, account_ids=FOLLOWING[day]
        )


@pytest.fixture
def client(user: User) -> Client:
    _, key = token_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get("/api/workspaces/")  # the token's first use is recorded once, outside the counts
    return client


@pytest.fixture
def base(workspace: Workspace) -> str:
    return f"/api/workspaces/{workspace.slug}/churn"


@pytest.fixture
def recorded(workspace: Workspace, make_person: MakePerson) -> Person:
    """Three days of lists; account 13, the churner, is Ada's."""
    ada = make_person("Ada Churn", identities=[("x", "id:13")])
    record_all(workspace)
    return ada


def refused_fields(response: Any) -> list[list[str]]:
    assert response.status_code == 422, response.content
    return [error["loc"] for error in response.json()["detail"]]


@pytest.mark.django_db
class ChurnSummaryApiTests:
    def test_before_any_list_everything_is_zero(self, client: Client, base: str) -> None:
        body = client.get(base).json()
        assert (body["computed_at"], body["changes"], body["timeline"]) == (None, 0, [])
        assert body["one_way_known"] is False

    def test_the_summary_counts_and_dates_the_churn(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        body = client.get(base).json()
        assert (body["follower_snapshots"], body["following_snapshots"]) == (3, 3)
        assert (body["changes"], body["churners"]) == (13, 1)
        assert (body["they_follow_only_count"], body["you_follow_only_count"]) == (3, 4)
        assert [day["date"] for day in body["timeline"]] == [d.isoformat() for d in (D1, D2, D3)]
        assert body["timeline"][2]["churned"] == 1
        assert body["timeline"][0]["followers"] == len(FOLLOWERS[D1])

    def test_the_lists_kept_are_listed_newest_first(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        body = client.get(f"{base}/snapshots").json()
        assert body["count"] == 6
        assert [(s["taken_on"], s["kind"]) for s in body["items"][:2]] == [
            (D3.isoformat(), "follower"),
            (D3.isoformat(), "following"),
        ]
        assert body["items"][0]["count"] == len(FOLLOWERS[D3])


@pytest.mark.django_db
class ChurnListsApiTests:
    def test_churners_carry_each_step_and_the_person(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        [ada] = client.get(f"{base}/churners").json()["items"]
        assert (ada["account_id"], ada["person_id"], ada["person_name"]) == (
            "13",
            recorded.pk,
            "Ada Churn",
        )
        assert ada["profile_url"] == "https://x.com/i/user/13"
        assert (ada["followed_back_by"], ada["unfollowed_by"], ada["came_back_by"]) == (
            D2.isoformat(),
            D3.isoformat(),
            None,
        )
        assert client.get(f"{base}/churners", {"came_back": "true"}).json()["count"] == 0
        assert client.get(f"{base}/churners", {"came_back": "false"}).json()["count"] == 1

    def test_follow_changes_are_filtered_by_kind(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        assert client.get(f"{base}/changes").json()["count"] == FollowChange.objects.count()
        gained = client.get(f"{base}/changes", {"kind": "follower_gained"}).json()["items"]
        assert [(c["account_id"], c["after_date"], c["by_date"]) for c in gained] == [
            ("17", D2.isoformat(), D3.isoformat()),
            ("10", D1.isoformat(), D2.isoformat()),
        ]

    def test_one_way_follows_page_in_account_order(
        self, client: Client, base: str, workspace: Workspace, make_person: MakePerson
    ) -> None:
        grace = make_person("Grace Big", identities=[("x", f"id:{BIG}")])
        record_all(workspace)
        they_only = client.get(f"{base}/one-way").json()
        assert they_only["count"] == 3
        assert [a["account_id"] for a in they_only["items"]] == ["10", "17", str(BIG)]
        assert (they_only["items"][2]["person_id"], they_only["items"][2]["person_name"]) == (
            grace.pk,
            "Grace Big",
        )
        page = client.get(
            f"{base}/one-way", {"direction": "you_follow_only", "limit": "2", "offset": "1"}
        ).json()
        assert (page["count"], [a["account_id"] for a in page["items"]]) == (4, ["14", "15"])

    @pytest.mark.parametrize(
        ("path", "query", "field"),
        [
            ("changes", {"kind": "ghosted"}, "kind"),
            ("one-way", {"direction": "both"}, "direction"),
            ("churners", {"came_back": "perhaps"}, "came_back"),
        ],
    )
    def test_unknown_filters_are_refused_with_the_field_named(
        self, client: Client, base: str, path: str, query: dict[str, str], field: str
    ) -> None:
        assert refused_fields(client.get(f"{base}/{path}", query)) == [["query", field]]

    def test_pages_read_the_stored_results_in_few_queries(
        self,
        client: Client,
        base: str,
        recorded: Person,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        # One is the lock-out check on wrong tokens from the caller's address.
        with django_assert_max_num_queries(5):
            client.get(f"{base}/changes", {"limit": 5})
        with django_assert_max_num_queries(5):
            client.get(f"{base}/churners")
        # The workspace, the count, the page's bytes of the stored ids, the people of the page.
        with django_assert_max_num_queries(6):
            client.get(f"{base}/one-way", {"direction": "you_follow_only", "limit": "2"})

    def test_another_workspaces_churn_stays_out_of_sight(
        self, client: Client, base: str, other_workspace: Workspace
    ) -> None:
        record_all(other_workspace)
        assert client.get(base).json()["changes"] == 0
        assert client.get(f"{base}/churners").json()["count"] == 0
        assert client.get(f"{base}/one-way").json()["count"] == 0
        other = f"/api/workspaces/{other_workspace.slug}/churn"
        assert client.get(other).status_code == 404
        assert Churner.objects.filter(workspace=other_workspace).count() == 1


@pytest.mark.django_db
class ChurnCsvApiTests:
    def download(self, client: Client, base: str, query: dict[str, str]) -> list[list[str]]:
        response = client.get(f"{base}.csv", query)
        assert response.status_code == 200, response.getvalue()
        assert response["Content-Type"].startswith("text/csv")
        return list(csv.reader(io.StringIO(response.getvalue().decode())))

    def test_churners_are_downloaded_by_default(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        header, *rows = self.download(client, base, {})
        assert header[:3] == ["account_id", "profile", "person"]
        assert [row[:3] for row in rows] == [["13", "https://x.com/i/user/13", "Ada Churn"]]

    def test_changes_of_one_kind_and_one_way_follows_are_downloaded(
        self, client: Client, base: str, recorded: Person
    ) -> None:
        _, *lost = self.download(client, base, {"list": "changes", "kind": "follower_lost"})
        assert {row[0] for row in lost} == {"11", "13", "16", "17", "18"}
        _, *they_only = self.download(client, base, {"list": "they_follow_only"})
        assert [row[0] for row in they_only] == ["10", "17", str(BIG)]

    def test_an_unknown_list_is_refused(self, client: Client, base: str) -> None:
        assert refused_fields(client.get(f"{base}.csv", {"list": "everyone"})) == [
            ["query", "list"]
        ]
