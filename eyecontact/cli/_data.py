"""``demo`` builds the demo network; ``export`` and ``restore`` move a workspace as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from ._common import WorkspaceOption, command

__all__ = ["demo", "export", "restore"]


@command
def demo(
    people: Annotated[int, typer.Option(min=0, help="How many people.")] = 2000,
    seed: Annotated[int, typer.Option(help="The same seed gives the same network.")] = 2026,
    workspace: Annotated[str, typer.Option(help="Name of the new workspace.")] = "Demo network",
    touches: Annotated[
        int | None, typer.Option(min=0, help="How many touches; ten per person by default.")
    ] = None,
    until: Annotated[
        str, typer.Option(help="Last day of the ten years, like 2026-06-30; default today.")
    ] = "",
) -> None:
    """Build a demo workspace: a consultant's network over ten years, owned by the demo user."""
    from django.core.exceptions import ValidationError

    from eyecontact.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_build, demo_user_ensure

    last_day = None
    if until.strip():
        try:
            last_day = dt.date.fromisoformat(until.strip())
        except ValueError as exc:
            raise ValidationError({"until": f"Not a date: {until!r} (use 2026-06-30)."}) from exc
    started = time.monotonic()
    owner, created = demo_user_ensure()
    space = demo_build(
        people=people,
        seed=seed,
        workspace_name=workspace,
        touches=touches,
        owner=owner,
        until=last_day,
    )
    counts = _counts(space)
    typer.echo(
        f"Built {space.name!r} ({space.slug}): {counts['people']:,} people, "
        f"{counts['touches']:,} touches, {counts['events']:,} events "
        f"in {time.monotonic() - started:.1f} s."
    )
    password = DEMO_PASSWORD if created else "(unchanged)"
    typer.echo(f"Log in as {DEMO_EMAIL}, password {password}")


def _counts(space: Any) -> dict[str, int]:
    from eyecontact.events.selectors import events_list
    from eyecontact.people.selectors import people_list, touches_list

    return {
        "people": people_list(workspace=space).count(),
        "touches": touches_list(workspace=space).count(),
        "events": events_list(workspace=space).count(),
    }


@command
def export(
    out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="File to write; standard output if none.")
    ] = None,
    workspace: WorkspaceOption = "",
) -> None:
    """Write a workspace as one JSON file: everything in it, to restore here or elsewhere."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.portability import workspace_export

    space = workspace_find(key=workspace)
    if out is None:
        workspace_export(workspace=space, out=sys.stdout)
        return
    # Written beside the target and moved into place, so a failed export leaves no half file.
    handle, partial = tempfile.mkstemp(prefix=".eyecontact-", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            counts = workspace_export(workspace=space, out=stream)
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    typer.echo(
        f"Exported {space.name!r} to {out}: {counts['people']:,} people, "
        f"{counts['touches']:,} touches.",
        err=True,
    )


@command
def restore(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="An export file.")],
    workspace_name: Annotated[
        str, typer.Option(help="Name of the new workspace; the exported name by default.")
    ] = "",
    owner: Annotated[
        str, typer.Option(help="E-mail of the user who will own it; needed with several users.")
    ] = "",
) -> None:
    """Restore an export into a new workspace; all or nothing."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import user_find
    from eyecontact.portability import workspace_restore

    try:
        with file.open(encoding="utf-8") as stream:
            data = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            {"file": f"{file} is not an Eye Contact workspace export (not JSON: {exc})."}
        ) from exc
    user = user_find(email=owner)
    result = workspace_restore(data=data, owner=user, workspace_name=workspace_name)
    space = result.workspace
    typer.echo(
        f"Restored {space.name!r} ({space.slug}) for {user.email}: "
        f"{result.counts['people']:,} people, {result.counts['touches']:,} touches."
    )
    if result.unknown_users:
        typer.echo(
            "note: no account here for "
            + ", ".join(result.unknown_users)
            + "; their rows are kept without them.",
            err=True,
        )
