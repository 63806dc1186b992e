"""A touch is something that happened: one more than a day ahead is refused at every door."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.cli import app
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import touch_log, touch_update

pytestmark = pytest.mark.django_db


def days_ahead(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


class FutureTouchServiceTests:
    def test_a_touch_more_than_a_day_ahead_is_refused_and_nothing_counts(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        with pytest.raises(ValidationError) as refused:
            touch_log(workspace=workspace, people=[ada], channel="in_person", when=days_ahead(3))
        assert "more than a day from now" in refused.value.message_dict["occurred_at"][0]
        assert not Touch.objects.exists()
        ada.refresh_from_db()
        assert ada.last_in_person_at is None and ada.touch_count == 0

    def test_a_day_two_days_ahead_is_refused_tomorrow_is_not(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        today = timezone.now().date()
        with pytest.raises(ValidationError):
            touch_log(
                workspace=workspace,
                people=[ada],
                channel="phone",
                when=today + dt.timedelta(days=2),
            )
        # Within a day: a time zone ahead, a phone's clock, tonight's dinner typed now.
        touch_log(workspace=workspace, people=[ada], channel="phone", when=days_ahead(0.9))
        assert Touch.objects.count() == 1

    def test_moving_a_touch_into_the_future_is_refused(
        self, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[ada], channel="in_person")
        before = touch.occurred_at
        with pytest.raises(ValidationError, match="more than a day from now"):
            touch_update(touch=touch, when=days_ahead(30))
        touch.refresh_from_db()
        assert touch.occurred_at == before


class FutureTouchDoorsTests:
    def test_the_api_answers_422_naming_when(
        self, user: User, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        _, key = token_create(user=user)
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        response = api.post(
            f"/api/workspaces/{workspace.slug}/touches",
            {"people": [ada.pk], "channel": "in_person", "when": days_ahead(5).isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 422, response.content
        [error] = response.json()["detail"]
        assert error["loc"] == ["body", "when"]
        assert "more than a day from now" in error["msg"]
        assert not Touch.objects.exists()

    def test_the_cli_exits_2_naming_at(self, make_person: Callable[..., Person]) -> None:
        make_person("Ada Lovelace")
        later = (timezone.now().date() + dt.timedelta(days=10)).isoformat()
        result = CliRunner().invoke(app, ["touch", "add", "Ada Lovelace", "--at", later])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("error: at: ")
        assert "more than a day from now" in result.stderr
        assert not Touch.objects.exists()

    def test_the_web_form_shows_the_error_next_to_when(
        self, client: Client, user: User, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        client.force_login(user)
        url = reverse("person_touch_new", kwargs={"slug": ada.workspace.slug, "person_pk": ada.pk})
        later = (timezone.now().date() + dt.timedelta(days=10)).isoformat()
        response = client.post(url, {"channel": "in_person", "when": later})
        assert response.status_code == 200
        assert "more than a day from now" in response.context["touch_form"].errors["when"][0]
        assert not Touch.objects.exists()
