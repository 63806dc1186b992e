"""How fast and how well matching resolves a heavy user's address book, with the truth known.

    .venv/bin/python bench/matching_bench.py [--scale 1.0] [--seed 7] [--out bench/results]
        [--no-save]

The population comes from :func:`bench.gen.synth.generate_population` (at scale 1.0:
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

Matching was tuned on that generator, so the same run also measures it on data it was not tuned
on, from the independent generator :mod:`bench.gen.people` (see its docstring for the traits):

7. a heavy user's network of about 150,000 records at scale 1.0: precision, recall against
   every same-person pair and against the pairs a person would join at a glance
   (``evident``), the review queue and how much of it is truly one person;
8. a flat link task, 30,000 CRM rows against 100,000 contact fragments at scale 1.0, scored
   over (CRM row, fragment) pairs, for :func:`eyecontact.matching.resolve` and, in the same
   run, for Splink with its DuckDB backend (``bench/splink_link.py``, run by
   ``--splink-python``, a Python that has ``splink`` installed; skipped without one).

``--code DIR`` imports :mod:`eyecontact.matching` from another checkout (``DIR``), to measure old
and new code alternately on the same workload.
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
if "--code" in sys.argv:  # matching from another checkout, before anything imports it
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

from eyecontact.matching import MatchIndex, resolve  # noqa: E402  # after the repo is on the path
from eyecontact.matching.records import PersonRecord  # noqa: E402

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


def _generator(name: str) -> Any:
    """``bench/gen/<name>.py`` of this checkout, imported with this checkout first on the path
    so that ``--code`` (whose checkout has a ``bench`` of its own) cannot shadow it."""
    import importlib  # noqa: PLC0415

    sys.path.insert(0, str(ROOT))
    try:
        return importlib.import_module(f"bench.gen.{name}")
    finally:
        sys.path.remove(str(ROOT))


def generate_population(seed: int, *, scale: float) -> Any:
    """The project's own generator's population (:mod:`bench.gen.synth`)."""
    return _generator("synth").generate_population(seed, scale=scale)


def score_clusters(clusters: Any, truth: Any, recall_truth: Any = None) -> Any:
    """Pairwise precision and recall of clusters (:func:`bench.gen.score.score_clusters`)."""
    return _generator("score").score_clusters(clusters, truth, recall_truth=recall_truth)


def _people_generator() -> Any:
    """:mod:`bench.gen.people`."""
    return _generator("people")


def _pair_score(predicted: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, Any]:
    correct = len(predicted & true)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
        "predicted_pairs": len(predicted),
        "true_pairs": len(true),
    }


def measure_network(seed: int, scale: float) -> dict[str, Any]:
    """Resolve the independent generator's heavy user and score it."""
    people = _people_generator()
    start = time.perf_counter()
    network = people.network_records(seed, scale)
    generated = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    resolution = resolve(network.records)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    clusters = [c.ids for c in resolution.clusters]
    every = score_clusters(clusters, network.truth)
    evident = score_clusters(clusters, network.truth, recall_truth=network.evident)
    truth = network.truth
    review_true = sum(1 for link in resolution.review if truth[link.a] == truth[link.b])
    return {
        "seed": seed,
        "scale": scale,
        "records": len(network.records),
        "records_by_source": dict(sorted(Counter(r.source for r in network.records).items())),
        "generate_seconds": round(generated, 2),
        "resolve_seconds": round(elapsed, 2),
        "resolve_cpu_seconds": round(cpu, 2),
        "precision": round(every.precision, 5),
        "recall_all": round(every.recall, 5),
        "recall_evident": round(evident.recall, 5),
        "f1_evident": round(evident.f1, 5),
        "f1_all": round(every.f1, 5),
        "true_pairs": every.true_pairs,
        "evident_pairs": evident.true_pairs,
        "predicted_pairs": every.predicted_pairs,
        "review_links": len(resolution.review),
        "review_links_same_person": review_true,
    }


def measure_link(seed: int, scale: float, splink_python: str | None) -> dict[str, Any]:
    """The flat link task: matching's ``resolve`` and, when it can be run, Splink."""
    people = _people_generator()
    task = people.link_task(seed, scale)
    left_ids = {r.id for r in task.left}
    by_person: dict[int, list[str]] = {}
    for record in task.right:
        by_person.setdefault(task.truth[record.id], []).append(record.id)
    true = {(c.id, r) for c in task.left for r in by_person.get(task.truth[c.id], ())}
    evident = {(a, b) for a, b in true if task.evident[a] == task.evident[b]}

    start, cpu_start = time.perf_counter(), time.process_time()
    resolution = resolve([*task.left, *task.right])
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    predicted: set[tuple[str, str]] = set()
    for cluster in resolution.clusters:
        lefts = [i for i in cluster.ids if i in left_ids]
        rights = [i for i in cluster.ids if i not in left_ids]
        predicted.update((str(a), str(b)) for a in lefts for b in rights)
    result: dict[str, Any] = {
        "seed": seed,
        "scale": scale,
        "left": len(task.left),
        "right": len(task.right),
        "resolve": {
            **_pair_score(predicted, true),
            "recall_evident": _pair_score(predicted & evident, evident)["recall"],
            "seconds": round(elapsed, 2),
            "cpu_seconds": round(cpu, 2),
        },
    }
    if splink_python:
        result["splink"] = _run_splink(task, splink_python, true, evident, left_ids)
    return result


def _splink_rows(records: Sequence[PersonRecord]) -> list[dict[str, str]]:
    """Records as a Splink user would prepare them: names folded and split at the last word,
    "Last, First" read, e-mail, its user part, phone digits, company and city folded."""
    from eyecontact.matching.normalize import fold_name  # noqa: PLC0415

    rows = []
    for record in records:
        text = record.full_name
        if record.given_name or record.family_name:
            first, surname = fold_name(record.given_name), fold_name(record.family_name)
        elif "," in text:
            surname, _, first = (fold_name(part) for part in text.partition(","))
        elif "@" in text:
            first = surname = ""
        else:
            words = fold_name(text).split()
            first = " ".join(words[:-1]) if len(words) > 1 else (words[0] if words else "")
            surname = words[-1] if len(words) > 1 else ""
        email = record.emails[0].lower() if record.emails else ""
        rows.append(
            {
                "unique_id": str(record.id),
                "first_name": first,
                "surname": surname,
                "email": email,
                "email_user": email.partition("@")[0],
                "phone": "".join(ch for ch in record.phones[0] if ch.isdigit())
                if record.phones
                else "",
                "company": fold_name(record.organization),
                "city": fold_name(record.city),
            }
        )
    return rows


def _run_splink(
    task: Any,
    python: str,
    true: set[tuple[str, str]],
    evident: set[tuple[str, str]],
    left_ids: set[Any],
) -> dict[str, Any]:
    import csv  # noqa: PLC0415
    import subprocess  # noqa: PLC0415  # runs a Python the user named
    import tempfile  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        for name, records in (("left.csv", task.left), ("right.csv", task.right)):
            rows = _splink_rows(records)
            with (base / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        start = time.perf_counter()
        subprocess.run(  # noqa: S603  # the benchmark's own script, in the named Python
            [python, str(ROOT / "bench" / "splink_link.py"), folder], check=True
        )
        wall = time.perf_counter() - start
        facts = json.loads((base / "splink.json").read_text())
        predicted: set[tuple[str, str]] = set()
        with (base / "splink_pairs.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                a, b = row["left"], row["right"]
                predicted.add((a, b) if a in left_ids else (b, a))
    return {
        **_pair_score(predicted, true),
        "recall_evident": _pair_score(predicted & evident, evident)["recall"],
        "seconds": facts["seconds"],
        "process_seconds": round(wall, 2),
        "version": facts["version"],
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


def report_independent(network: dict[str, Any] | None, link: dict[str, Any] | None) -> str:
    """The figures on data matching was not tuned on, as Markdown."""
    lines = []
    if network is not None:
        lines += [
            f"## Independent generator: a heavy user's network (seed {network['seed']}, "
            f"scale {network['scale']})",
            "",
            "| figure | value |",
            "|---|---|",
            f"| records | {network['records']:,} |",
            f"| resolve time | {network['resolve_seconds']:.2f} s wall, "
            f"{network['resolve_cpu_seconds']:.2f} s CPU |",
            f"| precision | {network['precision']:.4f} |",
            f"| recall (every same-person pair) | {network['recall_all']:.4f} |",
            f"| recall (pairs a person would join at a glance) | {network['recall_evident']:.4f} |",
            f"| F1 (at a glance) | {network['f1_evident']:.4f} |",
            f"| review links | {network['review_links']:,} "
            f"({network['review_links_same_person']:,} truly one person) |",
            "",
            f"Records by source: {network['records_by_source']}. Pairs: "
            f"{network['true_pairs']:,} same-person, {network['evident_pairs']:,} at a glance.",
            "",
        ]
    if link is not None:
        rows = [("eyecontact.matching.resolve", link["resolve"])]
        if "splink" in link:
            rows.append((f"Splink {link['splink']['version']} (DuckDB)", link["splink"]))
        lines += [
            f"## Flat link task (seed {link['seed']}, scale {link['scale']}): "
            f"{link['left']:,} CRM rows against {link['right']:,} fragments",
            "",
            "| matcher | precision | recall | recall (at a glance) | F1 | wall time |",
            "|---|---|---|---|---|---|",
            *(
                f"| {name} | {r['precision']:.4f} | {r['recall']:.4f} | "
                f"{r['recall_evident']:.4f} | {r['f1']:.4f} | {r['seconds']:.2f} s |"
                for name, r in rows
            ),
            "",
            "Scored over (CRM row, fragment) pairs; for resolve, every CRM row and fragment in "
            "one cluster is a predicted pair. Splink's time counts its training (random "
            "sampling, two EM passes) and prediction at match probability >= 0.9, not the "
            "start of its Python.",
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
    parser.add_argument(
        "--only",
        choices=("synth", "network", "link"),
        action="append",
        help="run only these parts (default: all three)",
    )
    parser.add_argument("--splink-python", help="a Python with splink, for the link task")
    parser.add_argument("--code", help="import eyecontact.matching from this checkout")
    arguments = parser.parse_args(argv)
    parts = set(arguments.only or ("synth", "network", "link"))
    result = measure(arguments.seed, arguments.scale) if "synth" in parts else None
    network = measure_network(arguments.seed, arguments.scale) if "network" in parts else None
    link = (
        measure_link(arguments.seed, arguments.scale, arguments.splink_python)
        if "link" in parts
        else None
    )
    baseline_file = RESULTS / "matching-baseline.json"
    baseline = json.loads(baseline_file.read_text()) if baseline_file.exists() else None
    text = report(result, baseline) if result is not None else ""
    text += report_independent(network, link)
    print(text)
    if not arguments.no_save:
        out = Path(arguments.out)
        out.mkdir(parents=True, exist_ok=True)
        figures = {**(result or {}), "independent_network": network, "link_task": link}
        (out / "matching.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        (out / "matching.md").write_text(text, encoding="utf-8")
    ok = result is None or (result["precision"] >= AIM_PRECISION and result["f1"] >= AIM_F1)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
