"""How fast waiting booth captures are matched to people, with a real ledger behind them.

    .venv/bin/python bench/capture_resolve_bench.py [--people 20000] [--touches 100000]
        [--captures 5000] [--batch 100] [--single 300] [--label after]
        [--postgresql | --database-url postgres://...] [--no-save]

After a rush at the booth (``bench/capture_load.py``) the phones have their answers and the
server matches the captures behind them (``eyecontact/events/resolver.py``), a batch of
``captures_resolve_waiting`` at a time. This measures that work alone, in one process, so its
cost can be read in CPU time rather than in a wall clock shared with other work:

1. migrates a fresh data folder and fills a ledger like ``bench/people_bench.py`` does
   (``--people`` people with an e-mail each, ``--touches`` touches), with an event, an exhibit
   and its staff member;
2. stores ``--captures`` captures as the phones send them (``capture_load.visitor``: 70%
   MECARD badges with an e-mail, 30% typed names, 30% conversations) through ``capture_store``;
3. resolves them ``--batch`` at a time, as the resolver does once the floor is quiet, timing
   the process's CPU (``time.process_time``), the wall clock and, on PostgreSQL, the CPU of
   the database's own process for this connection, and counting the queries;
4. stores ``--single`` more and resolves them one at a time, as the resolver does during a
   rush;
5. checks the outcome (every capture resolved, one in-person touch per conversation) and
   writes the figures under ``--label`` (``before`` or ``after`` a change) into
   ``bench/results/capture-resolve.json``; ``.md`` shows every database and label side by
   side.

``--postgresql`` without ``--database-url`` runs itself again under ``scripts/with-postgres``,
which starts a throwaway server and removes it afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Both need ROOT on the path.
from bench.capture_load import visitor  # noqa: E402
from bench.people_bench import configure, fill  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
SEED = 20260918
CONVERSATION_SHARE = 0.3


@dataclass(frozen=True)
class Pass:
    """One way of resolving a backlog of captures: in batches, or one at a time."""

    captures: int
    batch: int
    wall_s: float
    cpu_s: float
    database_cpu_s: float | None
    queries: int
    captures_per_second: float
    cpu_ms_per_capture: float
    database_cpu_ms_per_capture: float | None
    queries_per_capture: float


class QueryCounter:
    """Counts the statements the connection runs (an ``execute_wrapper``)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def backend_cpu_s() -> float | None:
    """CPU seconds used so far by the PostgreSQL process serving this connection, if readable."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server on another machine
    # utime and stime, the 14th and 15th fields of stat (11th and 12th after the name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def store(exhibit: Any, user: Any, rng: random.Random, count: int, first: int) -> list[str]:
    """Stores ``count`` captures as the phones send them; returns the conversations' ids."""
    from eyecontact.events.exhibits import capture_store

    conversations = []
    for n in range(first, first + count):
        body = visitor(rng, n, CONVERSATION_SHARE)
        client_id = uuid.UUID(body.pop("client_id"))
        capture_store(exhibit=exhibit, actor=user, client_id=client_id, actor_is_staff=True, **body)
        if body["kind"] == "conversation":
            conversations.append(str(client_id))
    return conversations


def resolve(exhibit: Any, batch: int) -> Pass:
    """Resolves every waiting capture of ``exhibit``, ``batch`` at a time, measured."""
    from django.db import connection

    from eyecontact.events.exhibits import captures_resolve_waiting

    counter = QueryCounter()
    database_before = backend_cpu_s()
    done = 0
    with connection.execute_wrapper(counter):
        wall, cpu = time.perf_counter(), time.process_time()
        while resolved := captures_resolve_waiting(limit=batch, exhibit=exhibit):
            done += resolved
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    database_after = backend_cpu_s()
    database = (
        None
        if database_before is None or database_after is None
        else database_after - database_before
    )
    return Pass(
        captures=done,
        batch=batch,
        wall_s=round(wall, 2),
        cpu_s=round(cpu, 2),
        database_cpu_s=None if database is None else round(database, 2),
        queries=counter.count,
        captures_per_second=round(done / wall, 1) if wall else 0.0,
        cpu_ms_per_capture=round(cpu * 1000 / done, 2) if done else 0.0,
        database_cpu_ms_per_capture=(
            None if database is None or not done else round(database * 1000 / done, 2)
        ),
        queries_per_capture=round(counter.count / done, 1) if done else 0.0,
    )


def add_touches(workspace: Any, user: Any, count: int) -> None:
    """``count`` touches of one person each, most with a few people met often, then the
    figures the lists sort on. (``people_bench.fill`` computes those before the tables are
    analysed, which takes PostgreSQL minutes for even a small ledger.)"""
    import datetime as dt

    from django.db import connection, transaction

    from eyecontact.people.models import Person, Touch
    from eyecontact.people.services import person_refresh_figures

    rng = random.Random(SEED + 1)  # noqa: S311  # a reproducible workload, not a secret
    ids = list(Person.objects.filter(workspace=workspace).values_list("pk", flat=True))
    met = ids[: len(ids) * 6 // 10]  # four in ten are never touched
    weights = [1.0 / (rank + 10) ** 0.9 for rank in range(len(met))]
    channels = ("in_person", "phone", "video", "message", "email", "social")
    now = dt.datetime.now(tz=dt.UTC)
    through = Touch.people.through
    with transaction.atomic():
        for start in range(0, count, 10_000):
            size = min(10_000, count - start)
            touches = Touch.objects.bulk_create(
                [
                    Touch(
                        workspace=workspace,
                        channel=rng.choices(channels, weights=(18, 10, 10, 27, 30, 5))[0],
                        occurred_at=now - dt.timedelta(seconds=rng.randrange(315_360_000)),
                        created_by=user,
                    )
                    for _ in range(size)
                ],
                batch_size=2000,
            )
            people = rng.choices(met, weights=weights, k=size)
            through.objects.bulk_create(
                [
                    through(touch_id=touch.pk, person_id=person)
                    for touch, person in zip(touches, people, strict=True)
                ],
                batch_size=5000,
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    with transaction.atomic():
        person_refresh_figures(ids)
    print(f"  {count:,} touches and their figures")


def run(arguments: argparse.Namespace) -> dict[str, Any]:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from eyecontact.events.exhibits import exhibit_create
    from eyecontact.events.models import Capture
    from eyecontact.events.services import event_create
    from eyecontact.people.models import Person, Touch

    call_command("migrate", verbosity=0)
    user, workspace = fill(people=arguments.people, touches=0, fresh=True)
    add_touches(workspace, user, arguments.touches)
    event = event_create(workspace=workspace, name="Trade fair", starts_on=dt.date(2026, 3, 3))
    exhibit = exhibit_create(event=event, name="Booth B12", staff=[user])
    rng = random.Random(SEED)  # noqa: S311  # a reproducible workload, not a secret
    started = time.perf_counter()
    conversations = store(exhibit, user, rng, arguments.captures, 1)
    print(f"Stored {arguments.captures:,} captures in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    load_before = round(os.getloadavg()[0], 2)
    batched = resolve(exhibit, arguments.batch)
    print(f"Resolved in batches of {arguments.batch}: {json.dumps(asdict(batched))}")
    conversations += store(exhibit, user, rng, arguments.single, arguments.captures + 1)
    single = resolve(exhibit, 1)
    print(f"Resolved one at a time: {json.dumps(asdict(single))}")
    captures = Capture.objects.filter(exhibit=exhibit)
    touches = set(
        Touch.objects.filter(workspace=workspace, source_key__startswith="capture:").values_list(
            "source_key", flat=True
        )
    )
    checks = {
        "captures": captures.count(),
        "still_waiting": captures.filter(resolved_at__isnull=True).count(),
        "without_person": captures.filter(person__isnull=True).count(),
        "conversations": len(conversations),
        "conversation_touches": Touch.objects.filter(
            workspace=workspace, source_key__startswith="capture:"
        ).count(),
        "conversations_without_their_touch": sum(
            f"capture:{client_id}" not in touches for client_id in conversations
        ),
        "people_before": arguments.people,
        "people_after": Person.objects.filter(workspace=workspace).count(),
    }
    print(f"Checks: {json.dumps(checks)}")
    return {
        "batched": asdict(batched),
        "single": asdict(single),
        "checks": checks,
        "environment": environment(load_before, arguments.commit),
    }


def environment(load_before: float, commit: str) -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    commit = (
        commit
        or subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH, as make does
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    return {
        "database": f"{'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'} {version}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 2),
        "commit": commit,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def database_table(labels: dict[str, Any]) -> list[str]:
    """One database and ledger's figures, a column per label (before, after)."""
    names = [label for label in ("before", "after") if label in labels]
    names += sorted(set(labels) - {"before", "after"})
    ledger = labels[names[0]]["ledger"]
    people = ledger["people"]
    lines = [
        f"## {labels[names[0]]['environment']['database']}, {people:,} people, "
        f"{ledger['touches']:,} touches",
        "",
    ]
    lines += ["| Figure | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def row(title: str, cells: list[str]) -> str:
        return f"| {title} | " + " | ".join(cells) + " |"

    for mode in ("batched", "single"):
        first = labels[names[0]][mode]
        how = f"in batches of {first['batch']}" if mode == "batched" else "one at a time"
        for title, key, unit in (
            ("Captures resolved", "captures", ""),
            ("Captures a second", "captures_per_second", ""),
            ("CPU ms per capture", "cpu_ms_per_capture", ""),
            ("Database CPU ms per capture", "database_cpu_ms_per_capture", ""),
            ("Queries per capture", "queries_per_capture", ""),
            ("Wall seconds", "wall_s", " s"),
        ):
            values = [labels[name][mode].get(key) for name in names]
            lines.append(
                row(
                    f"{title}, {how}",
                    ["–" if v is None else f"{v:,}{unit}" for v in values],
                )
            )
    checks = [labels[name]["checks"] for name in names]
    lines.append(
        row(f"People after (before: {people:,})", [f"{c['people_after']:,}" for c in checks])
    )
    lines.append(
        row(
            "Conversations / their in-person touches",
            [f"{c['conversations']:,} / {c['conversation_touches']:,}" for c in checks],
        )
    )
    lines.append("")
    for name in names:
        env = labels[name]["environment"]
        lines.append(
            f"- {name}: commit {env['commit']}, {env['date']}, Python {env['python']}, "
            f"Django {env['django']}, {env['machine']}, load average "
            f"{env['load_average_before']} before, {env['load_average_after']} after."
        )
    lines.append("")
    return lines


def report(results: dict[str, Any]) -> str:
    lines = [
        "# Matching booth captures to people",
        "",
        "Waiting captures (as `bench/capture_load.py` sends them: 70% MECARD badges with an "
        "e-mail, 30% typed names, 30% conversations) resolved against a ledger of people "
        "with an e-mail each and touches (a few thousand people, and 20,000), in one process: "
        "finding or making each capture's person and logging each conversation as an "
        "in-person touch. CPU is the resolving process's (`time.process_time`); on PostgreSQL "
        "the database's CPU for the connection is shown beside it (SQLite works inside the "
        "process: its CPU is in the process's). The machine has 2 CPUs "
        "shared with other work: read CPU, not the wall clock, and note the load.",
        "",
        "Most of what is left is the matcher: each name is compared with up to 300 people "
        "who share a word of it (`people_like`), so its cost grows with the ledger until that "
        "cap, and fewer would make common names look rare to it (more wrong merges).",
        "",
    ]
    for _, labels in sorted(results["runs"].items()):
        lines += database_table(labels)
    lines += [
        "Run: `make bench-capture-resolve` (both databases), or "
        "`.venv/bin/python bench/capture_resolve_bench.py [--postgresql] [--label after]`.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--captures", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=100, help="captures per resolving batch")
    parser.add_argument("--single", type=int, default=300, help="captures resolved one by one")
    parser.add_argument("--label", default="after", help="before or after a change")
    parser.add_argument(
        "--postgresql", action="store_true", help="a throwaway PostgreSQL server for the run"
    )
    parser.add_argument("--database-url", default="", help="postgres://...; SQLite when empty")
    parser.add_argument("--no-save", action="store_true", help="print, keep the results")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the figures go")
    parser.add_argument("--commit", default="", help="the code measured, when not a checkout")
    arguments = parser.parse_args()
    if arguments.postgresql and not arguments.database_url:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            helper = str(ROOT / "scripts" / "with-postgres")
            os.execv(helper, [helper, sys.executable, __file__, *sys.argv[1:]])  # noqa: S606  # our own script
        arguments.database_url = url
    home = Path(tempfile.mkdtemp(prefix="eyecontact-capture-resolve-"))
    configure(arguments.database_url, home)
    try:
        outcome = run(arguments)
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(home, ignore_errors=True)
    if arguments.no_save:
        return
    arguments.results.mkdir(exist_ok=True)
    path = arguments.results / "capture-resolve.json"
    results = json.loads(path.read_text()) if path.exists() else {"runs": {}}
    database = "postgresql" if arguments.database_url else "sqlite"
    ledger = f"{database}, {arguments.people:,} people"
    outcome["ledger"] = {"people": arguments.people, "touches": arguments.touches}
    results["runs"].setdefault(ledger, {})[arguments.label] = outcome
    path.write_text(json.dumps(results, indent=2) + "\n")
    (arguments.results / "capture-resolve.md").write_text(report(results))
    print(f"Wrote {path} and capture-resolve.md")


if __name__ == "__main__":
    main()
