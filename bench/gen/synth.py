"""Synthetic address books with known truth, to measure matching.

:func:`generate_population` invents people and writes them out the way our users' exports
show them: LinkedIn connections, Facebook friends, X accounts (mostly strangers the user
follows), vCards and calendar attendees, with the usual noise: nicknames (Bob on Facebook,
Robert on LinkedIn), dropped accents (Müller, Mueller, Muller), typos, "Last, First" order,
credentials, changed jobs, missing and second e-mail addresses, and namesakes (many different
people share the common names). Every record's true person is kept in ``truth``.

``bench.gen.score.score_clusters`` compares clusters against that truth, pairwise: precision
is the share of merged pairs that are one person, recall the share of same-person pairs that
were merged.

Both are used by the tests and by the benchmark commands::

    from eyecontact.matching import resolve
    from bench.gen.score import score_clusters
    from bench.gen.synth import generate_population

    population = generate_population(7, scale=0.1)          # about 15,000 records
    resolution = resolve(population.records)
    clusters = [c.ids for c in resolution.clusters]
    print(score_clusters(clusters, population.truth, recall_truth=population.linkable))

The generator uses :class:`random.Random` with a fixed seed, for workloads that repeat exactly;
nothing here is security-related.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeVar

from eyecontact.matching.normalize import fold_name
from eyecontact.matching.records import PersonRecord

__all__ = [
    "Builder",
    "Population",
    "SynthPerson",
    "generate_population",
    "linkable",
    "record_facts",
]

_Id = TypeVar("_Id", bound=Hashable)


def _words(text: str) -> tuple[str, ...]:
    """Words of a compact list, with ``_`` standing for a space inside one entry."""
    return tuple(word.replace("_", " ") for word in text.split())


# Given names with the short forms their owners go by (all in data/nicknames.csv).
_GIVEN: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (name, tuple(short.split("/")) if short else ())
    for name, _, short in (
        word.partition(":")
        for word in _words(
            """
    Michael:Mike/Mick David:Dave John:Johnny/Jack James:Jim/Jamie Robert:Bob/Rob/Bobby
    William:Will/Bill Richard:Rick/Rich Thomas:Tom/Tommy Daniel:Dan/Danny
    Christopher:Chris Matthew:Matt Anthony:Tony Joseph:Joe Andrew:Andy/Drew Jonathan:Jon
    Nicholas:Nick Alexander:Alex Benjamin:Ben Samuel:Sam Edward:Ed/Ted Stephen:Steve
    Elizabeth:Liz/Beth/Betty Jennifer:Jen/Jenny Katherine:Kate/Katie Margaret:Maggie/Peggy
    Patricia:Pat/Trish Rebecca:Becky Jessica:Jess Susan:Sue Victoria:Vicky Samantha:Sam
    Alexandra:Alex/Sasha Christina:Tina Deborah:Debbie Abigail:Abby Anneliese:Liesl
    Oluwaseun:Seun Francesco:Franco Giuseppe:Beppe Sarah Laura Emma Anna Maria Sophie
    Julia Hannah Lena Priya Wei Li Jing Yan Hiroshi Yuki Misaki Kenji Min-jun Ji-woo
    Mohammed Ahmed Fatima Omar Aisha Kwame Kofi Ama Chinedu Ngozi José Mateo Lucía Sofía
    João François Zoë Chloé Łukasz Wojciech Agnieszka Søren Björn Jürgen Ayşe Mehmet Aoife
    Siobhan Raj Arjun Ananya Olga Dmitri Ivan Elena Marco Giulia Lars Ingrid Noah Liam
    Olivia Mia Lucas Felix Paul Peter:Pete Martin Stefan Tobias:Tobi
    """
        )
    )
)
_FAMILY = _words(
    """
    Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore
    Martin Jackson Thompson White Harris Clark Lewis Robinson Walker Young Allen King
    Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips
    Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Zhang Wang Li
    Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Kim Lee Park Choi Tanaka Suzuki Sato Takahashi
    Watanabe Ito Nguyễn Trần Lê Phạm Singh Kumar Sharma Patel Gupta Raghunathan Iyer Reddy
    Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer
    Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann
    Hartmann Brandt Lange Schmitt Werner Krause Meier Lehmann Köhler Günther García
    Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Díaz Álvarez-Ruiz
    García-López Moreno Muñoz Romero Alonso Rossi Russo Ferrari Esposito Bianchi Romano
    Colombo Ricci Dubois Dupont Lefèvre Lemaître Moreau Laurent Simon Michel Nowak
    Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Andersson
    Johansson Karlsson Nilsson Åkesson Kjærgaard Jensen Nielsen Hansen Pedersen Larsen
    Yılmaz Kaya Demir Şahin Mensah Boateng Owusu Adeyemi Okafor Okoro Eze Abubakar Hassan
    Ali Ahmed Khan Hussain El_Amrani Benali O'Brien O'Connor Murray Ní_Bhriain Byrne Ryan
    Walsh Popescu Ionescu Ivanov Petrov Smirnov Volkov van_der_Berg de_Vries Jansen
    de_Jong Bakker Visser Meijer Silva Santos Ferreira Pereira Oliveira Costa Rodrigues
    Almeida
    """
)
# Less common family names, made up from parts, for the long tail of a real network.
_ALL_FAMILY = _FAMILY + tuple(
    a + b
    for a in (
        "Berg",
        "Lind",
        "Holm",
        "Stern",
        "Ros",
        "Wald",
        "Feld",
        "Hart",
        "Brun",
        "Kling",
        "Ash",
        "Black",
        "Fair",
        "Glen",
        "Hay",
        "Kirk",
        "Mor",
        "Thorn",
        "Well",
        "Whit",
    )
    for b in (
        "mann",
        "berg",
        "strom",
        "feld",
        "stein",
        "ley",
        "ton",
        "son",
        "er",
        "ham",
        "wood",
        "ford",
        "ridge",
        "gate",
        "field",
    )
)
_CITIES = _words(
    """
    Berlin Hamburg München Köln Frankfurt London Manchester Paris Lyon Madrid Barcelona
    Lisboa Milano Roma Amsterdam Rotterdam København Stockholm Oslo Helsinki Warszawa
    Kraków Praha Wien Zürich Dublin New_York San_Francisco Boston Seattle Austin Chicago
    Toronto São_Paulo Ciudad_de_México Tokyo Osaka Seoul Shanghai Beijing Shenzhen
    Singapore Bangalore Mumbai Delhi Lagos Accra Nairobi Cairo Istanbul Tel_Aviv Dubai
    Sydney Melbourne Auckland
    """
)
_TITLES = _words(
    """
    Software_Engineer Senior_Software_Engineer Product_Manager Head_of_Operations CTO CEO
    Founder Co-Founder Data_Scientist Designer Creative_Director Sales_Manager
    Account_Executive Marketing_Lead Research_Scientist Partner Consultant
    Engineering_Manager VP_Engineering Recruiter Professor Investor Analyst
    Operations_Manager Developer_Advocate Student
    """
)
_ORG_WORDS = _words(
    """
    Corvid Harbor Lumen Vistula Nordlys Cliffside Quayside Flora Saigon Bosphorus Norrsken
    Feldwerk Carpathia Atlas Pearl Klarhet Tessellate Kirin Greyline Redwood Tinker Blue
    North Bright Iron Silver Granite Cedar Falcon Orbit Quantum Helix Vertex Summit Beacon
    Aurora Nimbus Crescent Meridian Polar Coral Delta Echo Zenith Apex Nova Pioneer
    Harvest Lattice Prism Ember Tidal
    """
)
_ORG_KINDS = _words(
    """
    Robotics Bio Freight Data Energi Analytics Partners Labs Systems Semiconductors Cloud
    Mobility Studio Security Networks Logistics Health Capital Design Software Consulting
    Foods Media Ventures
    """
)
_LEGAL = ("GmbH", "Inc.", "Ltd", "LLC", "S.L.", "AB", "A/S", "K.K.", "SARL", "B.V.", "", "", "")
_FREE_MAIL = (
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "icloud.com",
    "gmx.de",
    "web.de",
    "proton.me",
)
_COUNTRY_CODES = ("+49", "+1", "+44", "+33", "+34", "+81", "+86", "+91", "+233", "+234")
_GERMAN_FOLDS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@dataclass(frozen=True, slots=True)
class Population:
    """Generated records and, for each record id, the number of the person it shows.

    ``linkable`` is the truth as far as the records can show it: a person's records are split
    into groups joined by something beyond the name (a shared address, phone, account,
    website or employer). Records that share only a name with the rest of their person are
    left for review by design, so recall is best read against ``linkable``.
    """

    records: tuple[PersonRecord, ...]
    truth: dict[Hashable, int]
    linkable: dict[Hashable, int]


@dataclass(slots=True, eq=False)
class SynthPerson:
    number: int
    given: str
    nicknames: tuple[str, ...]
    family: str
    organization: str
    old_organization: str
    domain: str
    title: str
    city: str
    work_email: str
    personal_email: str
    phone: str
    linkedin: str
    facebook: str
    x_account: str
    website: str
    maiden_family: str = ""
    uses_nickname: bool = False


def generate_population(
    seed: int,
    *,
    scale: float = 1.0,
    linkedin: int = 30_000,
    facebook: int = 5_000,
    x: int = 105_000,
    vcards: int = 3_000,
    calendar: int = 7_000,
) -> Population:
    """Invent an address book of about ``scale`` × (linkedin + facebook + x + vcards +
    calendar) records, with known truth.

    Overlap follows a typical user: 40% of Facebook friends and 60% of vCards are also
    LinkedIn connections, calendar attendees are mostly known people met several times, and
    4% of followed X accounts belong to someone in the network (the rest are strangers).
    """
    rng = random.Random(seed)  # noqa: S311  # reproducible workloads, not security
    counts = {
        "linkedin": round(linkedin * scale),
        "facebook": round(facebook * scale),
        "x": round(x * scale),
        "vcard": round(vcards * scale),
        "calendar": round(calendar * scale),
    }
    builder = Builder(rng, organizations=max(200, sum(counts.values()) // 8))
    connections = [builder.person() for _ in range(counts["linkedin"])]
    for person in connections:
        builder.emit("linkedin", person)
    friends = [
        rng.choice(connections) if connections and rng.random() < 0.4 else builder.person()
        for _ in range(counts["facebook"])
    ]
    for person in dict.fromkeys(friends):  # one friend list entry per person
        builder.emit("facebook", person)
    known = connections + friends
    for _ in range(counts["vcard"]):
        roll = rng.random()
        if known and roll < 0.75:
            builder.emit("vcard", rng.choice(known))
        else:
            builder.emit("vcard", builder.person())
    attendees_left = counts["calendar"]
    while attendees_left > 0:
        person = rng.choice(known) if known and rng.random() < 0.7 else builder.person()
        meetings = min(attendees_left, rng.choice((1, 1, 2, 3, 5)))
        for _ in range(meetings):
            builder.emit("calendar", person)
        attendees_left -= meetings
    for _ in range(counts["x"]):
        if known and rng.random() < 0.04:
            builder.emit("x", rng.choice(known))
        else:
            builder.emit("x", builder.person())
    return Population(tuple(builder.records), builder.truth, linkable(builder))


def record_facts(person: SynthPerson, record: PersonRecord) -> frozenset[str]:
    """What a record shows of its person beyond the name, for :attr:`Population.linkable`."""
    emails = {e.lower() for e in record.emails}
    facts = {
        "email:work": person.work_email in emails,
        "email:home": person.personal_email in emails,
        "phone": bool(record.phones),
        "linkedin": bool(record.linkedin) or any(person.linkedin in w for w in record.websites),
        "facebook": bool(record.facebook),
        "x": bool(record.x_account),
        "website": bool(person.website) and person.website in record.websites,
        # An employer links two records only under a full name: "W. Smith at Acme" or
        # "William at Acme" is left for review by design.
        "employer": _full_name_shown(record, person)
        and (record.organization == person.organization or person.work_email in emails),
        "old employer": bool(record.organization)
        and record.organization == person.old_organization,
    }
    return frozenset(name for name, shown in facts.items() if shown)


def _full_name_shown(record: PersonRecord, person: SynthPerson) -> bool:
    if record.given_name and record.family_name:
        return True
    words = record.full_name.replace(",", " ").split()
    if len(words) >= 2 and not any(w.endswith(".") for w in words) and "@" not in record.full_name:
        return True
    local = person.work_email.partition("@")[0]
    return person.work_email in {e.lower() for e in record.emails} and "." in local[2:]


def linkable(builder: Builder) -> dict[Hashable, int]:
    by_person: dict[int, list[Hashable]] = {}
    for record_id, person in builder.truth.items():
        by_person.setdefault(person, []).append(record_id)
    labels: dict[Hashable, int] = {}
    for ids in by_person.values():
        parent = list(range(len(ids)))

        def find(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for a, b in itertools.combinations(range(len(ids)), 2):
            if builder.facts[ids[a]] & builder.facts[ids[b]]:
                parent[find(a)] = find(b)
        for i, record_id in enumerate(ids):
            labels[record_id] = len(labels) if find(i) == i else -1
        for i, record_id in enumerate(ids):
            labels[record_id] = labels[ids[find(i)]]
    return labels


class Builder:
    def __init__(self, rng: random.Random, organizations: int) -> None:
        self.rng = rng
        self.records: list[PersonRecord] = []
        self.truth: dict[Hashable, int] = {}
        self.count = 0
        self.used_emails: set[str] = set()
        self.facts: dict[Hashable, frozenset[str]] = {}
        self._given_weights = list(
            itertools.accumulate(1 / (r + 1) ** 0.6 for r in range(len(_GIVEN)))
        )
        self._family_weights = list(
            itertools.accumulate(1 / (r + 1) ** 0.5 for r in range(len(_ALL_FAMILY)))
        )
        self._city_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(_CITIES))))
        # Employers as in a real network: a few large ones, a long tail of small ones.
        self._organizations = [self._organization() for _ in range(organizations)]
        self._org_weights = list(
            itertools.accumulate(1 / (r + 1) ** 0.7 for r in range(len(self._organizations)))
        )

    def _organization(self) -> tuple[str, str, str]:
        first, kind = self.rng.choice(_ORG_WORDS), self.rng.choice(_ORG_KINDS)
        legal = self.rng.choice(_LEGAL)
        name = f"{first} {kind} {legal}".strip()
        domain = f"{first}-{kind}".lower() + ".example"
        pattern = self.rng.choice(("first.last", "flast", "first", "f.last"))
        return name, domain, pattern

    def person(self) -> SynthPerson:
        rng = self.rng
        number = self.count
        self.count += 1
        given, nicknames = rng.choices(_GIVEN, cum_weights=self._given_weights)[0]
        family = rng.choices(_ALL_FAMILY, cum_weights=self._family_weights)[0]
        org, domain, pattern = rng.choices(self._organizations, cum_weights=self._org_weights)[0]
        old_org = ""
        if rng.random() < 0.15:
            old_org = rng.choices(self._organizations, cum_weights=self._org_weights)[0][0]
        g, f = _ascii(given).lower().replace(" ", ""), _ascii(family).lower().replace(" ", "")
        g, f = g.replace("'", ""), f.replace("'", "")
        local = {
            "first.last": f"{g}.{f}",
            "flast": f"{g[0]}{f}",
            "first": g,
            "f.last": f"{g[0]}.{f}",
        }
        work_email = f"{local[pattern]}@{domain}"
        while work_email in self.used_emails:  # a company gives each person their own address
            work_email = f"{g}.{f}{rng.randrange(2, 100)}@{domain}"
        self.used_emails.add(work_email)
        serial = rng.randrange(16**6)
        personal_email = f"{g}.{f}{serial % 1000}@{rng.choice(_FREE_MAIL)}"
        while personal_email in self.used_emails:
            personal_email = f"{g}.{f}{rng.randrange(10**5)}@{rng.choice(_FREE_MAIL)}"
        self.used_emails.add(personal_email)
        return SynthPerson(
            number=number,
            given=given,
            nicknames=nicknames,
            family=family,
            organization=org,
            old_organization=old_org,
            domain=domain,
            title=rng.choice(_TITLES),
            city=rng.choices(_CITIES, cum_weights=self._city_weights)[0],
            work_email=work_email,
            personal_email=personal_email,
            phone=rng.choice(_COUNTRY_CODES) + str(rng.randrange(10**9, 10**10)),
            linkedin=f"{g}-{f}-{serial:06x}".replace("'", ""),
            facebook=str(rng.randrange(10**14, 10**15)),
            x_account=f"id:{rng.randrange(10**7, 10**19)}",
            website=f"{g}{f}.example".replace("'", "") if rng.random() < 0.08 else "",
            maiden_family=rng.choice(_FAMILY) if rng.random() < 0.03 else "",
            uses_nickname=bool(nicknames) and rng.random() < 0.35,
        )

    def emit(self, source: str, person: SynthPerson) -> None:
        record_id = f"{source}-{len(self.records)}"
        render = getattr(self, source)
        record: PersonRecord = render(person, record_id)
        self.records.append(record)
        self.truth[record_id] = person.number
        self.facts[record_id] = record_facts(person, record)

    # Each source writes what its export really holds, with its typical noise.

    def _given(self, person: SynthPerson, social: bool) -> str:
        rng = self.rng
        if person.nicknames and (person.uses_nickname if social else rng.random() < 0.1):
            return rng.choice(person.nicknames)
        return person.given

    def _family(self, person: SynthPerson, accents: float) -> str:
        family = person.family
        if self.rng.random() > accents:
            family = _ascii(family.translate(_GERMAN_FOLDS) if self.rng.random() < 0.5 else family)
        if self.rng.random() < 0.02:
            family = _typo(self.rng, family)
        return family

    def linkedin(self, person: SynthPerson, record_id: str) -> PersonRecord:
        rng = self.rng
        family = self._family(person, 0.85)
        if rng.random() < 0.02:
            family += ", PhD"
        emails: tuple[str, ...] = ()
        if rng.random() < 0.15:
            emails = (person.work_email if rng.random() < 0.6 else person.personal_email,)
        return PersonRecord(
            record_id,
            given_name=self._given(person, social=False) + (" 🌿" if rng.random() < 0.01 else ""),
            family_name=family,
            emails=emails,
            organization=person.organization,
            title=person.title,
            linkedin=f"https://www.linkedin.com/in/{person.linkedin}",
            source="linkedin",
        )

    def facebook(self, person: SynthPerson, record_id: str) -> PersonRecord:
        rng = self.rng
        family = person.maiden_family or self._family(person, 0.8)
        emails = (person.personal_email,) if rng.random() < 0.3 else ()
        phones = (person.phone,) if rng.random() < 0.2 else ()
        return PersonRecord(
            record_id,
            full_name=f"{self._given(person, social=True)} {family}",
            emails=emails,
            phones=phones,
            organization=person.organization if rng.random() < 0.3 else "",
            city=person.city if rng.random() < 0.6 else "",
            facebook=person.facebook,
            source="facebook",
        )

    def vcard(self, person: SynthPerson, record_id: str) -> PersonRecord:
        rng = self.rng
        given = self._given(person, social=rng.random() < 0.5)
        family = self._family(person, 0.6)
        if rng.random() < 0.03:
            given = _typo(rng, given)
        emails = []
        if rng.random() < 0.7:
            emails.append(person.work_email)
        if rng.random() < 0.4:
            emails.append(person.personal_email)
        org = person.organization
        if person.old_organization and rng.random() < 0.5:
            org = person.old_organization
        full = f"{family}, {given}" if rng.random() < 0.1 else f"{given} {family}"
        return PersonRecord(
            record_id,
            full_name=full,
            given_name=given if rng.random() < 0.7 else "",
            family_name=family if rng.random() < 0.7 else "",
            emails=tuple(emails),
            phones=(_format_phone(rng, person.phone),) if rng.random() < 0.6 else (),
            organization=org if rng.random() < 0.7 else "",
            title=person.title if rng.random() < 0.5 else "",
            city=person.city if rng.random() < 0.4 else "",
            linkedin=person.linkedin if rng.random() < 0.1 else "",
            websites=(person.website,) if person.website and rng.random() < 0.5 else (),
            source="vcard",
        )

    def calendar(self, person: SynthPerson, record_id: str) -> PersonRecord:
        rng = self.rng
        email = person.work_email if rng.random() < 0.75 else person.personal_email
        roll = rng.random()
        if roll < 0.6:
            name = f"{self._given(person, social=False)} {self._family(person, 0.7)}"
        elif roll < 0.75:
            name = f"{self._family(person, 0.7)}, {person.given}"
        else:
            name = email if roll < 0.85 else ""
        return PersonRecord(
            record_id,
            full_name=name,
            emails=(email.upper() if roll > 0.97 else email,),
            source="calendar",
        )

    def x(self, person: SynthPerson, record_id: str) -> PersonRecord:
        rng = self.rng
        roll = rng.random()
        if roll < 0.7:
            name = f"{self._given(person, social=True)} {self._family(person, 0.7)}"
        elif roll < 0.85:
            name = self._given(person, social=True)
        else:
            name = f"{person.given[0]}. {self._family(person, 0.7)}"
        websites = []
        if person.website and rng.random() < 0.6:
            websites.append(person.website)
        if rng.random() < 0.25:
            websites.append(f"linkedin.com/in/{person.linkedin}")
        return PersonRecord(
            record_id,
            full_name=name,
            organization=person.organization if rng.random() < 0.3 else "",
            city=person.city if rng.random() < 0.5 else "",
            x_account=person.x_account,
            websites=tuple(websites),
            source="x",
        )


def _ascii(text: str) -> str:
    return " ".join(
        "-".join(fold_name(part).replace(" ", "").capitalize() for part in word.split("-"))
        for word in text.split()
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    spot = rng.randrange(2, len(word) - 1)
    letters = list(word)
    letters[spot - 1], letters[spot] = letters[spot], letters[spot - 1]
    return "".join(letters)


def _format_phone(rng: random.Random, phone: str) -> str:
    if rng.random() < 0.5:
        return phone
    return f"{phone[:3]} {phone[3:6]} {phone[6:]}"
