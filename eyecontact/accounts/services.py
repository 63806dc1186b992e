"""Creating users and workspaces, inviting members, issuing API tokens, and the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.text import slugify

from eyecontact.common.locks import is_lock_busy, lock_wait
from eyecontact.common.rows import columns, from_row
from eyecontact.common.zones import UNKNOWN_ZONE, zone_is_known

from .models import ApiToken, AuditEntry, Invitation, Membership, User, Workspace

__all__ = [
    "AuditNote",
    "INVITATION_LIFETIME",
    "INVITATION_NOT_YOURS",
    "TOKEN_PREFIX",
    "audit_record",
    "audit_record_many",
    "invitation_accept",
    "invitation_is_for",
    "secret_hash",
    "invitation_create",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "user_create",
    "user_time_zone_set",
    "workspace_add_member",
    "workspace_create",
    "workspace_set_screen_policy",
]

SUBJECT_LENGTH = AuditEntry._meta.get_field("subject").max_length or 200


@dataclass(frozen=True, slots=True)
class AuditNote:
    """One entry of the audit trail, for :func:`audit_record_many`."""

    workspace_id: int
    action: str
    subject: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)
    actor: User | None = None


def audit_record(
    *,
    workspace: Workspace,
    action: str,
    subject: str = "",
    details: Mapping[str, Any] | None = None,
    actor: User | None = None,
) -> AuditEntry:
    """Writes who changed what in ``workspace``: every app's services call this, so the trail
    has one shape (``action`` as ``area.verb``, a readable ``subject``, ids in ``details``)."""
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor,
        action=action,
        subject=subject[:SUBJECT_LENGTH],
        details=dict(details or {}),
    )


def audit_record_many(notes: Iterable[AuditNote]) -> None:
    """Writes many audit entries in one statement (the merges an import decides)."""
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                workspace_id=note.workspace_id,
                actor=note.actor,
                action=note.action,
                subject=note.subject[:SUBJECT_LENGTH],
                details=dict(note.details),
            )
            for note in notes
        ]
    )


TOKEN_PREFIX = "ec_"  # noqa: S105  # marks Eye Contact keys, not a secret
INVITATION_LIFETIME = dt.timedelta(days=14)
INVITATION_NOT_VALID = "This invitation link is not valid or has expired."
INVITATION_NOT_YOURS = (
    "This invitation was sent to another e-mail address than yours ({email}). Log in with the "
    "address it was sent to, or ask the person who invited you for an invitation to {email}."
)


def secret_hash(secret: str) -> str:
    """What is stored of a secret link or key: its SHA-256, never the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "workspace"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def workspace_create(*, name: str, owner: User, default_region: str = "US") -> Workspace:
    """A new workspace owned by ``owner``."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "A workspace needs a name."})
    workspace = Workspace(name=name, slug=_unique_slug(name), default_region=default_region)
    workspace.full_clean()
    workspace.save()
    Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
    return workspace


@transaction.atomic
def workspace_set_screen_policy(
    *, workspace: Workspace, policy: str, actor: User | None = None
) -> Workspace:
    """Whom the connection-request screener advises accepting in this workspace."""
    if policy not in Workspace.ScreenPolicy.values:
        raise ValidationError({"screen_policy": "Pick one of the screening policies offered."})
    old = workspace.screen_policy
    workspace.screen_policy = policy
    workspace.save(update_fields=["screen_policy"])
    audit_record(
        workspace=workspace,
        actor=actor,
        action="workspace.screen_policy",
        subject=workspace.name[:200],
        details={"old": old, "new": policy},
    )
    return workspace


def workspace_add_member(
    *, workspace: Workspace, user: User, role: str = Membership.Role.MEMBER
) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def user_create(*, email: str, password: str, workspace_name: str = "") -> User:
    """A user who logs in with ``email``; with ``workspace_name`` they also get a workspace."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": f"Not an e-mail address: {email!r}."}) from exc
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": f"A user with the e-mail {email} already exists."})
    user = User(email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    if workspace_name:
        workspace_create(name=workspace_name, owner=user)
    return user


def invitation_create(
    *, workspace: Workspace, created_by: User, email: str = ""
) -> tuple[Invitation, str]:
    """An invitation and its secret; only the hash is stored, so the link is shown once."""
    secret = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email.strip().lower(),
        token_hash=secret_hash(secret),
        created_by=created_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    return invitation, secret


def invitation_find(secret: str) -> Invitation | None:
    """The open invitation behind a link, if it is still valid."""
    return (
        Invitation.objects.select_related("workspace")
        .filter(
            token_hash=secret_hash(secret), accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


def invitation_is_for(*, invitation: Invitation, user: User) -> bool:
    """Whether ``user`` may accept ``invitation``.

    An invitation sent to an address is that address's alone: the account with that e-mail (an
    existing one, or one made for it) accepts it, whoever else the link reaches. A link made
    without an address is for whoever holds it.
    """
    return not invitation.email or invitation.email.casefold() == user.email.strip().casefold()


@transaction.atomic
def invitation_accept(*, secret: str, user: User) -> Workspace:
    """Makes ``user`` a member of the invitation's workspace; the link works once.

    Refused with :class:`PermissionDenied` (:data:`INVITATION_NOT_YOURS`) when the invitation was
    sent to another address, and with :class:`ValidationError` when it is unknown, used or expired.
    """
    invitation = invitation_find(secret)
    if invitation is None:
        raise ValidationError(INVITATION_NOT_VALID)
    if not invitation_is_for(invitation=invitation, user=user):
        raise PermissionDenied(INVITATION_NOT_YOURS.format(email=user.email))
    # Marked used only if still open, so two tabs pressing Join at once add one member.
    used = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_by=user, accepted_at=timezone.now()
    )
    if not used:
        raise ValidationError(INVITATION_NOT_VALID)
    workspace_add_member(workspace=invitation.workspace, user=user)
    return invitation.workspace


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new personal API token; returns the stored row and the key, which is shown once."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=secret_hash(key)
    )
    return token, key


def token_authenticate(key: str) -> User | None:
    """The active user holding this token, or None; records when the token was last used.

    Every API call comes through here (a booth's phones, hundreds a second), so the lookup is
    one plain statement: the ORM's query for it cost several times more to build than to run.
    """
    if not key.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    stale = now - dt.timedelta(minutes=5)
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_OWNER, [stale, secret_hash(key)])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, token_pk, token_stale = row
    user = from_row(User, connection, values)
    if token_stale:
        _note_token_use(token_pk, now)
    return user


def _note_token_use(token_pk: int, now: dt.datetime) -> None:
    """Records the use, unless another writer (an import) holds the database: the call it
    authenticates must not wait for that, and the next call records it instead."""
    try:
        with lock_wait(0):
            ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
    except OperationalError as exc:
        if not is_lock_busy(exc):
            raise


_TOKEN_OWNER = f"""
    SELECT {columns(User, "u")}, t.id, (t.last_used_at IS NULL OR t.last_used_at < %s)
    FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id
    WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active
"""  # noqa: S608  # table and column names from the models; the hash is a parameter


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def user_time_zone_set(*, user: User, time_zone: str, only_if_unset: bool = False) -> User:
    """Sets the zone the user's times are shown in; ``only_if_unset`` for the browser's guess.

    Raises ValidationError naming the zone when it is not a known IANA name.
    """
    name = time_zone.strip()
    if not zone_is_known(name):
        raise ValidationError({"time_zone": UNKNOWN_ZONE.format(name=name)})
    if only_if_unset and user.time_zone:
        return user
    user.time_zone = name
    user.save(update_fields=["time_zone"])
    return user
