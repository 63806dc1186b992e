"""Reading relationship strength, the fading list and this week's reminders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.contacts.birthdays import Birthday
from eyecontact.contacts.selectors import birthdays_list
from eyecontact.people.models import Person, Touch

from .models import CalendarFeed, KeepInTouchSettings, ReminderState, Tag
from .strength import Strength, TouchPoint, describe_age, strength_of

__all__ = [
    "FadingPerson",
    "Reminder",
    "birthday_why",
    "effective_cadences",
    "fading_list",
    "feed_get",
    "feeds_list",
    "keep_in_touch_settings",
    "reminders_list",
    "reminders_schedule",
    "strengths",
    "tag_get",
    "tags_list",
]


def keep_in_touch_settings(*, workspace: Workspace) -> KeepInTouchSettings:
    """The workspace's weights, half-life and default cadence (the defaults until changed)."""
    found = KeepInTouchSettings.objects.filter(workspace=workspace).first()
    return found if found is not None else KeepInTouchSettings(workspace=workspace)


def strengths(
    *, workspace: Workspace, person_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, Strength]:
    """The strength of each of these people's relationships, from one read of their touches."""
    moment = now or timezone.now()
    config = keep_in_touch_settings(workspace=workspace)
    ids = sorted(set(person_ids))
    points: dict[int, list[TouchPoint]] = defaultdict(list)
    through = Touch.people.through
    for start in range(0, len(ids), 500):
        rows = through.objects.filter(
            person_id__in=ids[start : start + 500], touch__workspace=workspace
        ).values_list("person_id", "touch__channel", "touch__occurred_at")
        for person_id, channel, when in rows:
            points[person_id].append(TouchPoint(channel, when))
    return {
        person_id: strength_of(
            points.get(person_id, []),
            now=moment,
            weights=config.weights(),
            half_life_days=config.half_life_days,
        )
        for person_id in ids
    }


def effective_cadences(*, workspace: Workspace, people: Iterable[Person]) -> dict[int, int]:
    """Each person's cadence in days: their own, else their tags' shortest, else the default."""
    people = list(people)
    config = keep_in_touch_settings(workspace=workspace)
    by_tag = dict(
        Tag.people.through.objects.filter(
            person_id__in=[p.pk for p in people], tag__cadence_days__isnull=False
        )
        .values("person_id")
        .annotate(shortest=Min("tag__cadence_days"))
        .values_list("person_id", "shortest")  # type: ignore[misc]  # an annotation
    )
    cadences = {}
    for person in people:
        cadence = person.cadence_days or by_tag.get(person.pk) or config.default_cadence_days
        if cadence:
            cadences[person.pk] = cadence
    return cadences


def _people_with_a_cadence(workspace: Workspace) -> list[Person]:
    config = keep_in_touch_settings(workspace=workspace)
    # Someone archived (deleted from a phone) is neither fading nor to be reminded of.
    people = Person.objects.filter(workspace=workspace, archived_at__isnull=True)
    if config.default_cadence_days is None:
        people = people.filter(
            Q(cadence_days__isnull=False) | Q(tags__cadence_days__isnull=False)
        ).distinct()
    return list(people.prefetch_related("reminder_states"))


@dataclass(frozen=True)
class FadingPerson:
    """Someone met in person or by phone whose last such contact is further back than their
    cadence. Nobody never met that way fades."""

    person: Person
    cadence_days: int
    last_high_touch: dt.datetime
    due_on: dt.date
    overdue_days: int
    strength: Strength

    @property
    def why(self) -> str:
        when = describe_age(self.last_high_touch, timezone.now())
        return (
            f"Last met in person or by phone {when}; your goal is every {self.cadence_days} days."
        )


def _last_contact(person: Person, now: dt.datetime) -> dt.datetime | None:
    """The last high-touch contact, or the day the user marked a reminder done if later."""
    last = (
        person.last_high_touch_at
        if person.last_high_touch_at and person.last_high_touch_at <= now
        else None
    )
    states = list(person.reminder_states.all())
    done = states[0].done_on if states else None
    if done is not None:
        done_at = dt.datetime.combine(done, dt.time(12), tzinfo=dt.UTC)
        if last is None or done_at > last:
            return done_at
    return last


def _due(workspace: Workspace, now: dt.datetime, horizon_days: int) -> list[FadingPerson]:
    people = _people_with_a_cadence(workspace)
    cadences = effective_cadences(workspace=workspace, people=people)
    today = timezone.localdate(now)
    due: list[tuple[Person, int, dt.datetime, dt.date]] = []
    for person in people:
        cadence = cadences.get(person.pk)
        if cadence is None:
            continue
        last = _last_contact(person, now)
        if last is None:
            # Never met in person or by phone: nothing alive to fade, whatever the cadence.
            # They are for an event's plan ("turn online into real"), not for keeping up.
            continue
        due_on = timezone.localdate(last) + dt.timedelta(days=cadence)
        if due_on <= today + dt.timedelta(days=horizon_days):
            due.append((person, cadence, last, due_on))
    power = strengths(workspace=workspace, person_ids=[p.pk for p, *_ in due], now=now)
    return [
        FadingPerson(
            person=person,
            cadence_days=cadence,
            last_high_touch=last,
            due_on=due_on,
            overdue_days=max((today - due_on).days, 0),
            strength=power[person.pk],
        )
        for person, cadence, last, due_on in due
    ]


def fading_list(*, workspace: Workspace, now: dt.datetime | None = None) -> list[FadingPerson]:
    """People past their cadence since the last high-touch contact, strongest first.

    Only relationships that were alive fade: someone never met in person or by phone is never
    here, whatever their cadence or the workspace's default.
    """
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    fading = [f for f in _due(workspace, moment, 0) if f.due_on < today]
    return sorted(fading, key=lambda f: (-f.strength.score, f.person.sort_name))


@dataclass(frozen=True)
class Reminder:
    """Someone to contact this week, and why: their cadence came round, or their birthday.

    ``birthday`` is the day of a birthday within the reminders' days, if one is.
    """

    person: Person
    due_on: dt.date
    why: str
    strength: float
    overdue: bool
    birthday: dt.date | None = None


def birthday_why(birthday: Birthday, day: dt.date, today: dt.date) -> str:
    """ "Birthday today: turns 41." or "Birthday on Saturday 14 March." """
    when = "today" if day == today else f"on {day:%A} {day.day} {day:%B}"
    age = birthday.age_on(day)
    return f"Birthday {when}" + (f": turns {age}." if age is not None and age > 0 else ".")


def _birthday_reminders(
    workspace: Workspace, today: dt.date, horizon_days: int
) -> dict[int, tuple[Person, dt.date, str]]:
    """The people whose birthday falls within ``horizon_days``, unless already marked done."""
    last = today + dt.timedelta(days=horizon_days)
    due: dict[int, tuple[Person, dt.date, str]] = {}
    for person, birthday in birthdays_list(workspace=workspace):
        day = birthday.next_on_or_after(today)
        if day <= last:
            due[person.pk] = (person, day, birthday_why(birthday, day, today))
    if due:
        done = ReminderState.objects.filter(person_id__in=list(due), done_on__isnull=False)
        for person_id, done_on in done.values_list("person_id", "done_on"):
            # Wished them well in the days before: the birthday is seen to.
            seen_from = due[person_id][1] - dt.timedelta(days=horizon_days)
            if done_on is not None and done_on >= seen_from:
                del due[person_id]
    return due


def reminders_list(
    *,
    workspace: Workspace,
    now: dt.datetime | None = None,
    horizon_days: int = 7,
    birthdays: bool = True,
) -> list[Reminder]:
    """Who to contact within ``horizon_days``: overdue first, then by due day and strength.

    Snoozed reminders stay hidden until their day; done ones until the cadence comes round.
    With ``birthdays``, people whose birthday falls within the days are reminded on it too
    (once marked done, not again until next year's).
    """
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    snoozed = set(
        ReminderState.objects.filter(workspace=workspace, snoozed_until__gt=today).values_list(
            "person_id", flat=True
        )
    )
    born = _birthday_reminders(workspace, today, horizon_days) if birthdays else {}
    reminders = []
    for f in _due(workspace, moment, horizon_days):
        if f.person.pk in snoozed:
            continue
        why = f.why if f.due_on <= today else f"Due {f.due_on:%A}: {f.why[0].lower()}{f.why[1:]}"
        due_on, birthday = f.due_on, None
        if f.person.pk in born:
            _, birthday, said = born.pop(f.person.pk)
            why = f"{said} {why}"
            due_on = min(due_on, birthday)
        reminders.append(
            Reminder(
                person=f.person,
                due_on=due_on,
                why=why,
                strength=f.strength.score,
                overdue=f.due_on < today,
                birthday=birthday,
            )
        )
    if born:
        power = strengths(workspace=workspace, person_ids=list(born), now=moment)
        reminders += [
            Reminder(
                person=person,
                due_on=day,
                why=said,
                strength=power[person.pk].score,
                overdue=False,
                birthday=day,
            )
            for person_id, (person, day, said) in born.items()
            if person_id not in snoozed
        ]
    return sorted(reminders, key=lambda r: (r.due_on, -r.strength, r.person.sort_name))


# How many people a day the plan asks the user to contact: a backlog becomes a few a day.
DAILY_REMINDERS = 5


def reminders_schedule(
    reminders: Sequence[Reminder], *, today: dt.date, per_day: int = DAILY_REMINDERS
) -> list[tuple[dt.date, Reminder]]:
    """Each reminder on the day to act on it, in day order.

    A reminder goes on its due day, an overdue one on today; no day takes more than
    ``per_day``, the strongest relationships first, and the rest move to the next day with
    room; a birthday stays on its day. So forty overdue people are spread over the coming days
    rather than piled on today.
    """
    if per_day < 1:
        raise ValueError("per_day must be at least 1")
    taken: dict[dt.date, int] = defaultdict(int)
    scheduled: list[tuple[dt.date, Reminder]] = []

    def on_a_birthday(reminder: Reminder) -> bool:
        return reminder.birthday is not None and reminder.birthday == reminder.due_on

    # Birthdays first: a birthday is not moved to the next day with room.
    for reminder in sorted(
        reminders,
        key=lambda r: (not on_a_birthday(r), max(r.due_on, today), -r.strength, r.person.sort_name),
    ):
        day = max(reminder.due_on, today)
        while taken[day] >= per_day and not on_a_birthday(reminder):
            day += dt.timedelta(days=1)
        taken[day] += 1
        scheduled.append((day, reminder))
    return sorted(scheduled, key=lambda pair: pair[0])


def tags_list(*, workspace: Workspace, person: Person | None = None) -> QuerySet[Tag]:
    """The workspace's tags by name, each with ``member_count``; or only ``person``'s."""
    tags = Tag.objects.filter(workspace=workspace)
    if person is not None:
        # A subquery, not a join: joining the people would limit the count to this person.
        tags = tags.filter(pk__in=Tag.people.through.objects.filter(person=person).values("tag"))
    members = Count("people", filter=Q(people__archived_at__isnull=True), distinct=True)
    return tags.annotate(member_count=members).order_by("name", "id")


def tag_get(*, workspace: Workspace, pk: int) -> Tag:
    """The tag with this id in this workspace, with its ``member_count``; or a 404."""
    return get_object_or_404(tags_list(workspace=workspace), pk=pk)


def feeds_list(*, workspace: Workspace, user: User) -> QuerySet[CalendarFeed]:
    """The user's live calendar feeds of this workspace, newest first."""
    return CalendarFeed.objects.filter(
        workspace=workspace, user=user, revoked_at__isnull=True
    ).order_by("-created_at", "-id")


def feed_get(*, workspace: Workspace, user: User, pk: int) -> CalendarFeed:
    """One of the user's live calendar feeds of this workspace, or a 404."""
    return get_object_or_404(feeds_list(workspace=workspace, user=user), pk=pk)
