"""Deciding possible matches, and splitting people merged by mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from eyecontact.accounts.models import Workspace
from eyecontact.people.models import MatchReview, NotSamePerson, Person, PersonMerge
from eyecontact.people.services import (
    connection_add,
    person_delete,
    person_merge,
    person_unmerge,
    review_merge,
    review_reject,
    reviews_merge_around,
    touch_log,
)

MakePerson = Callable[..., Person]
WHEN = dt.datetime(2025, 9, 17, 10, 42, tzinfo=dt.UTC)


def open_review(workspace: Workspace, a: Person, b: Person) -> MatchReview:
    return MatchReview.objects.create(
        workspace=workspace,
        person_a=a,
        person_b=b,
        score=0.75,
        evidence=["given name exact, family name exact"],
    )


@pytest.mark.django_db
class ReviewTests:
    def test_confirming_a_match_merges_into_the_better_known_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        lena = make_person("Lena Hartmann", identities=[("email", "lena@flora-analytics.example")])
        lookalike = make_person("Lena Hartmann", organization="Flora Analytics")
        touch_log(workspace=workspace, people=[lena], channel="in_person", when=WHEN)
        review = open_review(workspace, lookalike, lena)
        merged = review_merge(review=review)
        assert merged == lena
        assert merged.organization == "Flora Analytics"
        assert Person.objects.count() == 1
        merge = PersonMerge.objects.get()
        assert merge.evidence == ["given name exact, family name exact"]

    def test_rejecting_a_match_is_remembered(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        wei, other_wei = make_person("Wei Zhang"), make_person("Wei Zhang")
        review = review_reject(review=open_review(workspace, wei, other_wei))
        assert review.status == MatchReview.Status.REJECTED
        pair = NotSamePerson.objects.get()
        assert {pair.person_low_id, pair.person_high_id} == {wei.pk, other_wei.pk}
        with pytest.raises(ValidationError, match="already decided"):
            review_merge(review=review)

    @pytest.mark.parametrize("meanwhile", ["decided", "person deleted"])
    def test_rejecting_a_match_changed_since_it_was_read_is_refused_plainly(
        self, workspace: Workspace, make_person: MakePerson, meanwhile: str
    ) -> None:
        """Two requests at once: the second one's copy of the review is out of date."""
        wei, other_wei = make_person("Wei Zhang"), make_person("Wei Zhang")
        review = open_review(workspace, wei, other_wei)
        stale = MatchReview.objects.get(pk=review.pk)
        if meanwhile == "decided":
            review_reject(review=review)
        else:
            person_delete(person=other_wei)  # takes its reviews with it
        with pytest.raises(ValidationError, match="already decided, or one of its people is gone"):
            review_reject(review=stale)
        assert NotSamePerson.objects.count() == (1 if meanwhile == "decided" else 0)


@pytest.mark.django_db
class UnmergeTests:
    def test_a_split_gives_back_what_each_person_brought(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        wei = make_person("Wei Zhang", organization="Yangtze Robotics")
        other = make_person("Wei Zhang", identities=[("email", "wei@photon.example")])
        touch_log(workspace=workspace, people=[wei], channel="in_person", when=WHEN)
        shared = touch_log(workspace=workspace, people=[wei, other], channel="phone", when=WHEN)
        touch_log(workspace=workspace, people=[other], channel="video", when=WHEN)
        connection_add(person=other, network="linkedin", kind="connection")
        merged = person_merge(keep=wei, drop=other)
        assert merged.touch_count == 3
        restored = person_unmerge(merge=PersonMerge.objects.get())
        wei.refresh_from_db()
        assert restored.display_name == "Wei Zhang"
        assert list(restored.identities.values_list("value", flat=True)) == ["wei@photon.example"]
        assert restored.connections.count() == 1
        assert (wei.touch_count, restored.touch_count) == (2, 2)
        assert set(shared.people.all()) == {wei, restored}
        assert NotSamePerson.objects.filter(workspace=workspace).count() == 1
        with pytest.raises(ValidationError, match="already split"):
            person_unmerge(merge=PersonMerge.objects.get())


@pytest.mark.django_db
class ReviewsAroundTests:
    def test_every_open_review_of_a_person_merges_into_them(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        hub = make_person("Godofredo Aliaga")
        others = [make_person("Godofredo Aliaga") for _ in range(3)]
        for other in others:
            open_review(workspace, other, hub)
        # A review between two of the others goes with the first of them merged.
        open_review(workspace, others[0], others[1])
        kept, merged = reviews_merge_around(workspace_id=workspace.pk, person=hub)
        assert (kept, merged) == (hub, 3)
        assert list(Person.objects.all()) == [hub]
        assert not MatchReview.objects.filter(status=MatchReview.Status.OPEN).exists()

    def test_a_person_of_another_workspace_is_refused(
        self, workspace: Workspace, other_workspace: Workspace, make_person: MakePerson
    ) -> None:
        hub = make_person("Godofredo Aliaga")
        with pytest.raises(ValidationError):
            reviews_merge_around(workspace_id=other_workspace.pk, person=hub)
        assert Person.objects.get() == hub
