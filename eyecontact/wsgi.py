"""The WSGI entry point for serving Eye Contact."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eyecontact.settings.production")

application = get_wsgi_application()

# The app's modules, models and routes live as long as the server. Loaded now and kept out of
# the garbage collector's sight, they are not walked again by every full collection, which
# holds all the server's threads while it runs.
import eyecontact.urls  # noqa: E402, F401  # the routes, loaded before the first request

gc.freeze()
