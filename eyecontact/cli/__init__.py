"""The ``eyecontact`` command: run the app, try the demo, work with people from a terminal.

``main`` is the console script. Django starts only when a command runs, so ``eyecontact
--help`` works without a data folder. Commands parse what was typed, call one service or
selector and print the result; see :mod:`eyecontact.cli._app` for the command tree.
"""

import os

from ._app import app
from ._common import DEFAULT_SETTINGS

__all__ = ["app", "main"]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    app()
