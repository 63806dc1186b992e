"""Booth captures under load: 50 phones capturing at once against a real server on PostgreSQL.

    .venv/bin/python bench/capture_load.py [--seconds 60] [--devices 50] [--threads 16]
        [--workers N] [--retry-share 0.1] [--conversation-share 0.3]
        [--database-url postgres://...]

Without ``--database-url`` (or ``DATABASE_URL``) the benchmark runs itself again under
``scripts/with-postgres``, which starts a throwaway PostgreSQL server and removes it afterwards.
It then

1. migrates a fresh data folder, and makes a workspace, an event, an exhibit and one staff
   member with a personal API token per device;
2. serves the app with waitress (the server ``eyecontact serve`` runs) in its own process, or
   with ``--workers N`` gunicorn processes when gunicorn is installed, on 127.0.0.1 only;
3. runs the devices, one thread each, for ``--seconds``: each POSTs new captures to the
   single-capture endpoint (a random visitor, as a MECARD badge or typed, a share of them
   conversations) over a kept-alive connection, and now and then sends one of its earlier
   captures again with the same client id, as a phone that never heard the answer would. A
   capture whose request failed is sent again until the server answers, as the queue does;
4. keeps the server running until it has matched every capture to a person (it answers the
   phones first and matches just after), and reports how long that took;
5. counts what the database stored against what was sent: no capture lost, none stored twice,
   one in-person touch per conversation;
6. writes ``bench/results/capture-load.json`` and ``.md``.

The aim: at least 300 captures a second with a 95th percentile under 200 ms, none lost and none
duplicated.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.people_bench import FAMILY, GIVEN, ORGANIZATIONS  # noqa: E402  # needs ROOT on the path

RESULTS = Path(__file__).resolve().parent / "results"
AIM_CAPTURES_PER_SECOND = 300.0
AIM_P95_MS = 200.0
SEED = 20260917
ATTEMPTS = 5
TIMEOUT_S = 30.0
BENCH_PASSWORD = "bench-only-password-0"  # noqa: S105  # a throwaway local benchmark account


@dataclass
class DeviceLog:
    """What one phone sent and heard."""

    latencies_ms: list[float] = field(default_factory=list)
    requests: int = 0
    created: int = 0
    existing: int = 0
    resends: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    sent_ids: set[str] = field(default_factory=set)
    acknowledged_ids: set[str] = field(default_factory=set)
    conversation_ids: set[str] = field(default_factory=set)
    unanswered_ids: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Outcome:
    seconds: float
    devices: int
    server_threads: int
    server: str
    requests: int
    requests_per_second: float
    new_captures_acknowledged: int
    captures_per_second: float
    resends: int
    answered_created: int
    answered_existing: int
    latency_ms_p50: float
    latency_ms_p95: float
    latency_ms_p99: float
    latency_ms_max: float
    errors: dict[str, int]
    unique_captures_sent: int
    stored_in_database: int
    lost: int
    duplicated: int
    unanswered: int
    conversations_sent: int
    conversation_touches_stored: int
    matched_after_s: float | None
    still_waiting: int
    people_matched_or_made: int
    aim_met: bool


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def configure(database_url: str, home: Path) -> None:
    os.environ["EYECONTACT_HOME"] = str(home)
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "eyecontact.settings.development"
    os.environ["EYECONTACT_DEBUG"] = ""
    os.environ["EYECONTACT_ALLOWED_HOSTS"] = "127.0.0.1"
    import django

    django.setup()


def prepare(devices: int) -> tuple[str, int, list[str]]:
    """A workspace, an event, an exhibit and a staff member with a token per device."""
    import datetime as dt

    from django.core.management import call_command

    from eyecontact.accounts.services import (
        token_create,
        user_create,
        workspace_add_member,
        workspace_create,
    )
    from eyecontact.events.exhibits import exhibit_create
    from eyecontact.events.services import event_create

    call_command("migrate", verbosity=0)
    owner = user_create(email="owner@bench.example", password=BENCH_PASSWORD)
    workspace = workspace_create(name="Booth benchmark", owner=owner, default_region="DE")
    staff = [owner]
    for n in range(1, devices):
        member = user_create(email=f"staff{n}@bench.example", password=BENCH_PASSWORD)
        workspace_add_member(workspace=workspace, user=member)
        staff.append(member)
    event = event_create(workspace=workspace, name="Trade fair", starts_on=dt.date(2026, 3, 3))
    exhibit = exhibit_create(event=event, name="Booth B12", staff=staff)
    keys = [token_create(user=member, name="booth phone")[1] for member in staff]
    return workspace.slug, exhibit.pk, keys


def serve(port: int, threads: int, workers: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """The server in its own processes, so the devices and the server do not share one GIL.

    Waitress (what ``eyecontact serve`` runs) by default; gunicorn with ``workers`` processes.
    """
    Path(os.environ["EYECONTACT_HOME"], "static").mkdir(parents=True, exist_ok=True)
    if workers:
        # Several processes, for the cores one Python process cannot use (needs gunicorn).
        command = [
            *(sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"),
            *("--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"),
            "eyecontact.wsgi:application",
        ]
    else:
        command = [
            *(sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{port}"),
            *("--threads", str(threads), "--connection-limit", "500"),
            "eyecontact.wsgi:application",
        ]
    server = subprocess.Popen(  # noqa: S603  # our own interpreter and fixed arguments
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: nobody reads a pipe during the run, and once its buffer is full
        # of waitress's queue-depth warnings the server would block writing to it.
        stderr=log,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server did not start") from None
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start listening")


def visitor(rng: random.Random, n: int, conversation_share: float) -> dict[str, Any]:
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    organization = rng.choice(ORGANIZATIONS)
    email = f"{given}.{family}.{n}@{organization.split()[0]}.example".lower()
    body: dict[str, Any] = {
        "client_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "kind": "conversation" if rng.random() < conversation_share else "visit",
    }
    if rng.random() < 0.7:
        body["payload"] = f"MECARD:N:{family},{given};ORG:{organization};EMAIL:{email};;"
    else:
        body.update(name=f"{given} {family}", organization=organization)
    if rng.random() < 0.5:
        body["rating"] = rng.randint(1, 5)
    return body


def device(
    number: int,
    port: int,
    path: str,
    key: str,
    deadline: float,
    arguments: argparse.Namespace,
    log: DeviceLog,
) -> None:
    rng = random.Random(SEED + number)  # noqa: S311  # a reproducible workload, not a secret
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    sent: list[dict[str, Any]] = []
    n = number * 1_000_000
    while time.monotonic() < deadline:
        resend = bool(sent) and rng.random() < arguments.retry_share
        if resend:
            body = rng.choice(sent)
            log.resends += 1
        else:
            n += 1
            body = visitor(rng, n, arguments.conversation_share)
        client_id = body["client_id"]
        log.sent_ids.add(client_id)
        if body["kind"] == "conversation":
            log.conversation_ids.add(client_id)
        for _attempt in range(ATTEMPTS):
            started = time.perf_counter()
            try:
                connection.request("POST", path, body=json.dumps(body), headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                log.errors[type(exc).__name__] = log.errors.get(type(exc).__name__, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
            log.latencies_ms.append((time.perf_counter() - started) * 1000)
            log.requests += 1
            if status in (200, 201):
                log.created += status == 201
                log.existing += status == 200
                log.acknowledged_ids.add(client_id)
                if not resend:
                    sent.append(body)
                break
            if status:
                log.errors[f"HTTP {status}"] = log.errors.get(f"HTTP {status}", 0) + 1
        else:
            log.unanswered_ids.add(client_id)
    connection.close()


def wait_until_matched(exhibit_pk: int, timeout: float) -> float | None:
    """Seconds after the last answer until every capture was matched; None past ``timeout``."""
    from eyecontact.events.models import Capture

    waiting = Capture.objects.filter(exhibit_id=exhibit_pk, resolved_at__isnull=True)
    started = time.monotonic()
    while waiting.exists():
        if time.monotonic() - started > timeout:
            return None
        time.sleep(0.25)
    return round(time.monotonic() - started, 1)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def run(arguments: argparse.Namespace) -> tuple[Outcome, dict[str, Any]]:
    home = Path(tempfile.mkdtemp(prefix="eyecontact-capture-load-"))
    configure(arguments.database_url, home)
    slug, exhibit_pk, keys = prepare(arguments.devices)
    port = free_port()
    server_log = home / "server.log"
    log = server_log.open("wb")
    server = serve(port, arguments.threads, arguments.workers, log)
    path = f"/api/workspaces/{slug}/exhibits/{exhibit_pk}/captures"
    logs = [DeviceLog() for _ in keys]
    try:
        # One request first, so the server has loaded the app before the clock starts.
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        warm.request("GET", "/login/")
        warm.getresponse().read()
        warm.close()
        started = time.monotonic()
        deadline = started + arguments.seconds
        threads = [
            threading.Thread(
                target=device, args=(n, port, path, key, deadline, arguments, logs[n]), daemon=True
            )
            for n, key in enumerate(keys)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        # The phones have their answers; the server matches the captures behind them.
        matched_after = wait_until_matched(exhibit_pk, arguments.match_timeout)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    outcome = summarise(logs, elapsed, arguments, exhibit_pk, matched_after)
    return outcome, environment(server_log)


def summarise(
    logs: list[DeviceLog],
    elapsed: float,
    arguments: argparse.Namespace,
    exhibit_pk: int,
    matched_after: float | None,
) -> Outcome:
    from eyecontact.events.models import Capture
    from eyecontact.people.models import Touch

    latencies = [ms for log in logs for ms in log.latencies_ms]
    sent = set().union(*(log.sent_ids for log in logs))
    acknowledged = set().union(*(log.acknowledged_ids for log in logs))
    conversations = set().union(*(log.conversation_ids for log in logs))
    unanswered = set().union(*(log.unanswered_ids for log in logs)) - acknowledged
    stored = Capture.objects.filter(exhibit_id=exhibit_pk)
    stored_ids = {str(i) for i in stored.values_list("client_id", flat=True)}
    # The database refuses a client id twice; count rows against distinct ids all the same.
    twice = stored.count() - len(stored_ids)
    touches = Touch.objects.filter(source_key__startswith="capture:").count()
    errors: dict[str, int] = {}
    for log in logs:
        for name, count in log.errors.items():
            errors[name] = errors.get(name, 0) + count
    requests = sum(log.requests for log in logs)
    new = len(acknowledged)
    p95 = percentile(latencies, 0.95)
    lost = len(acknowledged - stored_ids)
    rate = new / elapsed
    return Outcome(
        seconds=round(elapsed, 1),
        devices=arguments.devices,
        server_threads=arguments.threads,
        server=(
            f"gunicorn, {arguments.workers} processes of {arguments.threads} threads"
            if arguments.workers
            else f"waitress, {arguments.threads} threads"
        ),
        requests=requests,
        requests_per_second=round(requests / elapsed, 1),
        new_captures_acknowledged=new,
        captures_per_second=round(rate, 1),
        resends=sum(log.resends for log in logs),
        answered_created=sum(log.created for log in logs),
        answered_existing=sum(log.existing for log in logs),
        latency_ms_p50=round(statistics.median(latencies), 1) if latencies else 0.0,
        latency_ms_p95=round(p95, 1),
        latency_ms_p99=round(percentile(latencies, 0.99), 1),
        latency_ms_max=round(max(latencies, default=0.0), 1),
        errors=errors,
        unique_captures_sent=len(sent),
        stored_in_database=len(stored_ids),
        lost=lost,
        duplicated=twice,
        unanswered=len(unanswered),
        conversations_sent=len(conversations & stored_ids),
        conversation_touches_stored=touches,
        matched_after_s=matched_after,
        still_waiting=stored.filter(resolved_at__isnull=True).count(),
        people_matched_or_made=stored.filter(person__isnull=False).count(),
        aim_met=(
            matched_after is not None
            and len(conversations & stored_ids) == touches
            and rate >= AIM_CAPTURES_PER_SECOND
            and p95 < AIM_P95_MS
            and lost == 0
            and twice == 0
            and len(sent) == len(stored_ids)
        ),
    )


def environment(server_log: Path) -> dict[str, Any]:
    import django
    from django.db import connection

    commit = subprocess.run(  # noqa: S603  # fixed arguments
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH, as make does
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
        cursor.execute("SHOW fsync")
        fsync = cursor.fetchone()[0]
    said = server_log.read_text(errors="replace").splitlines()
    # Waitress warns each time requests wait for a free thread; count those, keep the rest.
    waits = sum("Task queue depth" in line for line in said)
    tail = [line for line in said if "Task queue depth" not in line][-5:]
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"PostgreSQL {server_version} (fsync {fsync})",
        "platform": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "commit": commit,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "server_queue_warnings": waits,
        "server_log_tail": tail,
    }


def write(outcome: Outcome, env: dict[str, Any], arguments: argparse.Namespace) -> None:
    RESULTS.mkdir(exist_ok=True)
    figures = asdict(outcome)
    settings = {
        "retry_share": arguments.retry_share,
        "conversation_share": arguments.conversation_share,
        "endpoint": "POST /api/workspaces/{ws}/exhibits/{id}/captures",
    }
    (RESULTS / "capture-load.json").write_text(
        json.dumps({"figures": figures, "settings": settings, "environment": env}, indent=2) + "\n"
    )

    def met(ok: bool) -> str:
        return "yes" if ok else "no"

    lines = [
        "# Booth captures under load",
        "",
        f"{outcome.devices} phones capturing at once for {outcome.seconds:g} s against "
        f"{outcome.server} on {env['database']}, over loopback. Each phone "
        f"POSTs single captures (70% MECARD badges, 30% typed; "
        f"{arguments.conversation_share:.0%} conversations) and resends an earlier capture with "
        f"its client id {arguments.retry_share:.0%} of the time.",
        "",
        "| Figure | Value | Aim | Met |",
        "|---|---:|---:|---|",
        f"| New captures a second | {outcome.captures_per_second:,.1f} | ≥ 300 | "
        f"{met(outcome.captures_per_second >= AIM_CAPTURES_PER_SECOND)} |",
        f"| Requests a second (with resends) | {outcome.requests_per_second:,.1f} | | |",
        f"| Latency p50 | {outcome.latency_ms_p50:.1f} ms | | |",
        f"| Latency p95 | {outcome.latency_ms_p95:.1f} ms | < 200 ms | "
        f"{met(outcome.latency_ms_p95 < AIM_P95_MS)} |",
        f"| Latency p99 | {outcome.latency_ms_p99:.1f} ms | | |",
        f"| Latency max | {outcome.latency_ms_max:.1f} ms | | |",
        f"| Requests sent | {outcome.requests:,} | | |",
        f"| Resends of a capture already sent | {outcome.resends:,} | | |",
        f"| Answers: 201 created / 200 existing | {outcome.answered_created:,} / "
        f"{outcome.answered_existing:,} | | |",
        f"| Unique captures sent | {outcome.unique_captures_sent:,} | | |",
        f"| Stored in the database | {outcome.stored_in_database:,} | = sent | "
        f"{met(outcome.unique_captures_sent == outcome.stored_in_database)} |",
        f"| Lost | {outcome.lost} | 0 | {met(outcome.lost == 0)} |",
        f"| Duplicated | {outcome.duplicated} | 0 | {met(outcome.duplicated == 0)} |",
        f"| Conversations stored / in-person touches | {outcome.conversations_sent:,} / "
        f"{outcome.conversation_touches_stored:,} | equal | "
        f"{met(outcome.conversations_sent == outcome.conversation_touches_stored)} |",
        "| Every capture matched to a person, after the last answer | "
        + (
            f"{outcome.matched_after_s:g} s"
            if outcome.matched_after_s is not None
            else f"no: {outcome.still_waiting:,} still waiting"
        )
        + f" | | {met(outcome.matched_after_s is not None)} |",
        f"| Captures with a person | {outcome.people_matched_or_made:,} | | |",
        f"| Errors | {sum(outcome.errors.values())} "
        f"{json.dumps(outcome.errors) if outcome.errors else ''} | 0 | "
        f"{met(not outcome.errors)} |",
        "",
        "A phone's answer comes once the capture is stored; finding or making its person and "
        "logging a conversation as an in-person touch follows on the server "
        "(`eyecontact/events/resolver.py`), one capture at a time between pauses while "
        "captures keep arriving, then all at once. The benchmark waits for that to finish "
        "before counting touches.",
        "",
        f"Python {env['python']}, Django {env['django']}, {env['platform']}, {env['cpus']} CPUs "
        f"(server, database and the 50 phones share them), commit {env['commit']}, "
        f"{env['when']}.",
        "",
        "Run: `.venv/bin/python bench/capture_load.py [--seconds 60]` (starts a throwaway "
        "PostgreSQL through `scripts/with-postgres` unless `--database-url` is given).",
    ]
    (RESULTS / "capture-load.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument(
        "--threads", type=int, default=16, help="server threads (per worker); serve's default"
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="serve with gunicorn and this many processes"
    )
    parser.add_argument("--retry-share", type=float, default=0.1)
    parser.add_argument("--conversation-share", type=float, default=0.3)
    parser.add_argument(
        "--match-timeout",
        type=float,
        default=900.0,
        help="seconds to wait after the run for the server to match every capture",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--no-write", action="store_true", help="print, keep the results")
    arguments = parser.parse_args()
    if not arguments.database_url.startswith("postgres"):
        # A throwaway PostgreSQL server for this run; it exports DATABASE_URL. Its commits
        # wait for the disk, as a real server's do (the test suite's runs without fsync).
        os.environ.setdefault("EYECONTACT_PG_FSYNC", "on")
        helper = str(ROOT / "scripts" / "with-postgres")
        os.execv(helper, [helper, sys.executable, __file__, *sys.argv[1:]])  # noqa: S606  # our own script
    outcome, env = run(arguments)
    print(json.dumps(asdict(outcome), indent=2))
    if not arguments.no_write:
        write(outcome, env, arguments)
    if env["server_log_tail"]:
        print("server said:", *env["server_log_tail"], sep="\n  ")


if __name__ == "__main__":
    main()
