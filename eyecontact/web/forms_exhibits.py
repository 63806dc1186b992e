"""Forms of the exhibits pages: they read what people type, the exhibit services write."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from eyecontact.accounts.models import User, Workspace
from eyecontact.events.models import Capture, Event, ExhibitCost
from eyecontact.events.selectors import event_choices

from .forms import Form, NoteField

__all__ = ["CaptureForm", "CostForm", "ExhibitForm", "StaffForm"]

CURRENCY = RegexValidator(r"^[A-Za-z]{3}$", "Use a three-letter currency code, like USD or EUR.")


class MemberChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]  # generic only in the stubs
    """The workspace's members, each shown by e-mail address."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.email)


def _members(workspace: Workspace) -> Any:
    return workspace.members.order_by("email")


class StaffForm(Form):
    staff = MemberChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Staff at the booth",
        help_text="Only they can capture at this booth.",
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = self.fields["staff"]
        assert isinstance(staff, forms.ModelMultipleChoiceField)  # noqa: S101  # declared above
        staff.queryset = _members(workspace)


class ExhibitForm(StaffForm):
    event = forms.ModelChoiceField(queryset=Event.objects.none(), label="Event")
    name = forms.CharField(
        max_length=200, label="Booth", help_text="How you call it on the floor, e.g. Booth B12."
    )
    currency = forms.CharField(
        max_length=3, initial="USD", label="Currency of its costs", validators=[CURRENCY]
    )
    field_order = ("event", "name", "currency", "staff")

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, workspace=workspace, **kwargs)
        event = self.fields["event"]
        assert isinstance(event, forms.ModelChoiceField)  # noqa: S101  # declared above
        event.queryset = event_choices(workspace=workspace)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


class CostForm(Form):
    category = forms.ChoiceField(choices=ExhibitCost.Category.choices)
    amount = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    note = forms.CharField(max_length=200, required=False, label="What for (optional)")


class CaptureForm(Form):
    """The booth form as the browser sends it without JavaScript; with it, the queue sends it."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    payload = forms.CharField(
        max_length=8192, required=False, widget=forms.HiddenInput, label="Badge"
    )
    attendee_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=300, required=False)
    organization = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(max_length=320, required=False, label="E-mail")
    kind = forms.ChoiceField(
        choices=Capture.Kind.choices,
        initial=Capture.Kind.CONVERSATION,
        widget=forms.RadioSelect,
        label="What happened",
    )
    rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        label="Rating",
    )
    interests = forms.CharField(max_length=300, required=False)
    note = NoteField()
    follow_up = forms.BooleanField(required=False, label="Follow up")

    @staticmethod
    def new_client_id() -> uuid.UUID:
        return uuid.uuid4()
