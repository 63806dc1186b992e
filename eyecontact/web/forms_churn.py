"""The form of the churn page: one follower or following list, on a day the user names.

Tools that export plain lists (one account id a line, or a CSV of ids and handles) do not say
when the list was taken, so the user gives the day. The form reads the file with the same
parsers as imports and hands the view the X account ids; ``snapshot_record`` does the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from eyecontact.imports.sources import MAX_FILE_BYTES, ImportFileError, get_format, parse_file
from eyecontact.networks.models import FollowListKind

from .forms import Form

__all__ = [
    "FUTURE_LIST",
    "HANDLES_ONLY",
    "KIND_MISMATCH",
    "NOT_A_FOLLOW_LIST",
    "NO_ACCOUNT_IDS",
    "NO_LIST_FILE",
    "ChurnUploadForm",
]

NO_LIST_FILE = "Pick the file with the list."
EMPTY_LIST_FILE = "This file is empty; pick the list itself."
TOO_LARGE = "{name} is {size:,} bytes; the largest list Eye Contact reads is {limit:,} bytes."
FUTURE_LIST = "A list cannot be from the future; give the day it was exported."
NOT_A_FOLLOW_LIST = (
    "{name} is not an X follower or following list (it reads as {format}); "
    "upload follower.js, following.js, or a list of X account ids."
)
KIND_MISMATCH = "{name} is a list of {found}, not of {chosen}: pick “{found_label}” above."
NO_ACCOUNT_IDS = "{name} lists no X account ids."
HANDLES_ONLY = (
    "{name} has no X account ids, only {handles:,} handle{plural}: lists are compared by "
    "account id, so export the ids too."
)
# What an X file holds, in the user's words, for the refusals above.
KIND_WORDS = {FollowListKind.FOLLOWER: "followers", FollowListKind.FOLLOWING: "accounts you follow"}


class ChurnUploadForm(Form):
    """Upload a follower or following list with the day it shows."""

    kind = forms.ChoiceField(
        choices=FollowListKind.choices,
        initial=FollowListKind.FOLLOWER,
        widget=forms.RadioSelect,
        label="The list holds",
    )
    taken_on = forms.DateField(
        label="Day of the list",
        help_text="The day the list was exported: changes are dated between lists.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    follow_list = forms.FileField(
        label="List file",
        error_messages={"empty": EMPTY_LIST_FILE, "required": NO_LIST_FILE},
        help_text="follower.js or following.js from an X archive, or a CSV or text file with "
        "one X account id a line.",
    )

    def clean_taken_on(self) -> dt.date:
        taken_on: dt.date = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise ValidationError(FUTURE_LIST)
        return taken_on

    def clean_follow_list(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["follow_list"]
        size = upload.size or 0
        if size > MAX_FILE_BYTES:
            name = upload.name or "The file"
            raise ValidationError(TOO_LARGE.format(name=name, size=size, limit=MAX_FILE_BYTES))
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload: UploadedFile | None = cleaned.get("follow_list")
        kind = cleaned.get("kind")
        if upload is None or kind is None:
            return cleaned
        name = upload.name or "list"
        try:
            result = parse_file(name, upload.read(), max_bytes=MAX_FILE_BYTES)
        except ImportFileError as error:
            self.add_error("follow_list", str(error))
            return cleaned
        import_format = get_format(result.format)
        if import_format is None or not import_format.follow_list:
            self.add_error(
                "follow_list",
                NOT_A_FOLLOW_LIST.format(
                    name=name, format=import_format.label if import_format else result.format
                ),
            )
            return cleaned
        found = {c.connection.kind for c in result.contacts if c.connection is not None}
        if found and kind not in found:
            other = next(iter(found - {kind}))
            self.add_error(
                "follow_list",
                KIND_MISMATCH.format(
                    name=name,
                    found=KIND_WORDS[FollowListKind(other)],
                    chosen=KIND_WORDS[FollowListKind(kind)],
                    found_label=FollowListKind(other).label,
                ),
            )
            return cleaned
        contacts = [c for c in result.contacts if c.connection is None or c.connection.kind == kind]
        account_ids = {int(c.x_account_id) for c in contacts if c.x_account_id.isdigit()}
        handles = sum(1 for c in contacts if not c.x_account_id.isdigit())
        if not account_ids:
            refusal = HANDLES_ONLY if handles else NO_ACCOUNT_IDS
            plural = "" if handles == 1 else "s"
            self.add_error("follow_list", refusal.format(name=name, handles=handles, plural=plural))
            return cleaned
        cleaned["file_name"] = name
        cleaned["account_ids"] = sorted(account_ids)
        cleaned["handles_only"] = handles
        return cleaned
