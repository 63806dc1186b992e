"""The export files a user would upload, written from the independent population.

:func:`bench.gen.people.network_records` gives a heavy user's network as records, one per
identifier seen; this module writes them as the files that user would bring, in the shapes
:mod:`bench.gen.files` writes, so that the real import path (files, loader, resolution) is
judged on people it was not tuned on::

    network_records(seed, scale)
        │  one file row (or calendar attendee) per record
        ▼
    PeopleExports(files=[Connections.csv, your_friends.json, twitter-….zip, x_following.csv,
                         contacts.vcf, contacts.csv, calendar.ics],
                  truth, evident, rows, calendar_people)

- **LinkedIn** ``linkedin`` records: Connections.csv with its Notes preamble, newest first.
- **Facebook** ``facebook`` records: ``your_friends.json`` (``friends_v2``), name and date only.
- **X** ``x`` records: an X archive whose ``follower.js`` and ``following.js`` hold account ids
  only, as X writes them; the people the user knows are followed (four in ten follow back),
  the strangers mostly follow. X archives carry no names, so the names of the accounts the
  user follows (every known person on X, and one stranger in ten) go in a second file the
  loader reads, a follower tool's ``x_following.csv`` (``id``, ``screen_name``, ``name``,
  ``followed_by``): one account there and in the archive is two rows of one record. The
  strangers who only follow the user stay account ids: the loader reads X lists of at most
  1.5 MB, fewer than the 66,000 followers of a full-size network.
- **vCard** ``vcard`` records: an iPhone's ``contacts.vcf`` (vCard 3.0, CRLF, folded lines).
- **Google** ``google`` records: Google Contacts' ``contacts.csv``.
- **Calendar** ``calendar`` records: ``calendar.ics``, each record an attendee (its CN as the
  record shows it: the name, the address itself, or none) of one or more past meetings the
  owner organised; an old work address in meetings of the years of that job, later ones in
  later years; a meeting at a place (met in person), by video or by phone.

``rows`` maps each row the import keeps, as ``"<source format>|<key>"`` (the key the loader
stores), to the record ids it shows: one calendar address stands for every record (name shown)
of that address. ``calendar_people`` maps each LinkedIn row whose person is in the calendar to
whether that person was met at a place, for the "who have I met" count.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import random
import zipfile
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bench.gen.files import fold, ical_text, linkedin_csv
from bench.gen.network import LinkedInRow
from bench.gen.people import network_records
from bench.gen.people_words import FREE_MAIL, local_part
from eyecontact.matching.normalize import fold_name, normalize_email, normalize_linkedin
from eyecontact.matching.records import PersonRecord

__all__ = [
    "OWNER_EMAIL",
    "PeopleExports",
    "generate_people_exports",
    "records_of_rows",
]

OWNER_NAME = "Dana Whitlock"
OWNER_EMAIL = "dana.whitlock@whitlock-advisory.example"
OWNER_X_ID = "3141592653"
EXPORT_DAY = dt.date(2026, 1, 1)
CALENDAR_FIRST_DAY = dt.date(2016, 1, 1)
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_PLACES = (
    "Café Einstein, Kurfürstendamm 58, 10707 Berlin",
    "Monmouth Coffee, 27 Monmouth St, London WC2H 9EU",
    "Le Progrès, 1 Rue de Bretagne, 75003 Paris",
    "Blue Bottle Coffee, 66 Mint St, San Francisco, CA 94103",
    "Hotel Okura, 2-10-4 Toranomon, Minato, Tokyo",
    "Office, 2nd floor, room Birke",
    "Trade fair Hall 4, Booth 210",
)
# How a meeting happened: at a place (in person), by video link, by phone.
_VIDEO = "https://meet.example/{code}"
_SUMMARIES = ("Coffee", "Lunch", "Intro", "Catch-up", "1:1", "Review", "Workshop", "Dinner")


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One file as the user would upload it."""

    name: str
    data: bytes


@dataclass(slots=True)
class PeopleExports:
    """The files in import order, the truth per record and which rows show which records."""

    files: tuple[ExportFile, ...]
    truth: dict[Hashable, int]
    evident: dict[Hashable, int]
    rows: dict[str, list[str]] = field(default_factory=dict)
    calendar_people: dict[str, bool] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)
    owner_email: str = OWNER_EMAIL
    until: dt.datetime = dt.datetime.combine(EXPORT_DAY, dt.time(), tzinfo=dt.UTC)

    def add_row(self, row: str, record_id: Hashable) -> None:
        shown = self.rows.setdefault(row, [])
        if str(record_id) not in shown:
            shown.append(str(record_id))

    def write(self, folder: Path) -> None:
        """The files, and ``truth.json`` with the truth, the rows and the import order."""
        folder.mkdir(parents=True, exist_ok=True)
        for export in self.files:
            (folder / export.name).write_bytes(export.data)
        about = {
            "generator": "people",
            "files": [export.name for export in self.files],
            "owner_email": self.owner_email,
            "until": self.until.isoformat(),
            "truth": self.truth,
            "linkable": self.evident,
            "rows": self.rows,
            "calendar_people": self.calendar_people,
        }
        (folder / "truth.json").write_text(json.dumps(about, sort_keys=True))

    def sizes_text(self) -> str:
        n = self.sizes
        return (
            f"{n.get('linkedin', 0):,} LinkedIn connections, {n.get('facebook', 0):,} Facebook "
            f"friends, {n.get('x', 0):,} X accounts, {n.get('vcard', 0):,} vCards, "
            f"{n.get('google', 0):,} Google contacts, {n.get('calendar', 0):,} calendar "
            f"records in {n.get('events', 0):,} events"
        )


def records_of_rows(
    person_of_row: Iterable[tuple[str, int | None]], rows: Mapping[str, list[str]]
) -> tuple[list[tuple[str, int | None]], int, int]:
    """``(record id, person)`` for every imported row's records, each record once.

    A record shown by two rows (an X account in the archive and in the follower tool's list)
    takes the person of the first; returns also how many rows no record explains and how many
    records were left in two people by their rows.
    """
    found: dict[str, int | None] = {}
    unknown = split = 0
    for row, person in person_of_row:
        records = rows.get(row)
        if records is None:
            unknown += 1
            continue
        for record in records:
            if record in found:
                split += found[record] != person
                continue
            found[record] = person
    return list(found.items()), unknown, split


# ----- the files -----------------------------------------------------------------------------


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days)))


def _linkedin(rng: random.Random, records: list[PersonRecord], out: PeopleExports) -> bytes:
    first = dt.date(2008, 1, 1)
    shown: list[PersonRecord | None] = [*records, *[None] * (len(records) // 200)]
    dated = [(_day(rng, first, EXPORT_DAY), r) for r in shown]
    dated.sort(key=lambda pair: pair[0], reverse=True)  # newest first, as LinkedIn writes
    rows = []
    for day, record in dated:
        if record is None:  # a member who hides their profile
            rows.append(LinkedInRow(None, "", day))
            continue
        rows.append(LinkedInRow(record, record.linkedin, day))
        out.add_row(f"linkedin|connection:slug:{normalize_linkedin(record.linkedin)}", record.id)
    return linkedin_csv(rows)


def _facebook(rng: random.Random, records: list[PersonRecord], out: PeopleExports) -> bytes:
    start = int(dt.datetime(2009, 1, 1, tzinfo=dt.UTC).timestamp())
    end = int(dt.datetime.combine(EXPORT_DAY, dt.time(), tzinfo=dt.UTC).timestamp())
    stamps = sorted(rng.sample(range(start, end), len(records)), reverse=True)
    friends = []
    for record, stamp in zip(records, stamps, strict=True):
        name = " ".join(record.full_name.split())
        # Meta's bug: the UTF-8 bytes of the name written as Latin-1 characters.
        friends.append({"name": name.encode("utf-8").decode("latin-1"), "timestamp": stamp})
        out.add_row(f"facebook|friend:name:{fold_name(name)}|{stamp}", record.id)
    return json.dumps({"friends_v2": friends}, indent=2).encode("ascii")


def _x_file(name: str, key: str, accounts: Iterable[str]) -> str:
    entries = [
        {key: {"accountId": a, "userLink": f"https://twitter.com/intent/user?user_id={a}"}}
        for a in accounts
    ]
    body = json.dumps(entries, indent=2, separators=(",", " : "))
    return f"window.YTD.{name}.part0 = {body}"


def _x(
    rng: random.Random, records: list[PersonRecord], known: set[int], out: PeopleExports
) -> tuple[bytes, bytes]:
    """The archive (ids only) and the follower tool's list with names and handles."""
    following: list[PersonRecord] = []
    followers: list[PersonRecord] = []
    for record in records:
        if int(str(record.id).split(":")[1]) in known:
            following.append(record)
            if rng.random() < 0.4:
                followers.append(record)
        elif rng.random() < 0.1:
            following.append(record)  # a stranger the user follows: a speaker, a writer
        else:
            followers.append(record)
    rng.shuffle(following)
    rng.shuffle(followers)
    account = {
        "account": {
            "email": OWNER_EMAIL,
            "createdVia": "web",
            "username": "dana_whitlock",
            "accountId": OWNER_X_ID,
            "createdAt": "2012-03-14T09:26:53.000Z",
            "accountDisplayName": OWNER_NAME,
        }
    }
    id_of = {r.id: r.x_account.removeprefix("id:") for r in records}
    members = {
        "data/account.js": "window.YTD.account.part0 = "
        + json.dumps([account], indent=2, separators=(",", " : ")),
        "data/follower.js": _x_file("follower", "follower", (id_of[r.id] for r in followers)),
        "data/following.js": _x_file("following", "following", (id_of[r.id] for r in following)),
        "data/manifest.js": (
            'window.__THAR_CONFIG = {\n  "archiveInfo" : {\n'
            f'    "generationDate" : "{EXPORT_DAY.isoformat()}T00:00:00.000Z"\n  }}\n}}'
        ),
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, data.encode())
    for kind, listed in (("follower", followers), ("following", following)):
        for record in listed:
            out.add_row(f"x|{kind}:id:{id_of[record.id]}", record.id)
    # The follower tool lists the accounts the user follows, with what X shows of them.
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(["id", "screen_name", "name", "followed_by"])
    follows_me = {r.id for r in followers}
    for record in following:
        number = id_of[record.id]
        letters = "".join(c for c in local_part(record.full_name) if c.isalnum()) or "user"
        handle = f"{letters[:9]}{int(number) % 10**6}"  # ids differ, so handles differ
        back = str(record.id in follows_me).lower()
        writer.writerow([number, handle, record.full_name, back])
        out.add_row(f"x_csv|following:id:{number}", record.id)
    return archive.getvalue(), text.getvalue().encode("utf-8")


def _split_name(name: str) -> tuple[str, str]:
    """``(given, family)`` of a name as a phone book splits it: "Family, Given", East Asian
    family name first, else the last word as the family name."""
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    words = name.split()
    if len(words) < 2:
        return name, ""
    if any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" for c in name):
        return " ".join(words[1:]), words[0]
    return " ".join(words[:-1]), words[-1]


def _vcards(rng: random.Random, records: list[PersonRecord], out: PeopleExports) -> bytes:
    lines: list[str] = []
    for n, record in enumerate(records):
        name = record.full_name or record.given_name
        given, family = _split_name(record.full_name) if record.full_name else (name, "")
        uid = f"{rng.getrandbits(128):032X}"
        uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}:ABPerson{n}"
        card = [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "PRODID:-//Apple Inc.//iPhone OS 18.3//EN",
            f"N:{ical_text(family)};{ical_text(given)};;;",
            f"FN:{ical_text(name)}",
        ]
        if record.organization:
            card.append(f"ORG:{ical_text(record.organization)};")
        for m, email in enumerate(record.emails):
            kind = "HOME" if email.partition("@")[2] in FREE_MAIL else "WORK"
            card.append(f"EMAIL;type=INTERNET;type={kind}{';type=pref' if m == 0 else ''}:{email}")
        for phone in record.phones:
            card.append(f"TEL;type=CELL;type=VOICE;type=pref:{phone}")
        if record.city:
            card += [
                f"item1.ADR;type=HOME;type=pref:;;;{ical_text(record.city)};;;",
                "item1.X-ABADR:de",
            ]
        card += [f"UID:{uid}", "END:VCARD"]
        lines += [part for line in card for part in fold(line)]
        out.add_row(f"vcard|uid:{uid}", record.id)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


_GOOGLE_HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Nickname",
    "Organization Name",
    "Organization Title",
    "Notes",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
]


def _google(records: list[PersonRecord], out: PeopleExports) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(_GOOGLE_HEADER)
    for record in records:
        given, family = _split_name(record.full_name)
        email = record.emails[0] if record.emails else ""
        phone = record.phones[0] if record.phones else ""
        writer.writerow(
            [
                given,
                "",
                family,
                "",
                record.organization,
                "",
                "",
                "* myContacts",
                "* Home" if email else "",
                email,
                "Mobile" if phone else "",
                phone,
            ]
        )
        first = (email or phone).lower()
        # The key the Google Contacts reader gives a row without a stable id.
        shown = " ".join(" ".join(part.split()) for part in (given, family) if part.strip())
        out.add_row(f"google_csv|name:{fold_name(shown)}|{first}", record.id)
    return text.getvalue().encode("utf-8")


@dataclass(slots=True)
class _Attendee:
    record: PersonRecord
    number: int
    first: dt.date
    last: dt.date


def _windows(records: list[PersonRecord]) -> list[_Attendee]:
    """Each calendar record with the years its address was used: a person's n-th of k work
    addresses in the n-th of k spans of the decade, a personal address at any time."""
    work: dict[int, list[str]] = defaultdict(list)
    for record in records:
        number, email = int(str(record.id).split(":")[1]), record.emails[0]
        if email.partition("@")[2] not in FREE_MAIL and email not in work[number]:
            work[number].append(email)
    span = (EXPORT_DAY - CALENDAR_FIRST_DAY).days
    found = []
    for record in records:
        number, email = int(str(record.id).split(":")[1]), record.emails[0]
        jobs = work[number]
        if email in jobs:
            step = span // len(jobs)
            first = CALENDAR_FIRST_DAY + dt.timedelta(days=step * jobs.index(email))
            last = first + dt.timedelta(days=step - 1)
        else:
            first, last = CALENDAR_FIRST_DAY, EXPORT_DAY - dt.timedelta(days=1)
        found.append(_Attendee(record, number, first, last))
    return found


def _attendee_line(email: str, cn: str, partstat: str = "ACCEPTED") -> str:
    name = ""
    if cn:
        name = f';CN="{cn}"' if any(c in cn for c in ",;:") else f";CN={cn}"
    return (
        f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}{name};"
        f"X-NUM-GUESTS=0:mailto:{email}"
    )


def _calendar(
    rng: random.Random, records: list[PersonRecord], out: PeopleExports
) -> tuple[bytes, dict[int, bool]]:
    """The calendar, and for each person in it whether one of the meetings was at a place."""
    attendees = _windows(records)
    colleagues: dict[str, list[_Attendee]] = defaultdict(list)
    for attendee in attendees:
        colleagues[attendee.record.emails[0].partition("@")[2]].append(attendee)
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{OWNER_EMAIL}",
    ]
    met: dict[int, bool] = {}
    serial = itertools.count()
    for attendee in attendees:
        # A long tail: most addresses are in one or two meetings, a few in dozens.
        meetings = min(40, int(rng.paretovariate(1.4)))
        for _ in range(meetings):
            people = [attendee]
            domain = attendee.record.emails[0].partition("@")[2]
            if domain not in FREE_MAIL and rng.random() < 0.25:
                others = [a for a in colleagues[domain] if a.number != attendee.number]
                people += rng.sample(others, min(len(others), rng.choice((1, 1, 2))))
            day = _day(rng, attendee.first, attendee.last)
            begin = dt.datetime.combine(day, dt.time(rng.randrange(8, 18), rng.choice((0, 30))))
            length = dt.timedelta(minutes=rng.choice((30, 45, 60, 90)))
            roll = rng.random()
            where = []
            if roll < 0.6:
                where = [f"LOCATION:{ical_text(rng.choice(_PLACES))}"]
            elif roll < 0.9:
                code = f"{rng.randrange(16**10):010x}"
                where = [f"LOCATION:{_VIDEO.format(code=code)}"]
            else:
                where = [f"LOCATION:+49 30 {rng.randrange(1_000_000, 9_999_999)}"]
            for person in people:
                met[person.number] = met.get(person.number, False) or roll < 0.6
            event = [
                "BEGIN:VEVENT",
                f"DTSTART:{begin:%Y%m%dT%H%M%S}Z",
                f"DTEND:{begin + length:%Y%m%dT%H%M%S}Z",
                "DTSTAMP:20260101T000000Z",
                f"ORGANIZER;CN={OWNER_NAME}:mailto:{OWNER_EMAIL}",
                f"UID:{next(serial):07d}{rng.getrandbits(64):016x}@google.com",
                _attendee_line(OWNER_EMAIL, OWNER_NAME),
                *(_attendee_line(p.record.emails[0], p.record.full_name) for p in people),
                *where,
                "STATUS:CONFIRMED",
                f"SUMMARY:{rng.choice(_SUMMARIES)}",
                "END:VEVENT",
            ]
            lines += [part for line in event for part in fold(line)]
            out.sizes["events"] = out.sizes.get("events", 0) + 1
            for person in people:
                row = f"ical|attendee:{normalize_email(person.record.emails[0])}"
                out.add_row(row, person.record.id)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8"), met


def generate_people_exports(seed: int, scale: float = 1.0) -> PeopleExports:
    """The files of :func:`network_records`'s heavy user; the same seed gives the same bytes."""
    network = network_records(seed, scale)
    rng = random.Random(seed * 31 + 17)
    by_source: dict[str, list[PersonRecord]] = defaultdict(list)
    for record in network.records:
        by_source[record.source].append(record)
    truth: dict[Hashable, int] = {str(key): number for key, number in network.truth.items()}
    evident: dict[Hashable, int] = {str(key): group for key, group in network.evident.items()}
    out = PeopleExports(files=(), truth=truth, evident=evident)
    out.sizes = {source: len(found) for source, found in by_source.items()}
    # network_records numbers the people the user knows first, the strangers after them.
    known = set(range(int(36_000 * scale)))
    linkedin = _linkedin(rng, by_source["linkedin"], out)
    facebook = _facebook(rng, by_source["facebook"], out)
    archive, x_list = _x(rng, by_source["x"], known, out)
    vcards = _vcards(rng, by_source["vcard"], out)
    google = _google(by_source["google"], out)
    calendar, met = _calendar(rng, by_source["calendar"], out)
    for record in by_source["linkedin"]:
        number = network.truth[record.id]
        if number in met:
            row = f"linkedin|connection:slug:{normalize_linkedin(record.linkedin)}"
            out.calendar_people[row] = met[number]
    out.files = (
        ExportFile("Connections.csv", linkedin),
        ExportFile("your_friends.json", facebook),
        ExportFile(f"twitter-{EXPORT_DAY.isoformat()}-5b1d0e.zip", archive),
        ExportFile("x_following.csv", x_list),
        ExportFile("contacts.vcf", vcards),
        ExportFile("contacts.csv", google),
        ExportFile("calendar.ics", calendar),
    )
    return out
