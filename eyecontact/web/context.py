"""Template context every page needs: the current workspace and the user's other workspaces."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from eyecontact.accounts.selectors import workspaces_for_user
from eyecontact.people.choices import Channel


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "workspace": getattr(request, "workspace", None),
        # Lazy: read only by pages that draw the workspace switcher.
        "my_workspaces": SimpleLazyObject(
            lambda: list(workspaces_for_user(user=user)) if signed_in else []  # type: ignore[arg-type]  # signed in means a User
        ),
        "channels": Channel.choices,
    }
