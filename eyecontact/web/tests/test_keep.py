"""Keeping in touch on the web: this week, the person card, tags, settings, feeds, event plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django import DjangoAssertNumQueries

from eyecontact.accounts.models import User, Workspace
from eyecontact.contacts.services import contact_details_keep
from eyecontact.events.models import Event
from eyecontact.events.services import event_create
from eyecontact.insights.models import CalendarFeed, PlanItem, ReminderState, Tag
from eyecontact.insights.selectors import keep_in_touch_settings
from eyecontact.insights.services import feed_create, feed_revoke, tag_create, tag_person
from eyecontact.people.models import Person, Touch
from eyecontact.people.services import connection_add, touch_log
from eyecontact.web.views.keep import _snooze_days

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]
HTMX = {"HX-Request": "true"}
WEEK = {"HX-Request": "true", "HX-Target": "keep-week"}


def url(name: str, workspace: Workspace, **kwargs: int) -> str:
    return reverse(name, kwargs={"slug": workspace.slug, **kwargs})


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def due(workspace: Workspace, make_person: MakePerson) -> tuple[Person, Person]:
    """Two people past their monthly cadence: both on this week's list and fading."""
    ada = make_person("Ada Lovelace", cadence_days=30)
    grace = make_person("Grace Hopper", cadence_days=30)
    for _ in range(3):
        touch_log(workspace=workspace, people=[ada], channel="in_person", when=days_ago(60))
    touch_log(workspace=workspace, people=[grace], channel="phone", when=days_ago(90))
    return ada, grace


class ThisWeekTests:
    def test_the_week_lists_who_to_contact_and_why_and_the_fading_list(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        response = member_client.get(url("keep_week", workspace))
        assert response.status_code == 200
        ada, grace = due
        # Longest overdue first this week; the fading list puts the strongest first.
        assert [r.person for r in response.context["reminders"]] == [grace, ada]
        assert [f.person for f in response.context["fading"]] == [ada, grace]
        page = response.content.decode()
        assert "your goal is every 30 days" in page
        assert "3 in-person meetings" in page
        assert "Snooze" in page and "Done" in page

    @pytest.mark.parametrize("offset", range(7))
    def test_next_week_is_never_sooner_than_in_three_days(self, offset: int) -> None:
        """On a Sunday too: "Next week" once meant tomorrow, before "+3 days"."""
        sunday = dt.date(2026, 12, 6)
        today = sunday + dt.timedelta(days=offset)
        (three_label, three), (week_label, week) = _snooze_days(today)
        assert (three_label, week_label) == ("+3 days", "Next week")
        assert today < three < week

    def test_the_week_groups_people_by_the_day_to_act_and_pages_them(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        for n in range(24):
            friend = make_person(f"Friend {n:02}", cadence_days=30)
            touch_log(workspace=workspace, people=[friend], channel="phone", when=days_ago(40 + n))
        first = member_client.get(url("keep_week", workspace))
        headings = [group["heading"] for group in first.context["days"]]
        assert headings[:2] == ["Today", "Tomorrow"]
        assert [len(group["rows"]) for group in first.context["days"]] == [5, 5, 5, 5]
        assert 'aria-label="Pages of people to get in touch with"' in first.content.decode()
        second = member_client.get(url("keep_week", workspace), {"page": 2})
        assert sum(len(group["rows"]) for group in second.context["days"]) == 4
        shown = {
            reminder.person.pk
            for response in (first, second)
            for group in response.context["days"]
            for reminder, _ in group["rows"]
        }
        assert len(shown) == 24

    def test_the_nav_links_to_this_week(self, member_client: Client, workspace: Workspace) -> None:
        page = member_client.get(url("people_list", workspace)).content.decode()
        assert f'href="{url("keep_week", workspace)}"' in page
        assert ">This week</a>" in page

    def test_snoozing_with_htmx_redraws_the_week_without_them(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, grace = due
        until = timezone.localdate() + dt.timedelta(days=3)
        response = member_client.post(
            url("reminder_snooze", workspace, person_pk=ada.pk),
            {"until": until.isoformat()},
            headers=WEEK,
        )
        assert response.status_code == 200
        assert [r.person for r in response.context["reminders"]] == [grace]
        assert b"Snoozed Ada Lovelace until" in response.content
        assert ReminderState.objects.get(person=ada).snoozed_until == until

    def test_snoozing_to_a_picked_date_works_without_javascript(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        day = timezone.localdate() + dt.timedelta(days=20)
        response = member_client.post(
            url("reminder_snooze", workspace, person_pk=ada.pk), {"day": day.isoformat()}
        )
        assert response.status_code == 302
        assert ReminderState.objects.get(person=ada).snoozed_until == day

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"day": "2001-01-01"}, "Snooze until a day in the future."),
            ({}, "Pick the day the reminder should come back."),
            ({"day": "not a day"}, "Enter a valid date."),
        ],
    )
    def test_a_bad_snooze_day_is_refused_next_to_the_reminder(
        self,
        member_client: Client,
        workspace: Workspace,
        due: tuple[Person, Person],
        data: dict[str, str],
        message: str,
    ) -> None:
        ada, _ = due
        response = member_client.post(
            url("reminder_snooze", workspace, person_pk=ada.pk), data, headers=WEEK
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not ReminderState.objects.filter(person=ada).exists()

    def test_done_takes_them_off_the_week_and_the_fading_list(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, grace = due
        response = member_client.post(
            url("reminder_done", workspace, person_pk=ada.pk), headers=WEEK
        )
        assert [r.person for r in response.context["reminders"]] == [grace]
        assert [f.person for f in response.context["fading"]] == [grace]
        assert ReminderState.objects.get(person=ada).done_on == timezone.localdate()

    def test_done_can_log_the_touch_that_happened(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, grace = due
        page = member_client.get(url("keep_week", workspace)).content.decode()
        assert f'id="done-channel-{ada.pk}"' in page
        day = timezone.localdate() - dt.timedelta(days=1)
        response = member_client.post(
            url("reminder_done", workspace, person_pk=ada.pk),
            {"channel": "phone", "day": day.isoformat()},
            headers=WEEK,
        )
        assert "Logged phone." in response.content.decode()
        assert [r.person for r in response.context["reminders"]] == [grace]
        touch = ada.touches.order_by("-occurred_at").first()
        assert touch is not None
        assert (touch.channel, touch.occurred_at.date(), touch.has_time) == ("phone", day, False)
        ada.refresh_from_db()
        assert ada.touch_count == 4
        assert ReminderState.objects.get(person=ada).done_on == day

    def test_done_with_a_day_ahead_is_refused_next_to_the_reminder(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        day = timezone.localdate() + dt.timedelta(days=5)
        response = member_client.post(
            url("reminder_done", workspace, person_pk=ada.pk),
            {"channel": "in_person", "day": day.isoformat()},
            headers=WEEK,
        )
        assert "more than a day from now" in response.content.decode()
        assert ada.touches.count() == 3
        assert not ReminderState.objects.filter(person=ada).exists()

    def test_a_birthday_this_week_is_on_the_week_and_done_takes_it_off(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        in_two_days = timezone.localdate() + dt.timedelta(days=2)
        noor = make_person("Noor Haddad")
        contact_details_keep(person=noor, birthday=f"1990-{in_two_days:%m-%d}")
        response = member_client.get(url("keep_week", workspace))
        [reminder] = response.context["reminders"]
        assert reminder.person == noor
        age = in_two_days.year - 1990
        said = f"Birthday on {in_two_days:%A} {in_two_days.day} {in_two_days:%B}: turns {age}."
        assert said in response.content.decode()
        response = member_client.post(
            url("reminder_done", workspace, person_pk=noor.pk), headers=WEEK
        )
        assert response.context["reminders"] == []

    def test_the_week_reads_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(40):
            person = make_person(f"Person {n:02d}", cadence_days=14)
            touch_log(workspace=workspace, people=[person], channel="phone", when=days_ago(30))
            if n % 4 == 0:
                contact_details_keep(person=person, birthday=f"--{timezone.localdate():%m-%d}")
        member_client.get(url("keep_week", workspace))
        # Two of them read the birthdays and whether they were seen to, whatever their number.
        with django_assert_max_num_queries(22):
            response = member_client.get(url("keep_week", workspace))
        assert len(response.context["reminders"]) == 40


class PersonCardTests:
    def test_the_person_page_loads_the_keep_in_touch_card(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        page = member_client.get(url("person_detail", workspace, person_pk=ada.pk))
        assert url("person_keep", workspace, person_pk=ada.pk).encode() in page.content

    def test_the_card_explains_strength_and_shows_cadence_and_tags(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        tag_person(person=ada, name="Engines")
        response = member_client.get(url("person_keep", workspace, person_pk=ada.pk), headers=HTMX)
        page = response.content.decode()
        assert "3 in-person meetings, last one 2 months ago" in page
        assert "Every 30 days" in page
        assert "Engines" in page
        assert "<html" not in page

    def test_tags_are_added_and_removed_from_the_card(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        response = member_client.post(
            url("person_tag_add", workspace, person_pk=ada.pk), {"name": "Investors"}, headers=HTMX
        )
        assert b"Tagged Investors." in response.content
        tag = Tag.objects.get(workspace=workspace, name="Investors")
        assert list(tag.people.all()) == [ada]
        response = member_client.post(
            url("person_tag_remove", workspace, person_pk=ada.pk, tag_pk=tag.pk), headers=HTMX
        )
        assert b"Removed the tag Investors." in response.content
        assert not tag.people.exists()

    def test_a_blank_tag_is_refused(
        self, member_client: Client, workspace: Workspace, due: tuple[Person, Person]
    ) -> None:
        ada, _ = due
        response = member_client.post(
            url("person_tag_add", workspace, person_pk=ada.pk), {"name": "   "}, headers=HTMX
        )
        assert b"This field is required." in response.content
        assert not Tag.objects.exists()


class TagsTests:
    def test_tags_are_listed_with_their_cadence_and_people(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(20):
            tag_person(person=make_person(f"Runner {n}"), name=f"Club {n % 5}")
        member_client.get(url("tags", workspace))
        with django_assert_max_num_queries(6):
            response = member_client.get(url("tags", workspace))
        assert [(t.name, t.member_count) for t in response.context["tags"]][:2] == [
            ("Club 0", 4),
            ("Club 1", 4),
        ]
        assert b"?tag=Club%200" in response.content

    def test_a_tag_is_created_with_a_cadence(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(
            url("tags", workspace), {"name": "Clients", "cadence_days": 60}
        )
        assert response.status_code == 302
        assert Tag.objects.get(workspace=workspace, name="Clients").cadence_days == 60

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"name": "clients"}, "There is already a tag called &#x27;clients&#x27;."),
            ({"name": "New", "cadence_days": 0}, "greater than or equal to 1"),
            ({"name": ""}, "This field is required."),
        ],
    )
    def test_bad_tags_are_refused_with_a_message(
        self, member_client: Client, workspace: Workspace, data: dict[str, object], message: str
    ) -> None:
        tag_create(workspace=workspace, name="Clients")
        response = member_client.post(url("tags", workspace), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Tag.objects.filter(workspace=workspace).count() == 1

    def test_a_tag_is_renamed_and_deleted(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        person = make_person("Ada Lovelace")
        tag = tag_person(person=person, name="Clients")
        edit = url("tag_edit", workspace, tag_pk=tag.pk)
        assert member_client.get(edit).status_code == 200
        member_client.post(edit, {"name": "Customers", "cadence_days": 90})
        tag.refresh_from_db()
        assert (tag.name, tag.cadence_days) == ("Customers", 90)
        member_client.post(url("tag_delete", workspace, tag_pk=tag.pk))
        assert not Tag.objects.exists()
        assert Person.objects.filter(pk=person.pk).exists()

    def test_the_people_list_filters_by_tag(
        self, member_client: Client, workspace: Workspace, make_person: MakePerson
    ) -> None:
        ada = make_person("Ada Lovelace")
        make_person("Grace Hopper")
        tag_person(person=ada, name="Engines")
        response = member_client.get(url("people_list", workspace), {"tag": "engines"})
        assert [p.pk for p in response.context["page"].object_list] == [ada.pk]
        assert b'value="engines"' in response.content


class SettingsTests:
    def test_the_settings_are_saved(self, member_client: Client, workspace: Workspace) -> None:
        page = member_client.get(url("keep_settings", workspace))
        assert b"Weight of in person" in page.content
        data = {
            "weight_in_person": 12,
            "weight_phone": 8,
            "weight_video": 4,
            "weight_message": 1,
            "weight_email": 1,
            "weight_social": 0,
            "half_life_days": 180,
            "default_cadence_days": 90,
            "weekly_digest": "on",
        }
        response = member_client.post(url("keep_settings", workspace), data)
        assert response.status_code == 302
        config = keep_in_touch_settings(workspace=workspace)
        assert (config.weights()["in_person"], config.half_life_days) == (12, 180)
        assert (config.default_cadence_days, config.weekly_digest) == (90, True)

    def test_a_too_short_half_life_is_refused(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        data = {f"weight_{c}": 1 for c in ("in_person", "phone", "video", "message", "email")}
        data |= {"weight_social": 1, "half_life_days": 3}
        response = member_client.post(url("keep_settings", workspace), data)
        assert response.status_code == 200
        assert b"greater than or equal to 7" in response.content
        assert keep_in_touch_settings(workspace=workspace).half_life_days == 365


class CalendarFeedTests:
    def test_a_new_feed_address_is_shown_once_and_serves_the_reminders(
        self,
        member_client: Client,
        client: Client,
        workspace: Workspace,
        due: tuple[Person, Person],
    ) -> None:
        response = member_client.post(url("feed_new", workspace))
        address = response.context["feed_url"]
        assert address.startswith("http://testserver/feeds/") and address.endswith(".ics")
        assert address.encode() in response.content
        assert address.encode() not in member_client.get(url("keep_settings", workspace)).content
        client.logout()
        feed = client.get(address)
        assert feed.status_code == 200
        assert feed["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(feed.content)
        summaries = {str(e["summary"]) for e in calendar.walk("VEVENT")}
        assert summaries == {"Get in touch with Ada Lovelace", "Get in touch with Grace Hopper"}

    def test_a_revoked_or_unknown_address_is_not_found(
        self, member_client: Client, client: Client, user: User, workspace: Workspace
    ) -> None:
        feed, secret = feed_create(workspace=workspace, user=user)
        address = reverse("calendar_feed", kwargs={"token": secret})
        assert client.get(address).status_code == 200
        member_client.post(url("feed_revoke", workspace, feed_pk=feed.pk))
        assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None
        assert client.get(address).status_code == 404
        unknown = reverse("calendar_feed", kwargs={"token": "no-such-secret"})
        assert client.get(unknown).status_code == 404

    def test_only_live_feeds_are_listed(
        self, member_client: Client, user: User, workspace: Workspace
    ) -> None:
        live, _ = feed_create(workspace=workspace, user=user)
        gone, _ = feed_create(workspace=workspace, user=user)
        feed_revoke(feed=gone)
        response = member_client.get(url("keep_settings", workspace))
        assert response.context["feeds"] == [live]


ATTENDEES = (
    "First Name,Last Name,Company,E-mail Address\n"
    "Ada,Lovelace,Engines,ada@engines.example\n"
    "Grace,Hopper,Navy,\n"
    "Stranger,Danger,Nowhere Inc,\n"
)


@pytest.fixture
def expo(workspace: Workspace) -> Event:
    """An event that started yesterday: plannable, and ready to tick who was met."""
    start = timezone.localdate() - dt.timedelta(days=1)
    return event_create(
        workspace=workspace,
        name="Expo Lisbon",
        starts_on=start,
        ends_on=start + dt.timedelta(days=2),
        city="Lisbon",
    )


@pytest.fixture
def known(workspace: Workspace, make_person: MakePerson, expo: Event) -> tuple[Person, Person]:
    """Ada, connected online but never met; Grace, met often: both on the attendee list."""
    ada = make_person("Ada Lovelace", identities=[("email", "ada@engines.example")])
    connection_add(person=ada, network="linkedin", kind="connection")
    grace = make_person("Grace Hopper", organization="Navy")
    for _ in range(3):
        touch_log(workspace=workspace, people=[grace], channel="in_person", when=days_ago(20))
    return ada, grace


def upload(content: str, name: str = "attendees.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/csv")


class PlanTests:
    def test_the_event_page_links_to_the_plan(
        self, member_client: Client, workspace: Workspace, expo: Event
    ) -> None:
        page = member_client.get(url("event_detail", workspace, event_pk=expo.pk))
        assert url("event_plan", workspace, event_pk=expo.pk).encode() in page.content

    def test_uploading_the_attendee_list_shows_who_i_know_in_ranked_groups(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        known: tuple[Person, Person],
    ) -> None:
        ada, grace = known
        response = member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk), {"attendees": upload(ATTENDEES)}
        )
        assert response.status_code == 302
        page = member_client.get(response["Location"])
        assert "You know 2 of them." in page.content.decode()
        assert {a.person for a in page.context["known"]} == {ada, grace}
        groups = {g["value"]: g["suggestions"] for g in page.context["groups"]}
        assert [s.person for s in groups["online_to_real"]] == [ada]
        assert [s.person for s in groups["say_hello"]] == [grace]
        assert "Connected on LinkedIn" in page.content.decode()

    def test_a_bad_attendee_list_is_refused_naming_the_file_and_line(
        self, member_client: Client, workspace: Workspace, expo: Event
    ) -> None:
        response = member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk),
            {"attendees": upload("Company,Phone\nAcme,123\n", "badges.csv")},
        )
        assert response.status_code == 200
        assert "badges.csv, line 1: expected a header with a Name column" in (
            response.content.decode()
        )
        assert not expo.attendees.exists()

    def test_people_are_picked_into_the_plan_and_taken_off_again(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        known: tuple[Person, Person],
    ) -> None:
        ada, _ = known
        member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk), {"attendees": upload(ATTENDEES)}
        )
        pick = url("plan_pick", workspace, event_pk=expo.pk, person_pk=ada.pk)
        response = member_client.post(pick, headers={**HTMX, "HX-Target": "plan-body"})
        assert [i.person for i in response.context["items"]] == [ada]
        assert PlanItem.objects.get(person=ada).group == "online_to_real"
        member_client.post(url("plan_unpick", workspace, event_pk=expo.pk, person_pk=ada.pk))
        assert not PlanItem.objects.exists()

    def test_only_suggested_people_can_be_picked(
        self, member_client: Client, workspace: Workspace, expo: Event, make_person: MakePerson
    ) -> None:
        stranger = make_person("Not Attending")
        pick = url("plan_pick", workspace, event_pk=expo.pk, person_pk=stranger.pk)
        assert member_client.post(pick).status_code == 404

    def test_ticking_who_was_met_logs_their_touches_in_one_step(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        known: tuple[Person, Person],
    ) -> None:
        ada, grace = known
        member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk), {"attendees": upload(ATTENDEES)}
        )
        member_client.post(url("plan_pick", workspace, event_pk=expo.pk, person_pk=ada.pk))
        response = member_client.post(
            url("plan_met", workspace, event_pk=expo.pk),
            {"person": [ada.pk, grace.pk], "day": expo.starts_on.isoformat()},
        )
        assert response.status_code == 302
        touches = Touch.objects.filter(event=expo, channel="in_person")
        assert {p for t in touches for p in t.people.all()} == {ada, grace}
        assert PlanItem.objects.filter(event=expo, met=True).count() == 2

    def test_a_day_outside_the_event_or_nobody_ticked_is_refused(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        known: tuple[Person, Person],
    ) -> None:
        ada, _ = known
        member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk), {"attendees": upload(ATTENDEES)}
        )
        met = url("plan_met", workspace, event_pk=expo.pk)
        late = (expo.ends_on + dt.timedelta(days=5)).isoformat()
        response = member_client.post(met, {"person": [ada.pk], "day": late})
        assert "Expo Lisbon ran from" in response.content.decode()
        response = member_client.post(met, {"day": expo.starts_on.isoformat()})
        assert "Tick everyone you met." in response.content.decode()
        assert not Touch.objects.filter(event=expo).exists()

    def test_the_plan_prints_and_downloads_as_a_calendar(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        known: tuple[Person, Person],
    ) -> None:
        ada, _ = known
        member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk), {"attendees": upload(ATTENDEES)}
        )
        member_client.post(url("plan_pick", workspace, event_pk=expo.pk, person_pk=ada.pk))
        printed = member_client.get(url("plan_print", workspace, event_pk=expo.pk))
        assert b"plan-print.css" in printed.content and b"Ada Lovelace" in printed.content
        download = member_client.get(url("plan_calendar", workspace, event_pk=expo.pk))
        assert download["Content-Type"].startswith("text/calendar")
        assert 'filename="plan-expo-lisbon.ics"' in download["Content-Disposition"]
        entry = Calendar.from_ical(download.content).walk("VEVENT")[0]
        assert "Ada Lovelace" in str(entry["description"])

    def test_the_plan_reads_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        expo: Event,
        make_person: MakePerson,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        lines = ["Name,Company"]
        for n in range(30):
            person = make_person(f"Guest Number{n:02d}", organization=f"Org {n}")
            touch_log(workspace=workspace, people=[person], channel="in_person", when=days_ago(9))
            touch_log(workspace=workspace, people=[person], channel="phone", when=days_ago(5))
            lines.append(f"Guest Number{n:02d},Org {n}")
        member_client.post(
            url("plan_attendees", workspace, event_pk=expo.pk),
            {"attendees": upload("\n".join(lines))},
        )
        member_client.get(url("event_plan", workspace, event_pk=expo.pk))
        with django_assert_max_num_queries(20):
            response = member_client.get(url("event_plan", workspace, event_pk=expo.pk))
        assert len(response.context["known"]) == 30
