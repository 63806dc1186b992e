"""Settings for the test suite: fast password hashing, in-memory e-mail."""

import atexit
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403  # settings modules extend the shared base by design

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Tests run against a fresh data folder without collected static files; find them per request.
WHITENOISE_AUTOREFRESH = True
EYECONTACT_IMPORTS_INLINE = True  # background imports run in the request: deterministic tests
EYECONTACT_CAPTURES_INLINE = True  # booth captures are matched in the request: deterministic tests
EYECONTACT_CARDS_INLINE = True  # business card photos are read in the request: deterministic tests

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405  # from base
    # A file, as the app itself uses: with WAL and the busy timeout, a background import and
    # the page that follows its progress take turns. An in-memory test database shares one
    # cache between connections, which refuses a reader outright while another connection
    # writes the table ("database table is locked").
    _TEST_DB_FOLDER = tempfile.mkdtemp(prefix="eyecontact-test-db-")
    atexit.register(shutil.rmtree, _TEST_DB_FOLDER, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(Path(_TEST_DB_FOLDER) / "test.sqlite3")}  # noqa: F405  # from base
    DATABASES["live"]["TEST"] = {"NAME": str(Path(_TEST_DB_FOLDER) / "test-live.sqlite3")}  # noqa: F405  # from base
