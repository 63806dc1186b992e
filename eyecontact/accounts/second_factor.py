"""An optional second factor at login: a six-digit code from an authenticator app (TOTP).

::

    account page ──second_factor_start()──▶ TOTPDevice (unconfirmed) ──QR code──▶ the phone
                 ◀──second_factor_confirm(code)── the first code proves the phone has it
    login: password ──▶ SecondFactorMiddleware ──▶ code page ──second_factor_verify()──▶ in

Built on django-otp: its TOTP devices, its throttling of wrong codes and its record of the
device that verified the session. A user without a confirmed device logs in with the password
alone, as before.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

__all__ = [
    "DEVICE_NAME",
    "SECOND_FACTOR_SESSION_KEY",
    "second_factor_confirm",
    "second_factor_on",
    "second_factor_remove",
    "second_factor_start",
    "second_factor_verify",
]

DEVICE_NAME = "Authenticator app"
# Set in the session at login: whether this account asks for a code (see eyecontact.web).
SECOND_FACTOR_SESSION_KEY = "eyecontact.second_factor"


def second_factor_on(user: User) -> bool:
    """True when the user logs in with a code as well as the password."""
    return bool(user_has_device(user, confirmed=True))


@transaction.atomic
def second_factor_start(*, user: User) -> TOTPDevice:
    """The device being set up (made on first ask): its key goes to the phone as a QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def second_factor_confirm(*, user: User, code: str) -> bool:
    """Turns the second factor on once the phone shows a right code; False for a wrong one."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return True


def second_factor_verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """Checks a login's code; a right one marks the session verified."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code.strip())
        if verified is not None:
            otp_login(request, verified)
            return True
    return False


def second_factor_remove(*, user: User) -> None:
    """Back to logging in with the password alone."""
    TOTPDevice.objects.filter(user=user).delete()
