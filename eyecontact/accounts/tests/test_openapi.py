"""The published OpenAPI document: one name per schema, so clients read and send every value."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import pytest
from ninja import Router, Schema

from eyecontact.api import EyeContactAPI, api
from eyecontact.common.api import ApiName
from eyecontact.events.models import Capture, Event


def components() -> dict[str, Any]:
    schemas: dict[str, Any] = api.get_openapi_schema()["components"]["schemas"]
    return schemas


class OpenApiNamesTests:
    def test_event_kinds_and_capture_kinds_are_two_named_enums(self) -> None:
        schemas = components()
        assert schemas["EventKind"]["enum"] == [kind.value for kind in Event.Kind]
        assert "conference" in schemas["EventKind"]["enum"]
        assert schemas["CaptureKind"]["enum"] == [kind.value for kind in Capture.Kind]
        assert "Kind" not in schemas
        assert schemas["EventOut"]["properties"]["kind"] == {
            "$ref": "#/components/schemas/EventKind"
        }
        assert schemas["CaptureIn"]["properties"]["kind"] == {
            "$ref": "#/components/schemas/CaptureKind"
        }

    def test_two_types_of_one_name_are_refused_unless_named_apart(self) -> None:
        with pytest.raises(ValueError, match="Two schemas are named 'Kind'"):
            probe_document(SecondIn)
        named = probe_document(SecondNamedIn)
        assert named["Kind"]["enum"] == ["one"]
        assert named["SecondKind"]["enum"] == ["two"]


class First:
    class Kind(enum.StrEnum):
        ONE = "one"


class Second:
    class Kind(enum.StrEnum):
        TWO = "two"


class FirstIn(Schema):
    kind: First.Kind


class SecondIn(Schema):
    kind: Second.Kind


class SecondNamedIn(Schema):
    kind: Annotated[Second.Kind, ApiName("SecondKind")]


def probe_document(second: type[Schema]) -> dict[str, Any]:
    """The components of an API taking a ``FirstIn`` and a ``second``."""
    router = Router()
    router.add_api_operation("/first", ["POST"], take_first)
    router.add_api_operation(
        "/second", ["POST"], take_second if second is SecondIn else take_second_named
    )
    probe = EyeContactAPI(urls_namespace=f"probe-{second.__name__}")
    probe.add_router("/", router)
    schemas: dict[str, Any] = probe.get_openapi_schema(path_prefix="")["components"]["schemas"]
    return schemas


def take_first(request: Any, payload: FirstIn) -> None: ...


def take_second(request: Any, payload: SecondIn) -> None: ...


def take_second_named(request: Any, payload: SecondNamedIn) -> None: ...
