"""Sends a user whose account has a second factor to the code page until the session has it.

Whether the account asks for a code is looked up once, as the user logs in, and kept in the
session: pages then cost no query for it. Turning the factor on or off updates the session that
did it; other sessions already open keep going until they end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from eyecontact.accounts.second_factor import SECOND_FACTOR_SESSION_KEY as SESSION_KEY
from eyecontact.accounts.second_factor import second_factor_on

__all__ = ["SESSION_KEY", "SecondFactorMiddleware", "needs_code", "remember_second_factor"]

# Reachable with the password alone: the code page itself, logging out, and what needs no login.
_OPEN = ("/login/", "/logout/", "/account/code/", "/static/", "/healthz", "/password-reset/")


def remember_second_factor(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """On login (``user_logged_in``): note in the session whether a code is asked for."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = second_factor_on(user)


def needs_code(request: HttpRequest) -> bool:
    """The user gave the password but not yet the code their account asks for."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if not request.session.get(SESSION_KEY, False):
        return False
    return not user.is_verified()


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith("/api/") or path.startswith(_OPEN) or not needs_code(request):
            # The API refuses such a session itself (see eyecontact.accounts.auth).
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('second_factor_code')}?{query}")
