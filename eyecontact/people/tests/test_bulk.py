"""The ledger's bulk writes: what an import adds to the ledger, and takes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch
from eyecontact.people.choices import Channel, Source
from eyecontact.people.models import Connection, Identity, MatchReview, NotSamePerson, Person
from eyecontact.people.selectors import people_list
from eyecontact.people.services import (
    ConnectionRow,
    IdentityRow,
    NameTaken,
    PersonRow,
    ReviewRow,
    TouchRow,
    batch_forget,
    batch_touches_forget,
    connection_add,
    connections_bulk_add,
    connections_mark_removed,
    connections_restore_removed,
    identities_bulk_add,
    people_bulk_create,
    people_bulk_refresh,
    people_take_names,
    person_take_name,
    reviews_bulk_add,
    touch_log,
    touches_bulk_add,
)

MakePerson = Callable[..., Person]
MET = dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC)


def person_row(name: str, key: str, *, organization: str = "") -> PersonRow:
    given, family = name.split()
    return PersonRow(name, given, family, organization, "", "", "", ["a@example.org"], key)


@pytest.fixture
def batch(workspace: Workspace) -> ImportBatch:
    return ImportBatch.objects.create(workspace=workspace, file_name="Connections.csv")


@pytest.mark.django_db
class PeopleBulkCreateTests:
    def test_people_are_created_as_the_batch_s_and_found_by_name_and_address(
        self, workspace: Workspace, batch: ImportBatch
    ) -> None:
        rows: Iterator[PersonRow] = (
            person_row(name, f"linkedin:{n}", organization="Acme")
            for n, name in enumerate(["Ada Lovelace", "Grace Hopper"])
        )
        ids = people_bulk_create(workspace=workspace, batch_id=batch.pk, rows=rows)
        assert sorted(ids) == ["linkedin:0", "linkedin:1"]
        ada = Person.objects.get(pk=ids["linkedin:0"])
        assert (ada.display_name, ada.organization, ada.source, ada.source_batch_id) == (
            "Ada Lovelace",
            "Acme",
            Source.IMPORT,
            batch.pk,
        )
        assert (ada.sort_name, ada.given_name) == ("lovelace ada", "Ada")
        assert [p.pk for p in people_list(workspace=workspace, query="grace")] == [
            ids["linkedin:1"]
        ]
        assert len(people_list(workspace=workspace, query="a@example.org")) == 2

    def test_nothing_to_create_reads_nothing_back(
        self, workspace: Workspace, batch: ImportBatch
    ) -> None:
        assert people_bulk_create(workspace=workspace, batch_id=batch.pk, rows=[]) == {}


@pytest.mark.django_db
class IdentitiesAndConnectionsTests:
    def test_identities_and_connections_are_written_as_the_batch_s(
        self, workspace: Workspace, batch: ImportBatch, make_person: MakePerson
    ) -> None:
        ada = make_person("Ada Lovelace")
        added = identities_bulk_add(
            workspace=workspace,
            batch_id=batch.pk,
            rows=[IdentityRow(ada.pk, "email", "ada@example.org", "linkedin:ada")],
        )
        linked = connections_bulk_add(
            workspace=workspace,
            batch_id=batch.pk,
            rows=[ConnectionRow(ada.pk, "linkedin", "connection", dt.date(2020, 5, 1), "k")],
        )
        assert (added, linked) == (1, 1)
        identity = Identity.objects.get(person=ada)
        assert (identity.value, identity.source_batch_id) == ("ada@example.org", batch.pk)
        connection = Connection.objects.get(person=ada)
        assert (connection.connected_on, connection.source_batch_id) == (
            dt.date(2020, 5, 1),
            batch.pk,
        )

    def test_connections_marked_removed_are_live_again_when_restored(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        for person in (ada, grace):
            connection_add(person=person, network="linkedin", kind="connection")
        connection_add(person=ada, network="facebook", kind="friend")
        gone = connections_mark_removed(
            workspace=workspace,
            person_ids=[ada.pk],
            network="linkedin",
            kind="connection",
            on=dt.date(2026, 1, 1),
        )
        assert gone == [Connection.objects.get(person=ada, network="linkedin").pk]
        live = Connection.objects.filter(removed_on__isnull=True)
        assert sorted(live.values_list("person_id", "network")) == sorted(
            [(ada.pk, "facebook"), (grace.pk, "linkedin")]
        )
        connections_restore_removed(workspace=workspace, connection_ids=gone)
        assert live.count() == 3


@pytest.mark.django_db
class ReviewsBulkAddTests:
    def test_pairs_already_decided_waiting_or_repeated_are_not_asked_again(
        self, workspace: Workspace, batch: ImportBatch, make_person: MakePerson
    ) -> None:
        a, b, c, d = (make_person(f"Jane Doe{n}") for n in "abcd")
        NotSamePerson.objects.create(
            workspace=workspace, person_low_id=min(a.pk, c.pk), person_high_id=max(a.pk, c.pk)
        )
        rows = [
            ReviewRow(b.pk, a.pk, 0.8, ["same name"]),
            ReviewRow(a.pk, b.pk, 0.7, ["same name again"]),  # the same pair
            ReviewRow(a.pk, c.pk, 0.8, ["same name"]),  # said to be two people
            ReviewRow(d.pk, d.pk, 0.9, ["one person"]),
        ]
        assert reviews_bulk_add(workspace=workspace, batch_id=batch.pk, rows=rows) == 1
        review = MatchReview.objects.get()
        assert (review.person_a_id, review.person_b_id, review.evidence) == (
            min(a.pk, b.pk),
            max(a.pk, b.pk),
            ["same name"],
        )
        again = [ReviewRow(a.pk, b.pk, 0.8, ["same name"]), ReviewRow(b.pk, d.pk, 0.75, [])]
        assert reviews_bulk_add(workspace=workspace, batch_id=batch.pk, rows=again) == 1


@pytest.mark.django_db
class TouchesAndUndoTests:
    def test_touches_count_for_their_people_and_go_with_their_batch(
        self, workspace: Workspace, batch: ImportBatch, make_person: MakePerson
    ) -> None:
        ada, grace = make_person("Ada Lovelace"), make_person("Grace Hopper")
        touch = TouchRow(Channel.IN_PERSON, MET, True, "Café", "Lunch", "ical:lunch")
        touched = touches_bulk_add(
            workspace=workspace, batch_id=batch.pk, touches=[(touch, [ada.pk, grace.pk])]
        )
        assert touched == {ada.pk, grace.pk}
        people_bulk_refresh(
            created=set(),
            changed=set(),
            renamed=(),
            touched=touched,
            touches_new=1,
        )
        ada.refresh_from_db()
        assert (ada.touch_count, ada.last_in_person_at) == (1, MET)
        gone = batch_touches_forget(workspace=workspace, batch_id=batch.pk)
        assert batch_forget(workspace=workspace, batch_id=batch.pk, touched=gone) == 0
        ada.refresh_from_db()
        assert (ada.touch_count, ada.last_in_person_at) == (0, None)

    def test_people_of_the_batch_go_unless_something_else_holds_them(
        self, workspace: Workspace, batch: ImportBatch
    ) -> None:
        rows = [person_row("Ada Lovelace", "a"), person_row("Grace Hopper", "b")]
        ids = people_bulk_create(workspace=workspace, batch_id=batch.pk, rows=rows)
        identities_bulk_add(
            workspace=workspace,
            batch_id=batch.pk,
            rows=[IdentityRow(ids["a"], "email", "ada@example.org", "a")],
        )
        # The user logs a touch with Grace after the import: she stays.
        grace = Person.objects.get(pk=ids["b"])
        touch_log(workspace=workspace, people=[grace], channel=Channel.PHONE, when=MET)
        assert batch_forget(workspace=workspace, batch_id=batch.pk, touched=()) == 1
        assert list(Person.objects.values_list("pk", flat=True)) == [grace.pk]
        assert not Identity.objects.exists()


@pytest.mark.django_db
class PersonTakeNameTests:
    def test_only_a_stand_in_name_is_replaced(
        self, workspace: Workspace, batch: ImportBatch, make_person: MakePerson
    ) -> None:
        stand_in = PersonRow("@adalove", "", "", "", "", "", "", [], "x:1")
        ids = people_bulk_create(workspace=workspace, batch_id=batch.pk, rows=[stand_in])
        account = Person.objects.get(pk=ids["x:1"])
        named = make_person("Ada King")
        before = person_take_name(
            person_id=account.pk, full_name="Ada Lovelace", given_name="Ada", family_name="Lovelace"
        )
        assert before == ["@adalove", "", ""]
        account.refresh_from_db()
        assert (account.display_name, account.family_name) == ("Ada Lovelace", "Lovelace")
        assert (
            person_take_name(
                person_id=named.pk, full_name="Ada Lovelace", given_name="Ada", family_name="L"
            )
            is None
        )
        named.refresh_from_db()
        assert named.display_name == "Ada King"

    def test_many_stand_ins_take_their_names_at_once_and_named_people_keep_theirs(
        self, workspace: Workspace, batch: ImportBatch, make_person: MakePerson
    ) -> None:
        ids = people_bulk_create(
            workspace=workspace,
            batch_id=batch.pk,
            rows=[
                PersonRow("@adalove", "", "", "", "", "", "", [], "x:1"),
                PersonRow("X account 2", "", "", "", "", "", "", [], "x:2"),
            ],
        )
        identities_bulk_add(
            workspace=workspace,
            batch_id=batch.pk,
            rows=[IdentityRow(ids["x:1"], "email", "ada@example.org", "x:1")],
        )
        named = make_person("Ada King")
        taken = people_take_names(
            names=[
                NameTaken(ids["x:2"], "Grace  Hopper", "Grace", "Hopper"),
                NameTaken(named.pk, "Ada Lovelace", "Ada", "Lovelace"),
                NameTaken(ids["x:1"], "Ada Lovelace", "Ada", "Lovelace"),
            ]
        )
        assert list(taken.items()) == [
            (ids["x:2"], ["X account 2", "", ""]),
            (ids["x:1"], ["@adalove", "", ""]),
        ]
        ada, grace = Person.objects.get(pk=ids["x:1"]), Person.objects.get(pk=ids["x:2"])
        assert (grace.display_name, grace.given_name, grace.family_name) == (
            "Grace Hopper",
            "Grace",
            "Hopper",
        )
        assert (ada.sort_name, ada.search_text) == ("lovelace ada", "ada lovelace ada@example.org")
        named.refresh_from_db()
        assert named.display_name == "Ada King"
