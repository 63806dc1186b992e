"""``exhibit report`` sets what a booth cost against the people it reached; ``exhibit leads``
writes the people met there as CSV or vCard for a CRM.

The figures come from :func:`eyecontact.events.exhibits.exhibit_report`; an exhibit is named by
its id, its name, or the event it was at.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ._common import WorkspaceOption, command, console, echo_json

__all__ = ["exhibit"]

ExhibitArgument = Annotated[
    str,
    typer.Argument(metavar="EXHIBIT", help="The exhibit's id or name, or its event's name."),
]
LEAD_FORMATS = ("csv", "vcard")

exhibit = typer.Typer(help="Exhibits: what a booth cost and whom it reached.", no_args_is_help=True)


def _money(currency: str, amount: str | None) -> str:
    return "–" if amount is None else f"{currency} {amount}"


@exhibit.command("report")
@command
def exhibit_report(
    key: ExhibitArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    workspace: WorkspaceOption = "",
) -> None:
    """What an exhibit cost per entrant and per conversation, beside the published figures,
    and what its conversations became."""
    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.events.exhibits import captures_resolve_waiting
    from eyecontact.events.exhibits import exhibit_report as report_of
    from eyecontact.events.selectors import exhibit_find

    space = workspace_find(key=workspace)
    found = exhibit_find(workspace=space, key=key)
    # Captures the server has not matched yet (it stopped, or is busy) are matched here first.
    captures_resolve_waiting(exhibit=found, limit=None)
    report = report_of(exhibit=found).as_dict()
    if as_json:
        echo_json(report)
        return
    _print_report(report)


def _print_report(report: dict[str, Any]) -> None:
    currency = report["currency"]
    # The published figures are in US dollars, whatever the booth was paid in.
    published = "USD"
    table = Table(
        title=f"{report['exhibit']} at {report['event']}", title_justify="left", show_header=False
    )
    table.add_column("")
    table.add_column("", justify="right")
    table.add_column("", style="dim")
    rows: list[tuple[str, str, str]] = [
        ("Cost", _money(currency, report["cost"]), ""),
        ("Entrants", f"{report['entrants']:,}", ""),
        ("Conversations", f"{report['conversations']:,}", ""),
        (
            "Cost per entrant",
            _money(currency, report["cost_per_entrant"]),
            f"published: {_money(published, report['published_cost_per_entrant'])}",
        ),
        (
            "Cost per conversation",
            _money(currency, report["cost_per_conversation"]),
            f"published: {_money(published, report['published_cost_per_conversation'])}",
        ),
        ("Followed up within 30 days", f"{report['followed_up_within_30_days']:,}", ""),
        ("Followed up within 90 days", f"{report['followed_up_within_90_days']:,}", ""),
        ("Connected within 30 days", f"{report['connected_within_30_days']:,}", ""),
        ("Connected within 90 days", f"{report['connected_within_90_days']:,}", ""),
        ("Relationships that lasted past 90 days", f"{report['lasting_relationships']:,}", ""),
        (
            "Cost per lasting relationship",
            _money(currency, report["cost_per_lasting_relationship"]),
            "",
        ),
    ]
    for label, value, note in rows:
        table.add_row(label, value, note)
    out = console()
    out.print(table)
    if report["by_staff"]:
        staff = Table(title="Conversations by staff member", title_justify="left")
        staff.add_column("Staff")
        staff.add_column("Conversations", justify="right")
        for email, n in report["by_staff"].items():
            staff.add_row(email, f"{n:,}")
        out.print(staff)


@exhibit.command("leads")
@command
def exhibit_leads(
    key: ExhibitArgument,
    output_format: Annotated[str, typer.Option("--format", help="csv or vcard.")] = "csv",
    out: Annotated[
        Path | None, typer.Option(dir_okay=False, help="File to write; standard output if none.")
    ] = None,
    workspace: WorkspaceOption = "",
) -> None:
    """Write the people met at an exhibit as CSV (for any CRM) or vCard."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.events.exhibits import leads_csv, leads_vcard
    from eyecontact.events.selectors import exhibit_find

    output_format = output_format.strip().lower()
    if output_format not in LEAD_FORMATS:
        raise ValidationError({"format": f"Use one of: {', '.join(LEAD_FORMATS)}."})
    space = workspace_find(key=workspace)
    booth = exhibit_find(workspace=space, key=key)
    text = (
        "".join(leads_csv(exhibit=booth)) if output_format == "csv" else leads_vcard(exhibit=booth)
    )
    if out is None:
        typer.echo(text, nl=False)
        return
    # Written beside the target and moved into place, so a failed write leaves no half file.
    try:
        handle, partial = tempfile.mkstemp(prefix=".eyecontact-", dir=out.parent)
    except OSError as exc:
        raise ValidationError({"out": f"{out}: {exc.strerror or exc}"}) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    typer.echo(f"Wrote the leads of {booth.name} at {booth.event.name} to {out}.", err=True)
