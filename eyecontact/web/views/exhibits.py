"""Exhibits: the booths of a workspace, what each cost and reached, and the booth capture page.

The capture page is built for a phone on a show floor without signal. Its script
(``static/eyecontact/capture.js``) writes every capture to the browser's own queue first, with a
client-made id, and sends the queue to the JSON API's ``captures/sync``, which stores each
capture once. A service worker served from under the page's own address keeps the page and its
files, so it opens again without a network. Without JavaScript, the same form posts here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.common.csv import csv_text
from eyecontact.events.exhibits import (
    PUBLISHED_COST_PER_CONVERSATION,
    PUBLISHED_COST_PER_ENTRANT,
    ExhibitReport,
    capture_record,
    exhibit_add_cost,
    exhibit_cost_delete,
    exhibit_cost_get,
    exhibit_cost_update,
    exhibit_create,
    exhibit_report,
    exhibit_set_staff,
    exhibits_counted,
    exhibits_list,
    leads_csv,
    leads_vcard,
)
from eyecontact.events.models import Exhibit

from .. import charts
from ..decorators import current_user, workspace_view
from ..forms import add_service_errors
from ..forms_exhibits import CaptureForm, CostForm, ExhibitForm, StaffForm

# The charts of the exhibit page: the name in the CSV's URL, and the chart's title.
CHARTS = {
    "by_staff": "Conversations by staff member",
    "by_hour": "Conversations by hour of the day",
}
# Captures the browser may hold for one sync request: the API's limit.
SYNC_BATCH = 500


def _exhibit(workspace: Workspace, exhibit_pk: int) -> Exhibit:
    return get_object_or_404(exhibits_list(workspace=workspace), pk=exhibit_pk)


def _api(workspace: Workspace, exhibit: Exhibit, tail: str) -> str:
    return f"/api/workspaces/{workspace.slug}/exhibits/{exhibit.pk}/{tail}"


@workspace_view
@require_GET
def exhibits_page(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = ExhibitForm(workspace=workspace, initial={"staff": [current_user(request)]})
    return _list(request, workspace, form)


def _list(request: HttpRequest, workspace: Workspace, form: ExhibitForm) -> HttpResponse:
    # Counted as the exhibit's report counts them.
    exhibits = exhibits_counted(exhibits_list(workspace=workspace)).order_by(
        "-event__starts_on", "name"
    )
    return render(request, "web/exhibits_list.html", {"exhibits": exhibits, "form": form})


@workspace_view
@require_POST
def exhibit_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    form = ExhibitForm(request.POST, workspace=workspace)
    if form.is_valid():
        try:
            exhibit = exhibit_create(
                event=form.cleaned_data["event"],
                name=form.cleaned_data["name"],
                currency=form.cleaned_data["currency"],
                staff=list(form.cleaned_data["staff"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {exhibit.name}.")
            return redirect("exhibit_detail", slug=workspace.slug, exhibit_pk=exhibit.pk)
    return _list(request, workspace, form)


def _charts(report: ExhibitReport) -> list[dict[str, Any]]:
    drawn: dict[str, Any] = {}
    if report.by_staff:
        drawn["by_staff"] = charts.bar_chart(
            title=CHARTS["by_staff"],
            categories=list(report.by_staff),
            values=list(report.by_staff.values()),
        )
    if report.by_hour:
        hours = _hours(report)
        drawn["by_hour"] = charts.bar_chart(
            title=CHARTS["by_hour"],
            categories=[f"{hour:02d}:00" for hour, _ in hours],
            values=[count for _, count in hours],
        )
    return [{"key": key, "title": title, "chart": drawn.get(key)} for key, title in CHARTS.items()]


def _hours(report: ExhibitReport) -> list[tuple[int, int]]:
    """Every hour from the first to the last with a conversation, quiet ones included."""
    if not report.by_hour:
        return []
    first, last = min(report.by_hour), max(report.by_hour)
    return [(hour, report.by_hour.get(hour, 0)) for hour in range(first, last + 1)]


def _detail(
    request: HttpRequest,
    workspace: Workspace,
    exhibit: Exhibit,
    *,
    cost_form: CostForm | None = None,
    staff_form: StaffForm | None = None,
) -> HttpResponse:
    report = exhibit_report(exhibit=exhibit)
    staff = list(exhibit.staff.order_by("email"))
    context = {
        "exhibit": exhibit,
        "report": report,
        "costs": exhibit.costs.order_by("category", "id"),
        "staff": staff,
        "cost_form": cost_form or CostForm(),
        "staff_form": staff_form or StaffForm(workspace=workspace, initial={"staff": staff}),
        "sections": _charts(report),
        "published_entrant": PUBLISHED_COST_PER_ENTRANT,
        "published_conversation": PUBLISHED_COST_PER_CONVERSATION,
        "is_staff": any(member.pk == current_user(request).pk for member in staff),
    }
    return render(request, "web/exhibit_detail.html", context)


@workspace_view
@require_GET
def exhibit_detail(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    return _detail(request, workspace, _exhibit(workspace, exhibit_pk))


@workspace_view
@require_POST
def exhibit_cost_new(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    exhibit = _exhibit(workspace, exhibit_pk)
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            cost = exhibit_add_cost(exhibit=exhibit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Added {cost.get_category_display().lower()}: {cost.amount:,.2f}."
            )
            return redirect("exhibit_detail", slug=workspace.slug, exhibit_pk=exhibit.pk)
    return _detail(request, workspace, exhibit, cost_form=form)


@workspace_view
@require_http_methods(["GET", "POST"])
def exhibit_cost_edit(
    request: HttpRequest, workspace: Workspace, exhibit_pk: int, cost_pk: int
) -> HttpResponse:
    """Corrects one cost line."""
    exhibit = _exhibit(workspace, exhibit_pk)
    cost = exhibit_cost_get(exhibit=exhibit, pk=cost_pk)
    form = CostForm(
        request.POST if request.method == "POST" else None,
        initial={"category": cost.category, "amount": cost.amount, "note": cost.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            exhibit_cost_update(cost=cost, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Saved {cost.get_category_display().lower()}: {cost.amount:,.2f}."
            )
            return redirect("exhibit_detail", slug=workspace.slug, exhibit_pk=exhibit.pk)
    context = {"exhibit": exhibit, "cost": cost, "form": form}
    return render(request, "web/exhibit_cost_form.html", context)


@workspace_view
@require_POST
def exhibit_cost_remove(
    request: HttpRequest, workspace: Workspace, exhibit_pk: int, cost_pk: int
) -> HttpResponse:
    exhibit = _exhibit(workspace, exhibit_pk)
    cost = exhibit_cost_get(exhibit=exhibit, pk=cost_pk)
    exhibit_cost_delete(cost=cost)
    messages.success(request, f"Deleted {cost.get_category_display().lower()}: {cost.amount:,.2f}.")
    return redirect("exhibit_detail", slug=workspace.slug, exhibit_pk=exhibit.pk)


@workspace_view
@require_POST
def exhibit_staff(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    exhibit = _exhibit(workspace, exhibit_pk)
    form = StaffForm(request.POST, workspace=workspace)
    if form.is_valid():
        try:
            exhibit_set_staff(exhibit=exhibit, staff=list(form.cleaned_data["staff"]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved the booth's staff.")
            return redirect("exhibit_detail", slug=workspace.slug, exhibit_pk=exhibit.pk)
    return _detail(request, workspace, exhibit, staff_form=form)


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]], file_name: str) -> HttpResponse:
    response = HttpResponse(csv_text([header, *rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@workspace_view
@require_GET
def exhibit_chart_csv(
    request: HttpRequest, workspace: Workspace, exhibit_pk: int, chart: str
) -> HttpResponse:
    """The numbers behind one chart of the exhibit page."""
    if chart not in CHARTS:
        raise Http404("No such chart.")
    exhibit = _exhibit(workspace, exhibit_pk)
    report = exhibit_report(exhibit=exhibit)
    if chart == "by_staff":
        header: tuple[str, ...] = ("staff_member", "conversations")
        rows: list[tuple[Any, ...]] = list(report.by_staff.items())
    else:
        header = ("hour", "conversations")
        rows = [(f"{hour:02d}:00", count) for hour, count in _hours(report)]
    return _csv(header, rows, f"exhibit-{exhibit.pk}-{chart}.csv")


@workspace_view
@require_GET
def exhibit_leads_csv(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    exhibit = _exhibit(workspace, exhibit_pk)
    response = HttpResponse("".join(leads_csv(exhibit=exhibit)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="leads-{exhibit.pk}.csv"'
    return response


@workspace_view
@require_GET
def exhibit_leads_vcard(
    request: HttpRequest, workspace: Workspace, exhibit_pk: int
) -> HttpResponse:
    exhibit = _exhibit(workspace, exhibit_pk)
    response = HttpResponse(leads_vcard(exhibit=exhibit), content_type="text/vcard")
    response["Content-Disposition"] = f'attachment; filename="leads-{exhibit.pk}.vcf"'
    return response


def _capture_context(
    request: HttpRequest, workspace: Workspace, exhibit: Exhibit, form: CaptureForm
) -> dict[str, Any]:
    page = reverse("exhibit_capture", kwargs={"slug": workspace.slug, "exhibit_pk": exhibit.pk})
    return {
        "exhibit": exhibit,
        "form": form,
        "is_staff": exhibit.staff.filter(pk=current_user(request).pk).exists(),
        "page_url": page,
        "sw_url": reverse(
            "exhibit_capture_sw", kwargs={"slug": workspace.slug, "exhibit_pk": exhibit.pk}
        ),
        "sync_url": _api(workspace, exhibit, "captures/sync"),
        "attendees_url": _api(workspace, exhibit, "attendees"),
        "cards_url": f"/api/workspaces/{workspace.slug}/business-cards",
        "sync_batch": SYNC_BATCH,
        "ratings": range(1, 6),
    }


@workspace_view
@require_http_methods(["GET", "POST"])
def exhibit_capture(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    """The booth page. Its script queues and syncs; a plain form post is captured here."""
    exhibit = _exhibit(workspace, exhibit_pk)
    form = CaptureForm(
        request.POST if request.method == "POST" else None,
        initial={"client_id": CaptureForm.new_client_id()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            capture, _ = capture_record(
                exhibit=exhibit, actor=current_user(request), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            who = capture.person.display_name if capture.person else "someone"
            messages.success(request, f"Saved the {capture.get_kind_display().lower()} with {who}.")
            return redirect("exhibit_capture", slug=workspace.slug, exhibit_pk=exhibit.pk)
    context = _capture_context(request, workspace, exhibit, form)
    return render(request, "web/exhibit_capture.html", context)


@workspace_view
@require_GET
def exhibit_capture_sw(request: HttpRequest, workspace: Workspace, exhibit_pk: int) -> HttpResponse:
    """The service worker that keeps the capture page and its files for use without a network.

    Served from under the page's own address, so its scope is exactly the page.
    """
    exhibit = _exhibit(workspace, exhibit_pk)
    page = reverse("exhibit_capture", kwargs={"slug": workspace.slug, "exhibit_pk": exhibit.pk})
    script = render_to_string(
        "web/exhibit_capture_sw.js", {"page_url": page, "exhibit": exhibit}, request=request
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = page
    response["Cache-Control"] = "no-cache"
    return response
