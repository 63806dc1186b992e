"""The value of face-to-face in the user's own data: charts, each with its numbers as CSV."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from eyecontact.accounts.models import Workspace
from eyecontact.common.csv import csv_text
from eyecontact.insights.value import ACTIVE_DAYS, value_of_face_to_face
from eyecontact.networks.vetting import Status

from .. import charts
from ..decorators import workspace_view
from .vetting import STATUS_COLOURS

# The charts of the page, in order: the name used in the CSV's URL, and its title.
CHARTS = {
    "survival": "How long relationships stay active",
    "touches": "Touches per year",
    "two_way": "Two-way links on a network",
    "vetted": "Connections met in person, by year connected",
    "funnel": "From conversations at events to relationships a year later",
}
FUNNEL_STEPS = (
    ("conversations", "Conversations"),
    ("connections", "Connected online"),
    ("active_a_year_later", "In touch a year on"),
)


def _survival_rows(figures: dict[str, Any]) -> list[list[Any]]:
    return [
        [group["label"], point["day"], point["survival"], point["at_risk"]]
        for group in figures["groups"]
        for point in group["curve"]
    ]


def _table(figures: dict[str, Any], chart: str) -> tuple[Sequence[str], list[list[Any]]]:
    """The numbers behind one chart, as a header and rows."""
    groups = figures["groups"]
    if chart == "survival":
        return ("group", "day", "share_active", "at_risk"), _survival_rows(figures)
    if chart == "touches":
        rows = [[g["label"], g["relationships"], g["touches_per_year"]] for g in groups]
        return ("group", "relationships", "touches_per_year"), rows
    if chart == "two_way":
        rows = [[g["label"], g["relationships"], g["two_way"], g["two_way_share"]] for g in groups]
        return ("group", "relationships", "two_way", "two_way_share"), rows
    if chart == "vetted":
        years: tuple[str, ...] = ("year", "total", *Status.ALL, "met_share")
        return years, [[row[column] for column in years] for row in figures["vetted_by_year"]]
    events: tuple[str, ...] = ("event", "starts_on", *(key for key, _ in FUNNEL_STEPS))
    return events, [[row[column] for column in events] for row in figures["event_funnel"]]


def _funnel_totals(funnel: Iterable[dict[str, Any]]) -> list[int]:
    """Totals over the events; a year later counts only events at least a year old."""
    rows = list(funnel)
    return [sum(row[key] or 0 for row in rows) for key, _ in FUNNEL_STEPS]


def _charts(figures: dict[str, Any]) -> dict[str, Any]:
    groups = figures["groups"]
    labels = [g["label"] for g in groups]
    drawn: dict[str, Any] = {}
    if any(g["relationships"] for g in groups):
        drawn["survival"] = charts.line_chart(
            title=CHARTS["survival"],
            series=[charts.Series(g["label"], [p["survival"] for p in g["curve"]]) for g in groups],
            x_values=[[p["day"] for p in g["curve"]] for g in groups],
            x_label="Days since the first touch",
            y_max=1,
            step=True,
            percent=True,
        )
    if any(g["relationships"] for g in groups):
        drawn["touches"] = charts.bar_chart(
            title=CHARTS["touches"],
            categories=labels,
            values=[g["touches_per_year"] for g in groups],
        )
        drawn["two_way"] = charts.stacked_bars(
            title=CHARTS["two_way"],
            categories=labels,
            series=[
                charts.Series("Two-way link", [g["two_way"] for g in groups]),
                charts.Series("No link", [g["relationships"] - g["two_way"] for g in groups]),
            ],
        )
    if figures["vetted_by_year"]:
        years = figures["vetted_by_year"]
        drawn["vetted"] = charts.stacked_bars(
            title=CHARTS["vetted"],
            categories=[str(row["year"]) for row in years],
            series=[
                charts.Series(
                    Status.LABELS[status],
                    [row[status] for row in years],
                    colour=STATUS_COLOURS[status],
                )
                for status in Status.ALL
            ],
        )
    if figures["event_funnel"]:
        drawn["funnel"] = charts.bar_chart(
            title=CHARTS["funnel"],
            categories=[label for _, label in FUNNEL_STEPS],
            values=_funnel_totals(figures["event_funnel"]),
        )
    return drawn


@workspace_view
@require_GET
def insights_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Do relationships that began face to face last longer, and stay two-way?"""
    figures = value_of_face_to_face(workspace=workspace)
    drawn = _charts(figures)
    context = {
        "groups": [g for g in figures["groups"] if g["relationships"]],
        "sections": [
            {"key": key, "title": title, "chart": drawn.get(key)} for key, title in CHARTS.items()
        ],
        "active_days": ACTIVE_DAYS,
    }
    return render(request, "web/insights_page.html", context)


@workspace_view
@require_GET
def insights_csv(request: HttpRequest, workspace: Workspace, chart: str) -> HttpResponse:
    """The numbers behind one chart of the insights page."""
    if chart not in CHARTS:
        raise Http404("No such chart.")
    header, rows = _table(value_of_face_to_face(workspace=workspace), chart)
    response = HttpResponse(csv_text([header, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="eyecontact-{chart}.csv"'
    return response
