"""How fast follow churn is with a large X account: diffing two lists of 10,000,000 account ids,
and recomputing and reading a workspace's stored churn.

    .venv/bin/python bench/churn_bench.py [--ids 10000000] [--seed 1] [--runs 5]
        [--recompute-ids 1000000] [--snapshots 3] [--database-url postgres://...] [--no-save]

1. Generates two follower lists of ``--ids`` accounts each, as X ids look (a third old
   accounts with small ids, the rest 64-bit snowflakes), the newer one with ``--churn`` (2 %)
   of the older one gone and as many new accounts; times :func:`eyecontact.networks.churn.diff`
   (median of ``--runs``) and measures its memory: the numpy allocations it makes on top of
   its two inputs (``tracemalloc``, which numpy reports to) and the process's peak resident
   size (``ru_maxrss``). The aim: under 2 seconds and 1 GB.
2. In its own data folder (SQLite unless ``--database-url``), records ``--snapshots`` dated
   follower and following lists of ``--recompute-ids`` accounts each, times
   ``churn_recompute`` (diffs, state machine and writing every stored row) and the reads the
   churn pages make: a page of churners, of new followers, and a deep page of one-way follows.

Figures are printed and written to ``bench/results/churn.json`` and ``churn.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))

from eyecontact.networks.churn import IdArray, diff  # noqa: E402  # after the path is set

AIM_SECONDS = 2.0
AIM_MB = 1024.0
MB = 1024 * 1024


def x_ids(rng: np.random.Generator, count: int) -> IdArray:
    """``count`` distinct X-like account ids, sorted: old small ids and 64-bit snowflakes."""
    found = np.empty(0, dtype=np.uint64)
    while len(found) < count:
        missing = count - len(found) + 1000
        old = rng.integers(12, 5_000_000_000, size=missing // 3, dtype=np.uint64)
        new = rng.integers(
            700_000_000_000_000_000, 1_900_000_000_000_000_000, size=missing - len(old),
            dtype=np.uint64,
        )  # fmt: skip
        found = np.unique(np.concatenate((found, old, new)))
    # Drop the surplus at random; the ids stay sorted.
    return np.delete(found, rng.choice(len(found), size=len(found) - count, replace=False))


def next_list(rng: np.random.Generator, older: IdArray, churn: float) -> IdArray:
    """``older`` with a share ``churn`` of its accounts gone and as many new ones."""
    keep = rng.random(len(older)) >= churn
    newcomers = x_ids(rng, len(older) - int(np.count_nonzero(keep)))
    return np.union1d(older[keep], newcomers)


def peak_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / MB


def time_diff(older: IdArray, newer: IdArray, runs: int) -> dict[str, Any]:
    seconds = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        found = diff(older, newer)
        seconds.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    diff(older, newer)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    inputs = (older.nbytes + newer.nbytes) / MB
    return {
        "ids_older": len(older),
        "ids_newer": len(newer),
        "added": len(found.added),
        "removed": len(found.removed),
        "runs": runs,
        "median_s": round(statistics.median(seconds), 3),
        "max_s": round(max(seconds), 3),
        "inputs_mb": round(inputs, 1),
        "extra_peak_mb": round(peak / MB, 1),
        "total_peak_mb": round(inputs + peak / MB, 1),
        "process_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def configure(database_url: str, home: Path) -> None:
    """Points Django at the benchmark's own data folder and database, then sets it up."""
    (home / "static").mkdir(parents=True, exist_ok=True)
    os.environ["EYECONTACT_HOME"] = str(home)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "eyecontact.settings.development"
    os.environ["EYECONTACT_DEBUG"] = ""
    import django

    django.setup()


def timed(action: Callable[[], object], runs: int) -> tuple[float, object]:
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def recompute(arguments: argparse.Namespace, rng: np.random.Generator) -> dict[str, Any]:
    from django.core.management import call_command
    from django.core.paginator import Paginator
    from django.db import connection

    from eyecontact.accounts.models import User, Workspace
    from eyecontact.accounts.services import user_create, workspace_create
    from eyecontact.networks import snapshots

    call_command("migrate", verbosity=0)
    user = User.objects.filter(email="churn-bench@example.org").first() or user_create(
        email="churn-bench@example.org",
        password="bench-only-password-0",  # noqa: S106  # a throwaway local benchmark account
    )
    Workspace.objects.filter(name="Churn benchmark").delete()
    workspace = workspace_create(name="Churn benchmark", owner=user)

    followers = x_ids(rng, arguments.recompute_ids)
    following = np.union1d(
        rng.choice(followers, size=arguments.recompute_ids // 3, replace=False),
        x_ids(rng, arguments.recompute_ids - arguments.recompute_ids // 3),
    )
    store_seconds = []
    for month in range(arguments.snapshots):
        taken_on = dt.date(2025, 1 + month, 1)
        for kind, ids in (("follower", followers), ("following", following)):
            start = time.perf_counter()
            snapshots.snapshot_record(
                workspace=workspace, kind=kind, taken_on=taken_on, account_ids=ids, recompute=False
            )
            store_seconds.append(time.perf_counter() - start)
        # Followers come and go; the user follows a few of them back and drops a few others.
        not_followed = np.setdiff1d(followers, following, assume_unique=True)
        back = rng.choice(not_followed, size=int(len(following) * arguments.churn), replace=False)
        followers = next_list(rng, followers, arguments.churn)
        following = np.union1d(next_list(rng, following, arguments.churn / 4), back)

    recompute_s, summary = timed(
        lambda: snapshots.churn_recompute(workspace=workspace), arguments.recompute_runs
    )
    assert summary is not None  # noqa: S101  # the benchmark stops on a broken workload

    def page(rows: Any, number: int) -> list[Any]:
        return list(Paginator(rows, 50).get_page(number))

    reads = {
        "churners, page 1": lambda: page(snapshots.churners(workspace=workspace), 1),
        "new followers, page 1": lambda: page(
            snapshots.follow_changes(workspace=workspace, kind="follower_gained"), 1
        ),
        "new followers, page 100": lambda: page(
            snapshots.follow_changes(workspace=workspace, kind="follower_gained"), 100
        ),
        "they follow only, page 10,000": lambda: page(
            snapshots.one_way(workspace=workspace, direction="they_follow_only"), 10_000
        ),
        "summary": lambda: snapshots.churn_summary(workspace=workspace),
    }
    read_ms = {name: round(timed(read, 20)[0] * 1000, 2) for name, read in reads.items()}
    figures = {
        "database": connection.vendor,
        "snapshots_per_kind": arguments.snapshots,
        "ids_per_list": arguments.recompute_ids,
        "store_list_median_s": round(statistics.median(store_seconds), 3),
        "recompute_median_s": round(recompute_s, 3),
        "stored_changes": summary.changes,  # type: ignore[attr-defined]  # a ChurnSummary
        "stored_churners": summary.churners,  # type: ignore[attr-defined]  # a ChurnSummary
        "read_median_ms": read_ms,
    }
    Workspace.objects.filter(pk=workspace.pk).delete()
    return figures


def environment() -> dict[str, Any]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH is intended
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "commit": commit,
        "date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(figures: dict[str, Any]) -> str:
    d = figures["diff"]
    met = d["median_s"] < AIM_SECONDS and d["total_peak_mb"] < AIM_MB
    lines = [
        "# Follow churn",
        "",
        f"## Diff of two follower lists of {d['ids_older']:,} X account ids",
        "",
        f"{d['removed']:,} accounts gone and {d['added']:,} new ({figures['churn']:.0%} churn); "
        f"aim: under {AIM_SECONDS:.0f} s and {AIM_MB / 1024:.0f} GB.",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| Median time ({d['runs']} runs) | {d['median_s']} s |",
        f"| Slowest run | {d['max_s']} s |",
        f"| The two lists in memory | {d['inputs_mb']} MB |",
        f"| Peak numpy memory the diff adds | {d['extra_peak_mb']} MB |",
        f"| Peak with the lists | {d['total_peak_mb']} MB |",
        f"| Process peak resident size (with generating the lists) | "
        f"{d['process_peak_rss_mb']} MB |",
        f"| Aim met | {'yes' if met else 'no'} |",
    ]
    r = figures.get("recompute")
    if r:
        lines += [
            "",
            f"## Stored churn on {r['database']}: {r['snapshots_per_kind']} follower and "
            f"{r['snapshots_per_kind']} following lists of {r['ids_per_list']:,} ids",
            "",
            f"{r['stored_changes']:,} follow changes and {r['stored_churners']:,} churners stored.",
            "",
            "| Operation | Median |",
            "|---|---:|",
            f"| Record one list | {r['store_list_median_s']} s |",
            f"| Recompute all churn results | {r['recompute_median_s']} s |",
            *(f"| Read {name} | {ms} ms |" for name, ms in r["read_median_ms"].items()),
        ]
    about = figures["about"]
    lines += [
        "",
        f"Python {about['python']}, numpy {about['numpy']}, {about['machine']}, "
        f"commit {about['commit']}, {about['date']}.",
        "",
        "Run: `.venv/bin/python bench/churn_bench.py [--ids 10000000] [--seed 1]`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ids", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--churn", type=float, default=0.02)
    parser.add_argument("--recompute-ids", type=int, default=1_000_000)
    parser.add_argument("--recompute-runs", type=int, default=3)
    parser.add_argument("--snapshots", type=int, default=3)
    parser.add_argument("--skip-recompute", action="store_true")
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://user:password@host:port/name; SQLite in the data folder when empty",
    )
    parser.add_argument("--home", type=Path, help="the benchmark's own data folder")
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures without writing bench/results"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when the aim is missed")
    arguments = parser.parse_args(argv)

    rng = np.random.default_rng(arguments.seed)
    print(f"Generating two lists of {arguments.ids:,} ids…", flush=True)
    older = x_ids(rng, arguments.ids)
    newer = next_list(rng, older, arguments.churn)
    figures: dict[str, Any] = {"churn": arguments.churn, "seed": arguments.seed}
    figures["diff"] = time_diff(older, newer, arguments.runs)
    del older, newer
    print(json.dumps(figures["diff"], indent=2), flush=True)

    if not arguments.skip_recompute:
        vendor = "postgresql" if arguments.database_url.startswith("postgres") else "sqlite"
        home = arguments.home or Path(tempfile.gettempdir()) / f"eyecontact-churn-bench-{vendor}"
        configure(arguments.database_url, home)
        print(f"Recomputing stored churn in {home}…", flush=True)
        figures["recompute"] = recompute(arguments, rng)
    figures["about"] = environment()
    text = report(figures)
    print()
    print(text)
    if not arguments.no_save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "churn.json").write_text(json.dumps(figures, indent=2) + "\n")
        (RESULTS / "churn.md").write_text(text)
        print(f"Wrote {RESULTS / 'churn'}.json and .md")
    d = figures["diff"]
    met = d["median_s"] < AIM_SECONDS and d["total_peak_mb"] < AIM_MB
    return 0 if met or not arguments.strict else 1


if __name__ == "__main__":
    raise SystemExit(main())
