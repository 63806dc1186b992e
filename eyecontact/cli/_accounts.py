"""``user create`` and ``token create``: accounts for people and keys for scripts."""

from __future__ import annotations

import getpass
import sys
from typing import Annotated

import typer

from ._common import command

__all__ = ["token_create", "user_create"]


def _read_password() -> str:
    """One line from standard input; typed twice without echo when it is a terminal."""
    from django.core.exceptions import ValidationError

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise ValidationError({"password": "The two passwords differ."})
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise ValidationError({"password": "Type a password on standard input."})
    return password


@command
def user_create(
    email: Annotated[str, typer.Argument(help="The e-mail address they log in with.")],
    workspace: Annotated[
        str, typer.Option(help="Also create a workspace with this name, owned by them.")
    ] = "",
) -> None:
    """Create a user; the password is read from standard input."""
    from eyecontact.accounts.selectors import workspaces_for_user
    from eyecontact.accounts.services import user_create as create

    user = create(email=email, password=_read_password(), workspace_name=workspace)
    typer.echo(f"Created user {user.email}.")
    for space in workspaces_for_user(user=user):
        typer.echo(f"Created workspace {space.name!r} ({space.slug}).")


@command
def token_create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for, to recognise it later.")] = "",
) -> None:
    """Print a new API token for a user; it is shown only this once."""
    from eyecontact.accounts.selectors import user_find
    from eyecontact.accounts.services import token_create as create

    user = user_find(email=email)
    _, key = create(user=user, name=name)
    typer.echo(key)
    typer.echo(
        f"Token for {user.email}; it is shown only once. Send it as 'Authorization: Bearer …'.",
        err=True,
    )
