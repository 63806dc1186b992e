"""Which workspaces a user may see, their members, and a user's API tokens."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken, User, Workspace

__all__ = [
    "members_by_email",
    "token_get_own",
    "tokens_active",
    "user_find",
    "workspace_find",
    "workspace_for_user",
    "workspaces_for_user",
]


def workspaces_for_user(*, user: User) -> QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user=user).order_by("name")


def workspace_for_user(*, user: User, slug: str) -> Workspace:
    """The workspace ``slug`` if ``user`` is a member; a 404 otherwise, so ids never leak."""
    workspace = workspaces_for_user(user=user).filter(slug=slug).first()
    if workspace is None:
        raise Http404("No such workspace.")
    return workspace


def workspace_find(*, key: str = "") -> Workspace:
    """The workspace named by slug or name; with no key, the installation's only workspace.

    For the command line, which acts for the installation rather than for one signed-in user.
    """
    key = " ".join(key.split())
    workspaces = Workspace.objects.order_by("name", "slug")
    if key:
        found = list(workspaces.filter(slug=key)) or list(workspaces.filter(name__iexact=key))
    else:
        found = list(workspaces[:2])
    if len(found) == 1:
        return found[0]
    listed = found if key and found else list(workspaces[:50])
    choices = ", ".join(f"{w.slug} ({w.name})" for w in listed)
    if not listed:
        message = "There is no workspace yet."
    elif not key:
        message = f"There are several workspaces; choose one with --workspace: {choices}."
    elif found:
        message = f"Several workspaces are called {key!r}; use a slug: {choices}."
    else:
        message = f"No workspace {key!r}; choose one of: {choices}."
    raise ValidationError({"workspace": message})


def user_find(*, email: str = "") -> User:
    """The user with this e-mail; with none given, the installation's only user."""
    email = email.strip().lower()
    if email:
        user = User.objects.filter(email=email).first()
        if user is None:
            raise ValidationError({"email": f"No user with the e-mail {email}."})
        return user
    users = list(User.objects.order_by("email")[:20])
    if len(users) == 1:
        return users[0]
    if not users:
        raise ValidationError({"email": "There is no user yet."})
    choices = ", ".join(user.email for user in users)
    raise ValidationError({"email": f"There are several users; name one: {choices}."})


def members_by_email(*, workspace: Workspace, emails: list[str]) -> list[User]:
    """The members of ``workspace`` with these addresses (in any case); others are left out."""
    return list(workspace.members.filter(email__in=[e.lower() for e in emails]))


def tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """The user's API tokens that still open the API, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def token_get_own(*, user: User, pk: int) -> ApiToken:
    """One of the user's own active tokens; anyone else's, or a revoked one, is a 404."""
    token = tokens_active(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404("No such token.")
    return token
