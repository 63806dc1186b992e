"""Home, workspaces, members and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from eyecontact.accounts.models import Workspace
from eyecontact.accounts.selectors import workspaces_for_user
from eyecontact.accounts.services import (
    INVITATION_NOT_YOURS,
    invitation_accept,
    invitation_create,
    invitation_find,
    invitation_is_for,
    workspace_create,
)
from eyecontact.insights.today import today_plan

from ..decorators import LAST_WORKSPACE_KEY, current_user, workspace_view
from ..forms import InviteForm, WorkspaceForm, add_service_errors

INVITE_SUBJECT = "You are invited to {workspace} on Eye Contact"
INVITE_BODY = (
    "{inviter} invites you to the workspace {workspace} on Eye Contact.\n\n"
    "Open this link, log in, and press Join:\n{link}\n\n"
    "The link works once and expires in 14 days."
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The workspace last opened, else the first one, else the page to create one."""
    workspaces = workspaces_for_user(user=current_user(request))
    last = request.session.get(LAST_WORKSPACE_KEY)
    workspace = (workspaces.filter(slug=last).first() if last else None) or workspaces.first()
    if workspace is None:
        return redirect("workspace_create")
    return redirect("workspace_home", slug=workspace.slug)


@login_required
@require_http_methods(["GET", "POST"])
def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workspace = workspace_create(
                name=form.cleaned_data["name"],
                owner=current_user(request),
                default_region=form.cleaned_data["default_region"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Created {workspace.name}. Three steps get it going.")
            return redirect("workspace_home", slug=workspace.slug)
    return render(request, "web/workspace_form.html", {"form": form})


@workspace_view
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Who shares this workspace, and a form that makes an invitation link (shown once)."""
    form = InviteForm(request.POST or None)
    link = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        invitation, secret = invitation_create(
            workspace=workspace, created_by=current_user(request), email=email
        )
        link = request.build_absolute_uri(reverse("invitation_accept", kwargs={"token": secret}))
        if invitation.email:
            send_mail(
                INVITE_SUBJECT.format(workspace=workspace.name),
                INVITE_BODY.format(
                    inviter=current_user(request).email, workspace=workspace.name, link=link
                ),
                None,
                [invitation.email],
            )
        form = InviteForm()
    memberships = workspace.memberships.select_related("user").order_by("joined_at")
    return render(
        request,
        "web/members.html",
        {"form": form, "link": link, "memberships": memberships},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Join a workspace by its link; an invitation sent to another address says so (403)."""
    invitation = invitation_find(token)
    if invitation is None:
        raise Http404("This invitation link is not valid or has expired.")
    user = current_user(request)
    if not invitation_is_for(invitation=invitation, user=user):
        context = {
            "invitation": invitation,
            "not_yours": INVITATION_NOT_YOURS.format(email=user.email),
        }
        return render(request, "web/invitation.html", context, status=403)
    if request.method == "POST":
        try:
            workspace = invitation_accept(secret=token, user=user)
        except ValidationError as exc:
            raise Http404(exc.messages[0]) from exc
        messages.success(request, f"Welcome to {workspace.name}.")
        return redirect("people_list", slug=workspace.slug)
    return render(request, "web/invitation.html", {"invitation": invitation})


@workspace_view
@require_GET
def workspace_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Today's plan; for a new workspace, its first three steps too."""
    plan = today_plan(workspace=workspace)
    return render(request, "web/home.html", {"plan": plan, "steps": plan.steps})
