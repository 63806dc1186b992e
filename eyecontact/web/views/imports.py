"""Importing exports, following and undoing an import, deciding possible duplicates, splitting.

A small file is imported while the page waits; a large one is queued for a worker
(:mod:`eyecontact.background.imports`) and its page polls until it is done.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from eyecontact.accounts.models import Workspace
from eyecontact.background import imports as jobs
from eyecontact.common.uploads import upload_source
from eyecontact.imports import selectors
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import (
    ImportFailed,
    batch_create,
    batch_undo,
    import_file,
    removals_accept,
    removals_held_text,
    source_record_split,
)
from eyecontact.imports.sources import all_formats
from eyecontact.imports.status import STILL_RUNNING
from eyecontact.people import selectors as people_selectors
from eyecontact.people.services import (
    person_unmerge,
    review_merge,
    review_reject,
    reviews_merge_around,
)

from ..decorators import current_user, htmx_target, is_htmx, workspace_view
from ..forms_imports import ImportForm

# Files below this size are imported while the page waits; larger ones run in the background.
INLINE_LIMIT = 1024 * 1024
BATCHES_PER_PAGE = 25
REVIEWS_PER_PAGE = 10
# The import's figures in the order the summary shows them.
COUNT_LABELS = (
    ("people_new", "New people"),
    ("people_matched", "Matched to people you had"),
    ("people_updated", "People updated"),
    ("reviews", "Possible duplicates to review"),
    ("identities", "E-mails, phones and profiles"),
    ("connections_new", "New connections"),
    ("connections_removed", "Connections gone"),
    ("touches_new", "New touches"),
    ("touches_unchanged", "Touches already known"),
    ("organizations_new", "Organisations, lists and rooms (not people)"),
)


def source_label(file_format: str) -> str:
    """ "LinkedIn connections + X followers" for a batch's format code(s)."""
    if not file_format:
        return "–"
    return " + ".join(_format_label(code) for code in file_format.split("+"))


def _format_label(code: str) -> str:
    # The batch keeps 20 characters of its formats, so the last one may be cut short.
    return next((f.label for f in all_formats() if f.name.startswith(code)), code)


def _figures(batch: ImportBatch) -> list[tuple[str, int]]:
    counts = batch.counts or {}
    return [(label, counts[key]) for key, label in COUNT_LABELS if counts.get(key)]


def _skipped(batch: ImportBatch) -> list[tuple[str, int]]:
    return sorted((batch.counts or {}).get("skipped", {}).items(), key=lambda kv: -kv[1])


def batch_context(batch: ImportBatch) -> dict[str, Any]:
    """What an import's page and its polled status show."""
    running = batch.status in STILL_RUNNING
    progress = jobs.import_progress(batch.pk) if running else None
    done, total = progress or (0, 0)
    return {
        "batch": batch,
        "source": source_label(batch.file_format),
        "figures": _figures(batch),
        "skipped": _skipped(batch),
        "notices": (batch.counts or {}).get("notices", []),
        "files": (batch.counts or {}).get("files", []),
        "removals_held": [
            removals_held_text(held) for held in (batch.counts or {}).get("removals_held", [])
        ],
        "running": running,
        "progress_done": done,
        "progress_total": total,
        "progress_percent": round(100 * done / total) if total else 0,
    }


@workspace_view
@require_GET
def imports_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    page = Paginator(selectors.batches_list(workspace=workspace), BATCHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [
        {
            "batch": batch,
            "source": source_label(batch.file_format),
            "figures": _figures(batch),
            "skipped": _skipped(batch),
        }
        for batch in page.object_list
    ]
    return render(request, "web/imports_list.html", {"page": page, "rows": rows})


@workspace_view
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Upload one export file or archive; its kind is read from its content."""
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["export"]
        file_name = upload.name or "export"
        data = upload_source(upload)  # a large upload stays in its temporary file
        actor = current_user(request)
        batch = batch_create(workspace=workspace, file_name=file_name, data=data, actor=actor)
        if (upload.size or 0) >= INLINE_LIMIT:
            jobs.import_submit(batch=batch, file_name=file_name, data=data, actor=actor)
            return redirect("import_detail", slug=workspace.slug, batch_pk=batch.pk)
        try:
            import_file(
                workspace=workspace, file_name=file_name, data=data, actor=actor, batch=batch
            )
        except ImportFailed as failed:
            for error in failed.batch.errors:
                form.add_error("export", error)
        else:
            messages.success(request, f"Imported {file_name}.")
            return redirect("import_detail", slug=workspace.slug, batch_pk=batch.pk)
    return render(request, "web/imports_new.html", {"form": form})


@workspace_view
@require_GET
def import_detail(request: HttpRequest, workspace: Workspace, batch_pk: int) -> HttpResponse:
    """An import's summary; while it runs, the status part polls itself every second."""
    batch = selectors.batch_get(workspace=workspace, pk=batch_pk)
    context = batch_context(batch)
    if htmx_target(request) == "import-status":
        return render(request, "web/partials/_imports_status.html", context)
    return render(request, "web/imports_detail.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def import_undo(request: HttpRequest, workspace: Workspace, batch_pk: int) -> HttpResponse:
    """Confirm, then take back everything the import added."""
    batch = selectors.batch_get(workspace=workspace, pk=batch_pk)
    if batch.status != ImportBatch.Status.DONE:
        status = batch.get_status_display().lower()
        messages.error(request, f"Only a finished import can be undone; this one is {status}.")
        return redirect("import_detail", slug=workspace.slug, batch_pk=batch.pk)
    if request.method == "POST":
        batch_undo(batch=batch, actor=current_user(request))
        messages.success(request, f"Undid the import of {batch.file_name}.")
        return redirect("import_detail", slug=workspace.slug, batch_pk=batch.pk)
    return render(request, "web/imports_undo.html", batch_context(batch))


@workspace_view
@require_POST
def import_accept_removals(
    request: HttpRequest, workspace: Workspace, batch_pk: int
) -> HttpResponse:
    """The user confirms that the connections a much shorter export lacked are really gone."""
    batch = selectors.batch_get(workspace=workspace, pk=batch_pk)
    try:
        removed = removals_accept(batch=batch, actor=current_user(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Marked {removed:,} connections as removed.")
    return redirect("import_detail", slug=workspace.slug, batch_pk=batch.pk)


# ----- possible duplicates -----------------------------------------------------------------


@workspace_view
@require_GET
def reviews_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Possible duplicates side by side, likeliest first."""
    page = Paginator(people_selectors.reviews_open(workspace=workspace), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    reviews = list(page.object_list)
    around = people_selectors.reviews_open_around(
        workspace=workspace,
        people=[p for r in reviews for p in (r.person_a_id, r.person_b_id)],
    )
    # A person with several possible duplicates (a connection and three old invitations) can
    # take them all in one go, offered on each of their reviews.
    groups = []
    for review in reviews:
        hub = max((review.person_a, review.person_b), key=lambda p: (around[p.pk], -p.pk))
        groups.append((review, hub if around[hub.pk] > 1 else None, around[hub.pk]))
    held = people_selectors.reviews_held_count(workspace=workspace)
    return render(request, "web/reviews_list.html", {"page": page, "groups": groups, "held": held})


def _back_to_reviews(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    page = request.POST.get("page", "")
    response = redirect("reviews_list", slug=workspace.slug)
    if page.isdigit():
        response["Location"] += f"?page={page}"
    return response


@workspace_view
@require_POST
def review_same(request: HttpRequest, workspace: Workspace, review_pk: int) -> HttpResponse:
    """Same person: merge, keeping the record the user picked."""
    review = people_selectors.review_get(workspace=workspace, pk=review_pk)
    sides = {str(side): side for side in (review.person_a_id, review.person_b_id)}
    keep_id = sides.get(request.POST.get("keep", ""))
    if keep_id is None:
        messages.error(request, "Pick which record to keep.")
        return _back_to_reviews(request, workspace)
    try:
        kept = review_merge(review=review, keep_id=keep_id, actor=current_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Merged into {kept.display_name}. You can split them again on their page."
        )
    return _back_to_reviews(request, workspace)


@workspace_view
@require_POST
def review_different(request: HttpRequest, workspace: Workspace, review_pk: int) -> HttpResponse:
    """Not the same person: remembered, so no import suggests the pair again."""
    review = people_selectors.review_get(workspace=workspace, pk=review_pk)
    try:
        review_reject(review=review, actor=current_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        first, second = review.person_a.display_name, review.person_b.display_name
        messages.success(request, f"Kept {first} and {second} apart for good.")
    return _back_to_reviews(request, workspace)


@workspace_view
@require_POST
def reviews_same_around(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """Every possible duplicate of one person is them: all merged into that person at once."""
    person = people_selectors.person_get(workspace=workspace, pk=person_pk)
    try:
        kept, merged = reviews_merge_around(
            workspace_id=workspace.pk, person=person, actor=current_user(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not merged:
            # Decided already, in another tab or by a second click.
            messages.error(request, f"No possible duplicates of {kept.display_name} are waiting.")
            return _back_to_reviews(request, workspace)
        plural = "" if merged == 1 else "s"
        messages.success(
            request,
            f"Merged {merged} record{plural} into {kept.display_name}. "
            "You can split them again on their page.",
        )
    return _back_to_reviews(request, workspace)


# ----- splitting what was joined ------------------------------------------------------------


@workspace_view
@require_GET
def person_origins(request: HttpRequest, workspace: Workspace, person_pk: int) -> HttpResponse:
    """The records merged into a person and the imported rows matched to them, to split off."""
    person = people_selectors.person_get(workspace=workspace, pk=person_pk)
    context = {
        "person": person,
        "merges": list(people_selectors.person_merges(person=person)),
        "records": list(selectors.person_matched_records(person=person)),
    }
    if is_htmx(request):
        return render(request, "web/partials/_imports_person_origins.html", context)
    return render(request, "web/imports_person_origins.html", context)


@workspace_view
@require_POST
def merge_split(
    request: HttpRequest, workspace: Workspace, person_pk: int, merge_pk: int
) -> HttpResponse:
    person = people_selectors.person_get(workspace=workspace, pk=person_pk)
    merge = people_selectors.merge_get(workspace=workspace, pk=merge_pk)
    if merge.kept_id != person.pk:
        raise Http404
    try:
        restored = person_unmerge(merge=merge, actor=current_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Split {restored.display_name} off {person.display_name}.")
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)


@workspace_view
@require_POST
def record_split(
    request: HttpRequest, workspace: Workspace, person_pk: int, record_pk: int
) -> HttpResponse:
    person = people_selectors.person_get(workspace=workspace, pk=person_pk)
    record = selectors.source_record_get(workspace=workspace, pk=record_pk)
    if record.person_id != person.pk:
        raise Http404
    split = source_record_split(record=record, actor=current_user(request))
    messages.success(
        request,
        f"{split.display_name} is a person of their own again, apart from {person.display_name}.",
    )
    return redirect("person_detail", slug=workspace.slug, person_pk=person.pk)
