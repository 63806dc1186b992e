"""How fast the people pages are with a big network: 100,000 people and 1,000,000 touches.

    .venv/bin/python bench/people_bench.py [--people 100000] [--touches 1000000]
        [--requests 200] [--database-url postgres://...] [--home DIR] [--fresh]

The benchmark runs in its own data folder (``--home``, default a folder under the system's
temporary directory, one per database), never in the user's. It

1. migrates and, unless the folder already holds a workspace of the asked size, fills one:
   people with an e-mail each, most with a LinkedIn connection, touches spread over ten years
   with a long tail (a few people are met every week, most never), some at events, some with
   two or three people; the per-person figures the lists sort on are computed in SQL afterwards;
2. logs a member in with Django's test client and times, server-side and without a network,
   requests to the web app's real pages: the people list sorted, the people list searched, a
   person's page, and logging a touch from a person's page;
3. prints the median and 95th percentile of each, with the queries one request makes, and
   writes them to ``bench/results/people-<database>.json`` and ``.md``.

The aim is a 95th percentile under 100 ms for each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
AIM_MS = 100.0
SEED = 20260108
SLUG_NAME = "Benchmark network"
BENCH_EMAIL = "bench@example.org"
BENCH_PASSWORD = "bench-only-password-0"  # noqa: S105  # a throwaway local benchmark account

GIVEN = (  # noqa: SIM905  # word lists read better as text
    "Anna Ben Carla David Elena Farid Grace Hugo Ines Jonas Kemal Lea Marco Nadia Oskar Paula "
    "Quentin Rosa Sven Tara Umar Vera Willem Xenia Yusuf Zoe Amelie Bruno Chiara Dmitri Emma "
    "Felix Greta Henrik Ida Jan Katja Lukas Mia Noah Olga Pavel Rania Sofia Tobias Ulla "
    "Viktor Wanda Yara Zeynep Aaron Beatriz Cem Daria Erik Fatima Gustav Hana Ivan Julia"
).split()
FAMILY = (  # noqa: SIM905  # word lists read better as text
    "Schmidt Müller Rossi Nowak Novak Garcia Martin Bernard Dubois Jensen Hansen Nielsen "
    "Johansson Andersson Kowalski Silva Santos Costa Yilmaz Kaya Demir Ivanova Petrov Smirnov "
    "Horvat Kovacs Nagy Popescu Ionescu Papadopoulos Murphy Kelly O'Brien Walsh Smith Jones "
    "Taylor Brown Williams Wilson Evans Thomas Roberts Fischer Weber Meyer Wagner Becker "
    "Schulz Hoffmann Koch Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger "
    "Hofmann Hartmann Lange Schmitt Werner Krause Meier Lehmann Schmid Schulze Maier Köhler "
    "Herrmann König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn "
    "Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke "
    "Albrecht"
).split()
ORGANIZATIONS = [
    f"{prefix} {suffix}"
    for prefix in (  # noqa: SIM905  # word lists read better as text
        "Acme Northwind Globex Initech Umbrella Stark Wayne Hooli Vandelay Wonka Tyrell "
        "Cyberdyne Soylent Aperture Massive Dynamic Gringotts Oceanic Pied Piper Monarch"
    ).split()
    for suffix in ("GmbH", "Labs", "Systems", "Partners", "Group")
]
TITLES = (
    "Engineer",
    "Product Manager",
    "Designer",
    "Founder",
    "Sales Director",
    "Researcher",
    "Consultant",
    "CTO",
    "Head of Marketing",
    "Account Executive",
)
CITIES = (  # noqa: SIM905  # word lists read better as text
    "Berlin Hamburg Munich Vienna Zurich Paris Lyon Madrid Lisbon Milan Rome Amsterdam "
    "Copenhagen Stockholm Oslo Warsaw Prague Dublin London Manchester Istanbul Athens"
).split()
# How touches are spread over channels, as in a typical user's imported history.
CHANNEL_WEIGHTS = {
    "in_person": 18,
    "phone": 10,
    "video": 10,
    "message": 27,
    "email": 30,
    "social": 5,
}


@dataclass(frozen=True)
class Figure:
    """The timing of one operation over many requests."""

    operation: str
    url: str
    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    queries: int


def configure(database_url: str, home: Path) -> None:
    """Points Django at the benchmark's own data folder and database, then sets it up."""
    # The static folder too, so serving static files has nothing to warn about.
    (home / "static").mkdir(parents=True, exist_ok=True)
    os.environ["EYECONTACT_HOME"] = str(home)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "eyecontact.settings.development"
    os.environ["EYECONTACT_DEBUG"] = ""
    # Django's test client calls itself "testserver".
    os.environ["EYECONTACT_ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def default_home(database_url: str) -> Path:
    vendor = "postgresql" if database_url.startswith(("postgres", "pgsql")) else "sqlite"
    return Path(tempfile.gettempdir()) / f"eyecontact-bench-{vendor}"


def batched(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def fill(*, people: int, touches: int, fresh: bool) -> Any:
    """The benchmark workspace with ``people`` people and ``touches`` touches (built if needed)."""
    from django.db import connection, transaction
    from django.db.models import Count, Max, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from eyecontact.accounts.models import User, Workspace
    from eyecontact.accounts.services import user_create, workspace_create
    from eyecontact.events.models import Event
    from eyecontact.people.choices import HIGH_TOUCH_CHANNELS, IdentityKind, Source
    from eyecontact.people.models import Connection, Identity, Person, Touch
    from eyecontact.people.search import people_index_search
    from eyecontact.people.services import person_derive_fields

    user = User.objects.filter(email=BENCH_EMAIL).first()
    workspace = Workspace.objects.filter(name=SLUG_NAME).first()
    if workspace is not None and not fresh:
        have_people = Person.objects.filter(workspace=workspace).count()
        have_touches = Touch.objects.filter(workspace=workspace).count()
        # Logged touches add a few hundred per run; anything within 1% is the same workload.
        if have_people == people and abs(have_touches - touches) <= max(touches // 100, 1000):
            print(f"Reusing the workspace: {have_people:,} people, {have_touches:,} touches")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            return user, workspace
    if workspace is not None:
        print("Removing the previous benchmark workspace")
        with transaction.atomic():
            workspace.delete()
    if user is None:
        user = user_create(email=BENCH_EMAIL, password=BENCH_PASSWORD)
    workspace = workspace_create(name=SLUG_NAME, owner=user, default_region="DE")

    rng = random.Random(SEED)
    started = time.perf_counter()
    now = dt.datetime.now(tz=dt.UTC)

    events = [
        Event(
            workspace=workspace,
            name=f"{rng.choice(('Summit', 'Meetup', 'Expo', 'Dinner', 'Conf'))} {n}",
            kind=rng.choice(list(Event.Kind.values)),
            city=rng.choice(CITIES),
            starts_on=(day := (now - dt.timedelta(days=rng.randrange(3650))).date()),
            ends_on=day + dt.timedelta(days=rng.randrange(3)),
            source=Source.DEMO,
        )
        for n in range(max(people // 200, 1))
    ]
    Event.objects.bulk_create(events, batch_size=1000)
    event_ids = list(Event.objects.filter(workspace=workspace).values_list("pk", flat=True))

    with transaction.atomic():
        for chunk in batched(people, 5000):
            rows = []
            for n in chunk:
                given, family = rng.choice(GIVEN), rng.choice(FAMILY)
                person = Person(
                    workspace=workspace,
                    given_name=given,
                    family_name=family,
                    display_name=f"{given} {family}",
                    organization=rng.choice(ORGANIZATIONS) if rng.random() < 0.8 else "",
                    title=rng.choice(TITLES) if rng.random() < 0.6 else "",
                    city=rng.choice(CITIES) if rng.random() < 0.7 else "",
                    source=Source.IMPORT,
                    source_key=f"bench:{n}",
                )
                person_derive_fields(person, emails=[email_of(given, family, n)])
                rows.append(person)
            Person.objects.bulk_create(rows, batch_size=1000)
    person_ids = list(
        Person.objects.filter(workspace=workspace).order_by("pk").values_list("pk", flat=True)
    )
    print(f"  {len(person_ids):,} people in {time.perf_counter() - started:.0f} s")
    with transaction.atomic():
        people_index_search(person_ids)
    print(f"  their search words in {time.perf_counter() - started:.0f} s")

    with transaction.atomic():
        names = Person.objects.filter(workspace=workspace).order_by("pk")
        identities = []
        connections = []
        for n, (pk, given, family) in enumerate(
            names.values_list("pk", "given_name", "family_name").iterator(chunk_size=5000)
        ):
            identities.append(
                Identity(
                    workspace=workspace,
                    person_id=pk,
                    kind=IdentityKind.EMAIL,
                    value=email_of(given, family, n),
                    source=Source.IMPORT,
                )
            )
            if rng.random() < 0.6:
                connections.append(
                    Connection(
                        workspace=workspace,
                        person_id=pk,
                        network="linkedin",
                        kind="connection",
                        connected_on=(now - dt.timedelta(days=rng.randrange(3650))).date(),
                        source=Source.IMPORT,
                    )
                )
            if len(identities) >= 5000:
                Identity.objects.bulk_create(identities, batch_size=1000)
                Connection.objects.bulk_create(connections, batch_size=1000)
                identities, connections = [], []
        Identity.objects.bulk_create(identities, batch_size=1000)
        Connection.objects.bulk_create(connections, batch_size=1000)
    print(f"  identities and connections in {time.perf_counter() - started:.0f} s")

    # A long tail: a person's weight for being in a touch falls with their rank, and four in
    # ten people are never touched at all (imported connections the user has not met).
    touched = person_ids[: max(int(len(person_ids) * 0.6), 1)]
    rng.shuffle(touched)
    cumulative = list(
        itertools.accumulate(1.0 / (rank + 10) ** 0.9 for rank in range(len(touched)))
    )
    channels = list(CHANNEL_WEIGHTS)
    channel_weights = list(CHANNEL_WEIGHTS.values())
    through = Touch.people.through
    ten_years = 3650 * 24 * 3600
    for chunk in batched(touches, 10_000):
        with transaction.atomic():
            size = len(chunk)
            firsts = rng.choices(touched, cum_weights=cumulative, k=size)
            picked = rng.choices(channels, weights=channel_weights, k=size)
            touch_rows = [
                Touch(
                    workspace=workspace,
                    channel=picked[i],
                    occurred_at=now - dt.timedelta(seconds=rng.randrange(ten_years)),
                    where=rng.choice(CITIES) if picked[i] == "in_person" else "",
                    event_id=(
                        rng.choice(event_ids)
                        if picked[i] == "in_person" and rng.random() < 0.3
                        else None
                    ),
                    note="Talked about the roadmap." if rng.random() < 0.2 else "",
                    source=Source.IMPORT,
                    created_by=user,
                )
                for i in range(size)
            ]
            created = Touch.objects.bulk_create(touch_rows, batch_size=2000)
            links = []
            for touch, first in zip(created, firsts, strict=True):
                links.append(through(touch_id=touch.pk, person_id=first))
                if rng.random() < 0.1:
                    other = rng.choice(touched)
                    if other != first:
                        links.append(through(touch_id=touch.pk, person_id=other))
            through.objects.bulk_create(links, batch_size=5000)
        if (chunk.stop // 10_000) % 10 == 0:
            print(f"  {chunk.stop:,} touches in {time.perf_counter() - started:.0f} s")

    # The figures the touch services keep current, computed here in one statement each.
    # Typed loosely: django-stubs cannot follow names annotated onto a values() queryset.
    memberships: Any = through.objects.filter(person_id=OuterRef("pk")).values("person_id")
    high = [str(c) for c in HIGH_TOUCH_CHANNELS]
    with transaction.atomic():
        Person.objects.filter(workspace=workspace).update(
            touch_count=Coalesce(
                Subquery(memberships.annotate(n=Count("touch_id")).values("n")[:1]), 0
            ),
            last_touch_at=Subquery(
                memberships.annotate(last=Max("touch__occurred_at")).values("last")[:1]
            ),
            last_in_person_at=Subquery(
                memberships.filter(touch__channel="in_person")
                .annotate(last=Max("touch__occurred_at"))
                .values("last")[:1]
            ),
            last_high_touch_at=Subquery(
                memberships.filter(touch__channel__in=high)
                .annotate(last=Max("touch__occurred_at"))
                .values("last")[:1]
            ),
        )
    # Fresh statistics and (on PostgreSQL) visibility maps, as autovacuum gives a long-running
    # installation, so plans and index-only scans are realistic.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"Filled the workspace in {time.perf_counter() - started:.0f} s")
    return user, workspace


def email_of(given: str, family: str, n: int) -> str:
    local = f"{given}.{family}".lower().replace("'", "")
    return f"{local}.{n}@example.com".encode("ascii", "ignore").decode()


def measure(
    operation: str, url_for: Callable[[int], str], send: Callable[[str], Any], requests: int
) -> Figure:
    """Times ``requests`` requests after a few to warm caches; counts one request's queries."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        check(send(url_for(-n - 1)), url_for(-n - 1))
    # Each request empties the query log as it starts; begin from an empty one to match.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        check(send(url_for(0)), url_for(0))
    # Read now: the list is a window on the connection's log, which the next request empties.
    queries = len(captured.captured_queries)
    timings = []
    for n in range(requests):
        url = url_for(n)
        began = time.perf_counter()
        response = send(url)
        timings.append((time.perf_counter() - began) * 1000)
        check(response, url)
    timings.sort()
    return Figure(
        operation=operation,
        url=url_for(0),
        requests=requests,
        median_ms=round(statistics.median(timings), 1),
        p95_ms=round(statistics.quantiles(timings, n=100, method="inclusive")[94], 1),
        max_ms=round(timings[-1], 1),
        queries=queries,
    )


def check(response: Any, url: str) -> None:
    if response.status_code not in (200, 302):
        raise SystemExit(f"{url} answered {response.status_code}")


def run(arguments: argparse.Namespace) -> list[Figure]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from eyecontact.people.models import Person
    from eyecontact.people.selectors import PEOPLE_SORTS

    call_command("migrate", verbosity=0)
    user, workspace = fill(
        people=arguments.people, touches=arguments.touches, fresh=arguments.fresh
    )
    client = Client()
    client.force_login(user)
    # Other work on the machine slows every figure: note how busy it was as timing began.
    arguments.load_before = round(os.getloadavg()[0], 2)
    base = f"/w/{workspace.slug}"
    rng = random.Random(SEED + 1)
    person_ids = list(
        Person.objects.filter(workspace=workspace).values_list("pk", flat=True).order_by("pk")
    )
    busiest = list(
        Person.objects.filter(workspace=workspace)
        .order_by("-touch_count")
        .values_list("pk", flat=True)[:20]
    )
    sorts = list(PEOPLE_SORTS)
    # What people type: a first name, the start of a family name, a company, a city, two words,
    # an e-mail address being typed.
    searches = [
        *GIVEN[:15],
        *(family[:4] for family in FAMILY[:15]),
        "acme",
        "hooli labs",
        "berlin",
        "anna schmidt",
        "founder",
        "marco.rossi",
        "grace.kelly.1@example",
    ]
    pages = max(arguments.people // 50, 1)

    def get(url: str) -> Any:
        return client.get(url)

    def log_touch(url: str) -> Any:
        return client.post(url, {"channel": "in_person", "where": "Berlin", "note": "Coffee."})

    figures = [
        measure(
            "people list, sorted",
            lambda n: (
                f"{base}/people/?sort={sorts[n % len(sorts)]}"
                f"&page={rng.randrange(1, min(pages, 20) + 1)}"
            ),
            get,
            arguments.requests,
        ),
        measure(
            "people list, searched",
            lambda n: (
                f"{base}/people/?q={searches[n % len(searches)]}&sort={sorts[n % len(sorts)]}"
            ),
            get,
            arguments.requests,
        ),
        measure(
            "person page",
            lambda n: f"{base}/people/{rng.choice(person_ids)}/",
            get,
            arguments.requests,
        ),
        measure(
            "person page, busiest people",
            lambda n: f"{base}/people/{busiest[n % len(busiest)]}/",
            get,
            arguments.requests,
        ),
        measure(
            "log a touch",
            lambda n: f"{base}/people/{rng.choice(person_ids)}/touches/",
            log_touch,
            arguments.requests,
        ),
    ]
    connection.close()
    return figures


def environment(database_url: str) -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        row = cursor.fetchone()
    server = row[0] if row else "unknown version"
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
        "database": connection.vendor,
        "database_version": server,
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        # Other work on the machine slows every figure; the load tells how busy it was.
        "load_average": round(os.getloadavg()[0], 2),
        "commit": commit,
        "date": dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def report(figures: list[Figure], arguments: argparse.Namespace, about: dict[str, Any]) -> str:
    lines = [
        f"# People pages on {about['database']} ({about['database_version']})",
        "",
        f"{arguments.people:,} people, {arguments.touches:,} touches; "
        f"{arguments.requests} requests per operation, timed server-side with Django's test "
        f"client. Aim: p95 under {AIM_MS:.0f} ms.",
        "",
        "| Operation | Median ms | p95 ms | Max ms | Queries | Aim met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    lines.extend(
        f"| {f.operation} | {f.median_ms} | {f.p95_ms} | {f.max_ms} | {f.queries} | "
        f"{'yes' if f.p95_ms < AIM_MS else 'no'} |"
        for f in figures
    )
    lines += [
        "",
        f"Python {about['python']}, Django {about['django']}, {about['machine']} "
        f"(load average {getattr(arguments, 'load_before', '?')} as timing began, "
        f"{about['load_average']} as it ended), commit {about['commit']}, {about['date']}.",
        "",
        "Run: `make bench` (both databases) or "
        "`.venv/bin/python bench/people_bench.py [--database-url postgres://...]`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default="",
        help="postgres://user:password@host:port/name; SQLite in the data folder when empty",
    )
    parser.add_argument("--home", type=Path, help="the benchmark's own data folder")
    parser.add_argument("--fresh", action="store_true", help="rebuild the workload")
    parser.add_argument(
        "--no-save", action="store_true", help="print the figures without writing bench/results"
    )
    parser.add_argument(
        "--strict", action="store_true", help=f"exit 1 when a p95 is {AIM_MS:.0f} ms or more"
    )
    arguments = parser.parse_args(argv)

    home = arguments.home or default_home(arguments.database_url)
    configure(arguments.database_url, home)
    print(f"Benchmark data folder: {home}")
    figures = run(arguments)
    about = environment(arguments.database_url)
    text = report(figures, arguments, about)
    print()
    print(text)
    if not arguments.no_save:
        RESULTS.mkdir(exist_ok=True)
        name = f"people-{about['database']}"
        payload = {
            "people": arguments.people,
            "touches": arguments.touches,
            "requests": arguments.requests,
            "aim_p95_ms": AIM_MS,
            **about,
            "load_average_before": getattr(arguments, "load_before", None),
            "figures": [asdict(f) for f in figures],
        }
        (RESULTS / f"{name}.json").write_text(json.dumps(payload, indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(text)
        print(f"Wrote {RESULTS / name}.json and .md")
    missed = [f.operation for f in figures if f.p95_ms >= AIM_MS]
    if missed:
        print(f"p95 at or over {AIM_MS:.0f} ms: {', '.join(missed)}")
    return 1 if missed and arguments.strict else 0


if __name__ == "__main__":
    sys.exit(main())
