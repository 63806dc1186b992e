"""`eyecontact serve` as a server runs it: production settings, a new data folder, a proxy."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SECRET = "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105  # test only


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    location: str | None
    body: str


Get = Callable[..., Answer]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., tuple[Path, Get]]]:
    """Starts `eyecontact serve` with the production settings in a data folder not yet made."""
    started: list[tuple[subprocess.Popen[bytes], object]] = []

    def start(*options: str) -> tuple[Path, Get]:
        home = tmp_path / f"home-{len(started)}" / "eyecontact"
        port = _free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "EYECONTACT_HOME")
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "eyecontact.settings.production",
            "EYECONTACT_HOME": str(home),
            "EYECONTACT_SECRET_KEY": SECRET,
            "EYECONTACT_ALLOWED_HOSTS": "contacts.example.org,127.0.0.1",
        }
        log = (tmp_path / f"serve-{len(started)}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603  # this interpreter, fixed arguments
            [
                sys.executable, "-c", "from eyecontact.cli import main; main()",
                "serve", "--port", str(port), "--demo-people", "0", *options,
            ],
            env=env,
            stdout=log,
            stderr=log,
        )  # fmt: skip
        started.append((process, log))
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                assert process.poll() is None, "serve stopped: see its log in " + str(tmp_path)
                assert time.monotonic() < deadline, "the server did not start listening"
                time.sleep(0.2)

        def get(path: str, headers: dict[str, str] | None = None) -> Answer:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            sent = {"Host": "contacts.example.org", **(headers or {})}
            connection.request("GET", path, headers=sent)
            response = connection.getresponse()
            answer = Answer(
                response.status,
                response.getheader("Location"),
                response.read().decode(errors="replace"),
            )
            connection.close()
            return answer

        get.port = port  # type: ignore[attr-defined]  # where the proxy in front sends requests
        return home, get

    yield start
    for process, log in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()  # type: ignore[attr-defined]  # an open file


HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


class ServeBehindAProxyTests:
    def test_a_new_installation_behind_https_serves_pages_styles_and_its_health(
        self, serve: Callable[..., tuple[Path, Get]]
    ) -> None:
        home, get = serve("--trusted-proxy", "127.0.0.1")
        assert home.is_dir()  # made by serve
        assert oct(home.stat().st_mode & 0o777) == oct(0o700)
        assert (home / "static" / "staticfiles.json").exists()  # collected by serve

        login = get("/login/", HTTPS)
        assert login.status == 200  # believed: the proxy said HTTPS, no redirect back
        # The page's styles come from the collected manifest (no "Missing staticfiles" 500).
        [styles] = re.findall(r'href="(/static/eyecontact/app\.[0-9a-f]+\.css)"', login.body)
        assert get(styles, HTTPS).status == 200
        plain = get("/login/")
        assert plain.status == 301  # plain HTTP is sent to HTTPS, once
        assert plain.location == "https://contacts.example.org/login/"

        # A monitor on the machine asks over plain HTTP; the worker serve runs beats.
        deadline = time.monotonic() + 30
        while (response := get("/healthz")).status != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert response.status == 200
        health = json.loads(response.body)
        assert (health["ok"], health["database"], health["queue"]) == (True, "ok", "ok")
        assert health["workers"] == 1

    def test_without_a_trusted_proxy_the_scheme_is_not_believed_nor_a_worker_run(
        self, serve: Callable[..., tuple[Path, Get]]
    ) -> None:
        _, get = serve("--no-worker")
        assert get("/login/", HTTPS).status == 301
        response = get("/healthz")
        assert response.status == 503
        health = json.loads(response.body)
        assert (health["database"], health["queue"], health["workers"]) == ("ok", "no worker", 0)


NGINX = Path("/usr/sbin/nginx")
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "eyecontact.conf"


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Callable[[int], int]]:
    """Debian's nginx with deploy/nginx/eyecontact.conf and a self-signed certificate, in front
    of a server on the given port; returns the HTTPS port."""
    assert NGINX.exists(), "the HTTPS test needs Debian's nginx: apt-get install nginx-light"
    folder = tmp_path / "nginx"
    folder.mkdir()
    started: list[Path] = []

    def start(upstream: int) -> int:
        cert, key = folder / "cert.pem", folder / "key.pem"
        subprocess.run(  # noqa: S603  # fixed arguments
            [  # noqa: S607  # openssl from the PATH
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        plain, secure = _free_port(), _free_port()
        site = DEPLOY.read_text()
        for old, new in (
            ("listen 80;", f"listen {plain};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", f"listen {secure} ssl http2;"),
            ("listen [::]:443 ssl http2;", ""),
            ("/etc/letsencrypt/live/contacts.example.org/fullchain.pem", str(cert)),
            ("/etc/letsencrypt/live/contacts.example.org/privkey.pem", str(key)),
            ("127.0.0.1:8000", f"127.0.0.1:{upstream}"),
        ):
            site = site.replace(old, new)
        temp = " ".join(
            f"{kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\nevents {{}}\n"
            f"http {{ access_log {folder / 'access.log'}; {temp}\n{site}\n}}\n"
        )
        subprocess.run(  # noqa: S603  # Debian's nginx, our configuration
            [str(NGINX), "-c", str(folder / "nginx.conf"), "-p", str(folder)], check=True
        )
        started.append(folder)
        return secure

    yield start
    for place in started:
        subprocess.run(  # noqa: S603  # Debian's nginx, our configuration
            [str(NGINX), "-c", str(place / "nginx.conf"), "-p", str(place), "-s", "stop"],
            check=False,
        )


class BehindNginxTests:
    def test_a_login_over_https_gets_a_secure_session_and_no_redirect_loop(
        self,
        serve: Callable[..., tuple[Path, Get]],
        nginx: Callable[[int], int],
        tmp_path: Path,
    ) -> None:
        home, get = serve("--trusted-proxy", "127.0.0.1")
        password = "behind-nginx-passphrase-7"  # noqa: S105  # test only
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "EYECONTACT_HOME")
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "eyecontact.settings.production",
            "EYECONTACT_HOME": str(home),
            "EYECONTACT_SECRET_KEY": SECRET,
        }
        subprocess.run(  # noqa: S603  # this interpreter, fixed arguments
            [sys.executable, "-c", "from eyecontact.cli import main; main()", "user", "create",
             "nginx@example.org"],
            input=password.encode(),
            env=env,
            check=True,
            capture_output=True,
        )  # fmt: skip
        port = nginx(get.port)  # type: ignore[attr-defined]  # set by the serve fixture
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate

        def https(method: str, path: str, body: str = "", cookies: str = "") -> Any:
            connection = http.client.HTTPSConnection("localhost", port, context=context)
            site = f"contacts.example.org:{port}"  # as the browser names it
            headers = {"Host": site, "Cookie": cookies}
            if body:
                headers |= {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{site}",
                    "Referer": f"https://{site}/login/",
                }
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            return response

        form = https("GET", "/login/")
        assert form.status == 200
        csrf = re.search(r"csrftoken=([^;]+);", form.getheader("Set-Cookie"))
        assert csrf is not None
        assert "; Secure" in form.getheader("Set-Cookie")
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf.group(1),
                "username": "nginx@example.org",
                "password": password,
            }
        )
        logged_in = https("POST", "/login/", body, cookies=f"csrftoken={csrf.group(1)}")
        assert logged_in.status == 302, logged_in.status
        [session] = [
            cookie
            for cookie in logged_in.headers.get_all("Set-Cookie")
            if cookie.startswith("sessionid=")
        ]
        assert "; Secure" in session and "HttpOnly" in session
        cookies = f"csrftoken={csrf.group(1)}; {session.split(';')[0]}"
        home_page = https("GET", logged_in.getheader("Location"), cookies=cookies)
        # A new user is sent to make a workspace, on HTTPS: one redirect, not a loop.
        assert home_page.status == 302
        assert home_page.getheader("Location").endswith("/workspaces/new/")
        assert https("GET", "/workspaces/new/", cookies=cookies).status == 200
