"""``vet`` shows whom of your connections you have met; ``screen`` answers it for a connection
request; ``churn`` shows who follows and unfollows you on X.

All three read what :mod:`eyecontact.networks.vetting` and :mod:`eyecontact.networks.snapshots`
compute; nothing here decides who was met.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any

import typer
from rich.table import Table

from ._common import WorkspaceOption, command, console, echo_json

__all__ = ["churn", "screen", "vet"]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
LimitOption = Annotated[int, typer.Option(min=1, help="Show at most this many.")]
NETWORKS = ("linkedin", "facebook", "x", "other")


def _share(count: int, total: int) -> str:
    return f"{count / total:.0%}" if total else "–"


@command
def vet(
    network: Annotated[str, typer.Option(help="linkedin, facebook, x or other.")] = "",
    never: Annotated[
        bool, typer.Option("--never", help="List the connections you have never met.")
    ] = False,
    sort: Annotated[
        str, typer.Option(help="With --never: name, organization, -connected, connected, -ties.")
    ] = "name",
    limit: LimitOption = 50,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """Whom of your connections have you met, before or after connecting, or never."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.networks.vetting import VETTING_SORTS, Status

    network = network.strip().lower()
    if network and network not in NETWORKS:
        raise ValidationError({"network": f"Use one of: {', '.join(NETWORKS)}."})
    if sort not in VETTING_SORTS:
        raise ValidationError({"sort": f"Use one of: {', '.join(VETTING_SORTS)}."})
    space = workspace_find(key=workspace)
    if never:
        _never(space, network, sort, limit, as_json)
        return
    from eyecontact.networks.vetting import vetting_summary, vetting_trend

    shares = [s for s in vetting_summary(workspace=space) if not network or s.network == network]
    trend = vetting_trend(workspace=space, network=network)
    if as_json:
        echo_json({"summary": [share.as_dict() for share in shares], "trend": trend})
        return
    if not shares:
        typer.echo(f"No connections in {space.name} yet; `eyecontact import` brings them in.")
        return
    out = console()
    for share in shares:
        table = Table(
            title=f"{share.label}: {share.total:,} connections", title_justify="left", min_width=48
        )
        table.add_column("")
        table.add_column("Connections", justify="right")
        table.add_column("Share", justify="right")
        for status in Status.ALL:
            count = share.counts.get(status, 0)
            table.add_row(Status.LABELS[status], f"{count:,}", _share(count, share.total))
        out.print(table)
    if trend:
        table = Table(title="By year connected", title_justify="left")
        table.add_column("Year")
        table.add_column("Connections", justify="right")
        for status in Status.ALL:
            table.add_column(Status.LABELS[status], justify="right")
        table.add_column("Met", justify="right")
        for year in trend:
            table.add_row(
                str(year["year"]),
                f"{year['total']:,}",
                *(f"{year[status]:,}" for status in Status.ALL),
                f"{year['met_share']:.0%}",
            )
        out.print(table)


def _never(space: Any, network: str, sort: str, limit: int, as_json: bool) -> None:
    from eyecontact.networks.vetting import Status, vetted_connections

    found = list(
        vetted_connections(workspace=space, network=network, status=Status.NEVER, sort=sort)[:limit]
    )
    if as_json:
        echo_json(
            [
                {
                    "connection_id": connection.pk,
                    "person_id": connection.person_id,
                    "name": connection.person.display_name,
                    "organization": connection.person.organization,
                    "title": connection.person.title,
                    "network": connection.network,
                    "connected_on": (
                        connection.connected_on.isoformat() if connection.connected_on else None
                    ),
                    "touches": connection.person.touch_count,
                }
                for connection in found
            ]
        )
        return
    if not found:
        typer.echo(f"You have met every connection in {space.name}.")
        return
    table = Table(title=f"{space.name}: connections never met", title_justify="left")
    table.add_column("Name")
    table.add_column("Organization")
    table.add_column("Network")
    table.add_column("Connected")
    table.add_column("Touches", justify="right")
    for connection in found:
        table.add_row(
            connection.person.display_name,
            connection.person.organization,
            connection.get_network_display(),
            connection.connected_on.isoformat() if connection.connected_on else "",
            str(connection.person.touch_count),
        )
    if len(found) == limit:
        table.caption = f"The first {limit}; --limit shows more."
    console().print(table)


@command
def screen(
    name: Annotated[str, typer.Argument(help="The name on the connection request.")] = "",
    org: Annotated[str, typer.Option(help="The organization or headline it shows.")] = "",
    url: Annotated[str, typer.Option(help="A profile URL, handle or e-mail.")] = "",
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """Screen a connection request: have you met this person? Exits 0 whatever the answer."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.networks.vetting import screen_request

    if not (name.strip() or url.strip()):
        raise ValidationError({"name": "Give the name on the request, or --url."})
    space = workspace_find(key=workspace)
    answer = screen_request(workspace=space, name=name, organization=org, url=url)
    if as_json:
        echo_json(answer.as_dict())
        return
    plain = answer.verdict.replace("_", " ").capitalize()
    verdict = answer.title if answer.known_online else plain
    person = answer.person
    typer.echo(f"{verdict}: #{person.pk} {person.display_name}" if person else verdict)
    typer.echo(answer.advice)
    if answer.touch is not None:
        label = "Last met" if answer.verdict == "met" else "Last touch"
        typer.echo(f"{label}: {_touch_words(answer.touch)}")
    candidates = [
        c for c in answer.candidates if answer.person is None or c.person != answer.person
    ]
    if candidates:
        table = Table(title="Who it might be", title_justify="left")
        table.add_column("Person")
        table.add_column("Score", justify="right")
        table.add_column("Why")
        table.add_column("Last met")
        for candidate in candidates:
            met = candidate.met
            table.add_row(
                f"#{candidate.person.pk} {candidate.person.display_name}"
                + (f" ({candidate.person.organization})" if candidate.person.organization else ""),
                f"{candidate.score:.2f}",
                "; ".join(candidate.evidence),
                _touch_words(met) if met is not None else "never",
            )
        console().print(table)


def _touch_words(touch: Any) -> str:
    """When, where and how: "2026-01-08, CES 2026, Las Vegas, in person"."""
    from django.utils import timezone

    parts = [timezone.localdate(touch.occurred_at).isoformat()]
    if touch.event is not None:
        parts.append(touch.event.name)
    if touch.where:
        parts.append(touch.where)
    parts.append(touch.get_channel_display().lower())
    return ", ".join(parts)


CHURN_LISTS = ("churners", "changes", "they_follow_only", "you_follow_only")


@command
def churn(
    which: Annotated[
        str,
        typer.Option(
            "--list", help="churners, changes, they_follow_only or you_follow_only.", metavar="LIST"
        ),
    ] = "",
    limit: LimitOption = 50,
    as_json: JsonOption = False,
    workspace: WorkspaceOption = "",
) -> None:
    """Follow churn on X: who followed, was followed back and left; and one-way follows."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import workspace_find

    which = which.strip().lower().replace("-", "_")
    if which and which not in CHURN_LISTS:
        raise ValidationError({"list": f"Use one of: {', '.join(CHURN_LISTS)}."})
    space = workspace_find(key=workspace)
    if which:
        _churn_list(space, which, limit, as_json)
        return
    _churn_summary(space, as_json)


def _churn_summary(space: Any, as_json: bool) -> None:
    from eyecontact.networks.snapshots import churn_summary

    summary = churn_summary(workspace=space)
    timeline = summary.timeline if summary is not None else []
    followers = next((p["followers"] for p in reversed(timeline) if p["followers"] is not None), 0)
    following = next((p["following"] for p in reversed(timeline) if p["following"] is not None), 0)
    figures = {
        "computed_at": summary.computed_at.isoformat() if summary else None,
        "follower_snapshots": summary.follower_snapshots if summary else 0,
        "following_snapshots": summary.following_snapshots if summary else 0,
        "followers": followers,
        "following": following,
        "followers_gained": sum(p["follower_gained"] for p in timeline),
        "followers_lost": sum(p["follower_lost"] for p in timeline),
        "changes": summary.changes if summary else 0,
        "churners": summary.churners if summary else 0,
        "one_way_known": summary.one_way_known if summary else False,
        "they_follow_only": summary.they_follow_only_count if summary else 0,
        "you_follow_only": summary.you_follow_only_count if summary else 0,
        "timeline": timeline,
    }
    if as_json:
        echo_json(figures)
        return
    if summary is None:
        typer.echo(
            f"No follower or following list from X in {space.name} yet; "
            "`eyecontact import` an X archive."
        )
        return
    table = Table(title=f"{space.name}: follow churn on X", title_justify="left", show_header=False)
    table.add_column("")
    table.add_column("", justify="right")
    rows: list[tuple[str, int]] = [
        ("Follower lists kept", figures["follower_snapshots"]),
        ("Following lists kept", figures["following_snapshots"]),
        ("Followers now", followers),
        ("Following now", following),
        ("Followers gained", figures["followers_gained"]),
        ("Followers lost", figures["followers_lost"]),
        ("Churners: followed, were followed back, left", figures["churners"]),
    ]
    if summary.one_way_known:
        rows += [
            ("They follow you, you do not follow them", figures["they_follow_only"]),
            ("You follow them, they do not follow you", figures["you_follow_only"]),
        ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    table.caption = "`churn --list LIST` names the accounts."
    console().print(table)


def _churn_list(space: Any, which: str, limit: int, as_json: bool) -> None:
    from eyecontact.networks.snapshots import churn_csv_rows

    rows = churn_csv_rows(workspace=space, name=which)
    header = next(rows)
    found = [dict(zip(header, row, strict=True)) for row in itertools.islice(rows, limit)]
    if as_json:
        echo_json(found)
        return
    if not found:
        typer.echo(f"The {which.replace('_', ' ')} list of {space.name} is empty.")
        return
    table = Table(title=f"{space.name}: {which.replace('_', ' ')}", title_justify="left")
    shown = [column for column in header if column != "profile"]
    for column in shown:
        table.add_column(column.replace("_", " ").capitalize())
    for row in found:
        table.add_row(*(row[column] for column in shown))
    if len(found) == limit:
        table.caption = f"The first {limit}; --limit shows more."
    console().print(table)
