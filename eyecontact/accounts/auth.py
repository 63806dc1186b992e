"""Who is calling the JSON API, and which workspace they may reach.

Two ways in, tried in this order:

- a personal API token, sent as ``Authorization: Bearer ec_...`` (scripts, the CLI elsewhere);
- the browser's Django session, for the logged-in user; unsafe methods must carry the CSRF
  token, as every form of the web app does.

Neither → HTTP 401. Wrong tokens are counted per address: past
``EYECONTACT_API_FAILURE_LIMIT`` of them within the lock-out time (``AXES_COOLOFF_TIME``, as for
passwords), that address gets HTTP 429 until the time is up, even with a right token. A session
whose account asks for a second factor counts only once its code was given.

A workspace the caller is not a member of answers 404, like an id that does not exist, so nobody
learns which slugs or ids exist.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from .models import User, Workspace
from .second_factor import SECOND_FACTOR_SESSION_KEY
from .selectors import workspace_for_user
from .services import token_authenticate

__all__ = ["API_AUTH", "BrowserSession", "PersonalToken", "caller", "workspace_of"]

CSRF_FAILED = "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie."
TOO_MANY_FAILURES = "Too many wrong tokens from this address; try again in {minutes} minutes."


def _failures_key(request: HttpRequest) -> str:
    return f"api-token-failures:{request.META.get('REMOTE_ADDR', '')}"


class PersonalToken(HttpBearer):
    """``Authorization: Bearer ec_...``: a token made with ``token_create``."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        key = _failures_key(request)
        limit = settings.EYECONTACT_API_FAILURE_LIMIT
        cooloff = settings.AXES_COOLOFF_TIME
        if cache.get(key, 0) >= limit:
            raise HttpError(429, TOO_MANY_FAILURES.format(minutes=round(cooloff.seconds / 60)))
        user = token_authenticate(token.strip())
        if user is None:
            cache.add(key, 0, timeout=cooloff.total_seconds())
            cache.incr(key)
        return user


class BrowserSession(APIKeyCookie):
    """The logged-in browser; unsafe methods are checked for the CSRF token.

    Unlike ninja's ``SessionAuth``, a caller without a session gets 401 rather than a CSRF 403,
    so "not logged in" reads the same for every method.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)  # tells the docs page to send the token

    def _get_key(self, request: HttpRequest) -> str | None:
        # Ninja would check CSRF here, before knowing whether anyone is logged in.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.session.get(SECOND_FACTOR_SESSION_KEY, False) and not user.is_verified():
            return None  # the password without the code the account asks for
        # Ninja's views are csrf_exempt; Django's check runs here instead (safe methods pass).
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return user  # type: ignore[no-any-return]  # AUTH_USER_MODEL is User


API_AUTH = [PersonalToken(), BrowserSession()]


def caller(request: HttpRequest) -> User:
    """The user behind an authenticated API request."""
    return request.auth  # type: ignore[attr-defined,no-any-return]  # set by ninja's auth


def workspace_of(request: HttpRequest, slug: str) -> Workspace:
    """The workspace ``slug`` if the caller is a member of it; 404 otherwise."""
    return workspace_for_user(user=caller(request), slug=slug)
