"""Many automatic merges at once leave what merging them one by one leaves, and split alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import db

from eyecontact.accounts.models import AuditEntry, User, Workspace
from eyecontact.accounts.services import workspace_create
from eyecontact.people.models import Connection, Person, PersonMerge, PersonSearchWord, Touch
from eyecontact.people.services import (
    PlannedMerge,
    connection_add,
    people_merge_automatic,
    person_create,
    person_merge,
    person_unmerge,
    touch_log,
)

pytestmark = pytest.mark.django_db


def network(workspace: Workspace) -> list[Person]:
    """Ada (named, an address) and three X accounts nobody named, with what they bring."""
    ada = person_create(
        workspace=workspace,
        display_name="Ada Lovelace",
        identities=[("email", "ada@engines.example")],
    )
    connection_add(person=ada, network="x", kind="follower", connected_on=dt.date(2024, 5, 1))
    first = person_create(
        workspace=workspace,
        display_name="X account 101",
        identities=[("x", "id:101"), ("email", "countess@engines.example")],
        organization="Analytical Engines",
    )
    connection_add(person=first, network="x", kind="follower", connected_on=dt.date(2023, 1, 2))
    connection_add(person=first, network="x", kind="following")
    second = person_create(
        workspace=workspace, display_name="X account 102", identities=[("x", "id:102")]
    )
    connection_add(person=second, network="x", kind="following")
    touch_log(
        workspace=workspace,
        people=[second],
        channel="social",
        when=dt.datetime(2025, 3, 4, 12, tzinfo=dt.UTC),
    )
    third = person_create(
        workspace=workspace, display_name="X account 103", identities=[("x", "id:103")]
    )
    return [ada, first, second, third]


def state(workspace: Workspace) -> dict[str, Any]:
    """Everything a merge changes, by names rather than ids."""
    people = Person.objects.filter(workspace=workspace).order_by("display_name")
    merges = PersonMerge.objects.filter(workspace=workspace).order_by("pk")
    return {
        "people": [
            (
                p.display_name,
                p.organization,
                p.search_text,
                p.touch_count,
                sorted(p.identities.values_list("kind", "value")),
                sorted(p.connections.values_list("network", "kind", "connected_on")),
                sorted(PersonSearchWord.objects.filter(person=p).values_list("word", flat=True)),
            )
            for p in people
        ],
        "merges": [
            (
                m.kept.display_name,
                m.score,
                m.evidence,
                m.automatic,
                m.snapshot["fields"],
                m.snapshot["filled"],
                m.snapshot.get("dropped_connections"),
                len(m.snapshot["identity_ids"]),
                len(m.snapshot["touch_ids"]),
                len(m.snapshot["connection_ids"]),
            )
            for m in merges
        ],
        "audit": sorted(
            AuditEntry.objects.filter(workspace=workspace, action="person.merge").values_list(
                "subject", flat=True
            )
        ),
    }


class PeopleMergeAutomaticTests:
    def test_merging_at_once_leaves_what_merging_one_by_one_leaves(
        self, workspace: Workspace, user: User
    ) -> None:
        ada, first, second, _ = network(workspace)
        people_merge_automatic(
            merges=[
                PlannedMerge(ada.pk, first.pk, 0.97, ("same x: id:101",)),
                PlannedMerge(ada.pk, second.pk, 0.97, ("same x: id:102",)),
            ]
        )
        other = workspace_create(name="One by one", owner=user, default_region="DE")
        keep, *drops, _ = network(other)
        for drop, evidence in zip(drops, ("same x: id:101", "same x: id:102"), strict=True):
            person_merge(
                keep=Person.objects.get(pk=keep.pk),
                drop=drop,
                automatic=True,
                score=0.97,
                evidence=[evidence],
            )
        assert state(workspace) == state(other)
        merged = Person.objects.get(pk=ada.pk)
        assert merged.organization == "Analytical Engines"
        assert merged.touch_count == 1

    def test_what_was_the_dropped_persons_alone_goes_with_them(self, workspace: Workspace) -> None:
        ada, first, second, _ = network(workspace)
        people_merge_automatic(
            merges=[PlannedMerge(ada.pk, first.pk), PlannedMerge(ada.pk, second.pk)]
        )
        dropped = [first.pk, second.pk]
        assert not Person.objects.filter(pk__in=dropped).exists()
        assert not PersonSearchWord.objects.filter(person_id__in=dropped).exists()
        assert not Touch.people.through.objects.filter(person_id__in=dropped).exists()
        # Ada's own "follower" connection stands; first's older one folded into it.
        assert not Connection.objects.filter(person_id__in=dropped).exists()
        # Nothing left pointing at a person who is gone.
        db.connection.check_constraints()

    def test_each_merge_splits_as_any_other(self, workspace: Workspace) -> None:
        ada, first, second, _ = network(workspace)
        before = state(workspace)["people"]
        people_merge_automatic(
            merges=[PlannedMerge(ada.pk, first.pk), PlannedMerge(ada.pk, second.pk)]
        )
        for merge in PersonMerge.objects.filter(workspace=workspace).order_by("-pk"):
            person_unmerge(merge=merge)
        assert [row[:5] for row in state(workspace)["people"]] == [row[:5] for row in before]

    def test_a_chain_of_merges_goes_one_by_one(self, workspace: Workspace) -> None:
        ada, first, second, third = network(workspace)
        people_merge_automatic(
            merges=[PlannedMerge(first.pk, second.pk), PlannedMerge(ada.pk, first.pk)]
        )
        (left,) = Person.objects.filter(workspace=workspace).exclude(pk=third.pk)
        assert left.pk == ada.pk
        assert sorted(left.identities.values_list("value", flat=True)) == [
            "ada@engines.example",
            "countess@engines.example",
            "id:101",
            "id:102",
        ]
