"""The web app's forms: they read and check what people type, services do the rest.

A form never writes. Each view calls ``form.is_valid()``, hands ``cleaned_data`` to one service
and, when the service refuses (a ``ValidationError`` with a field dict), shows its messages next
to the fields with :func:`add_service_errors`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from eyecontact.accounts.models import Workspace
from eyecontact.common.dates import InvalidWhen, parse_when
from eyecontact.common.storable import validate_storable
from eyecontact.common.zones import zone_choices
from eyecontact.events.models import Event
from eyecontact.events.selectors import event_choices
from eyecontact.people.choices import Channel, ConnectionKind, IdentityKind, Network
from eyecontact.people.models import NOTE_MAX_LENGTH

__all__ = [
    "ConnectionForm",
    "EventForm",
    "IdentityForm",
    "InviteForm",
    "LoginForm",
    "PersonForm",
    "QuickLogForm",
    "TouchForm",
    "WorkspaceForm",
    "add_service_errors",
]

NOTE_TOO_LONG = "Keep notes under {limit:,} characters (this one has {length:,})."


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Shows a service's refusal next to the fields it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        for message in errors:
            form.add_error(target, message)


class StorableValues:
    """Every field of the form refuses what no database can hold: an integer past 64 bits, text
    with a lone surrogate (see :mod:`eyecontact.common.storable`). Fields a form adds in its
    ``__init__`` too."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        for field in self.fields.values():
            if validate_storable not in field.validators:
                field.validators.append(validate_storable)
        super().full_clean()  # type: ignore[misc]  # a mixin of forms.BaseForm


class Form(StorableValues, forms.Form):
    """Labels without Django's trailing colon; the layout sets them apart instead."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class NoteField(forms.CharField):
    """A free-text note, refused past the length the database keeps."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if len(value) > NOTE_MAX_LENGTH:
            raise ValidationError(NOTE_TOO_LONG.format(limit=NOTE_MAX_LENGTH, length=len(value)))


class LoginForm(StorableValues, AuthenticationForm):
    """Log in with an e-mail address and password."""

    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        # Addresses are stored lower-case; phones capitalise the first letter people type.
        return str(self.cleaned_data["username"]).strip().lower()


class WorkspaceForm(Form):
    name = forms.CharField(max_length=120, label="Workspace name")
    default_region = forms.CharField(
        max_length=2,
        initial="US",
        label="Country for phone numbers",
        help_text="Two letters (US, DE, GB): numbers typed without +country are read there.",
        validators=[RegexValidator(r"^[A-Za-z]{2}$", "Use a two-letter country code, like US.")],
    )

    def clean_default_region(self) -> str:
        return str(self.cleaned_data["default_region"]).upper()


class InviteForm(Form):
    email = forms.EmailField(
        required=False,
        label="Their e-mail address (optional)",
        help_text="We send the link there; without one, copy the link yourself.",
    )


class PersonForm(Form):
    display_name = forms.CharField(max_length=300, label="Name")
    organization = forms.CharField(max_length=200, required=False)
    title = forms.CharField(max_length=200, required=False, label="Job title")
    city = forms.CharField(max_length=120, required=False)
    cadence_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="See them every … days",
        help_text="Leave empty for no goal.",
    )
    notes = NoteField()


class IdentityForm(Form):
    kind = forms.ChoiceField(choices=IdentityKind.choices, label="Type")
    value = forms.CharField(max_length=320, label="E-mail, phone or profile")
    label = forms.CharField(max_length=60, required=False, label="Label (work, home…)")


class ConnectionForm(Form):
    network = forms.ChoiceField(choices=Network.choices)
    kind = forms.ChoiceField(choices=ConnectionKind.choices, label="Link")
    connected_on = forms.DateField(
        required=False,
        label="Since",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TouchForm(Form):
    """A touch with one person: how, when (now if empty), where, at which event, a note."""

    channel = forms.ChoiceField(
        choices=Channel.choices,
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
        label="How",
    )
    when = forms.CharField(
        required=False,
        label="When",
        help_text="Empty means now. A date alone (2026-01-08) is fine.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    where = forms.CharField(max_length=200, required=False, label="Where")
    event = forms.ModelChoiceField(
        queryset=Event.objects.none(), required=False, empty_label="No event", label="Event"
    )
    note = NoteField(label="Note")

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event_field = self.fields["event"]
        assert isinstance(event_field, forms.ModelChoiceField)  # noqa: S101  # declared above
        event_field.queryset = event_choices(workspace=workspace)

    def clean_when(self) -> tuple[dt.datetime, bool] | None:
        text = str(self.cleaned_data.get("when") or "").strip()
        if not text:
            return None
        try:
            return parse_when(text)
        except InvalidWhen as exc:
            raise ValidationError(f"Not a date we can read: {exc}.") from exc


class QuickLogForm(TouchForm):
    """The header's box: a touch with someone found or added by name."""

    name = forms.CharField(max_length=300, label="Who")
    # The user's explicit choice when the name alone does not say who: a person's id, or
    # "new" to add someone. Empty until the page has asked.
    person = forms.RegexField(regex=r"^(new|[0-9]{1,18})$", required=False)

    field_order = ("name", "channel", "when", "where", "event", "note")

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise ValidationError("Type the name of the person you met.")
        return name


class EventForm(Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Event.Kind.choices, initial=Event.Kind.CONFERENCE)
    starts_on = forms.DateField(label="Starts", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        required=False,
        label="Ends",
        help_text="Leave empty for a one-day event.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    venue = forms.CharField(max_length=200, required=False)
    city = forms.CharField(max_length=120, required=False)
    time_zone = forms.ChoiceField(
        required=False,
        label="Time zone",
        help_text="Meetings at the event are shown in its local time.",
    )
    notes = NoteField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones: list[tuple[str, str]] = [("", "Same as yours"), *zone_choices()]
        self.fields["time_zone"].choices = zones  # type: ignore[attr-defined]  # a ChoiceField
