"""The pages every user meets: home, their settings, times in their zone, form-only addresses."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.services import event_create
from eyecontact.imports.services import import_file
from eyecontact.insights.services import tag_create
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

from .conftest import LINKEDIN_ROW

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def url(name: str, workspace: Workspace, **kwargs: int) -> str:
    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


class HomeTests:
    def test_logging_in_lands_on_todays_plan_of_the_last_workspace(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"] == url("workspace_home", workspace)

    def test_a_new_workspace_gets_the_three_steps_with_where_to_download_each_export(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(url("workspace_home", workspace))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Three steps to get going" in page
        for network in ("LinkedIn", "Facebook", "X"):
            assert f"<dt>{network}</dt>" in page
        assert "Get a copy of your data" in page
        assert url("import_new", workspace) in page
        assert "Log the last person you met" in page
        assert url("tags", workspace) in page
        steps = response.context["steps"]
        assert (steps.imported, steps.logged, steps.cadence_set) == (False, False, False)

    def test_each_step_is_marked_done_and_the_steps_go_once_all_are(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        import_file(workspace=workspace, file_name="Connections.csv", data=LINKEDIN_ROW.encode())
        steps = member_client.get(url("workspace_home", workspace)).context["steps"]
        assert (steps.imported, steps.logged, steps.cadence_set) == (True, False, False)
        touch_log(workspace=workspace, people=[make_person("Ada")], channel="phone")
        tag_create(workspace=workspace, name="Family", cadence_days=30)
        response = member_client.get(url("workspace_home", workspace))
        assert response.context["steps"].done
        assert "Three steps to get going" not in response.content.decode()

    def test_todays_plan_shows_whom_to_contact_today_who_is_fading_and_the_next_event(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        ada = make_person("Ada Lovelace", cadence_days=30)
        touch_log(
            workspace=workspace,
            people=[ada],
            channel="in_person",
            when=timezone.now() - dt.timedelta(days=60),
        )
        soon = timezone.localdate() + dt.timedelta(days=10)
        event_create(workspace=workspace, name="Expo Lisbon", starts_on=soon)
        event_create(workspace=workspace, name="Long gone", starts_on=soon.replace(year=2001))
        response = member_client.get(url("workspace_home", workspace))
        plan = response.context["plan"]
        assert [r.person for r in plan.due_today] == [ada]
        assert [f.person for f in plan.fading] == [ada]
        assert [e.name for e in plan.upcoming] == ["Expo Lisbon"]
        assert "Ada Lovelace" in response.content.decode()

    def test_the_plan_reads_as_many_queries_for_forty_people_as_for_ten(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                assert member_client.get(url("workspace_home", workspace)).status_code == 200
            return len(context)

        def add(count: int, start: int) -> None:
            for n in range(start, start + count):
                person = make_person(f"Person {n}", cadence_days=7)
                touch_log(
                    workspace=workspace,
                    people=[person],
                    channel="phone",
                    when=timezone.now() - dt.timedelta(days=20 + n),
                )

        add(10, 0)
        queries()  # the first visit also remembers the workspace in the session
        few = queries()
        add(30, 10)
        assert queries() == few


class FormOnlyAddressTests:
    def test_opening_an_address_that_takes_a_form_answers_a_page_pointing_to_the_form(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(url("exhibit_new", workspace), headers=BROWSER)
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        page = response.content.decode()
        assert "This address saves a form" in page
        assert f'href="{url("exhibits_list", workspace)}"' in page

    def test_an_address_with_ids_points_to_the_nearest_page_above_it(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        ada = make_person("Ada")
        response = member_client.get(
            url("identity_new", workspace, person_pk=ada.pk), headers=BROWSER
        )
        assert response.status_code == 405
        assert f'href="{url("person_detail", workspace, person_pk=ada.pk)}"' in (
            response.content.decode()
        )

    def test_a_program_asking_for_something_else_gets_the_plain_answer(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(
            url("exhibit_new", workspace), headers={"Accept": "application/json"}
        )
        assert response.status_code == 405
        assert response.content == b""


class TimeZoneTests:
    def test_a_new_user_has_no_zone_and_the_first_page_asks_the_browser(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        page = member_client.get(url("workspace_home", workspace)).content.decode()
        assert f'data-time-zone-pick="{reverse("time_zone_pick")}"' in page

    def test_the_browsers_zone_is_taken_once_and_a_chosen_one_is_kept(
        self, member_client: Client, user: User
    ) -> None:
        answer = member_client.post(reverse("time_zone_pick"), {"time_zone": "Europe/Berlin"})
        assert answer.json() == {"time_zone": "Europe/Berlin", "changed": True}
        again = member_client.post(reverse("time_zone_pick"), {"time_zone": "Asia/Tokyo"})
        assert again.json() == {"time_zone": "Europe/Berlin", "changed": False}
        user.refresh_from_db()
        assert user.time_zone == "Europe/Berlin"

    def test_an_unknown_zone_from_the_browser_is_refused_with_its_name(
        self, member_client: Client, user: User
    ) -> None:
        answer = member_client.post(reverse("time_zone_pick"), {"time_zone": "Mars/Olympus"})
        assert answer.status_code == 400
        assert "Mars/Olympus" in answer.json()["error"]
        user.refresh_from_db()
        assert user.time_zone == ""

    def test_the_zone_is_changed_in_settings(self, member_client: Client, user: User) -> None:
        page = member_client.get(reverse("user_settings"))
        assert page.status_code == 200
        response = member_client.post(reverse("user_settings"), {"time_zone": "Asia/Tokyo"})
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.time_zone == "Asia/Tokyo"
        refused = member_client.post(reverse("user_settings"), {"time_zone": "Nowhere"})
        assert refused.status_code == 200
        assert "Nowhere" in refused.content.decode()

    @pytest.mark.parametrize(
        ("day", "utc_hour"),
        [
            # Berlin keeps winter time (UTC+1) until 29 March 2026 at 02:00, then UTC+2.
            (dt.date(2026, 3, 28), 6),
            (dt.date(2026, 3, 29), 5),
            # And back to UTC+1 on 25 October 2026 at 03:00.
            (dt.date(2026, 10, 24), 5),
            (dt.date(2026, 10, 25), 6),
        ],
    )
    def test_a_7am_berlin_run_reads_7am_on_both_sides_of_a_daylight_saving_change(
        self,
        member_client: Client,
        user: User,
        workspace: Workspace,
        make_person: MakePerson,
        day: dt.date,
        utc_hour: int,
    ) -> None:
        user.time_zone = "Europe/Berlin"
        user.save(update_fields=["time_zone"])
        ada = make_person("Ada")
        # Typed on a page: "07:00" is read in the user's zone and stored in UTC.
        response = member_client.post(
            url("person_touch_new", workspace, person_pk=ada.pk),
            {"channel": "in_person", "when": f"{day:%Y-%m-%d} 07:00", "note": "Morning run"},
        )
        assert response.status_code in (200, 302)
        touch = ada.touches.get()
        assert touch.occurred_at == dt.datetime(
            day.year, day.month, day.day, utc_hour, tzinfo=dt.UTC
        )
        page = member_client.get(url("person_detail", workspace, person_pk=ada.pk))
        assert f"{day.day} {day:%b} {day.year}, 07:00" in page.content.decode()

    def test_a_ces_meeting_reads_in_las_vegas_time_on_the_event_page(
        self, member_client: Client, user: User, workspace: Workspace, make_person: MakePerson
    ) -> None:
        user.time_zone = "Europe/Berlin"
        user.save(update_fields=["time_zone"])
        ces = event_create(
            workspace=workspace,
            name="CES 2026",
            starts_on=dt.date(2026, 1, 6),
            city="Las Vegas",
            time_zone="America/Los_Angeles",
        )
        meeting = dt.datetime(2026, 1, 7, 10, 30, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles"))
        touch_log(
            workspace=workspace,
            people=[make_person("Ada")],
            channel="in_person",
            when=meeting,
            event=ces,
        )
        page = member_client.get(url("event_detail", workspace, event_pk=ces.pk)).content.decode()
        assert "7 Jan 2026, 10:30" in page
        assert "America/Los_Angeles" in page
        # The person's own timeline stays in the user's zone: 19:30 in Berlin.
        person = ces.touches.get().people.get()
        timeline = member_client.get(url("person_detail", workspace, person_pk=person.pk))
        assert "7 Jan 2026, 19:30" in timeline.content.decode()

    def test_an_event_refuses_a_zone_that_does_not_exist(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(
            url("event_new", workspace),
            {"name": "Expo", "kind": "conference", "starts_on": "2026-05-01", "time_zone": "X/Y"},
        )
        assert response.status_code == 200
        assert workspace.events.count() == 0
