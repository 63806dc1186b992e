"""Builds the demo workspace: a consultant's network of people met over ten years.

The generator works in three passes, each written with ``bulk_create`` in batches so that
100,000 people and a million touches fit in little memory:

1. **Events.** Yearly trade shows, conferences, meetups and dinners (:data:`EVENT_SERIES`);
   the owner attends some years of each, and always the latest CES in Las Vegas.
2. **People.** Each person gets a culture (names, city, phone shape), a company and title, and
   a *tier*: the inner circle is touched often and by phone or in person, regular and
   occasional contacts less, and online-only people are LinkedIn, Facebook or X connections
   that the owner never met (no touches at all). Everyone but the online-only has a first
   meeting, often at one of the events, from which their history starts.
3. **Touches.** First meetings, then follow-ups drawn by tier weight, dated between the first
   meeting and the end of the ten years, in a realistic mix of channels; some are with several
   people (a dinner, a group call).

Every draw comes from one ``random.Random(seed)`` in a fixed order, so the same seed, size and
end date give identical data. Dates count back from ``until`` (by default today), so the demo
always looks current.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import zoneinfo
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import user_create, workspace_create
from eyecontact.events.models import Event
from eyecontact.events.services import events_create_many
from eyecontact.matching.normalize import fold_name
from eyecontact.people.choices import Channel, ConnectionKind, IdentityKind, Network, Source
from eyecontact.people.models import Person, Touch
from eyecontact.people.search import people_index_search
from eyecontact.people.services import person_refresh_figures
from eyecontact.people.services.bulk import people_bulk_add_drawn, touches_bulk_add_drawn

from ._vocab import (
    CULTURES,
    EVENT_SERIES,
    EVENT_ZONES,
    FIRST_MEETING_SPOTS,
    MEETING_SPOTS,
    ORGANIZATIONS,
    PERSON_NOTES,
    TITLES,
    TOPICS,
    TOUCH_NOTES,
    City,
    Culture,
    EventSeries,
)

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_SEED",
    "DEMO_WORKSPACE",
    "demo_build",
    "demo_first_run",
    "demo_password_works",
    "demo_user_ensure",
]

DEMO_EMAIL = "demo@eyecontact.local"
# A fixed password so the README and `eyecontact serve` can print it; the demo runs on
# 127.0.0.1 by default, and `serve` warns when it listens more widely.
DEMO_PASSWORD = "look-them-in-the-eye"  # noqa: S105  # the published demo login
DEMO_PEOPLE = 2000
DEMO_SEED = 2026
DEMO_WORKSPACE = "Demo network"
TOUCHES_PER_PERSON = 10
YEARS = 10
BATCH = 2000

# Tiers: share of people, weight in drawing follow-up touches, and the channel mix.
INNER, REGULAR, OCCASIONAL, ONLINE_ONLY = range(4)
TIER_SHARES = (0.04, 0.16, 0.48, 0.32)
TIER_WEIGHTS = (40.0, 10.0, 1.5, 0.0)
# The channels the demo's touches are drawn from (a channel added later is not among them).
CHANNELS = (
    Channel.IN_PERSON,
    Channel.PHONE,
    Channel.VIDEO,
    Channel.MESSAGE,
    Channel.EMAIL,
    Channel.SOCIAL,
)
CLOSE_MIX = (26, 20, 14, 22, 14, 4)  # in the order of CHANNELS
LOOSE_MIX = (10, 6, 13, 13, 42, 16)
GROUP_SHARE = 0.08
DATE_ONLY_SHARE = 0.1


@dataclass
class _Met:
    """What the touch pass needs about one person who was met: kept as parallel int lists."""

    pks: list[int] = field(default_factory=list)
    first_day: list[int] = field(default_factory=list)  # ordinal of the first meeting
    close: list[bool] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class _EventDay:
    pk: int
    starts: int  # ordinal
    days: int
    where: str
    dinner: bool
    zone: str


def demo_user_ensure() -> tuple[User, bool]:
    """The demo user, created with :data:`DEMO_PASSWORD` when missing; and whether it was."""
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is not None:
        return user, False
    return user_create(email=DEMO_EMAIL, password=DEMO_PASSWORD), True


def demo_first_run(*, people: int = DEMO_PEOPLE) -> Workspace | None:
    """Builds the demo on an installation's very first start: when it has no users at all."""
    if User.objects.exists():
        return None
    return demo_build(people=people)


def demo_password_works() -> bool:
    """Whether the demo user still logs in with the published password."""
    user = User.objects.filter(email=DEMO_EMAIL).first()
    return user is not None and user.check_password(DEMO_PASSWORD)


@transaction.atomic
def demo_build(
    *,
    people: int = DEMO_PEOPLE,
    seed: int = DEMO_SEED,
    workspace_name: str = DEMO_WORKSPACE,
    touches: int | None = None,
    owner: User | None = None,
    until: dt.date | None = None,
) -> Workspace:
    """A new workspace filled with a reproducible demo network, owned by ``owner``.

    ``touches`` defaults to ten per person; ``owner`` to the demo user; ``until`` (the last
    day of the ten years) to today.
    """
    if people < 0 or (touches is not None and touches < 0):
        raise ValueError("people and touches cannot be negative")
    owner = owner or demo_user_ensure()[0]
    until = until or timezone.localdate()
    total_touches = people * TOUCHES_PER_PERSON if touches is None else touches
    workspace = workspace_create(name=workspace_name, owner=owner)
    rng = random.Random(seed)  # noqa: S311  # reproducible demo data, not security
    events = _create_events(rng, workspace, until)
    met = _create_people(rng, workspace, people, until, events)
    _create_touches(rng, workspace, owner, met, events, total_touches, until)
    ids = list(Person.objects.filter(workspace=workspace).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        person_refresh_figures(ids[start : start + BATCH])
    people_index_search(ids)
    return workspace


def _event_start(series: EventSeries, year: int) -> dt.date:
    start = dt.date(year, series.month, series.day)
    if series.first_tuesday_after_sixth:
        start += dt.timedelta(days=(1 - start.weekday()) % 7)
    return start


def _create_events(rng: random.Random, workspace: Workspace, until: dt.date) -> list[_EventDay]:
    first_year = until.year - YEARS + 1
    rows: list[Event] = []
    latest_ces = max(
        year
        for year in (until.year - 1, until.year)
        if _event_start(EVENT_SERIES[0], year) + dt.timedelta(days=3) < until
    )
    for year in range(first_year, until.year + 1):
        for series in EVENT_SERIES:
            starts = _event_start(series, year)
            ends = starts + dt.timedelta(days=series.days - 1)
            attend = rng.random() < series.attendance
            if series.first_tuesday_after_sixth and year == latest_ces:
                attend = True
            if not attend or ends >= until:
                continue
            rows.append(
                Event(
                    workspace=workspace,
                    name=f"{series.name} {year}",
                    kind=series.kind,
                    venue=series.venue,
                    city=series.city,
                    time_zone=EVENT_ZONES.get(series.city, ""),
                    starts_on=starts,
                    ends_on=ends,
                    source=Source.DEMO,
                )
            )
    rows.sort(key=lambda event: (event.starts_on, event.name))
    events_create_many(events=rows)
    return [
        _EventDay(
            pk=event.pk,
            starts=event.starts_on.toordinal(),
            days=(event.ends_on - event.starts_on).days + 1,
            where=f"{event.venue}, {event.city}",
            dinner=event.kind == Event.Kind.DINNER,
            zone=event.time_zone,
        )
        for event in rows
    ]


# Letters that Unicode does not decompose into a base letter and an accent.
_ASCII_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ı": "i", "þ": "th"})


def _ascii(text: str) -> str:
    """A name folded to ASCII letters and digits, for e-mail addresses and profile handles."""
    folded = fold_name(text).translate(_ASCII_LETTERS)
    return "".join(c for c in folded if c.isascii() and (c.isalnum() or c == " "))


def _domain(organization: str) -> str:
    return "-".join(_ascii(organization).split()[:2]) + ".example"


def _phone(rng: random.Random, city: City) -> str:
    digits = "".join(str(rng.randrange(10)) for _ in range(city.digits))
    return f"+{city.country_code}{city.prefix}{digits}"


def _unique(value: str, taken: set[str]) -> str:
    candidate, n = value, 1
    while candidate in taken:
        n += 1
        candidate = value.replace("@", f"{n}@") if "@" in value else f"{value}{n}"
    taken.add(candidate)
    return candidate


def _tier(rng: random.Random) -> int:
    roll, total = rng.random(), 0.0
    for tier, share in enumerate(TIER_SHARES):
        total += share
        if roll < total:
            return tier
    return ONLINE_ONLY


def _create_people(
    rng: random.Random,
    workspace: Workspace,
    count: int,
    until: dt.date,
    events: Sequence[_EventDay],
) -> _Met:
    """People with identities and connections, in batches; returns what touches need."""
    start = until.toordinal() - 365 * YEARS
    end = until.toordinal() - 1
    cultures = list(CULTURES)
    culture_weights = [culture.weight for culture in cultures]
    taken: dict[str, set[str]] = {kind: set() for kind in IdentityKind.values}
    met = _Met()
    total_weight = 0.0
    for batch_start in range(0, count, BATCH):
        size = min(BATCH, count - batch_start)
        persons: list[Person] = []
        identities: list[list[tuple[str, str]]] = []
        plans: list[tuple[int, int, str, list[tuple[str, str, dt.date | None]]]] = []
        for _ in range(size):
            culture = rng.choices(cultures, weights=culture_weights)[0]
            person, person_identities, city, handle = _draw_person(rng, workspace, culture, taken)
            tier = _tier(rng)
            first = rng.randint(start, end) if tier != ONLINE_ONLY else 0
            if tier != ONLINE_ONLY and events and rng.random() < 0.45:
                # Met at an event: the history starts on one of its days.
                event = events[rng.randrange(len(events))]
                first = event.starts + rng.randrange(event.days)
            if tier == INNER:
                person.cadence_days = rng.choice((30, 60, 90))
            elif tier == REGULAR and rng.random() < 0.3:
                person.cadence_days = rng.choice((90, 180))
            links = _draw_connections(
                rng, tier, first, (start, end), handle, person_identities, taken
            )
            persons.append(person)
            identities.append(person_identities)
            plans.append((tier, first, city, links))
        people_bulk_add_drawn(
            workspace=workspace,
            people=persons,
            identities=identities,
            connections=[links for _, _, _, links in plans],
            source=Source.DEMO,
        )
        for person, (tier, first, city, _) in zip(persons, plans, strict=True):
            if tier == ONLINE_ONLY:
                continue
            total_weight += TIER_WEIGHTS[tier]
            met.pks.append(person.pk)
            met.first_day.append(first)
            met.close.append(tier == INNER)
            met.city.append(city)
            met.cumulative.append(total_weight)
    return met


def _draw_person(
    rng: random.Random, workspace: Workspace, culture: Culture, taken: dict[str, set[str]]
) -> tuple[Person, list[tuple[str, str]], str, str]:
    given = rng.choice(culture.given)
    family = rng.choice(culture.family)
    city = rng.choice(culture.cities)
    organization = rng.choice(ORGANIZATIONS)
    display = f"{family} {given}" if culture.family_first else f"{given} {family}"
    notes = ""
    if rng.random() < 0.15:
        notes = rng.choice(PERSON_NOTES).format(topic=rng.choice(TOPICS))
    person = Person(
        workspace=workspace,
        given_name=given,
        family_name=family,
        display_name=display,
        organization=organization if rng.random() < 0.92 else "",
        title=rng.choice(TITLES) if rng.random() < 0.85 else "",
        city=city.name,
        notes=notes,
        source=Source.DEMO,
    )
    local = ".".join(["-".join(_ascii(given).split()), "-".join(_ascii(family).split())])
    found: list[tuple[str, str]] = []
    if rng.random() < 0.85:
        domain = _domain(person.organization) if person.organization else "mail.example"
        email = _unique(f"{local}@{domain}", taken[IdentityKind.EMAIL])
        found.append((IdentityKind.EMAIL, email))
    if rng.random() < 0.2:
        found.append(
            (IdentityKind.EMAIL, _unique(f"{local}@mail.example", taken[IdentityKind.EMAIL]))
        )
    if rng.random() < 0.45:
        phone = _phone(rng, city)
        if phone not in taken[IdentityKind.PHONE]:
            taken[IdentityKind.PHONE].add(phone)
            found.append((IdentityKind.PHONE, phone))
    return person, found, city.name, local


def _draw_connections(
    rng: random.Random,
    tier: int,
    first: int,
    span: tuple[int, int],
    handle: str,
    identities: list[tuple[str, str]],
    taken: dict[str, set[str]],
) -> list[tuple[str, str, dt.date | None]]:
    """Links on social networks; adds the matching profile identities to ``identities``."""
    start, end = span
    links: list[tuple[str, str, dt.date | None]] = []
    serial = f"{rng.randrange(16**6):06x}"
    # Online-only people are connections by definition; met people often connect afterwards.
    connected_on = first + rng.randrange(1, 30) if first else rng.randint(start, end)
    if tier == ONLINE_ONLY or rng.random() < 0.7:
        day = dt.date.fromordinal(min(connected_on, end))
        links.append((Network.LINKEDIN, ConnectionKind.CONNECTION, day))
        slug = _unique(f"{handle.replace('.', '-')}-{serial}", taken[IdentityKind.LINKEDIN])
        identities.append((IdentityKind.LINKEDIN, slug))
    if rng.random() < (0.25 if tier in (INNER, REGULAR) else 0.1):
        day = dt.date.fromordinal(min(connected_on + rng.randrange(0, 400), end))
        links.append((Network.FACEBOOK, ConnectionKind.FRIEND, day))
        profile = _unique(f"{handle}.{serial}", taken[IdentityKind.FACEBOOK])
        identities.append((IdentityKind.FACEBOOK, profile))
    if rng.random() < 0.15:
        kind = ConnectionKind.FOLLOWER if rng.random() < 0.5 else ConnectionKind.FOLLOWING
        # X exports carry no date.
        links.append((Network.X, kind, None))
        compact = "".join(c for c in handle if c.isalnum())[:7] or "member"
        account = _unique(f"{compact}_{serial}", taken[IdentityKind.X])
        identities.append((IdentityKind.X, account))
    return links


def _create_touches(
    rng: random.Random,
    workspace: Workspace,
    owner: User,
    met: _Met,
    events: Sequence[_EventDay],
    total: int,
    until: dt.date,
) -> None:
    if not met.pks or total == 0:
        return
    touches = _draw_touches(rng, workspace, owner, met, events, total, until)
    while True:
        batch = [touch for _, touch in zip(range(BATCH), touches, strict=False)]
        if not batch:
            return
        touches_bulk_add_drawn(touches=batch)


def _draw_touches(
    rng: random.Random,
    workspace: Workspace,
    owner: User,
    met: _Met,
    events: Sequence[_EventDay],
    total: int,
    until: dt.date,
) -> Iterator[tuple[Touch, list[int]]]:
    """First meetings, then follow-ups; ``total`` touches in all, yielded one by one."""
    last = until.toordinal() - 1
    event_starts = [event.starts for event in events]
    made = 0
    for index, first in enumerate(met.first_day):
        if made == total:
            return
        event_index = bisect.bisect_right(event_starts, first) - 1
        event = events[event_index] if event_index >= 0 else None
        at_event = event is not None and event.starts <= first < event.starts + event.days
        if at_event:
            channel, where = Channel.IN_PERSON, event.where  # type: ignore[union-attr]  # at_event
        else:
            channel = rng.choice((Channel.IN_PERSON, Channel.IN_PERSON, Channel.VIDEO))
            where = f"{rng.choice(FIRST_MEETING_SPOTS)}, {met.city[index]}"
            if channel == Channel.VIDEO:
                where = ""
        yield (
            _touch(rng, workspace, owner, channel, first, where, event if at_event else None),
            [met.pks[index]],
        )
        made += 1
    while made < total:
        index = bisect.bisect_left(met.cumulative, rng.random() * met.cumulative[-1])
        index = min(index, len(met.pks) - 1)
        day = rng.randint(met.first_day[index], max(met.first_day[index], last))
        weights = CLOSE_MIX if met.close[index] else LOOSE_MIX
        channel = rng.choices(CHANNELS, weights=weights)[0]
        people = [met.pks[index]]
        where, event = "", None
        if channel == Channel.IN_PERSON:
            # Often the next meeting is at the next event either of them goes to.
            later = bisect.bisect_left(event_starts, day)
            upcoming = events[later] if later < len(events) else None
            if (
                upcoming is not None
                and upcoming.starts - day < 90
                and rng.random() < (0.1 if upcoming.dinner else 0.5)
            ):
                event = upcoming
                day = event.starts + rng.randrange(event.days)
                where = event.where
            else:
                where = f"{rng.choice(MEETING_SPOTS)}, {met.city[index]}"
        if channel in (Channel.IN_PERSON, Channel.VIDEO) and rng.random() < GROUP_SHARE:
            size = rng.randint(3, 6) if event is not None and event.dinner else rng.randint(1, 3)
            for _ in range(size):
                other = met.pks[rng.randrange(len(met.pks))]
                if other not in people:
                    people.append(other)
        yield _touch(rng, workspace, owner, channel, day, where, event), people
        made += 1


def _touch(
    rng: random.Random,
    workspace: Workspace,
    owner: User,
    channel: str,
    day: int,
    where: str,
    event: _EventDay | None,
) -> Touch:
    date = dt.date.fromordinal(day)
    timed = channel in (Channel.IN_PERSON, Channel.PHONE, Channel.VIDEO) or (
        rng.random() > DATE_ONLY_SHARE
    )
    if timed:
        hour = rng.randint(8, 20) if channel != Channel.EMAIL else rng.randint(6, 23)
        # A meeting at an event happens in working hours where the event is.
        zone = zoneinfo.ZoneInfo(event.zone) if event is not None and event.zone else dt.UTC
        moment = dt.datetime(
            date.year, date.month, date.day, hour, rng.randrange(0, 60, 5), tzinfo=zone
        )
    else:
        moment = dt.datetime(date.year, date.month, date.day, 12, tzinfo=dt.UTC)
    note = rng.choice(TOUCH_NOTES[channel]).format(topic=rng.choice(TOPICS))
    return Touch(
        workspace=workspace,
        channel=channel,
        occurred_at=moment,
        has_time=timed,
        where=where,
        event_id=event.pk if event is not None else None,
        note=note,
        source=Source.DEMO,
        created_by=owner,
    )
