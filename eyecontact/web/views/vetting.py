"""Vetting: whom of my connections have I met, is my network getting less real, and the
screener that answers "have I met them?" for a connection request.

The figures come from :mod:`eyecontact.networks.vetting`; these views only read the filters,
draw the charts and format the answers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.accounts.services import workspace_set_screen_policy
from eyecontact.common.csv import csv_lines
from eyecontact.networks.vetting import (
    VETTING_SORTS,
    NetworkShare,
    Status,
    connection_vouch,
    screen_request,
    vetted_connections,
    vetting_csv,
    vetting_summary,
    vetting_trend,
)
from eyecontact.people.choices import Network
from eyecontact.people.models import Connection
from eyecontact.people.selectors import connection_get, organizations

from ..charts import Series, stacked_bars
from ..decorators import current_user, htmx_target, is_htmx, workspace_view
from ..forms import add_service_errors
from ..forms_vetting import ScreenForm, ScreenPolicyForm, VouchForm

PER_PAGE = 50
# Columns of the never-met list: label, sort key, and the other direction of the same column.
SORT_COLUMNS = (
    ("Name", "name", ""),
    ("Company", "organization", ""),
    ("Connected", "-connected", "connected"),
    ("Touches", "-ties", ""),
)


def _filters(request: HttpRequest) -> dict[str, Any]:
    """The never-met list's filters from the query string, anything unknown dropped."""
    network = request.GET.get("network", "")
    year_text = request.GET.get("year", "").strip()
    sort = request.GET.get("sort", "name")
    return {
        "network": network if network in Network.values else "",
        "organization": request.GET.get("organization", "").strip()[:200],
        "year": int(year_text) if year_text.isdigit() and 1900 <= int(year_text) <= 2200 else None,
        "sort": sort if sort in VETTING_SORTS else "name",
    }


def _never_met(workspace: Workspace, filters: dict[str, Any]) -> QuerySet[Connection]:
    return vetted_connections(workspace=workspace, status=Status.NEVER, **filters)


def _sort_columns(current: str) -> list[dict[str, str]]:
    columns = []
    for label, key, other in SORT_COLUMNS:
        active = current in (key, other)
        next_sort = other if current == key and other else key
        state = ""
        if active:
            state = (
                "ascending" if current in ("name", "organization", "connected") else "descending"
            )
        columns.append({"label": label, "sort": next_sort, "state": state})
    return columns


# One colour per status in every chart and key (Okabe–Ito, colour-blind safe): met before in
# green, after in blue, with no date in grey, never in vermilion.
STATUS_COLOURS = {
    Status.MET_BEFORE: "#009E73",
    Status.MET_AFTER: "#0072B2",
    Status.MET_UNKNOWN_DATE: "#999999",
    Status.NEVER: "#D55E00",
}
# The statuses each chart draws: a connection with no date has no year to be counted under.
SUMMARY_STATUSES = Status.ALL
TREND_STATUSES = tuple(s for s in Status.ALL if s != Status.MET_UNKNOWN_DATE)


def chart_key(statuses: tuple[str, ...]) -> list[dict[str, str]]:
    """The key drawn under a chart: each status's words and colour."""
    return [{"label": Status.LABELS[s], "colour": STATUS_COLOURS[s]} for s in statuses]


def _summary_chart(summary: list[NetworkShare]) -> Any:
    return stacked_bars(
        title="Connections met before connecting, after, with no date, and never, per network",
        categories=[share.label for share in summary],
        series=[
            Series(
                Status.LABELS[status],
                [share.counts[status] for share in summary],
                colour=STATUS_COLOURS[status],
            )
            for status in SUMMARY_STATUSES
        ],
        legend=False,
    )


def _trend_chart(trend: list[dict[str, Any]]) -> Any:
    return stacked_bars(
        title="Connections by year connected: met before, after, and never",
        categories=[str(row["year"]) for row in trend],
        series=[
            Series(
                Status.LABELS[status],
                [row[status] for row in trend],
                colour=STATUS_COLOURS[status],
            )
            for status in TREND_STATUSES
        ],
        legend=False,
    )


def _list_context(request: HttpRequest, workspace: Workspace) -> dict[str, Any]:
    filters = _filters(request)
    page = Paginator(_never_met(workspace, filters), PER_PAGE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "filters": filters,
        "filtered": bool(filters["network"] or filters["organization"] or filters["year"]),
        "columns": _sort_columns(filters["sort"]),
        "query": request.GET.urlencode(),
    }


@workspace_view
@require_GET
def vetting(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Per network the share met, the trend by year connected, and the never-met list."""
    context = _list_context(request, workspace)
    if htmx_target(request) == "never-met":
        return render(request, "web/partials/_vetting_never_met.html", context)
    summary = vetting_summary(workspace=workspace)
    trend = vetting_trend(workspace=workspace)
    context.update(
        {
            "summary": summary,
            "summary_rows": [
                {
                    "share": share,
                    "cells": [
                        (Status.LABELS[status], share.counts[status], share.share(status))
                        for status in Status.ALL
                    ],
                }
                for share in summary
            ],
            "trend": trend,
            "statuses": [Status.LABELS[status] for status in Status.ALL],
            "summary_chart": _summary_chart(summary) if summary else "",
            "trend_chart": _trend_chart(trend) if trend else "",
            "summary_key": chart_key(SUMMARY_STATUSES),
            "trend_key": chart_key(TREND_STATUSES),
            "networks": [(share.network, share.label) for share in summary],
            "organizations": organizations(workspace=workspace),
            "years": sorted((row["year"] for row in trend), reverse=True),
        }
    )
    return render(request, "web/vetting.html", context)


def _attachment(response: HttpResponse | StreamingHttpResponse, file_name: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'


@workspace_view  # type: ignore[arg-type]  # the decorator hands back any response
@require_GET
def vetting_never_met_csv(request: HttpRequest, workspace: Workspace) -> StreamingHttpResponse:
    """The never-met list as shown: same filters, same order, every page."""
    connections = _never_met(workspace, _filters(request))
    response = StreamingHttpResponse(
        vetting_csv(connections.iterator(chunk_size=2000)), content_type="text/csv"
    )
    _attachment(response, "never-met.csv")
    return response


@workspace_view
@require_GET
def vetting_summary_csv(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The numbers behind the per-network chart."""
    rows = [
        [share.label, share.total, *(share.counts[status] for status in Status.ALL)]
        for share in vetting_summary(workspace=workspace)
    ]
    response = HttpResponse(
        csv_lines([["network", "total", *Status.ALL], *rows]), content_type="text/csv"
    )
    _attachment(response, "vetting-networks.csv")
    return response


@workspace_view
@require_GET
def vetting_trend_csv(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The numbers behind the by-year chart."""
    header = ["year", "total", *Status.ALL, "met_share"]
    rows = [[row[name] for name in header] for row in vetting_trend(workspace=workspace)]
    response = HttpResponse(csv_lines([header, *rows]), content_type="text/csv")
    _attachment(response, "vetting-by-year.csv")
    return response


def _back(request: HttpRequest, workspace: Workspace) -> str:
    """The vetting page with the list's filters the user came from."""
    query = request.POST.get("back", "")
    url = reverse("vetting", kwargs={"slug": workspace.slug})
    safe = query and all(ch.isalnum() or ch in "=&%+-_.~" for ch in query)
    return f"{url}?{query}" if safe else url


@workspace_view
@require_http_methods(["GET", "POST"])
def connection_vouch_view(
    request: HttpRequest, workspace: Workspace, connection_pk: int
) -> HttpResponse:
    """ "I did meet them": the day, where and a note become an in-person touch."""
    connection = connection_get(workspace=workspace, pk=connection_pk)
    form = VouchForm(request.POST or None, prefix_id=str(connection.pk))
    vouched = None
    if request.method == "POST" and form.is_valid():
        try:
            vouched = connection_vouch(
                connection=connection, actor=current_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not is_htmx(request):
                messages.success(request, f"Vouched for {connection.person.display_name}.")
                return redirect(_back(request, workspace))
    context = {
        "connection": connection,
        "form": form,
        "vouched": vouched,
        "query": request.POST.get("back", ""),
    }
    if is_htmx(request):
        return render(request, "web/partials/_vetting_row.html", context)
    return render(request, "web/vetting_vouch.html", context)


# ----- the screener --------------------------------------------------------------------------


@workspace_view
@require_GET
def screen(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Have I met the person behind this connection request? Answers as the user submits."""
    asked = any(request.GET.get(name) for name in ("name", "organization", "url"))
    form = ScreenForm(request.GET if asked else None)
    answer = None
    if asked and form.is_valid():
        answer = screen_request(workspace=workspace, **form.cleaned_data)
    context: dict[str, Any] = {
        "form": form,
        "answer": answer,
        "verdict_title": answer.title if answer else "",
    }
    if htmx_target(request) == "screen-answer":
        return render(request, "web/partials/_screen_answer.html", context)
    context["policy_form"] = ScreenPolicyForm(initial={"screen_policy": workspace.screen_policy})
    return render(request, "web/screen.html", context)


@workspace_view
@require_POST
def screen_policy(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = ScreenPolicyForm(request.POST)
    if form.is_valid():
        try:
            workspace_set_screen_policy(
                workspace=workspace,
                policy=form.cleaned_data["screen_policy"],
                actor=current_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Screening policy: {workspace.get_screen_policy_display()}.")
            return redirect("screen", slug=workspace.slug)
    return render(
        request,
        "web/screen.html",
        {"form": ScreenForm(), "answer": None, "policy_form": form},
        status=400,
    )
