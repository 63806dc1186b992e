"""Accounts of a follow list that nobody named are not people the user knows.

An X export lists followers by account id alone; the import keeps each as a person called
"X account 1234" (or "@handle") so that a later file can name them. The people list, its
counts and its search leave them out unless asked; the follower history still reads them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.cli import app
from eyecontact.imports.services import import_file
from eyecontact.networks.snapshots import one_way
from eyecontact.people.models import Person
from eyecontact.people.selectors import people_list

pytestmark = pytest.mark.django_db

# A follower list of four accounts, one of which (@zoedupont_design's id) a contact file names.
FOLLOWERS = "\n".join(
    [
        "window.YTD.follower.part0 = [",
        '  {"follower": {"accountId": "1402938475610293760"}},',
        '  {"follower": {"accountId": "3141592653"}},',
        '  {"follower": {"accountId": "48213977"}},',
        '  {"follower": {"accountId": "1298347561029384192"}}',
        "]",
    ]
).encode()
FOLLOWING = b'window.YTD.following.part0 = [{"following": {"accountId": "5550001"}}]'


@pytest.fixture
def followed(workspace: Workspace, make_person: Callable[..., Person]) -> Workspace:
    """Grace, whom the user typed in, and four followers known by their X account only."""
    make_person("Grace Hopper", organization="Navy")
    import_file(workspace=workspace, file_name="follower.js", data=FOLLOWERS)
    import_file(workspace=workspace, file_name="following.js", data=FOLLOWING)
    return workspace


def names(workspace: Workspace, **filters: object) -> list[str]:
    return [p.display_name for p in people_list(workspace=workspace, **filters)]  # type: ignore[arg-type]  # test helper


class NamelessSelectorTests:
    def test_the_list_and_its_count_leave_nameless_accounts_out(self, followed: Workspace) -> None:
        assert Person.objects.filter(workspace=followed).count() == 6
        assert names(followed) == ["Grace Hopper"]
        assert people_list(workspace=followed).count() == 1

    def test_search_does_not_find_them_by_their_made_up_name(self, followed: Workspace) -> None:
        assert names(followed, query="account") == []
        assert names(followed, query="3141592653") == []

    def test_the_filter_shows_them(self, followed: Workspace) -> None:
        everyone = names(followed, nameless=True)
        assert len(everyone) == 6
        assert "X account 3141592653" in everyone
        assert names(followed, query="3141592653", nameless=True) == ["X account 3141592653"]

    def test_someone_typed_in_by_the_user_is_always_listed(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        """A name the user chose is a name, even one that looks like a handle."""
        make_person("@ada")
        assert names(workspace) == ["@ada"]

    def test_a_nameless_account_a_contact_file_names_joins_the_list(
        self, followed: Workspace
    ) -> None:
        import_file(
            workspace=followed,
            file_name="zoe.vcf",
            data=(
                b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoe Dupont\r\nN:Dupont;Zoe;;;\r\n"
                b"X-SOCIALPROFILE;type=twitter;x-userid=1298347561029384192:"
                b"https://twitter.com/zoedupont_design\r\nEND:VCARD\r\n"
            ),
        )
        assert "Zoe Dupont" in names(followed)
        assert people_list(workspace=followed).count() == 2

    def test_the_follower_history_still_knows_them(self, followed: Workspace) -> None:
        accounts = list(one_way(workspace=followed, direction="they_follow_only"))
        assert {a.account_id for a in accounts} == {
            "1402938475610293760",
            "3141592653",
            "48213977",
            "1298347561029384192",
        }
        assert {a.person_name for a in accounts} == {
            "X account 1402938475610293760",
            "X account 3141592653",
            "X account 48213977",
            "X account 1298347561029384192",
        }


class NamelessDoorsTests:
    def test_the_people_page_hides_them_and_its_checkbox_shows_them(
        self, followed: Workspace, user: User, client: Client
    ) -> None:
        client.force_login(user)
        member_client = client
        url = reverse("people_list", kwargs={"slug": followed.slug})
        page = member_client.get(url).content.decode()
        assert "Grace Hopper" in page and "X account 3141592653" not in page
        assert "1 person" in page
        assert 'name="nameless"' in page
        shown = member_client.get(url, {"nameless": "1"}).content.decode()
        assert "X account 3141592653" in shown and "6 people" in shown

    def test_the_api_hides_them_unless_asked(self, followed: Workspace, user: User) -> None:
        _, key = token_create(user=user)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        url = f"/api/workspaces/{followed.slug}/people"
        hidden = api.get(url).json()
        assert hidden["count"] == 1
        assert [p["display_name"] for p in hidden["items"]] == ["Grace Hopper"]
        shown = api.get(url, {"nameless": "true"}).json()
        assert shown["count"] == 6

    def test_the_cli_hides_them_unless_asked(self, followed: Workspace) -> None:
        runner = CliRunner()
        hidden = runner.invoke(app, ["people", "--json"])
        assert hidden.exit_code == 0, hidden.output
        assert [p["name"] for p in json.loads(hidden.stdout)] == ["Grace Hopper"]
        shown = runner.invoke(app, ["people", "--json", "--nameless"])
        assert shown.exit_code == 0, shown.output
        assert len(json.loads(shown.stdout)) == 6
