"""E-mail through a real SMTP server (started by the test): STARTTLS, a login, the right links."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import socket
import subprocess
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eyecontact.accounts.models import User, Workspace
from eyecontact.accounts.services import invitation_find
from eyecontact.background.models import Schedule
from eyecontact.background.schedule import DIGEST, schedule_run_due
from eyecontact.insights.services import settings_update
from eyecontact.people.models import Person
from eyecontact.people.services import touch_log
from eyecontact.settings.base import email_settings

MAIL_USER = "eyecontact"
MAIL_PASSWORD = "relay-secret"


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802  # aiosmtpd's hook name
        assert session.ssl is not None, "a message came without TLS"
        content = envelope.original_content or b""
        self.messages.append(email.message_from_bytes(content, policy=email.policy.default))
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        ok = (data.login, data.password) == (MAIL_USER.encode(), MAIL_PASSWORD.encode())
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, made with Debian's openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603  # fixed arguments
        [  # noqa: S607  # openssl from the PATH, as an administrator would run it
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def inbox(
    certificate: tuple[Path, Path], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Inbox]:
    """An SMTP server on localhost that insists on STARTTLS and a login; Eye Contact set up to
    send through it from an ``EYECONTACT_EMAIL_URL``, trusting its certificate."""
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    received = Inbox()
    port = _free_port()
    controller = Controller(
        received,
        hostname="localhost",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=received.authenticate,
        auth_require_tls=True,
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this certificate
    url = f"submission://{MAIL_USER}:{MAIL_PASSWORD}@localhost:{port}"
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "Eye Contact <contacts@example.org>"
    settings.EYECONTACT_BASE_URL = "https://contacts.example.org"
    try:
        yield received
    finally:
        controller.stop()


def _link(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    [link] = re.findall(r"https?://\S+", body.get_content())
    return str(link)


class EmailSettingsTests:
    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            (
                "submission://me:pw@smtp.example.org",
                {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 587, "EMAIL_USE_TLS": True},
            ),
            (
                "smtp://me:pw@smtp.example.org:465?ssl=True",
                {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 465, "EMAIL_USE_SSL": True},
            ),
            ("smtp://127.0.0.1:25", {"EMAIL_HOST": "127.0.0.1", "EMAIL_USE_TLS": False}),
        ],
    )
    def test_an_email_url_names_the_server_and_its_encryption(
        self, url: str, expected: dict[str, Any]
    ) -> None:
        parsed = email_settings(url)
        assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert {key: parsed[key] for key in expected} == expected
        assert parsed["EMAIL_TIMEOUT"] == 30

    def test_without_one_mail_goes_to_the_console(self) -> None:
        assert email_settings("") == {
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
        }


@pytest.mark.django_db(databases=["default", "live"])
class DeliveryTests:
    def test_an_invitation_arrives_with_a_link_that_joins_the_workspace(
        self, inbox: Inbox, client: Client, user: User, workspace: Workspace
    ) -> None:
        client.force_login(user)
        members = reverse("members", kwargs={"slug": workspace.slug})
        response = client.post(members, {"email": "sam@example.org"}, HTTP_HOST="testserver")
        assert response.status_code == 200
        [message] = inbox.messages
        assert inbox.logins == [MAIL_USER]
        assert message["To"] == "sam@example.org"
        assert message["From"] == "Eye Contact <contacts@example.org>"
        assert workspace.name in message["Subject"]
        link = _link(message)
        token = link.rstrip("/").rsplit("/", 1)[-1]
        assert link == "http://testserver" + reverse("invitation_accept", kwargs={"token": token})
        invitation = invitation_find(token)
        assert invitation is not None
        assert invitation.workspace == workspace

    def test_the_weekly_digest_arrives_with_a_link_to_the_week(
        self,
        inbox: Inbox,
        workspace: Workspace,
        user: User,
        make_person: Callable[..., Person],
        run_queued: Callable[[], int],
    ) -> None:
        settings_update(workspace=workspace, weekly_digest=True)
        friend = make_person("Priya Raghunathan", cadence_days=30)
        touch_log(
            workspace=workspace,
            people=[friend],
            channel="in_person",
            when=timezone.now() - dt.timedelta(days=45),
        )
        schedule_run_due()
        due = Schedule.objects.get(name=DIGEST).next_at
        assert schedule_run_due(due) == [DIGEST]  # Monday morning, as the worker sees it
        assert run_queued() == 1
        [message] = inbox.messages
        assert message["To"] == user.email
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        assert "Priya Raghunathan" in body.get_content()
        week = reverse("keep_week", kwargs={"slug": workspace.slug})
        assert _link(message) == f"https://contacts.example.org{week}"
