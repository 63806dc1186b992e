"""Importing export files into a workspace, and undoing an import.

An import runs in two phases, like every importer here: the pure parsers read the whole file
(or every file of an export archive) first, so a malformed file fails before anything is
written; then the loader writes everything in one transaction. The :class:`ImportBatch` row is
kept either way, so the user sees what was imported, what was skipped and why, or what was
wrong with the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable, Generator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.common.bulk import roomy_page_cache
from eyecontact.common.locks import IMPORT_WAIT_S, lock_wait
from eyecontact.networks.snapshots import churn_recompute, snapshot_record, snapshots_forget_batch
from eyecontact.people.choices import Source
from eyecontact.people.models import Identity, Person, PersonMerge
from eyecontact.people.services import (
    batch_forget,
    batch_touches_forget,
    connections_restore_removed,
    identities_bulk_hand_over,
    people_restore_imported,
    person_create,
    person_split_row,
    person_unmerge,
)

from .loading import ImportSession, Owner, collector_paused, load_results, mark_removed
from .models import ImportBatch, Organization, SourceRecord
from .sources import ImportFileError, ParseResult, ReadAhead, parse_export
from .sources.reading import ZIP_MAGIC

__all__ = [
    "NOTHING_HELD",
    "REMOVALS_HELD",
    "ZIP_MAGIC",
    "ImportFailed",
    "Upload",
    "batch_create",
    "batch_undo",
    "import_file",
    "import_files",
    "removals_accept",
    "removals_held_text",
    "source_record_split",
]

logger = logging.getLogger(__name__)

REMOVALS_HELD = (
    "This export lacks {missing} of the {listed_before} {label} the last one listed ({share}%). "
    "They were not marked as removed: an export cut short or filtered is far likelier than "
    "that many removals. Everything else was imported."
)
NOTHING_HELD = "This import has no removals waiting to be confirmed."

Progress = Callable[[int, int], None]
# An uploaded file: its bytes, or the path of the file that holds it (a web upload spooled to
# disk, a file named on the command line), read as a stream (see :mod:`.sources.reading`).
Upload = bytes | os.PathLike[str]
# What reads an upload that another process may have read already.
Parsed = Callable[[], tuple[ParseResult, ...]]


class ImportFailed(Exception):
    """A file that could not be imported; ``batch`` records why, and nothing else was written."""

    def __init__(self, batch: ImportBatch) -> None:
        self.batch = batch
        super().__init__("; ".join(batch.errors) or "the import failed")


def _owner(workspace: Workspace, results: Sequence[ParseResult]) -> Owner:
    owner = Owner()
    region = workspace.default_region
    for email in workspace.members.values_list("email", flat=True):
        owner.add("email", email, region)
    for result in results:
        info = result.owner
        if info is None:
            continue
        for email in info.emails:
            owner.add("email", email, region)
        if info.x_account_id:
            owner.add("x", f"id:{info.x_account_id}", region)
        if info.x_handle:
            owner.add("x", info.x_handle, region)
        if info.linkedin_url:
            owner.add("linkedin", info.linkedin_url, region)
    return owner


def _sha256(data: Upload) -> str:
    """The SHA-256 of an upload, read a megabyte at a time when it is a file."""
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with Path(data).open("rb") as upload:
        while chunk := upload.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def batch_create(
    *, workspace: Workspace, file_name: str, data: Upload, actor: User | None = None
) -> ImportBatch:
    """An import waiting to run, so a page can follow it while it runs in the background."""
    return ImportBatch.objects.create(
        workspace=workspace,
        file_name=file_name[:255],
        sha256=_sha256(data),
        status=ImportBatch.Status.PENDING,
        created_by=actor,
    )


def import_file(
    *,
    workspace: Workspace,
    file_name: str,
    data: Upload,
    actor: User | None = None,
    until: dt.datetime | None = None,
    owner_emails: Sequence[str] = (),
    progress: Progress | None = None,
    batch: ImportBatch | None = None,
    accept_removals: bool = False,
) -> ImportBatch:
    """Imports one export file or export archive; raises :class:`ImportFailed` on a bad file.

    Importing the same file again changes nothing; a newer export of the same source adds
    what is new, updates what changed and marks connections that are gone. When it lacks
    more than a fifth of the connections the last one listed, none is marked gone unless
    ``accept_removals``: the batch's ``counts["removals_held"]`` says which lists wait, and
    :func:`removals_accept` marks them later.
    """
    # A big file is millions of small objects (records, rows, matching features) that live
    # until the import ends, and reference counting frees them all: the cycle collector would
    # only walk them again and again. It resumes once they are freed, as ``_import`` returns;
    # resumed while they lived, its first pass would walk every one of them. On SQLite, an
    # import started while another is written waits for it (see eyecontact.common.locks).
    with collector_paused(), lock_wait(IMPORT_WAIT_S):
        return _import(
            workspace=workspace,
            file_name=file_name,
            data=data,
            actor=actor,
            until=until,
            owner_emails=owner_emails,
            progress=progress,
            batch=batch,
            accept_removals=accept_removals,
        )


def import_files(
    *,
    workspace: Workspace,
    uploads: Sequence[tuple[str, Upload]],
    actor: User | None = None,
    until: dt.datetime | None = None,
    owner_emails: Sequence[str] = (),
    progress: Callable[[str], Progress | None] | None = None,
    accept_removals: bool = False,
) -> Generator[ImportBatch, None, None]:
    """Imports several export files or archives (name and bytes each), one after another.

    Each is an import of its own, all or nothing, exactly as :func:`import_file` would make it,
    in the order given; while one is written, the next is read in a second process (see
    :mod:`.sources.reading`), and the index of the people already known is carried from one
    upload to the next (see :class:`~.loading.ImportSession`). Yields each upload's batch as it
    ends, a failed one too: its status says so and its errors say why. ``progress(name)``,
    called as an upload's import begins, gives what follows that import's progress.
    """
    member_emails = list(workspace.members.values_list("email", flat=True))
    session = ImportSession()
    with ReadAhead(uploads, until=until, owner_emails=[*owner_emails, *member_emails]) as reader:
        for position, (file_name, data) in enumerate(uploads):
            try:
                with collector_paused(), lock_wait(IMPORT_WAIT_S):  # as in import_file
                    batch = _import(
                        workspace=workspace,
                        file_name=file_name,
                        data=data,
                        actor=actor,
                        until=until,
                        owner_emails=owner_emails,
                        progress=progress(file_name) if progress else None,
                        batch=None,
                        parsed=partial(reader.parsed, position),
                        session=session,
                        accept_removals=accept_removals,
                    )
            except ImportFailed as failure:
                batch = failure.batch
            yield batch


def _import(
    *,
    workspace: Workspace,
    file_name: str,
    data: Upload,
    actor: User | None,
    until: dt.datetime | None,
    owner_emails: Sequence[str],
    progress: Progress | None,
    batch: ImportBatch | None,
    parsed: Parsed | None = None,
    session: ImportSession | None = None,
    accept_removals: bool = False,
) -> ImportBatch:
    if batch is None:
        batch = ImportBatch.objects.create(
            workspace=workspace,
            file_name=file_name[:255],
            sha256=_sha256(data),
            status=ImportBatch.Status.RUNNING,
            created_by=actor,
        )
    else:
        batch.status = ImportBatch.Status.RUNNING
        batch.save(update_fields=["status"])
    try:
        if parsed is None:
            member_emails = list(workspace.members.values_list("email", flat=True))
            results = parse_export(
                file_name, data, until=until, owner_emails=[*owner_emails, *member_emails]
            )
        else:
            results = parsed()
    except ImportFileError as exc:
        return _fail(batch, [str(exc)])
    batch.file_format = "+".join(sorted({r.format for r in results}))[:20]
    try:
        with transaction.atomic(), roomy_page_cache():
            owner = _owner(workspace, results)
            for email in owner_emails:
                owner.add("email", email, workspace.default_region)
            report = load_results(
                workspace=workspace,
                batch=batch,
                results=results,
                owner=owner,
                progress=progress,
                session=session,
                accept_removals=accept_removals,
            )
            batch.counts = {"files": [r.file_name for r in results], **report.as_dict()}
            batch.status = ImportBatch.Status.DONE
            batch.finished_at = timezone.now()
            batch.save()
            audit_record(
                workspace=workspace,
                actor=actor,
                action="import",
                subject=batch.file_name,
                details={"batch": batch.pk, **report.as_dict()},
            )
    except Exception:
        logger.exception("Import of %s failed", file_name)
        return _fail(
            batch,
            [f"{file_name}: the import stopped on an unexpected problem; nothing was changed"],
        )
    return batch


@transaction.atomic
def removals_accept(*, batch: ImportBatch, actor: User | None = None) -> int:
    """Marks removed the connections an import's export lacked and held back for the user to
    confirm (see :func:`import_file`); the X lists it held are recorded as they were.

    A row that a later import listed again stays. Returns how many connections were marked.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    held: list[dict[str, Any]] = batch.restore.get("held_removals", [])
    if batch.status != ImportBatch.Status.DONE or not held:
        raise ValueError(NOTHING_HELD)
    workspace = batch.workspace
    removed = 0
    lists = 0
    for waiting in held:
        rows = [(pk, person) for pk, person in waiting["rows"]]
        listed_again = set(
            SourceRecord.objects.filter(
                pk__in=[pk for pk, _ in rows], last_batch_id__gt=batch.pk
            ).values_list("pk", flat=True)
        )
        on = dt.date.fromisoformat(waiting["on"])
        removed += mark_removed(
            workspace=workspace,
            batch=batch,
            network=waiting["network"],
            kind=waiting["kind"],
            rows=[row for row in rows if row[0] not in listed_again],
            on=on,
        )
        if "account_ids" in waiting:
            snapshot_record(
                workspace=workspace,
                kind=waiting["kind"],
                taken_on=on,
                account_ids=waiting["account_ids"],
                batch_id=batch.pk,
                recompute=False,
            )
            lists += 1
    if lists:
        churn_recompute(workspace=workspace)
    del batch.restore["held_removals"]
    counts = dict(batch.counts)
    counts["connections_removed"] = counts.get("connections_removed", 0) + removed
    counts["follow_lists"] = counts.get("follow_lists", 0) + lists
    counts["removals_accepted"] = counts.pop("removals_held", [])
    batch.counts = counts
    batch.save(update_fields=["restore", "counts"])
    audit_record(
        workspace=workspace,
        actor=actor,
        action="import.accept_removals",
        subject=batch.file_name,
        details={"batch": batch.pk, "connections_removed": removed},
    )
    return removed


def removals_held_text(held: dict[str, Any]) -> str:
    """What the user reads about a list whose removals wait for them."""
    share = round(100 * held["missing"] / held["listed_before"]) if held["listed_before"] else 100
    return REMOVALS_HELD.format(
        missing=held["missing"],
        listed_before=held["listed_before"],
        label=held["label"],
        share=share,
    )


def _fail(batch: ImportBatch, errors: list[str]) -> ImportBatch:
    batch.status = ImportBatch.Status.FAILED
    batch.errors = errors
    batch.finished_at = timezone.now()
    batch.save()
    raise ImportFailed(batch)


@transaction.atomic
def batch_undo(*, batch: ImportBatch, actor: User | None = None) -> ImportBatch:
    """Takes back everything an import added: its people, identities, connections, touches,
    and the connections it marked removed are live again.

    People it created are removed unless something else (a later import, the user) has since
    given them touches, identities or connections; then they stay with those. What it changed
    on people it did not create is put back: its merges are split again, and a name or a detail
    it brought returns to what it was, unless the user has changed it since.
    """
    if batch.status != ImportBatch.Status.DONE:
        raise ValueError(f"Only a finished import can be undone; this one is {batch.status}.")
    workspace = batch.workspace
    _undo_merges(batch, actor)
    people_restore_imported(
        workspace=workspace,
        names=batch.restore.get("names", {}),
        details=batch.restore.get("details", {}),
    )
    _undo_removals(batch)
    touched = batch_touches_forget(workspace=workspace, batch_id=batch.pk)
    # Organisations it brought go, unless touches of other imports or the user's link them.
    Organization.objects.filter(
        workspace=workspace, source_batch=batch, touches__isnull=True
    ).delete()
    identities_bulk_hand_over(identities=_identities_kept(batch))
    removed = batch_forget(workspace=workspace, batch_id=batch.pk, touched=touched)
    SourceRecord.objects.filter(workspace=workspace, first_batch=batch).delete()
    # Rows first seen earlier belong to the import that brought them.
    for row in SourceRecord.objects.filter(workspace=workspace, last_batch=batch):
        row.last_batch_id = row.first_batch_id
        row.save(update_fields=["last_batch"])
    snapshots_forget_batch(workspace=workspace, batch_id=batch.pk)
    batch.status = ImportBatch.Status.UNDONE
    batch.undone_at = timezone.now()
    batch.save(update_fields=["status", "undone_at"])
    audit_record(
        workspace=workspace,
        actor=actor,
        action="import.undo",
        subject=batch.file_name,
        details={"batch": batch.pk, "people_removed": removed},
    )
    return batch


def _undo_merges(batch: ImportBatch, actor: User | None) -> None:
    """Splits the merges the import made, latest first; the rows of each dropped person (its
    follower row, say) are theirs again."""
    merges = PersonMerge.objects.filter(
        workspace=batch.workspace, source_batch=batch, undone_at__isnull=True
    ).select_related("kept__workspace")
    for merge in merges.order_by("-pk"):
        restored = person_unmerge(merge=merge, actor=actor, remember=False)
        theirs = {tuple(pair) for pair in restored.identities.values_list("kind", "value")}
        rows = SourceRecord.objects.filter(person=merge.kept).exclude(first_batch=batch)
        for row in rows.only("pk", "data"):
            said = {tuple(pair) for pair in (row.data or {}).get("identities", [])}
            if said & theirs:
                row.person = restored
                row.save(update_fields=["person"])


def _identities_kept(batch: ImportBatch) -> list[tuple[int, int, str]]:
    """Identities the import wrote that a row of another import shows too: they stay, as that
    import's (id, batch id, source key).

    An account in both the follower and the following list is written once, by the list
    imported first; undoing that list leaves the account with the other list, and it must keep
    the id that other list knows it by, or importing the first list again makes it a second
    person with the same id.
    """
    written = Identity.objects.filter(workspace=batch.workspace, source_batch=batch)
    by_person: dict[int, dict[tuple[str, str], int]] = {}
    for pk, person_id, kind, value in written.values_list("pk", "person_id", "kind", "value"):
        by_person.setdefault(person_id, {})[(kind, value)] = pk
    kept: list[tuple[int, int, str]] = []
    ids = sorted(by_person)
    for start in range(0, len(ids), 900):
        rows = (
            SourceRecord.objects.filter(
                workspace=batch.workspace, person_id__in=ids[start : start + 900]
            )
            .exclude(first_batch=batch)
            .order_by("pk")
            .values_list("person_id", "source_format", "key", "first_batch_id", "data")
        )
        for person_id, source_format, key, first_batch_id, data in rows:
            mine = by_person[person_id]
            for pair in (data or {}).get("identities", []):
                shown = mine.pop((str(pair[0]), str(pair[1])), None)
                if shown is not None:
                    kept.append((shown, first_batch_id, f"{source_format}:{key}"[:300]))
    return kept


def _undo_removals(batch: ImportBatch) -> None:
    """Connections the import marked removed (a newer export lacked them) are live again."""
    noted: dict[str, list[int]] = batch.restore.get("removed", {})
    rows, connections = noted.get("rows", []), noted.get("connections", [])
    connections_restore_removed(workspace=batch.workspace, connection_ids=connections)
    for start in range(0, len(rows), 900):
        SourceRecord.objects.filter(
            workspace=batch.workspace, pk__in=rows[start : start + 900]
        ).update(missing_since=None)


@transaction.atomic
def source_record_split(*, record: SourceRecord, actor: User | None = None) -> Person:
    """Undoes an automatic match: the row becomes a person of its own again.

    The identities and connections that row brought move to the new person, and the two are
    remembered as different people, so later imports keep them apart.
    """
    person = record.person
    if person is None:
        raise ValueError("This row no longer belongs to anyone.")
    data = record.data or {}
    row_key = f"{record.source_format}:{record.key}"[:300]
    split = person_create(
        workspace=record.workspace,
        display_name=data.get("name") or record.key,
        organization=data.get("organization", "")[:200],
        title=data.get("title", "")[:200],
        city=data.get("city", "")[:120],
        source=Source.IMPORT,
        source_key=row_key,
        actor=actor,
    )
    person_split_row(person=person, split=split, source_key=row_key)
    record.person = split
    record.decision = SourceRecord.Decision.SPLIT
    record.save(update_fields=["person", "decision"])
    audit_record(
        workspace=record.workspace,
        actor=actor,
        action="import.split",
        subject=f"{split.display_name} from {person.display_name}",
        details={"source_record": record.pk, "from": person.pk, "to": split.pk},
    )
    return split
