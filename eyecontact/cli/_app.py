"""The command tree.

eyecontact serve | demo | people | export | restore | manage ARGS...
eyecontact touch add NAME
eyecontact user create EMAIL
eyecontact token create EMAIL
"""

from __future__ import annotations

import typer

from ._accounts import token_create, user_create
from ._data import demo, export, restore
from ._people import people, touch_add
from ._serve import manage, serve

__all__ = ["app"]

app = typer.Typer(
    name="eyecontact",
    help="Eye Contact: who you know, and when you last looked them in the eye.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
touch_app = typer.Typer(help="Log touches with people.", no_args_is_help=True)
user_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)

app.command()(serve)
app.command()(demo)
app.command()(people)
app.command()(export)
app.command()(restore)
app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)(manage)
touch_app.command("add")(touch_add)
user_app.command("create")(user_create)
token_app.command("create")(token_create)
app.add_typer(touch_app, name="touch")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
