"""Keeping in touch from a terminal: who is ``fading``, the ``reminders`` due soon, whom to meet
at an event (``plan``) and the event's attendee list (``attendees import``).

The lists are computed by :mod:`eyecontact.insights.selectors` and
:mod:`eyecontact.insights.plan` when read; these commands only print them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ._common import WorkspaceOption, command, console, echo_json, fail
from ._imports import read_path

__all__ = ["attendees", "fading", "plan", "reminders"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
EventArgument = Annotated[str, typer.Argument(metavar="EVENT", help="The event's name or id.")]


def _person(person: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.display_name,
        "organization": person.organization,
        "title": person.title,
    }


@command
def fading(as_json: JsonOption = False, workspace: WorkspaceOption = "") -> None:
    """People fading: past their cadence since you last met in person or by phone."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.insights.selectors import fading_list

    space = workspace_find(key=workspace)
    found = fading_list(workspace=space)
    if as_json:
        echo_json(
            [
                {
                    "person": _person(f.person),
                    "cadence_days": f.cadence_days,
                    "last_high_touch": (
                        f.last_high_touch.isoformat() if f.last_high_touch else None
                    ),
                    "due_on": f.due_on.isoformat(),
                    "overdue_days": f.overdue_days,
                    "strength": f.strength.score,
                    "strength_explanation": f.strength.explanation,
                    "why": f.why,
                }
                for f in found
            ]
        )
        return
    if not found:
        typer.echo(f"Nobody in {space.name} is fading.")
        return
    table = Table(title=f"{space.name}: {len(found)} fading", title_justify="left")
    table.add_column("Name")
    table.add_column("Due")
    table.add_column("Overdue", justify="right")
    table.add_column("Strength", justify="right")
    table.add_column("Why")
    for f in found:
        table.add_row(
            f.person.display_name,
            f.due_on.isoformat(),
            f"{f.overdue_days} days",
            f"{f.strength.score:.1f}",
            f.why,
        )
    console().print(table)


@command
def reminders(
    days: Annotated[int, typer.Option(min=0, max=90, help="Due within this many days.")] = 7,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """Whom to contact soon, and why: overdue first, then by due day and strength."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.insights.selectors import reminders_list

    space = workspace_find(key=workspace)
    found = reminders_list(workspace=space, horizon_days=days)
    if as_json:
        echo_json(
            [
                {
                    "person": _person(r.person),
                    "due_on": r.due_on.isoformat(),
                    "overdue": r.overdue,
                    "why": r.why,
                    "strength": r.strength,
                }
                for r in found
            ]
        )
        return
    if not found:
        typer.echo(f"Nobody in {space.name} is due within {days} days.")
        return
    table = Table(title=f"{space.name}: {len(found)} to contact", title_justify="left")
    table.add_column("Due")
    table.add_column("Name")
    table.add_column("Strength", justify="right")
    table.add_column("Why")
    for r in found:
        table.add_row(
            f"{r.due_on.isoformat()}{' (overdue)' if r.overdue else ''}",
            r.person.display_name,
            f"{r.strength:.1f}",
            r.why,
        )
    console().print(table)


@command
def plan(
    event: EventArgument, as_json: JsonOption = False, workspace: WorkspaceOption = ""
) -> None:
    """Whom to meet at an event, from its attendee list: turn online into real, renew, say hello."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.events.selectors import event_find
    from eyecontact.insights.models import PlanItem
    from eyecontact.insights.plan import plan_suggestions

    space = workspace_find(key=workspace)
    gathering = event_find(workspace=space, key=event)
    groups = plan_suggestions(event=gathering)
    if as_json:
        echo_json(
            {
                "event": {
                    "id": gathering.pk,
                    "name": gathering.name,
                    "starts_on": gathering.starts_on.isoformat(),
                    "ends_on": gathering.ends_on.isoformat(),
                },
                "groups": {
                    group: [
                        {
                            "person": _person(s.person),
                            "why": s.reason,
                            "strength": s.strength,
                            "picked": s.picked,
                        }
                        for s in suggestions
                    ]
                    for group, suggestions in groups.items()
                },
            }
        )
        return
    if not any(groups.values()):
        typer.echo(
            f"Nobody you know is on the attendee list of {gathering.name}; "
            "`eyecontact attendees import` reads one."
        )
        return
    out = console()
    for group, label in PlanItem.Group.choices:
        suggestions = groups.get(group, [])
        if not suggestions:
            continue
        table = Table(title=f"{gathering.name}: {label.lower()}", title_justify="left")
        table.add_column("Name")
        table.add_column("Organization")
        table.add_column("Strength", justify="right")
        table.add_column("Why")
        for s in suggestions:
            table.add_row(
                s.person.display_name + (" (in plan)" if s.picked else ""),
                s.person.organization,
                f"{s.strength:.1f}",
                s.reason,
            )
        out.print(table)


attendees = typer.Typer(help="An event's attendee list.", no_args_is_help=True)


@attendees.command("import")
@command
def attendees_import(
    event: EventArgument,
    file: Annotated[
        Path, typer.Argument(help="The organiser's CSV: a Name column, maybe Company, E-mail.")
    ],
    workspace: WorkspaceOption = "",
) -> None:
    """Read an event's attendee list and link the attendees to the people you know."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.events.attendees import attendees_import as read_attendees
    from eyecontact.events.selectors import event_find

    space = workspace_find(key=workspace)
    gathering = event_find(workspace=space, key=event)
    try:
        data = read_path(file)
    except OSError as exc:
        raise fail(str(exc)) from None
    report = read_attendees(event=gathering, file_name=file.name, data=data)
    skipped = f", {report.skipped:,} rows without a name skipped" if report.skipped else ""
    typer.echo(
        f"Read {file.name} into {gathering.name}: {report.added:,} attendees added, "
        f"{report.updated:,} updated{skipped}; {report.known:,} of them are people you know."
    )
