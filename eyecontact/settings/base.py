"""Settings every Eye Contact installation shares.

The data folder is ``EYECONTACT_HOME`` (default: ``$XDG_DATA_HOME/eyecontact``, usually
``~/.local/share/eyecontact``). It holds the embedded SQLite database and the secret key, outside
the source tree. ``DATABASE_URL`` (``postgres://user:pass@host/db``) points Eye Contact at a
PostgreSQL server instead.

The data folder and everything secret in it are for the account that runs Eye Contact alone: the
folder is made (or tightened at every start to) 0700, the secret key and the SQLite database 0600.
SQLite gives the ``-wal`` and ``-shm`` files it makes the database file's own permissions, so the
database file is made 0600 before SQLite first opens it, and any of the three left from before is
tightened at start.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def data_home() -> Path:
    """The folder holding this installation's database and secret key."""
    configured = os.environ.get("EYECONTACT_HOME")
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "eyecontact"


EYECONTACT_HOME = data_home()
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# What SQLite keeps beside a database file while it is open in WAL mode.
SQLITE_COMPANIONS = ("-wal", "-shm")


def private_folder(folder: Path) -> Path:
    """``folder``, made if missing, readable by the account running Eye Contact only."""
    folder.mkdir(mode=PRIVATE_FOLDER_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != PRIVATE_FOLDER_MODE:
        folder.chmod(PRIVATE_FOLDER_MODE)
    return folder


def private_sqlite_files(database: Path) -> None:
    """Makes the SQLite database file 0600 before SQLite opens it; tightens its companions.

    The folder holding it is made 0700 when missing, and tightened when it is the data folder.
    """
    if not database.parent.exists() or database.parent == EYECONTACT_HOME:
        private_folder(database.parent)
    # O_CREAT without O_TRUNC: an existing database is left as it is. An empty file is an empty
    # database to SQLite, so the first connection makes the tables in this file.
    os.close(os.open(database, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    for path in (database, *(Path(f"{database}{end}") for end in SQLITE_COMPANIONS)):
        if path.exists() and path.stat().st_mode & 0o777 != PRIVATE_FILE_MODE:
            path.chmod(PRIVATE_FILE_MODE)


def _secret_key() -> str:
    configured = os.environ.get("EYECONTACT_SECRET_KEY")
    if configured:
        return configured
    private_folder(EYECONTACT_HOME)
    key_file = EYECONTACT_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = [
    h for h in os.environ.get("EYECONTACT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves the API docs from its bundled Swagger UI files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "eyecontact.accounts",
    "eyecontact.people",
    "eyecontact.events",
    "eyecontact.networks",
    "eyecontact.imports",
    "eyecontact.insights",
    "eyecontact.background",
    "eyecontact.contacts",
    "eyecontact.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eyecontact.web.second_factor.SecondFactorMiddleware",
    "eyecontact.web.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eyecontact.web.middleware.FormOnlyAddressMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with its own page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "eyecontact.urls"
WSGI_APPLICATION = "eyecontact.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eyecontact.web.context.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{EYECONTACT_HOME / 'eyecontact.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app read while an import writes; a busy timeout instead of "locked".
    # A new database gets 16 KiB pages (SQLite's default is 4): a heavy user's import wrote
    # its 1.2 million rows ~5% faster, into B-trees of fewer, fuller pages, and the people
    # pages read as fast. An existing database keeps the page size it was made with.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": (
            "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_sqlite_files(Path(DATABASES["default"]["NAME"]))
    # Progress and worker beats: a small database of its own, written while an import holds
    # the main one (see eyecontact.background).
    DATABASES["live"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(EYECONTACT_HOME / "live.sqlite3"),
        "OPTIONS": {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
        },
        "CONN_MAX_AGE": 0,
    }
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_sqlite_files(Path(DATABASES["live"]["NAME"]))
else:
    # A second connection to the same database, committing on its own.
    DATABASES["live"] = {
        **DATABASES["default"],
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {})},
    }
DATABASE_ROUTERS = ["eyecontact.background.routers.LiveRouter"]

# Background work: a queue in the database, run by `eyecontact worker` (or the thread
# `eyecontact serve` starts when no separate worker runs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker beats this often; one silent for EYECONTACT_WORKER_STALE_S seconds is taken for gone
# and the tasks it was running are looked at again.
EYECONTACT_WORKER_BEAT_S = float(os.environ.get("EYECONTACT_WORKER_BEAT_S", "5"))
EYECONTACT_WORKER_STALE_S = float(os.environ.get("EYECONTACT_WORKER_STALE_S", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Logins: django-axes counts wrong passwords per account; the tenth in a row locks the account
# for EYECONTACT_LOCKOUT_MINUTES (15), answered with 429 and a page saying so. A right password
# clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = dt.timedelta(minutes=float(os.environ.get("EYECONTACT_LOCKOUT_MINUTES", "15")))
# The account is what a guesser attacks; counting per account stops one who rotates addresses
# or browsers, and never locks a whole office out behind one address (axes warns otherwise).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The API: wrong tokens from one address are refused with 429 past this many in the cool-off
# time; see eyecontact.accounts.auth.
EYECONTACT_API_FAILURE_LIMIT = 10
PASSWORD_RESET_TIMEOUT = 3 * 3600
# Shared by every server process (the API's count of wrong tokens): a table in the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "eyecontact_cache",
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("EYECONTACT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = EYECONTACT_HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True


def email_settings(url: str) -> dict[str, Any]:
    """Django's e-mail settings from ``EYECONTACT_EMAIL_URL``; the console without one.

    ``submission://user:password@smtp.example.org`` sends through SMTP with STARTTLS on port
    587, ``smtp://user:password@smtp.example.org:465?ssl=True`` with TLS from the first byte,
    ``smtp://localhost:25`` without encryption (a relay on the same machine).
    """
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = dj_email_url.parse(url)
    parsed["EMAIL_TIMEOUT"] = parsed.get("EMAIL_TIMEOUT") or 30  # never wait on a dead server
    return {key: value for key, value in parsed.items() if key.startswith("EMAIL_")}


_email = email_settings(os.environ.get("EYECONTACT_EMAIL_URL", ""))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT")
DEFAULT_FROM_EMAIL = os.environ.get("EYECONTACT_FROM_EMAIL", "Eye Contact <eyecontact@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach this installation (https://contacts.example.org): the links in e-mails
# sent outside a request, such as the weekly digest the worker sends.
EYECONTACT_BASE_URL = os.environ.get("EYECONTACT_BASE_URL", "http://localhost:8000").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag instead.
X_FRAME_OPTIONS = "DENY"

# Hard limits that keep a bad request from hurting the installation.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An uploaded file over a megabyte is written to a temporary file as it arrives, never held in
# memory whole; an import reads it from there as a stream (eyecontact.common.uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Phone numbers typed without a country code are read in this region.
EYECONTACT_DEFAULT_REGION = os.environ.get("EYECONTACT_DEFAULT_REGION", "US")
# Possible duplicates waiting for review at once, in a workspace: a list a person can work
# through. The less likely rest are kept, held back, and come up as these are decided.
REVIEW_QUEUE_SIZE = 1000

# EYECONTACT_LOG_LEVEL: DEBUG, INFO, WARNING (the default), ERROR; to standard error, where
# systemd's journal (or the terminal) keeps it.
LOG_LEVEL = os.environ.get("EYECONTACT_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
