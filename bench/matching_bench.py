"""How fast and how well matching resolves a heavy user's address book, with the truth known.

    .venv/bin/python bench/matching_bench.py [--scale 1.0] [--seed 7] [--out bench/results]
        [--no-save]

The population comes from :func:`eyecontact.matching.synth.generate_population` (at scale 1.0:
30,000 LinkedIn connections, 5,000 Facebook friends, 105,000 followed X accounts, 3,000 vCards
and 7,000 calendar attendees, about 150,000 records). The benchmark

1. generates it (not timed as matching),
2. times :func:`eyecontact.matching.resolve` over all of it, and the peak resident memory of
   the process (and of any worker processes) while it runs,
3. scores the clusters against the truth: precision over all pairs, recall and F1 over the
   pairs the records can show to be one person (``Population.linkable``),
4. counts the review links, and how many of them are truly one person,
5. times a :class:`~eyecontact.matching.MatchIndex` over the same records (what an import
   builds of the people already known) and 2,000 single queries against it, each a record of
   the population looking for others,
6. prints a table and writes ``bench/results/matching.json`` and ``.md``, next to the
   figures of ``bench/results/matching-baseline.json`` (matching as it was before frequency
   weights, pruning and the review cap) when they measured the same population.

The aims: resolve in a few seconds at full scale, precision >= 0.995, F1 >= 0.98, and a review
queue a person can work through (a few hundred to a few thousand links).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(ROOT))

from eyecontact.matching import MatchIndex, resolve  # noqa: E402  # after the repo is on the path
from eyecontact.matching.records import PersonRecord  # noqa: E402
from eyecontact.matching.synth import generate_population, score_clusters  # noqa: E402

AIM_PRECISION = 0.995
AIM_F1 = 0.98
QUERIES = 2000


def _peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


def measure(seed: int, scale: float) -> dict[str, Any]:
    """Generate, resolve and score one population; the figures as a dict."""
    start = time.perf_counter()
    population = generate_population(seed, scale=scale)
    generated = time.perf_counter() - start
    rss_before = _peak_rss_mb()
    start, cpu_start = time.perf_counter(), time.process_time()
    resolution = resolve(population.records)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss_peak = _peak_rss_mb()
    quality = score_clusters(
        [c.ids for c in resolution.clusters], population.truth, recall_truth=population.linkable
    )
    truth = population.truth
    review_true = sum(1 for link in resolution.review if truth[link.a] == truth[link.b])
    per_cluster = Counter(link.a for link in resolution.review)
    by_source = Counter(record.source for record in population.records)

    index_seconds, query_ms = _time_index(population.records)
    return {
        "seed": seed,
        "scale": scale,
        "records": len(population.records),
        "records_by_source": dict(sorted(by_source.items())),
        "generate_seconds": round(generated, 2),
        "resolve_seconds": round(elapsed, 2),
        "resolve_cpu_seconds": round(cpu, 2),
        "peak_rss_mb": round(rss_peak, 1),
        "rss_before_resolve_mb": round(rss_before, 1),
        "clusters": len(resolution.clusters),
        "precision": round(quality.precision, 5),
        "recall_linkable": round(quality.recall, 5),
        "f1": round(quality.f1, 5),
        "predicted_pairs": quality.predicted_pairs,
        "correct_pairs": quality.correct_pairs,
        "true_pairs": quality.true_pairs,
        "review_links": len(resolution.review),
        "review_links_same_person": review_true,
        "max_review_links_per_record": max(per_cluster.values(), default=0),
        "index_cpu_seconds": round(index_seconds, 2),
        "index_queries": QUERIES,
        "index_query_cpu_ms": round(query_ms, 3),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }


def _time_index(records: Sequence[PersonRecord]) -> tuple[float, float]:
    """Processor seconds to index ``records``, and milliseconds per query against it."""
    start = time.process_time()
    index = MatchIndex(records)
    built = time.process_time() - start
    queries = records[:: max(1, len(records) // QUERIES)][:QUERIES]
    start = time.process_time()
    for query in queries:
        index.candidates(query, limit=5)
    return built, (time.process_time() - start) / len(queries) * 1000


def _rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    index = []
    if "index_cpu_seconds" in result:  # figures from before the index was measured lack it
        index = [
            ("index of all records", f"{result['index_cpu_seconds']:.2f} s CPU"),
            (
                "one query against it",
                f"{result['index_query_cpu_ms']:.2f} ms CPU (mean of {result['index_queries']:,})",
            ),
        ]
    return [
        ("records", f"{result['records']:,}"),
        (
            "resolve time",
            f"{result['resolve_seconds']:.2f} s wall, {result['resolve_cpu_seconds']:.2f} s CPU",
        ),
        ("peak memory (process)", f"{result['peak_rss_mb']:.0f} MB"),
        ("clusters", f"{result['clusters']:,}"),
        ("precision", f"{result['precision']:.4f}"),
        ("recall (linkable)", f"{result['recall_linkable']:.4f}"),
        ("F1 (linkable)", f"{result['f1']:.4f}"),
        (
            "review links",
            f"{result['review_links']:,} ({result['review_links_same_person']:,} truly one person)",
        ),
        *index,
    ]


def report(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """The figures as a Markdown table, next to ``baseline`` when it measured the same
    population."""
    rows = _rows(result)
    same = baseline is not None and (baseline["seed"], baseline["scale"]) == (
        result["seed"],
        result["scale"],
    )
    if baseline is not None and same:
        before = dict(_rows(baseline))
        header = f"| figure | now | before ({baseline['commit']}) |\n|---|---|---|"
        table = [f"| {name} | {value} | {before.get(name, '—')} |" for name, value in rows]
    else:
        header = "| figure | value |\n|---|---|"
        table = [f"| {name} | {value} |" for name, value in rows]
    lines = [
        f"# Matching benchmark (seed {result['seed']}, scale {result['scale']})",
        "",
        header,
        *table,
        "",
        f"Aims: precision >= {AIM_PRECISION}, F1 >= {AIM_F1}, a review queue of a few hundred "
        "to a few thousand links, a few seconds.",
        f"Records by source: {result['records_by_source']}. "
        f"Python {result['python']} on {result['machine']}; the population is generated in "
        f"{result['generate_seconds']:.1f} s, outside the timed part. Wall time counts other "
        "work on the machine; CPU time is matching's own.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is about 150,000 records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(RESULTS), help="folder for the results")
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures without writing results"
    )
    arguments = parser.parse_args(argv)
    result = measure(arguments.seed, arguments.scale)
    baseline_file = RESULTS / "matching-baseline.json"
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else None
    text = report(result, baseline)
    print(text)
    if not arguments.no_save:
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "matching.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (out / "matching.md").write_text(text, encoding="utf-8")
    ok = result["precision"] >= AIM_PRECISION and result["f1"] >= AIM_F1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
