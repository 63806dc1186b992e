"""Business cards drawn with Pillow for the OCR tests: several layouts, fonts and languages,
turned a little and blurred a little, as a phone photographs them."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf"),
]
BOLD = {
    FONTS[0]: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    FONTS[1]: Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
    FONTS[2]: Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    FONTS[3]: Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"),
    FONTS[4]: Path("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"),
}


@dataclass(frozen=True)
class Person:
    """What a card shows, as the test expects it back (phones in E.164)."""

    name: str
    title: str
    organization: str
    email: str
    phone_printed: str
    phone: str
    website: str
    region: str


PEOPLE = [
    Person(
        "Lena Hartmann",
        "Head of Growth",
        "Flora Analytics GmbH",
        "lena.hartmann@flora-analytics.de",
        "+49 30 5555 0142",
        "+493055550142",
        "www.flora-analytics.de",
        "DE",
    ),
    Person(
        "Kwame Mensah",
        "Director of Research",
        "Harbor Bio Inc.",
        "kmensah@harborbio.com",
        "(617) 555-0142",
        "+16175550142",
        "www.harborbio.com",
        "US",
    ),
    Person(
        "Rafael Mendes",
        "Partnerships Lead",
        "Atlantico Payments SA",
        "rafael@atlantico-pay.pt",
        "+351 912 345 678",
        "+351912345678",
        "atlantico-pay.pt",
        "PT",
    ),
    Person(
        "Misaki Tanaka",
        "Principal Research Scientist",
        "Kirin Labs K.K.",
        "m.tanaka@kirinlabs.jp",
        "+81 3-5555-0147",
        "+81355550147",
        "www.kirinlabs.jp",
        "JP",
    ),
    Person(
        "Claire Dubois",
        "Directrice commerciale",
        "Lumiere Conseil SARL",
        "claire.dubois@lumiere-conseil.fr",
        "+33 1 45 55 01 23",
        "+33145550123",
        "www.lumiere-conseil.fr",
        "FR",
    ),
    Person(
        "Jonas Weber",
        "Leiter Vertrieb",
        "Nordlicht Systeme AG",
        "j.weber@nordlicht-systeme.de",
        "030 5555 0178",
        "+493055550178",
        "www.nordlicht-systeme.de",
        "DE",
    ),
    Person(
        "Sofia Andersson",
        "Product Manager",
        "Klarhet AB",
        "sofia@klarhet.se",
        "+46 8 555 012 34",
        "+46855501234",
        "klarhet.se",
        "SE",
    ),
    Person(
        "Daniel Obrien",
        "Managing Partner",
        "Quayside Partners Ltd",
        "dan@quayside.ie",
        "+353 1 555 0199",
        "+35315550199",
        "www.quayside.ie",
        "IE",
    ),
    Person(
        "Carmen Ruiz",
        "Directora de Marketing",
        "Lumen Freight S.L.",
        "carmen.ruiz@lumenfreight.es",
        "+34 912 345 678",
        "+34912345678",
        "www.lumenfreight.es",
        "ES",
    ),
    Person(
        "Priya Raghunathan",
        "Chief Technology Officer",
        "Tessellate Ltd",
        "priya@tessellate.io",
        "+44 20 7946 0321",
        "+442079460321",
        "tessellate.io",
        "GB",
    ),
    Person(
        "Aoife Kelly",
        "Senior Data Engineer",
        "Cliffside Analytics Ltd",
        "aoife@cliffside.ie",
        "+353 87 555 0134",
        "+353875550134",
        "www.cliffside.ie",
        "IE",
    ),
    Person(
        "Marco Rossi",
        "Sales Director",
        "Vela Robotica S.r.l.",
        "marco.rossi@velarobotica.it",
        "+39 02 5555 0101",
        "+390255550101",
        "www.velarobotica.it",
        "IT",
    ),
]


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


def draw_card(person: Person, layout: int, font: Path, seed: int) -> bytes:
    """A card photo (JPEG) of ``person`` in one of three layouts."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible tilt and blur, not a secret
    width, height = 1050, 600  # 3.5 x 2 in at 300 dpi
    card = Image.new("RGB", (width, height), (250, 249, 245))
    draw = ImageDraw.Draw(card)
    big, mid, small = _font(BOLD[font], 52), _font(font, 34), _font(font, 30)
    ink = (25, 25, 35)
    contact = [f"{person.email}", f"Tel: {person.phone_printed}", person.website]
    if layout == 0:  # everything on the left
        y = 60
        for text, face in [(person.name, big), (person.title, mid), (person.organization, mid)]:
            draw.text((70, y), text, font=face, fill=ink)
            y += 70
        y += 30
        for text in contact:
            draw.text((70, y), text, font=small, fill=ink)
            y += 48
    elif layout == 1:  # centred, organisation on top
        lines = [(person.organization, mid), (person.name, big), (person.title, mid)]
        lines += [(text, small) for text in contact]
        y = 40
        for text, face in lines:
            left = (width - draw.textlength(text, font=face)) / 2
            draw.text((left, y), text, font=face, fill=ink)
            y += 74 if face is big else 64
    else:  # name and title on top, organisation and contacts at the bottom
        draw.text((70, 60), person.name, font=big, fill=ink)
        draw.text((70, 130), person.title, font=mid, fill=ink)
        draw.line((70, 200, width - 70, 200), fill=(150, 40, 40), width=4)
        draw.text((70, 240), person.organization, font=mid, fill=ink)
        for row, text in enumerate(contact):
            draw.text((70, 320 + row * 50), text, font=small, fill=ink)
    # A phone photo: the card on a table, turned a little, slightly soft.
    photo = Image.new("RGB", (width + 160, height + 160), (90, 90, 95))
    photo.paste(card, (80, 80))
    photo = photo.rotate(
        rng.uniform(-2.5, 2.5), resample=Image.Resampling.BICUBIC, fillcolor=(90, 90, 95)
    )
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.1)))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()


def card_set() -> list[tuple[Person, bytes]]:
    """Every person of the set on a card, layouts and fonts taken in turn."""
    return [
        (person, draw_card(person, index % 3, FONTS[index % len(FONTS)], seed=index))
        for index, person in enumerate(PEOPLE)
    ]
