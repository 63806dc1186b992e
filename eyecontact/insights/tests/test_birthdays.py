"""Birthdays in this week's reminders, today's list and the calendar feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from dateutil.rrule import rrulestr
from django.utils import timezone
from icalendar import Calendar

from eyecontact.accounts.models import User, Workspace
from eyecontact.contacts.birthdays import Birthday, birthday_parse
from eyecontact.contacts.selectors import default_card_name
from eyecontact.contacts.services import card_archive, contact_details_keep
from eyecontact.insights.feeds import reminders_ics
from eyecontact.insights.selectors import reminders_list, reminders_schedule
from eyecontact.insights.services import feed_create, reminder_done, reminder_snooze
from eyecontact.insights.today import today_plan
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log

MakePerson = Callable[..., Person]

# A Thursday at noon in a year without 29 February, and one in a leap year.
THU_25_FEB_2027 = dt.datetime(2027, 2, 25, 12, tzinfo=dt.UTC)
FRI_25_FEB_2028 = dt.datetime(2028, 2, 25, 12, tzinfo=dt.UTC)


def born(make_person: MakePerson, name: str, birthday: str) -> Person:
    person = make_person(name)
    contact_details_keep(person=person, birthday=birthday)
    return person


class BirthdayDayTests:
    @pytest.mark.parametrize(
        ("stored", "expected"),
        [
            ("1985-03-14", Birthday(month=3, day=14, year=1985)),
            ("--03-14", Birthday(month=3, day=14)),
            ("1996-02-29", Birthday(month=2, day=29, year=1996)),
            ("--02-29", Birthday(month=2, day=29)),
            ("1995-02-29", None),  # not a leap year
            ("--02-30", None),
            ("--13-01", None),
            ("", None),
            ("March 14", None),
        ],
    )
    def test_stored_birthdays_are_read_and_impossible_days_refused(
        self, stored: str, expected: Birthday | None
    ) -> None:
        assert birthday_parse(stored) == expected

    def test_the_29th_of_february_falls_on_the_28th_in_other_years(self) -> None:
        leap_day = Birthday(month=2, day=29, year=1996)
        assert leap_day.on(2027) == dt.date(2027, 2, 28)
        assert leap_day.on(2028) == dt.date(2028, 2, 29)
        assert leap_day.next_on_or_after(dt.date(2027, 3, 1)) == dt.date(2028, 2, 29)
        assert leap_day.age_on(dt.date(2027, 2, 27)) == 30
        assert leap_day.age_on(dt.date(2027, 2, 28)) == 31

    def test_a_birthday_without_a_year_gives_no_age(self) -> None:
        birthday = Birthday(month=12, day=31)
        assert birthday.age_on(dt.date(2026, 12, 31)) is None
        assert birthday.next_on_or_after(dt.date(2026, 12, 31)) == dt.date(2026, 12, 31)
        assert birthday.next_on_or_after(dt.date(2027, 1, 1)) == dt.date(2027, 12, 31)


@pytest.mark.django_db
class BirthdayReminderTests:
    def test_a_birthday_this_week_is_a_reminder_on_its_day_with_the_age(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        lena = born(make_person, "Lena Hartmann", "1985-03-01")
        born(make_person, "Next Month", "1990-03-28")
        [reminder] = reminders_list(workspace=workspace, now=THU_25_FEB_2027)
        assert reminder.person == lena
        assert reminder.due_on == reminder.birthday == dt.date(2027, 3, 1)
        assert reminder.why == "Birthday on Monday 1 March: turns 42."
        assert not reminder.overdue

    def test_a_birthday_without_a_year_says_no_age_and_today_says_today(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        noor = born(make_person, "Noor Haddad", "--02-25")
        [reminder] = reminders_list(workspace=workspace, now=THU_25_FEB_2027)
        assert (reminder.person, reminder.why) == (noor, "Birthday today.")
        with timezone.override(dt.UTC):
            plan = today_plan(workspace=workspace, now=THU_25_FEB_2027)
        assert [r.person for r in plan.due_today] == [noor]

    def test_the_29th_of_february_is_reminded_on_the_28th_in_a_common_year(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        piet = born(make_person, "Piet de Vries", "1996-02-29")
        [common] = reminders_list(workspace=workspace, now=THU_25_FEB_2027)
        assert (common.person, common.birthday) == (piet, dt.date(2027, 2, 28))
        assert common.why == "Birthday on Sunday 28 February: turns 31."
        [leap] = reminders_list(workspace=workspace, now=FRI_25_FEB_2028)
        assert leap.birthday == dt.date(2028, 2, 29)
        assert leap.why == "Birthday on Tuesday 29 February: turns 32."

    def test_done_hides_the_birthday_until_next_year_and_snooze_hides_it(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        kai = born(make_person, "Kai Berg", "--03-01")
        ines = born(make_person, "Ines Duarte", "--03-02")
        reminder_done(person=kai, day=dt.date(2027, 2, 24))
        reminder_snooze(person=ines, until=timezone.localdate() + dt.timedelta(days=3650))
        assert reminders_list(workspace=workspace, now=THU_25_FEB_2027) == []
        # Done a year ago does not hide this year's.
        next_year = THU_25_FEB_2027.replace(year=2028)
        assert [r.person for r in reminders_list(workspace=workspace, now=next_year)] == [kai]

    def test_an_archived_person_is_not_reminded_of(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        kai = born(make_person, "Kai Berg", "--03-01")
        card_archive(workspace=workspace, actor=user, name=default_card_name(kai.pk))
        assert reminders_list(workspace=workspace, now=THU_25_FEB_2027) == []

    def test_a_birthday_joins_the_cadence_reminder_of_the_same_person(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        now = timezone.now()
        priya = make_person("Priya Raghunathan", cadence_days=30)
        touch_log(
            workspace=workspace, people=[priya], channel="phone", when=now - dt.timedelta(days=40)
        )
        in_three_days = timezone.localdate(now) + dt.timedelta(days=3)
        contact_details_keep(person=priya, birthday=f"--{in_three_days:%m-%d}")
        [reminder] = reminders_list(workspace=workspace, now=now)
        assert reminder.overdue
        assert reminder.birthday == in_three_days
        said = f"Birthday on {in_three_days:%A} {in_three_days.day} {in_three_days:%B}."
        assert reminder.why.startswith(f"{said} Last met in person or by phone")
        [alone] = reminders_list(workspace=workspace, now=now, birthdays=False)
        assert alone.why.startswith("Last met") and alone.birthday is None

    def test_a_birthday_keeps_its_day_when_a_backlog_fills_the_days(
        self, workspace: Workspace, make_person: MakePerson
    ) -> None:
        now = timezone.now()
        for n in range(12):
            friend = make_person(f"Friend {n:02}", cadence_days=30)
            when = now - dt.timedelta(days=60 + n)
            touch_log(workspace=workspace, people=[friend], channel="phone", when=when)
        today = timezone.localdate(now)
        tomorrow = today + dt.timedelta(days=1)
        lena = born(make_person, "Lena Hartmann", f"--{tomorrow:%m-%d}")
        scheduled = reminders_schedule(reminders_list(workspace=workspace, now=now), today=today)
        days = {reminder.person.pk: day for day, reminder in scheduled}
        assert days[lena.pk] == tomorrow
        counts = [list(days.values()).count(today + dt.timedelta(days=n)) for n in range(3)]
        assert counts == [5, 5, 3]  # the birthday takes one of its day's five


@pytest.mark.django_db
class BirthdayFeedTests:
    def entries(self, workspace: Workspace, user: User) -> dict[str, object]:
        feed, _ = feed_create(workspace=workspace, user=user)
        calendar = Calendar.from_ical(reminders_ics(feed=feed, now=THU_25_FEB_2027))
        return {str(entry["summary"]): entry for entry in calendar.walk("VEVENT")}

    def occurrences(self, entry: object, years: range) -> list[dt.date]:
        start = entry.decoded("dtstart")  # type: ignore[attr-defined]
        rule = rrulestr(
            entry["rrule"].to_ical().decode(),  # type: ignore[index]
            dtstart=dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC),
        )
        first = dt.datetime(years.start, 1, 1, tzinfo=dt.UTC)
        last = dt.datetime(years.stop, 1, 1, tzinfo=dt.UTC)
        return [day.date() for day in rule.between(first, last, inc=True)]

    def test_each_birthday_is_a_yearly_all_day_event(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        born(make_person, "Lena Hartmann", "1985-03-14")
        born(make_person, "Noor Haddad", "--11-02")
        entries = self.entries(workspace, user)
        assert set(entries) == {"Birthday: Lena Hartmann", "Birthday: Noor Haddad"}
        lena = entries["Birthday: Lena Hartmann"]
        assert lena.decoded("dtstart") == dt.date(1985, 3, 14)  # type: ignore[attr-defined]
        assert lena.decoded("dtend") == dt.date(1985, 3, 15)  # type: ignore[attr-defined]
        assert str(lena["description"]) == "Born 14 March 1985"  # type: ignore[index]
        assert self.occurrences(lena, range(2026, 2028)) == [
            dt.date(2026, 3, 14),
            dt.date(2027, 3, 14),
        ]
        noor = entries["Birthday: Noor Haddad"]
        assert "description" not in noor  # type: ignore[operator]
        assert self.occurrences(noor, range(2026, 2027)) == [dt.date(2026, 11, 2)]

    def test_the_29th_of_february_is_on_the_last_day_of_february_every_year(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        born(make_person, "Piet de Vries", "1996-02-29")
        born(make_person, "Leap Without Year", "--02-29")
        entries = self.entries(workspace, user)
        for name in ("Birthday: Piet de Vries", "Birthday: Leap Without Year"):
            assert self.occurrences(entries[name], range(2026, 2029)) == [
                dt.date(2026, 2, 28),
                dt.date(2027, 2, 28),
                dt.date(2028, 2, 29),
            ]

    def test_the_feed_does_not_repeat_a_birthday_as_a_reminder(
        self, workspace: Workspace, user: User, make_person: MakePerson
    ) -> None:
        born(make_person, "Lena Hartmann", "--03-01")
        assert list(self.entries(workspace, user)) == ["Birthday: Lena Hartmann"]
