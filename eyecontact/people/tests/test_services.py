"""Writing people, identities and touches through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from eyecontact.accounts.models import AuditEntry, Workspace
from eyecontact.events.services import event_create
from eyecontact.people import constants
from eyecontact.people.choices import Channel
from eyecontact.people.models import Identity, Person, PersonMerge, Touch
from eyecontact.people.services import (
    connection_add,
    identity_add,
    person_create,
    person_delete,
    person_find_or_create,
    person_merge,
    person_update,
    split_name,
    touch_delete,
    touch_log,
    touch_update,
)

MakePerson = Callable[..., Person]
CES_DAY = dt.datetime(2026, 1, 8, 10, 0, tzinfo=dt.UTC)


class SplitNameTests:
    @pytest.mark.parametrize(
        ("typed", "given", "family"),
        [
            ("Jane Doe", "Jane", "Doe"),
            ("Doe, Jane", "Jane", "Doe"),
            ("  Jane   van der  Berg ", "Jane", "van der Berg"),
            ("Cher", "Cher", ""),
        ],
    )
    def test_a_typed_name_splits_into_given_and_family(
        self, typed: str, given: str, family: str
    ) -> None:
        assert split_name(typed) == (given, family)


@pytest.mark.django_db
class PersonCreateTests:
    def test_a_person_is_created_with_normalised_identities(self, workspace: Workspace) -> None:
        person = person_create(
            workspace=workspace,
            display_name="José Álvarez",
            organization="Acme",
            identities=[("email", " Jose@Acme.EXAMPLE "), ("phone", "030 1234567")],
        )
        assert person.given_name == "José"
        assert person.family_name == "Álvarez"
        values = dict(person.identities.values_list("kind", "value"))
        assert values == {"email": "jose@acme.example", "phone": "+49301234567"}
        assert "jose alvarez" in person.search_text
        assert person.sort_name == "alvarez jose"

    def test_an_empty_name_is_refused_and_nothing_is_saved(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            person_create(workspace=workspace, display_name="   ")
        assert caught.value.message_dict == {"display_name": [constants.NAME_REQUIRED]}
        assert not Person.objects.exists()

    def test_a_malformed_email_refuses_the_whole_person(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            person_create(workspace=workspace, display_name="Bob", identities=[("email", "bob@")])
        assert "value" in caught.value.message_dict
        assert not Person.objects.exists()

    def test_an_identity_belonging_to_someone_else_is_refused(
        self, make_person: MakePerson
    ) -> None:
        jane = make_person("Jane Doe", identities=[("email", "jane@acme.example")])
        john = make_person("John Roe")
        with pytest.raises(ValidationError, match="already belongs to Jane Doe"):
            identity_add(person=john, kind="email", value="JANE@acme.example")
        assert Identity.objects.get().person == jane

    def test_the_same_identity_in_another_workspace_is_a_different_person(
        self, make_person: MakePerson, other_workspace: Workspace
    ) -> None:
        make_person("Jane Doe", identities=[("email", "jane@acme.example")])
        make_person(
            "Jane Doe", workspace=other_workspace, identities=[("email", "jane@acme.example")]
        )
        assert Identity.objects.count() == 2

    def test_an_oversize_note_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            person_create(workspace=workspace, display_name="Bob", notes="x" * 10_001)
        assert "notes" in caught.value.message_dict


@pytest.mark.django_db
class PersonUpdateTests:
    def test_editing_a_stale_copy_keeps_the_touch_figures(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person("Jane Doe")
        touch_log(workspace=workspace, people=[jane], channel="in_person", when=CES_DAY)
        person_update(person=jane, cadence_days=90)  # this copy predates the touch
        jane.refresh_from_db()
        assert (jane.touch_count, jane.last_in_person_at) == (1, CES_DAY)

    def test_renaming_rederives_sorting_and_search(self, make_person: MakePerson) -> None:
        person = make_person("Jane Doe")
        person_update(person=person, display_name="Jane Smith", organization="Globex")
        person.refresh_from_db()
        assert (person.given_name, person.family_name) == ("Jane", "Smith")
        assert person.sort_name == "smith jane"
        assert "globex" in person.search_text


@pytest.mark.django_db
class TouchLogTests:
    def test_a_touch_updates_the_figures_of_everyone_in_it(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane, john = make_person("Jane Doe"), make_person("John Roe")
        touch_log(workspace=workspace, people=[jane, john], channel=Channel.IN_PERSON, when=CES_DAY)
        touch_log(
            workspace=workspace,
            people=[jane],
            channel=Channel.EMAIL,
            when=CES_DAY + dt.timedelta(days=3),
        )
        jane.refresh_from_db()
        john.refresh_from_db()
        assert jane.touch_count == 2
        assert jane.last_touch_at == CES_DAY + dt.timedelta(days=3)
        assert jane.last_in_person_at == CES_DAY
        assert jane.last_high_touch_at == CES_DAY
        assert john.touch_count == 1

    def test_a_phone_call_is_high_touch_but_not_in_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane = make_person()
        touch_log(workspace=workspace, people=[jane], channel=Channel.PHONE, when=CES_DAY)
        jane.refresh_from_db()
        assert jane.last_in_person_at is None
        assert jane.last_high_touch_at == CES_DAY

    def test_a_date_alone_is_kept_as_a_day(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        touch = touch_log(
            workspace=workspace, people=[make_person()], channel="video", when=dt.date(2026, 1, 8)
        )
        assert touch.has_time is False
        assert touch.occurred_at.date() == dt.date(2026, 1, 8)

    def test_a_touch_defaults_to_now(self, workspace: Workspace, make_person: MakePerson) -> None:
        before = dt.datetime.now(tz=dt.UTC)
        touch = touch_log(workspace=workspace, people=[make_person()], channel="phone")
        assert touch.occurred_at >= before

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"channel": "carrier pigeon"}, "channel"),
            ({"note": "x" * 10_001}, "note"),
            ({"when": dt.datetime(2026, 1, 8, 10, 0)}, "occurred_at"),  # noqa: DTZ001  # the invalid input under test
        ],
    )
    def test_bad_input_names_the_field_and_saves_nothing(
        self, workspace: Workspace, make_person: MakePerson, kwargs: dict[str, object], field: str
    ) -> None:
        person = make_person()
        arguments: dict[str, object] = {"channel": "in_person", **kwargs}
        with pytest.raises(ValidationError) as caught:
            touch_log(workspace=workspace, people=[person], **arguments)  # type: ignore[arg-type]  # table-driven
        assert field in caught.value.message_dict
        assert not Touch.objects.exists()
        person.refresh_from_db()
        assert person.touch_count == 0

    def test_a_touch_without_people_is_refused(self, workspace: Workspace) -> None:
        with pytest.raises(ValidationError) as caught:
            touch_log(workspace=workspace, people=[], channel="phone")
        assert caught.value.message_dict == {"people": [constants.NO_PEOPLE]}

    def test_people_of_another_workspace_cannot_be_touched(
        self, workspace: Workspace, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        stranger = make_person("Stranger", workspace=other_workspace)
        with pytest.raises(ValidationError):
            touch_log(workspace=workspace, people=[stranger], channel="phone")

    def test_an_event_of_another_workspace_is_refused(
        self, workspace: Workspace, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        event = event_create(workspace=other_workspace, name="CES", starts_on=dt.date(2026, 1, 6))
        with pytest.raises(ValidationError) as caught:
            touch_log(workspace=workspace, people=[make_person()], channel="phone", event=event)
        assert caught.value.message_dict == {"event": [constants.EVENT_OTHER_WORKSPACE]}

    def test_editing_and_deleting_a_touch_keeps_figures_right(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane, john = make_person("Jane Doe"), make_person("John Roe")
        touch = touch_log(workspace=workspace, people=[jane], channel="in_person", when=CES_DAY)
        touch_update(touch=touch, people=[john], channel="phone")
        jane.refresh_from_db()
        john.refresh_from_db()
        assert (jane.touch_count, jane.last_in_person_at) == (0, None)
        assert (john.touch_count, john.last_high_touch_at) == (1, CES_DAY)
        touch_delete(touch=touch)
        john.refresh_from_db()
        assert (john.touch_count, john.last_touch_at) == (0, None)
        assert AuditEntry.objects.filter(action="touch.delete").count() == 1


@pytest.mark.django_db
class PersonFindOrCreateTests:
    def test_the_same_name_finds_the_same_person(self, make_person: MakePerson) -> None:
        jose = make_person("José Álvarez")
        found, created = person_find_or_create(workspace=jose.workspace, name="jose alvarez")
        assert (found, created) == (jose, False)

    def test_a_new_name_creates_a_person(self, workspace: Workspace) -> None:
        person, created = person_find_or_create(workspace=workspace, name="Priya Raman")
        assert created
        assert person.display_name == "Priya Raman"


@pytest.mark.django_db
class PersonMergeTests:
    def test_merging_keeps_every_identity_touch_and_connection(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jon = make_person("Jon Smith", identities=[("email", "jsmith@acme.example")])
        jonathan = make_person(
            "Jonathan Smith",
            organization="Acme",
            identities=[("linkedin", "https://www.linkedin.com/in/jonathan-smith")],
        )
        touch_log(workspace=workspace, people=[jon], channel="in_person", when=CES_DAY)
        touch_log(workspace=workspace, people=[jonathan], channel="phone", when=CES_DAY)
        connection_add(
            person=jonathan, network="linkedin", kind="connection", connected_on=dt.date(2020, 5, 1)
        )
        dropped_id = jonathan.pk
        kept = person_merge(keep=jon, drop=jonathan)
        assert not Person.objects.filter(pk=dropped_id).exists()
        assert set(kept.identities.values_list("kind", flat=True)) == {"email", "linkedin"}
        assert kept.touches.count() == 2
        assert kept.connections.get().connected_on == dt.date(2020, 5, 1)
        assert kept.organization == "Acme"
        assert kept.touch_count == 2
        merge = PersonMerge.objects.get()
        assert merge.dropped_id == dropped_id
        assert merge.snapshot["fields"]["display_name"] == "Jonathan Smith"

    def test_a_touch_with_both_people_is_kept_once(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jon, jonathan = make_person("Jon Smith"), make_person("Jonathan Smith")
        touch_log(workspace=workspace, people=[jon, jonathan], channel="in_person", when=CES_DAY)
        kept = person_merge(keep=jon, drop=jonathan)
        assert kept.touches.count() == 1
        assert kept.touch_count == 1

    def test_a_person_cannot_be_merged_with_themselves(self, make_person: MakePerson) -> None:
        jon = make_person("Jon Smith")
        with pytest.raises(ValidationError, match="themselves"):
            person_merge(keep=jon, drop=jon)

    def test_people_of_two_workspaces_cannot_be_merged(
        self, make_person: MakePerson, other_workspace: Workspace
    ) -> None:
        jon = make_person("Jon Smith")
        stranger = make_person("Jon Smith", workspace=other_workspace)
        with pytest.raises(ValidationError, match="same workspace"):
            person_merge(keep=jon, drop=stranger)
        assert Person.objects.count() == 2


@pytest.mark.django_db
class PersonDeleteTests:
    def test_deleting_a_person_removes_touches_left_with_nobody(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        jane, john = make_person("Jane Doe"), make_person("John Roe")
        touch_log(workspace=workspace, people=[jane], channel="phone", when=CES_DAY)
        shared = touch_log(workspace=workspace, people=[jane, john], channel="phone", when=CES_DAY)
        person_delete(person=jane)
        assert list(Touch.objects.all()) == [shared]
        assert AuditEntry.objects.filter(action="person.delete").exists()
