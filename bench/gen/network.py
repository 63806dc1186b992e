"""Who is in the heavy user's network, and how each export shows them.

The people and their noise come from :mod:`bench.gen.synth` (names with nicknames
and accents, typos, credentials, changed jobs, work and private addresses, phones, profile
links); this module decides who appears in which export and keeps the truth:

- LinkedIn: every connection is a person of their own; a few hidden members; about 4% of rows
  show an e-mail address; some slugs of non-ASCII names are percent-encoded.
- Facebook: 40% of friends are LinkedIn connections, the rest new; the friend list shows only a
  display name (often the nickname) and the date of the friendship.
- vCards: 75% describe someone already known (sometimes twice), with e-mail addresses, phones,
  an old employer for people who changed jobs, and for a few the X account (``x-userid``).
- Calendar: attendees are mostly known people, some only met at work; each uses one address
  (some two) with the name their calendar shows (or none).
- X: 30% of the followed accounts and a few followers belong to known people; 40% of followed
  accounts follow back; everyone else is a stranger the export shows only as an account id.

``truth`` maps every row's key (``"<source format>|<key>"``, the key the import stores for the
row) to the number of the person it shows; ``linkable`` to the group of rows of that person that
share something beyond the name (an address, phone, profile, account or employer), so that recall
can be read against what the files can show at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.gen.synth import Builder, SynthPerson, linkable, record_facts
from eyecontact.matching.normalize import fold_name, normalize_email, normalize_linkedin
from eyecontact.matching.records import PersonRecord

__all__ = [
    "CalendarContact",
    "FacebookRow",
    "LinkedInRow",
    "Network",
    "VCardRow",
    "build_network",
]

OWNER_NAME = "Morgan Ellery"
OWNER_EMAIL = "morgan.ellery@example.net"
OWNER_X_ID = "2840171103"
# Numbers of people who exist only as X accounts start here, apart from synth's people.
_STRANGER_BASE = 10_000_000
_FIRST_DAY = dt.date(2008, 1, 1)


@dataclass(frozen=True, slots=True)
class LinkedInRow:
    """One line of Connections.csv; ``record`` is None for a hidden member."""

    record: PersonRecord | None
    url: str
    connected_on: dt.date


@dataclass(frozen=True, slots=True)
class FacebookRow:
    name: str
    timestamp: int


@dataclass(frozen=True, slots=True)
class VCardRow:
    uid: str
    record: PersonRecord
    linkedin_url: str
    x_account_id: str
    x_handle: str


@dataclass(slots=True, eq=False)
class CalendarContact:
    """Someone the owner meets, with the addresses (and the names shown with them) they use."""

    person: SynthPerson
    addresses: list[tuple[str, str]]


@dataclass(slots=True)
class Network:
    """Everything the exports will show, with the truth about it."""

    builder: Builder
    linkedin: list[LinkedInRow] = field(default_factory=list)
    facebook: list[FacebookRow] = field(default_factory=list)
    vcards: list[VCardRow] = field(default_factory=list)
    calendar: list[CalendarContact] = field(default_factory=list)
    x_followers: list[str] = field(default_factory=list)
    x_following: list[str] = field(default_factory=list)

    @property
    def truth(self) -> dict[Hashable, int]:
        return self.builder.truth

    def add(self, key: str, number: int, facts: frozenset[str]) -> None:
        self.builder.truth[key] = number
        self.builder.facts[key] = facts

    def add_attendee(self, contact: CalendarContact, email: str, name: str) -> None:
        """Counts an address as a row once the calendar uses it in a meeting that counts."""
        key = f"ical|attendee:{normalize_email(email)}"
        if key not in self.builder.truth:
            record = PersonRecord(key, full_name=name, emails=(email.lower(),), source="calendar")
            self.add(key, contact.person.number, record_facts(contact.person, record))

    def linkable(self) -> dict[Hashable, int]:
        return linkable(self.builder)


def _slug(person: SynthPerson, rng: random.Random) -> str:
    """The person's profile slug: ASCII, or for one in ten non-ASCII names percent-encoded."""
    if person.given.isascii() and person.family.isascii() or rng.random() < 0.9:
        return person.linkedin
    serial = person.linkedin.rsplit("-", 1)[1]
    words = f"{person.given} {person.family}".lower().replace("'", "").split()
    person.linkedin = quote("-".join(words)) + f"-{serial}"
    return person.linkedin


def _day(rng: random.Random, last: dt.date) -> dt.date:
    return _FIRST_DAY + dt.timedelta(days=rng.randrange((last - _FIRST_DAY).days))


def build_network(
    rng: random.Random,
    *,
    linkedin: int,
    facebook: int,
    vcards: int,
    attendees: int,
    x_followers: int,
    x_following: int,
    last_day: dt.date,
) -> Network:
    """Chooses the people of each export; the calendar's meetings are made by the writer."""
    builder = Builder(rng, organizations=max(200, (linkedin + facebook + vcards) // 8))
    network = Network(builder)
    hidden = round(linkedin * 0.005)
    connections = [builder.person() for _ in range(linkedin - hidden)]
    _add_linkedin(network, rng, connections, hidden, last_day)
    friends = _add_facebook(network, rng, connections, facebook, last_day)
    known = connections + friends
    carded = [rng.choice(known) if rng.random() < 0.75 else builder.person() for _ in range(vcards)]
    _add_calendar_contacts(network, rng, known, attendees)
    on_x = _add_x(network, rng, known + carded, x_followers, x_following)
    _add_vcards(network, rng, carded, on_x)
    return network


def _add_linkedin(
    network: Network,
    rng: random.Random,
    connections: list[SynthPerson],
    hidden: int,
    last_day: dt.date,
) -> None:
    builder = network.builder
    rows = []
    for person in connections:
        slug = _slug(person, rng)
        record = builder.linkedin(person, "linkedin")
        if record.emails and rng.random() < 0.75:  # LinkedIn shows an address for ~4% of rows
            record = dataclasses.replace(record, emails=())
        url = f"https://www.linkedin.com/in/{slug}"
        record = dataclasses.replace(record, id=url, linkedin=url)
        rows.append(LinkedInRow(record, url, _day(rng, last_day)))
        key = f"linkedin|connection:slug:{normalize_linkedin(url)}"
        network.add(key, person.number, record_facts(person, record))
    rows += [LinkedInRow(None, "", _day(rng, last_day)) for _ in range(hidden)]
    # Newest connection first, as LinkedIn writes them.
    order = sorted(range(len(rows)), key=lambda n: (rows[n].connected_on, -n), reverse=True)
    network.linkedin = [rows[n] for n in order]


def _add_facebook(
    network: Network,
    rng: random.Random,
    connections: list[SynthPerson],
    count: int,
    last_day: dt.date,
) -> list[SynthPerson]:
    builder = network.builder
    friends = [
        rng.choice(connections) if connections and rng.random() < 0.4 else builder.person()
        for _ in range(count)
    ]
    friends = list(dict.fromkeys(friends))  # a friend is listed once
    start = dt.datetime.combine(_FIRST_DAY, dt.time(), tzinfo=dt.UTC).timestamp()
    end = dt.datetime.combine(last_day, dt.time(), tzinfo=dt.UTC).timestamp()
    stamps = sorted(rng.sample(range(int(start), int(end)), len(friends)), reverse=True)
    for person, stamp in zip(friends, stamps, strict=True):
        # What a friend list shows: the display name; no address, phone, employer or id.
        name = " ".join(builder.facebook(person, "facebook").full_name.split())
        network.facebook.append(FacebookRow(name, stamp))
        key = f"facebook|friend:name:{fold_name(name)}|{stamp}"
        network.add(key, person.number, frozenset())
    return friends


def _add_calendar_contacts(
    network: Network, rng: random.Random, known: list[SynthPerson], count: int
) -> None:
    builder = network.builder
    chosen: dict[int, SynthPerson] = {}
    while len(chosen) < count:
        person = rng.choice(known) if rng.random() < 0.65 else builder.person()
        chosen.setdefault(person.number, person)
    for person in chosen.values():
        work = rng.random() < 0.75
        emails = [person.work_email if work else person.personal_email]
        if rng.random() < 0.1:
            emails.append(person.personal_email if work else person.work_email)
        addresses = []
        for email in emails:
            # The name a calendar shows with the address, if any (Google shows the address).
            name = builder.calendar(person, "calendar").full_name
            name = "" if "@" in name else name
            shown = email.upper() if rng.random() < 0.03 else email
            addresses.append((shown, name))
        network.calendar.append(CalendarContact(person, addresses))


def _add_x(
    network: Network,
    rng: random.Random,
    known: list[SynthPerson],
    followers: int,
    following: int,
) -> dict[int, str]:
    """Fills both X lists; returns the X account id of each known person on them."""
    used: set[str] = {OWNER_X_ID}
    on_x: dict[int, str] = {}
    numbers: dict[str, int] = {}

    def known_account(person: SynthPerson) -> str:
        account = person.x_account.removeprefix("id:")
        on_x[person.number] = account
        numbers[account] = person.number
        used.add(account)
        return account

    def stranger() -> str:
        while True:
            account = str(rng.randrange(10**7, 10**19))
            if account not in used:
                used.add(account)
                numbers[account] = _STRANGER_BASE + len(numbers)
                return account

    followed: dict[str, None] = {}
    while len(followed) < following:
        person = rng.choice(known) if rng.random() < 0.3 else None
        if person is not None and person.x_account.removeprefix("id:") in used:
            continue
        followed[known_account(person) if person else stranger()] = None
    follows_back = [a for a in followed if rng.random() < 0.4][:followers]
    fans: dict[str, None] = dict.fromkeys(follows_back)
    while len(fans) < followers:
        person = rng.choice(known) if rng.random() < 0.01 else None
        if person is not None and person.x_account.removeprefix("id:") in used:
            continue
        fans[known_account(person) if person else stranger()] = None
    network.x_following = list(followed)
    network.x_followers = list(fans)
    for kind, accounts in (("following", followed), ("follower", fans)):
        for account in accounts:
            network.add(f"x|{kind}:id:{account}", numbers[account], frozenset({"x"}))
    return on_x


def _add_vcards(
    network: Network, rng: random.Random, carded: list[SynthPerson], on_x: dict[int, str]
) -> None:
    builder = network.builder
    for n, person in enumerate(carded):
        record = builder.vcard(person, "vcard")
        url = f"https://www.linkedin.com/in/{person.linkedin}" if record.linkedin else ""
        x_id = handle = ""
        if person.number in on_x and rng.random() < 0.5:
            x_id = on_x[person.number]
            # Handles are unique on X; the last digits of the id keep namesakes apart.
            letters = re.sub(r"[^a-z0-9]", "", fold_name(person.given + person.family))
            handle = letters[:11] + x_id[-4:]
        record = dataclasses.replace(record, linkedin=url, x_account=f"id:{x_id}" if x_id else "")
        uid = f"{rng.getrandbits(128):032X}"
        uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:]}:ABPerson{n}"
        network.vcards.append(VCardRow(uid, record, url, x_id, handle))
        network.add(f"vcard|uid:{uid}", person.number, record_facts(person, record))
