"""``serve`` runs Eye Contact with a real web server; ``manage`` reaches Django's commands."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from ._common import command, django_setup

__all__ = ["manage", "serve", "worker"]


def _database() -> str:
    """The database in use, without its password."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite {database['NAME']}"
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']} on {host}{port}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _data_folder() -> None:
    """Makes the data folder (the database, the secret key, collected files) if it is new."""
    from django.conf import settings

    Path(settings.EYECONTACT_HOME).mkdir(mode=0o700, parents=True, exist_ok=True)


def _static_files_collect() -> bool:
    """Collects the static files when the settings serve them from a manifest (a server) and
    they are missing or older than the app's; True when it did."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    # WhiteNoise warns about a missing static folder, even when it finds files elsewhere.
    root.mkdir(parents=True, exist_ok=True)
    if "Manifest" not in settings.STORAGES["staticfiles"]["BACKEND"]:
        return False  # a laptop: the files are served from where they are
    manifest = root / "staticfiles.json"
    newest = max(
        (
            Path(storage.path(path)).stat().st_mtime
            for finder in get_finders()
            for path, storage in finder.list([])
        ),
        default=0.0,
    )
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return False
    call_command("collectstatic", interactive=False, verbosity=0)
    return True


def _databases_ready() -> None:
    """Makes the progress database of an SQLite installation (see eyecontact.background)."""
    from django.core.management import call_command

    from eyecontact.background.routers import LIVE, live_is_separate

    if live_is_separate():
        _data_folder()
        call_command("migrate", database=LIVE, interactive=False, verbosity=0)


@command
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    # Most of a request is waiting for the database (a commit waits for the disk): 16 threads
    # kept 50 booth phones at about 400 captures a second where 8 managed 280.
    threads: Annotated[int, typer.Option(min=1, help="Requests served at once.")] = 16,
    demo_people: Annotated[
        int, typer.Option(min=0, help="Size of the demo built on the very first run.")
    ] = 2000,
    trusted_proxy: Annotated[
        str,
        typer.Option(
            "--trusted-proxy",
            envvar="EYECONTACT_TRUSTED_PROXY",
            help="Address of the reverse proxy in front (127.0.0.1 for nginx or Caddy on this "
            "machine; * for any): its X-Forwarded-Proto, -For and -Host are believed.",
        ),
    ] = "",
    with_worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            envvar="EYECONTACT_SERVE_WORKER",
            help="Run background work in this process too; --no-worker when `eyecontact "
            "worker` runs separately (a server).",
        ),
    ] = True,
) -> None:
    """Run Eye Contact: set up the database, add the demo on first run, serve the app."""
    from django.conf import settings
    from django.core.management import call_command

    from eyecontact.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_first_run, demo_password_works

    typer.echo(f"Data folder: {settings.EYECONTACT_HOME}")
    typer.echo(f"Database:    {_database()}")
    _data_folder()
    call_command("migrate", interactive=False, verbosity=0)
    _databases_ready()
    built = demo_first_run(people=demo_people)
    if built is not None:
        typer.echo(f"First run: built the demo workspace {built.name!r}.")
    url_host = f"[{host}]" if ":" in host else host
    typer.echo(f"Eye Contact: http://{url_host}:{port}/")
    if demo_password_works():
        typer.echo(f"Demo login:  {DEMO_EMAIL} / {DEMO_PASSWORD}")
        if not _loopback(host):
            typer.echo(
                "warning: the demo login is public; change its password before others can "
                "reach this address.",
                err=True,
            )
    if not _loopback(host):
        typer.echo(
            "note: set EYECONTACT_ALLOWED_HOSTS to the names this machine is reached by "
            f"(now: {', '.join(settings.ALLOWED_HOSTS)}).",
            err=True,
        )
    if _static_files_collect():
        typer.echo(f"Static files: collected into {settings.STATIC_ROOT}")
    options: dict[str, object] = {"host": host, "port": port, "threads": threads}
    if trusted_proxy:
        options.update(
            trusted_proxy=trusted_proxy,
            trusted_proxy_headers="x-forwarded-proto x-forwarded-for x-forwarded-host",
            clear_untrusted_proxy_headers=True,
        )
    elif getattr(settings, "SECURE_SSL_REDIRECT", False):
        typer.echo(
            "note: behind an HTTPS reverse proxy, pass --trusted-proxy with its address, or "
            "every request looks like plain HTTP and is redirected again and again.",
            err=True,
        )
    from waitress import serve as waitress_serve  # type: ignore[import-untyped,unused-ignore]  # no stubs

    from eyecontact.background.worker import Worker
    from eyecontact.events.resolver import captures_resume
    from eyecontact.wsgi import application

    captures_resume()  # booth captures left waiting when the server last stopped
    background = Worker() if with_worker else None
    if background is not None:
        background.start()
        typer.echo("Background work: in this process (--no-worker to leave it to a worker).")
    try:
        waitress_serve(application, **options)
    finally:
        if background is not None:
            background.stop()


@command
def worker(
    interval: Annotated[
        float, typer.Option(min=0.05, help="Seconds between looks at an empty queue.")
    ] = 1.0,
) -> None:
    """Run background work (imports, booth captures, the weekly digest) until stopped."""
    from django.conf import settings

    from eyecontact.background.worker import Worker

    _databases_ready()
    running = Worker(interval=interval)
    typer.echo(f"Worker {running.worker_id}: {_database()}")
    typer.echo(f"Data folder: {settings.EYECONTACT_HOME}")
    running.run()


def manage(ctx: typer.Context) -> None:
    """Run any Django management command: `eyecontact manage migrate`, `… check --deploy`."""
    from django.core.management import execute_from_command_line

    django_setup()
    execute_from_command_line(["eyecontact manage", *ctx.args])
