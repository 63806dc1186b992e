"""Calendar recurrences within bounds: hostile rules end in a report line, never in a hang.

Every parse here runs under :func:`deadline`: should a rule make the reader loop again, the
test fails with a clear message after a few seconds instead of hanging the suite.
"""

from __future__ import annotations

import datetime as dt
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from eyecontact.accounts.models import Workspace
from eyecontact.imports.models import ImportBatch
from eyecontact.imports.services import import_file
from eyecontact.imports.sources import recurrence
from eyecontact.imports.sources.ical import parse_ical
from eyecontact.imports.sources.recurrence import (
    MAX_OCCURRENCES_PER_EVENT,
    Budget,
    RefusedRule,
    read_rule,
)
from eyecontact.people.models import Touch

UNTIL = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")


class ParseTookTooLong(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fails the block once it has run ``seconds`` (the reader is pure Python: the alarm's
    handler runs between two of its bytecodes, however it loops)."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise ParseTookTooLong(f"still reading after {seconds} s: a recurrence rule loops")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "".join(events)
        + ("END:VCALENDAR\r\n")
    )


def event(rule: str, uid: str = "series-1", start: str = "20240105T090000Z") -> str:
    return (
        "BEGIN:VEVENT\r\n"
        f"UID:{uid}\r\n"
        f"DTSTART:{start}\r\n"
        "DURATION:PT30M\r\n"
        f"RRULE:{rule}\r\n"
        "SUMMARY:Stand-up\r\n"
        "LOCATION:Room 4\r\n"
        "ORGANIZER;CN=Morgan:mailto:morgan@example.net\r\n"
        "ATTENDEE;CN=Priya Raman:mailto:priya@example.org\r\n"
        "END:VEVENT\r\n"
    )


class RefusedRuleTests:
    @pytest.mark.parametrize("frequency", FREQUENCIES)
    @pytest.mark.parametrize("until", ["", ";UNTIL=20250101T000000Z", ";UNTIL=20250101"])
    def test_an_interval_of_zero_is_reported_with_its_line_not_expanded(
        self, frequency: str, until: str
    ) -> None:
        text = calendar(event(f"FREQ={frequency};INTERVAL=0{until}"))
        assert len(text.encode()) < 400  # the kind of small file that used to hang forever
        with deadline(10):
            result = parse_ical("hostile.ics", text, until=UNTIL)
        assert [m.start for m in result.meetings] == [dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC)]
        [notice] = result.notices
        assert notice.line == 4  # the BEGIN:VEVENT line
        assert f"RRULE:FREQ={frequency};INTERVAL=0" in notice.message
        assert "INTERVAL=0: the interval must be a whole number from 1" in notice.message

    @pytest.mark.parametrize(
        ("rule", "said"),
        [
            ("FREQ=DAILY;INTERVAL=-3", "INTERVAL=-3: the interval must be a whole number"),
            ("FREQ=DAILY;INTERVAL=" + "9" * 5000, "the interval must be a whole number"),
            ("FREQ=DAILY;COUNT=" + "9" * 5000, "the count must be a whole number"),
            ("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not a frequency"),
            ("INTERVAL=2", "the rule has no FREQ"),
            ("FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"),
            ("FREQ=YEARLY;BYEASTER=0", "BYEASTER is not part of iCalendar"),
            ("FREQ=MONTHLY;BYMONTHDAY=1" + "0" * 4400, "BYMONTHDAY="),
            ("FREQ=MONTHLY;BYDAY=XX", "BYDAY=XX is not a list of days"),
            ("FREQ=YEARLY;BYSETPOS=400;BYDAY=MO", "the rule cannot be read"),
            ("FREQ=DAILY;COUNT=3;UNTIL=20250101", "both COUNT and UNTIL"),
            ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL is not a date"),
        ],
    )
    def test_a_rule_that_cannot_be_followed_says_what_is_wrong_in_plain_words(
        self, rule: str, said: str
    ) -> None:
        with deadline(10):
            result = parse_ical("hostile.ics", calendar(event(rule)), until=UNTIL)
        assert len(result.meetings) == 1
        [notice] = result.notices
        assert said in notice.message
        assert "Exceeds the limit" not in notice.message
        assert "Traceback" not in notice.message

    def test_a_series_starting_before_1900_is_refused(self) -> None:
        with deadline(10):
            result = parse_ical(
                "old.ics", calendar(event("FREQ=DAILY", start="00010101T090000Z")), until=UNTIL
            )
        [notice] = result.notices
        assert "starts in the year 1;" in notice.message

    def test_read_rule_refuses_a_rule_without_value(self) -> None:
        with pytest.raises(RefusedRule, match="has no value"):
            read_rule("FREQ", dt.datetime(2024, 1, 1, tzinfo=dt.UTC).replace(tzinfo=None), None)


class BoundedExpansionTests:
    @pytest.mark.parametrize("frequency", FREQUENCIES)
    def test_a_filter_no_date_matches_ends_quickly_with_the_event_once(
        self, frequency: str
    ) -> None:
        """30 February never comes: dateutil alone searched up to the year 9999."""
        with deadline(20):
            started = time.monotonic()
            result = parse_ical(
                "feb30.ics",
                calendar(event(f"FREQ={frequency};BYMONTH=2;BYMONTHDAY=30")),
                until=UNTIL,
            )
            took = time.monotonic() - started
        assert len(result.meetings) == 1
        assert took < 15

    @pytest.mark.parametrize("frequency", ["SECONDLY", "MINUTELY", "HOURLY"])
    def test_a_rule_that_repeats_too_often_is_cut_at_the_limit_and_reported(
        self, frequency: str
    ) -> None:
        with deadline(30):
            result = parse_ical("often.ics", calendar(event(f"FREQ={frequency}")), until=UNTIL)
        assert len(result.meetings) == MAX_OCCURRENCES_PER_EVENT
        starts = [m.start for m in result.meetings]
        assert starts == sorted(starts)
        assert starts[0] == dt.datetime(2024, 1, 5, 9, tzinfo=dt.UTC)
        [notice] = result.notices
        assert notice.message.startswith("the event repeats more than 5,000 times")

    def test_occurrences_per_file_are_capped_and_the_rest_count_once(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(recurrence, "MAX_OCCURRENCES_PER_FILE", 150)
        text = calendar(*(event("FREQ=WEEKLY", uid=f"s{n}") for n in range(4)))
        with deadline(20):
            result = parse_ical("many.ics", text, until=UNTIL)
        fridays = (UNTIL.date() - dt.date(2024, 1, 5)).days // 7 + 1
        count = {
            uid: sum(m.uid == uid for m in result.meetings) for uid in ("s0", "s1", "s2", "s3")
        }
        assert count["s0"] == fridays  # in full
        assert 1 < count["s1"] < fridays  # cut where the file's limit was reached
        assert count["s2"] == count["s3"] == 1  # the rest count once each
        [notice] = result.notices
        assert notice.line == 14  # the second event's BEGIN:VEVENT
        assert "repeats its events more than 150 times in all" in notice.message

    def test_the_time_budget_stops_expansion_for_the_rest_of_the_file(self) -> None:
        budget = Budget(seconds=0.0)
        time.sleep(0.01)
        assert budget.out_of_time()
        assert "longer than 0 seconds" in budget.spent

    def test_a_series_crossing_29_february_keeps_it(self) -> None:
        with deadline(10):
            result = parse_ical(
                "leap.ics",
                calendar(event("FREQ=YEARLY;COUNT=3", start="20240229T090000Z")),
                until=UNTIL,
            )
        assert [m.start.date() for m in result.meetings] == [
            dt.date(2024, 2, 29),
            dt.date(2028, 2, 29),
            dt.date(2032, 2, 29),
        ][: len(result.meetings)]
        assert len(result.meetings) == 1  # 2028 is after ``until``
        assert result.notices == ()

    def test_weekly_series_with_until_and_byday_expand_as_before(self) -> None:
        rule = "FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20240201T000000Z"
        with deadline(10):
            result = parse_ical("weekly.ics", calendar(event(rule)), until=UNTIL)
        assert [m.start.day for m in result.meetings] == [5, 8, 12, 15, 19, 22, 26, 29]
        assert result.notices == ()


@pytest.mark.django_db
class RecurrenceImportTests:
    def test_importing_a_hostile_calendar_finishes_and_reports_the_rule(
        self, workspace: Workspace
    ) -> None:
        text = calendar(
            event("FREQ=DAILY;INTERVAL=0", uid="zero"),
            event("FREQ=WEEKLY;COUNT=3", uid="fine", start="20250106T090000Z"),
        )
        with deadline(60):
            batch = import_file(
                workspace=workspace, file_name="hostile.ics", data=text.encode(), until=UNTIL
            )
        assert batch.status == ImportBatch.Status.DONE
        assert batch.counts["notices"] == [
            "hostile.ics, line 4: the repeating rule RRULE:FREQ=DAILY;INTERVAL=0 was not read: "
            "INTERVAL=0: the interval must be a whole number from 1 to 1,000,000; the event "
            "counts from its first date only"
        ]
        assert Touch.objects.filter(workspace=workspace).count() == 4
