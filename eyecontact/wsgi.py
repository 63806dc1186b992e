"""The WSGI entry point for serving Eye Contact."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eyecontact.settings.production")

application = get_wsgi_application()
