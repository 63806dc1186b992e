"""The command tree.

eyecontact serve | worker | demo | people | export | restore | manage ARGS...
eyecontact touch add NAME
eyecontact import FILE... | imports [undo ID] | reviews [merge ID | reject ID]
eyecontact vet | screen NAME | churn
eyecontact fading | reminders | plan EVENT | attendees import EVENT FILE
eyecontact exhibit report EXHIBIT | exhibit leads EXHIBIT
eyecontact user create EMAIL
eyecontact token create EMAIL
"""

from __future__ import annotations

import typer

from ._accounts import token_create, user_create
from ._data import demo, export, restore
from ._exhibits import exhibit
from ._imports import import_files, imports, reviews
from ._keep import attendees, fading, plan, reminders
from ._people import people, touch_add
from ._serve import manage, serve, worker
from ._vetting import churn, screen, vet

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
app.command()(worker)
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
app.command("import")(import_files)
app.add_typer(imports, name="imports")
app.add_typer(reviews, name="reviews")
app.command()(vet)
app.command()(screen)
app.command()(churn)
app.command()(fading)
app.command()(reminders)
app.command()(plan)
app.add_typer(attendees, name="attendees")
app.add_typer(exhibit, name="exhibit")
