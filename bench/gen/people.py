"""A second, independent population of people and their sightings, with the truth per record.

Written from a list of what real networks look like, not from
:mod:`bench.gen.synth`, so that matching can be measured on data it was not tuned
on. The traits, each drawn at its own rate:

- **job changes**: many people worked somewhere else before; calendar invitations from those
  years carry the old work address, later ones the new, and LinkedIn shows only the current
  employer;
- **personal addresses**, often with digits (``godofredo329@mailbox.example``);
- **calendar names**: the attendee's CN is the full name, the name with a middle initial
  (Godofredo M. Aliaga), the e-mail address itself, or missing;
- **work addresses that spell the name** in the shapes companies use (``helen.koch@``,
  ``hkoch@``, ``helen@``, ``koch.helen@``);
- **native scripts**: Japanese, Chinese, Russian, Greek and Korean names written in their own
  script in one source and in Latin letters in another (田中 美咲 / Misaki Tanaka);
- **phone-only contacts**: a phone book entry with the first name only ("Kofi") and a phone
  that another record of that person also holds (a valid mobile number of the person's
  country, as phones hold);
- **nicknames** (Bob / Robert), **typos**, **accents** kept or dropped, **Last, First** order;
- **namesakes**: common names carried by many people, and rare full names deliberately given
  to two different people (sometimes in the same field);
- **strangers**: most followed X accounts are people the user never met, some of them with
  the names of people the user knows.

Two views of one world:

- :func:`network_records` — a heavy user's whole network as :class:`PersonRecord` rows
  (LinkedIn, Facebook, X, vCard, calendar), one row per identifier seen, to resolve;
- :func:`link_task` — a flat record-linkage task: CRM rows (one per customer) against contact
  fragments (badges, vCards, calendars, Facebook, X), some of which belong to nobody in the CRM.

Truth maps every record id to its person. ``evident`` maps it to the group of records a person
would put together at a glance (see :func:`evident_groups`), the fairer yardstick for recall.
The same seed gives the same records.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from eyecontact.matching.records import PersonRecord

from .people_words import (
    CITIES,
    COMPANY_KINDS,
    COMPANY_WORDS,
    COUNTRY_CODES,
    EAST_ASIAN_ORDER,
    FAMILY,
    FREE_MAIL,
    GIVEN,
    LEGAL,
    NATIVE,
    TITLES,
    ascii,
    coined,
    local_part,
    typo,
    unique_address,
)
from .phones import mobile_number

__all__ = [
    "LinkTask",
    "Network",
    "Person",
    "World",
    "build_world",
    "evident_groups",
    "link_task",
    "network_records",
]


@dataclass(slots=True)
class Employer:
    name: str
    domain: str


@dataclass(slots=True)
class Person:
    """One real person: names, employers over time, addresses and phones."""

    number: int
    given: str
    family: str
    nicknames: tuple[str, ...]
    middle: str
    native: tuple[str, str] | None  # (given, family) in the person's own script
    employers: list[Employer]  # oldest first; the last is the current one
    work_emails: list[str]  # one per employer, same order
    personal_email: str
    phone: str
    city: str
    title: str
    linkedin: str = ""

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


@dataclass(slots=True)
class World:
    people: list[Person]
    employers: list[Employer]


@dataclass(slots=True)
class Network:
    """A heavy user's records, the true person of each, and the evident groups."""

    records: list[PersonRecord]
    truth: dict[Hashable, int]
    evident: dict[Hashable, int] = field(default_factory=dict)


@dataclass(slots=True)
class LinkTask:
    """CRM rows (``left``) to link to contact fragments (``right``)."""

    left: list[PersonRecord]
    right: list[PersonRecord]
    truth: dict[Hashable, int]
    evident: dict[Hashable, int] = field(default_factory=dict)


def _zipf_choice(rng: random.Random, items: list[str], skew: float = 1.1) -> str:
    # Rank r is drawn with weight 1/r**skew, so a few names are common and most are rare.
    key = (len(items), skew)
    cumulative = _ZIPF.get(key)
    if cumulative is None:
        cumulative = _ZIPF[key] = list(
            itertools.accumulate(1 / (r + 1) ** skew for r in range(len(items)))
        )
    return rng.choices(items, cum_weights=cumulative)[0]


_ZIPF: dict[tuple[int, float], list[float]] = {}
_Add = Callable[[PersonRecord, "Person"], None]


def _employers(rng: random.Random, count: int) -> list[Employer]:
    words = COMPANY_WORDS.split()
    found: dict[str, Employer] = {}
    while len(found) < count:
        word, kind = rng.choice(words), rng.choice(COMPANY_KINDS)
        if rng.random() < 0.8:
            word = f"{word} {rng.choice(words)}"  # two words make thousands of names
        base = f"{word} {kind}"
        if base in found:
            continue
        stem = word.lower().replace(" ", "")
        domain = f"{stem}-{kind.lower()}.example"
        if rng.random() < 0.3:
            domain = f"{stem}{kind.lower()[:3]}.example"
        found[base] = Employer(base + rng.choice(LEGAL), domain)
    return list(found.values())


def _work_email(rng: random.Random, given: str, family: str, domain: str) -> str:
    g, f = local_part(given), local_part(family)
    shape = rng.random()
    if shape < 0.45:
        local = f"{g}.{f}"
    elif shape < 0.7:
        local = f"{g[0]}{f}"
    elif shape < 0.8:
        local = g
    elif shape < 0.88:
        local = f"{f}.{g}"
    elif shape < 0.95:
        local = f"{g}{f[0]}"
    else:
        local = f"{g[0]}.{f}"
    return f"{local}@{domain}"


def _personal_email(rng: random.Random, given: str, family: str) -> str:
    g, f = local_part(given), local_part(family)
    shape = rng.random()
    if shape < 0.35:
        local = f"{g}{rng.randint(1, 999)}"
    elif shape < 0.6:
        local = f"{g}.{f}{rng.randint(70, 99)}"
    elif shape < 0.8:
        local = f"{g}{f}"
    else:
        word = rng.choice(("sunny", "blue", "wild", "quiet")) + rng.choice(("fox", "owl", "oak"))
        local = f"{word}{rng.randint(1, 9999)}"
    return f"{local}@{rng.choice(FREE_MAIL)}"


def build_world(seed: int, people: int) -> World:
    """``people`` invented people working for a few thousand employers of very mixed size."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible workload, not security
    employers = _employers(rng, max(50, people // 12))
    weights = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(len(employers))))
    givens = [g for g, _ in GIVEN]
    shorts = dict(GIVEN)
    found: list[Person] = []
    used_linkedin: set[str] = set()
    taken: set[str] = set()  # a mailbox belongs to one person
    dialled: set[str] = set()  # and a mobile number too
    for number in range(people):
        native = None
        if rng.random() < 0.04:
            ng, nf, given, family = rng.choice(NATIVE)
            native = (ng, nf)
            nicknames: tuple[str, ...] = ()
        else:
            given = _zipf_choice(rng, givens, 0.8)
            # Family names have a long tail: most people carry one few others share.
            family = _zipf_choice(rng, FAMILY, 0.9) if rng.random() < 0.45 else coined(rng)
            nicknames = shorts.get(given, ())
        middle = rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.2 else ""
        jobs = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
        history = rng.choices(employers, cum_weights=weights, k=jobs)
        work = [
            unique_address(rng, _work_email(rng, given, family, e.domain), taken) for e in history
        ]
        slug = f"{local_part(given)}-{local_part(family)}"
        while slug in used_linkedin:
            slug = f"{local_part(given)}-{local_part(family)}-{rng.randrange(16**6):06x}"
        used_linkedin.add(slug)
        person = Person(
            number=number,
            given=given,
            family=family,
            nicknames=nicknames,
            middle=middle,
            native=native,
            employers=history,
            work_emails=work,
            personal_email=unique_address(rng, _personal_email(rng, given, family), taken),
            phone=mobile_number(rng.choice(COUNTRY_CODES), rng.randint(10**8, 10**10 - 1), dialled),
            city=rng.choice(CITIES),
            title=rng.choice(TITLES),
            linkedin=f"https://www.linkedin.com/in/{slug}",
        )
        found.append(person)
    # Rare full names given on purpose to a second, different person: the namesakes that
    # rarity alone would merge. Some of them even work in the same field.
    for person in rng.sample(found, k=max(1, people // 150)):
        twin = rng.choice(found)
        if twin is person or twin.native:
            continue
        twin.given, twin.family, twin.nicknames = person.given, person.family, person.nicknames
        twin.work_emails = [
            unique_address(rng, _work_email(rng, twin.given, twin.family, e.domain), taken)
            for e in twin.employers
        ]
        twin.personal_email = unique_address(
            rng, _personal_email(rng, twin.given, twin.family), taken
        )
    return World(found, employers)


def _shown_name(rng: random.Random, person: Person, *, casual: bool) -> str:
    """The name as one source shows it: nickname, accents dropped, typo, Last-First order."""
    given = person.given
    if casual and person.nicknames and rng.random() < 0.4:
        given = rng.choice(person.nicknames)
    family = person.family
    if rng.random() < 0.25:
        given, family = ascii(given), ascii(family)
    if rng.random() < 0.03:
        family = typo(rng, family)
    elif rng.random() < 0.02:
        given = typo(rng, given)
    if rng.random() < 0.03:
        return f"{family}, {given}"
    return f"{given} {family}"


def _native_name(person: Person) -> str:
    given, family = person.native or (person.given, person.family)
    if family[0] in EAST_ASIAN_ORDER:
        return (
            f"{family} {given}"
            if len(family + given) > 2 or family[0] in "田佐鈴高渡伊山中小"
            else family + given
        )
    return f"{given} {family}"


def network_records(seed: int, scale: float = 1.0) -> Network:
    """A heavy user's network: about 30,000 LinkedIn connections, 5,000 Facebook friends,
    105,000 X accounts (mostly strangers), 3,000 vCards and 7,000 calendar addresses at
    scale 1."""
    rng = random.Random(seed * 7919 + 1)  # noqa: S311  # a reproducible workload
    known = int(36_000 * scale)
    strangers = int(95_000 * scale)
    world = build_world(seed, known + strangers)
    acquaintances, outsiders = world.people[:known], world.people[known:]
    records: list[PersonRecord] = []
    truth: dict[Hashable, int] = {}

    def add(record: PersonRecord, person: Person) -> None:
        records.append(record)
        truth[record.id] = person.number

    for person in acquaintances:
        name_native = person.native is not None and rng.random() < 0.5
        if rng.random() < 0.82:
            add(
                PersonRecord(
                    f"li:{person.number}",
                    given_name=person.given,
                    family_name=person.family,
                    organization=person.employers[-1].name,
                    title=person.title,
                    linkedin=person.linkedin,
                    emails=(person.work_emails[-1],) if rng.random() < 0.08 else (),
                    source="linkedin",
                ),
                person,
            )
        if rng.random() < 0.14:
            name = _native_name(person) if name_native else _shown_name(rng, person, casual=True)
            add(
                PersonRecord(
                    f"fb:{person.number}",
                    name,
                    facebook=f"https://facebook.com/{local_part(person.given)}.{person.number}",
                    source="facebook",
                ),
                person,
            )
        if rng.random() < 0.28:
            name = _native_name(person) if name_native else _shown_name(rng, person, casual=True)
            add(
                PersonRecord(
                    f"x:{person.number}",
                    name
                    if rng.random() < 0.9
                    else f"{local_part(person.given)}_{rng.randint(1, 99)}",
                    x_account=f"id:{10**9 + person.number}",
                    source="x",
                ),
                person,
            )
        if rng.random() < 0.083:
            _vcard(rng, person, add)
        if rng.random() < 0.12:
            _calendar(rng, person, add)
    for person in outsiders:
        name = _native_name(person) if person.native else _shown_name(rng, person, casual=True)
        if rng.random() < 0.7:
            name = "" if rng.random() < 0.1 else name
            add(
                PersonRecord(
                    f"x:{person.number}", name, x_account=f"id:{10**9 + person.number}", source="x"
                ),
                person,
            )
        elif rng.random() < 0.01:
            add(
                PersonRecord(
                    f"fb:{person.number}",
                    name,
                    facebook=f"https://facebook.com/p{person.number}",
                    source="facebook",
                ),
                person,
            )
    network = Network(records, truth)
    network.evident = evident_groups(records, truth, world)
    return network


def _vcard(rng: random.Random, person: Person, put: _Add) -> None:
    """A phone book entry; a third of them a first name and a phone only, with a second,
    complete record of that phone elsewhere."""
    if rng.random() < 0.35:
        put(
            PersonRecord(
                f"vc:{person.number}:short",
                given_name=person.nicknames[0]
                if person.nicknames and rng.random() < 0.3
                else person.given,
                phones=(person.phone,),
                source="vcard",
            ),
            person,
        )
        put(
            PersonRecord(
                f"vc:{person.number}:full",
                _shown_name(rng, person, casual=False),
                phones=(person.phone,),
                emails=(person.personal_email,),
                organization=person.employers[-1].name,
                source="google",
            ),
            person,
        )
        return
    emails = [person.personal_email] if rng.random() < 0.6 else []
    if rng.random() < 0.5:
        emails.append(person.work_emails[-1])
    put(
        PersonRecord(
            f"vc:{person.number}",
            _native_name(person)
            if person.native and rng.random() < 0.5
            else _shown_name(rng, person, casual=True),
            emails=tuple(emails),
            phones=(person.phone,) if rng.random() < 0.7 else (),
            organization=person.employers[-1].name if rng.random() < 0.5 else "",
            city=person.city if rng.random() < 0.3 else "",
            source="vcard",
        ),
        person,
    )


def _cn(rng: random.Random, person: Person, email: str) -> str:
    shape = rng.random()
    if shape < 0.5:
        return f"{person.given} {person.family}"
    if shape < 0.62 and person.middle:
        return f"{person.given} {person.middle}. {person.family}"
    if shape < 0.75:
        return email
    if shape < 0.85:
        return ""
    return _shown_name(rng, person, casual=True)


def _calendar(rng: random.Random, person: Person, put: _Add) -> None:
    """The addresses a person was invited at over the years: old work addresses from former
    jobs, the current one, sometimes a personal one; one record per address and name shown."""
    addresses = list(person.work_emails) if rng.random() < 0.7 else person.work_emails[-1:]
    if rng.random() < 0.35:
        addresses.append(person.personal_email)
    for n, email in enumerate(addresses):
        names = {_cn(rng, person, email) for _ in range(rng.choice((1, 1, 2, 3)))}
        for m, cn in enumerate(sorted(names)):
            put(
                PersonRecord(
                    f"cal:{person.number}:{n}:{m}", cn, emails=(email,), source="calendar"
                ),
                person,
            )


def link_task(seed: int, scale: float = 1.0) -> LinkTask:
    """30,000 CRM rows against 100,000 fragments at scale 1: three in ten fragments belong to
    people who are not in the CRM (some of them namesakes of people who are)."""
    rng = random.Random(seed * 104729 + 3)  # noqa: S311  # a reproducible workload
    customers = int(30_000 * scale)
    others = int(15_000 * scale)
    world = build_world(seed + 1, customers + others)
    left: list[PersonRecord] = []
    right: list[PersonRecord] = []
    truth: dict[Hashable, int] = {}
    for person in world.people[:customers]:
        record = PersonRecord(
            f"crm:{person.number}",
            given_name=person.given,
            family_name=person.family,
            emails=(person.work_emails[-1],),
            phones=(person.phone,) if rng.random() < 0.6 else (),
            organization=person.employers[-1].name,
            city=person.city if rng.random() < 0.7 else "",
            title=person.title if rng.random() < 0.5 else "",
            source="crm",
        )
        left.append(record)
        truth[record.id] = person.number
    target = int(100_000 * scale)
    serial = 0
    while len(right) < target:
        person = rng.choice(world.people)
        serial += 1
        kind = rng.random()
        fid = f"frag:{serial}"
        if kind < 0.3:  # a badge scanned at a fair
            job = rng.randrange(len(person.employers))
            record = PersonRecord(
                fid,
                _shown_name(rng, person, casual=False),
                emails=(person.work_emails[job],) if rng.random() < 0.6 else (),
                organization=person.employers[job].name,
                title=person.title if rng.random() < 0.5 else "",
                source="badge",
            )
        elif kind < 0.5:  # a vCard
            record = PersonRecord(
                fid,
                _native_name(person)
                if person.native and rng.random() < 0.5
                else _shown_name(rng, person, casual=True),
                emails=(person.personal_email,) if rng.random() < 0.5 else (),
                phones=(person.phone,) if rng.random() < 0.6 else (),
                city=person.city if rng.random() < 0.3 else "",
                source="vcard",
            )
        elif kind < 0.55:  # a phone-only entry
            record = PersonRecord(
                fid,
                given_name=rng.choice(person.nicknames)
                if person.nicknames and rng.random() < 0.3
                else person.given,
                phones=(person.phone,),
                source="vcard",
            )
        elif kind < 0.8:  # a calendar attendee
            email = rng.choice([*person.work_emails, person.personal_email])
            record = PersonRecord(fid, _cn(rng, person, email), emails=(email,), source="calendar")
        elif kind < 0.9:
            record = PersonRecord(
                fid,
                _native_name(person)
                if person.native and rng.random() < 0.5
                else _shown_name(rng, person, casual=True),
                facebook=f"https://facebook.com/{local_part(person.given)}.{person.number}",
                source="facebook",
            )
        else:
            record = PersonRecord(
                fid,
                _shown_name(rng, person, casual=True),
                x_account=f"id:{10**9 + person.number}",
                source="x",
            )
        right.append(record)
        truth[fid] = person.number
    task = LinkTask(left, right, truth)
    task.evident = evident_groups([*left, *right], truth, world)
    return task


def _evident_name(record: PersonRecord) -> str:
    text = record.full_name or f"{record.given_name} {record.family_name}"
    return " ".join(local_part(w) for w in text.replace(",", " ").split())


def evident_groups(
    records: list[PersonRecord], truth: dict[Hashable, int], world: World
) -> dict[Hashable, int]:
    """Groups of records a person would join at a glance: records of one true person that
    share an identifier, or show that person's full name (in any script or order, or with a
    middle initial) when no other person in the world carries it, or an address that spells
    such a name. A nickname on a common name, an X handle, a first name without a phone to
    back it: those stay apart, as a careful person would leave them."""
    owners: dict[frozenset[str], set[int]] = defaultdict(set)
    for person in world.people:
        owners[frozenset((local_part(person.given), local_part(person.family)))].add(person.number)
    parent = {record.id: record.id for record in records}

    def find(x: Hashable) -> Hashable:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_key: dict[tuple[int, str], list[Hashable]] = defaultdict(list)
    person_of = {p.number: p for p in world.people}
    for record in records:
        number = truth[record.id]
        person = person_of[number]
        keys = [f"e:{e.lower()}" for e in record.emails] + [f"p:{p}" for p in record.phones]
        keys += [f"o:{v}" for v in (record.linkedin, record.facebook, record.x_account) if v]
        unique = owners[frozenset((local_part(person.given), local_part(person.family)))] == {
            number
        }
        if unique:
            words = set(_evident_name(record).split())
            native = person.native is not None and record.full_name.replace(" ", "") in (
                person.native[0] + person.native[1],
                person.native[1] + person.native[0],
            )
            full = {local_part(person.given), local_part(person.family)}
            if words and (full <= words or native):
                keys.append("n:")
            elif not words or "@" in record.full_name:
                for email in record.emails:
                    local = email.partition("@")[0]
                    g, f = local_part(person.given), local_part(person.family)
                    if local in (f"{g}.{f}", f"{g[0]}{f}", f"{f}.{g}", f"{g}{f}", f"{g[0]}.{f}"):
                        keys.append("n:")
        for key in keys:
            by_key[(number, key)].append(record.id)
    for members in by_key.values():
        root = find(members[0])
        for other in members[1:]:
            parent[find(other)] = root
    groups: dict[Hashable, int] = {}
    numbering: dict[Hashable, int] = {}
    for record in records:
        groups[record.id] = numbering.setdefault(find(record.id), len(numbering))
    return groups
