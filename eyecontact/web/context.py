"""Template context every page needs: the current workspace and the user's other workspaces."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def workspace(request: HttpRequest) -> dict[str, Any]:
    return {"workspace": getattr(request, "workspace", None)}
