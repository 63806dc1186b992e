"""One heavy user's exports, generated reproducibly, with the truth about who is who.

::

    generate_exports(seed, ExportSizes())                 # the full size, below
        │  network.build_network: who is in which export, with synth's noise
        ▼
    Exports(files=[Connections.csv, your_friends.json, twitter-….zip, contacts.vcf,
                   calendar.ics], truth, linkable, owner_email, until)
        │  .write(folder): the files, plus truth.json next to them
        ▼
    import them (bench/imports_bench.py), then score.score_import(rows, truth, linkable)

Full size is the most a heavy user brings: 30,000 LinkedIn connections (LinkedIn's cap), 5,000
Facebook friends (Facebook's cap), 100,000 X followers and 5,000 followed accounts, 3,000
vCards and ten years of calendar (25,000 events). The same seed gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

from bench.gen.calendar import calendar_ics
from bench.gen.files import facebook_json, linkedin_csv, vcard_file, x_archive
from bench.gen.network import OWNER_EMAIL, build_network
from bench.gen.score import ImportScore, score_import

__all__ = [
    "ExportFile",
    "ExportSizes",
    "Exports",
    "ImportScore",
    "generate_exports",
    "score_import",
]

# The exports are taken on the first day of 2026; the calendar covers the ten years before.
EXPORT_DAY = dt.date(2026, 1, 1)
CALENDAR_FIRST_DAY = dt.date(2016, 1, 1)


@dataclass(frozen=True, slots=True)
class ExportSizes:
    """How many rows each export has."""

    linkedin: int = 30_000
    facebook: int = 5_000
    x_followers: int = 100_000
    x_following: int = 5_000
    vcards: int = 3_000
    events: int = 25_000

    def scaled(self, factor: float) -> ExportSizes:
        return ExportSizes(
            **{
                f.name: max(1, round(getattr(self, f.name) * factor))
                for f in dataclasses.fields(self)
            }
        )


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One file as the user would upload it."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Exports:
    """The files in the order a user imports them, and who each row really is."""

    files: tuple[ExportFile, ...]
    truth: dict[Hashable, int]
    linkable: dict[Hashable, int]
    owner_email: str
    until: dt.datetime

    def write(self, folder: Path) -> None:
        """The files, and ``truth.json`` with the truth and the import order."""
        folder.mkdir(parents=True, exist_ok=True)
        for export in self.files:
            (folder / export.name).write_bytes(export.data)
        about = {
            "files": [export.name for export in self.files],
            "owner_email": self.owner_email,
            "until": self.until.isoformat(),
            "truth": self.truth,
            "linkable": self.linkable,
        }
        (folder / "truth.json").write_text(json.dumps(about, sort_keys=True))


def generate_exports(seed: int, sizes: ExportSizes | None = None) -> Exports:
    sizes = sizes or ExportSizes()
    rng = random.Random(seed)
    network = build_network(
        rng,
        linkedin=sizes.linkedin,
        facebook=sizes.facebook,
        vcards=sizes.vcards,
        # About one address for every four meetings, as in a calendar of ten busy years.
        attendees=max(1, sizes.events // 4),
        x_followers=sizes.x_followers,
        x_following=sizes.x_following,
        last_day=EXPORT_DAY - dt.timedelta(days=1),
    )
    calendar = calendar_ics(
        rng,
        network,
        events=sizes.events,
        first=CALENDAR_FIRST_DAY,
        last=EXPORT_DAY - dt.timedelta(days=1),
    )
    files = (
        ExportFile("Connections.csv", linkedin_csv(network.linkedin)),
        ExportFile("your_friends.json", facebook_json(network.facebook)),
        ExportFile(
            "twitter-2026-01-01-8f3a2c.zip",
            x_archive(network.x_followers, network.x_following, EXPORT_DAY),
        ),
        ExportFile("contacts.vcf", vcard_file(network.vcards)),
        ExportFile("calendar.ics", calendar),
    )
    return Exports(
        files=files,
        truth=dict(network.truth),
        linkable=network.linkable(),
        owner_email=OWNER_EMAIL,
        until=dt.datetime.combine(EXPORT_DAY, dt.time(), tzinfo=dt.UTC),
    )
