"""The names, companies, cities and titles the independent population of
:mod:`bench.gen.people` is drawn from, and the small word tools it uses (ASCII folding, typos,
coined family names). Written here, not read from matching, so matching is measured on words it
was not built with."""

from __future__ import annotations

import functools
import random
import unicodedata

__all__ = [
    "CITIES",
    "COMPANY_KINDS",
    "COMPANY_WORDS",
    "COUNTRY_CODES",
    "EAST_ASIAN_ORDER",
    "FAMILY",
    "FREE_MAIL",
    "GIVEN",
    "LEGAL",
    "NATIVE",
    "TITLES",
    "ascii",
    "coined",
    "local_part",
    "typo",
    "unique_address",
]

# Given names with the short forms their owners use; written here, not read from matching.
_GIVEN_LATIN = """
Robert:Bob,Rob William:Bill,Will Elizabeth:Liz,Beth Katherine:Kate,Katie Michael:Mike
Jennifer:Jen Alexander:Alex Margaret:Maggie,Meg Richard:Rick James:Jim,Jamie Thomas:Tom
Christopher:Chris Daniel:Dan,Danny Joseph:Joe Anthony:Tony Susan:Sue Patricia:Pat,Trish
Andrew:Andy Nicholas:Nick Benjamin:Ben Samuel:Sam Matthew:Matt Jonathan:Jon Edward:Ed,Ted
Victoria:Vicky Rebecca:Becky Deborah:Debbie Gregory:Greg Timothy:Tim Francesca:Fran
Helen: Godofredo: Kofi: Ama: Adaeze: Chidi: Oluwaseun:Seun Ngozi: Kwabena: Yaw: Efua:
Ingrid: Sigrid: Bjorn: Astrid: Lars: Henrik: Soren: Maja: Freya: Leif: Tove:
José:Pepe Guillermo:Memo Alejandro:Alex Francisco:Paco Mercedes:Meche Rocío: Inés:
Joaquín:Quino Ximena: Beatriz:Bea Agustín: Teresa:Tere Dolores:Lola
François: Hélène: Amélie: Benoît: Cécile: Jérôme: Loïc: Gaëlle: Noémie: Thérèse:
Jürgen: Jörg: Björn: Günter: Käthe: Mathilde: Wolfgang:Wolf Johannes:Hannes
Priya: Anjali: Rohan: Arjun: Kavya: Vikram:Vik Deepika: Sanjay: Lakshmi: Aditya:
Fatima: Omar: Yusuf: Layla: Tariq: Zainab: Karim: Leila: Hamza: Amira:
Siobhán: Niamh: Aoife: Ciarán: Eoin: Padraig: Róisín: Sean:
Łukasz: Małgorzata:Gosia Wojciech:Wojtek Agnieszka:Aga Katarzyna:Kasia Paweł: Zofia:
Giulia: Matteo: Lorenzo: Chiara: Alessandro:Sandro Federica:Fede Giovanni:Gianni
Tatiana:Tanya Dmitri:Dima Olga: Sergei: Anastasia:Nastya
Mei: Wei: Jun: Lina: Hao: Xin:
Nomvula: Thabo: Sipho: Lerato: Zanele:
Ahmet: Elif: Mehmet: Zeynep: Emre:
Tran: Linh: Minh: Anh:
Oksana: Bohdan: Yaroslav:
Eitan: Noa: Yael: Avi:
Carmen: Pilar: Ignacio:Nacho Santiago:Santi
"""
_FAMILY_LATIN = """
Smith Johnson Brown Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson
Taylor Thomas Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall Young
Koch Aliaga Boateng Mensah Okafor Adeyemi Nwosu Asante Owusu Danquah Appiah
Lindqvist Bergström Johansson Nyberg Halvorsen Kjærgaard Sørensen Dahl Eriksen Holm
Álvarez-Ruiz Fernández Ibáñez Ordóñez Peña Muñoz Castañeda Quintero Velasco Zamora
Dubois Lefèvre Moreau Girard Lemaître Chevalier Rousseau Faure Bonnet Mercier
Müller Schröder Schäfer Weiß Krüger Köhler Hoffmann Wagner Becker Zimmermann
Sharma Patel Iyer Reddy Nair Gupta Menon Banerjee Chatterjee Krishnan
Haddad Khalil Nasser Saleh Mansour Farouk Aziz Hamdan Rahman Qureshi
O'Brien O'Sullivan McCarthy Gallagher Byrne Donnelly Kavanagh Fitzgerald
Wiśniewski Kowalczyk Wójcik Kamiński Lewandowski Zieliński Szymański Dąbrowski
Rossi Bianchi Ferrari Esposito Romano Colombo Ricci Marino Greco Bruno
Zhang Wang Liu Chen Yang Huang Zhao Wu Zhou Xu
Dlamini Nkosi Ndlovu Khumalo Mokoena Zulu
Yılmaz Kaya Demir Şahin Çelik Aydın
Nguyen Pham Hoang Vu
Shevchenko Kovalenko Bondarenko
Cohen Levi Mizrahi Peretz
van der Berg de Vries van Dijk
"""
# Native-script names with the Latin form their owner uses abroad (given, family).
NATIVE = (
    ("美咲", "田中", "Misaki", "Tanaka"),
    ("翔太", "佐藤", "Shota", "Sato"),
    ("陽子", "鈴木", "Yoko", "Suzuki"),
    ("健一", "高橋", "Kenichi", "Takahashi"),
    ("直美", "渡辺", "Naomi", "Watanabe"),
    ("誠", "伊藤", "Makoto", "Ito"),
    ("由美", "山本", "Yumi", "Yamamoto"),
    ("大輔", "中村", "Daisuke", "Nakamura"),
    ("さくら", "小林", "Sakura", "Kobayashi"),
    ("芳", "王", "Fang", "Wang"),
    ("伟", "李", "Wei", "Li"),
    ("静", "张", "Jing", "Zhang"),
    ("明", "刘", "Ming", "Liu"),
    ("Иван", "Петров", "Ivan", "Petrov"),
    ("Мария", "Смирнова", "Maria", "Smirnova"),
    ("Алексей", "Волков", "Alexei", "Volkov"),
    ("Наталья", "Соколова", "Natalia", "Sokolova"),
    ("Ελένη", "Παπαδοπούλου", "Eleni", "Papadopoulou"),
    ("Νίκος", "Γεωργίου", "Nikos", "Georgiou"),
    ("민준", "김", "Minjun", "Kim"),
    ("서연", "이", "Seoyeon", "Lee"),
)
EAST_ASIAN_ORDER = frozenset("田佐鈴高渡伊山中小王李张刘김이")
COUNTRY_CODES = ("49", "44", "33", "1", "81", "233")
FREE_MAIL = ("mailbox.example", "inbox.example", "webpost.example", "fastmail.example")
COMPANY_WORDS = """
Corvid Harbor Lumen Atlas Cobalt Meridian Tessellate Northwind Kestrel Halcyon Juniper
Quarry Beacon Saffron Vantage Lattice Orchard Pinnacle Ember Granite Solace Tidewater
Aurora Cinder Fathom Helix Ironwood Keystone Larkspur Mosaic Nimbus Obsidian Parallax
Quillon Riverbend Sable Topaz Umber Verdant Wren Yarrow Zephyr Alder Birch Cedar Dune
"""
COMPANY_KINDS = (
    "Robotics", "Bio", "Freight", "Analytics", "Labs", "Design", "Capital", "Health",
    "Systems", "Energy", "Foods", "Media", "Logistics", "Software", "Partners",
)  # fmt: skip
LEGAL = ("", "", " GmbH", " Inc.", " Ltd", " S.L.", " AG", " LLC", " B.V.", " SAS")
CITIES = (
    "Berlin", "Hamburg", "München", "London", "Paris", "Madrid", "Lisbon", "Accra", "Lagos",
    "Tokyo", "Osaka", "Toronto", "New York", "São Paulo", "Stockholm", "Warsaw", "Rome",
    "Nairobi", "Bangalore", "Dubai", "Seoul", "Shanghai", "Athens", "Kyiv", "Istanbul",
)  # fmt: skip
TITLES = (
    "Engineer", "Senior Engineer", "Product Manager", "Head of Sales", "CTO", "Designer",
    "Researcher", "Account Executive", "Founder", "Operations Lead", "Data Scientist",
)  # fmt: skip


def _parse_given(text: str) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for word in text.split():
        name, _, shorts = word.partition(":")
        found.append((name, tuple(s for s in shorts.split(",") if s)))
    return found


GIVEN = _parse_given(_GIVEN_LATIN)
FAMILY: list[str] = []
for _line in _FAMILY_LATIN.strip().splitlines():
    if _line.startswith(("van ", "de ")):
        FAMILY.extend(part.strip() for part in _line.split("  ") if part.strip())
    else:
        FAMILY.extend(_line.split())
FAMILY = [f for f in FAMILY if f not in ("van", "der", "de", "Berg", "Vries", "Dijk")]
FAMILY.extend(["van der Berg", "de Vries", "van Dijk"])


@functools.cache
def ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("ø", "o").replace("æ", "ae").replace("ł", "l").replace("Ł", "L")


@functools.cache
def local_part(text: str) -> str:
    return "".join(c for c in ascii(text).lower() if c.isalnum())


_ONSETS = tuple("b br c ch d f g gr h j k kr l m n p pr r s sh st t tr v w z".split())  # noqa: SIM905  # a compact list
_VOWELS = tuple("a e i o u a e o ai ei ou".split())  # noqa: SIM905  # a compact list
_ENDINGS = tuple("n r s l nd rt ng ck ski sen ez ini ov ato ley ford berg mann ic".split())  # noqa: SIM905  # a compact list


def coined(rng: random.Random) -> str:
    """A family name of the long tail, made of two or three syllables."""
    syllables = rng.choice((2, 2, 3))
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    return (word + rng.choice(_ENDINGS)).capitalize()


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    edit = rng.random()
    if edit < 0.4:
        return word[:at] + word[at + 1 :]
    if edit < 0.7:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice("aeinorst") + word[at + 1 :]


def unique_address(rng: random.Random, email: str, taken: set[str]) -> str:
    """The address, or the numbered variant a mail server hands out when it is taken: two
    digits, and four once the two-digit ones are all but gone (a large employer's "robert@")."""
    local, _, domain = email.partition("@")
    tries = 0
    while email in taken:
        tries += 1
        email = f"{local}{rng.randint(2, 99 if tries <= 1000 else 9999)}@{domain}"
    taken.add(email)
    return email
