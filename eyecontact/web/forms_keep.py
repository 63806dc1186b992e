"""Forms of the keep-in-touch, event plan and insights pages: they read input, services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from eyecontact.events.models import Event
from eyecontact.people.choices import Channel

from .forms import Form

__all__ = [
    "AttendeesForm",
    "KeepSettingsForm",
    "MetForm",
    "PersonTagForm",
    "SnoozeForm",
    "TagForm",
]

WEIGHT_FIELDS = {f"weight_{value}": label for value, label in Channel.choices}


class TagForm(Form):
    name = forms.CharField(max_length=60, label="Tag name")
    cadence_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="See them every … days",
        help_text="Leave empty for no goal.",
    )


class PersonTagForm(Form):
    name = forms.CharField(
        max_length=60,
        label="Add a tag",
        help_text="An existing tag, or a new one.",
        widget=forms.TextInput(attrs={"list": "known-tags", "autocomplete": "off"}),
    )


class SnoozeForm(Form):
    """Snooze until a day: the buttons send ``until``, the date box sends ``day``."""

    until = forms.DateField(required=False)
    day = forms.DateField(
        required=False, label="Snooze until", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not (cleaned.get("until") or cleaned.get("day")):
            raise ValidationError({"day": "Pick the day the reminder should come back."})
        return cleaned

    @property
    def snooze_until(self) -> dt.date:
        day: dt.date = self.cleaned_data.get("until") or self.cleaned_data["day"]
        return day


class DoneForm(Form):
    """Done with a reminder; with a channel, the touch that happened is logged too."""

    channel = forms.ChoiceField(
        choices=[("", "Don't log a touch"), *Channel.choices], required=False, label="How"
    )
    day = forms.DateField(
        required=False, label="When", widget=forms.DateInput(attrs={"type": "date"})
    )


class KeepSettingsForm(Form):
    half_life_days = forms.IntegerField(
        min_value=7,
        max_value=3650,
        label="Half-life in days",
        help_text="After this many days a touch counts half as much.",
    )
    default_cadence_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Default cadence in days",
        help_text="For everyone without a cadence of their own or of a tag; empty for none.",
    )
    weekly_digest = forms.BooleanField(
        required=False, label="E-mail me this week's reminders every Monday"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in WEIGHT_FIELDS.items():
            self.fields[name] = forms.FloatField(
                min_value=0, max_value=100, label=f"Weight of {label.lower()}"
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in WEIGHT_FIELDS]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("half_life_days", "default_cadence_days", "weekly_digest")]


class AttendeesForm(Form):
    attendees = forms.FileField(
        label="Attendee list (CSV)",
        help_text="From the organiser: a Name column (or First and Last Name), optionally "
        "Company, E-mail and Badge ID.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class MetForm(Form):
    """Who was met at the event, and on which day of it."""

    person = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Who did you meet?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick everyone you met."},
    )
    day = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self, *args: Any, event: Event, choices: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"day": event.starts_on})
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedMultipleChoiceField)  # noqa: S101  # declared above
        person.choices = choices
        self.fields["day"].widget.attrs.update(
            {"min": event.starts_on.isoformat(), "max": event.ends_on.isoformat()}
        )
