"""Follow churn on X, stored: dated follower and following lists in, churn results out.

Writes (services)
    ``snapshot_record`` keeps one list as it was on one day and recomputes the workspace's
    churn; ``snapshot_delete`` and ``snapshots_forget_batch`` take lists away again (one by
    hand, or all those an undone import brought); ``churn_recompute`` replaces the stored
    results (``FollowChange``, ``Churner`` rows and the ``ChurnSummary``) from all snapshots,
    using the pure computation in :mod:`eyecontact.networks.churn`.

Reads (selectors), all scoped to one workspace
    ``snapshots_list``, ``snapshot_get``, ``churn_summary``, ``follow_changes``, ``churners``,
    ``one_way`` and ``churn_csv_rows``. Lists are read from the stored results, never
    recomputed per request, and are paged by the caller (Django's ``Paginator`` accepts both
    the querysets and ``one_way``'s sequence). Change and churner rows carry ``person_id`` and
    ``person_name`` annotations: the person whose X identity is ``id:<account id>``, looked up
    when read so that merges and later imports are reflected without a recompute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal, overload

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Substr
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eyecontact.accounts.models import Workspace
from eyecontact.people.choices import IdentityKind
from eyecontact.people.models import Identity

from . import churn
from .models import (
    Churner,
    ChurnSummary,
    FollowChange,
    FollowChangeKind,
    FollowListKind,
    FollowSnapshot,
)

__all__ = [
    "CSV_LISTS",
    "OneWayAccount",
    "OneWayList",
    "churn_csv_rows",
    "churn_recompute",
    "churn_summary",
    "churners",
    "follow_changes",
    "one_way",
    "snapshot_delete",
    "snapshot_get",
    "snapshot_ids",
    "snapshot_record",
    "snapshots_forget_batch",
    "snapshots_list",
]

UNKNOWN_LIST_KIND: Final = "Unknown list {kind!r}; use follower or following."
UNKNOWN_CHANGE_KIND: Final = "Unknown follow change {kind!r}; use one of: {kinds}."
UNKNOWN_DIRECTION: Final = (
    "Unknown direction {direction!r}; use they_follow_only or you_follow_only."
)
BAD_ACCOUNT_ID: Final = "X account ids are whole numbers from 0 to 18446744073709551615."
NOT_A_DATE: Final = "A snapshot's date is a day, like 2025-03-01."
UNKNOWN_CSV_LIST: Final = "Unknown list {name!r}; use one of: {names}."

# Ids are stored little-endian whatever the machine, so a database moves between hosts.
STORED_DTYPE: Final = np.dtype("<u8")
ROW_BATCH: Final = 5000
LOOKUP_CHUNK: Final = 900
X_PROFILE: Final = "https://x.com/i/user/{account_id}"

Direction = Literal["they_follow_only", "you_follow_only"]
CSV_LISTS: Final = ("churners", "changes", "they_follow_only", "you_follow_only")


# --- writes ---------------------------------------------------------------------------------


def _to_bytes(ids: churn.IdArray) -> bytes:
    return ids.astype(STORED_DTYPE, copy=False).tobytes()


def _from_bytes(stored: bytes | memoryview) -> churn.IdArray:
    return np.frombuffer(stored, dtype=STORED_DTYPE).astype(np.uint64, copy=False)


@transaction.atomic
def snapshot_record(
    *,
    workspace: Workspace,
    kind: str,
    taken_on: dt.date,
    account_ids: Iterable[int] | np.ndarray[Any, Any],
    batch_id: int | None = None,
    recompute: bool = True,
) -> FollowSnapshot:
    """Keeps the X accounts that followed the user (``kind="follower"``) or that the user
    followed (``"following"``) on ``taken_on``, then recomputes the workspace's churn.

    Recording the same list again changes nothing; a different list for the same kind and day
    replaces it. ``recompute=False`` leaves the recomputation to the caller (one
    ``churn_recompute`` after recording several lists, as an archive with both brings).
    """
    if kind not in FollowListKind.values:
        raise ValidationError({"kind": UNKNOWN_LIST_KIND.format(kind=kind)})
    if not isinstance(taken_on, dt.date) or isinstance(taken_on, dt.datetime):
        raise ValidationError({"taken_on": NOT_A_DATE})
    try:
        ids = churn.as_id_array(account_ids)
    except (ValueError, TypeError) as exc:
        raise ValidationError({"account_ids": BAD_ACCOUNT_ID}) from exc
    stored = _to_bytes(ids)
    digest = hashlib.sha256(stored).hexdigest()
    snapshot = (
        FollowSnapshot.objects.filter(workspace=workspace, kind=kind, taken_on=taken_on)
        .defer("ids")
        .first()
    )
    if snapshot is not None and snapshot.sha256 == digest:
        return snapshot
    if snapshot is None:
        snapshot = FollowSnapshot(workspace=workspace, kind=kind, taken_on=taken_on)
    snapshot.ids = stored
    snapshot.count = len(ids)
    snapshot.sha256 = digest
    snapshot.source_batch_id = batch_id
    snapshot.full_clean(exclude=["ids"])
    snapshot.save()
    if recompute:
        churn_recompute(workspace=workspace)
    return snapshot


@transaction.atomic
def snapshot_delete(*, snapshot: FollowSnapshot) -> None:
    """Forgets one list and recomputes the churn without it."""
    workspace = snapshot.workspace
    snapshot.delete()
    churn_recompute(workspace=workspace)


@transaction.atomic
def snapshots_forget_batch(*, workspace: Workspace, batch_id: int) -> int:
    """Forgets the lists import ``batch_id`` brought (when it is undone); returns how many."""
    deleted, _ = FollowSnapshot.objects.filter(
        workspace=workspace, source_batch_id=batch_id
    ).delete()
    if deleted:
        churn_recompute(workspace=workspace)
    return deleted


def _dates(days: np.ndarray[Any, Any]) -> list[Any]:
    """Numpy days as ``datetime.date``, NaT as ``None``."""
    return days.astype(object).tolist()  # type: ignore[no-any-return]  # numpy days to dates


@transaction.atomic
def churn_recompute(*, workspace: Workspace) -> ChurnSummary:
    """Replaces the workspace's stored churn results with ones computed from all its lists."""
    series: dict[str, list[tuple[dt.date, churn.IdArray]]] = {k: [] for k in FollowListKind}
    for kind, taken_on, stored in FollowSnapshot.objects.filter(workspace=workspace).values_list(
        "kind", "taken_on", "ids"
    ):
        series[kind].append((taken_on, _from_bytes(stored)))
    result = churn.churn_compute(
        followers=series[FollowListKind.FOLLOWER], following=series[FollowListKind.FOLLOWING]
    )

    FollowChange.objects.filter(workspace=workspace).delete()
    Churner.objects.filter(workspace=workspace).delete()
    changes = 0
    for kind, found in result.changes.items():
        rows = zip(
            found.account_ids.astype(str).tolist(),
            _dates(found.after),
            _dates(found.by),
            strict=True,
        )
        FollowChange.objects.bulk_create(
            (
                FollowChange(
                    workspace=workspace,
                    account_id=account_id,
                    kind=kind,
                    after_date=after,
                    by_date=by,
                )
                for account_id, after, by in rows
            ),
            batch_size=ROW_BATCH,
        )
        changes += len(found)
    episodes = result.churners
    Churner.objects.bulk_create(
        (
            Churner(
                workspace=workspace,
                account_id=account_id,
                followed_after=followed_after,
                followed_by=followed_by,
                followed_back_after=back_after,
                followed_back_by=back_by,
                unfollowed_after=unfollowed_after,
                unfollowed_by=unfollowed_by,
                came_back_by=came_back_by,
            )
            for (
                account_id,
                followed_after,
                followed_by,
                back_after,
                back_by,
                unfollowed_after,
                unfollowed_by,
                came_back_by,
            ) in zip(
                episodes.account_ids.astype(str).tolist(),
                _dates(episodes.followed_after),
                _dates(episodes.followed_by),
                _dates(episodes.followed_back_after),
                _dates(episodes.followed_back_by),
                _dates(episodes.unfollowed_after),
                _dates(episodes.unfollowed_by),
                _dates(episodes.came_back_by),
                strict=True,
            )
        ),
        batch_size=ROW_BATCH,
    )
    summary, _ = ChurnSummary.objects.update_or_create(
        workspace=workspace,
        defaults={
            "computed_at": timezone.now(),
            "timeline": [
                {**asdict(point), "date": point.date.isoformat()} for point in result.timeline
            ],
            "follower_snapshots": len(series[FollowListKind.FOLLOWER]),
            "following_snapshots": len(series[FollowListKind.FOLLOWING]),
            "changes": changes,
            "churners": len(episodes),
            "one_way_known": result.one_way_known,
            "they_follow_only_count": len(result.they_follow_only),
            "you_follow_only_count": len(result.you_follow_only),
            "they_follow_only_ids": _to_bytes(result.they_follow_only),
            "you_follow_only_ids": _to_bytes(result.you_follow_only),
        },
    )
    return summary


# --- reads ----------------------------------------------------------------------------------


def snapshots_list(*, workspace: Workspace) -> QuerySet[FollowSnapshot]:
    """The workspace's lists, newest first, without their (large) ids."""
    return (
        FollowSnapshot.objects.filter(workspace=workspace)
        .defer("ids")
        .select_related("source_batch")
        .order_by("-taken_on", "kind")
    )


def snapshot_get(*, workspace: Workspace, pk: int) -> FollowSnapshot:
    """One of the workspace's lists (404 for another workspace's), without its ids."""
    return get_object_or_404(snapshots_list(workspace=workspace), pk=pk)


def snapshot_ids(*, snapshot: FollowSnapshot) -> churn.IdArray:
    """The account ids of one list, as a sorted ``uint64`` array."""
    stored = FollowSnapshot.objects.values_list("ids", flat=True).get(pk=snapshot.pk)
    return _from_bytes(stored)


def churn_summary(*, workspace: Workspace) -> ChurnSummary | None:
    """The counts and timeline of the workspace's churn; ``None`` before any list is recorded.

    ``timeline`` holds one dict per snapshot date, oldest first: ``date`` (ISO),
    ``followers`` and ``following`` (list sizes known that day, or ``None``), and the number of
    ``follower_gained``, ``follower_lost``, ``followed_back``, ``you_followed``,
    ``you_unfollowed`` and ``churned`` steps first seen that day.
    """
    return (
        ChurnSummary.objects.filter(workspace=workspace)
        .defer("they_follow_only_ids", "you_follow_only_ids")
        .first()
    )


def _person_of(workspace_field: str = "workspace") -> dict[str, Subquery]:
    x_identity = Identity.objects.filter(
        workspace=OuterRef(workspace_field),
        kind=IdentityKind.X,
        value=Concat(Value("id:"), OuterRef("account_id"), output_field=CharField()),
    )
    return {
        "person_id": Subquery(x_identity.values("person_id")[:1]),
        "person_name": Subquery(x_identity.values("person__display_name")[:1]),
    }


def follow_changes(*, workspace: Workspace, kind: str = "") -> QuerySet[FollowChange]:
    """Steps X accounts made between snapshots, latest first; ``kind`` one of
    ``FollowChangeKind`` (``follower_gained``, ``follower_lost``, ``followed_back``,
    ``you_followed``, ``you_unfollowed``) or empty for all. Rows carry ``person_id`` and
    ``person_name`` (``None`` when no person has that X account)."""
    changes = FollowChange.objects.filter(workspace=workspace)
    if kind:
        if kind not in FollowChangeKind.values:
            kinds = ", ".join(FollowChangeKind.values)
            raise ValidationError({"kind": UNKNOWN_CHANGE_KIND.format(kind=kind, kinds=kinds)})
        changes = changes.filter(kind=kind)
    return changes.annotate(**_person_of()).order_by("-by_date", "kind", "account_id", "pk")


def churners(*, workspace: Workspace, came_back: bool | None = None) -> QuerySet[Churner]:
    """Accounts that followed the user, were followed back, then unfollowed while still
    followed; latest first, one row per time. ``came_back`` keeps only those who followed again
    (``True``) or not (``False``). Rows carry ``person_id`` and ``person_name``."""
    rows = Churner.objects.filter(workspace=workspace)
    if came_back is not None:
        rows = rows.filter(came_back_by__isnull=not came_back)
    return rows.annotate(**_person_of()).order_by("-unfollowed_by", "account_id", "pk")


@dataclass(frozen=True)
class OneWayAccount:
    """An X account in a one-way follow, with the person who has it, if any."""

    account_id: str
    person_id: int | None
    person_name: str | None

    @property
    def profile_url(self) -> str:
        return X_PROFILE.format(account_id=self.account_id)


def _people_by_account(
    workspace: Workspace, account_ids: Sequence[str]
) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(account_ids), LOOKUP_CHUNK):
        values = [f"id:{a}" for a in account_ids[start : start + LOOKUP_CHUNK]]
        for value, person_id, name in Identity.objects.filter(
            workspace=workspace, kind=IdentityKind.X, value__in=values
        ).values_list("value", "person_id", "person__display_name"):
            found[value.removeprefix("id:")] = (person_id, name)
    return found


class OneWayList(Sequence[OneWayAccount]):
    """The accounts in a one-way follow, ordered by account id, read page by page from the
    stored summary: ``len()`` reads a count, a slice reads only its own bytes of the stored
    ids and looks up the people of that page in one query."""

    def __init__(self, workspace: Workspace, direction: Direction) -> None:
        self.workspace = workspace
        self.direction = direction
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            count = (
                ChurnSummary.objects.filter(workspace=self.workspace)
                .values_list(f"{self.direction}_count", flat=True)
                .first()
            )
            self._length = count or 0
        return self._length

    def _ids(self, start: int, stop: int) -> churn.IdArray:
        if stop <= start:
            return np.empty(0, dtype=np.uint64)
        width = STORED_DTYPE.itemsize
        stored = (
            ChurnSummary.objects.filter(workspace=self.workspace)
            .annotate(
                page=Substr(f"{self.direction}_ids", start * width + 1, (stop - start) * width)
            )
            .values_list("page", flat=True)
            .first()
        )
        return _from_bytes(stored or b"")

    @overload
    def __getitem__(self, index: int) -> OneWayAccount: ...
    @overload
    def __getitem__(self, index: slice) -> list[OneWayAccount]: ...
    def __getitem__(self, index: int | slice) -> OneWayAccount | list[OneWayAccount]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            accounts = self._accounts(start, stop)
            return accounts[::step] if step != 1 else accounts
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._accounts(position, position + 1)[0]

    def _accounts(self, start: int, stop: int) -> list[OneWayAccount]:
        account_ids = self._ids(start, stop).astype(str).tolist()
        people = _people_by_account(self.workspace, account_ids)
        return [OneWayAccount(a, *people.get(a, (None, None))) for a in account_ids]


def one_way(*, workspace: Workspace, direction: str = "they_follow_only") -> OneWayList:
    """Accounts that follow the user whom the user does not follow (``they_follow_only``), or
    the reverse (``you_follow_only``), as of the latest lists; empty until both a follower and
    a following list are recorded. Page it with ``Paginator`` or by slicing."""
    if direction not in ("they_follow_only", "you_follow_only"):
        raise ValidationError({"direction": UNKNOWN_DIRECTION.format(direction=direction)})
    return OneWayList(workspace, direction)  # type: ignore[arg-type]  # checked just above


def churn_csv_rows(*, workspace: Workspace, name: str, kind: str = "") -> Iterator[list[str]]:
    """The rows of a CSV export, header first, streamed: ``name`` is ``churners``, ``changes``
    (``kind`` narrows them as in ``follow_changes``), ``they_follow_only`` or
    ``you_follow_only``. Dates are ISO days; unknown ones are empty."""
    if name not in CSV_LISTS:
        raise ValidationError(
            {"name": UNKNOWN_CSV_LIST.format(name=name, names=", ".join(CSV_LISTS))}
        )

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def profile(account_id: str) -> str:
        return X_PROFILE.format(account_id=account_id)

    if name == "churners":
        yield [
            "account_id", "profile", "person", "followed_after", "followed_by",
            "followed_back_after", "followed_back_by", "unfollowed_after", "unfollowed_by",
            "came_back_by",
        ]  # fmt: skip
        for row in churners(workspace=workspace).iterator(chunk_size=ROW_BATCH):
            yield [
                row.account_id,
                profile(row.account_id),
                row.person_name or "",  # type: ignore[attr-defined]  # annotated
                day(row.followed_after),
                day(row.followed_by),
                day(row.followed_back_after),
                day(row.followed_back_by),
                day(row.unfollowed_after),
                day(row.unfollowed_by),
                day(row.came_back_by),
            ]
    elif name == "changes":
        yield ["account_id", "profile", "person", "change", "after", "by"]
        for change in follow_changes(workspace=workspace, kind=kind).iterator(chunk_size=ROW_BATCH):
            yield [
                change.account_id,
                profile(change.account_id),
                change.person_name or "",  # type: ignore[attr-defined]  # annotated
                change.kind,
                day(change.after_date),
                day(change.by_date),
            ]
    else:
        yield ["account_id", "profile", "person"]
        accounts = one_way(workspace=workspace, direction=name)
        for start in range(0, len(accounts), ROW_BATCH):
            for account in accounts[start : start + ROW_BATCH]:
                yield [account.account_id, account.profile_url, account.person_name or ""]
