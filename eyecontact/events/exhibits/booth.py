"""The exhibit itself: the booth at an event, its staff and what it cost."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from eyecontact.accounts.models import User, Workspace

from ..models import Event, Exhibit, ExhibitCost

__all__ = [
    "exhibit_add_cost",
    "exhibit_cost_delete",
    "exhibit_cost_get",
    "exhibit_cost_update",
    "exhibit_create",
    "exhibit_set_staff",
    "exhibits_list",
]


@transaction.atomic
def exhibit_create(
    *, event: Event, name: str, currency: str = "USD", staff: Sequence[User] = ()
) -> Exhibit:
    exhibit = Exhibit(
        workspace=event.workspace, event=event, name=" ".join(name.split()), currency=currency
    )
    exhibit.full_clean()
    exhibit.save()
    exhibit_set_staff(exhibit=exhibit, staff=staff)
    return exhibit


def exhibit_set_staff(*, exhibit: Exhibit, staff: Sequence[User]) -> None:
    """The members of the workspace who capture at this booth."""
    members = set(exhibit.workspace.members.values_list("pk", flat=True))
    outsiders = [u.email for u in staff if u.pk not in members]
    if outsiders:
        raise ValidationError({"staff": f"Not members of this workspace: {', '.join(outsiders)}."})
    exhibit.staff.set(staff)


def exhibit_add_cost(
    *, exhibit: Exhibit, category: str, amount: Decimal, note: str = ""
) -> ExhibitCost:
    cost = ExhibitCost(exhibit=exhibit, category=category, amount=amount, note=note)
    cost.full_clean()
    if cost.amount < 0:
        raise ValidationError({"amount": "A cost cannot be negative."})
    cost.save()
    return cost


def exhibit_cost_update(
    *, cost: ExhibitCost, category: str, amount: Decimal, note: str = ""
) -> ExhibitCost:
    """Corrects a cost line: its category, amount and what it was for."""
    cost.category, cost.amount, cost.note = category, amount, note.strip()
    cost.full_clean()
    if cost.amount < 0:
        raise ValidationError({"amount": "A cost cannot be negative."})
    cost.save(update_fields=["category", "amount", "note"])
    return cost


def exhibit_cost_delete(*, cost: ExhibitCost) -> None:
    cost.delete()


def exhibit_cost_get(*, exhibit: Exhibit, pk: int) -> ExhibitCost:
    """The exhibit's cost line with this id, or a 404 (another exhibit's lines included)."""
    return get_object_or_404(ExhibitCost.objects.filter(exhibit=exhibit), pk=pk)


def exhibits_list(*, workspace: Workspace) -> QuerySet[Exhibit]:
    return Exhibit.objects.filter(workspace=workspace).select_related("event")
