"""Eye Contact's processes started as a server starts them, and spoken to over HTTP.

A :class:`Processes` starts ``eyecontact serve`` and ``eyecontact worker`` with the production
settings on the test's database (the processes of one test share it, as machines behind a load
balancer share one PostgreSQL), keeps each one's log, and stops them all at the end. A
:class:`Server` speaks HTTP to one ``serve`` as the proxy in front of it would: the site's name,
``X-Forwarded-Proto: https``.
"""

from __future__ import annotations

import dataclasses
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.db import connections

__all__ = [
    "SECRET",
    "SITE",
    "Answer",
    "Processes",
    "Server",
    "database_url",
    "free_port",
    "multipart",
    "wait_for",
]

SECRET = "a-test-secret-key-that-is-long-enough-for-django-checks-0123456789"  # noqa: S105  # test only
SITE = "contacts.example.org"
CLI = [sys.executable, "-c", "from eyecontact.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def database_url() -> str:
    """The test database as a URL for the server processes (PostgreSQL)."""
    database = connections["default"].settings_dict
    assert database["ENGINE"].endswith("postgresql"), "these processes share a PostgreSQL"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    host = database.get("HOST") or "127.0.0.1"
    return f"postgres://{database['USER']}{password}@{host}{port}/{database['NAME']}"


def multipart(field: str, file_name: str, data: bytes) -> tuple[bytes, str]:
    """A form with one file, as a browser or ``curl -F`` sends it; (body, content type)."""
    boundary = uuid.uuid4().hex
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name={field!r}; "
        f"filename={file_name!r}\r\nContent-Type: application/octet-stream\r\n\r\n"
    ).replace("'", '"')
    body = head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Server:
    """One ``eyecontact serve``, reached as through the HTTPS proxy in front of it."""

    def __init__(
        self, port: int, process: subprocess.Popen[bytes] | None = None, log: Path | None = None
    ) -> None:
        self.port = port
        self.process = process
        self.log = log
        self.cookies: dict[str, str] = {}

    def wait(self) -> Server:
        """Waits until the server listens (it migrates and collects static files first)."""
        deadline = time.monotonic() + 120
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                assert self.process is None or self.process.poll() is None, f"see {self.log}"
                assert time.monotonic() < deadline, f"the server did not listen: see {self.log}"
                time.sleep(0.2)

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {
            "Host": SITE,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode("utf-8"))
        finally:
            connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return answer

    def log_in(self, email: str, password: str) -> None:
        """Logs in through the login page, as a browser does; keeps the session cookie."""
        self.cookies.clear()
        self.request("GET", "/login/")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "username": email,
                "password": password,
            }
        ).encode()
        answer = self.request(
            "POST",
            "/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{SITE}",
                "Referer": f"https://{SITE}/login/",
            },
        )
        assert answer.status == 302, f"the login was refused ({answer.status})"
        assert "sessionid" in self.cookies


class Processes:
    """The Eye Contact processes of one test; ``stop_all()`` ends those still running."""

    def __init__(self, folder: Path, **environment: str) -> None:
        self.folder = folder
        self.started: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "EYECONTACT_HOME", "DJANGO_SETTINGS_MODULE")
        }
        self.env |= {
            "DJANGO_SETTINGS_MODULE": "eyecontact.settings.production",
            "EYECONTACT_HOME": str(folder / "home"),
            "EYECONTACT_SECRET_KEY": SECRET,
            "EYECONTACT_ALLOWED_HOSTS": SITE,
            "EYECONTACT_BASE_URL": f"https://{SITE}",
            "DATABASE_URL": database_url(),
            "PYTHONUNBUFFERED": "1",  # each line in the log as it is written
            **environment,
        }

    def eyecontact(self, *arguments: str, stdin: str = "") -> str:
        """Runs one CLI command to its end; its output."""
        done = subprocess.run(  # noqa: S603  # this interpreter, fixed arguments
            [*CLI, *arguments],
            env=self.env,
            input=stdin.encode(),
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen[bytes]:
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603  # this interpreter, fixed arguments
            [*CLI, *arguments], env=self.env, stdout=log, stderr=log
        )
        self.started.append((process, log))
        return process

    def serve(self, name: str) -> Server:
        """Starts an ``eyecontact serve`` as the systemd unit does; ``Server.wait()`` waits
        until it listens."""
        port = free_port()
        process = self._start(
            name,
            ["serve", "--port", str(port), "--demo-people", "0", "--no-worker",
             "--trusted-proxy", "127.0.0.1"],
        )  # fmt: skip
        return Server(port, process, self.folder / f"{name}.log")

    def worker(self, name: str) -> Callable[[], tuple[subprocess.Popen[bytes], str]]:
        """Starts an ``eyecontact worker``; the call returned waits until it runs and gives
        (its process, its worker id)."""
        process = self._start(name, ["worker", "--interval", "0.2"])
        log = self.folder / f"{name}.log"

        def worker_id() -> str | None:
            found = re.search(r"^Worker (\S+):", log.read_text(errors="replace"), re.MULTILINE)
            assert process.poll() is None, f"{name} stopped: see {log}"
            return found.group(1) if found else None

        def running() -> tuple[subprocess.Popen[bytes], str]:
            wait_for(worker_id, 120, f"{name} did not start")
            return process, str(worker_id())

        return running

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for process, log in reversed(self.started):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
            log.close()
