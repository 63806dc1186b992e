"""The review queue: a list of possible duplicates a person can work through.

A heavy user's imports find thousands of possible duplicates. At most
``settings.REVIEW_QUEUE_SIZE`` of a workspace's undecided ones wait for review at once, those
worth the most first (:func:`~eyecontact.people.selectors.review_gain`); the others are kept,
held back::

    every undecided possible duplicate of a workspace, ranked by gain
    ├── the best REVIEW_QUEUE_SIZE: open, waiting in the review queue
    └── the rest: held back, kept

    reviews_queue_sort  after an import: ranks them all again, so the import's likelier ones
                        push the weakest waiting ones back.
    reviews_queue_fill  after a decision (a merge, "not the same", a person deleted, an import
                        undone, a workspace restored): the best held-back ones come in until
                        the queue is full again; a queue over its size holds back its weakest.

A decision only fills the queue, never reshuffles it, so a pair the user is looking at does not
vanish because another decision made someone else's pair worth a little more.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet

from ..models import MatchReview
from ..selectors import review_gain

__all__ = ["reviews_queue_fill", "reviews_queue_sort"]

# Ids per UPDATE statement: below SQLite's limit on bound parameters.
_CHUNK = 900


def _ranked(workspace_id: int, *statuses: str) -> QuerySet[MatchReview]:
    return (
        MatchReview.objects.filter(workspace_id=workspace_id, status__in=statuses)
        .annotate(gain=review_gain())
        .order_by("-gain", "-score", "id")
    )


def _set_status(review_ids: Sequence[int], status: str) -> None:
    for start in range(0, len(review_ids), _CHUNK):
        MatchReview.objects.filter(pk__in=review_ids[start : start + _CHUNK]).update(status=status)


def reviews_queue_fill(*, workspace_id: int) -> int:
    """Brings the best held-back possible duplicates into the review queue until it is full
    again; how many came in. A queue over its size (restored from an older export, or the size
    made smaller) holds back its weakest instead."""
    size = settings.REVIEW_QUEUE_SIZE
    waiting = MatchReview.objects.filter(
        workspace_id=workspace_id, status=MatchReview.Status.OPEN
    ).count()
    if waiting > size:
        weakest = _ranked(workspace_id, MatchReview.Status.OPEN).values_list("pk", flat=True)
        _set_status(list(weakest[size:]), MatchReview.Status.HELD)
        return 0
    coming = list(
        _ranked(workspace_id, MatchReview.Status.HELD).values_list("pk", flat=True)[
            : size - waiting
        ]
    )
    _set_status(coming, MatchReview.Status.OPEN)
    return len(coming)


def reviews_queue_sort(*, workspace_id: int) -> None:
    """Ranks every undecided possible duplicate of the workspace together (after an import
    added some): the best ``settings.REVIEW_QUEUE_SIZE`` wait in the queue, the rest are held
    back."""
    size = settings.REVIEW_QUEUE_SIZE
    ranked = list(
        _ranked(workspace_id, MatchReview.Status.OPEN, MatchReview.Status.HELD).values_list(
            "pk", "status"
        )
    )
    _set_status(
        [pk for pk, status in ranked[:size] if status != MatchReview.Status.OPEN],
        MatchReview.Status.OPEN,
    )
    _set_status(
        [pk for pk, status in ranked[size:] if status != MatchReview.Status.HELD],
        MatchReview.Status.HELD,
    )
