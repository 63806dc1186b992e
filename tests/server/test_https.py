"""Eye Contact as docs/deploy.md sets it up: Debian's nginx with a certificate in front of
`eyecontact serve --no-worker --trusted-proxy 127.0.0.1` and a separate `eyecontact worker`, with
the production settings, on the test suite's database (PostgreSQL when DATABASE_URL names one).

Headless Chromium logs in over HTTPS and uploads an export large enough to go to the worker,
then follows its progress to the end. nginx is installed from Debian when missing, as
scripts/test installs chromium.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NGINX = Path("/usr/sbin/nginx")
SECRET = "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105  # test only
EMAIL = "owner@example.org"
PASSWORD = "correct horse battery staple 42"  # noqa: S105  # test only
ROOT = Path(__file__).resolve().parents[2]
LINKEDIN_FIXTURE = ROOT / "tests" / "e2e" / "fixtures" / "Connections.csv"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, logs: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            assert process.poll() is None, f"{what} stopped: see its log in {logs}"
            assert time.monotonic() < deadline, f"{what} did not start listening"
            time.sleep(0.2)


def _nginx() -> Path:
    """Debian's nginx, installed when missing (as root, or through sudo)."""
    if not NGINX.exists():
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603  # fixed arguments
            [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
             "nginx"],
            check=True,
        )  # fmt: skip
    assert NGINX.exists(), "the HTTPS test needs Debian's nginx: apt-get install nginx"
    return NGINX


def _database_url() -> str | None:
    """The test database as a URL for the server processes; None on SQLite (they make theirs)."""
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        return None
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{database['NAME']}"


NGINX_CONF = """
{user}
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{http_port};
        server_name localhost;
        location / {{ return 301 https://$host:{https_port}$request_uri; }}
    }}
    server {{
        listen 127.0.0.1:{https_port} ssl;
        server_name localhost;
        ssl_certificate {run}/cert.pem;
        ssl_certificate_key {run}/key.pem;
        client_max_body_size 512m;
        location / {{
            proxy_pass http://127.0.0.1:{app_port};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Host $http_host;
        }}
    }}
}}
"""


class Site:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path
        self.processes: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self.https_port = _free_port()
        self.app_port = _free_port()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "EYECONTACT_HOME", "DJANGO_SETTINGS_MODULE")
        }
        self.env |= {
            "DJANGO_SETTINGS_MODULE": "eyecontact.settings.production",
            "EYECONTACT_HOME": str(tmp_path / "home" / "eyecontact"),
            "EYECONTACT_SECRET_KEY": SECRET,
            "EYECONTACT_ALLOWED_HOSTS": "localhost",
            "EYECONTACT_BASE_URL": f"https://localhost:{self.https_port}",
        }
        url = _database_url()
        if url is not None:
            self.env["DATABASE_URL"] = url

    @property
    def url(self) -> str:
        return f"https://localhost:{self.https_port}"

    def eyecontact(self, *arguments: str, stdin: str = "") -> str:
        done = subprocess.run(  # noqa: S603  # this interpreter, fixed arguments
            [sys.executable, "-c", "from eyecontact.cli import main; main()", *arguments],
            env=self.env, input=stdin.encode(), capture_output=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    def start(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        log = (self.tmp / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603  # fixed arguments
            command, env=self.env, stdout=log, stderr=log
        )
        self.processes.append((process, log))
        return process

    def up(self) -> None:
        nginx = _nginx()
        run = self.tmp / "nginx"
        run.mkdir()
        subprocess.run(  # noqa: S603  # fixed arguments
            ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=localhost", "-keyout", str(run / "key.pem"), "-out",
             str(run / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        conf = run / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                user="user root;" if os.geteuid() == 0 else "",
                run=run,
                http_port=_free_port(),
                https_port=self.https_port,
                app_port=self.app_port,
            )
        )
        cli = [sys.executable, "-c", "from eyecontact.cli import main; main()"]
        server = self.start(
            "serve",
            [*cli, "serve", "--port", str(self.app_port), "--demo-people", "0", "--no-worker",
             "--trusted-proxy", "127.0.0.1"],
        )  # fmt: skip
        _wait_for_port(self.app_port, server, "serve", self.tmp)
        self.start("worker", [*cli, "worker", "--interval", "0.2"])
        proxy = self.start(
            "nginx", [str(nginx), "-c", str(conf), "-p", str(run), "-g", "daemon off;"]
        )
        _wait_for_port(self.https_port, proxy, "nginx", self.tmp)
        self.eyecontact("user", "create", EMAIL, "--workspace", "Home", stdin=f"{PASSWORD}\n")

    def down(self) -> None:
        for process, log in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
            log.close()


@pytest.fixture
def site(tmp_path: Path, transactional_db: Any) -> Iterator[Site]:
    running = Site(tmp_path)
    try:
        running.up()
        yield running
    finally:
        running.down()


def _large_linkedin_export(path: Path, rows: int) -> Path:
    """A LinkedIn Connections.csv over the size the web page imports in the request."""
    header = LINKEDIN_FIXTURE.read_text(encoding="utf-8").split("First Name,", 1)[0]
    lines = [f"{header}First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [
        f"Person{n},Number{n},https://www.linkedin.com/in/person-{n}-number,"
        f"person{n}@example.net,Company {n % 97} GmbH,Engineer,19 Sep 2025"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_behind_nginx_on_https_a_user_logs_in_and_an_import_runs_on_the_worker(
    site: Site, tmp_path: Path, browser: Browser
) -> None:
    export = _large_linkedin_export(tmp_path / "Connections.csv", rows=11_000)
    assert export.stat().st_size > 1024 * 1024  # past the page's inline limit: the worker runs it
    context = browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        redirects: list[str] = []
        page.on("response", lambda r: redirects.append(r.url) if r.status in (301, 302) else None)

        page.goto(f"{site.url}/login/")
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).not_to_have_url(re.compile(r"/login/"))
        assert page.url.startswith(f"{site.url}/")  # still on HTTPS, through the proxy
        # One redirect after the login at most, never a loop back to itself.
        assert len(redirects) <= 2, redirects

        cookies = {cookie["name"]: cookie for cookie in context.cookies()}
        assert cookies["sessionid"]["secure"] is True
        assert cookies["sessionid"]["httpOnly"] is True
        assert cookies["csrftoken"]["secure"] is True

        page.goto(f"{site.url}/w/home/imports/new/")
        page.get_by_label("Export file").set_input_files(str(export))
        page.get_by_role("button", name="Import", exact=True).click()
        # Progress is polled from the web server while the separate worker imports.
        expect(page.locator(".import-figures")).to_contain_text("New people", timeout=240_000)
        expect(page.locator(".import-figures")).to_contain_text("11,000")
    finally:
        context.close()

    worker_log = (tmp_path / "worker.log").read_text(errors="replace")
    serve_log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Background work: in this process" not in serve_log  # --no-worker: not the server
    assert "Worker " in worker_log
