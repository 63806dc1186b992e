"""The review queue holds a list a person can work through, the likeliest gain first; the less
likely rest are held back, kept, and come up as the ones waiting are decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.conf import LazySettings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import MatchReview, Person
from eyecontact.people.selectors import reviews_held_count, reviews_open, reviews_open_count
from eyecontact.people.services import (
    person_delete,
    review_merge,
    review_reject,
    reviews_merge_around,
    reviews_queue_fill,
    reviews_queue_sort,
    touch_log,
)

MakePerson = Callable[..., Person]
WHEN = dt.datetime(2025, 9, 17, 10, 42, tzinfo=dt.UTC)
OPEN, HELD = MatchReview.Status.OPEN, MatchReview.Status.HELD


@pytest.fixture(autouse=True)
def queue_of_two(settings: LazySettings) -> None:
    settings.REVIEW_QUEUE_SIZE = 2


def found(workspace: Workspace, a: Person, b: Person, score: float) -> MatchReview:
    """A possible duplicate as an import writes it (waiting), before the queue is sorted."""
    return MatchReview.objects.create(
        workspace=workspace, person_a=a, person_b=b, score=score, evidence=["name exact"]
    )


def statuses(reviews: QuerySet[MatchReview]) -> dict[float, str]:
    return dict(reviews.values_list("score", "status"))


@pytest.fixture
def four(workspace: Workspace, make_person: MakePerson) -> list[MatchReview]:
    """Four possible duplicates of different odds, sorted into a queue of two."""
    reviews = [
        found(workspace, make_person(f"Wei Zhang {n}"), make_person(f"Wei Zhang {n}"), score)
        for n, score in enumerate((0.9, 0.8, 0.7, 0.6))
    ]
    reviews_queue_sort(workspace_id=workspace.pk)
    return reviews


@pytest.mark.django_db
class QueueSortTests:
    def test_the_best_wait_and_the_rest_are_held_back_not_lost(
        self, workspace: Workspace, four: list[MatchReview]
    ) -> None:
        assert statuses(MatchReview.objects.all()) == {0.9: OPEN, 0.8: OPEN, 0.7: HELD, 0.6: HELD}
        assert (
            reviews_open_count(workspace=workspace),
            reviews_held_count(workspace=workspace),
        ) == (
            2,
            2,
        )
        assert [r.score for r in reviews_open(workspace=workspace)] == [0.9, 0.8]

    def test_a_likelier_new_one_pushes_the_weakest_waiting_one_back(
        self, workspace: Workspace, make_person: MakePerson, four: list[MatchReview]
    ) -> None:
        found(workspace, make_person("Ana Ruiz"), make_person("Ana Ruiz"), 0.85)
        reviews_queue_sort(workspace_id=workspace.pk)
        assert statuses(MatchReview.objects.all()) == {
            0.9: OPEN,
            0.85: OPEN,
            0.8: HELD,
            0.7: HELD,
            0.6: HELD,
        }

    def test_one_that_would_join_meetings_comes_before_a_surer_lone_pair(
        self, workspace: Workspace, make_person: MakePerson, four: list[MatchReview]
    ) -> None:
        met = make_person("Kofi Boateng")
        for day in range(3):
            touch_log(
                workspace=workspace,
                people=[met],
                channel="in_person",
                when=WHEN + dt.timedelta(days=day),
            )
        found(workspace, met, make_person("Kofi Boateng"), 0.5)
        reviews_queue_sort(workspace_id=workspace.pk)
        # 0.5 × (1 + 3 touches) = 2.0 beats 0.9 × 1.
        assert [r.score for r in reviews_open(workspace=workspace)] == [0.5, 0.9]

    def test_another_workspace_keeps_its_own_queue(
        self,
        workspace: Workspace,
        other_workspace: Workspace,
        make_person: MakePerson,
        four: list[MatchReview],
    ) -> None:
        theirs = [
            found(
                other_workspace,
                make_person("Lena Hartmann", workspace=other_workspace),
                make_person("Lena Hartmann", workspace=other_workspace),
                0.5,
            )
            for _ in range(3)
        ]
        reviews_queue_sort(workspace_id=workspace.pk)
        assert {r.status for r in MatchReview.objects.filter(pk__in=[t.pk for t in theirs])} == {
            OPEN
        }
        reviews_queue_sort(workspace_id=other_workspace.pk)
        assert reviews_open_count(workspace=other_workspace) == 2
        assert statuses(MatchReview.objects.filter(workspace=workspace)) == {
            0.9: OPEN,
            0.8: OPEN,
            0.7: HELD,
            0.6: HELD,
        }


@pytest.mark.django_db
class QueueFillTests:
    def test_saying_not_the_same_brings_the_best_held_back_one_in(
        self, workspace: Workspace, four: list[MatchReview]
    ) -> None:
        review_reject(review=four[0])
        assert statuses(MatchReview.objects.exclude(pk=four[0].pk)) == {
            0.8: OPEN,
            0.7: OPEN,
            0.6: HELD,
        }

    def test_merging_brings_the_best_held_back_one_in(
        self, workspace: Workspace, four: list[MatchReview]
    ) -> None:
        review_merge(review=four[1])
        assert statuses(MatchReview.objects.exclude(pk=four[1].pk)) == {
            0.9: OPEN,
            0.7: OPEN,
            0.6: HELD,
        }

    def test_deleting_a_person_brings_held_back_ones_in(
        self, workspace: Workspace, four: list[MatchReview]
    ) -> None:
        person_delete(person=four[0].person_a)
        assert statuses(MatchReview.objects.all()) == {0.8: OPEN, 0.7: OPEN, 0.6: HELD}

    def test_a_held_back_one_can_be_decided_by_its_id(
        self, workspace: Workspace, four: list[MatchReview]
    ) -> None:
        held = MatchReview.objects.get(score=0.6)
        review_reject(review=held)
        held.refresh_from_db()
        assert held.status == MatchReview.Status.REJECTED
        assert statuses(MatchReview.objects.exclude(pk=held.pk)) == {
            0.9: OPEN,
            0.8: OPEN,
            0.7: HELD,
        }

    def test_a_queue_over_its_size_holds_back_its_weakest(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """A workspace restored from an export made before the queue had a size."""
        for n, score in enumerate((0.6, 0.9, 0.7, 0.8)):
            found(workspace, make_person(f"Ana Ruiz {n}"), make_person(f"Ana Ruiz {n}"), score)
        assert reviews_queue_fill(workspace_id=workspace.pk) == 0
        assert statuses(MatchReview.objects.all()) == {0.9: OPEN, 0.8: OPEN, 0.7: HELD, 0.6: HELD}

    def test_merging_all_of_a_persons_merges_only_those_waiting(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        """The page offered "All 2 are Godofredo Aliaga": the held-back third that comes in
        meanwhile waits for a decision of its own."""
        hub = make_person("Godofredo Aliaga")
        for score in (0.9, 0.8, 0.7):
            found(workspace, make_person("Godofredo Aliaga"), hub, score)
        reviews_queue_sort(workspace_id=workspace.pk)
        kept, merged = reviews_merge_around(workspace_id=workspace.pk, person=hub)
        assert (kept, merged) == (hub, 2)
        assert statuses(MatchReview.objects.filter(status__in=[OPEN, HELD])) == {0.7: OPEN}
        assert Person.objects.count() == 2


@pytest.mark.django_db(transaction=True)
class MigrationTests:
    def test_a_workspace_waiting_on_more_than_the_queue_holds_keeps_the_best_waiting(
        self,
    ) -> None:
        """Installations upgraded with thousands waiting: the best stay, the rest are held."""
        executor = MigrationExecutor(connection)
        before, after = (
            [("people", "0012_person_archived_at")],
            [("people", "0013_review_held_back")],
        )
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        workspace = old.get_model("accounts", "Workspace").objects.create(
            name="Morgan's network", slug="morgans-network"
        )
        person = old.get_model("people", "Person")
        review = old.get_model("people", "MatchReview")
        met = person.objects.create(workspace_id=workspace.pk, display_name="Kofi", touch_count=3)
        for n, score in enumerate((0.9, 0.8, 0.7, 0.6)):
            a, b = (
                person.objects.create(workspace_id=workspace.pk, display_name=f"Wei Zhang {n}")
                for _ in range(2)
            )
            review.objects.create(workspace_id=workspace.pk, person_a=a, person_b=b, score=score)
        # 0.5 × (1 + 3 touches) = 2.0: worth more than a surer pair of lone records.
        lone = person.objects.create(workspace_id=workspace.pk, display_name="Kofi Boateng")
        review.objects.create(workspace_id=workspace.pk, person_a=met, person_b=lone, score=0.5)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        assert statuses(MatchReview.objects.all()) == {
            0.5: OPEN,
            0.9: OPEN,
            0.8: HELD,
            0.7: HELD,
            0.6: HELD,
        }
