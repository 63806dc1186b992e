"""The exhibits API the booth page talks to."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import PASSWORD
from eyecontact.accounts.models import Membership, User, Workspace
from eyecontact.accounts.services import token_create, user_create, workspace_add_member
from eyecontact.events.exhibits import exhibit_add_cost, exhibit_create
from eyecontact.events.models import Capture, Event, Exhibit, ExhibitCost
from eyecontact.events.services import event_create
from eyecontact.people.models import Touch

MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"


def bearer(user: User) -> Client:
    _, key = token_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def booth(workspace: Workspace, user: User) -> Exhibit:
    event = event_create(workspace=workspace, name="Summit", starts_on=dt.date(2025, 9, 17))
    return exhibit_create(event=event, name="Booth B12", staff=[user])


@pytest.fixture
def url(workspace: Workspace, booth: Exhibit) -> str:
    return f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}"


def capture(**fields: Any) -> dict[str, Any]:
    return {"client_id": str(uuid.uuid4()), "kind": "conversation", "payload": MECARD, **fields}


@pytest.mark.django_db
class CostApiTests:
    def test_a_cost_line_is_added_corrected_and_deleted(self, user: User, url: str) -> None:
        client = bearer(user)
        added = client.post(
            f"{url}/costs",
            {"category": "space", "amount": "3000", "note": "Hall B"},
            content_type="application/json",
        )
        assert added.status_code == 201, added.content
        line = f"{url}/costs/{added.json()['id']}"
        fixed = client.patch(
            line,
            {"category": "stand", "amount": "2500.50", "note": "Walls"},
            content_type="application/json",
        )
        assert fixed.status_code == 200, fixed.content
        assert (fixed.json()["category"], fixed.json()["amount"]) == ("stand", "2500.50")
        assert client.get(f"{url}/report").json()["cost"] == "2500.50"
        assert client.delete(line).status_code == 204
        assert client.get(f"{url}/report").json()["cost"] == "0.00"
        assert client.delete(line).status_code == 404

    def test_a_cost_line_of_another_exhibit_is_not_found(
        self, user: User, url: str, booth: Exhibit
    ) -> None:
        other = exhibit_create(event=booth.event, name="Booth C3", staff=[user])
        cost = exhibit_add_cost(exhibit=other, category="space", amount=Decimal("10"))
        answer = bearer(user).delete(f"{url}/costs/{cost.pk}")
        assert answer.status_code == 404
        assert ExhibitCost.objects.filter(pk=cost.pk).exists()

    def test_a_capture_of_a_wifi_code_is_refused_with_422(self, user: User, url: str) -> None:
        answer = bearer(user).post(
            f"{url}/captures",
            capture(payload="WIFI:T:WPA;S:Guest;P:secret;;", name="Ada Lovelace"),
            content_type="application/json",
        )
        assert answer.status_code == 422, answer.content
        assert "Wi-Fi network, not a badge" in answer.content.decode()
        assert not Capture.objects.exists()


@pytest.mark.django_db
class CaptureApiTests:
    def test_a_capture_is_created_then_found_again_by_its_client_id(
        self, user: User, url: str
    ) -> None:
        client = bearer(user)
        body = capture(captured_at="2025-09-17T10:42:00+02:00", rating=5)
        first = client.post(f"{url}/captures", body, content_type="application/json")
        again = client.post(f"{url}/captures", body, content_type="application/json")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert first.json()["person"] == "Lena Hartmann"
        assert Capture.objects.count() == Touch.objects.count() == 1

    def test_a_queue_syncs_with_one_answer_per_capture(self, user: User, url: str) -> None:
        client = bearer(user)
        good, bad = capture(), capture(kind="visit", payload="", name="")
        answer = client.post(
            f"{url}/captures/sync", {"captures": [good, good, bad]}, content_type="application/json"
        )
        assert answer.status_code == 200
        statuses = [r["status"] for r in answer.json()["results"]]
        assert statuses == ["created", "existing", "refused"]
        assert answer.json()["results"][2]["errors"][0]["loc"] == ["body", "payload"]
        assert Capture.objects.count() == 1

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"kind": "hug"}, "kind"),
            ({"rating": 7}, "rating"),
            ({"client_id": "nope"}, "client_id"),
        ],
    )
    def test_bad_captures_get_422_with_the_field(
        self, user: User, url: str, fields: dict[str, Any], field: str
    ) -> None:
        answer = bearer(user).post(
            f"{url}/captures", capture(**fields), content_type="application/json"
        )
        assert answer.status_code == 422
        assert ["body", field] in [e["loc"] for e in answer.json()["detail"]]
        assert not Capture.objects.exists()

    def test_a_member_not_on_the_staff_is_refused(self, workspace: Workspace, url: str) -> None:
        colleague = user_create(email="sam@example.net", password=PASSWORD)
        workspace_add_member(workspace=workspace, user=colleague)
        answer = bearer(colleague).post(
            f"{url}/captures", capture(), content_type="application/json"
        )
        assert answer.status_code == 403
        assert not Capture.objects.exists()

    def test_staff_who_left_the_workspace_get_404(
        self, workspace: Workspace, booth: Exhibit, url: str
    ) -> None:
        colleague = user_create(email="sam@example.net", password=PASSWORD)
        workspace_add_member(workspace=workspace, user=colleague)
        booth.staff.add(colleague)
        client = bearer(colleague)
        Membership.objects.filter(workspace=workspace, user=colleague).delete()  # as the admin does
        answer = client.post(f"{url}/captures", capture(), content_type="application/json")
        assert answer.status_code == 404
        assert not Capture.objects.exists()

    def test_staff_of_another_workspace_get_404(
        self, other_user: User, other_workspace: Workspace, booth: Exhibit
    ) -> None:
        their_event = event_create(
            workspace=other_workspace, name="Theirs", starts_on=dt.date(2025, 9, 17)
        )
        exhibit_create(event=their_event, name="Their booth", staff=[other_user])
        answer = bearer(other_user).post(
            f"/api/workspaces/{other_workspace.slug}/exhibits/{booth.pk}/captures",
            capture(),
            content_type="application/json",
        )
        assert answer.status_code == 404
        assert not Capture.objects.exists()

    def test_the_report_and_leads_download(self, user: User, url: str) -> None:
        client = bearer(user)
        on_the_day = capture(captured_at="2025-09-17T10:42:00+02:00")
        client.post(f"{url}/captures", on_the_day, content_type="application/json")
        report = client.get(f"{url}/report").json()
        assert (report["conversations"], report["published_cost_per_entrant"]) == (1, "160.00")
        listed = client.get(url).json()
        assert (listed["entrants"], listed["conversations"], listed["visits"]) == (1, 1, 0)
        leads = client.get(f"{url}/leads.csv")
        assert leads["Content-Type"] == "text/csv"
        assert b"Lena Hartmann" in leads.content
        assert b"FN:Lena Hartmann" in client.get(f"{url}/leads.vcf").content


@pytest.mark.django_db
class ExhibitApiTests:
    def test_an_exhibit_is_created_with_its_staff(self, user: User, workspace: Workspace) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=dt.date(2027, 1, 6))
        answer = bearer(user).post(
            f"/api/workspaces/{workspace.slug}/exhibits",
            {"event_id": event.pk, "name": "Booth 7", "currency": "usd", "staff": [user.email]},
            content_type="application/json",
        )
        assert answer.status_code == 201
        assert (answer.json()["staff"], answer.json()["currency"]) == ([user.email], "USD")

    def test_staff_must_be_members(self, user: User, workspace: Workspace) -> None:
        event = event_create(workspace=workspace, name="CES", starts_on=dt.date(2027, 1, 6))
        answer = bearer(user).post(
            f"/api/workspaces/{workspace.slug}/exhibits",
            {"event_id": event.pk, "name": "Booth 7", "staff": ["stranger@example.org"]},
            content_type="application/json",
        )
        assert answer.status_code == 422
        assert not Exhibit.objects.exists()

    def test_an_attendee_list_uploads_as_csv(self, user: User, booth: Exhibit) -> None:
        event: Event = booth.event
        upload = ("attendees.csv", b"Name,Company,Badge ID\nLena Hartmann,Flora,B-1\n")
        answer = bearer(user).post(
            f"/api/workspaces/{event.workspace.slug}/events/{event.pk}/attendees",
            {"file": SimpleUploadedFile(*upload, content_type="text/csv")},
        )
        assert answer.status_code == 201
        assert answer.json()["added"] == 1
        listed = bearer(user).get(
            f"/api/workspaces/{event.workspace.slug}/exhibits/{booth.pk}/attendees"
        )
        assert [a["badge_id"] for a in listed.json()["items"]] == ["B-1"]
