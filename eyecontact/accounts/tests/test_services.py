"""Users, workspaces, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from conftest import PASSWORD
from eyecontact.accounts.models import ApiToken, Membership, User, Workspace
from eyecontact.accounts.selectors import workspace_for_user
from eyecontact.accounts.services import (
    INVITATION_NOT_YOURS,
    invitation_accept,
    invitation_create,
    token_authenticate,
    token_create,
    token_revoke,
    user_create,
    workspace_create,
)


@pytest.mark.django_db
class UserCreateTests:
    def test_a_user_logs_in_with_a_lower_cased_email(self) -> None:
        user = user_create(email=" Morgan@Example.NET ", password=PASSWORD, workspace_name="Mine")
        assert user.email == "morgan@example.net"
        assert user.check_password(PASSWORD)
        assert user.workspaces.get().name == "Mine"
        assert Membership.objects.get().role == Membership.Role.OWNER

    @pytest.mark.parametrize(
        ("email", "password", "field"),
        [("not-an-email", PASSWORD, "email"), ("a@example.net", "123", "password")],
    )
    def test_bad_input_is_refused_with_the_field_named(
        self, email: str, password: str, field: str
    ) -> None:
        with pytest.raises(ValidationError) as caught:
            user_create(email=email, password=password)
        assert field in caught.value.message_dict
        assert not User.objects.exists()

    def test_an_email_can_only_be_used_once(self, user: User) -> None:
        with pytest.raises(ValidationError, match="already exists"):
            user_create(email=user.email.upper(), password=PASSWORD)


@pytest.mark.django_db
class WorkspaceTests:
    def test_workspaces_get_unique_slugs(self, user: User) -> None:
        first = workspace_create(name="Booth team", owner=user)
        second = workspace_create(name="Booth team", owner=user)
        assert (first.slug, second.slug) == ("booth-team", "booth-team-2")

    def test_a_non_member_gets_a_404_for_a_workspace(
        self, user: User, other_workspace: Workspace
    ) -> None:
        with pytest.raises(Http404):
            workspace_for_user(user=user, slug=other_workspace.slug)


@pytest.mark.django_db
class InvitationTests:
    def test_an_invitation_link_adds_a_member_once(
        self, workspace: Workspace, user: User, other_user: User
    ) -> None:
        _, secret = invitation_create(workspace=workspace, created_by=user)
        assert invitation_accept(secret=secret, user=other_user) == workspace
        assert workspace_for_user(user=other_user, slug=workspace.slug) == workspace
        with pytest.raises(ValidationError, match="not valid"):
            invitation_accept(secret=secret, user=other_user)

    def test_an_invitation_sent_to_an_address_is_accepted_only_by_that_address(
        self, workspace: Workspace, user: User, other_user: User
    ) -> None:
        _, secret = invitation_create(
            workspace=workspace, created_by=user, email=" XBob@Example.org "
        )
        with pytest.raises(PermissionDenied) as refused:
            invitation_accept(secret=secret, user=other_user)
        assert str(refused.value) == INVITATION_NOT_YOURS.format(email=other_user.email)
        assert not workspace.memberships.filter(user=other_user).exists()
        # The refusal does not use the link up: the invited address can still accept it,
        # with an account made for it after the invitation was sent.
        bob = user_create(email="xbob@example.ORG", password=PASSWORD)
        assert invitation_accept(secret=secret, user=bob) == workspace
        assert workspace_for_user(user=bob, slug=workspace.slug) == workspace

    def test_an_invitation_without_an_address_is_for_whoever_holds_the_link(
        self, workspace: Workspace, user: User, other_user: User
    ) -> None:
        _, secret = invitation_create(workspace=workspace, created_by=user)
        assert invitation_accept(secret=secret, user=other_user) == workspace

    def test_an_expired_invitation_is_refused(
        self, workspace: Workspace, user: User, other_user: User
    ) -> None:
        invitation, secret = invitation_create(workspace=workspace, created_by=user)
        invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
        invitation.save()
        with pytest.raises(ValidationError):
            invitation_accept(secret=secret, user=other_user)


@pytest.mark.django_db
class TokenTests:
    def test_a_token_is_stored_only_as_a_hash(self, user: User) -> None:
        token, key = token_create(user=user, name="scripts")
        assert key.startswith("ec_")
        assert key not in {token.key_hash, token.prefix}
        assert token_authenticate(key) == user
        assert ApiToken.objects.get().last_used_at is not None

    def test_the_token_holder_comes_back_as_the_orm_reads_them(self, user: User) -> None:
        user.last_login = timezone.now()
        user.save()
        _, key = token_create(user=user)
        holder = token_authenticate(key)
        assert holder is not None
        assert (holder.pk, holder.email, holder.last_login) == (
            user.pk,
            user.email,
            User.objects.get(pk=user.pk).last_login,
        )
        assert timezone.is_aware(holder.date_joined)
        assert holder.is_active is True  # a boolean, not SQLite's 1
        assert holder.is_staff is False

    def test_a_revoked_or_unknown_token_authenticates_nobody(self, user: User) -> None:
        token, key = token_create(user=user)
        token_revoke(token=token)
        assert token_authenticate(key) is None
        assert token_authenticate("ec_nonsense") is None
        assert token_authenticate("") is None

    def test_an_inactive_user_cannot_use_their_token(self, user: User) -> None:
        _, key = token_create(user=user)
        user.is_active = False
        user.save()
        assert token_authenticate(key) is None

    def test_last_use_is_written_at_most_every_five_minutes(
        self, user: User, django_assert_num_queries: Any
    ) -> None:
        token, key = token_create(user=user)
        token_authenticate(key)
        first = ApiToken.objects.get().last_used_at
        assert first is not None
        with django_assert_num_queries(1):  # the lookup only: no write for a token just used
            assert token_authenticate(key) == user
        assert ApiToken.objects.get().last_used_at == first
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=6))
        assert token_authenticate(key) == user
        later = ApiToken.objects.get().last_used_at
        assert later is not None
        assert later > first
