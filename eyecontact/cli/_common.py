"""What every command shares: starting Django, naming a workspace, reporting errors."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, ParamSpec

import typer
from rich.console import Console

__all__ = [
    "DEFAULT_SETTINGS",
    "WorkspaceOption",
    "command",
    "console",
    "echo_json",
    "error_lines",
    "fail",
]

DEFAULT_SETTINGS = "eyecontact.settings.development"

P = ParamSpec("P")

WorkspaceOption = Annotated[
    str,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace slug or name; needed when the installation has several.",
    ),
]


def django_setup() -> None:
    """Starts Django once; a no-op when it already runs (the test suite, ``manage``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.apps import apps

    if not apps.ready:
        import django

        django.setup()


def console() -> Console:
    """A console on the current standard output (tests swap it for each run)."""
    return Console(file=sys.stdout, highlight=False)


def echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def error_lines(exc: Exception) -> list[str]:
    """One line per problem: ``field: message``, or just the message."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return [
            message if field == NON_FIELD_ERRORS else f"{field}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or exc.__class__.__name__]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Prints ``error: message`` on standard error; raise what it returns to stop."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def reporting() -> Iterator[None]:
    """Turns what a user can fix into ``error: ...`` lines and a non-zero exit, no traceback.

    Bad input (a ValidationError from a service) exits with 2, something missing with 1.
    """
    from django.core.exceptions import ValidationError
    from django.db import OperationalError, ProgrammingError
    from django.http import Http404

    try:
        yield
    except ValidationError as exc:
        for line in error_lines(exc):
            typer.echo(f"error: {line}", err=True)
        raise typer.Exit(2) from None
    except Http404 as exc:
        raise fail(str(exc) or "not found", 1) from None
    except (OperationalError, ProgrammingError) as exc:
        raise fail(
            f"database error: {exc} (a new installation needs `eyecontact manage migrate`)", 1
        ) from None


def command(func: Callable[P, None]) -> Callable[P, None]:
    """Wraps a command: starts Django first and reports errors as :func:`reporting` does."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        django_setup()
        with reporting():
            func(*args, **kwargs)

    return run
