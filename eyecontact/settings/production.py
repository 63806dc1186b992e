"""Settings for a server installation behind HTTPS.

``EYECONTACT_SECRET_KEY``, ``EYECONTACT_ALLOWED_HOSTS`` and ``DATABASE_URL`` come from the
environment; everything else follows Django's secure defaults.
"""

import os

from .base import *  # noqa: F403  # settings modules extend the shared base by design

DEBUG = False
SECRET_KEY = os.environ.get("EYECONTACT_SECRET_KEY", SECRET_KEY)  # noqa: F405  # from base
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
