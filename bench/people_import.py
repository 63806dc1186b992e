"""The import benchmark on the independent population: its files (:mod:`bench.gen.people_files`),
rows back to records, and who the import says the user has met.

The import keeps rows (``"<source format>|<key>"``); the independent generator's truth is per
record, and one row can show several records (a calendar address shown with two names) or one
record two rows (an X account in the archive and in the follower tool's list). Each record
takes the person its row became; pairs are then scored per record with
:func:`bench.gen.score.score_import`, recall against the ``evident`` groups ("at a glance").

Who has been met: every LinkedIn connection whose person is in the calendar should show as met
in person exactly when one of that person's meetings was at a place.
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.gen.people_files import generate_people_exports, records_of_rows

__all__ = ["independent_rows", "report_lines", "write_people_exports"]


def write_people_exports(arguments: argparse.Namespace, folder: Path) -> tuple[dict[str, int], str]:
    """Writes the files of ``--seed`` and ``--scale`` into ``folder``; their sizes, told."""
    exports = generate_people_exports(arguments.seed, arguments.scale)
    exports.write(folder)
    return exports.sizes, exports.sizes_text()


def independent_rows(
    person_of_row: Sequence[tuple[str, int | None]],
    details: dict[Any, tuple[str, str]],
    about: Mapping[str, Any],
    workspace: Any,
) -> tuple[list[tuple[str, int | None]], dict[str, Any]]:
    """``(record id, person)`` pairs to score, and the figures only this generator has.

    ``details`` (row key to shown name and decision) gains the same for each record id.
    """
    from eyecontact.people.models import Person

    rows: Mapping[str, list[str]] = about["rows"]
    records, unexplained, split = records_of_rows(person_of_row, rows)
    for row, _ in person_of_row:
        for record in rows.get(row, ()):
            details.setdefault(record, details[row])
    person_of = dict(person_of_row)
    met_people = set(
        Person.objects.filter(workspace=workspace, last_in_person_at__isnull=False).values_list(
            "id", flat=True
        )
    )
    should: Mapping[str, bool] = about["calendar_people"]
    linkedin = [row for row in person_of if row.startswith("linkedin|")]
    met = {row for row in linkedin if person_of[row] in met_people}
    figures = {
        "by_sources": by_sources(records, about["truth"], about["linkable"]),
        "rows_imported": len(person_of_row),
        "rows_unexplained": unexplained,
        "records_split": split,
        "met": {
            "linkedin_connections": len(linkedin),
            "in_calendar": len(should),
            "should_be_met": sum(should.values()),
            "met_and_should": sum(1 for row in met if should.get(row)),
            "met_but_only_video_or_phone": sum(
                1 for row in met if row in should and not should[row]
            ),
            "met_but_not_in_calendar": sum(1 for row in met if row not in should),
        },
    }
    return records, figures


_KINDS = {"li": "LinkedIn", "fb": "Facebook", "x": "X", "vc": "vCard", "cal": "calendar"}


def _kind(record: str) -> str:
    if record.endswith(":short"):
        return "vCard first name"
    if record.endswith(":full"):
        return "Google"
    return _KINDS[record.split(":")[0]]


def by_sources(
    records: Sequence[tuple[str, int | None]],
    truth: Mapping[Hashable, int],
    evident: Mapping[Hashable, int],
) -> dict[str, dict[str, int]]:
    """Per pair of sources: the pairs a person would join at a glance, how many of them the
    import joined, and how many pairs of two people it joined."""
    person = {record: found for record, found in records if found is not None}
    groups: dict[int, list[str]] = defaultdict(list)
    clusters: dict[int, list[str]] = defaultdict(list)
    for record, found in person.items():
        groups[evident[record]].append(record)
        clusters[found].append(record)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for members in groups.values():
        for a, b in itertools.combinations(members, 2):
            key = " + ".join(sorted((_kind(a), _kind(b))))
            counts[key]["evident"] += 1
            counts[key]["joined"] += person[a] == person[b]
    for members in clusters.values():
        for a, b in itertools.combinations(members, 2):
            if truth[a] != truth[b]:
                counts[" + ".join(sorted((_kind(a), _kind(b))))]["wrong"] += 1
    return {key: dict(found) for key, found in sorted(counts.items())}


def report_lines(result: Mapping[str, Any]) -> list[str]:
    """What the report adds for the independent generator."""
    met = result["met"]
    score = result["score"]
    return [
        "",
        "## On the independent generator (`bench/gen/people.py`)",
        "",
        "Rows are scored per record of the generator: a calendar address stands for every "
        "name it was shown with, and an X account in the archive and in the follower tool's "
        "list is one record. The *linkable* recall above is recall **at a glance**: over the "
        "pairs of records a person would join at a glance (sharing an identifier, or a full "
        "name nobody else in the network carries, or an address that spells it).",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| Precision | {score['precision']:.4f} |",
        f"| Recall at a glance | {score['recall']:.4f} |",
        f"| Recall over all same-person pairs | {score['recall_all']:.4f} |",
        f"| Possible matches waiting for review | {result['reviews']:,} |",
        f"| Possible matches held back, less likely | {result.get('reviews_held', 0):,} |",
        f"| Rows imported / explained by no record | {result['rows_imported']:,} / "
        f"{result['rows_unexplained']:,} |",
        f"| Records whose rows went to two people | {result['records_split']:,} |",
        f"| LinkedIn connections | {met['linkedin_connections']:,} |",
        f"| … whose person is in the calendar | {met['in_calendar']:,} |",
        f"| … met at a place, so should show as met | {met['should_be_met']:,} |",
        f"| … of those, shown as met | {met['met_and_should']:,} |",
        f"| Shown as met though only seen by video or phone | "
        f"{met['met_but_only_video_or_phone']:,} |",
        f"| Shown as met though not in the calendar at all | {met['met_but_not_in_calendar']:,} |",
        "",
        "Per pair of sources: pairs a person would join at a glance, those the import joined, "
        "and pairs of two different people it joined. Run: `make bench-imports-independent` or "
        "`.venv/bin/python bench/imports_bench.py --generator people [--seed 7] [--scale 1.0] "
        "[--database-url postgres://...]`.",
        "",
        "| Sources | At a glance | Joined | Recall | Wrong pairs |",
        "|---|---:|---:|---:|---:|",
    ] + [
        f"| {key} | {n.get('evident', 0):,} | {n.get('joined', 0):,} | "
        f"{n.get('joined', 0) / n['evident'] if n.get('evident') else 0:.2f} | "
        f"{n.get('wrong', 0):,} |"
        for key, n in sorted(
            result["by_sources"].items(),
            key=lambda item: -(item[1].get("evident", 0) - item[1].get("joined", 0)),
        )
    ]
