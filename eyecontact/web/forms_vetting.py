"""Forms of the vetting pages: vouching for a connection, screening a request, the policy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from eyecontact.accounts.models import Workspace

from .forms import Form, NoteField

__all__ = ["FUTURE_DAY", "NOTHING_TO_SCREEN", "ScreenForm", "ScreenPolicyForm", "VouchForm"]

FUTURE_DAY = "A meeting you remember cannot be in the future."
NOTHING_TO_SCREEN = "Type their name, or paste their profile link or handle."


class VouchForm(Form):
    """ "Met at a dinner in 2014": the day, where, and a note."""

    day = forms.DateField(
        label="Day you met",
        help_text="Roughly is fine: the first of the month or year you remember.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    where = forms.CharField(max_length=200, required=False, label="Where")
    note = NoteField(label="Note", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, prefix_id: str = "", **kwargs: Any) -> None:
        # Each row of the never-met list has its own form: unique ids keep the labels right.
        kwargs.setdefault("auto_id", f"vouch{prefix_id}-%s" if prefix_id else "id_%s")
        super().__init__(*args, **kwargs)

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise ValidationError(FUTURE_DAY)
        return day


class ScreenForm(Form):
    name = forms.CharField(max_length=200, required=False, label="Name")
    organization = forms.CharField(max_length=200, required=False, label="Headline or organization")
    url = forms.CharField(
        max_length=500,
        required=False,
        label="Profile URL, handle or e-mail",
        help_text="linkedin.com/in/…, x.com/…, @handle or an e-mail address answer exactly.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(str(cleaned.get(name) or "").strip() for name in ("name", "url")):
            raise ValidationError(NOTHING_TO_SCREEN)
        return cleaned


class ScreenPolicyForm(Form):
    screen_policy = forms.ChoiceField(
        choices=Workspace.ScreenPolicy.choices,
        widget=forms.RadioSelect,
        label="Whom to accept",
    )
