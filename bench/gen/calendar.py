"""Ten years of a busy owner's Google Calendar export (.ics), with known attendees.

Single events in UTC (``…Z``), a few weekly series in ``Europe/Berlin`` with ``RRULE``, an
``EXDATE`` and a moved occurrence (``RECURRENCE-ID``); the owner as organizer of most events and
as an attendee of all; cafés and offices, meeting links and phone numbers as locations; meeting
rooms as resource attendees; some events cancelled, declined by the owner, or all-day without
attendees. Lines are folded at 75 octets and end in CRLF, as Google writes them.

Attendees are drawn with a long tail: a few people are met every week, most once or twice.
An address becomes a row of the truth only when it appears in a meeting the import keeps.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from bench.gen.files import fold, ical_text
from bench.gen.network import OWNER_EMAIL, OWNER_NAME, CalendarContact, Network

__all__ = ["calendar_ics"]

_HEADER = [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    f"X-WR-CALNAME:{OWNER_EMAIL}",
    "X-WR-TIMEZONE:Europe/Berlin",
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]
_PLACES = (
    "Café Kranzler, Kurfürstendamm 18, 10719 Berlin, Germany",
    "The Barn, Schönhauser Allee 8, 10119 Berlin, Germany",
    "Factory Görlitzer Park, Lohmühlenstraße 65, 12435 Berlin, Germany",
    "Monmouth Coffee, 27 Monmouth St, London WC2H 9EU, UK",
    "WeWork, 1 Fore St, London EC2Y 9DT, UK",
    "Casa Lucio, Calle Cava Baja 35, 28005 Madrid, Spain",
    "Blue Bottle Coffee, 66 Mint St, San Francisco, CA 94103, USA",
    "Harbor Bio Inc., 77 Seaport Lane, Boston, MA 02210, USA",
    "Office, 3rd floor, meeting room Kranich",
    "Hotel Adlon Kempinski, Unter den Linden 77, 10117 Berlin",
    "Messe Berlin, Hall 2.2, Booth 114",
    "Restaurant Nola, Dorotheenstraße 25, Berlin",
)
_SUMMARIES = (
    "Coffee with {name}",
    "Lunch with {name}",
    "Intro call: {name}",
    "Catch-up {name} / Morgan",
    "1:1 {name}",
    "Project sync",
    "Quarterly review",
    "Partnership discussion",
    "Interview",
    "Dinner – {name} & Morgan",
    "Workshop prep",
    "Demo for {name}",
)
# How many other people a meeting has: most are one-to-one.
_SIZES = (1,) * 55 + (2,) * 25 + (3,) * 12 + (4,) * 4 + (5,) * 2 + (8,) * 2


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _person_line(
    email: str, name: str, partstat: str, *, cutype: str = "INDIVIDUAL", prop: str = "ATTENDEE"
) -> str:
    cn = name or email  # Google writes the address when it knows no name
    if any(c in cn for c in ",;:"):
        cn = f'"{cn}"'
    if prop == "ORGANIZER":
        return f"ORGANIZER;CN={cn}:mailto:{email}"
    return (
        f"ATTENDEE;CUTYPE={cutype};ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={cn};"
        f"X-NUM-GUESTS=0:mailto:{email}"
    )


class _Writer:
    def __init__(self, rng: random.Random, network: Network, first: dt.date, last: dt.date):
        self.rng = rng
        self.network = network
        self.first = first
        self.days = (last - first).days
        self.lines: list[str] = list(_HEADER)
        self.uid_serial = itertools.count()
        contacts = network.calendar
        # A long tail: the k-th contact is met about 1/k^0.9 as often as the first.
        self.weights = list(itertools.accumulate(1 / (k + 1) ** 0.9 for k in range(len(contacts))))

    def uid(self) -> str:
        return f"{next(self.uid_serial):06d}{self.rng.getrandbits(80):020x}@google.com"

    def location(self) -> tuple[str, list[str]]:
        """The LOCATION text and any conference property, as Google writes them."""
        roll = self.rng.random()
        if roll < 0.4:
            return self.rng.choice(_PLACES), []
        if roll < 0.6:
            code = "".join(self.rng.choice("abcdefghijkmnopqrstuvwxyz") for _ in range(10))
            link = f"https://meet.google.com/{code[:3]}-{code[3:7]}-{code[7:]}"
            return "", [f"X-GOOGLE-CONFERENCE:{link}"]
        if roll < 0.8:
            return f"https://zoom.us/j/{self.rng.randrange(10**9, 10**10)}", []
        if roll < 0.85:
            return f"+49 30 {self.rng.randrange(1_000_000, 9_999_999)}", []
        return "", []

    def pick(self) -> list[tuple[CalendarContact, str, str]]:
        size = self.rng.choice(_SIZES)
        people = self.rng.choices(self.network.calendar, cum_weights=self.weights, k=size)
        chosen = []
        for contact in dict.fromkeys(people):
            address = contact.addresses[0]
            if len(contact.addresses) > 1 and self.rng.random() < 0.4:
                address = contact.addresses[1]
            chosen.append((contact, *address))
        return chosen

    def event(
        self,
        *,
        start_lines: list[str],
        people: list[tuple[CalendarContact, str, str]],
        status: str = "CONFIRMED",
        owner_partstat: str = "ACCEPTED",
        extra: list[str] | None = None,
    ) -> None:
        rng = self.rng
        location, conference = self.location()
        first_name = people[0][2].split(" ")[0] if people and people[0][2] else "team"
        summary = rng.choice(_SUMMARIES).format(name=first_name)
        lines = ["BEGIN:VEVENT", *start_lines, "DTSTAMP:20260101T000000Z"]
        if people and rng.random() < 0.2:  # an invitation from the other side
            lines.append(_person_line(people[0][1], people[0][2], "", prop="ORGANIZER"))
        else:
            lines.append(_person_line(OWNER_EMAIL, OWNER_NAME, "", prop="ORGANIZER"))
        lines.append(f"UID:{self.uid()}")
        lines.append(_person_line(OWNER_EMAIL, OWNER_NAME, owner_partstat))
        for _, email, name in people:
            partstat = rng.choice(("ACCEPTED",) * 8 + ("TENTATIVE", "NEEDS-ACTION"))
            lines.append(_person_line(email, name, partstat))
        if people and location.startswith("Office") and rng.random() < 0.5:
            lines.append(
                _person_line(
                    "c_1888kranich8@resource.calendar.google.com",
                    "Berlin-3-Kranich (8)",
                    "ACCEPTED",
                    cutype="RESOURCE",
                )
            )
        lines += conference
        lines += extra or []
        if location:
            lines.append(f"LOCATION:{ical_text(location)}")
        lines += [f"SEQUENCE:{rng.randrange(3)}", f"STATUS:{status}"]
        lines += [f"SUMMARY:{ical_text(summary)}", "TRANSP:OPAQUE", "END:VEVENT"]
        self.lines += [part for line in lines for part in fold(line)]
        if status != "CANCELLED" and owner_partstat != "DECLINED":
            for contact, email, name in people:
                self.network.add_attendee(contact, email, name)

    def single(self) -> None:
        rng = self.rng
        day = self.first + dt.timedelta(days=rng.randrange(self.days))
        roll = rng.random()
        if roll < 0.02:  # a holiday or a conference day: all-day, nobody invited
            start = f"DTSTART;VALUE=DATE:{day:%Y%m%d}"
            end = f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"
            self.lines += [
                "BEGIN:VEVENT",
                start,
                end,
                "DTSTAMP:20260101T000000Z",
                f"UID:{self.uid()}",
                f"SUMMARY:{rng.choice(('Public holiday', 'Out of office', 'Conference'))}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
            return
        begin = dt.datetime.combine(day, dt.time(rng.randrange(7, 18), rng.choice((0, 30))))
        begin = begin.replace(tzinfo=dt.UTC)
        length = dt.timedelta(minutes=rng.choice((30, 30, 45, 60, 60, 90, 120)))
        status = "CANCELLED" if roll < 0.04 else "CONFIRMED"
        owner = "DECLINED" if 0.04 <= roll < 0.07 else "ACCEPTED"
        self.event(
            start_lines=[f"DTSTART:{_stamp(begin)}", f"DTEND:{_stamp(begin + length)}"],
            people=self.pick(),
            status=status,
            owner_partstat=owner,
        )

    def series(self) -> None:
        """A weekly one-to-one, with a skipped week and sometimes a moved one."""
        rng = self.rng
        day = self.first + dt.timedelta(days=rng.randrange(self.days - 400))
        local = dt.datetime.combine(day, dt.time(rng.randrange(8, 17), 0))
        count = rng.randrange(8, 40)
        people = self.pick()[:1]
        skipped = local + dt.timedelta(weeks=2)
        extra = [
            f"RRULE:FREQ=WEEKLY;COUNT={count}",
            f"EXDATE;TZID=Europe/Berlin:{skipped:%Y%m%dT%H%M%S}",
        ]
        start = [
            f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Berlin:{local + dt.timedelta(minutes=30):%Y%m%dT%H%M%S}",
        ]
        self.event(start_lines=start, people=people, extra=extra)
        if rng.random() < 0.5:
            # One occurrence moved by an hour: same UID, RECURRENCE-ID names the original.
            uid_line = next(line for line in reversed(self.lines) if line.startswith("UID:"))
            original = local + dt.timedelta(weeks=3)
            moved = original + dt.timedelta(hours=1)
            self.lines += [
                "BEGIN:VEVENT",
                f"DTSTART;TZID=Europe/Berlin:{moved:%Y%m%dT%H%M%S}",
                f"DTEND;TZID=Europe/Berlin:{moved + dt.timedelta(minutes=30):%Y%m%dT%H%M%S}",
                "DTSTAMP:20260101T000000Z",
                uid_line,
                f"RECURRENCE-ID;TZID=Europe/Berlin:{original:%Y%m%dT%H%M%S}",
                _person_line(OWNER_EMAIL, OWNER_NAME, "ACCEPTED"),
                *[_person_line(email, name, "ACCEPTED") for _, email, name in people],
                "STATUS:CONFIRMED",
                "SUMMARY:1:1 (moved)",
                "END:VEVENT",
            ]


def calendar_ics(
    rng: random.Random, network: Network, *, events: int, first: dt.date, last: dt.date
) -> bytes:
    """``events`` VEVENTs between ``first`` and ``last``; one in 600 is a weekly series."""
    writer = _Writer(rng, network, first, last)
    every = max(1, events // max(1, events // 600))
    for n in range(events):
        if n % every == 0:
            writer.series()
        else:
            writer.single()
    writer.lines.append("END:VCALENDAR")
    return ("\r\n".join(writer.lines) + "\r\n").encode("utf-8")
