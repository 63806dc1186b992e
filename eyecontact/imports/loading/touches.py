"""Touches from meetings and LinkedIn invitation messages, and the organisations, mailing
lists and rooms the files show.

A meeting is a touch with everyone who did not decline it; a touch imported before (by its
source key) is not written again. Organisations are kept once each and linked to the touches
of the meetings they took part in or that happened at their place.
"""

from __future__ import annotations

from collections.abc import Sequence

from eyecontact.imports.models import Organization
from eyecontact.imports.sources.records import ParseResult
from eyecontact.matching.normalize import InvalidIdentity, normalize_identity
from eyecontact.people.choices import Channel
from eyecontact.people.models import Touch
from eyecontact.people.services import TouchRow, touches_bulk_add

from .context import LoadContext, LoadReport
from .sightings import Gathered, invitation_sighting

__all__ = ["organizations_write", "touches_write"]

# How a meeting happened, as far as the calendar can tell, in the ledger's channels.
MEETING_CHANNELS = {"in_person": Channel.IN_PERSON, "video": Channel.VIDEO, "phone": Channel.PHONE}


def _touches_plan(
    context: LoadContext,
    results: Sequence[ParseResult],
    identity_owner: dict[tuple[str, str], int],
    report: LoadReport,
) -> list[tuple[TouchRow, list[int]]]:
    """The touches the meetings and invitations of ``results`` make, with their people."""
    planned: list[tuple[TouchRow, list[int]]] = []
    for meeting in (m for r in results for m in r.meetings):
        channel = MEETING_CHANNELS.get(meeting.channel)
        if meeting.channel == "hybrid":
            # A place and a link: some were in the room, some on a call; claim only video.
            channel = Channel.VIDEO
        if channel is None:
            report.skipped["meeting with no place, link or phone number"] += 1
            continue
        people = []
        for attendee in meeting.attendees:
            if attendee.partstat.upper() == "DECLINED":
                continue  # invited, but not there
            try:
                email = normalize_identity("email", attendee.email)
            except InvalidIdentity:
                continue
            person_id = identity_owner.get(("email", email))
            if person_id is not None and person_id not in people:
                people.append(person_id)
        if not people:
            report.skipped["meeting with nobody but the owner"] += 1
            continue
        touch = TouchRow(
            channel=channel,
            occurred_at=meeting.start,
            has_time=not meeting.all_day,
            where=meeting.location[:200],
            note=meeting.summary[:10_000],
            source_key=f"ical:{meeting.instance_key}"[:300],
        )
        planned.append((touch, people))
    for invitation in (i for r in results for i in r.invitations):
        if not invitation.message or invitation.sent_at is None:
            continue
        sighting = invitation_sighting(invitation, context.region)
        if sighting is None or not sighting.identities:
            continue
        person_id = identity_owner.get(sighting.identities[0])
        if person_id is None:
            continue
        direction = "sent" if invitation.direction == "outgoing" else "received"
        touch = TouchRow(
            channel=Channel.SOCIAL,
            occurred_at=invitation.sent_at,
            has_time=True,
            where="",
            note=f"LinkedIn invitation {direction}: {invitation.message}"[:10_000],
            source_key=f"linkedin_invitation:{invitation.key}"[:300],
        )
        planned.append((touch, [person_id]))
    return planned


def touches_write(
    context: LoadContext,
    results: Sequence[ParseResult],
    identity_owner: dict[tuple[str, str], int],
    report: LoadReport,
) -> set[int]:
    """Writes the touches of ``results`` not imported before; the people they touch."""
    planned = _touches_plan(context, results, identity_owner, report)
    keys = [t.source_key for t, _ in planned]
    seen: set[str] = set()
    for start in range(0, len(keys), 900):
        seen.update(
            Touch.objects.filter(
                workspace=context.workspace, source_key__in=keys[start : start + 900]
            ).values_list("source_key", flat=True)
        )
    fresh = []
    for touch, people in planned:
        if touch.source_key in seen:
            report.touches_unchanged += 1
            continue
        seen.add(touch.source_key)
        fresh.append((touch, people))
    touched = touches_bulk_add(
        workspace=context.workspace, batch_id=context.batch.pk, touches=fresh
    )
    report.touches_new += len(fresh)
    return touched


def organizations_write(context: LoadContext, gathered: Gathered, report: LoadReport) -> None:
    """Keeps the organisations, lists and rooms the files show, once each, and links them to
    the touches of the meetings they took part in or that happened at their place."""
    workspace = context.workspace
    keys = sorted(gathered.parties)
    known: dict[str, int] = {}
    for start in range(0, len(keys), 900):
        known.update(
            Organization.objects.filter(
                workspace=workspace, key__in=keys[start : start + 900]
            ).values_list("key", "pk")
        )
    new = [
        Organization(
            workspace=workspace,
            kind=kind,
            name=name[:200],
            email=email[:320],
            key=key,
            source_batch=context.batch,
        )
        for key, (kind, name, email) in gathered.parties.items()
        if key not in known
    ]
    Organization.objects.bulk_create(new)
    report.organizations_new += len(new)
    new_keys = [o.key for o in new]
    for start in range(0, len(new_keys), 900):
        known.update(
            Organization.objects.filter(
                workspace=workspace, key__in=new_keys[start : start + 900]
            ).values_list("key", "pk")
        )
    touch_keys = sorted(gathered.meeting_places)
    touch_ids: dict[str, int] = {}
    for start in range(0, len(touch_keys), 900):
        touch_ids.update(
            Touch.objects.filter(
                workspace=workspace, source_key__in=touch_keys[start : start + 900]
            ).values_list("source_key", "pk")
        )
    links: set[tuple[int, int]] = set()
    for touch_key, parties in gathered.meeting_parties.items():
        touch_id = touch_ids.get(touch_key)
        if touch_id is not None:
            links.update((known[party], touch_id) for party in parties if party in known)
    # A meeting at a place the user keeps a card for ("Café Kranzler, Kurfürstendamm 18").
    places = [
        (pk, name.casefold())
        for pk, name in Organization.objects.filter(
            workspace=workspace, kind=Organization.Kind.ORGANIZATION
        )
        .exclude(name="")
        .values_list("pk", "name")
    ]
    for touch_key, touch_id in touch_ids.items():
        where = gathered.meeting_places.get(touch_key, "").casefold()
        links.update((pk, touch_id) for pk, name in places if _held_at(where, name))
    for organization in new:
        if organization.kind != Organization.Kind.ORGANIZATION or not organization.name:
            continue
        name = organization.name.casefold()
        for touch_id, where in Touch.objects.filter(
            workspace=workspace, where__istartswith=organization.name
        ).values_list("pk", "where"):
            if _held_at(where.casefold(), name):
                links.add((known[organization.key], touch_id))
    Organization.touches.through.objects.bulk_create(
        [
            Organization.touches.through(organization_id=org, touch_id=touch)
            for org, touch in sorted(links)
        ],
        ignore_conflicts=True,
    )


def _held_at(where: str, name: str) -> bool:
    """Whether a meeting's place (case-folded) is the named place: its name, then an address."""
    return bool(name) and where.startswith(name) and where[len(name) : len(name) + 1] in ("", ",")
