"""``eyecontact people`` lists people; ``eyecontact touch add`` logs a touch with someone."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer
from rich.table import Table

from ._common import WorkspaceOption, command, console, echo_json

__all__ = ["people", "touch_add"]

MET_CHOICES = ("in_person", "never")


def _day(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    from django.utils import timezone

    return timezone.localtime(moment).date().isoformat()


@command
def people(
    query: Annotated[
        str, typer.Argument(help="Words to find in names, organizations, titles, cities, e-mail.")
    ] = "",
    sort: Annotated[
        str, typer.Option(help="name, -name, last_touch, -last_touch, last_met, -last_met, …")
    ] = "name",
    met: Annotated[
        str, typer.Option(help="in_person: met face to face at least once; never: not yet.")
    ] = "",
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
    nameless: Annotated[
        bool,
        typer.Option(
            "--nameless", help='Also list follow-list accounts nobody named ("X account 1234").'
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    workspace: WorkspaceOption = "",
) -> None:
    """List people, with when you last met them and how many touches you had."""
    from django.core.exceptions import ValidationError

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.people.selectors import PEOPLE_SORTS, people_list

    met = met.strip().lower().replace("-", "_")
    if met and met not in MET_CHOICES:
        raise ValidationError({"met": f"Use one of: {', '.join(MET_CHOICES)}."})
    if sort not in PEOPLE_SORTS:
        raise ValidationError({"sort": f"Use one of: {', '.join(PEOPLE_SORTS)}."})
    space = workspace_find(key=workspace)
    found = list(
        people_list(workspace=space, query=query, met=met, sort=sort, nameless=nameless)[:limit]
    )
    if as_json:
        echo_json([_person_json(person) for person in found])
        return
    if not found:
        typer.echo(f"Nobody in {space.name} matches.")
        return
    table = Table(title=f"{space.name}: {len(found)} people", title_justify="left")
    table.add_column("Name")
    table.add_column("Organization")
    table.add_column("Last met")
    table.add_column("Touches", justify="right")
    for person in found:
        table.add_row(
            person.display_name,
            person.organization,
            _day(person.last_in_person_at) or "never",
            str(person.touch_count),
        )
    if len(found) == limit:
        table.caption = f"The first {limit}; --limit shows more."
    console().print(table)


def _person_json(person: Any) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.display_name,
        "organization": person.organization,
        "title": person.title,
        "city": person.city,
        "last_met": _day(person.last_in_person_at),
        "last_touch": _day(person.last_touch_at),
        "touches": person.touch_count,
    }


@command
def touch_add(
    name: Annotated[
        str, typer.Argument(help="The person's name (a new person if nobody has it), or #ID.")
    ],
    channel: Annotated[
        str, typer.Option(help="in-person, phone, video, message, email or social.")
    ] = "in-person",
    at: Annotated[
        str, typer.Option(help='When: "2026-01-08 10:00" or "2026-01-08"; default now.')
    ] = "",
    where: Annotated[str, typer.Option(help='Where: "CES, Las Vegas".')] = "",
    event: Annotated[str, typer.Option(help="The event's name or id.")] = "",
    note: Annotated[str, typer.Option(help="What you talked about.")] = "",
    workspace: WorkspaceOption = "",
) -> None:
    """Log a touch: when and where you met, called or wrote to someone."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from eyecontact.accounts.selectors import workspace_find
    from eyecontact.common.dates import InvalidWhen, parse_when
    from eyecontact.events.selectors import event_find
    from eyecontact.people.selectors import people_named, person_get
    from eyecontact.people.services import person_find_or_create, touch_log

    space = workspace_find(key=workspace)
    channel = "_".join(channel.strip().lower().replace("-", " ").split())
    when: dt.datetime | None = None
    has_time: bool | None = None
    if at.strip():
        try:
            when, has_time = parse_when(at)
        except InvalidWhen as exc:
            raise ValidationError({"at": str(exc)}) from exc
    gathering = event_find(workspace=space, key=event) if event.strip() else None
    created = False
    with transaction.atomic():
        if name.startswith("#") and name[1:].isdigit():
            person = person_get(workspace=space, pk=int(name[1:]))
        else:
            namesakes = people_named(workspace=space, name=name)
            if len(namesakes) > 1:
                listed = "; ".join(_namesake(p) for p in namesakes)
                raise ValidationError(
                    {"name": f"Several people are called {name!r}; use #ID: {listed}."}
                )
            person, created = person_find_or_create(workspace=space, name=name)
        try:
            touch = touch_log(
                workspace=space,
                people=[person],
                channel=channel,
                when=when,
                has_time=has_time,
                where=where,
                event=gathering,
                note=note,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # The moment is what --at gave.
            raise ValidationError(
                {"at" if k == "occurred_at" else k: v for k, v in exc.error_dict.items()}
            ) from exc
    # A day-only touch is stored at noon UTC: show its UTC day, never a shifted one.
    moment = timezone.localtime(touch.occurred_at) if touch.has_time else touch.occurred_at
    shown = f"{moment:%Y-%m-%d %H:%M}" if touch.has_time else f"{moment:%Y-%m-%d}"
    place = f" at {touch.where}" if touch.where else ""
    typer.echo(
        f"Logged a touch ({touch.get_channel_display().lower()}) with {person.display_name}"
        f"{' (new person)' if created else ''} on {shown}{place}."
    )


def _namesake(person: Any) -> str:
    details = ", ".join(part for part in (person.organization, person.city) if part)
    return f"#{person.pk} {person.display_name}" + (f" ({details})" if details else "")
