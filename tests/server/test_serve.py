"""`eyecontact serve` as a server runs it: production settings, a new data folder, a proxy."""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

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
