"""Follow churn on X: who followed the user, waited for the follow-back, then left.

Everything shown is read from the stored results of :mod:`eyecontact.networks.snapshots`
(recomputed when a list is recorded or forgotten, never per request): the timeline of list
sizes as a chart, the counts, and one list at a time (churners, new and lost followers,
followed back, one-way follows), each paged and each downloadable as CSV.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from eyecontact.accounts.models import Workspace
from eyecontact.common.csv import csv_lines, csv_text
from eyecontact.networks.models import ChurnSummary, FollowChangeKind, FollowListKind
from eyecontact.networks.snapshots import (
    X_PROFILE,
    churn_csv_rows,
    churn_summary,
    churners,
    follow_changes,
    one_way,
    snapshot_delete,
    snapshot_get,
    snapshot_record,
    snapshots_list,
)

from .. import charts
from ..decorators import htmx_target, workspace_view
from ..forms_churn import ChurnUploadForm

PER_PAGE = 50
TIMELINE_TITLE = "Followers and following per list"
TIMELINE_COLUMNS = (
    "date",
    "followers",
    "following",
    "follower_gained",
    "follower_lost",
    "followed_back",
    "you_followed",
    "you_unfollowed",
    "churned",
)


@dataclass(frozen=True)
class ChurnList:
    """One list of the churn page: its tab, what it shows, and its CSV."""

    key: str
    title: str
    description: str
    csv_name: str
    csv_kind: str = ""
    # The heading of the date column of a list of changes.
    when_label: str = ""


LISTS = {
    churn_list.key: churn_list
    for churn_list in (
        ChurnList(
            "churners",
            "Churners",
            "They followed you, you followed back, then they unfollowed you.",
            "churners",
        ),
        ChurnList(
            FollowChangeKind.FOLLOWER_GAINED,
            "New followers",
            "Accounts that started following you between two lists.",
            "changes",
            FollowChangeKind.FOLLOWER_GAINED,
            "Followed you by",
        ),
        ChurnList(
            FollowChangeKind.FOLLOWER_LOST,
            "Lost followers",
            "Accounts that stopped following you between two lists.",
            "changes",
            FollowChangeKind.FOLLOWER_LOST,
            "Unfollowed you by",
        ),
        ChurnList(
            FollowChangeKind.FOLLOWED_BACK,
            "Followed back",
            "Followers you followed back between two lists.",
            "changes",
            FollowChangeKind.FOLLOWED_BACK,
            "You followed back by",
        ),
        ChurnList(
            "they_follow_only",
            "Not followed back",
            "They follow you; you do not follow them (as of the latest lists).",
            "they_follow_only",
        ),
        ChurnList(
            "you_follow_only",
            "Not following you",
            "You follow them; they do not follow you (as of the latest lists).",
            "you_follow_only",
        ),
    )
}


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _timeline_chart(timeline: list[dict[str, Any]]) -> Any:
    """Followers and following over time; x is days since the first list (the chart draws
    numbers, so the page names the first day under it)."""
    first = _day(timeline[0]["date"])
    series, x_values = [], []
    for key, name in (("followers", "Followers"), ("following", "Following")):
        known = [point for point in timeline if point[key] is not None]
        if known:
            series.append(charts.Series(name, [point[key] for point in known]))
            x_values.append([(_day(point["date"]) - first).days for point in known])
    # The axis is named in the figure's caption: a label inside the chart would sit on the ticks.
    return charts.line_chart(title=TIMELINE_TITLE, series=series, x_values=x_values)


def _figures(summary: ChurnSummary) -> dict[str, Any]:
    """The page's counts, read from the stored timeline rather than counted per request."""
    timeline = summary.timeline
    latest = {
        key: next((p[key] for p in reversed(timeline) if p[key] is not None), None)
        for key in ("followers", "following")
    }
    totals = {
        kind: sum(point.get(kind, 0) for point in timeline) for kind in FollowChangeKind.values
    }
    counts = {
        "churners": summary.churners,
        **totals,
        "they_follow_only": summary.they_follow_only_count,
        "you_follow_only": summary.you_follow_only_count,
    }
    return {"latest": latest, "totals": totals, "counts": counts}


def _list_items(workspace: Workspace, key: str) -> Any:
    if key == "churners":
        return churners(workspace=workspace)
    if key in ("they_follow_only", "you_follow_only"):
        return one_way(workspace=workspace, direction=key)
    return follow_changes(workspace=workspace, kind=key)


def _list_context(
    request: HttpRequest, workspace: Workspace, summary: ChurnSummary | None
) -> dict[str, Any]:
    key = request.GET.get("list", "churners")
    if key not in LISTS:
        key = "churners"
    page = Paginator(_list_items(workspace, key), PER_PAGE).get_page(request.GET.get("page"))
    if key not in ("they_follow_only", "you_follow_only"):
        # Stored rows know only the account id; one-way accounts carry their link already.
        page.object_list = list(page.object_list)
        for row in page.object_list:
            row.profile_url = X_PROFILE.format(account_id=row.account_id)
    counts = _figures(summary)["counts"] if summary else {}
    return {
        "current": LISTS[key],
        "page": page,
        "one_way_known": bool(summary and summary.one_way_known),
        "tabs": [
            {"list": churn_list, "count": counts.get(churn_list.key, 0)}
            for churn_list in LISTS.values()
        ],
    }


@workspace_view
@require_GET
def churn_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The timeline, the counts, one list at a time, the stored lists and the upload form."""
    summary = churn_summary(workspace=workspace)
    context = _list_context(request, workspace, summary)
    if htmx_target(request) == "churn-list":
        return render(request, "web/partials/_churn_list.html", context)
    context.update(
        {
            "summary": summary,
            "snapshots": snapshots_list(workspace=workspace),
            "form": ChurnUploadForm(initial={"taken_on": timezone.localdate()}),
        }
    )
    if summary and summary.timeline:
        context.update(_figures(summary))
        context["timeline_chart"] = _timeline_chart(summary.timeline)
        context["timeline"] = summary.timeline
        context["first_day"] = _day(summary.timeline[0]["date"])
    return render(request, "web/churn.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def churn_upload(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """A follower or following list with the day the user says it was taken."""
    posted = request.method == "POST"
    form = (
        ChurnUploadForm(request.POST, request.FILES)
        if posted
        else ChurnUploadForm(initial={"taken_on": timezone.localdate()})
    )
    if posted and form.is_valid():
        data = form.cleaned_data
        snapshot = snapshot_record(
            workspace=workspace,
            kind=data["kind"],
            taken_on=data["taken_on"],
            account_ids=data["account_ids"],
        )
        skipped = data["handles_only"]
        note = f" ({skipped:,} without an account id left out)" if skipped else ""
        messages.success(
            request,
            f"Recorded {data['file_name']}: {snapshot.count:,} "
            f"{FollowListKind(snapshot.kind).label.lower()} on {snapshot.taken_on:%Y-%m-%d}{note}.",
        )
        return redirect("churn", slug=workspace.slug)
    # A refused upload is shown again with its errors, like the import page does.
    return render(request, "web/churn_upload.html", {"form": form})


@workspace_view
@require_http_methods(["GET", "POST"])
def churn_snapshot_delete(
    request: HttpRequest, workspace: Workspace, snapshot_pk: int
) -> HttpResponse:
    """Confirm, then forget one stored list; the churn is recomputed without it."""
    snapshot = snapshot_get(workspace=workspace, pk=snapshot_pk)
    if request.method == "POST":
        label = str(snapshot)
        snapshot_delete(snapshot=snapshot)
        messages.success(request, f"Deleted the list: {label}.")
        return redirect("churn", slug=workspace.slug)
    return render(request, "web/churn_snapshot_delete.html", {"snapshot": snapshot})


@workspace_view  # type: ignore[arg-type]  # the decorator hands back any response
@require_GET
def churn_csv(request: HttpRequest, workspace: Workspace, list_name: str) -> StreamingHttpResponse:
    """Every row of one list, streamed."""
    churn_list = LISTS[list_name]
    rows = churn_csv_rows(workspace=workspace, name=churn_list.csv_name, kind=churn_list.csv_kind)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="x-{list_name.replace("_", "-")}.csv"'
    return response


@workspace_view
@require_GET
def churn_timeline_csv(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The numbers behind the timeline chart: per list date, sizes and steps first seen."""
    summary = churn_summary(workspace=workspace)
    timeline = summary.timeline if summary else []
    rows = [TIMELINE_COLUMNS, *([point.get(c) for c in TIMELINE_COLUMNS] for point in timeline)]
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="x-follow-timeline.csv"'
    return response
