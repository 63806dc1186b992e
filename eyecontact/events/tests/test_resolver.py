"""Booth captures are answered at once and matched to people just after."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import pytest
from django.test import Client

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import token_create
from eyecontact.events.exhibits import (
    capture_resolve,
    capture_store,
    captures_resolve_waiting,
    exhibit_create,
)
from eyecontact.events.models import Capture, Exhibit
from eyecontact.events.resolver import CaptureResolver
from eyecontact.events.services import event_create
from eyecontact.people.models import Person, Touch

MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    event = event_create(workspace=workspace, name="Summit", starts_on=dt.date(2025, 9, 17))
    return exhibit_create(event=event, name="Booth B12", staff=[user])


def store(booth: Exhibit, user: User, **fields: Any) -> Capture:
    body: dict[str, Any] = {"kind": "conversation", "payload": MECARD, **fields}
    capture, created = capture_store(exhibit=booth, actor=user, client_id=uuid.uuid4(), **body)
    assert created
    return capture


@pytest.mark.django_db
class CaptureResolveTests:
    def test_a_stored_capture_waits_with_what_was_typed(self, booth: Exhibit, user: User) -> None:
        capture = store(booth, user, payload="", name="  Kai   Berg ", organization="Nordlys")
        capture.refresh_from_db()
        assert (capture.name, capture.organization) == ("Kai Berg", "Nordlys")
        assert capture.resolved_at is None
        assert capture.person is None
        assert not Person.objects.exists()

    def test_resolving_finds_the_person_and_logs_the_conversation_once(
        self, booth: Exhibit, user: User
    ) -> None:
        capture = store(booth, user)
        resolved = capture_resolve(capture)
        again = capture_resolve(capture)
        assert resolved.person is not None
        assert resolved.person.display_name == "Lena Hartmann"
        assert again.touch_id == resolved.touch_id
        assert Touch.objects.count() == 1
        assert Person.objects.count() == 1

    def test_waiting_captures_of_one_person_become_one_person(
        self, booth: Exhibit, user: User
    ) -> None:
        store(booth, user)
        store(booth, user, kind="visit")
        store(booth, user, payload="", name="Kai Berg")
        assert captures_resolve_waiting() == 3
        assert captures_resolve_waiting() == 0
        assert sorted(Person.objects.values_list("display_name", flat=True)) == [
            "Kai Berg",
            "Lena Hartmann",
        ]
        assert not Capture.objects.filter(resolved_at__isnull=True).exists()

    def test_the_report_counts_captures_still_waiting(self, booth: Exhibit, user: User) -> None:
        from eyecontact.events.exhibits import exhibit_report

        store(booth, user)
        assert exhibit_report(exhibit=booth).waiting == 1
        captures_resolve_waiting()
        report = exhibit_report(exhibit=booth)
        assert (report.waiting, report.conversations) == (0, 1)


@pytest.mark.django_db(transaction=True)
class BackgroundResolverTests:
    def test_the_phone_is_answered_before_matching_and_the_server_matches_after(
        self, workspace: Workspace, user: User, booth: Exhibit, settings: Any
    ) -> None:
        settings.EYECONTACT_CAPTURES_INLINE = False
        _, key = token_create(user=user)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        body = {"client_id": str(uuid.uuid4()), "kind": "conversation", "payload": MECARD}
        resolver = CaptureResolver()
        # The API wakes the process's resolver; this one is the test's own, woken the same way.
        from eyecontact.events import resolver as module

        module.resolver, saved = resolver, module.resolver
        try:
            answer = client.post(
                f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures",
                body,
                content_type="application/json",
            )
            assert answer.status_code == 201
            assert answer.json()["resolved"] is False
            deadline = time.monotonic() + 30
            while Capture.objects.filter(resolved_at__isnull=True).exists():
                assert time.monotonic() < deadline, "the capture was never matched"
                time.sleep(0.05)
        finally:
            module.resolver = saved
            resolver.stop()
        stored = Capture.objects.select_related("person").get()
        assert stored.person is not None
        assert stored.person.display_name == "Lena Hartmann"
        assert stored.touch_id is not None
