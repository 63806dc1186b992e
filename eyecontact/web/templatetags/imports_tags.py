"""Template helpers of the import pages: the number of possible duplicates waiting."""

from __future__ import annotations

from django import template

from eyecontact.accounts.models import Workspace
from eyecontact.people.selectors import reviews_open_count

register = template.Library()


@register.simple_tag
def open_review_count(workspace: Workspace | None) -> int:
    """How many possible duplicates wait for the user's decision (one cheap, indexed count)."""
    return reviews_open_count(workspace=workspace) if workspace is not None else 0
