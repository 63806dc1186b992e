"""The web app's pages: they render for members, save through services, refuse bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.views.defaults import server_error
from pytest_django import DjangoAssertNumQueries

from conftest import PASSWORD
from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import user_create
from eyecontact.events.models import Event
from eyecontact.events.services import event_create
from eyecontact.people.models import NOTE_MAX_LENGTH, Connection, Identity, Person, Touch
from eyecontact.people.services import identity_add, person_create, person_update, touch_log

from .conftest import WorkspaceData

HTMX = {"HX-Request": "true"}
RESULTS = {"HX-Request": "true", "HX-Target": "people-results"}

pytestmark = pytest.mark.django_db


def home_url(workspace: Workspace) -> str:
    """Today's plan: where logging in and opening a workspace lead."""
    return reverse("workspace_home", kwargs={"slug": workspace.slug})


def people_url(workspace: Workspace) -> str:
    return reverse("people_list", kwargs={"slug": workspace.slug})


def person_url(person: Person, name: str = "person_detail") -> str:
    return reverse(name, kwargs={"slug": person.workspace.slug, "person_pk": person.pk})


class HomeTests:
    def test_anonymous_visitors_are_asked_to_log_in(self, client: Client) -> None:
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_home_opens_todays_plan_of_the_first_workspace(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get("/")
        assert response["Location"] == home_url(workspace)

    def test_home_asks_a_user_without_workspace_to_create_one(self, client: Client) -> None:
        client.force_login(user_create(email="new@example.net", password=PASSWORD))
        assert client.get("/")["Location"] == reverse("workspace_create")

    def test_home_returns_to_the_workspace_last_opened(
        self, member_client: Client, user: User
    ) -> None:
        from eyecontact.accounts.services import workspace_create

        second = workspace_create(name="Zulu team", owner=user)
        member_client.get(people_url(second))
        assert member_client.get("/")["Location"] == home_url(second)


class LoginTests:
    def test_a_user_logs_in_with_their_email_address(
        self, client: Client, user: User, workspace: Workspace
    ) -> None:
        page = client.get(reverse("login"))
        assert b'type="email"' in page.content
        response = client.post(
            reverse("login"), {"username": "Morgan@Example.net", "password": PASSWORD}
        )
        assert response.status_code == 302
        assert client.get("/")["Location"] == home_url(workspace)

    def test_a_wrong_password_is_refused_with_a_message(self, client: Client, user: User) -> None:
        response = client.post(
            reverse("login"), {"username": user.email, "password": "wrong-password"}
        )
        assert response.status_code == 200
        assert b"correct" in response.content  # Django's "enter a correct e-mail and password"

    def test_logging_out_ends_the_session(self, member_client: Client) -> None:
        member_client.post(reverse("logout"))
        assert member_client.get("/").status_code == 302
        assert member_client.get("/")["Location"].startswith(reverse("login"))


class WorkspaceTests:
    def test_creating_a_workspace_opens_it(self, member_client: Client, user: User) -> None:
        response = member_client.post(
            reverse("workspace_create"), {"name": "Booth team", "default_region": "de"}
        )
        created = Workspace.objects.get(name="Booth team")
        assert created.default_region == "DE"
        assert created.memberships.filter(user=user, role="owner").exists()
        assert response["Location"] == home_url(created)

    def test_a_workspace_needs_a_name(self, member_client: Client) -> None:
        response = member_client.post(
            reverse("workspace_create"), {"name": "   ", "default_region": "US"}
        )
        assert response.status_code == 200
        assert b"errorlist" in response.content
        assert Workspace.objects.count() == 1

    def test_the_switcher_lists_every_workspace_of_the_user(
        self, member_client: Client, user: User, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        from eyecontact.accounts.services import workspace_create

        second = workspace_create(name="Second ledger", owner=user)
        content = member_client.get(people_url(workspace)).content.decode()
        assert home_url(second) in content
        assert other_workspace.name not in content


class MembersTests:
    def test_an_invitation_link_is_shown_once_and_mailed(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        url = reverse("members", kwargs={"slug": workspace.slug})
        response = member_client.post(url, {"email": "friend@example.org"})
        link = response.context["link"]
        assert "/invite/" in link
        assert link in response.content.decode()
        assert len(mail.outbox) == 1
        assert link in mail.outbox[0].body
        assert mail.outbox[0].to == ["friend@example.org"]
        assert link not in member_client.get(url).content.decode()

    def test_an_invitation_without_email_sends_nothing(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        url = reverse("members", kwargs={"slug": workspace.slug})
        response = member_client.post(url, {"email": ""})
        assert response.context["link"]
        assert mail.outbox == []

    def test_a_malformed_invitation_email_is_refused(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        url = reverse("members", kwargs={"slug": workspace.slug})
        response = member_client.post(url, {"email": "not-an-address"})
        assert response.context["link"] == ""
        assert workspace.invitations.count() == 0

    def test_the_invited_user_joins_with_the_link(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        members = reverse("members", kwargs={"slug": workspace.slug})
        link = member_client.post(members, {"email": ""}).context["link"]
        friend = user_create(email="friend@example.org", password=PASSWORD)
        guest = Client()
        guest.force_login(friend)
        path = link.split("testserver", 1)[1]
        assert escape(workspace.name) in guest.get(path).content.decode()
        response = guest.post(path)
        assert response["Location"] == people_url(workspace)
        assert workspace.memberships.filter(user=friend).exists()


class PeopleListTests:
    def test_an_empty_workspace_says_what_to_do_next(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(people_url(workspace))
        assert b"No one here yet" in response.content
        assert b"Log a touch" in response.content

    def test_the_list_shows_the_columns_people_rely_on(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace", organization="Analytical Engines")
        touch_log(workspace=workspace, people=[ada], channel="in_person", when=dt.date(2026, 1, 8))
        touch_log(workspace=workspace, people=[ada], channel="email", when=dt.date(2026, 2, 1))
        content = member_client.get(people_url(workspace)).content.decode()
        for text in ("Ada Lovelace", "Analytical Engines", "8 Jan 2026", "1 Feb 2026"):
            assert text in content
        assert person_url(ada) in content

    def test_search_narrows_the_list_and_htmx_gets_only_the_results(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Ada Lovelace")
        make_person("Grace Hopper")
        full = member_client.get(people_url(workspace), {"q": "grace"})
        assert b"Grace Hopper" in full.content
        assert b"Ada Lovelace" not in full.content
        partial = member_client.get(people_url(workspace), {"q": "ada"}, headers=RESULTS)
        assert b"Ada Lovelace" in partial.content
        assert b"<html" not in partial.content
        assert b"Grace Hopper" not in partial.content

    def test_a_search_with_no_match_offers_to_log_a_touch_with_that_name(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Ada Lovelace")
        content = member_client.get(people_url(workspace), {"q": "Linus"}).content.decode()
        assert "No one matches" in content
        assert reverse("quick_log", kwargs={"slug": workspace.slug}) + "?name=Linus" in content

    def test_filters_by_met_and_organization(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        met = make_person("Met Person", organization="Acme")
        make_person("Stranger Person", organization="Acme")
        make_person("Other Org", organization="Globex")
        touch_log(workspace=workspace, people=[met], channel="in_person")
        never = member_client.get(people_url(workspace), {"met": "never"}).content
        assert b"Stranger Person" in never and b"Met Person" not in never
        in_person = member_client.get(people_url(workspace), {"met": "in_person"}).content
        assert b"Met Person" in in_person and b"Stranger Person" not in in_person
        acme = member_client.get(people_url(workspace), {"organization": "acme"}).content
        assert b"Stranger Person" in acme and b"Other Org" not in acme

    @pytest.mark.parametrize(
        ("sort", "first"),
        [("name", "Ann Able"), ("-touches", "Cid Busy"), ("-last_met", "Bea Recent")],
    )
    def test_sorts_the_list(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        sort: str,
        first: str,
    ) -> None:
        make_person("Ann Able")
        recent = make_person("Bea Recent")
        busy = make_person("Cid Busy")
        touch_log(workspace=workspace, people=[recent], channel="in_person")
        for day in (1, 2, 3):
            touch_log(
                workspace=workspace, people=[busy], channel="email", when=dt.date(2025, 1, day)
            )
        response = member_client.get(people_url(workspace), {"sort": sort})
        names = [p.display_name for p in response.context["page"].object_list]
        assert names[0] == first

    def test_pages_through_many_people_with_a_pinned_number_of_queries(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        for n in range(60):
            person = make_person(f"Person {n:03d}", organization=f"Org {n % 7}")
            if n % 3 == 0:
                touch_log(workspace=workspace, people=[person], channel="in_person")
        member_client.get(people_url(workspace))  # warm the session
        with django_assert_max_num_queries(8):
            first = member_client.get(people_url(workspace))
        assert len(first.context["page"].object_list) == 50
        assert b"Page 1 of 2" in first.content
        second = member_client.get(people_url(workspace), {"page": 2})
        assert len(second.context["page"].object_list) == 10
        with django_assert_max_num_queries(7):
            member_client.get(people_url(workspace), {"q": "person"}, headers=RESULTS)

    def test_suggestions_offer_matching_names(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Ada Lovelace", organization="Engines")
        url = reverse("people_suggest", kwargs={"slug": workspace.slug})
        response = member_client.get(url, {"name": "ada"}, headers=HTMX)
        assert b'<option value="Ada Lovelace">' in response.content


class PersonPageTests:
    def test_shows_details_identities_connections_and_timeline_newest_first(
        self,
        member_client: Client,
        own_data: WorkspaceData,
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        person = own_data.person
        touch_log(
            workspace=person.workspace,
            people=[person],
            channel="phone",
            when=dt.date(2026, 4, 1),
            note="Called about the offer",
        )
        member_client.get(person_url(person))
        with django_assert_max_num_queries(12):
            response = member_client.get(person_url(person))
        content = response.content.decode()
        for text in ("Olivia Ownworth", "olivia@example.com", "LinkedIn", "Hidden Corp"):
            assert text in content
        assert content.index("Called about the offer") < content.index("Coffee with Olivia")

    def test_the_person_page_query_count_does_not_grow_with_touches(
        self,
        member_client: Client,
        workspace: Workspace,
        make_person: Callable[..., Person],
        django_assert_max_num_queries: DjangoAssertNumQueries,
    ) -> None:
        person = make_person("Busy Bee")
        friend = make_person("Friend Fly")
        event = event_create(workspace=workspace, name="Expo", starts_on=dt.date(2026, 1, 1))
        for day in range(1, 26):
            touch_log(
                workspace=workspace,
                people=[person, friend],
                channel="in_person",
                when=dt.date(2026, 1, day),
                event=event,
            )
        member_client.get(person_url(person))
        with django_assert_max_num_queries(12):
            member_client.get(person_url(person))

    def test_editing_saves_through_the_service(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(
            person_url(person, "person_edit"),
            {"display_name": "Ada King", "organization": "Engines", "notes": "Maths"},
        )
        assert response.status_code == 302
        person.refresh_from_db()
        assert (person.display_name, person.organization, person.family_name) == (
            "Ada King",
            "Engines",
            "King",
        )

    def test_editing_with_an_empty_name_saves_nothing(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(person_url(person, "person_edit"), {"display_name": " "})
        assert response.status_code == 200
        assert b"errorlist" in response.content
        person.refresh_from_db()
        assert person.display_name == "Ada Lovelace"

    def test_an_oversize_note_is_refused_next_to_the_field(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(
            person_url(person, "person_edit"),
            {"display_name": "Ada", "notes": "x" * (NOTE_MAX_LENGTH + 1)},
        )
        assert "under 10,000 characters" in response.content.decode()
        person.refresh_from_db()
        assert person.notes == ""

    def test_adding_a_person_by_hand(self, member_client: Client, workspace: Workspace) -> None:
        url = reverse("person_new", kwargs={"slug": workspace.slug})
        response = member_client.post(url, {"display_name": "Grace Hopper", "city": "Arlington"})
        person = Person.objects.get(display_name="Grace Hopper")
        assert response["Location"] == person_url(person)

    def test_deleting_asks_first_then_deletes(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        assert (
            b"Delete Ada Lovelace" in member_client.get(person_url(person, "person_delete")).content
        )
        assert Person.objects.filter(pk=person.pk).exists()
        member_client.post(person_url(person, "person_delete"))
        assert not Person.objects.filter(pk=person.pk).exists()


class IdentityTests:
    def test_adding_an_email_normalises_it(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        member_client.post(
            person_url(person, "identity_new"), {"kind": "email", "value": " Ada@Example.COM "}
        )
        assert list(person.identities.values_list("value", flat=True)) == ["ada@example.com"]

    @pytest.mark.parametrize(("kind", "value"), [("email", "ada@"), ("phone", "call me maybe")])
    def test_a_malformed_email_or_phone_is_shown_on_the_form_and_not_saved(
        self, member_client: Client, make_person: Callable[..., Person], kind: str, value: str
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(
            person_url(person, "identity_new"), {"kind": kind, "value": value}
        )
        assert response.status_code == 200
        assert "not a" in response.content.decode()
        assert response.context["identity_form"].errors["value"]
        assert not Identity.objects.exists()

    def test_an_identity_of_someone_else_is_refused_with_their_name(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        identity_add(person=ada, kind="email", value="shared@example.com")
        grace = make_person("Grace Hopper")
        response = member_client.post(
            person_url(grace, "identity_new"), {"kind": "email", "value": "shared@example.com"}
        )
        assert "already belongs to Ada Lovelace" in response.content.decode()
        assert not grace.identities.exists()

    def test_removing_an_identity(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        identity = identity_add(person=person, kind="email", value="ada@example.com")
        url = reverse(
            "identity_delete",
            kwargs={
                "slug": person.workspace.slug,
                "person_pk": person.pk,
                "identity_pk": identity.pk,
            },
        )
        member_client.post(url)
        assert not person.identities.exists()


class ConnectionTests:
    def test_adding_a_connection_by_hand(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        member_client.post(
            person_url(person, "connection_new"),
            {"network": "linkedin", "kind": "connection", "connected_on": "2024-05-01"},
        )
        connection = Connection.objects.get(person=person)
        assert connection.connected_on == dt.date(2024, 5, 1)

    def test_a_kind_the_network_does_not_have_is_refused(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(
            person_url(person, "connection_new"), {"network": "linkedin", "kind": "follower"}
        )
        assert "LinkedIn has no" in response.content.decode()
        assert not Connection.objects.exists()


class TouchFormTests:
    def test_logging_an_in_person_touch_at_an_event(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        event = event_create(workspace=workspace, name="PyCon", starts_on=dt.date(2026, 5, 14))
        response = member_client.post(
            person_url(person, "person_touch_new"),
            {
                "channel": "in_person",
                "when": "2026-05-14T10:30",
                "where": "Hall B",
                "event": event.pk,
                "note": "Talked about engines",
            },
        )
        assert response.status_code == 302
        touch = Touch.objects.get()
        assert (touch.channel, touch.event, touch.where, touch.has_time) == (
            "in_person",
            event,
            "Hall B",
            True,
        )
        person.refresh_from_db()
        assert person.last_in_person_at == touch.occurred_at
        page = member_client.get(person_url(person)).content.decode()
        assert "Talked about engines" in page

    def test_an_empty_when_means_now_and_a_date_alone_means_that_day(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        url = person_url(person, "person_touch_new")
        member_client.post(url, {"channel": "phone", "when": ""})
        member_client.post(url, {"channel": "phone", "when": "2026-01-08"})
        now, day = Touch.objects.order_by("-occurred_at")
        assert now.has_time and now.occurred_at.date() >= dt.date(2026, 1, 8)
        assert not day.has_time and day.occurred_at.date() == dt.date(2026, 1, 8)

    def test_htmx_redraws_the_form_and_timeline_with_the_new_figures(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(
            person_url(person, "person_touch_new"),
            {"channel": "in_person", "when": "2026-01-08 10:00", "note": "Hello"},
            headers=HTMX,
        )
        content = response.content.decode()
        assert "<html" not in content
        assert 'id="touch-panel"' in content
        assert 'hx-swap-oob="true"' in content
        assert "Logged in person with Ada Lovelace." in content

    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"channel": "in_person", "when": "next tuesday"}, "when", "Not a date we can read"),
            ({"channel": "in_person", "when": "2026-02-30"}, "when", "not a real date"),
            ({"channel": "carrier_pigeon"}, "channel", "Select a valid choice"),
            ({"channel": "in_person", "note": "x" * 10_001}, "note", "under 10,000 characters"),
            ({"channel": "in_person", "event": "987654"}, "event", "Select a valid choice"),
        ],
    )
    def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(
        self,
        member_client: Client,
        make_person: Callable[..., Person],
        fields: dict[str, str],
        field: str,
        message: str,
    ) -> None:
        person = make_person("Ada Lovelace")
        for headers in ({}, HTMX):
            response = member_client.post(
                person_url(person, "person_touch_new"), fields, headers=headers
            )
            assert response.status_code == 200
            assert message in response.content.decode()
            assert response.context["touch_form"].errors[field]
        assert not Touch.objects.exists()

    def test_an_event_running_today_is_picked_by_default(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        from django.utils import timezone

        person = make_person("Ada Lovelace")
        today = timezone.localdate()
        event = event_create(
            workspace=workspace,
            name="Today Expo",
            starts_on=today - dt.timedelta(days=1),
            ends_on=today + dt.timedelta(days=1),
        )
        response = member_client.get(person_url(person))
        assert response.context["touch_form"].initial["event"] == event.pk

    def test_deleting_a_touch_returns_to_the_person(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[person], channel="phone")
        url = reverse("touch_delete", kwargs={"slug": workspace.slug, "touch_pk": touch.pk})
        response = member_client.post(url, {"next": person_url(person)})
        assert response["Location"] == person_url(person)
        assert not Touch.objects.exists()
        person.refresh_from_db()
        assert person.touch_count == 0


class TouchEditTests:
    def edit_url(self, touch: Touch) -> str:
        return reverse("touch_edit", kwargs={"slug": touch.workspace.slug, "touch_pk": touch.pk})

    def test_a_touch_is_edited_from_the_timeline_and_the_figures_follow(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(
            workspace=workspace,
            people=[ada],
            channel="email",
            when=dt.datetime(2025, 3, 4, 9, 30, tzinfo=dt.UTC),
            note="Typo'd note",
        )
        summit = event_create(workspace=workspace, name="Summit", starts_on=dt.date(2025, 3, 5))
        page = member_client.get(person_url(ada)).content.decode()
        assert escape(self.edit_url(touch)) in page
        form = member_client.get(self.edit_url(touch), {"next": person_url(ada)})
        assert form.status_code == 200
        assert form.context["form"].initial["channel"] == "email"
        response = member_client.post(
            self.edit_url(touch),
            {
                "channel": "in_person",
                "when": "2025-03-05",
                "where": "Hall B",
                "event": summit.pk,
                "note": "Talked about engines",
                "next": person_url(ada),
            },
        )
        assert response["Location"] == person_url(ada)
        touch.refresh_from_db()
        assert (touch.channel, touch.where, touch.event, touch.note, touch.has_time) == (
            "in_person",
            "Hall B",
            summit,
            "Talked about engines",
            False,
        )
        ada.refresh_from_db()
        assert ada.last_in_person_at == touch.occurred_at
        assert ada.last_in_person_at.date() == dt.date(2025, 3, 5)

    def test_an_empty_when_keeps_the_moment(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(
            workspace=workspace, people=[ada], channel="phone", when=dt.date(2024, 6, 1)
        )
        member_client.post(self.edit_url(touch), {"channel": "video", "when": ""})
        touch.refresh_from_db()
        assert (touch.channel, touch.occurred_at.date(), touch.has_time) == (
            "video",
            dt.date(2024, 6, 1),
            False,
        )

    def test_a_day_ahead_is_refused_next_to_when_and_nothing_changes(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[ada], channel="phone")
        before = touch.occurred_at
        later = (dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=9)).isoformat()
        response = member_client.post(self.edit_url(touch), {"channel": "phone", "when": later})
        assert response.status_code == 200
        assert "more than a day from now" in response.context["form"].errors["when"][0]
        touch.refresh_from_db()
        assert touch.occurred_at == before

    def test_a_touch_of_another_workspace_is_not_found(
        self, member_client: Client, other_workspace: Workspace
    ) -> None:
        stranger = person_create(workspace=other_workspace, display_name="Stranger")
        touch = touch_log(workspace=other_workspace, people=[stranger], channel="phone")
        assert member_client.get(self.edit_url(touch)).status_code == 404
        assert member_client.post(self.edit_url(touch), {"channel": "email"}).status_code == 404
        touch.refresh_from_db()
        assert touch.channel == "phone"

    def test_a_return_address_elsewhere_is_ignored(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        touch = touch_log(workspace=workspace, people=[ada], channel="phone")
        response = member_client.post(
            self.edit_url(touch), {"channel": "email", "next": "https://evil.example/"}
        )
        assert response["Location"] == person_url(ada)


class QuickLogTests:
    def url(self, workspace: Workspace) -> str:
        return reverse("quick_log", kwargs={"slug": workspace.slug})

    def test_every_page_has_the_log_a_touch_box(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        content = member_client.get(people_url(workspace)).content.decode()
        assert f'action="{self.url(workspace)}"' in content
        assert '<label for="ql-name"' in content

    def test_a_touch_with_someone_known_goes_to_them(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        ada = make_person("Ada Lovelace")
        response = member_client.post(
            self.url(workspace), {"name": "ada lovelace", "channel": "in_person"}
        )
        assert response["Location"] == person_url(ada)
        assert Person.objects.count() == 1
        assert list(Touch.objects.get().people.all()) == [ada]

    def test_a_new_name_is_added_only_when_the_user_says_someone_new(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        fields = {"name": "Grace Hopper", "channel": "video", "when": "2026-01-08"}
        asked = member_client.post(self.url(workspace), fields)
        assert asked.status_code == 200
        assert "Nobody here is called “Grace Hopper”" in asked.content.decode()
        assert 'name="person" value="new"' in asked.content.decode()
        assert not Person.objects.exists()
        assert not Touch.objects.exists()
        response = member_client.post(self.url(workspace), {**fields, "person": "new"})
        grace = Person.objects.get(display_name="Grace Hopper")
        assert response["Location"] == person_url(grace)
        assert grace.touch_count == 1

    def test_a_typo_offers_the_likely_person_and_someone_new(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        """ "Anneliese Brant" is not silently a new person: Anneliese Brandt is offered."""
        anneliese = make_person("Anneliese Brandt", organization="Corvid Robotics")
        touch_log(
            workspace=workspace,
            people=[anneliese],
            channel="in_person",
            when=dt.date(2025, 9, 17),
        )
        make_person("Grace Hopper")
        fields = {"name": "Anneliese Brant", "channel": "in_person"}
        asked = member_client.post(self.url(workspace), fields)
        html = asked.content.decode()
        assert asked.context["lookup"].candidates == [anneliese]
        assert "Who is “Anneliese Brant”?" in html
        assert f'name="person" value="{anneliese.pk}"' in html
        assert "Corvid Robotics · last met 17 Sep 2025" in html
        assert 'name="person" value="new"' in html
        assert Person.objects.count() == 2
        assert Touch.objects.count() == 1
        response = member_client.post(self.url(workspace), {**fields, "person": anneliese.pk})
        assert response["Location"] == person_url(anneliese)
        anneliese.refresh_from_db()
        assert anneliese.touch_count == 2
        assert Person.objects.count() == 2

    def test_a_name_two_people_share_asks_which_one(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        berlin = make_person("Jane Doe", organization="Acme")
        paris = make_person("Jane Doé", organization="Atelier")
        fields = {"name": "jane doe", "channel": "phone"}
        asked = member_client.post(self.url(workspace), fields)
        assert asked.status_code == 200
        assert asked.context["lookup"].candidates == [berlin, paris]
        html = asked.content.decode()
        assert "Acme · never met" in html and "Atelier · never met" in html
        assert not Touch.objects.exists()
        response = member_client.post(self.url(workspace), {**fields, "person": paris.pk})
        assert response["Location"] == person_url(paris)
        assert list(Touch.objects.get().people.all()) == [paris]

    def test_someone_new_with_a_shared_name_is_a_third_person(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        make_person("Jane Doe")
        make_person("Jane Doe", organization="Atelier")
        member_client.post(
            self.url(workspace), {"name": "Jane Doe", "channel": "phone", "person": "new"}
        )
        assert Person.objects.filter(display_name="Jane Doe").count() == 3
        assert Touch.objects.get().people.get().organization == ""

    def test_a_person_of_another_workspace_cannot_be_picked(
        self, member_client: Client, workspace: Workspace, other_workspace: Workspace
    ) -> None:
        stranger = person_create(workspace=other_workspace, display_name="Jane Doe")
        response = member_client.post(
            self.url(workspace), {"name": "Jane Doe", "channel": "phone", "person": stranger.pk}
        )
        assert response.status_code == 404
        assert not Touch.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"name": "   ", "channel": "in_person"}, "name"),
            ({"name": "Grace Hopper", "channel": "in_person", "when": "soonish"}, "when"),
            ({"name": "Grace Hopper", "channel": "fax"}, "channel"),
            ({"name": "Grace Hopper", "channel": "phone", "note": "x" * 10_001}, "note"),
        ],
    )
    def test_invalid_input_saves_neither_person_nor_touch(
        self, member_client: Client, workspace: Workspace, fields: dict[str, str], field: str
    ) -> None:
        response = member_client.post(self.url(workspace), fields)
        assert response.status_code == 200
        assert response.context["form"].errors[field]
        assert b"errorlist" in response.content
        assert not Person.objects.exists()
        assert not Touch.objects.exists()

    def test_the_full_form_prefills_the_name(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(self.url(workspace), {"name": "Linus"})
        assert b'value="Linus"' in response.content


class MergeTests:
    def test_search_preview_and_merge_keep_every_identity_and_touch(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        keep = make_person("Ada Lovelace")
        drop = make_person("Ada L.", organization="Engines")
        identity_add(person=keep, kind="email", value="ada@example.com")
        identity_add(person=drop, kind="phone", value="+49 30 1234567")
        touch_log(workspace=workspace, people=[keep], channel="phone")
        touch_log(workspace=workspace, people=[drop], channel="in_person")
        url = person_url(keep, "person_merge")
        found = member_client.get(
            url, {"q": "ada"}, headers={"HX-Request": "true", "HX-Target": "merge-candidates"}
        )
        assert f"?other={drop.pk}".encode() in found.content
        assert f"?other={keep.pk}".encode() not in found.content
        preview = member_client.get(url, {"other": drop.pk}).content.decode()
        assert "+49301234567 moves over" in preview
        assert "Engines" in preview
        assert Person.objects.count() == 2
        response = member_client.post(url, {"other": drop.pk})
        assert response["Location"] == person_url(keep)
        keep.refresh_from_db()
        assert not Person.objects.filter(pk=drop.pk).exists()
        assert keep.identities.count() == 2
        assert keep.touch_count == 2
        assert keep.organization == "Engines"

    def test_the_preview_lists_every_detail_the_merge_fills(
        self, member_client: Client, workspace: Workspace, make_person: Callable[..., Person]
    ) -> None:
        keep = make_person("Grace")
        drop = make_person("Grace Hopper")
        person_update(
            person=drop,
            given_name="Grace",
            family_name="Hopper",
            organization="Navy",
            title="Rear Admiral",
            city="Arlington",
            cadence_days=45,
            notes="Met at the COBOL meeting.",
        )
        person_update(person=keep, given_name="", family_name="")
        preview = member_client.get(
            person_url(keep, "person_merge"), {"other": drop.pk}
        ).content.decode()
        for shown in (
            "Empty organization becomes “Navy”",
            "Empty title becomes “Rear Admiral”",
            "Empty city becomes “Arlington”",
            "Empty cadence days becomes “45”",
            "Empty family name becomes “Hopper”",
            "Their notes are added",
        ):
            assert shown in preview
        member_client.post(person_url(keep, "person_merge"), {"other": drop.pk})
        keep.refresh_from_db()
        assert (keep.organization, keep.title, keep.city, keep.cadence_days) == (
            "Navy",
            "Rear Admiral",
            "Arlington",
            45,
        )
        assert keep.family_name == "Hopper"
        assert "COBOL" in keep.notes

    def test_merging_a_person_with_themselves_is_refused(
        self, member_client: Client, make_person: Callable[..., Person]
    ) -> None:
        person = make_person("Ada Lovelace")
        response = member_client.post(person_url(person, "person_merge"), {"other": person.pk})
        assert response.status_code == 200
        assert b"cannot be merged with themselves" in response.content
        assert Person.objects.filter(pk=person.pk).exists()


class EventTests:
    def test_an_empty_events_list_says_what_to_do(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.get(reverse("events_list", kwargs={"slug": workspace.slug}))
        assert b"No events yet" in response.content

    def test_creating_and_editing_an_event(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(
            reverse("event_new", kwargs={"slug": workspace.slug}),
            {
                "name": "PyCon US",
                "kind": "conference",
                "starts_on": "2026-05-13",
                "city": "Long Beach",
            },
        )
        event = Event.objects.get()
        assert event.ends_on == dt.date(2026, 5, 13)
        assert response["Location"] == reverse(
            "event_detail", kwargs={"slug": workspace.slug, "event_pk": event.pk}
        )
        edit = reverse("event_edit", kwargs={"slug": workspace.slug, "event_pk": event.pk})
        member_client.post(
            edit,
            {
                "name": "PyCon US 2026",
                "kind": "conference",
                "starts_on": "2026-05-13",
                "ends_on": "2026-05-19",
            },
        )
        event.refresh_from_db()
        assert (event.name, event.ends_on) == ("PyCon US 2026", dt.date(2026, 5, 19))
        listing = member_client.get(reverse("events_list", kwargs={"slug": workspace.slug}))
        assert b"PyCon US 2026" in listing.content

    def test_an_event_cannot_end_before_it_starts(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        response = member_client.post(
            reverse("event_new", kwargs={"slug": workspace.slug}),
            {
                "name": "Backwards",
                "kind": "meetup",
                "starts_on": "2026-05-13",
                "ends_on": "2026-05-01",
            },
        )
        assert b"cannot end before it starts" in response.content
        assert not Event.objects.exists()

    def test_the_event_page_lists_touches_and_people_met_there(
        self, member_client: Client, own_data: WorkspaceData
    ) -> None:
        url = reverse(
            "event_detail", kwargs={"slug": own_data.workspace.slug, "event_pk": own_data.event.pk}
        )
        content = member_client.get(url).content.decode()
        assert "People met here (1)" in content
        assert "Olivia Ownworth" in content
        assert "Coffee with Olivia" in content


class PageFrameTests:
    def test_pages_carry_the_csrf_token_for_htmx_and_load_nothing_from_elsewhere(
        self, member_client: Client, workspace: Workspace
    ) -> None:
        content = member_client.get(people_url(workspace)).content.decode()
        assert '<meta name="csrf-token"' in content
        assert 'hx-headers=\'{"X-CSRFToken"' in content
        assert "/static/django_htmx/htmx-2.min.js" in content
        assert "http://" not in content and "https://" not in content

    def test_a_missing_page_uses_the_friendly_404(self, member_client: Client) -> None:
        response = member_client.get("/w/nope/people/")
        assert response.status_code == 404
        assert b"Nothing here" in response.content

    def test_a_server_error_shows_no_traceback(self, rf: object) -> None:
        request = rf.get("/")  # type: ignore[attr-defined]  # pytest-django's RequestFactory
        response = server_error(request)
        assert response.status_code == 500
        assert b"Something went wrong" in response.content
        assert b"Traceback" not in response.content

    def test_every_form_input_has_a_label(
        self, member_client: Client, own_data: WorkspaceData
    ) -> None:
        import re

        content = member_client.get(person_url(own_data.person)).content.decode()
        ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', content)
        assert ids
        for input_id in ids:
            assert f'for="{input_id}"' in content, input_id
