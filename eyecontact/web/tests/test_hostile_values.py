"""No web page answers 500 to a value no database can hold: walks every form and every page.

Every form of the web app (each subclass of the forms' base) is filled, one field at a time, with
an integer one past 64 bits or text holding an unpaired surrogate, and must refuse that field. Every
page that takes an id answers 404 for an id one past 64 bits, as for any id that is not there.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.test import Client
from django.urls import reverse

from eyecontact.common.storable import DB_INT_MAX, INT_OUT_OF_RANGE, UNPAIRED_SURROGATE
from eyecontact.web import forms as base_forms
from eyecontact.web import forms_churn, forms_exhibits, forms_imports, forms_keep, forms_vetting

from .conftest import WorkspaceData
from .test_scoping import ID_KWARGS, OTHER_KWARGS, _value, web_patterns

TOO_BIG = DB_INT_MAX + 1
SURROGATE = "a\ud800b"
FORM_MODULES = (base_forms, forms_churn, forms_exhibits, forms_imports, forms_keep, forms_vetting)
NOT_TYPED = (forms.FileField, forms.ModelChoiceField, forms.BooleanField, forms.ChoiceField)


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def web_forms() -> list[type[forms.BaseForm]]:
    """Every form class the web app's form modules define."""
    found = []
    for module in FORM_MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def build(cls: type[forms.BaseForm], data: dict[str, Any], own: WorkspaceData) -> forms.BaseForm:
    """A bound form, given whatever its constructor asks for beyond the data."""
    wanted = inspect.signature(cls.__init__).parameters
    kwargs: dict[str, Any] = {}
    if "workspace" in wanted:
        kwargs["workspace"] = own.workspace
    if "event" in wanted:
        kwargs["event"] = own.event
    if "choices" in wanted:
        kwargs["choices"] = [(own.person.pk, own.person.display_name)]
    if issubclass(cls, AuthenticationForm):
        return cls(None, data=data)  # the request comes first
    return cls(data=data, **kwargs)


def hostile_value(field: forms.Field) -> tuple[str, str] | None:
    """A value the field takes as typed, holding what no database can store, and the refusal."""
    if isinstance(field, NOT_TYPED):
        return None
    if isinstance(field, forms.IntegerField):
        return str(TOO_BIG), INT_OUT_OF_RANGE
    if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
        return SURROGATE, UNPAIRED_SURROGATE.format(code=0xD800)
    return None


@pytest.mark.django_db
class HostileFormValueTests:
    def test_every_web_form_is_guarded(self) -> None:
        names = {cls.__name__ for cls in web_forms()}
        assert {"PersonForm", "TouchForm", "EventForm", "LoginForm", "CostForm"} <= names
        for cls in web_forms():
            assert issubclass(cls, base_forms.StorableValues), cls.__name__

    def test_every_text_and_integer_field_refuses_what_no_database_holds(
        self, own_data: WorkspaceData
    ) -> None:
        checked = 0
        for cls in web_forms():
            for name, field in build(cls, {}, own_data).fields.items():
                hostile = hostile_value(field)
                if hostile is None:
                    continue
                value, message = hostile
                form = build(cls, {name: value}, own_data)
                assert not form.is_valid()
                where = (cls.__name__, name, form.errors)
                assert name in form.errors, where
                # A field with a format of its own (a UUID, a pattern) may refuse it for that.
                if type(field) in (forms.CharField, base_forms.NoteField, forms.IntegerField):
                    assert message in form.errors[name], where
                checked += 1
        assert checked >= 25


def value(kwarg: str, data: WorkspaceData) -> str | int:
    """What a URL keyword stands for in ``data``; 1 for a kind of id it does not hold, as only
    the value under test matters here."""
    if kwarg in OTHER_KWARGS or hasattr(data, ID_KWARGS.get(kwarg, "")):
        return _value(kwarg, data)
    return 1


@pytest.mark.django_db
class HostileIdTests:
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_an_id_past_64_bits_is_a_page_that_is_not_there(
        self, member_client: Client, own_data: WorkspaceData, method: str
    ) -> None:
        checked = 0
        for pattern in web_patterns():
            for kwarg in sorted(pattern.kwargs & set(ID_KWARGS)):
                kwargs = {k: TOO_BIG if k == kwarg else value(k, own_data) for k in pattern.kwargs}
                url = reverse(pattern.name, kwargs=kwargs)
                response = getattr(member_client, method)(url)
                assert response.status_code in (404, 405), (method, url, response.status_code)
                checked += 1
        assert checked >= 30
