"""Request-wide behaviour of the web pages: the user's time zone, and form-only addresses.

``UserTimeZoneMiddleware`` shows every time in the logged-in user's own zone (see
:mod:`eyecontact.common.zones`). ``FormOnlyAddressMiddleware`` answers a plain visit to an
address that only takes a form with a page, not a blank 405.

Buttons such as "Delete", "Snooze" or "Add exhibit" post to addresses of their own. Someone who
opens one of them from their history or a shared link would otherwise get an empty "405 Method
Not Allowed"; instead they see where they are and a link to the page the form lives on (the
nearest address above it that is a page). The status stays 405, so nothing that checks it sees a
change, and the page names no row: it says the same for an id that exists nowhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone

from eyecontact.common.zones import zone_for

__all__ = ["FormOnlyAddressMiddleware", "UserTimeZoneMiddleware", "page_above"]


def page_above(path: str) -> str:
    """The nearest address above ``path`` that the app knows, or the home page."""
    parts = [part for part in path.split("/") if part]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + "/" if parts else "/"
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return "/"


class FormOnlyAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a browser's visit (the JSON API's clients keep their plain 405).
        wants_page = "text/html" in request.headers.get("Accept", "")
        if request.method != "GET" or response.status_code != 405 or response.content:
            return response
        if not wants_page:
            return response
        page = render(request, "405.html", {"page_above": page_above(request.path)}, status=405)
        page["Allow"] = response.get("Allow", "POST")
        return page


class UserTimeZoneMiddleware:
    """Pages, exports and typed times use the user's zone; anonymous visitors the default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        timezone.activate(zone_for(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
