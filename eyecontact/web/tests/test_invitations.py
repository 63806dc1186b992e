"""An invitation link sent to an address lets that address join, and tells anyone else so."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import invitation_create, invitation_find, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bob_link(workspace: Workspace, user: User) -> tuple[str, str]:
    """A link to the main user's workspace sent to xbob@example.org: (url, secret)."""
    _, secret = invitation_create(workspace=workspace, created_by=user, email="xbob@example.org")
    return reverse("invitation_accept", kwargs={"token": secret}), secret


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class InvitationPageTests:
    def test_another_logged_in_user_is_told_the_invitation_is_not_theirs_and_does_not_join(
        self, workspace: Workspace, other_user: User, bob_link: tuple[str, str]
    ) -> None:
        url, secret = bob_link
        client = logged_in(other_user)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 403
            page = response.content.decode()
            assert "This invitation is for someone else" in page
            assert "sent to another e-mail address than yours (intruder@example.org)" in page
            assert f"Join {escape(workspace.name)}</button>" not in page
            # The way out: log out, then log in again with the invited address and come back.
            assert f'value="{reverse("login")}?next={url}"' in page
        assert not workspace.memberships.filter(user=other_user).exists()
        assert invitation_find(secret) is not None  # still open for the invited address

    def test_the_invited_address_joins_with_a_new_account(
        self, workspace: Workspace, bob_link: tuple[str, str]
    ) -> None:
        url, secret = bob_link
        bob = user_create(email="XBob@example.org", password=PASSWORD)
        client = logged_in(bob)
        page = client.get(url)
        assert page.status_code == 200
        assert f"Join {escape(workspace.name)}</button>" in page.content.decode()
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("people_list", kwargs={"slug": workspace.slug})
        assert workspace.memberships.filter(user=bob).exists()
        assert invitation_find(secret) is None

    def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_first(
        self, bob_link: tuple[str, str]
    ) -> None:
        url, _ = bob_link
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
