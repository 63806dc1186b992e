"""The follow churn page: timeline, churners with their dates, the lists, CSVs and uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import Workspace
from eyecontact.imports.services import import_file
from eyecontact.networks.models import Churner, FollowSnapshot
from eyecontact.networks.snapshots import snapshot_record
from eyecontact.people.models import Person
from eyecontact.people.services import identity_add, person_create
from eyecontact.web.forms_churn import FUTURE_LIST, HANDLES_ONLY, KIND_MISMATCH

pytestmark = pytest.mark.django_db

LIST = {"HX-Request": "true", "HX-Target": "churn-list"}
JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)
# Three days of lists: 103 already follows in January, is followed back by February and has
# unfollowed by March while still followed, a churner; 105 starts following by February.
LISTS = {
    JAN: ([101, 103, 104], [102]),
    FEB: ([101, 103, 104, 105], [102, 103]),
    MAR: ([101, 104, 105], [102, 103]),
}
FOLLOWER_JS = b'window.YTD.follower.part0 = [{"follower": {"accountId": "301"}}]'


def url(workspace: Workspace, name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode())))


def row_of(html: str, text: str) -> str:
    """The table row of a page that holds ``text``."""
    at = html.index(text)
    return html[html.rindex("<tr>", 0, at) : html.index("</tr>", at)]


def record_lists(workspace: Workspace, lists: dict[dt.date, tuple[list[int], list[int]]]) -> None:
    for day, (followers, following) in lists.items():
        snapshot_record(workspace=workspace, kind="follower", taken_on=day, account_ids=followers)
        snapshot_record(workspace=workspace, kind="following", taken_on=day, account_ids=following)


@pytest.fixture
def churn(workspace: Workspace) -> Workspace:
    record_lists(workspace, LISTS)
    return workspace


@pytest.fixture
def chris(workspace: Workspace) -> Person:
    """The person behind the churner's X account."""
    person = person_create(workspace=workspace, display_name="Chris Churner")
    identity_add(person=person, kind="x", value="id:103")
    return person


def upload(
    client: Client,
    workspace: Workspace,
    name: str,
    data: bytes,
    *,
    kind: str = "follower",
    taken_on: str = "2025-04-01",
) -> Any:
    return client.post(
        url(workspace, "churn_upload"),
        {"kind": kind, "taken_on": taken_on, "follow_list": SimpleUploadedFile(name, data)},
    )


class ChurnPageTests:
    def test_the_churner_shows_with_the_day_of_each_step_and_a_link_to_the_person(
        self, member_client: Client, churn: Workspace, chris: Person
    ) -> None:
        response = member_client.get(url(churn, "churn"))
        assert response.status_code == 200
        html = response.content.decode()
        row = row_of(html, "Chris Churner")
        assert reverse("person_detail", args=[churn.slug, chris.pk]) in row
        assert "already at the first list" in row
        assert '<time datetime="2025-02-01">1 Feb 2025</time><span class="sub">after 1 Jan' in row
        assert '<time datetime="2025-03-01">1 Mar 2025</time><span class="sub">after 1 Feb' in row
        assert "Not yet" in row

    def test_an_account_of_nobody_in_the_ledger_links_to_its_x_profile(
        self, member_client: Client, churn: Workspace
    ) -> None:
        html = member_client.get(url(churn, "churn")).content.decode()
        assert '<a class="person-link" href="https://x.com/i/user/103"' in html
        assert "Not in your ledger" in html

    def test_the_timeline_chart_and_the_figures_come_from_the_lists(
        self, member_client: Client, churn: Workspace
    ) -> None:
        response = member_client.get(url(churn, "churn"))
        html = response.content.decode()
        assert html.count('<svg class="chart"') == 1
        assert "Followers and following per list" in html
        assert "by days since the first list on 1 January 2025" in html
        figures = response.context["latest"]
        assert figures == {"followers": 3, "following": 2}
        assert response.context["totals"]["follower_gained"] == 1
        assert url(churn, "churn_timeline_csv") in html

    @pytest.mark.parametrize(
        ("list_name", "shown", "hidden"),
        [
            ("follower_gained", ["105"], ["103", "101"]),
            ("follower_lost", ["103"], ["105", "101"]),
            ("followed_back", ["103"], ["105", "101"]),
            ("they_follow_only", ["101", "104", "105"], ["102", "103"]),
            ("you_follow_only", ["102", "103"], ["101", "105"]),
        ],
    )
    def test_each_list_shows_its_accounts(
        self,
        member_client: Client,
        churn: Workspace,
        list_name: str,
        shown: list[str],
        hidden: list[str],
    ) -> None:
        response = member_client.get(url(churn, "churn"), {"list": list_name}, headers=LIST)
        html = response.content.decode()
        assert "<html" not in html, "htmx gets only the list"
        assert response.context["current"].key == list_name
        counts = {tab["list"].key: tab["count"] for tab in response.context["tabs"]}
        assert counts[list_name] == response.context["page"].paginator.count == len(shown)
        for account in shown:
            assert f"X account {account}<" in html
        for account in hidden:
            assert f"X account {account}<" not in html

    def test_an_unknown_list_shows_the_churners(
        self, member_client: Client, churn: Workspace
    ) -> None:
        response = member_client.get(url(churn, "churn"), {"list": "<script>"})
        assert response.status_code == 200
        assert response.context["current"].key == "churners"

    def test_long_lists_are_paged(self, member_client: Client, workspace: Workspace) -> None:
        newcomers = list(range(1000, 1075))
        record_lists(workspace, {JAN: ([1], [2]), FEB: ([1, *newcomers], [2])})
        first = member_client.get(url(workspace, "churn"), {"list": "follower_gained"})
        second = member_client.get(
            url(workspace, "churn"), {"list": "follower_gained", "page": "2"}, headers=LIST
        )
        assert len(first.context["page"].object_list) == 50
        assert len(second.context["page"].object_list) == 25
        assert "Page 2 of 2" in second.content.decode()
        assert 'rel="prev" href="?list=follower_gained&amp;page=1"' in second.content.decode()

    def test_one_way_follows_wait_for_both_lists(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        snapshot_record(workspace=workspace, kind="follower", taken_on=JAN, account_ids=[1, 2])
        html = member_client.get(
            url(workspace, "churn"), {"list": "they_follow_only"}
        ).content.decode()
        assert "Add both a follower and a following list to see one-way follows." in html
        assert "Add a following list too" in html

    def test_without_lists_the_page_explains_how_to_get_an_x_archive(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        html = member_client.get(url(workspace, "churn")).content.decode()
        assert "No follower lists yet" in html
        assert "Download an archive of your data" in html
        assert url(workspace, "import_new") in html
        assert '<label for="id_taken_on">Day of the list</label>' in html
        assert '<svg class="chart"' not in html

    def test_the_nav_links_to_the_churn_page(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        html = member_client.get(url(workspace, "people_list")).content.decode()
        assert f'<a href="{url(workspace, "churn")}">Churn</a>' in html

    @pytest.mark.parametrize(
        "list_name",
        [
            "churners",
            "follower_gained",
            "follower_lost",
            "followed_back",
            "they_follow_only",
            "you_follow_only",
        ],
    )
    def test_the_queries_of_a_list_do_not_grow_with_its_accounts(
        self,
        member_client: Client,
        workspace: Workspace,
        django_assert_max_num_queries: DjangoAssertNumQueries,
        list_name: str,
    ) -> None:
        """Sixty churners and sixty one-way followers, most of them in the ledger, read in the
        same few queries as one."""
        crowd = list(range(500, 560))
        fans = list(range(700, 760))
        record_lists(
            workspace,
            {
                JAN: ([1, *crowd, *fans], [2]),
                FEB: ([1, *crowd, *fans, 600], [2, *crowd]),
                MAR: ([1, *fans, 600], [2, *crowd]),
            },
        )
        for account in [*crowd[:55], *fans[:55]]:
            person = person_create(workspace=workspace, display_name=f"Follower {account}")
            identity_add(person=person, kind="x", value=f"id:{account}")
        member_client.get(url(workspace, "churn"))  # the session is warm, like a user's
        with django_assert_max_num_queries(10):
            response = member_client.get(url(workspace, "churn"), {"list": list_name})
        assert response.status_code == 200
        assert len(response.context["page"].object_list) >= 1
        with django_assert_max_num_queries(7):
            member_client.get(url(workspace, "churn"), {"list": list_name}, headers=LIST)


class ImportedListTests:
    def test_a_list_from_an_imported_archive_links_to_its_import(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        batch = import_file(workspace=workspace, file_name="follower.js", data=FOLLOWER_JS)
        html = member_client.get(url(workspace, "churn")).content.decode()
        assert (
            f'From <a href="{url(workspace, "import_detail", batch_pk=batch.pk)}">follower.js</a>'
            in html
        )
        assert "Add a following list too" in html


class ChurnCsvTests:
    def test_the_timeline_csv_holds_the_numbers_behind_the_chart(
        self, member_client: Client, churn: Workspace
    ) -> None:
        response = member_client.get(url(churn, "churn_timeline_csv"))
        rows = csv_rows(response)
        assert response["Content-Disposition"] == 'attachment; filename="x-follow-timeline.csv"'
        assert rows[0][:3] == ["date", "followers", "following"]
        assert [row[:3] for row in rows[1:]] == [
            ["2025-01-01", "3", "1"],
            ["2025-02-01", "4", "2"],
            ["2025-03-01", "3", "2"],
        ]
        assert rows[3][rows[0].index("churned")] == "1"

    def test_the_churners_csv_has_each_steps_dates(
        self, member_client: Client, churn: Workspace, chris: Person
    ) -> None:
        rows = csv_rows(member_client.get(url(churn, "churn_csv", list_name="churners")))
        record = dict(zip(rows[0], rows[1], strict=True))
        assert len(rows) == 2
        assert record["account_id"] == "103"
        assert record["person"] == "Chris Churner"
        assert record["followed_back_by"] == "2025-02-01"
        assert record["unfollowed_after"] == "2025-02-01"
        assert record["unfollowed_by"] == "2025-03-01"

    def test_a_name_that_starts_like_a_formula_is_written_as_text(
        self, member_client: Client, churn: Workspace
    ) -> None:
        """A name an export brought in must not run as a formula in the user's spreadsheet."""
        person = person_create(workspace=churn, display_name='=HYPERLINK("https://evil.example")')
        identity_add(person=person, kind="x", value="id:103")
        rows = csv_rows(member_client.get(url(churn, "churn_csv", list_name="churners")))
        assert rows[1][rows[0].index("person")] == '\'=HYPERLINK("https://evil.example")'

    @pytest.mark.parametrize(
        ("list_name", "accounts"),
        [
            ("follower_gained", ["105"]),
            ("follower_lost", ["103"]),
            ("followed_back", ["103"]),
            ("they_follow_only", ["101", "104", "105"]),
            ("you_follow_only", ["102", "103"]),
        ],
    )
    def test_every_list_downloads_as_csv(
        self, member_client: Client, churn: Workspace, list_name: str, accounts: list[str]
    ) -> None:
        response = member_client.get(url(churn, "churn_csv", list_name=list_name))
        rows = csv_rows(response)
        assert response["Content-Type"].startswith("text/csv")
        assert rows[0][:3] == ["account_id", "profile", "person"]
        assert sorted(row[0] for row in rows[1:]) == accounts
        assert rows[1][1] == f"https://x.com/i/user/{rows[1][0]}"


class ChurnUploadTests:
    def test_a_plain_list_is_recorded_on_the_day_given(
        self, member_client: Client, churn: Workspace
    ) -> None:
        response = upload(member_client, churn, "ids.txt", b"101\n104\n106\n")
        assert response.status_code == 302
        snapshot = FollowSnapshot.objects.get(workspace=churn, taken_on=dt.date(2025, 4, 1))
        assert (snapshot.kind, snapshot.count, snapshot.source_batch) == ("follower", 3, None)
        page = member_client.get(response["Location"])
        assert "Recorded ids.txt: 3 followers on 2025-04-01." in page.content.decode()
        # The churn was worked out again: 105 left, 106 arrived.
        gained = member_client.get(url(churn, "churn_csv", list_name="follower_gained"))
        assert sorted(row[0] for row in csv_rows(gained)[1:]) == ["105", "106"]

    def test_an_archive_file_takes_the_users_day_not_today(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = upload(
            member_client, workspace, "follower.js", FOLLOWER_JS, taken_on="2024-06-30"
        )
        assert response.status_code == 302
        snapshot = FollowSnapshot.objects.get(workspace=workspace)
        assert snapshot.taken_on == dt.date(2024, 6, 30)

    def test_handles_without_ids_are_left_out_and_counted(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = upload(
            member_client,
            workspace,
            "following.csv",
            b"id,screen_name\n7,ada\n,bo\n",
            kind="following",
        )
        assert response.status_code == 302
        assert FollowSnapshot.objects.get(workspace=workspace).count == 1
        page = member_client.get(response["Location"]).content.decode()
        assert "(1 without an account id left out)" in page

    @pytest.mark.parametrize(
        ("name", "data", "fields", "error"),
        [
            (
                "Connections.csv",
                b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                b"Zoe,Dupont,https://www.linkedin.com/in/zoe,,Atelier,Founder,11 Apr 2023\n",
                {},
                "Connections.csv is not an X follower or following list (it reads as LinkedIn "
                "connections)",
            ),
            ("follower.js", b"window.YTD.follower.part0 = [{oops", {}, "follower.js, line 1:"),
            (
                "handles.csv",
                b"screen_name\nada\nbo\n",
                {},
                HANDLES_ONLY.format(name="handles.csv", handles=2, plural="s"),
            ),
            (
                "follower.js",
                FOLLOWER_JS,
                {"kind": "following"},
                KIND_MISMATCH.format(
                    name="follower.js",
                    found="followers",
                    chosen="accounts you follow",
                    found_label="Followers",
                ),
            ),
            ("ids.txt", b"1\n2\n", {"taken_on": "2999-01-01"}, FUTURE_LIST),
            ("ids.txt", b"1\n2\n", {"taken_on": "last week"}, "Enter a valid date."),
        ],
    )
    def test_a_bad_upload_says_what_is_wrong_and_saves_nothing(
        self,
        member_client: Client,
        workspace: Workspace,
        name: str,
        data: bytes,
        fields: dict[str, str],
        error: str,
    ) -> None:
        response = upload(member_client, workspace, name, data, **fields)
        assert response.status_code == 200
        html = response.content.decode()
        assert error in html
        assert not FollowSnapshot.objects.filter(workspace=workspace).exists()

    def test_the_upload_needs_a_file(self, member_client: Client, workspace: Workspace) -> None:
        response = member_client.post(
            url(workspace, "churn_upload"), {"kind": "follower", "taken_on": "2025-01-01"}
        )
        assert response.status_code == 200
        assert "Pick the file with the list." in response.content.decode()

    def test_the_upload_page_has_a_label_for_every_input(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        html = member_client.get(url(workspace, "churn_upload")).content.decode()
        for field in ("id_kind_0", "id_kind_1", "id_taken_on", "id_follow_list"):
            assert f'for="{field}"' in html
        assert f'value="{timezone.localdate().isoformat()}"' in html


class SnapshotDeleteTests:
    def test_deleting_a_list_asks_first_then_works_the_churn_out_again(
        self, member_client: Client, churn: Workspace
    ) -> None:
        snapshot = FollowSnapshot.objects.get(workspace=churn, kind="follower", taken_on=MAR)
        delete_url = url(churn, "churn_snapshot_delete", snapshot_pk=snapshot.pk)
        assert delete_url in member_client.get(url(churn, "churn")).content.decode()
        confirm = member_client.get(delete_url)
        assert "Delete the list of followers on 1 March 2025?" in confirm.content.decode()
        assert FollowSnapshot.objects.filter(pk=snapshot.pk).exists()

        response = member_client.post(delete_url)
        assert response.status_code == 302
        assert not FollowSnapshot.objects.filter(pk=snapshot.pk).exists()
        # Without March's followers, 103 never left.
        assert not Churner.objects.filter(workspace=churn).exists()
        assert "Deleted the list: Followers on 2025-03-01 (3)." in (
            member_client.get(response["Location"]).content.decode()
        )
