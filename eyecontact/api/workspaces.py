"""The workspaces a caller can reach: ``/api/workspaces/``."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.accounts.models import Workspace
from eyecontact.accounts.selectors import workspaces_for_user
from eyecontact.common.api import Pages

__all__ = ["WorkspaceOut", "router"]

router = Router(tags=["workspaces"])


class WorkspaceOut(Schema):
    slug: str
    name: str
    default_region: str


@router.get("/", response=list[WorkspaceOut])
@paginate(Pages)
def workspaces(request: HttpRequest) -> QuerySet[Workspace]:
    """The caller's workspaces; the slug goes into every other path."""
    return workspaces_for_user(user=caller(request))


@router.get("/{workspace}", response=WorkspaceOut)
def workspace_detail(request: HttpRequest, workspace: str) -> Workspace:
    return workspace_of(request, workspace)
