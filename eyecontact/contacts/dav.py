"""The CardDAV door: each workspace as an address book on its members' phones.

What iOS Contacts, DAVx⁵ and Thunderbird ask, in the order they ask it (RFC 6352, RFC 6578):

- ``/.well-known/carddav`` redirects to ``/dav/``;
- ``PROPFIND /dav/`` gives ``current-user-principal`` (``/dav/principals/<id>/``), whose
  ``addressbook-home-set`` is ``/dav/addressbooks/``;
- ``PROPFIND /dav/addressbooks/`` (depth 1) lists an address book per workspace of the user;
- ``PROPFIND /dav/addressbooks/<slug>/`` (depth 1) lists the cards with their ETags;
- ``REPORT addressbook-multiget`` fetches cards, ``REPORT sync-collection`` what changed since
  a sync token, ``REPORT addressbook-query`` every card;
- ``GET``, ``PUT`` (``If-Match``/``If-None-Match``) and ``DELETE`` on ``<slug>/<card>.vcf``;
- ``GET /dav/addressbooks/<slug>/`` downloads the whole book as one vCard 4.0 file.

Phones sign in with HTTP Basic: the user's e-mail and one of their API tokens as the app
password. This module only parses requests and writes XML; the book is read by
:mod:`.selectors` and changed by :mod:`.services`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from defusedxml.ElementTree import ParseError
from defusedxml.ElementTree import fromstring as parse_xml
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.selectors import workspaces_for_user
from eyecontact.accounts.services import token_authenticate

from .cards import InvalidCard, card_etag, card_text
from .export import workspace_vcards
from .selectors import BookEntry, book_cards, book_changes, book_entry, card_photo, people_of_cards
from .services import CardConflict, CardMissing, book_refresh, card_archive, card_put

__all__ = ["ROOT", "address_book", "card", "home", "principal", "root", "well_known"]

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
ROOT = "/dav/"
HOME = "/dav/addressbooks/"
VCARD_TYPE = "text/vcard; charset=utf-8"
SYNC_PREFIX = "urn:eyecontact:sync:"
register_namespace("d", DAV)
register_namespace("card", CARD)
register_namespace("cs", CS)

NOT_SIGNED_IN = "Sign in with your e-mail and an API token (Settings → API tokens) as password."
BAD_XML = "The request body is not well-formed XML."
BAD_TOKEN = "The sync token is not one this address book gave."  # noqa: S105  # a message


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


# --- Requests -------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return token_authenticate(value.strip())
    if scheme.lower() != "basic":
        return None
    try:
        username, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user = token_authenticate(password)
    if user is None or username.strip().lower() not in ("", user.email.lower()):
        return None
    return user


def _unauthorized() -> HttpResponse:
    response = HttpResponse(NOT_SIGNED_IN, status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Basic realm="Eye Contact", charset="UTF-8"'
    return response


def _body(request: HttpRequest) -> Element | None:
    if not request.body.strip():
        return None
    root: Element = parse_xml(request.body)
    return root


def _wanted(body: Element | None) -> list[str] | None:
    """The property names a PROPFIND or REPORT asks for; None for all (allprop or no body)."""
    if body is None:
        return None
    prop = body.find(_q(DAV, "prop"))
    if prop is None:
        return None
    return [child.tag for child in prop]


# --- Responses ------------------------------------------------------------------------------


def _multistatus() -> Element:
    return Element(_q(DAV, "multistatus"))


def _xml(root: Element, status: int = 207) -> HttpResponse:
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8")
    response = HttpResponse(body, status=status, content_type='application/xml; charset="utf-8"')
    response["DAV"] = "1, 3, addressbook"
    return response


def _error(precondition: str, namespace: str, status: int, text: str) -> HttpResponse:
    root = Element(_q(DAV, "error"))
    SubElement(root, _q(namespace, precondition))
    SubElement(root, _q("http://eyecontact.invalid/ns", "message")).text = text
    return _xml(root, status)


Props = dict[str, Callable[[Element], None]]


def _response(parent: Element, href: str, props: Props, wanted: list[str] | None) -> None:
    """A ``<response>`` with the wanted properties found (200) and the others missing (404)."""
    response = SubElement(parent, _q(DAV, "response"))
    SubElement(response, _q(DAV, "href")).text = href
    names = list(props) if wanted is None else wanted
    found = [name for name in names if name in props]
    missing = [name for name in names if name not in props]
    for names_here, status in ((found, "200 OK"), (missing, "404 Not Found")):
        if not names_here:
            continue
        propstat = SubElement(response, _q(DAV, "propstat"))
        prop = SubElement(propstat, _q(DAV, "prop"))
        for name in names_here:
            element = SubElement(prop, name)
            if name in props:
                props[name](element)
        SubElement(propstat, _q(DAV, "status")).text = f"HTTP/1.1 {status}"


def _text(value: str) -> Callable[[Element], None]:
    def fill(element: Element) -> None:
        element.text = value

    return fill


def _href(value: str) -> Callable[[Element], None]:
    def fill(element: Element) -> None:
        SubElement(element, _q(DAV, "href")).text = value

    return fill


def _children(*tags: str) -> Callable[[Element], None]:
    def fill(element: Element) -> None:
        for tag in tags:
            SubElement(element, tag)

    return fill


def _reports(element: Element) -> None:
    for namespace, name in (
        (CARD, "addressbook-multiget"),
        (CARD, "addressbook-query"),
        (DAV, "sync-collection"),
    ):
        report = SubElement(SubElement(element, _q(DAV, "supported-report")), _q(DAV, "report"))
        SubElement(report, _q(namespace, name))


def _principal_url(user: User) -> str:
    return f"{ROOT}principals/{user.pk}/"


def _user_props(user: User) -> Props:
    return {
        _q(DAV, "current-user-principal"): _href(_principal_url(user)),
        _q(DAV, "principal-URL"): _href(_principal_url(user)),
        _q(CARD, "addressbook-home-set"): _href(HOME),
        _q(DAV, "displayname"): _text(user.get_full_name() or user.email),
    }


def _book_url(workspace: Workspace) -> str:
    return f"{HOME}{quote(workspace.slug)}/"


def _book_props(workspace: Workspace, user: User, revision: int | None) -> Props:
    props: Props = {
        _q(DAV, "resourcetype"): _children(_q(DAV, "collection"), _q(CARD, "addressbook")),
        _q(DAV, "displayname"): _text(workspace.name),
        _q(CARD, "addressbook-description"): _text(f"The people of {workspace.name}"),
        _q(CARD, "supported-address-data"): _address_types,
        _q(DAV, "supported-report-set"): _reports,
        _q(DAV, "current-user-principal"): _href(_principal_url(user)),
        _q(DAV, "owner"): _href(_principal_url(user)),
        _q(DAV, "current-user-privilege-set"): _privileges,
    }
    if revision is not None:
        props[_q(DAV, "sync-token")] = _text(f"{SYNC_PREFIX}{revision}")
        props[_q(CS, "getctag")] = _text(str(revision))
    return props


def _address_types(element: Element) -> None:
    kind = SubElement(element, _q(CARD, "address-data-type"))
    kind.set("content-type", "text/vcard")
    kind.set("version", "3.0")


def _privileges(element: Element) -> None:
    for name in ("read", "write", "write-content", "bind", "unbind"):
        SubElement(SubElement(element, _q(DAV, "privilege")), _q(DAV, name))


def _card_props(entry: BookEntry, wanted: list[str] | None) -> Props:
    etag = f'"{card_etag(entry.card)}"'
    props: Props = {
        _q(DAV, "getetag"): _text(etag),
        _q(DAV, "getcontenttype"): _text(VCARD_TYPE),
        _q(DAV, "resourcetype"): _children(),
    }
    if wanted is not None and _q(CARD, "address-data") in wanted:
        photo = card_photo(entry.person_id) if entry.card.photo_hash else b""
        props[_q(CARD, "address-data")] = _text(card_text(entry.card, photo=photo))
    return props


# --- Views ----------------------------------------------------------------------------------


def _dav_view(
    handler: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Signs the phone in, answers OPTIONS, and turns bad XML into a 400 naming it."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            response = HttpResponse(status=200)
            response["DAV"] = "1, 3, addressbook"
            response["Allow"] = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT"
            return response
        user = _user(request)
        if user is None:
            return _unauthorized()
        try:
            return handler(request, user, **kwargs)
        except ParseError:
            return HttpResponse(BAD_XML, status=400, content_type="text/plain; charset=utf-8")

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


@csrf_exempt
def well_known(request: HttpRequest) -> HttpResponse:
    """``/.well-known/carddav``: where the address books are (RFC 6764), for any method."""
    return HttpResponsePermanentRedirect(ROOT)


def _not_allowed() -> HttpResponse:
    return HttpResponse(status=405)


@_dav_view
def root(request: HttpRequest, user: User) -> HttpResponse:
    """``/dav/`` and the principal: who is signed in, and where their address books are."""
    if request.method != "PROPFIND":
        return _not_allowed()
    multistatus = _multistatus()
    props = {
        _q(DAV, "resourcetype"): _children(_q(DAV, "collection")),
        **_user_props(user),
    }
    _response(multistatus, request.path, props, _wanted(_body(request)))
    return _xml(multistatus)


@_dav_view
def principal(request: HttpRequest, user: User, user_id: int) -> HttpResponse:
    if request.method != "PROPFIND":
        return _not_allowed()
    if user_id != user.pk:
        return HttpResponse(status=404)
    multistatus = _multistatus()
    props = {
        _q(DAV, "resourcetype"): _children(_q(DAV, "collection"), _q(DAV, "principal")),
        **_user_props(user),
    }
    _response(multistatus, request.path, props, _wanted(_body(request)))
    return _xml(multistatus)


@_dav_view
def home(request: HttpRequest, user: User) -> HttpResponse:
    """``/dav/addressbooks/``: one address book per workspace of the user."""
    if request.method != "PROPFIND":
        return _not_allowed()
    wanted = _wanted(_body(request))
    multistatus = _multistatus()
    props = {
        _q(DAV, "resourcetype"): _children(_q(DAV, "collection")),
        **_user_props(user),
    }
    _response(multistatus, HOME, props, wanted)
    if request.headers.get("Depth", "1") != "0":
        for workspace in workspaces_for_user(user=user):
            _response(multistatus, _book_url(workspace), _book_props(workspace, user, None), wanted)
    return _xml(multistatus)


def _workspace(user: User, slug: str) -> Workspace | None:
    return workspaces_for_user(user=user).filter(slug=slug).first()


@_dav_view
def address_book(request: HttpRequest, user: User, slug: str) -> HttpResponseBase:
    """A workspace's address book: PROPFIND lists its cards, REPORT fetches or syncs them."""
    workspace = _workspace(user, slug)
    if workspace is None:
        return HttpResponse(status=404)
    if request.method in ("GET", "HEAD"):
        # The whole address book in one vCard 4.0 file: the workspace's contacts export.
        response = StreamingHttpResponse(workspace_vcards(workspace), content_type=VCARD_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{workspace.slug}.vcf"'
        return response
    body = _body(request)
    if request.method == "PROPFIND":
        refreshed = book_refresh(workspace=workspace)
        wanted = _wanted(body)
        multistatus = _multistatus()
        book = _book_props(workspace, user, refreshed.revision)
        _response(multistatus, _book_url(workspace), book, wanted)
        if request.headers.get("Depth", "0") != "0":
            for entry in refreshed.entries:
                href = _book_url(workspace) + quote(entry.name)
                _response(multistatus, href, _card_props(entry, wanted), wanted)
        return _xml(multistatus)
    if request.method == "REPORT" and body is not None:
        if body.tag == _q(CARD, "addressbook-multiget"):
            return _multiget(workspace, body)
        if body.tag == _q(DAV, "sync-collection"):
            return _sync(workspace, body)
        if body.tag == _q(CARD, "addressbook-query"):
            return _entries(workspace, book_refresh(workspace=workspace).entries, _wanted(body))
        return _error("supported-report", DAV, 403, "Eye Contact does not answer this report.")
    return _not_allowed()


def _entries(
    workspace: Workspace, entries: Iterable[BookEntry], wanted: list[str] | None
) -> HttpResponse:
    multistatus = _multistatus()
    for entry in entries:
        href = _book_url(workspace) + quote(entry.name)
        _response(multistatus, href, _card_props(entry, wanted), wanted)
    return _xml(multistatus)


def _name_of(workspace: Workspace, href: str) -> str:
    path = unquote(urlsplit(href.strip()).path)
    prefix = unquote(_book_url(workspace))
    return path[len(prefix) :] if path.startswith(prefix) else ""


def _multiget(workspace: Workspace, body: Element) -> HttpResponse:
    """``addressbook-multiget``: the cards named by their hrefs, a 404 for each one not here."""
    names = [_name_of(workspace, href.text or "") for href in body.iter(_q(DAV, "href"))]
    people = people_of_cards(workspace, names)
    by_name = {entry.name: entry for entry in book_cards(workspace, set(people.values()))}
    wanted = _wanted(body)
    multistatus = _multistatus()
    for href, name in zip(body.iter(_q(DAV, "href")), names, strict=True):
        entry = by_name.get(name)
        if entry is None:
            response = SubElement(multistatus, _q(DAV, "response"))
            SubElement(response, _q(DAV, "href")).text = href.text
            SubElement(response, _q(DAV, "status")).text = "HTTP/1.1 404 Not Found"
        else:
            path = _book_url(workspace) + quote(entry.name)
            _response(multistatus, path, _card_props(entry, wanted), wanted)
    return _xml(multistatus)


def _sync(workspace: Workspace, body: Element) -> HttpResponse:
    """``sync-collection``: what changed since the token (everything with none), RFC 6578."""
    token = (body.findtext(_q(DAV, "sync-token")) or "").strip()
    since = 0
    if token:
        number = token.removeprefix(SYNC_PREFIX)
        if not token.startswith(SYNC_PREFIX) or not number.isdigit():
            return _error("valid-sync-token", DAV, 403, BAD_TOKEN)
        since = int(number)
    refreshed = book_refresh(workspace=workspace)
    if since > refreshed.revision:
        return _error("valid-sync-token", DAV, 403, BAD_TOKEN)
    wanted = _wanted(body)
    by_name = {entry.name: entry for entry in refreshed.entries}
    multistatus = _multistatus()
    for change in book_changes(workspace, since):
        href = _book_url(workspace) + quote(change.name)
        entry = by_name.get(change.name)
        if change.gone or entry is None:
            if since:  # a first sync is told only what is there
                response = SubElement(multistatus, _q(DAV, "response"))
                SubElement(response, _q(DAV, "href")).text = href
                SubElement(response, _q(DAV, "status")).text = "HTTP/1.1 404 Not Found"
        else:
            _response(multistatus, href, _card_props(entry, wanted), wanted)
    SubElement(multistatus, _q(DAV, "sync-token")).text = f"{SYNC_PREFIX}{refreshed.revision}"
    return _xml(multistatus)


@_dav_view
def card(request: HttpRequest, user: User, slug: str, name: str) -> HttpResponse:
    """One card: GET reads it, PUT writes it from the phone, DELETE archives the person."""
    workspace = _workspace(user, slug)
    if workspace is None:
        return HttpResponse(status=404)
    if request.method in ("GET", "HEAD"):
        entry = book_entry(workspace, name)
        if entry is None:
            return HttpResponse(status=404)
        photo = card_photo(entry.person_id) if entry.card.photo_hash else b""
        response = HttpResponse(card_text(entry.card, photo=photo), content_type=VCARD_TYPE)
        response["ETag"] = f'"{card_etag(entry.card)}"'
        return response
    if request.method == "PUT":
        try:
            text = request.body.decode("utf-8")
            _, created = card_put(
                workspace=workspace,
                actor=user,
                name=name,
                text=text,
                if_match=request.headers.get("If-Match", ""),
                if_none_match=request.headers.get("If-None-Match", ""),
            )
        except UnicodeDecodeError:
            return _error("valid-address-data", CARD, 415, "The card is not UTF-8 text.")
        except InvalidCard as exc:
            return _error("valid-address-data", CARD, 400, str(exc))
        except ValidationError as exc:
            return _error("valid-address-data", CARD, 400, " ".join(exc.messages))
        except CardConflict as exc:
            return HttpResponse(str(exc), status=412, content_type="text/plain; charset=utf-8")
        except CardMissing:
            return HttpResponse(status=404)
        # No ETag: the card is stored as Eye Contact writes it, not byte for byte (RFC 7231).
        return HttpResponse(status=201 if created else 204)
    if request.method == "DELETE":
        try:
            card_archive(
                workspace=workspace,
                actor=user,
                name=name,
                if_match=request.headers.get("If-Match", ""),
            )
        except CardMissing:
            return HttpResponse(status=404)
        except CardConflict as exc:
            return HttpResponse(str(exc), status=412, content_type="text/plain; charset=utf-8")
        return HttpResponse(status=204)
    if request.method == "PROPFIND":
        entry = book_entry(workspace, name)
        if entry is None:
            return HttpResponse(status=404)
        wanted = _wanted(_body(request))
        multistatus = _multistatus()
        _response(multistatus, request.path, _card_props(entry, wanted), wanted)
        return _xml(multistatus)
    return _not_allowed()
