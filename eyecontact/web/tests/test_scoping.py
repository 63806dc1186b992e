"""Every web page that takes a workspace or an id refuses other workspaces' ones.

The walker reads the URL patterns themselves, so a page added later is checked without anyone
remembering to add it here. It knows what each URL keyword points at; a keyword it does not know
fails the test, so a new kind of id cannot slip past unchecked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from eyecontact.accounts.models import User, Workspace

from .conftest import SECRET_NAME, WorkspaceData

# What each URL keyword of the web app stands for, as an attribute of WorkspaceData.
ID_KWARGS = {
    "person_pk": "person",
    "identity_pk": "identity",
    "connection_pk": "connection",
    "touch_pk": "touch",
    "event_pk": "event",
    "tag_pk": "tag",
    "feed_pk": "feed",
    "exhibit_pk": "exhibit",
    "batch_pk": "batch",
    "review_pk": "review",
    "merge_pk": "merge",
    "record_pk": "source_record",
    "snapshot_pk": "snapshot",
    "cost_pk": "cost",
}
# Keywords that are not ids of a workspace's rows.
OTHER_KWARGS = {"slug", "token"}
# Pages a secret address opens without logging in; an unknown secret is a 404 for everyone.
PUBLIC_PAGES = {"calendar_feed", "password_reset_confirm"}
# Except a password reset link: a wrong one says the link is used or too old and offers a new one
# (someone's mail program may have mangled it), which tells nothing about any account.
INVALID_LINK_PAGES = {"password_reset_confirm"}


def _is_invalid_link_page(pattern_name: str, response: Any) -> bool:
    return (
        pattern_name in INVALID_LINK_PAGES
        and response.status_code == 200
        and response.context["validlink"] is False
    )


MISSING_ID = 987_654_321
# Invitation links are the one door into another workspace, by design: holding the link is the
# permission. A link that is not an open invitation must 404 like any other unknown id.
UNKNOWN_TOKEN = "not-an-invitation"  # noqa: S105  # a made-up link, not a secret


@dataclass(frozen=True)
class WebPattern:
    name: str
    kwargs: frozenset[str]


def _walk(
    patterns: list[URLPattern | URLResolver], inherited: frozenset[str]
) -> Iterator[WebPattern]:
    for entry in patterns:
        converters = frozenset(getattr(entry.pattern, "converters", {}) or {})
        if isinstance(entry, URLResolver):
            # Namespaced includes are the admin and the JSON API, which have their own tests.
            if entry.namespace:
                continue
            yield from _walk(entry.url_patterns, inherited | converters)
        elif entry.name:
            yield WebPattern(entry.name, inherited | converters)


def web_patterns() -> list[WebPattern]:
    """Every named web page whose URL carries a workspace slug, an id or a token."""
    return [p for p in _walk(get_resolver().url_patterns, frozenset()) if p.kwargs]


def _value(kwarg: str, data: WorkspaceData) -> str | int:
    if kwarg == "slug":
        return data.workspace.slug
    if kwarg == "token":
        return UNKNOWN_TOKEN
    pk: int = getattr(data, ID_KWARGS[kwarg]).pk
    return pk


def _urls_to_refuse(pattern: WebPattern, own: WorkspaceData, other: WorkspaceData) -> list[str]:
    """The other workspace's slug and ids; own slug with one or all ids taken from the other."""
    urls = [reverse(pattern.name, kwargs={k: _value(k, other) for k in pattern.kwargs})]
    ids = sorted(pattern.kwargs & set(ID_KWARGS))
    if "slug" in pattern.kwargs and ids:
        urls.append(
            reverse(
                pattern.name,
                kwargs={k: _value(k, other if k in ID_KWARGS else own) for k in pattern.kwargs},
            )
        )
        for foreign in ids:
            kwargs = {k: _value(k, other if k == foreign else own) for k in pattern.kwargs}
            urls.append(reverse(pattern.name, kwargs=kwargs))
    return sorted(set(urls))


def _missing_url(pattern: WebPattern, own: WorkspaceData) -> str:
    kwargs = {k: MISSING_ID if k in ID_KWARGS else _value(k, own) for k in pattern.kwargs}
    return reverse(pattern.name, kwargs=kwargs)


class UrlWalkerTests:
    def test_every_url_keyword_is_known_to_the_walker(self) -> None:
        known = set(ID_KWARGS) | OTHER_KWARGS
        unknown = {(p.name, k) for p in web_patterns() for k in p.kwargs if k not in known}
        assert not unknown, f"teach test_scoping what these URL keywords point at: {unknown}"

    def test_the_walker_finds_the_workspace_pages(self) -> None:
        names = {p.name for p in web_patterns()}
        assert {"people_list", "person_detail", "event_detail", "touch_delete"} <= names
        assert len(names) >= 15


@pytest.mark.django_db
class OtherWorkspaceTests:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_a_member_gets_404_for_another_workspaces_slug_and_ids(
        self,
        member_client: Client,
        own_data: WorkspaceData,
        other_data: WorkspaceData,
        method: str,
    ) -> None:
        checked = 0
        for pattern in web_patterns():
            for url in _urls_to_refuse(pattern, own_data, other_data):
                response = getattr(member_client, method)(url)
                # A page that does not take this method says 405 whatever the id; it must answer
                # exactly as it does for an id that exists nowhere.
                missing = getattr(member_client, method)(_missing_url(pattern, own_data))
                if _is_invalid_link_page(pattern.name, response):
                    continue
                assert response.status_code in (404, 405), (method, url, response.status_code)
                if response.status_code == 405:
                    assert missing.status_code == 405, (method, url)
                assert SECRET_NAME.encode() not in response.content, (method, url)
                checked += 1
        assert checked >= 30
        # Nothing in the other workspace was changed or deleted on the way.
        other_data.person.refresh_from_db()
        assert other_data.person.touches.count() == 1
        assert other_data.person.identities.count() == 1
        assert other_data.person.connections.count() == 1

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_anonymous_visitors_are_sent_to_log_in(
        self, client: Client, other_data: WorkspaceData, method: str
    ) -> None:
        for pattern in web_patterns():
            url = reverse(pattern.name, kwargs={k: _value(k, other_data) for k in pattern.kwargs})
            response = getattr(client, method)(url)
            if pattern.name in PUBLIC_PAGES:
                if _is_invalid_link_page(pattern.name, response):
                    continue
                assert response.status_code in (404, 405), (method, url)
                continue
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), (method, url)

    def test_an_invitation_link_lets_a_logged_in_user_join_only_that_workspace(
        self, member_client: Client, user: User, other_data: WorkspaceData, workspace: Workspace
    ) -> None:
        url = reverse("invitation_accept", kwargs={"token": other_data.invitation_token})
        assert member_client.get(url).status_code == 200
        response = member_client.post(url)
        assert response.status_code == 302
        assert other_data.workspace.memberships.filter(user=user).exists()
        # The link works once.
        assert member_client.get(url).status_code == 404
