"""People: create, change, delete, and the figures and names derived from their touches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import audit_record
from eyecontact.common.bulk import insert_rows
from eyecontact.matching.normalize import InvalidIdentity, fold_name, normalize_identity

from .. import constants
from ..choices import HIGH_TOUCH_CHANNELS, Channel, IdentityKind, Source
from ..models import Identity, Person, Touch
from ..search import people_index_new, person_index_search
from .queue import reviews_queue_fill

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "display_name",
    "organization",
    "title",
    "city",
    "notes",
    "cadence_days",
)


def split_name(full_name: str) -> tuple[str, str]:
    """Given and family name from a typed name: "Jane Doe", "Doe, Jane", "Jane van der Berg"."""
    name = " ".join(full_name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    parts = name.split(" ")
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], " ".join(parts[1:])


def person_derive_fields(person: Person, *, emails: Iterable[str] | None = None) -> None:
    """Fills the fields lists sort and search on: display, sort name and search text.

    ``emails`` saves a query when the caller knows them (bulk imports, the demo); otherwise a
    saved person's e-mail identities are read.
    """
    if emails is None:
        emails = (
            person.identities.filter(kind=IdentityKind.EMAIL)
            .order_by("pk")
            .values_list("value", flat=True)
            if person.pk
            else ()
        )
    person.display_name, person.sort_name, person.search_text = person_derived_values(
        display_name=person.display_name,
        given_name=person.given_name,
        family_name=person.family_name,
        organization=person.organization,
        title=person.title,
        city=person.city,
        emails=emails,
    )


def person_derived_values(
    *,
    display_name: str,
    given_name: str,
    family_name: str,
    organization: str,
    title: str,
    city: str,
    emails: Iterable[str],
) -> tuple[str, str, str]:
    """Display name, sort name and search text of a person with these fields.

    What :func:`person_derive_fields` sets, for bulk imports that write rows without building
    a ``Person`` for each.
    """
    display_name = " ".join(display_name.split())
    if not display_name:
        display_name = " ".join(p for p in (given_name, family_name) if p)
    ordered = f"{family_name} {given_name}" if family_name else ""
    sort_name = (fold_name(ordered) or fold_name(display_name))[:300]
    words = fold_name(" ".join([display_name, organization, title, city]))
    return display_name, sort_name, " ".join([words, *emails])


def _validated_identity(workspace: Workspace, kind: str, raw: str) -> str:
    if kind not in IdentityKind.values:
        raise ValidationError({"kind": f"Unknown identity kind {kind!r}."})
    try:
        return normalize_identity(kind, raw, default_region=workspace.default_region)
    except InvalidIdentity as exc:
        raise ValidationError({"value": str(exc)}) from exc


@transaction.atomic
def person_create(
    *,
    workspace: Workspace,
    display_name: str = "",
    identities: Sequence[tuple[str, str]] = (),
    source: str = Source.MANUAL,
    source_key: str = "",
    actor: User | None = None,
    identities_unheld: bool = False,
    **fields: Any,
) -> Person:
    """A new person; ``identities`` are (kind, value) pairs, validated and normalised.

    ``identities_unheld`` says the caller has just looked them up, in this transaction, and
    nobody holds them: they are not looked up again (the database still refuses a duplicate).
    """
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    display_name = " ".join(display_name.split())
    if display_name and not (fields.get("given_name") or fields.get("family_name")):
        fields["given_name"], fields["family_name"] = split_name(display_name)
    person = Person(
        workspace=workspace,
        display_name=display_name,
        source=source,
        source_key=source_key,
        **fields,
    )
    pairs = _free_identities(workspace, identities, look=not identities_unheld)
    # The e-mails are known: the search text is whole before the first write.
    person_derive_fields(person, emails=[v for k, v in pairs if k == IdentityKind.EMAIL])
    if not person.display_name:
        raise ValidationError({"display_name": constants.NAME_REQUIRED})
    # The workspace is the caller's own row: no query to check that it exists.
    person.full_clean(exclude=["workspace"])
    person.save()
    # A new person has no words yet: they go straight in, nothing read or deleted first.
    people_index_new([(person.pk, workspace.pk, person.search_text)])
    if pairs:
        rows = [
            Identity(workspace=workspace, person=person, kind=kind, value=value, source=source)
            for kind, value in pairs
        ]
        for identity in rows:
            # The person and workspace are rows just written or held: no queries to check them.
            identity.full_clean(exclude=["workspace", "person"])
        insert_rows(
            Identity,
            ("workspace_id", "person_id", "kind", "value", "source"),
            [(workspace.pk, person.pk, kind, value, source) for kind, value in pairs],
        )
    return person


def _free_identities(
    workspace: Workspace, identities: Sequence[tuple[str, str]], *, look: bool = True
) -> list[tuple[str, str]]:
    """``identities`` validated and normalised, each once; refused if someone holds one (when
    ``look``)."""
    pairs: list[tuple[str, str]] = []
    for kind, raw in identities:
        pair = (kind, _validated_identity(workspace, kind, raw))
        if pair not in pairs:
            pairs.append(pair)
    if not (pairs and look):
        return pairs
    held = Identity.objects.filter(
        workspace=workspace,
        kind__in={kind for kind, _ in pairs},
        value__in={value for _, value in pairs},
    ).values_list("kind", "value", "person_id")
    for kind, value, owner in held:
        if (kind, value) in pairs:
            raise ValidationError(
                {
                    "value": constants.IDENTITY_TAKEN.format(
                        kind=IdentityKind(kind).label,
                        value=value,
                        owner=Person.objects.get(pk=owner),
                    )
                }
            )
    return pairs


@transaction.atomic
def person_update(*, person: Person, actor: User | None = None, **fields: Any) -> Person:
    """Changes a person's details; names are re-derived so lists sort and search correctly."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if not fields:
        return person
    previous = person.search_text
    for name, value in fields.items():
        setattr(person, name, value)
    if "display_name" in fields and not {"given_name", "family_name"} & set(fields):
        person.given_name, person.family_name = split_name(person.display_name)
    person_derive_fields(person)
    if not person.display_name:
        raise ValidationError({"display_name": constants.NAME_REQUIRED})
    person.full_clean()
    # Only what was edited: the touch figures are the touch services' to keep.
    person.save(update_fields=[*PERSON_FIELDS, "sort_name", "search_text", "updated_at"])
    person_index_search(person, previous=previous)
    return person


@transaction.atomic
def person_delete(*, person: Person, actor: User | None = None) -> None:
    """Deletes a person with their identities and connections, and touches left with nobody."""
    workspace = person.workspace
    touch_ids = list(person.touches.values_list("pk", flat=True))
    audit_record(
        workspace=workspace,
        actor=actor,
        action="person.delete",
        subject=person.display_name,
        details={"person_id": person.pk, "touches": len(touch_ids)},
    )
    person.delete()
    Touch.objects.filter(pk__in=touch_ids, people__isnull=True).delete()
    # Their possible duplicates went with them.
    reviews_queue_fill(workspace_id=workspace.pk)


@transaction.atomic
def person_archive(*, person: Person, actor: User | None = None, why: str = "") -> Person:
    """Archives a person: out of the lists, search, reminders and the address book; their
    history stays. Archiving someone archived already changes nothing."""
    if person.archived_at is not None:
        return person
    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        workspace=person.workspace,
        actor=actor,
        action="person.archive",
        subject=person.display_name,
        details={"person_id": person.pk, **({"why": why} if why else {})},
    )
    return person


@transaction.atomic
def person_unarchive(*, person: Person, actor: User | None = None) -> Person:
    """Brings an archived person back into the lists, reminders and the address book."""
    if person.archived_at is None:
        return person
    person.archived_at = None
    person.save(update_fields=["archived_at", "updated_at"])
    audit_record(
        workspace=person.workspace,
        actor=actor,
        action="person.unarchive",
        subject=person.display_name,
        details={"person_id": person.pk},
    )
    return person


def person_find_or_create(
    *, workspace: Workspace, name: str, actor: User | None = None
) -> tuple[Person, bool]:
    """The person with exactly this name (folded), or a new one; used by the quick log box."""
    folded = fold_name(name)
    if not folded:
        raise ValidationError({"name": constants.NAME_REQUIRED})
    for person in Person.objects.filter(workspace=workspace, search_text__startswith=folded)[:20]:
        if fold_name(person.display_name) == folded:
            return person, False
    return person_create(workspace=workspace, display_name=name, actor=actor), True


def _latest_touch(**filters: Any) -> Subquery:
    through = Touch.people.through.objects.filter(person_id=OuterRef("pk"), **filters)
    return Subquery(through.order_by("-touch__occurred_at").values("touch__occurred_at")[:1])


def person_refresh_figures(person_ids: Iterable[int]) -> None:
    """Recomputes touch count and last (in-person, high-touch) dates for these people.

    One UPDATE with correlated subqueries per chunk, so the database does the work: refreshing
    a whole demo or imported workspace takes a fraction of a second.
    """
    ids = sorted(set(person_ids))
    high = [str(c) for c in HIGH_TOUCH_CHANNELS]
    count = (
        Touch.people.through.objects.filter(person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values("n")  # type: ignore[misc]  # an annotation, which the stubs cannot see
    )
    # Chunks keep each statement under SQLite's limit on query parameters.
    for start in range(0, len(ids), 500):
        Person.objects.filter(pk__in=ids[start : start + 500]).update(
            touch_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            last_touch_at=_latest_touch(),
            last_in_person_at=_latest_touch(touch__channel=Channel.IN_PERSON),
            last_high_touch_at=_latest_touch(touch__channel__in=high),
        )
