"""The words the demo network is made of: names from many cultures, cities, companies, events.

Everything here is fixed data; :mod:`eyecontact.demo._build` draws from it with a seeded
random generator. Domains use the reserved ``.example`` top-level domain and phone numbers sit
in ranges reserved for fiction where a country has one (``555-01xx`` in North America,
``020 7946 0xxx`` in London), so no demo address reaches a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CULTURES",
    "EVENT_SERIES",
    "EVENT_ZONES",
    "FIRST_MEETING_SPOTS",
    "MEETING_SPOTS",
    "ORGANIZATIONS",
    "PERSON_NOTES",
    "TITLES",
    "TOPICS",
    "TOUCH_NOTES",
    "City",
    "Culture",
    "EventSeries",
]


@dataclass(frozen=True)
class City:
    """A city people live in, with the shape of its phone numbers: +cc, prefix, digits to add."""

    name: str
    country_code: str
    prefix: str
    digits: int


@dataclass(frozen=True)
class Culture:
    """Given and family names that go together, the cities they live in, and name order."""

    given: tuple[str, ...]
    family: tuple[str, ...]
    cities: tuple[City, ...]
    weight: int
    family_first: bool = False


@dataclass(frozen=True)
class EventSeries:
    """A yearly gathering: the demo owner attends some years of it."""

    name: str
    kind: str
    venue: str
    city: str
    month: int
    day: int
    days: int
    attendance: float
    # CES opens on the first Tuesday on or after 6 January.
    first_tuesday_after_sixth: bool = False


_NEW_YORK = City("New York", "1", "21255501", 2)
_SAN_FRANCISCO = City("San Francisco", "1", "41555501", 2)
_AUSTIN = City("Austin", "1", "51255501", 2)
_CHICAGO = City("Chicago", "1", "31255501", 2)
_TORONTO = City("Toronto", "1", "41655501", 2)
_LONDON = City("London", "44", "2079460", 3)
_MANCHESTER = City("Manchester", "44", "1614960", 3)

CULTURES: tuple[Culture, ...] = (
    Culture(
        given=("Emily", "Michael", "Sarah", "David", "Jessica", "James", "Ashley", "Robert",
               "Megan", "Daniel", "Olivia", "Ethan", "Grace", "Tyler", "Hannah", "Brandon"),
        family=("Johnson", "Smith", "Williams", "Brown", "Miller", "Davis", "Anderson",
                "Thompson", "Walker", "Harris", "Clark", "Lewis", "Young", "Allen"),
        cities=(_NEW_YORK, _SAN_FRANCISCO, _AUSTIN, _CHICAGO, _TORONTO),
        weight=16,
    ),
    Culture(
        given=("Oliver", "Charlotte", "Harry", "Amelia", "George", "Isla", "Alfie", "Poppy",
               "Siobhán", "Niamh", "Seán", "Ciarán", "Aoife"),
        family=("Taylor", "Wright", "Evans", "Hughes", "Edwards", "O'Brien", "Ó Súilleabháin",
                "MacDonald", "Fitzgerald", "Kelly", "Murphy"),
        cities=(_LONDON, _MANCHESTER, City("Dublin", "353", "1", 7)),
        weight=10,
    ),
    Culture(
        given=("Jürgen", "Jörg", "Anja", "Björn", "Günther", "Käthe", "Lena", "Matthias",
               "Sören", "Jana", "Felix", "Ute", "Maximilian", "Lea"),
        family=("Müller", "Schäfer", "Weiß", "Groß", "Köhler", "Schröder", "Becker", "Hoffmann",
                "Krüger", "Wagner", "Bäcker", "Vogel", "Förster"),
        cities=(City("Berlin", "49", "30", 8), City("München", "49", "89", 8),
                City("Hamburg", "49", "40", 8), City("Zürich", "41", "44", 7),
                City("Wien", "43", "1", 7)),
        weight=12,
    ),
    Culture(
        given=("Hélène", "François", "Chloé", "Jérôme", "Amélie", "Benoît", "Océane", "Loïc",
               "Élodie", "Théo", "Inès", "Gaëlle", "Mathéo"),
        family=("Dubois", "Lefèvre", "Moreau", "Girard", "Bézier", "Faure", "Rousseau",
                "Mercier", "Lemaître", "Chevalier", "Garnier"),
        cities=(City("Paris", "33", "1", 8), City("Lyon", "33", "4", 8),
                City("Bruxelles", "32", "2", 7), City("Montréal", "1", "51455501", 2)),
        weight=9,
    ),
    Culture(
        given=("José", "María", "Begoña", "Íñigo", "Lucía", "Álvaro", "Nuria", "Raúl",
               "Sofía", "Andrés", "Ximena", "Julián"),
        family=("García", "Núñez", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
                "Gómez", "Jiménez", "Muñoz", "Ibáñez", "Castañeda"),
        cities=(City("Madrid", "34", "91", 7), City("Barcelona", "34", "93", 7),
                City("Ciudad de México", "52", "55", 8), City("Bogotá", "57", "601", 7)),
        weight=9,
    ),
    Culture(
        given=("João", "Conceição", "Gonçalo", "Inês", "Tomás", "Beatriz", "Luíza", "Caio"),
        family=("Gonçalves", "Araújo", "Conceição", "Magalhães", "Simões", "Brandão",
                "Falcão", "Leitão"),
        cities=(City("Lisboa", "351", "21", 7), City("Porto", "351", "22", 7),
                City("São Paulo", "55", "11", 8)),
        weight=6,
    ),
    Culture(
        given=("Niccolò", "Giulia", "Lorenzo", "Chiara", "Matteo", "Francesca", "Tommaso"),
        family=("Rossi", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "De Luca"),
        cities=(City("Milano", "39", "02", 8), City("Roma", "39", "06", 8)),
        weight=5,
    ),
    Culture(
        given=("Łukasz", "Zofia", "Małgorzata", "Paweł", "Agnieszka", "Michał", "Tomáš",
               "Petra", "Jiří", "Zuzana", "Zsófia", "Bálint", "Réka", "Gergő"),
        family=("Wójcik", "Wiśniewska", "Kowalczyk", "Dvořák", "Novák", "Procházka",
                "Kovács", "Szabó", "Horváth", "Nagy", "Zieliński", "Černý"),
        cities=(City("Warszawa", "48", "22", 7), City("Kraków", "48", "12", 7),
                City("Praha", "420", "2", 8), City("Budapest", "36", "1", 7)),
        weight=7,
    ),
    Culture(
        given=("Søren", "Åsa", "Bjørn", "Sigríður", "Guðrún", "Mikael", "Ingrid", "Linnéa",
               "Jóhann", "Päivi", "Eero", "Aino"),
        family=("Jørgensen", "Lindström", "Andersson", "Ødegaard", "Jónsdóttir", "Sigurðsson",
                "Virtanen", "Mäkinen", "Nyström", "Bergqvist"),
        cities=(City("Stockholm", "46", "8", 7), City("København", "45", "3", 7),
                City("Oslo", "47", "2", 7), City("Helsinki", "358", "9", 7),
                City("Reykjavík", "354", "5", 6)),
        weight=6,
    ),
    Culture(
        given=("Ayşe", "Çağrı", "Emre", "Gülşen", "Mehmet", "Şule", "Dimitris", "Eleni",
               "Giorgos", "Athiná"),
        family=("Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Papadopoulos", "Nikolaidis",
                "Georgiou"),
        cities=(City("İstanbul", "90", "212", 7), City("Ankara", "90", "312", 7),
                City("Athína", "30", "21", 8)),
        weight=5,
    ),
    Culture(
        given=("Fatima", "Omar", "Layla", "Youssef", "Nour", "Karim", "Amira", "Tariq"),
        family=("Al-Sayed", "Haddad", "El-Amin", "Khoury", "Mansour", "Nasser", "Saleh"),
        cities=(City("Dubai", "971", "4", 7), City("Cairo", "20", "2", 8),
                City("Beirut", "961", "1", 6)),
        weight=5,
    ),
    Culture(
        given=("Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Aditi", "Rahul",
               "Sneha", "Karthik"),
        family=("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Mukherjee", "Desai",
                "Chatterjee", "Rao"),
        cities=(City("Mumbai", "91", "22", 8), City("Bengaluru", "91", "80", 8),
                City("Pune", "91", "20", 8)),
        weight=8,
    ),
    Culture(
        given=("Wei", "Na", "Jing", "Hao", "Xiu Ying", "Lei", "Mei", "Jun"),
        family=("Wang", "Li", "Zhang", "Liu", "Chen", "Huang", "Zhao"),
        cities=(City("Shanghai", "86", "21", 8), City("Shenzhen", "86", "755", 8),
                City("Singapore", "65", "6", 7)),
        weight=6,
        family_first=True,
    ),
    Culture(
        given=("Haruto", "Yui", "Sōta", "Aoi", "Ren", "Sakura", "Kenji", "Yūko"),
        family=("Satō", "Suzuki", "Takahashi", "Tanaka", "Itō", "Watanabe", "Yamamoto"),
        cities=(City("Tōkyō", "81", "3", 8), City("Ōsaka", "81", "6", 8)),
        weight=4,
    ),
    Culture(
        given=("Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Su-bin"),
        family=("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
        cities=(City("Seoul", "82", "2", 8),),
        weight=3,
        family_first=True,
    ),
    Culture(
        given=("Thị Lan", "Văn Minh", "Thu Hà", "Đức Anh", "Ngọc Ánh", "Quốc Bảo"),
        family=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ"),
        cities=(City("Hà Nội", "84", "24", 8), City("Thành phố Hồ Chí Minh", "84", "28", 8)),
        weight=3,
        family_first=True,
    ),
    Culture(
        given=("Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Kwame", "Ama", "Wanjiru", "Tendai",
               "Thabo", "Zanele"),
        family=("Okafor", "Adeyemi", "Mensah", "Owusu", "Kamau", "Mutasa", "Nkosi", "Dlamini",
                "Eze"),
        cities=(City("Lagos", "234", "803", 7), City("Nairobi", "254", "20", 7),
                City("Accra", "233", "30", 7), City("Johannesburg", "27", "11", 7)),
        weight=6,
    ),
)  # fmt: skip

_COMPANY_WORDS = (
    "Nordlicht", "Bluefin", "Meridian", "Kestrel", "Halcyon", "Ironbark", "Lumen", "Quarry",
    "Tidewater", "Aurelia", "Basalt", "Cobalt", "Driftwood", "Evergreen", "Foxglove", "Granite",
    "Harbor", "Juniper", "Larkspur", "Monarch", "Northwind", "Orchard", "Pinecrest", "Redwood",
    "Saffron", "Silverline", "Summit", "Tessellate", "Umbra", "Vantage", "Willow", "Zenith",
)  # fmt: skip
_COMPANY_KINDS = (
    "Robotics", "Analytics", "Energie GmbH", "Logistics", "Capital", "Health", "Labs",
    "Consulting", "Systems AG", "Media", "Foods", "Mobility", "Software", "Partners", "S.A.",
    "Ventures", "Devices", "Semiconductors", "Retail Group", "Studio",
)  # fmt: skip
# About 100 companies: enough that colleagues share an employer, few enough to look real.
ORGANIZATIONS: tuple[str, ...] = tuple(
    f"{word} {_COMPANY_KINDS[(i * 7 + j * 3) % len(_COMPANY_KINDS)]}"
    for i, word in enumerate(_COMPANY_WORDS)
    for j in range(3)
) + ("Université de Lyon", "Technische Universität München", "Stadtwerke Köln")

TITLES: tuple[str, ...] = (
    "CEO", "CTO", "COO", "Founder", "Co-founder", "VP Sales", "VP Engineering",
    "Head of Partnerships", "Head of Product", "Product Manager", "Senior Engineer",
    "Engineering Manager", "Marketing Director", "Procurement Lead", "Business Development",
    "Account Executive", "Investor", "Partner", "Principal", "Research Scientist",
    "Design Lead", "Chief of Staff", "Operations Manager", "Journalist", "Professor",
    "Consultant", "Sales Engineer", "Buyer", "Managing Director", "Board Member",
)  # fmt: skip

TOPICS: tuple[str, ...] = (
    "the Series A", "supply chain delays", "a pilot in Q3", "hiring a CTO", "pricing",
    "the new sensor line", "their move to Lisbon", "an intro to their CFO", "EU AI rules",
    "a joint booth next year", "the reseller agreement", "battery suppliers",
    "the keynote", "their board seat", "a speaking slot", "the RFP", "a case study",
    "remote teams", "open-source strategy", "their kids starting school",
)  # fmt: skip

PERSON_NOTES: tuple[str, ...] = (
    "Introduced by a former colleague. Cares about {topic}.",
    "Prefers phone over e-mail. Ask about {topic}.",
    "Vegetarian. Runs marathons.",
    "Met their partner at the same dinner; both into sailing.",
    "Decision maker for {topic}; budget cycle starts in October.",
    "Speaks German and Portuguese. Follow up on {topic}.",
    "Knows everyone in the robotics scene; good connector.",
    "Wants a reference customer for {topic}.",
)  # fmt: skip

TOUCH_NOTES: dict[str, tuple[str, ...]] = {
    "in_person": (
        "Talked about {topic}.", "Coffee; they asked about {topic}.",
        "Walked the floor together, long chat about {topic}.", "Quick hello at the booth.",
        "Lunch. Follow up on {topic} next month.", "",
    ),
    "phone": ("Call about {topic}.", "Catch-up call.", "They called about {topic}.", ""),
    "video": ("Video call on {topic}.", "Demo of the prototype.", "Intro call.", ""),
    "message": ("WhatsApp about {topic}.", "Texted congratulations.", ""),
    "email": ("Sent the deck.", "Thread about {topic}.", "Intro e-mail.", "", ""),
    "social": ("Commented on their post about {topic}.", "Liked their new job post.", ""),
}  # fmt: skip

FIRST_MEETING_SPOTS: tuple[str, ...] = (
    "Workshop at their office",
    "Co-working space",
    "Friend's birthday",
    "Panel",
    "Client site",
)
MEETING_SPOTS: tuple[str, ...] = (
    "Coffee",
    "Lunch",
    "Breakfast",
    "Their office",
    "Our office",
    "Airport lounge",
    "Dinner",
)

# The time zone of each city the demo's events take place in: their meetings read in local time.
EVENT_ZONES = {
    "Las Vegas": "America/Los_Angeles",
    "Barcelona": "Europe/Madrid",
    "Hannover": "Europe/Berlin",
    "Berlin": "Europe/Berlin",
    "Lisboa": "Europe/Lisbon",
    "Helsinki": "Europe/Helsinki",
    "Austin": "America/Chicago",
    "Paris": "Europe/Paris",
    "Zürich": "Europe/Zurich",
    "London": "Europe/London",
}

EVENT_SERIES: tuple[EventSeries, ...] = (
    EventSeries("CES", "trade_show", "Las Vegas Convention Center", "Las Vegas", 1, 6, 4, 0.8,
                first_tuesday_after_sixth=True),
    EventSeries("MWC", "trade_show", "Fira Gran Via", "Barcelona", 3, 2, 4, 0.4),
    EventSeries("Hannover Messe", "trade_show", "Messegelände", "Hannover", 4, 20, 5, 0.35),
    EventSeries("IFA", "trade_show", "Messe Berlin", "Berlin", 9, 4, 5, 0.3),
    EventSeries("Web Summit", "conference", "MEO Arena", "Lisboa", 11, 10, 4, 0.5),
    EventSeries("Slush", "conference", "Messukeskus", "Helsinki", 11, 28, 2, 0.3),
    EventSeries("SXSW", "conference", "Austin Convention Center", "Austin", 3, 10, 3, 0.3),
    EventSeries("VivaTech", "conference", "Porte de Versailles", "Paris", 6, 12, 4, 0.35),
    EventSeries("Hardware Founders Meetup", "meetup", "Factory Görlitzer Park", "Berlin", 5, 14,
                1, 0.6),
    EventSeries("Partners' dinner", "dinner", "Kronenhalle", "Zürich", 10, 15, 1, 0.6),
    EventSeries("Founders' dinner", "dinner", "St. John", "London", 2, 20, 1, 0.5),
)  # fmt: skip
