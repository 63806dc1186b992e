"""How a page finds its workspace: from the URL's slug, for members only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.selectors import workspace_for_user

__all__ = [
    "LAST_WORKSPACE_KEY",
    "WorkspaceView",
    "current_user",
    "htmx_target",
    "is_htmx",
    "workspace_view",
]

# The session remembers the workspace last opened, so "/" returns there.
LAST_WORKSPACE_KEY = "eyecontact.workspace"

WorkspaceView = Callable[..., HttpResponse]


def current_user(request: HttpRequest) -> User:
    """The logged-in user of a page behind ``login_required``."""
    return cast(User, request.user)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent this request (so a partial, not a whole page, is wanted)."""
    return bool(getattr(request, "htmx", False))


def htmx_target(request: HttpRequest) -> str | None:
    """The id of the element an htmx request swaps, or None for a plain browser request."""
    return request.htmx.target if is_htmx(request) else None  # type: ignore[attr-defined]  # set by HtmxMiddleware


def workspace_view(view: WorkspaceView) -> Callable[..., HttpResponse]:
    """Logs in anonymous visitors, 404s non-members, and hands the view its workspace.

    The view is called as ``view(request, workspace, **other_url_kwargs)``; ids in the URL are
    then looked up by selectors scoped to that workspace, so another workspace's ids 404 too.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        workspace: Workspace = workspace_for_user(user=current_user(request), slug=slug)
        request.workspace = workspace  # type: ignore[attr-defined]  # read by the context processor
        if request.session.get(LAST_WORKSPACE_KEY) != workspace.slug:
            request.session[LAST_WORKSPACE_KEY] = workspace.slug
        return view(request, workspace, **kwargs)

    return wrapper
