"""Reading a photographed business card with Tesseract (Debian's ``tesseract-ocr``).

The photo is made easy to read first: turned upright by its EXIF tag, grey, its contrast
stretched, and enlarged when small, as Tesseract reads best at 300 dpi or so. A photo that is
not an image, or in which Tesseract finds no text a card would carry, raises
:class:`UnreadableCard`; the caller keeps the photo and says "could not read this card".
"""

from __future__ import annotations

import io

import pytesseract
from PIL import Image, ImageOps, UnidentifiedImageError

from .business_cards import CardFields, card_fields

__all__ = ["COULD_NOT_READ", "UnreadableCard", "read_card"]

COULD_NOT_READ = (
    "Could not read this card: take the photo again, flat and in good light, or type the details."
)
_MIN_WIDTH = 1600
_MAX_PIXELS = 40_000_000


class UnreadableCard(Exception):
    """The photo shows no card Eye Contact can read."""


def _prepared(photo: bytes) -> Image.Image:
    try:
        opened = Image.open(io.BytesIO(photo))
        if opened.width * opened.height > _MAX_PIXELS:
            raise UnreadableCard(COULD_NOT_READ)
        upright: Image.Image = ImageOps.exif_transpose(opened) or opened
        grey = ImageOps.autocontrast(upright.convert("L"), cutoff=1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableCard(COULD_NOT_READ) from exc
    if grey.width < _MIN_WIDTH:
        scale = _MIN_WIDTH / grey.width
        grey = grey.resize((_MIN_WIDTH, round(grey.height * scale)), Image.Resampling.LANCZOS)
    return grey


def read_card(photo: bytes, *, default_region: str = "US") -> tuple[str, CardFields]:
    """The card's text and its fields; raises :class:`UnreadableCard`."""
    image = _prepared(photo)
    text: str = pytesseract.image_to_string(image, lang="eng", config="--psm 3", timeout=60)
    fields = card_fields(text, default_region)
    if fields.empty:
        raise UnreadableCard(COULD_NOT_READ)
    return text, fields
