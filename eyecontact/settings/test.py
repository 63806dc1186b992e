"""Settings for the test suite: fast password hashing, in-memory e-mail."""

from .base import *  # noqa: F403  # settings modules extend the shared base by design

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Tests run against a fresh data folder without collected static files; find them per request.
WHITENOISE_AUTOREFRESH = True
EYECONTACT_IMPORTS_INLINE = True  # background imports run in the request: deterministic tests
EYECONTACT_CAPTURES_INLINE = True  # booth captures are matched in the request: deterministic tests
