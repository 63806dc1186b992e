"""Imports and deciding who is who, under ``/api/workspaces/{workspace}/``.

An export file uploaded to ``imports`` is queued for a worker (see
:mod:`eyecontact.background.imports`): the answer is 202 with the import waiting and ``poll``, the
URL that shows it as it runs and once it ends (also in the ``Location`` header). A file that
cannot be read ends failed with what was wrong, by file and line, and adds nobody. An import can
be undone. Possible duplicates it found wait in ``reviews`` to be merged or kept
apart; a merge, or an automatic match of one imported row, can be split again.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.params import functions as param

from eyecontact.accounts.auth import caller, workspace_of
from eyecontact.background.imports import import_submit
from eyecontact.common.api import Pages
from eyecontact.common.uploads import upload_source
from eyecontact.imports.models import ImportBatch, SourceRecord
from eyecontact.imports.schemas import (
    ImportBatchOut,
    ImportQueuedOut,
    MergeOut,
    ReviewMergeIn,
    ReviewOut,
    SourceRecordOut,
)
from eyecontact.imports.selectors import (
    batch_get,
    batches_list,
    person_matched_records,
    source_record_get,
)
from eyecontact.imports.services import (
    batch_create,
    batch_undo,
    removals_accept,
    source_record_split,
)
from eyecontact.imports.sources import upload_too_large
from eyecontact.people.models import MatchReview, Person, PersonMerge
from eyecontact.people.schemas import PersonOut
from eyecontact.people.selectors import (
    merge_get,
    person_get,
    person_merges,
    review_get,
    reviews_open,
)
from eyecontact.people.services import person_unmerge, review_merge, review_reject

__all__ = ["router"]

router = Router()


# Imports -----------------------------------------------------------------------------------


@router.get(
    "/{workspace}/imports",
    response=list[ImportBatchOut],
    tags=["imports"],
    summary="Imported files, newest first, with what each added",
)
@paginate(Pages)
def imports(request: HttpRequest, workspace: str) -> QuerySet[ImportBatch]:
    return batches_list(workspace=workspace_of(request, workspace))


@router.post(
    "/{workspace}/imports",
    response={202: ImportQueuedOut},
    tags=["imports"],
    summary="Import an export file or archive (queued: poll the URL given)",
)
def import_new(
    request: HttpRequest,
    response: HttpResponse,
    workspace: str,
    file: File[UploadedFile],
    accept_removals: bool = False,
) -> Status[dict[str, object]]:
    """LinkedIn Connections.csv, Facebook friends JSON, X follower.js/following.js, vCard,
    Google or Outlook CSV, iCalendar .ics, or a ZIP export holding any of them. Importing the
    same file again changes nothing; a newer export adds what is new and marks what is gone.
    The import runs in the background: ``poll`` shows its status (pending, running, then done
    or failed with its errors).

    An export that lacks more than a fifth of the connections the last one listed marks none
    of them removed unless ``accept_removals=true``: ``removals_held`` says so, and
    ``POST .../accept-removals`` marks them later."""
    space = workspace_of(request, workspace)
    file_name = file.name or "upload"
    refusal = upload_too_large(file.size or 0)
    if refusal:  # refused before the upload is read into memory
        raise ValidationError({"file": [f"{file_name}: {refusal}"]})
    data = upload_source(file)  # a large upload stays in its temporary file
    actor = caller(request)
    batch = batch_create(workspace=space, file_name=file_name, data=data, actor=actor)
    import_submit(
        batch=batch,
        file_name=file_name,
        data=data,
        actor=actor,
        accept_removals=accept_removals,
    )
    poll = request.build_absolute_uri(f"{request.path.rstrip('/')}/{batch.pk}")
    response["Location"] = poll
    return Status(202, {"batch": batch_get(workspace=space, pk=batch.pk), "poll": poll})


@router.get(
    "/{workspace}/imports/{batch_id}",
    response=ImportBatchOut,
    tags=["imports"],
    summary="An imported file",
)
def import_detail(request: HttpRequest, workspace: str, batch_id: int) -> ImportBatch:
    return batch_get(workspace=workspace_of(request, workspace), pk=batch_id)


@router.post(
    "/{workspace}/imports/{batch_id}/undo",
    response=ImportBatchOut,
    tags=["imports"],
    summary="Undo an import: take back the people, identities, connections and touches it added",
)
def import_undo(request: HttpRequest, workspace: str, batch_id: int) -> ImportBatch:
    """People it created stay if something else has since given them touches, identities or
    connections. Only a finished import can be undone."""
    space = workspace_of(request, workspace)
    batch = batch_get(workspace=space, pk=batch_id)
    try:
        batch_undo(batch=batch, actor=caller(request))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return batch_get(workspace=space, pk=batch.pk)


@router.post(
    "/{workspace}/imports/{batch_id}/accept-removals",
    response=ImportBatchOut,
    tags=["imports"],
    summary="Mark removed the connections an import's export lacked and held back",
)
def import_accept_removals(request: HttpRequest, workspace: str, batch_id: int) -> ImportBatch:
    """For an import whose ``removals_held`` is not empty: the connections it lacked are
    marked removed as of the export (those a later import listed again stay)."""
    space = workspace_of(request, workspace)
    batch = batch_get(workspace=space, pk=batch_id)
    try:
        removals_accept(batch=batch, actor=caller(request))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return batch_get(workspace=space, pk=batch.pk)


# Rows of imports ---------------------------------------------------------------------------


@router.get(
    "/{workspace}/people/{person_id}/source-records",
    response=list[SourceRecordOut],
    tags=["imports"],
    summary="Imported rows matched to a person automatically, which can be split off",
)
def person_source_records(
    request: HttpRequest, workspace: str, person_id: int
) -> QuerySet[SourceRecord]:
    person = person_get(workspace=workspace_of(request, workspace), pk=person_id)
    return person_matched_records(person=person)


@router.get(
    "/{workspace}/source-records/{record_id}",
    response=SourceRecordOut,
    tags=["imports"],
    summary="An imported row and the person it became",
)
def source_record_detail(request: HttpRequest, workspace: str, record_id: int) -> SourceRecord:
    return source_record_get(workspace=workspace_of(request, workspace), pk=record_id)


@router.post(
    "/{workspace}/source-records/{record_id}/split",
    response={201: PersonOut},
    tags=["imports"],
    summary="Split an imported row off the person it was matched to",
)
def source_record_split_new(request: HttpRequest, workspace: str, record_id: int) -> Status[Person]:
    """The row becomes a person of its own, with the identities and connections it brought;
    later imports keep the two apart."""
    record = source_record_get(workspace=workspace_of(request, workspace), pk=record_id)
    try:
        person = source_record_split(record=record, actor=caller(request))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    return Status(201, person)


# Reviews and merges ------------------------------------------------------------------------

HELD_BACK = param.Query(
    False, description="List the possible duplicates held back instead of those waiting"
)


@router.get(
    "/{workspace}/reviews",
    response=list[ReviewOut],
    tags=["reviews"],
    summary="Possible duplicates waiting for a decision, likeliest first",
)
@paginate(Pages)
def reviews(request: HttpRequest, workspace: str, held: bool = HELD_BACK) -> QuerySet[MatchReview]:
    """Both people side by side, with their identities and connections, and the evidence.
    A list a person can work through waits at once (the review queue, 1,000 by default); the
    less likely rest are held back and come into it, best first, as those waiting are decided."""
    return reviews_open(workspace=workspace_of(request, workspace), held=held)


@router.get(
    "/{workspace}/reviews/{review_id}",
    response=ReviewOut,
    tags=["reviews"],
    summary="A possible duplicate",
)
def review_detail(request: HttpRequest, workspace: str, review_id: int) -> MatchReview:
    return review_get(workspace=workspace_of(request, workspace), pk=review_id)


@router.post(
    "/{workspace}/reviews/{review_id}/merge",
    response=PersonOut,
    tags=["reviews"],
    summary="Same person: merge the two",
)
def review_merge_new(
    request: HttpRequest, workspace: str, review_id: int, payload: ReviewMergeIn | None = None
) -> Person:
    """The kept person gains every identity, touch and connection; the merge can be split."""
    review = review_get(workspace=workspace_of(request, workspace), pk=review_id)
    keep_id = payload.keep if payload is not None else None
    return review_merge(review=review, keep_id=keep_id, actor=caller(request))


@router.post(
    "/{workspace}/reviews/{review_id}/reject",
    response=ReviewOut,
    tags=["reviews"],
    summary="Different people: keep them apart",
)
def review_reject_new(request: HttpRequest, workspace: str, review_id: int) -> MatchReview:
    """Remembered for every later import."""
    review = review_get(workspace=workspace_of(request, workspace), pk=review_id)
    return review_reject(review=review, actor=caller(request))


@router.get(
    "/{workspace}/people/{person_id}/merges",
    response=list[MergeOut],
    tags=["reviews"],
    summary="Records merged into a person that can still be split off",
)
def person_merges_list(
    request: HttpRequest, workspace: str, person_id: int
) -> QuerySet[PersonMerge]:
    person = person_get(workspace=workspace_of(request, workspace), pk=person_id)
    return person_merges(person=person).select_related("kept")


@router.get(
    "/{workspace}/merges/{merge_id}",
    response=MergeOut,
    tags=["reviews"],
    summary="A merge of two records",
)
def merge_detail(request: HttpRequest, workspace: str, merge_id: int) -> PersonMerge:
    return merge_get(workspace=workspace_of(request, workspace), pk=merge_id)


@router.post(
    "/{workspace}/merges/{merge_id}/split",
    response={201: PersonOut},
    tags=["reviews"],
    summary="Split a merge: the dropped person comes back",
)
def merge_split(request: HttpRequest, workspace: str, merge_id: int) -> Status[Person]:
    """Identities, touches and connections they brought return with them; the two are kept
    apart from then on."""
    merge = merge_get(workspace=workspace_of(request, workspace), pk=merge_id)
    return Status(201, person_unmerge(merge=merge, actor=caller(request)))
