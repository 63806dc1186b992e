"""Logging in safely: lock-out, password change and reset, API tokens, the second factor."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from eyecontact.accounts.models import ApiToken, User, Workspace
from eyecontact.accounts.services import token_create, user_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def log_in(client: Client, email: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": email, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


class LockOutTests:
    def test_ten_wrong_passwords_lock_the_account_for_a_while(
        self, client: Client, user: User, other_user: User, settings: Any
    ) -> None:
        for _ in range(9):
            assert log_in(client, user.email, "wrong").status_code == 200
        locked = log_in(client, user.email, "wrong")
        assert locked.status_code == 429
        assert b"Too many wrong passwords" in locked.content
        # Now even the right password is refused, from any browser.
        assert log_in(Client(), user.email, PASSWORD).status_code == 429
        assert not logged_in(client)
        # Another account is not locked by it.
        other = Client()
        assert log_in(other, other_user.email, PASSWORD).status_code == 302
        # Once the lock-out time has passed, the right password works.
        AccessAttempt.objects.update(attempt_time=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
        later = Client()
        assert log_in(later, user.email, PASSWORD).status_code == 302
        assert logged_in(later)

    def test_a_right_password_clears_the_count(self, client: Client, user: User) -> None:
        for _ in range(9):
            log_in(client, user.email, "wrong")
        assert log_in(client, user.email, PASSWORD).status_code == 302
        client.logout()
        for _ in range(9):
            assert log_in(client, user.email, "wrong").status_code == 200


class ApiLimitTests:
    def test_the_api_answers_429_past_ten_wrong_tokens_from_an_address(
        self, user: User, workspace: Workspace
    ) -> None:
        _, key = token_create(user=user)
        guesser = Client(REMOTE_ADDR="198.51.100.9")
        for n in range(10):
            wrong = guesser.get("/api/workspaces/", HTTP_AUTHORIZATION=f"Bearer ec_guess{n}")
            assert wrong.status_code == 401
        refused = guesser.get("/api/workspaces/", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert refused.status_code == 429
        assert "Too many wrong tokens" in refused.json()["detail"]
        # The token's owner, from elsewhere, is not held back.
        owner = Client(REMOTE_ADDR="192.0.2.1", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert owner.get("/api/workspaces/").status_code == 200


class PasswordTests:
    def test_a_user_changes_the_password(self, client: Client, user: User) -> None:
        client.force_login(user)
        response = client.post(
            reverse("account_password"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)

    def test_a_wrong_old_password_changes_nothing(self, client: Client, user: User) -> None:
        client.force_login(user)
        response = client.post(
            reverse("account_password"),
            {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["old_password"]
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_a_forgotten_password_is_reset_through_the_emailed_link(
        self, client: Client, user: User
    ) -> None:
        response = client.post(reverse("password_reset"), {"email": user.email})
        assert response["Location"] == reverse("password_reset_sent")
        [message] = mail.outbox
        assert message.to == [user.email]
        [link] = re.findall(r"https?://testserver(/\S+)", str(message.body))
        opened = client.get(link)  # Django moves the secret out of the address, into the session
        assert opened.status_code == 302
        form = client.get(opened["Location"])
        assert form.context["validlink"]
        done = client.post(
            opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert done["Location"] == reverse("password_reset_complete")
        assert "log in" in client.get(done["Location"]).content.decode().lower()
        assert log_in(Client(), user.email, NEW_PASSWORD).status_code == 302
        # The link works once.
        assert not client.get(link).context["validlink"]

    @pytest.mark.parametrize("link", ["not-a-link", "MQ.", ".set-password", "MQ.bad-token"])
    def test_a_mangled_link_offers_a_new_one(self, client: Client, link: str) -> None:
        response = client.get(reverse("password_reset_confirm", kwargs={"token": link}))
        assert response.status_code == 200
        assert not response.context["validlink"]
        assert reverse("password_reset") in response.content.decode()

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self, client: Client) -> None:
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
        assert response["Location"] == reverse("password_reset_sent")
        assert mail.outbox == []


class TokenPageTests:
    def test_a_token_is_made_shown_once_used_and_revoked(self, client: Client, user: User) -> None:
        client.force_login(user)
        made = client.post(reverse("account_tokens"), {"name": "Booth phone"})
        [key] = re.findall(r'<code id="new-token">(ec_[^<]+)</code>', made.content.decode())
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert api.get("/api/workspaces/").status_code == 200
        assert key not in client.get(reverse("account_tokens")).content.decode()  # once only
        token = ApiToken.objects.get(name="Booth phone")
        revoked = client.post(reverse("account_token_revoke"), {"token": token.pk})
        assert revoked.status_code == 302
        assert api.get("/api/workspaces/").status_code == 401

    def test_someone_elses_token_is_not_found(
        self, client: Client, user: User, other_user: User
    ) -> None:
        theirs, key = token_create(user=other_user)
        client.force_login(user)
        assert client.post(reverse("account_token_revoke"), {"token": theirs.pk}).status_code == 404
        assert Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/workspaces/").status_code == 200


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """The code an authenticator app holding the device's key shows now (or a step later)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{code:0{device.digits}d}"


class SecondFactorTests:
    def _turn_on(self, client: Client, user: User) -> TOTPDevice:
        client.force_login(user)
        page = client.get(reverse("account_second_factor"))
        assert b"<svg" in page.content  # the QR code, drawn here, not fetched
        device = TOTPDevice.objects.get(user=user)
        turned = client.post(reverse("account_second_factor"), {"code": code_for(device)})
        assert turned["Location"] == reverse("account")
        device.refresh_from_db()
        assert device.confirmed
        return device

    def test_with_a_second_factor_the_password_alone_opens_nothing(
        self, client: Client, user: User, workspace: Workspace
    ) -> None:
        device = self._turn_on(client, user)
        browser = Client()
        assert log_in(browser, user.email, PASSWORD).status_code == 302
        people = reverse("people_list", kwargs={"slug": workspace.slug})
        held = browser.get(people)
        assert held.status_code == 302
        assert held["Location"].startswith(reverse("second_factor_code"))
        assert browser.get("/api/workspaces/").status_code == 401  # nor the API by session
        wrong = browser.post(reverse("second_factor_code"), {"code": "123456", "next": people})
        assert wrong.context["form"].errors["code"]
        device.refresh_from_db()
        device.throttling_failure_count = 0  # django-otp slows down guessing; not a guess here
        device.throttling_failure_timestamp = None
        device.save()
        right = browser.post(
            reverse("second_factor_code"), {"code": code_for(device, drift=1), "next": people}
        )
        assert right["Location"] == people
        assert browser.get(people).status_code == 200
        assert browser.get("/api/workspaces/").status_code == 200

    def test_without_one_the_password_is_enough(self, client: Client, workspace: Workspace) -> None:
        plain = user_create(email="plain@example.org", password=PASSWORD)
        assert log_in(client, plain.email, PASSWORD).status_code == 302
        assert client.get(reverse("account")).status_code == 200
