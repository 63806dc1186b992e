"""Archived people (deleted on a phone, or archived by hand) are out of Eye Contact's own lists:
the people list, search, the API, counts, the fading list, reminders and the address book; a
filter shows them, and their page brings them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eyecontact.accounts.models import AuditEntry, User, Workspace
from eyecontact.contacts.selectors import book_cards, default_card_name
from eyecontact.contacts.services import card_archive, contact_details_keep
from eyecontact.events.attendees import attendees_import
from eyecontact.events.services import event_create
from eyecontact.insights.plan import plan_suggestions
from eyecontact.insights.selectors import fading_list, reminders_list, tags_list
from eyecontact.insights.services import tag_person
from eyecontact.people.models import Person
from eyecontact.people.selectors import people_list
from eyecontact.people.services import (
    connection_add,
    identity_add,
    person_archive,
    person_unarchive,
    touch_log,
)

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]


@pytest.fixture
def people(workspace: Workspace, user: User, make_person: MakePerson) -> tuple[Person, Person]:
    """Two friends past their cadence, with a birthday tomorrow; Lena deleted on a phone."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    lena = make_person("Lena Hartmann", organization="Flora Analytics", cadence_days=30)
    kai = make_person("Kai Berg", organization="Flora Analytics", cadence_days=30)
    for person in (lena, kai):
        touch_log(
            workspace=workspace,
            people=[person],
            channel="in_person",
            when=timezone.now() - dt.timedelta(days=60),
        )
        contact_details_keep(person=person, birthday=f"--{tomorrow:%m-%d}")
        tag_person(person=person, name="Investors")
    card_archive(workspace=workspace, actor=user, name=default_card_name(lena.pk))
    lena.refresh_from_db()
    return lena, kai


class ArchivedListsTests:
    def test_deleting_on_a_phone_archives_the_person_with_their_history(
        self, people: tuple[Person, Person]
    ) -> None:
        lena, _ = people
        assert lena.archived_at is not None
        assert lena.touches.count() == 1
        audit = AuditEntry.objects.get(action="person.archive")
        assert audit.details["person_id"] == lena.pk

    def test_they_leave_the_lists_search_counts_reminders_and_the_book(
        self, workspace: Workspace, people: tuple[Person, Person]
    ) -> None:
        lena, kai = people
        assert list(people_list(workspace=workspace)) == [kai]
        assert list(people_list(workspace=workspace, query="hartmann")) == []
        assert list(people_list(workspace=workspace, organization="Flora Analytics")) == [kai]
        assert list(people_list(workspace=workspace, archived=True)) == [lena]
        assert [f.person for f in fading_list(workspace=workspace)] == [kai]
        assert [r.person for r in reminders_list(workspace=workspace)] == [kai]
        [investors] = tags_list(workspace=workspace)
        assert investors.member_count == 1  # type: ignore[attr-defined]  # an annotation
        assert [entry.person_id for entry in book_cards(workspace)] == [kai.pk]

    def test_an_event_s_plan_does_not_suggest_them(
        self,
        workspace: Workspace,
        user: User,
        people: tuple[Person, Person],
        make_person: MakePerson,
    ) -> None:
        _, kai = people
        identity_add(person=kai, kind="email", value="kai@flora.example")
        online = make_person("Only Online", identities=[("email", "only@online.example")])
        connection_add(person=online, network="linkedin", kind="connection")
        summit = event_create(
            workspace=workspace, name="Summit", starts_on=timezone.localdate() + dt.timedelta(10)
        )
        attendees_import(
            event=summit,
            file_name="attendees.csv",
            data=b"Name,Email\nKai Berg,kai@flora.example\nOnly Online,only@online.example\n",
        )

        def suggested() -> list[str]:
            groups = plan_suggestions(event=summit).values()
            return sorted(s.person.display_name for group in groups for s in group)

        assert suggested() == ["Kai Berg", "Only Online"]
        person_archive(person=online, actor=user)
        assert suggested() == ["Kai Berg"]

    def test_brought_back_they_are_everywhere_again(
        self, workspace: Workspace, user: User, people: tuple[Person, Person]
    ) -> None:
        lena, kai = people
        person_unarchive(person=lena, actor=user)
        assert set(people_list(workspace=workspace)) == {lena, kai}
        assert {r.person for r in reminders_list(workspace=workspace)} == {lena, kai}
        assert {entry.person_id for entry in book_cards(workspace)} == {lena.pk, kai.pk}
        assert AuditEntry.objects.filter(action="person.unarchive").count() == 1


class ArchivedPagesTests:
    def test_the_people_list_hides_them_and_its_filter_shows_only_them(
        self, member_client: Client, workspace: Workspace, people: tuple[Person, Person]
    ) -> None:
        lena, kai = people
        url = reverse("people_list", kwargs={"slug": workspace.slug})
        listed = member_client.get(url)
        assert list(listed.context["page"].object_list) == [kai]
        assert 'name="archived"' in listed.content.decode()
        archived = member_client.get(url, {"archived": "1"})
        assert list(archived.context["page"].object_list) == [lena]
        searched = member_client.get(url, {"q": "lena"})
        assert list(searched.context["page"].object_list) == []
        suggested = member_client.get(
            reverse("people_suggest", kwargs={"slug": workspace.slug}), {"name": "Lena"}
        )
        assert "Lena Hartmann" not in suggested.content.decode()

    def test_their_page_says_so_and_brings_them_back(
        self, member_client: Client, workspace: Workspace, people: tuple[Person, Person]
    ) -> None:
        lena, _ = people
        page = reverse("person_detail", kwargs={"slug": workspace.slug, "person_pk": lena.pk})
        shown = member_client.get(page).content.decode()
        assert "Archived on" in shown
        assert "Bring back Lena Hartmann" in shown
        archive = reverse("person_archive", kwargs={"slug": workspace.slug, "person_pk": lena.pk})
        back = member_client.post(archive, {"archive": "0"}, follow=True)
        assert "is back in your lists and address book" in back.content.decode()
        lena.refresh_from_db()
        assert lena.archived_at is None
        assert "Archive Lena Hartmann" in back.content.decode()
        member_client.post(archive, {"archive": "1"})
        lena.refresh_from_db()
        assert lena.archived_at is not None

    def test_another_workspace_s_person_cannot_be_archived(
        self, member_client: Client, other_user: User
    ) -> None:
        from eyecontact.accounts.services import workspace_create
        from eyecontact.people.services import person_create

        theirs = workspace_create(name="Theirs", owner=other_user)
        them = person_create(workspace=theirs, display_name="Not Yours")
        archive = reverse("person_archive", kwargs={"slug": theirs.slug, "person_pk": them.pk})
        assert member_client.post(archive, {"archive": "1"}).status_code == 404
        them.refresh_from_db()
        assert them.archived_at is None

    def test_the_api_leaves_them_out_unless_asked(
        self, member_client: Client, workspace: Workspace, people: tuple[Person, Person]
    ) -> None:
        lena, kai = people
        url = f"/api/workspaces/{workspace.slug}/people"
        names = [p["display_name"] for p in member_client.get(url).json()["items"]]
        assert names == [kai.display_name]
        answer = member_client.get(url, {"archived": "true"}).json()
        [only] = answer["items"]
        assert only["display_name"] == lena.display_name
        assert only["archived_at"] is not None

    def test_archiving_twice_changes_nothing(
        self, user: User, people: tuple[Person, Person]
    ) -> None:
        lena, _ = people
        when = lena.archived_at
        person_archive(person=lena, actor=user)
        lena.refresh_from_db()
        assert lena.archived_at == when
        assert AuditEntry.objects.filter(action="person.archive").count() == 1
