"""Which workspaces a user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import User, Workspace

__all__ = ["workspace_for_user", "workspaces_for_user"]


def workspaces_for_user(*, user: User) -> QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user=user).order_by("name")


def workspace_for_user(*, user: User, slug: str) -> Workspace:
    """The workspace ``slug`` if ``user`` is a member; a 404 otherwise, so ids never leak."""
    workspace = workspaces_for_user(user=user).filter(slug=slug).first()
    if workspace is None:
        raise Http404("No such workspace.")
    return workspace
