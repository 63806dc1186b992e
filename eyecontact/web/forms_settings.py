"""The form of a user's own settings page: it reads input, services write."""

from __future__ import annotations

from typing import Any

from django import forms

from eyecontact.common.zones import zone_choices

from .forms import Form

__all__ = ["TimeZoneForm"]


class TimeZoneForm(Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Times on every page, in exports and in your calendar feed are shown in it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()  # type: ignore[attr-defined]  # a ChoiceField
