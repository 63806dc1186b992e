"""The ways a person is recognised (e-mails, phones, profiles, handles)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import constants
from ..choices import IdentityKind, Source
from ..models import Identity, Person
from ..search import person_index_search
from .persons import _validated_identity, person_derive_fields


@transaction.atomic
def identity_add(
    *,
    person: Person,
    kind: str,
    value: str,
    label: str = "",
    source: str = Source.MANUAL,
    source_batch_id: int | None = None,
) -> Identity:
    """Adds a way to recognise ``person``; refuses one that already belongs to someone else."""
    workspace = person.workspace
    normalized = _validated_identity(workspace, kind, value)
    existing = (
        Identity.objects.select_related("person")
        .filter(workspace=workspace, kind=kind, value=normalized)
        .first()
    )
    if existing is not None:
        if existing.person_id == person.pk:
            return existing
        raise ValidationError(
            {
                "value": constants.IDENTITY_TAKEN.format(
                    kind=IdentityKind(kind).label, value=normalized, owner=existing.person
                )
            }
        )
    identity = Identity(
        workspace=workspace,
        person=person,
        kind=kind,
        value=normalized,
        label=label,
        source=source,
        source_batch_id=source_batch_id,
    )
    # The person and workspace are the caller's own rows: no queries to check them.
    identity.full_clean(exclude=["workspace", "person"])
    identity.save()
    if kind == IdentityKind.EMAIL:
        previous = person.search_text
        person_derive_fields(person)
        person.save(update_fields=["display_name", "sort_name", "search_text"])
        person_index_search(person, previous=previous)
    return identity


@transaction.atomic
def identity_remove(*, identity: Identity) -> None:
    person = identity.person
    identity.delete()
    previous = person.search_text
    person_derive_fields(person)
    person.save(update_fields=["display_name", "sort_name", "search_text"])
    person_index_search(person, previous=previous)


@transaction.atomic
def identity_update(
    *, identity: Identity, value: str | None = None, label: str | None = None
) -> Identity:
    """Corrects an identity's value or label; the value is validated like a new one."""
    if value is not None:
        normalized = _validated_identity(identity.workspace, identity.kind, value)
        taken = (
            Identity.objects.select_related("person")
            .filter(workspace_id=identity.workspace_id, kind=identity.kind, value=normalized)
            .exclude(pk=identity.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "value": constants.IDENTITY_TAKEN.format(
                        kind=IdentityKind(identity.kind).label, value=normalized, owner=taken.person
                    )
                }
            )
        identity.value = normalized
    if label is not None:
        identity.label = label.strip()
    identity.full_clean()
    identity.save(update_fields=["value", "label"])
    if value is not None and identity.kind == IdentityKind.EMAIL:
        person = identity.person
        previous = person.search_text
        person_derive_fields(person)
        person.save(update_fields=["display_name", "sort_name", "search_text"])
        person_index_search(person, previous=previous)
    return identity
