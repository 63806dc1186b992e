"""The user's decisions on possible duplicates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from eyecontact.accounts.models import User

from ..models import MatchReview, Person
from .merges import _remember_not_same, person_merge
from .queue import reviews_queue_fill

KEEP_NOT_IN_REVIEW = "Keep one of the two people of this review: {ids}."
# Waiting in the queue or held back: a held-back one can be decided too, when asked by its id.
UNDECIDED = (MatchReview.Status.OPEN, MatchReview.Status.HELD)


@transaction.atomic
def review_merge(
    *, review: MatchReview, keep_id: int | None = None, actor: User | None = None
) -> Person:
    """The user confirms two people are one human: they are merged (and can be split again).
    ``keep_id`` names the one of the two to keep; the better known is kept when it is left out.
    The best held-back possible duplicate takes its place in the queue."""
    if keep_id is not None and keep_id not in (review.person_a_id, review.person_b_id):
        ids = sorted((review.person_a_id, review.person_b_id))
        raise ValidationError({"keep": KEEP_NOT_IN_REVIEW.format(ids=ids)})
    if review.status not in UNDECIDED:
        raise ValidationError("This match was already decided.")
    first = Person.objects.get(pk=review.person_a_id)
    second = Person.objects.get(pk=review.person_b_id)
    if keep_id is not None:
        keep = first if keep_id == first.pk else second
    else:
        keep = first if first.touch_count >= second.touch_count else second
    drop = second if keep.pk == first.pk else first
    review.status = MatchReview.Status.MERGED
    review.decided_at = timezone.now()
    review.decided_by = actor
    review.save(update_fields=["status", "decided_at", "decided_by"])
    evidence = [str(e) for e in review.evidence]
    # The review goes with the dropped person; the merge record keeps its score and evidence.
    # The merge fills the queue again (the dropped person's other reviews went with them).
    return person_merge(keep=keep, drop=drop, actor=actor, score=review.score, evidence=evidence)


@transaction.atomic
def review_reject(*, review: MatchReview, actor: User | None = None) -> MatchReview:
    """The user says these are two different humans; remembered for every later import. The
    best held-back possible duplicate takes its place in the queue."""
    if review.status not in UNDECIDED:
        raise ValidationError("This match was already decided.")
    review.status = MatchReview.Status.REJECTED
    review.decided_at = timezone.now()
    review.decided_by = actor
    # Only a review still open is decided: another request may have decided it, or deleted or
    # merged one of its people (which removes it), since it was read.
    decided = MatchReview.objects.filter(pk=review.pk, status__in=UNDECIDED).update(
        status=review.status, decided_at=review.decided_at, decided_by=actor
    )
    if not decided:
        raise ValidationError("This match was already decided, or one of its people is gone.")
    _remember_not_same(review.workspace, review.person_a_id, review.person_b_id)
    reviews_queue_fill(workspace_id=review.workspace_id)
    return review


@transaction.atomic
def reviews_merge_around(
    *, workspace_id: int, person: Person, actor: User | None = None
) -> tuple[Person, int]:
    """The user confirms at once that every open possible duplicate of ``person`` is them: a
    LinkedIn connection and the calendar invitations at three old addresses. Each is merged
    into ``person`` (and can be split again); returns ``person`` and how many were merged."""
    if person.workspace_id != workspace_id:
        raise ValidationError("This person is not in this workspace.")
    # The ones waiting in the queue, which the user was shown counted: a held-back one that
    # comes into the queue as these are merged waits for its own decision.
    waiting = list(
        MatchReview.objects.filter(workspace_id=workspace_id, status=MatchReview.Status.OPEN)
        .filter(Q(person_a=person) | Q(person_b=person))
        .values_list("pk", flat=True)
    )
    merged = 0
    while True:
        # Each merge drops a person and, with them, their other reviews: ask again each time.
        review = (
            MatchReview.objects.filter(pk__in=waiting, status=MatchReview.Status.OPEN)
            .order_by("-score", "id")
            .first()
        )
        if review is None:
            return person, merged
        person = review_merge(review=review, keep_id=person.pk, actor=actor)
        merged += 1
