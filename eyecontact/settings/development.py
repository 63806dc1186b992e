"""Settings for running Eye Contact on one's own machine (the README's run command).

``EYECONTACT_DEBUG=1`` turns on Django's debug pages for developers; a user's own installation
runs without them, so a bad request shows a plain error page, never a traceback.
"""

import os

from .base import *  # noqa: F403  # settings modules extend the shared base by design

DEBUG = os.environ.get("EYECONTACT_DEBUG", "") == "1"
