"""The exhibits pages: booths, their costs, staff and report, and the booth capture page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import user_create, workspace_add_member
from eyecontact.events.exhibits import (
    capture_record,
    capture_store,
    captures_resolve_waiting,
    exhibit_add_cost,
    exhibit_create,
)
from eyecontact.events.models import Capture, Event, Exhibit, ExhibitCost
from eyecontact.events.services import event_create

from .conftest import WorkspaceData

MISSING_ID = 987_654_321
MECARD = "MECARD:N:Hartmann,Lena;ORG:Flora Analytics;EMAIL:lena@flora-analytics.example;;"


@pytest.fixture
def event(workspace: Workspace) -> Event:
    # On today: captures are taken now unless a test says when.
    return event_create(workspace=workspace, name="Summit", starts_on=timezone.localdate())


@pytest.fixture
def booth(event: Event, user: User) -> Exhibit:
    return exhibit_create(event=event, name="Booth B12", staff=[user])


def url(name: str, workspace: Workspace, exhibit: Exhibit | None = None, **extra: Any) -> str:
    kwargs: dict[str, Any] = {"slug": workspace.slug, **extra}
    if exhibit is not None:
        kwargs["exhibit_pk"] = exhibit.pk
    return reverse(name, kwargs=kwargs)


def capture(booth: Exhibit, user: User, **fields: Any) -> Capture:
    fields.setdefault("kind", "conversation")
    fields.setdefault("client_id", uuid.uuid4())
    stored, _ = capture_record(exhibit=booth, actor=user, **fields)
    return stored


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode())))


@pytest.mark.django_db
class ExhibitsListTests:
    def test_a_member_sees_each_booth_with_its_visits_and_conversations(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        capture(booth, user, payload=MECARD)
        capture(booth, user, kind="visit", name="Walk By")
        response = member_client.get(url("exhibits_list", workspace))
        assert response.status_code == 200
        row = response.content.decode()
        assert "Booth B12" in row
        assert "Summit" in row
        assert url("exhibit_capture", workspace, booth) in row

    def test_the_list_needs_few_queries_however_many_booths(
        self,
        member_client: Client,
        workspace: Workspace,
        event: Event,
        user: User,
        django_assert_max_num_queries: Any,
    ) -> None:
        for n in range(12):
            exhibit = exhibit_create(event=event, name=f"Booth {n}", staff=[user])
            capture(exhibit, user, name=f"Visitor {n}", kind="visit")
        with django_assert_max_num_queries(12):
            response = member_client.get(url("exhibits_list", workspace))
        assert response.content.decode().count("Booth ") >= 12

    def test_adding_a_booth_saves_it_with_its_staff_and_opens_it(
        self, member_client: Client, workspace: Workspace, event: Event, user: User
    ) -> None:
        response = member_client.post(
            url("exhibit_new", workspace),
            {"event": event.pk, "name": "  Stand  7 ", "currency": "eur", "staff": [user.pk]},
        )
        exhibit = Exhibit.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("exhibit_detail", workspace, exhibit)
        assert (exhibit.name, exhibit.currency, exhibit.event) == ("Stand 7", "EUR", event)
        assert list(exhibit.staff.all()) == [user]

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"name": ""}, "name", "This field is required."),
            ({"currency": "euro"}, "currency", "three-letter currency code"),
            ({"event": MISSING_ID}, "event", "Select a valid choice"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
        self,
        member_client: Client,
        workspace: Workspace,
        event: Event,
        fields: dict[str, Any],
        field: str,
        message: str,
    ) -> None:
        data = {"event": event.pk, "name": "Booth", "currency": "USD", **fields}
        response = member_client.post(url("exhibit_new", workspace), data)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[field])
        assert not Exhibit.objects.exists()

    def test_an_event_or_a_member_of_another_workspace_cannot_be_picked(
        self,
        member_client: Client,
        workspace: Workspace,
        event: Event,
        other_data: WorkspaceData,
        other_user: User,
    ) -> None:
        response = member_client.post(
            url("exhibit_new", workspace),
            {"event": other_data.event.pk, "name": "Booth", "currency": "USD"},
        )
        assert "event" in response.context["form"].errors
        response = member_client.post(
            url("exhibit_new", workspace),
            {"event": event.pk, "name": "Booth", "currency": "USD", "staff": [other_user.pk]},
        )
        assert "staff" in response.context["form"].errors
        assert not Exhibit.objects.filter(workspace=workspace).exists()

    def test_without_events_the_page_says_to_add_one_first(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(url("exhibits_list", workspace))
        assert b"Add the event first" in response.content

    def test_the_nav_and_the_event_page_link_to_the_exhibits(
        self, member_client: Client, workspace: Workspace, event: Event
    ) -> None:
        link = f'href="{url("exhibits_list", workspace)}"'.encode()
        assert link in member_client.get(url("people_list", workspace)).content
        event_page = member_client.get(reverse("event_detail", args=[workspace.slug, event.pk]))
        assert event_page.content.count(link) == 2


@pytest.mark.django_db
class ExhibitPageTests:
    def test_the_report_sets_the_cost_against_entrants_and_conversations(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("1500"))
        exhibit_add_cost(exhibit=booth, category="travel", amount=Decimal("500"), note="Train")
        capture(booth, user, payload=MECARD)
        capture(booth, user, kind="visit", name="Walk By")
        response = member_client.get(url("exhibit_detail", workspace, booth))
        page = response.content.decode()
        report = response.context["report"]
        assert (report.entrants, report.conversations) == (2, 1)
        assert "USD 2,000.00" in page  # total
        assert "USD 1,000.00" in page  # per entrant
        assert "published: $160" in page
        assert "published: $260" in page
        assert "Train" in page
        assert "Lasting relationships" in page

    def test_the_charts_draw_conversations_by_staff_and_hour_with_their_numbers_as_csv(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        moment = dt.datetime.combine(timezone.localdate(), dt.time(10, 15), tzinfo=dt.UTC)
        capture(booth, user, payload=MECARD, captured_at=moment)
        capture(booth, user, name="Kai Berg", captured_at=moment + dt.timedelta(hours=2))
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert page.count('<div class="chart chart-bars"') == 2
        staff = member_client.get(url("exhibit_chart_csv", workspace, booth, chart="by_staff"))
        assert csv_rows(staff.content) == [["staff_member", "conversations"], [user.email, "2"]]
        hours = member_client.get(url("exhibit_chart_csv", workspace, booth, chart="by_hour"))
        assert csv_rows(hours.content) == [
            ["hour", "conversations"],
            ["10:00", "1"],
            ["11:00", "0"],
            ["12:00", "1"],
        ]

    def test_captures_still_being_matched_are_announced_until_they_are(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        capture_store(exhibit=booth, actor=user, client_id=uuid.uuid4(), kind="visit", name="Kai")
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert "1 capture still being matched to people" in page
        captures_resolve_waiting()
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert "still being matched" not in page

    def test_a_booth_without_captures_says_so_instead_of_drawing(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert page.count("No conversations captured yet.") == 2
        empty = member_client.get(url("exhibit_chart_csv", workspace, booth, chart="by_hour"))
        assert csv_rows(empty.content) == [["hour", "conversations"]]

    def test_the_report_page_needs_few_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        booth: Exhibit,
        user: User,
        django_assert_max_num_queries: Any,
    ) -> None:
        for n in range(10):
            capture(booth, user, name=f"Visitor {n}")
            exhibit_add_cost(exhibit=booth, category="other", amount=Decimal(n))
        with django_assert_max_num_queries(16):
            assert member_client.get(url("exhibit_detail", workspace, booth)).status_code == 200

    def test_a_cost_line_is_added(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        response = member_client.post(
            url("exhibit_cost_new", workspace, booth),
            {"category": "giveaways", "amount": "249.50", "note": "Stickers"},
        )
        assert response.status_code == 302
        cost = ExhibitCost.objects.get()
        assert (cost.category, cost.amount, cost.note) == (
            "giveaways",
            Decimal("249.50"),
            "Stickers",
        )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"amount": "-5"}, "amount"),
            ({"amount": "lots"}, "amount"),
            ({"category": "bribes"}, "category"),
        ],
    )
    def test_a_bad_cost_is_refused_next_to_the_field(
        self,
        member_client: Client,
        workspace: Workspace,
        booth: Exhibit,
        fields: dict[str, str],
        field: str,
    ) -> None:
        data = {"category": "space", "amount": "100", **fields}
        response = member_client.post(url("exhibit_cost_new", workspace, booth), data)
        assert response.status_code == 200
        assert response.context["cost_form"].errors[field]
        assert b'class="errorlist' in response.content
        assert not ExhibitCost.objects.exists()

    def test_staff_are_chosen_from_the_members(
        self,
        member_client: Client,
        workspace: Workspace,
        booth: Exhibit,
        user: User,
        other_user: User,
    ) -> None:
        colleague = user_create(email="sam@example.net", password="x-Unused-password-1")
        workspace_add_member(workspace=workspace, user=colleague)
        staff_url = url("exhibit_staff", workspace, booth)
        response = member_client.post(staff_url, {"staff": [colleague.pk]})
        assert response.status_code == 302
        assert list(booth.staff.all()) == [colleague]
        refused = member_client.post(staff_url, {"staff": [other_user.pk]})
        assert refused.context["staff_form"].errors["staff"]
        assert list(booth.staff.all()) == [colleague]
        page = member_client.get(url("exhibit_detail", workspace, booth)).content
        assert b"You are not on this booth's staff" in page

    def test_leads_download_as_csv_and_vcard(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        capture(booth, user, payload=MECARD, rating=4, follow_up=True)
        leads = member_client.get(url("exhibit_leads_csv", workspace, booth))
        assert leads["Content-Type"].startswith("text/csv")
        rows = csv_rows(leads.content)
        assert rows[1][2:6] == [
            "Lena Hartmann",
            "Flora Analytics",
            "",
            "lena@flora-analytics.example",
        ]
        cards = member_client.get(url("exhibit_leads_vcard", workspace, booth))
        assert cards["Content-Type"] == "text/vcard"
        assert b"FN:Lena Hartmann" in cards.content


@pytest.mark.django_db
class CapturePageTests:
    def test_the_page_carries_the_queue_s_addresses_and_a_fresh_capture_id(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        response = member_client.get(url("exhibit_capture", workspace, booth))
        page = response.content.decode()
        assert response.status_code == 200
        api = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}"
        assert f'data-sync-url="{api}/captures/sync"' in page
        assert f'data-attendees-url="{api}/attendees"' in page
        assert f'data-sw-url="{url("exhibit_capture_sw", workspace, booth)}"' in page
        assert "/static/vendor/jsQR.js" in page
        form = response.context["form"]
        assert uuid.UUID(str(form["client_id"].value())).version == 4
        for label in ("Name", "Organization", "E-mail", "Interests", "Note", "Follow up"):
            assert f">{label}</label>" in page or f"> {label}</label>" in page, label
        assert "not on this booth's staff" not in page

    def test_the_service_worker_is_served_under_the_page_and_keeps_its_files(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        page = url("exhibit_capture", workspace, booth)
        response = member_client.get(url("exhibit_capture_sw", workspace, booth))
        script = response.content.decode()
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Service-Worker-Allowed"] == page
        assert url("exhibit_capture_sw", workspace, booth).startswith(page)
        assert f'const PAGE = "{page}"' in script.replace("\\u002D", "-")
        for asset in ("eyecontact/capture.js", "eyecontact/capture.css", "vendor/jsQR.js"):
            assert f'"/static/{asset}"' in script

    def test_without_javascript_the_form_captures_once_per_id(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        client_id = uuid.uuid4()
        data = {
            "client_id": str(client_id),
            "kind": "visit",
            "name": "Kai Berg",
            "organization": "Nordlicht",
            "email": "kai@nordlicht.example",
            "rating": "3",
            "interests": "APIs",
            "note": "Wants a demo",
            "follow_up": "on",
        }
        first = member_client.post(url("exhibit_capture", workspace, booth), data, follow=True)
        again = member_client.post(url("exhibit_capture", workspace, booth), data)
        assert b"Saved the visit with Kai Berg." in first.content
        assert again.status_code == 302
        stored = Capture.objects.get()
        assert (stored.client_id, stored.kind, stored.rating) == (client_id, "visit", 3)
        assert stored.person is not None
        assert stored.person.display_name == "Kai Berg"
        assert (stored.interests, stored.note, stored.follow_up) == ("APIs", "Wants a demo", True)

    def test_a_capture_of_no_one_is_refused_with_the_reason(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        data = {"client_id": str(uuid.uuid4()), "kind": "conversation"}
        response = member_client.post(url("exhibit_capture", workspace, booth), data)
        assert response.status_code == 200
        assert b"Scan a badge, pick an attendee or type a name." in response.content
        assert not Capture.objects.exists()

    def test_a_member_off_the_staff_is_warned_and_refused(
        self, member_client: Client, workspace: Workspace, event: Event
    ) -> None:
        booth = exhibit_create(event=event, name="Booth C3")
        page = member_client.get(url("exhibit_capture", workspace, booth))
        assert b"You are not on this booth's staff" in page.content
        data = {"client_id": str(uuid.uuid4()), "kind": "visit", "name": "Kai Berg"}
        assert member_client.post(url("exhibit_capture", workspace, booth), data).status_code == 403
        assert not Capture.objects.exists()


@pytest.mark.django_db
class CapturePathTests:
    """What one capture costs the server, so the booth keeps up with a busy show floor."""

    @pytest.mark.parametrize(
        ("body", "resolving"),
        [
            ({"kind": "visit", "name": "Walk By"}, 15),
            ({"kind": "conversation", "payload": MECARD}, 34),
        ],
    )
    def test_the_phone_waits_only_for_the_capture_to_be_stored(
        self,
        user: User,
        workspace: Workspace,
        booth: Exhibit,
        body: dict[str, Any],
        resolving: int,
        django_assert_max_num_queries: Any,
        settings: Any,
    ) -> None:
        settings.EYECONTACT_CAPTURES_INLINE = False
        client = Client()
        client.force_login(user)
        api = f"/api/workspaces/{workspace.slug}/exhibits/{booth.pk}/captures"
        payload = {"client_id": str(uuid.uuid4()), **body}
        # The browser's session and user, the exhibit with the staff check, the INSERT (in a
        # savepoint here, as the test runs in a transaction; a lone statement when served).
        with django_assert_max_num_queries(6):
            response = client.post(api, payload, content_type="application/json")
        assert response.status_code == 201
        assert response.json()["resolved"] is False
        with django_assert_max_num_queries(8):
            again = client.post(api, payload, content_type="application/json")
        assert again.status_code == 200
        # Then, behind the answer, the person is found or made, and a conversation logged.
        with django_assert_max_num_queries(resolving):
            assert captures_resolve_waiting() == 1
        stored = Capture.objects.get()
        assert stored.resolved_at is not None
        assert stored.person is not None
        assert (stored.touch is not None) == (body["kind"] == "conversation")


@pytest.mark.django_db
class CostLinePageTests:
    def test_a_cost_line_is_edited_from_the_exhibit_page(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        cost = exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        edit = url("exhibit_cost_edit", workspace, booth, cost_pk=cost.pk)
        assert f'href="{edit}"' in page
        form = member_client.get(edit)
        assert form.status_code == 200 and b'value="3000' in form.content
        response = member_client.post(
            edit, {"category": "stand", "amount": "2750.25", "note": "Walls and lights"}
        )
        assert response["Location"] == url("exhibit_detail", workspace, booth)
        cost.refresh_from_db()
        assert (cost.category, cost.amount, cost.note) == (
            "stand",
            Decimal("2750.25"),
            "Walls and lights",
        )
        shown = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert "2,750.25" in shown

    def test_a_bad_amount_is_shown_on_the_form_and_nothing_changes(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        cost = exhibit_add_cost(exhibit=booth, category="space", amount=Decimal("3000"))
        edit = url("exhibit_cost_edit", workspace, booth, cost_pk=cost.pk)
        response = member_client.post(edit, {"category": "space", "amount": "-4"})
        assert response.status_code == 200
        assert response.context["form"].errors["amount"]
        cost.refresh_from_db()
        assert cost.amount == Decimal("3000")

    def test_a_cost_line_is_deleted_from_the_exhibit_page(
        self, member_client: Client, workspace: Workspace, booth: Exhibit
    ) -> None:
        cost = exhibit_add_cost(exhibit=booth, category="travel", amount=Decimal("800"))
        remove = url("exhibit_cost_remove", workspace, booth, cost_pk=cost.pk)
        page = member_client.get(url("exhibit_detail", workspace, booth)).content.decode()
        assert f'action="{remove}"' in page
        assert member_client.get(remove).status_code == 405
        response = member_client.post(remove)
        assert response["Location"] == url("exhibit_detail", workspace, booth)
        assert not ExhibitCost.objects.exists()

    def test_a_cost_line_of_another_workspace_is_not_found(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, other_data: WorkspaceData
    ) -> None:
        theirs = exhibit_add_cost(exhibit=other_data.exhibit, category="space", amount=Decimal(9))
        for name in ("exhibit_cost_edit", "exhibit_cost_remove"):
            # Through their exhibit (not ours) and through ours (not their line).
            mine = url(name, workspace, booth, cost_pk=theirs.pk)
            assert member_client.post(mine, {"category": "space", "amount": "1"}).status_code == 404
        theirs.refresh_from_db()
        assert theirs.amount == Decimal(9)


@pytest.mark.django_db
class ExhibitCountsAgreeTests:
    def test_the_list_counts_the_people_the_report_counts(
        self, member_client: Client, workspace: Workspace, booth: Exhibit, user: User
    ) -> None:
        now = timezone.now()
        capture(booth, user, kind="visit", payload=MECARD, captured_at=now)
        capture(booth, user, payload=MECARD, captured_at=now)  # the same Lena, now talking
        capture(booth, user, kind="visit", name="Kai Berg", captured_at=now)
        capture(booth, user, name="Early Bird", captured_at=now - dt.timedelta(days=9))
        listed = member_client.get(url("exhibits_list", workspace)).context["exhibits"]
        [row] = list(listed)
        report = member_client.get(url("exhibit_detail", workspace, booth)).context["report"]
        assert (row.entrant_total, row.conversation_total) == (2, 1)
        assert (report.entrants, report.conversations, report.outside_dates) == (2, 1, 1)
        leads = csv_rows(member_client.get(url("exhibit_leads_csv", workspace, booth)).content)
        assert len(leads) - 1 == report.entrants
        chart = csv_rows(
            member_client.get(url("exhibit_chart_csv", workspace, booth, chart="by_staff")).content
        )
        assert sum(int(row[-1]) for row in chart[1:]) == report.conversations
