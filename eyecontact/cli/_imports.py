"""``import`` reads export files; ``imports`` lists and undoes them; ``reviews`` decides
possible duplicates.

Each file is its own import, all or nothing: a file that cannot be read is reported, by file and
line, and the others are imported all the same; the command then exits with 2. Files are
imported in the order given, the next ones read in a second process while one is written.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from ._common import WorkspaceOption, command, console, echo_json, fail

__all__ = [
    "checked_path",
    "import_files",
    "imports",
    "imports_undo",
    "read_path",
    "reviews",
    "reviews_merge",
    "reviews_reject",
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

# What an import changed, in the order and words of the summary table.
COUNT_LABELS = (
    ("people_new", "New people"),
    ("people_matched", "Matched to people you had"),
    ("people_updated", "People updated"),
    ("reviews", "Possible duplicates to review"),
    ("reviews_held", "Possible duplicates held back"),
    ("identities", "Identities added"),
    ("connections_new", "Connections new"),
    ("connections_removed", "Connections removed"),
    ("touches_new", "Touches logged"),
    ("organizations_new", "Organisations, lists, rooms"),
)


def _moment(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat()


def _batch_json(batch: Any, path: str | None = None) -> dict[str, Any]:
    summary = {
        "id": batch.pk,
        "file_name": batch.file_name,
        "file_format": batch.file_format,
        "status": batch.status,
        "counts": batch.counts,
        "errors": batch.errors,
        "created_by": batch.created_by.email if batch.created_by else None,
        "created_at": _moment(batch.created_at),
        "finished_at": _moment(batch.finished_at),
        "undone_at": _moment(batch.undone_at),
    }
    return {"file": path, **summary} if path is not None else summary


class _TooLarge(OSError):
    """A file over the size Eye Contact imports, refused before it is read."""


def checked_path(path: Path) -> Path:
    """The path of a file to import, once it is known to be a file that can be read and is not
    too large; it is read later, as a stream. Raises OSError with a readable reason."""
    from eyecontact.imports.sources import upload_too_large

    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder, not a file")
    try:
        refusal = upload_too_large(path.stat().st_size)
        if refusal:  # refused before the file is read
            raise _TooLarge(f"{path}: {refusal}")
        with path.open("rb"):
            pass
    except _TooLarge:
        raise
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no such file") from None
    except PermissionError:
        raise PermissionError(f"{path}: not allowed to read it") from None
    except OSError as exc:
        raise OSError(f"{path}: {exc.strerror or exc}") from None
    return path


def read_path(path: Path) -> bytes:
    """The file's bytes; a path that cannot be read raises OSError with a readable reason."""
    checked_path(path)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OSError(f"{path}: {exc.strerror or exc}") from None


def _summary_table(path: Path, batch: Any) -> Table:
    counts = batch.counts
    table = Table(show_header=True)
    table.add_column(f"{path.name} ({batch.file_format}), import #{batch.pk}")
    table.add_column("", justify="right")
    for key, label in COUNT_LABELS:
        table.add_row(label, f"{counts.get(key, 0):,}")
    for reason, n in counts.get("skipped", {}).items():
        table.add_row(f"Skipped: {reason}", f"{n:,}")
    return table


@command
def import_files(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Export files or .zip export archives: LinkedIn, Facebook, X, vCard, Google "
            "or Outlook CSV, iCalendar.",
            show_default=False,
        ),
    ],
    accept_removals: Annotated[
        bool,
        typer.Option(
            "--accept-removals",
            help="Mark connections an export lacks as removed even when it lacks more than a "
            "fifth of those the last one listed (otherwise they are kept and the import says so).",
        ),
    ] = False,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """Import export files; the format is read from each file. Each file imports all or nothing."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.imports.services import import_files as import_uploads
    from eyecontact.imports.services import removals_held_text

    space = workspace_find(key=workspace)
    summaries: list[dict[str, Any]] = [{} for _ in files]
    failed = False
    readable: list[tuple[int, Path]] = []
    for position, path in enumerate(files):
        try:
            readable.append((position, checked_path(path)))
        except OSError as exc:
            typer.echo(f"error: {exc}", err=True)
            summaries[position] = {"file": str(path), "status": "unreadable", "errors": [str(exc)]}
            failed = True
    # One bar per file, on standard error, gone before the file's summary is printed.
    bars: list[tuple[Progress, Any]] = []

    def progress(file_name: str) -> Callable[[int, int], None]:
        bar = _progress(disabled=as_json)
        bar.start()
        task = bar.add_task(f"Importing {file_name}", total=None)
        bars.append((bar, task))
        return _advance(bar, task)

    # The files are imported one after another, the next read meanwhile (see import_files).
    batches = import_uploads(
        workspace=space,
        uploads=[(path.name, path) for _, path in readable],
        progress=progress,
        accept_removals=accept_removals,
    )
    try:
        with closing(batches):
            for (position, path), batch in zip(readable, batches, strict=True):
                bar, task = bars.pop()
                if batch.status == batch.Status.FAILED:
                    bar.remove_task(task)
                bar.stop()
                summaries[position] = _batch_json(batch, str(path))
                if batch.status == batch.Status.FAILED:
                    for line in batch.errors or [f"{path.name}: the import failed"]:
                        typer.echo(f"error: {line}", err=True)
                    failed = True
                elif not as_json:
                    console().print(_summary_table(path, batch))
                    for notice in batch.counts.get("notices", []):
                        typer.echo(f"note: {notice}", err=True)
                for held in (batch.counts or {}).get("removals_held", []):
                    typer.echo(
                        f"warning: {path.name}: {removals_held_text(held)} If they really are "
                        "gone, import the file again with --accept-removals.",
                        err=True,
                    )
    finally:
        for bar, _ in bars:
            bar.stop()
    if as_json:
        echo_json(summaries)
    if failed:
        raise typer.Exit(2)


def _progress(*, disabled: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=Console(file=sys.stderr, highlight=False),
        disable=disabled,
    )


def _advance(progress: Progress, task: Any) -> Callable[[int, int], None]:
    def step(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return step


imports = typer.Typer(
    help="Imported files: list them, undo one.", invoke_without_command=True, no_args_is_help=False
)


@imports.callback()
@command
def imports_list(
    ctx: typer.Context,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """List imported files, newest first, with what each added; `imports undo ID` takes one back."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = workspace  # `imports -w W undo ID` means the same as `imports undo ID -w W`
        return
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.imports.selectors import batches_list

    space = workspace_find(key=workspace)
    batches = list(batches_list(workspace=space))
    if as_json:
        echo_json([_batch_json(batch) for batch in batches])
        return
    if not batches:
        typer.echo(f"Nothing imported into {space.name} yet.")
        return
    table = Table(title=f"{space.name}: {len(batches)} imports", title_justify="left")
    for heading in ("ID", "File", "Format", "Status", "When"):
        table.add_column(heading)
    for heading in ("New people", "Matched", "Connections", "Touches"):
        table.add_column(heading, justify="right")
    for batch in batches:
        counts = batch.counts
        table.add_row(
            str(batch.pk),
            batch.file_name,
            batch.file_format,
            batch.get_status_display(),
            f"{batch.created_at:%Y-%m-%d %H:%M}",
            str(counts.get("people_new", "")),
            str(counts.get("people_matched", "")),
            str(counts.get("connections_new", "")),
            str(counts.get("touches_new", "")),
        )
    console().print(table)


@imports.command("undo")
@command
def imports_undo(
    ctx: typer.Context,
    batch_id: Annotated[int, typer.Argument(metavar="ID", help="The import's id.")],
    workspace: WorkspaceOption = "",
) -> None:
    """Undo an import: take back the people, identities, connections and touches it added."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.imports.selectors import batch_get
    from eyecontact.imports.services import batch_undo

    space = workspace_find(key=workspace or ctx.obj or "")
    try:
        batch = batch_get(workspace=space, pk=batch_id)
    except Http404:
        raise fail(f"No import #{batch_id} in {space.name}.", 1) from None
    try:
        batch_undo(batch=batch)
    except ValueError as exc:
        raise ValidationError({"id": str(exc)}) from exc
    typer.echo(f"Undid import #{batch.pk} ({batch.file_name}).")


reviews = typer.Typer(
    help="Possible duplicates: list them, merge or keep apart.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _side(person: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.display_name,
        "organization": person.organization,
        "title": person.title,
        "city": person.city,
        "touches": person.touch_count,
    }


def _label(person: Any) -> str:
    details = ", ".join(part for part in (person.organization, person.city) if part)
    return f"#{person.pk} {person.display_name}" + (f" ({details})" if details else "")


@reviews.callback()
@command
def reviews_list(
    ctx: typer.Context,
    as_json: JsonOption = False,
    held: Annotated[
        bool, typer.Option("--held", help="List those held back, less likely, instead.")
    ] = False,
    workspace: WorkspaceOption = "",
) -> None:
    """List possible duplicates waiting for a decision, likeliest first."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = workspace
        return
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.people.selectors import reviews_held_count, reviews_open

    space = workspace_find(key=workspace)
    found = list(reviews_open(workspace=space, held=held))
    if as_json:
        echo_json(
            [
                {
                    "id": review.pk,
                    "score": round(review.score, 4),
                    "evidence": [str(e) for e in review.evidence],
                    "source_batch_id": review.source_batch_id,
                    "person_a": _side(review.person_a),
                    "person_b": _side(review.person_b),
                }
                for review in found
            ]
        )
        return
    if not found:
        what = "are held back" if held else "wait for a decision"
        typer.echo(f"No possible duplicates in {space.name} {what}.")
        return
    title = f"{space.name}: {len(found)} possible duplicates" + (", held back" if held else "")
    table = Table(title=title, title_justify="left")
    table.add_column("ID")
    table.add_column("Score", justify="right")
    table.add_column("One")
    table.add_column("The other")
    table.add_column("Why")
    for review in found:
        table.add_row(
            str(review.pk),
            f"{review.score:.2f}",
            _label(review.person_a),
            _label(review.person_b),
            "; ".join(str(e) for e in review.evidence),
        )
    table.caption = "`reviews merge ID` if they are one person, `reviews reject ID` if not."
    more = 0 if held else reviews_held_count(workspace=space)
    if more:
        table.caption += (
            f" {more:,} more, less likely, are held back and come up as these are decided"
            " (`reviews --held` lists them)."
        )
    console().print(table)


def _review(ctx: typer.Context, workspace: str, review_id: int) -> Any:
    from django.http import Http404

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.people.selectors import review_get

    space = workspace_find(key=workspace or ctx.obj or "")
    try:
        return review_get(workspace=space, pk=review_id)
    except Http404:
        raise fail(f"No possible duplicate #{review_id} in {space.name}.", 1) from None


ReviewId = Annotated[int, typer.Argument(metavar="ID", help="The review's id.")]


@reviews.command("merge")
@command
def reviews_merge(
    ctx: typer.Context,
    review_id: ReviewId,
    keep: Annotated[
        int | None,
        typer.Option(
            help="Id of the person to keep, one of the two; the better known if left out."
        ),
    ] = None,
    workspace: WorkspaceOption = "",
) -> None:
    """They are one person: merge the two (a merge can be split again)."""
    from eyecontact.people.services import review_merge

    review = _review(ctx, workspace, review_id)
    person = review_merge(review=review, keep_id=keep)
    typer.echo(f"Merged into {_label(person)}.")


@reviews.command("reject")
@command
def reviews_reject(
    ctx: typer.Context, review_id: ReviewId, workspace: WorkspaceOption = ""
) -> None:
    """They are different people: keep them apart, in every later import too."""
    from eyecontact.people.services import review_reject

    review = _review(ctx, workspace, review_id)
    review_reject(review=review)
    typer.echo(f"Kept {_label(review.person_a)} and {_label(review.person_b)} apart.")
