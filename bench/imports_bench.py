"""How fast and how well Eye Contact imports one heavy user's exports, and who it says is who.

    .venv/bin/python bench/imports_bench.py [--seed 7] [--scale 1.0] [--out bench/results]
        [--database-url postgres://...] [--profile FILE] [--generator people]

1. generates, from the seed, the exports of a heavy user (:mod:`bench.gen`): 30,000 LinkedIn
   connections, 5,000 Facebook friends, an X archive with 100,000 followers and 5,000 followed
   accounts, 3,000 vCards and ten years of calendar (25,000 events), with the truth about who
   each row is;
2. in a child process (so its peak memory is the import's alone), creates a fresh database in a
   temporary data folder (SQLite, or a new database on the PostgreSQL server of
   ``--database-url``, dropped afterwards), migrates it, creates the user and a workspace, and
   imports the files with ``import_files``, as ``eyecontact import FILE...`` does: LinkedIn,
   Facebook, the X archive, the vCards, the calendar, each an import of its own, the next file
   read in a second process while one is written; it times each (from the end of the one
   before) and reads the peak resident memory of both processes;
3. maps every imported row (``SourceRecord``) to the person it became and scores the people
   against the truth: pairwise precision, recall and F1 (see ``bench/gen/score.py``);
4. prints a table and writes ``bench/results/imports-<database>.json`` and ``.md``.

The aim: the whole import under 20 s and 1 GB on two cores, F1 at least 0.98, precision at
least 0.995 (a wrong merge is worse than a missed one).

``--generator people`` imports the files of the independent population instead (people the
matcher was not tuned on: :mod:`bench.people_import`), into ``imports-independent-*``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.gen import ExportSizes, generate_exports, score_import  # noqa: E402  # after the path
from bench.people_import import (  # noqa: E402
    independent_rows,
    report_lines,
    write_people_exports,
)
from bench.process_figures import (  # noqa: E402
    TreeMemory,
    children_cpu_seconds,
    children_peak_mb,
    cpu_seconds,
    peak_mb,
)

RESULTS = Path(__file__).resolve().parent / "results"
AIM_SECONDS = 20.0
AIM_MB = 1024.0
AIM_F1 = 0.98
AIM_PRECISION = 0.995
# Possible duplicates waiting for review at once: a list a person can work through.
AIM_REVIEWS = 1000
BENCH_PASSWORD = "bench-only-password-0"  # noqa: S105  # a throwaway local benchmark account
EXAMPLES = 12


# ----- the child: a fresh database, the imports, the score -----------------------------------


@contextlib.contextmanager
def fresh_postgres(database_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``database_url``, dropped afterwards."""
    import psycopg

    name = f"eyecontact_bench_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(database_url)
    with psycopg.connect(database_url, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(database_url, autocommit=True) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def configure(home: Path, database_url: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    os.environ["EYECONTACT_HOME"] = str(home)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "eyecontact.settings.development"
    os.environ["EYECONTACT_DEBUG"] = ""
    import django

    django.setup()


def import_all(folder: Path, profile: Path | None) -> dict[str, Any]:
    """Migrates, imports every export in order and scores the result (the child's work)."""
    from django.core.management import call_command
    from django.db import connection

    from eyecontact.accounts.services import user_create, workspace_create
    from eyecontact.imports.models import SourceRecord
    from eyecontact.imports.services import import_files
    from eyecontact.people.models import MatchReview, Person

    about: dict[str, Any] = json.loads((folder / "truth.json").read_text())
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    user = user_create(email=about["owner_email"], password=BENCH_PASSWORD)
    workspace = workspace_create(name="Benchmark network", owner=user, default_region="DE")
    until = dt.datetime.fromisoformat(about["until"])
    baseline_mb = peak_mb()
    profiler = cProfile.Profile() if profile else None
    uploads = [(name, (folder / name).read_bytes()) for name in about["files"]]
    steps = []
    # As `eyecontact import FILE...` does: one import per file, the next read meanwhile.
    batches = import_files(
        workspace=workspace,
        uploads=uploads,
        until=until,
        owner_emails=[about["owner_email"]],
    )
    if profiler:
        profiler.enable()
    with TreeMemory() as tree:
        began, began_cpu = time.perf_counter(), cpu_seconds()
        for name, batch in zip(about["files"], batches, strict=True):
            ended, ended_cpu = time.perf_counter(), cpu_seconds()
            seconds, cpu = ended - began, ended_cpu - began_cpu
            began, began_cpu = ended, ended_cpu
            if batch.status != batch.Status.DONE:
                raise SystemExit(f"{name} failed: {batch.errors}")
            steps.append(
                {
                    "file": name,
                    "bytes": (folder / name).stat().st_size,
                    "seconds": round(seconds, 2),
                    "cpu_seconds": round(cpu, 2),
                    "load_average": round(os.getloadavg()[0], 1),
                    "peak_mb": round(peak_mb(), 1),
                    "counts": batch.counts,
                }
            )
            print(f"  {name}: {seconds:.1f} s ({cpu:.1f} s CPU)", file=sys.stderr, flush=True)
    if profiler:
        profiler.disable()
    del uploads
    # The reading process has ended with the last import: its figures are in now.
    reader_cpu, reader_mb = children_cpu_seconds(), children_peak_mb()
    if profiler and profile:
        profiler.dump_stats(profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)

    rows = SourceRecord.objects.filter(workspace=workspace).values_list(
        "source_format", "key", "person_id", "data", "decision"
    )
    person_of_row: list[tuple[str, int | None]] = []
    details: dict[Hashable, tuple[str, str]] = {}
    for source_format, key, person_id, data, decision in rows.iterator(5000):
        row_key = f"{source_format}|{key}"
        person_of_row.append((row_key, person_id))
        details[row_key] = ((data or {}).get("name", ""), decision)
    extra: dict[str, Any] = {}
    if "rows" in about:  # the independent generator's rows stand for its records
        person_of_row, extra = independent_rows(person_of_row, details, about, workspace)
    score = score_import(person_of_row, about["truth"], about["linkable"])
    person_of: dict[Hashable, int | None] = dict(person_of_row)

    def described(groups: tuple[tuple[Hashable, ...], ...]) -> list[list[dict[str, Any]]]:
        return [
            [
                {
                    "row": key,
                    "name": details[key][0],
                    "decision": details[key][1],
                    "truth": about["truth"][key],
                    "person": person_of[key],
                }
                for key in keys
            ]
            for keys in groups[:EXAMPLES]
        ]

    return {
        "database": connection.vendor,
        "database_version": server_version(),
        "migrate_seconds": round(migrate_seconds, 2),
        "baseline_mb": round(baseline_mb, 1),
        "steps": steps,
        "total_seconds": round(sum(s["seconds"] for s in steps), 2),
        "total_cpu_seconds": round(sum(s["cpu_seconds"] for s in steps), 2),
        "reader_cpu_seconds": round(reader_cpu, 2),
        "importer_peak_mb": round(peak_mb(), 1),
        "reader_peak_mb": round(reader_mb, 1),
        # Both processes together at the sampled moment they held most: what the machine
        # needed. Added at their own peaks, they would count the reading process's peak (while
        # the first file is written) on top of the importer's (while the X archive is).
        "peak_mb": round(max(tree.peak_mb, peak_mb()), 1),
        "people": Person.objects.filter(workspace=workspace).count(),
        # The review queue, and the less likely ones held back behind it.
        "reviews": MatchReview.objects.filter(workspace=workspace, status="open").count(),
        "reviews_held": MatchReview.objects.filter(workspace=workspace, status="held").count(),
        "score": {
            "rows": score.rows,
            "missing_rows": score.missing_rows,
            "unknown_rows": score.unknown_rows,
            "true_people": len(set(about["truth"].values())),
            "precision": round(score.precision, 5),
            "recall": round(score.recall, 5),
            "recall_all": round(score.recall_all, 5),
            "f1": round(score.f1, 5),
            "true_pairs": score.true_pairs,
            "linkable_pairs": score.linkable_pairs,
            "merged_pairs": score.merged_pairs,
            "correct_pairs": score.correct_pairs,
            "wrong_people": len(score.wrong_clusters),
            "missed_groups": len(score.missed_groups),
        },
        "wrong_merges": described(score.wrong_clusters),
        "missed_merges": described(score.missed_groups),
        **extra,
    }


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SHOW server_version"
            if connection.vendor == "postgresql"
            else "SELECT sqlite_version()"
        )
        row = cursor.fetchone()
    return str(row[0]) if row else ""


def child(arguments: argparse.Namespace) -> int:
    home = Path(arguments.home)
    if arguments.database_url:
        with fresh_postgres(arguments.database_url) as url:
            configure(home, url)
            result = import_all(Path(arguments.exports), arguments.profile)
    else:
        configure(home, "")
        result = import_all(Path(arguments.exports), arguments.profile)
    Path(arguments.result).write_text(json.dumps(result, indent=2))
    return 0


# ----- the parent: generate, run the child, report -------------------------------------------


def environment() -> dict[str, Any]:
    import django

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH is intended
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "commit": commit,
        "date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def aims(result: dict[str, Any]) -> dict[str, bool]:
    score = result["score"]
    return {
        "seconds": result["total_seconds"] < AIM_SECONDS,
        "memory": result["peak_mb"] < AIM_MB,
        "f1": score["f1"] >= AIM_F1,
        "precision": score["precision"] >= AIM_PRECISION,
        "reviews": result["reviews"] <= AIM_REVIEWS,
    }


def report(result: dict[str, Any], arguments: argparse.Namespace) -> str:
    score = result["score"]
    met = aims(result)

    def mark(name: str) -> str:
        return "yes" if met[name] else "**no**"

    lines = [
        f"# Importing a heavy user's exports on {result['database']} "
        f"({result['database_version']})",
        "",
        f"Seed {arguments.seed}, scale {arguments.scale}: {result['sizes_text']}. Generated by "
        "`bench/gen`, imported with `import_files` as `eyecontact import FILE...` imports "
        "them (one import per file, in this order, the next files read in a second process "
        "while one is written) into a fresh workspace, in a child process of its own. A "
        "file's seconds run from the end of the file before.",
        "",
        "| File | Size | Seconds | CPU seconds | Load | Peak RSS MB | New people | Matched "
        "| Reviews | Held back |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in result["steps"]:
        counts = step["counts"]
        lines.append(
            f"| {step['file']} | {step['bytes'] / 1e6:.1f} MB | {step['seconds']:.2f} | "
            f"{step['cpu_seconds']:.2f} | {step['load_average']:.1f} | {step['peak_mb']:.0f} | "
            f"{counts.get('people_new', 0):,} | "
            f"{counts.get('people_matched', 0):,} | {counts.get('reviews', 0):,} | "
            f"{counts.get('reviews_held', 0):,} |"
        )
    lines += [
        "",
        "| Figure | Value | Aim | Met |",
        "|---|---:|---:|---|",
        f"| Import and resolution, all files | {result['total_seconds']:.1f} s | "
        f"< {AIM_SECONDS:.0f} s | {mark('seconds')} |",
        f"| Processor time of the importing process | {result['total_cpu_seconds']:.1f} s | | |",
        f"| Processor time of the reading process | {result['reader_cpu_seconds']:.1f} s | | |",
        f"| Peak resident memory (importing and reading process together) | "
        f"{result['peak_mb']:.0f} MB | "
        f"< {AIM_MB:.0f} MB | {mark('memory')} |",
        f"| Precision | {score['precision']:.4f} | ≥ {AIM_PRECISION} | {mark('precision')} |",
        f"| Recall (linkable pairs) | {score['recall']:.4f} | | |",
        f"| F1 | {score['f1']:.4f} | ≥ {AIM_F1} | {mark('f1')} |",
        f"| Recall (all same-person pairs) | {score['recall_all']:.4f} | | |",
        f"| People in the workspace | {result['people']:,} | {score['true_people']:,} true | |",
        f"| Possible matches waiting for review | {result['reviews']:,} | "
        f"≤ {AIM_REVIEWS:,} | {mark('reviews')} |",
        f"| Possible matches held back, less likely | {result.get('reviews_held', 0):,} | | |",
        "",
        f"Rows scored: {score['rows']:,} (truth rows not imported: {score['missing_rows']}, "
        f"imported rows not in the truth: {score['unknown_rows']}). Pairs: "
        f"{score['true_pairs']:,} same-person, {score['linkable_pairs']:,} of them linkable; "
        f"{score['merged_pairs']:,} merged, {score['correct_pairs']:,} of them right; "
        f"{score['wrong_people']:,} people hold rows of more than one true person.",
        "",
        "**What is counted.** Every row of every export the import keeps is one item: a "
        "LinkedIn connection, a Facebook friend, an X account (follower and followed are two "
        "rows), a vCard, a calendar attendee's address (one row per address, however many "
        "meetings). Hidden LinkedIn members and the owner are not rows. Precision is the share "
        "of merged row pairs that are one person. Recall is the share of *linkable* same-person "
        "pairs that were merged: pairs whose rows share an e-mail address, phone, LinkedIn "
        "profile or X account or show the same current employer, directly or through the "
        "person's other rows. A Facebook friend (a name only) and an X account id with no "
        "profile pointing at it cannot be linked by anything but a name, so they are left out "
        "of that recall; recall over all same-person pairs is shown for completeness. F1 "
        "combines precision and linkable recall. A possible match waiting for review counts as "
        "not merged. At most 1,000 wait at once (the review queue); the less likely rest are "
        "held back and come up as those waiting are decided. A file's *Reviews* are its possible "
        "matches in the queue when it ended, *Held back* the rest of them.",
        "",
        "Seconds are wall-clock time; CPU seconds are the importing process's own processor "
        "time (on PostgreSQL the server's work is not in it); Load is the machine's one-minute "
        "load average after each file: above 2 on two cores, other work shared the processors "
        "and wall time overstates the import's. The peak memory is the most the importing "
        "process and the reading process it starts held together, their resident memory added "
        "every 20 ms; each alone peaked at "
        f"{result['importer_peak_mb']:.0f} MB and {result['reader_peak_mb']:.0f} MB "
        "(the kernel's figures), at different times: the reading process reads while the first "
        "file is written and ends when it has read them all. "
        f"Migrations took {result['migrate_seconds']:.1f} s and are not counted; the process "
        f"held {result['baseline_mb']:.0f} MB before the first import. Python "
        f"{result['python']}, Django {result['django']}, {result['machine']}, commit "
        f"{result['commit']}, {result['date']}.",
        "",
        "Run: `make bench-imports` or `.venv/bin/python bench/imports_bench.py "
        "[--seed 7] [--database-url postgres://...]`.",
    ]
    for title, field in (
        ("Wrong merges: people holding rows of several true people", "wrong_merges"),
        ("Missed merges: linkable rows of one true person left apart", "missed_merges"),
    ):
        if not result.get(field):
            continue
        lines += ["", f"## {title} (first {EXAMPLES})", ""]
        for number, rows in enumerate(result[field], start=1):
            shown = "; ".join(
                f"`{r['row']}` {r['name']!r} (true {r['truth']}, person {r['person']}, "
                f"{r['decision']})"
                for r in rows
            )
            lines.append(f"{number}. {shown}")
    if "met" in result:
        lines += report_lines(result)
    return "\n".join(lines) + "\n"


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Imports on {result['database']}")
    for column in ("File", "Seconds", "CPU s", "Peak RSS MB", "New people", "Reviews", "Held"):
        table.add_column(column, justify="left" if column == "File" else "right")
    for step in result["steps"]:
        counts = step["counts"]
        table.add_row(
            step["file"],
            f"{step['seconds']:.2f}",
            f"{step['cpu_seconds']:.2f}",
            f"{step['peak_mb']:.0f}",
            f"{counts.get('people_new', 0):,}",
            f"{counts.get('reviews', 0):,}",
            f"{counts.get('reviews_held', 0):,}",
        )
    score = result["score"]
    table.add_section()
    table.add_row(
        "Total",
        f"{result['total_seconds']:.2f}",
        f"{result['total_cpu_seconds']:.2f}",
        f"{result['peak_mb']:.0f}",
        f"{result['people']:,}",
        f"{result['reviews']:,}",
        f"{result.get('reviews_held', 0):,}",
    )
    Console().print(table)
    Console().print(
        f"precision {score['precision']:.4f}  recall {score['recall']:.4f}  "
        f"F1 {score['f1']:.4f}  (recall over all pairs {score['recall_all']:.4f})"
    )
    if "met" in result:
        Console().print("\n".join(report_lines(result)[7:]))


def parent(arguments: argparse.Namespace) -> int:
    sizes = ExportSizes().scaled(arguments.scale) if arguments.scale != 1 else ExportSizes()
    independent = arguments.generator == "people"
    with tempfile.TemporaryDirectory(prefix="eyecontact-imports-bench-") as temporary:
        folder = Path(temporary)
        began = time.perf_counter()
        if independent:
            people_sizes, sizes_text = write_people_exports(arguments, folder / "exports")
        else:
            exports = generate_exports(arguments.seed, sizes)
            exports.write(folder / "exports")
            del exports
        print(f"Generated the exports in {time.perf_counter() - began:.1f} s", file=sys.stderr)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "--exports",
            str(folder / "exports"),
            "--home",
            str(folder / "home"),
            "--result",
            str(folder / "result.json"),
            "--database-url",
            arguments.database_url,
        ]
        if arguments.profile:
            command += ["--profile", str(arguments.profile)]
        subprocess.run(command, check=True)  # noqa: S603  # our own script, our own arguments
        result = json.loads((folder / "result.json").read_text())
    result.update(environment())
    result["seed"] = arguments.seed
    result["scale"] = arguments.scale
    result["generator"] = arguments.generator
    result["sizes"] = (
        people_sizes
        if independent
        else {
            "linkedin": sizes.linkedin,
            "facebook": sizes.facebook,
            "x_followers": sizes.x_followers,
            "x_following": sizes.x_following,
            "vcards": sizes.vcards,
            "events": sizes.events,
        }
    )
    result["sizes_text"] = (
        sizes_text
        if independent
        else (
            f"{sizes.linkedin:,} LinkedIn connections, {sizes.facebook:,} Facebook friends, "
            f"{sizes.x_followers:,} X followers and {sizes.x_following:,} followed, "
            f"{sizes.vcards:,} vCards, {sizes.events:,} calendar events"
        )
    )
    result["aims"] = {
        "seconds": AIM_SECONDS,
        "peak_mb": AIM_MB,
        "f1": AIM_F1,
        "precision": AIM_PRECISION,
        "reviews": AIM_REVIEWS,
        "met": aims(result),
    }
    print_table(result)
    text = report(result, arguments)
    if not arguments.no_save:
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
        name = f"imports-{'independent-' if independent else ''}{result['database']}"
        (out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
        (out / f"{name}.md").write_text(text)
        print(f"Wrote {out / name}.json and .md")
    return 0 if all(result["aims"]["met"].values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--out", default=str(RESULTS), help="folder for the results")
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://user:password@host:port/name (a fresh database is made on that "
        "server); SQLite in a temporary folder when empty",
    )
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the imports here")
    parser.add_argument(
        "--generator",
        choices=("project", "people"),
        default="project",
        help="people: the independent population of bench/gen/people.py",
    )
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures without writing results"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--exports", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.child:
        return child(arguments)
    return parent(arguments)


if __name__ == "__main__":
    sys.exit(main())
