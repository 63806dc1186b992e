"""Getting into the JSON API: tokens, the browser session, workspaces and the docs page."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from eyecontact.accounts.auth import CSRF_FAILED
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create, token_revoke, workspace_create
from eyecontact.people.models import Person

WORKSPACES = "/api/workspaces/"


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
class TokenAuthTests:
    def test_a_personal_token_opens_the_api(self, user: User, workspace: Workspace) -> None:
        _, key = token_create(user=user, name="script")
        response = bearer(key).get(WORKSPACES)
        assert response.status_code == 200
        assert [w["slug"] for w in response.json()["items"]] == [workspace.slug]

    def test_using_a_token_records_when_it_was_last_used(self, user: User) -> None:
        token, key = token_create(user=user)
        bearer(key).get(WORKSPACES)
        token.refresh_from_db()
        assert token.last_used_at is not None

    @pytest.mark.parametrize(
        "authorization",
        [
            "",
            "Bearer ec_not-a-real-token",
            "Bearer not-even-an-eye-contact-token",
            "Token ec_wrong-scheme",
            "Basic bW9yZ2FuQGV4YW1wbGUubmV0OnB3",
        ],
    )
    def test_without_a_valid_token_the_answer_is_401(self, user: User, authorization: str) -> None:
        response = Client(HTTP_AUTHORIZATION=authorization).get(WORKSPACES)
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}

    def test_a_revoked_token_is_refused(self, user: User) -> None:
        token, key = token_create(user=user)
        token_revoke(token=token)
        assert bearer(key).get(WORKSPACES).status_code == 401

    def test_the_token_of_a_deactivated_user_is_refused(self, user: User) -> None:
        _, key = token_create(user=user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert bearer(key).get(WORKSPACES).status_code == 401

    def test_a_write_with_a_token_needs_no_csrf_token(
        self, user: User, workspace: Workspace
    ) -> None:
        _, key = token_create(user=user)
        client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
        response = client.post(
            f"/api/workspaces/{workspace.slug}/people",
            {"display_name": "Ada Lovelace"},
            content_type="application/json",
        )
        assert response.status_code == 201

    def test_an_unauthenticated_write_is_401_not_a_csrf_error(self, workspace: Workspace) -> None:
        response = Client(enforce_csrf_checks=True).post(
            f"/api/workspaces/{workspace.slug}/people",
            {"display_name": "Ada Lovelace"},
            content_type="application/json",
        )
        assert response.status_code == 401
        assert not Person.objects.exists()


@pytest.mark.django_db
class SessionAuthTests:
    def test_the_logged_in_browser_can_read(self, user: User, workspace: Workspace) -> None:
        client = Client()
        client.force_login(user)
        response = client.get(WORKSPACES)
        assert response.status_code == 200
        assert response.json()["count"] == 1

    def test_a_browser_write_without_the_csrf_token_is_refused(
        self, user: User, workspace: Workspace
    ) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        response = client.post(
            f"/api/workspaces/{workspace.slug}/people",
            {"display_name": "Ada Lovelace"},
            content_type="application/json",
        )
        assert response.status_code == 403
        assert response.json() == {"detail": CSRF_FAILED}
        assert not Person.objects.exists()

    def test_a_browser_write_with_the_csrf_token_is_saved(
        self, user: User, workspace: Workspace
    ) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get("/api/docs")  # a page that sets the CSRF cookie, as the web app's pages do
        token = client.cookies["csrftoken"].value
        response = client.post(
            f"/api/workspaces/{workspace.slug}/people",
            {"display_name": "Ada Lovelace"},
            content_type="application/json",
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status_code == 201
        assert Person.objects.get().display_name == "Ada Lovelace"

    def test_after_logging_out_the_browser_gets_401(self, user: User) -> None:
        client = Client()
        client.force_login(user)
        client.logout()
        assert client.get(WORKSPACES).status_code == 401


@pytest.mark.django_db
class WorkspacesApiTests:
    def test_only_the_callers_workspaces_are_listed(
        self, user: User, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        team = workspace_create(name="Booth team", owner=user)
        _, key = token_create(user=user)
        body = bearer(key).get(WORKSPACES).json()
        assert body["count"] == 2
        assert [w["slug"] for w in body["items"]] == [team.slug, workspace.slug]

    def test_the_list_is_paged(self, user: User, workspace: Workspace) -> None:
        for n in range(3):
            workspace_create(name=f"Team {n}", owner=user)
        _, key = token_create(user=user)
        body = bearer(key).get(WORKSPACES, {"limit": 2, "offset": 2}).json()
        assert body["count"] == 4
        assert [w["name"] for w in body["items"]] == ["Team 1", "Team 2"]

    def test_a_workspace_the_caller_is_not_a_member_of_is_404(
        self, user: User, other_workspace: Workspace
    ) -> None:
        _, key = token_create(user=user)
        response = bearer(key).get(f"{WORKSPACES}{other_workspace.slug}")
        assert response.status_code == 404
        assert other_workspace.name not in response.content.decode()

    def test_a_workspace_is_shown_to_its_member(self, user: User, workspace: Workspace) -> None:
        _, key = token_create(user=user)
        response = bearer(key).get(f"{WORKSPACES}{workspace.slug}")
        assert response.json() == {
            "slug": workspace.slug,
            "name": "Morgan's network",
            "default_region": "DE",
        }


@pytest.mark.django_db
class DocsTests:
    def test_the_docs_load_only_files_served_by_eye_contact(self) -> None:
        """The docs page works offline: no CDN, no validator badge from swagger.io."""
        response = Client().get("/api/docs")
        assert response.status_code == 200
        page = response.content.decode()
        urls = re.findall(r'(?:src|href)="([^"]+)"', page)
        assert urls
        assert all(url.startswith("/static/ninja/") for url in urls), urls
        assert "//" not in "".join(urls)
        assert '"validatorUrl": null' in page
        for url in urls:
            assert finders.find(url.removeprefix("/static/")), url

    def test_the_openapi_schema_describes_every_workspace_path(self) -> None:
        schema = Client().get("/api/openapi.json").json()
        assert schema["info"]["title"] == "Eye Contact API"
        assert "/api/workspaces/{workspace}/people" in schema["paths"]
        assert "/api/workspaces/{workspace}/touches/{touch_id}" in schema["paths"]
