"""Settings for a server installation behind HTTPS.

``EYECONTACT_SECRET_KEY``, ``EYECONTACT_ALLOWED_HOSTS``, ``DATABASE_URL``, ``EYECONTACT_EMAIL_URL``,
``EYECONTACT_FROM_EMAIL``, ``EYECONTACT_BASE_URL`` and ``EYECONTACT_LOG_LEVEL`` come from the
environment (see ``docs/deploy.md``); everything else follows Django's secure defaults. The
reverse proxy's ``X-Forwarded-Proto`` is believed only from the address given to
``eyecontact serve --trusted-proxy``.
"""

import os

from .base import *  # noqa: F403  # settings modules extend the shared base by design

DEBUG = False
SECRET_KEY = os.environ.get("EYECONTACT_SECRET_KEY", SECRET_KEY)  # noqa: F405  # from base
SECURE_SSL_REDIRECT = True
# A load balancer or monitor on the machine asks over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
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
