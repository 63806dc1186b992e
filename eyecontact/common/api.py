"""What every JSON API router shares: paging, one shape for every refusal, and guarded input.

A refused request answers HTTP 422 with ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``
whether the schema refused it (a missing field, an unknown channel) or a service did (an empty
name, an oversize note). ``loc`` is ``["body", <field>]`` for a field of the JSON body, so a client
needs one error reader for both.

Whatever an operation declares, :func:`guard_operations` makes every one of them refuse two kinds
of value no database can hold (see :mod:`eyecontact.common.storable`), before the operation
runs: an integer outside the database's 64-bit range (``?offset=9223372036854775808``) and text
holding an unpaired UTF-16 surrogate (``"a\\ud800b"`` in JSON), anywhere in the path, the query
or the body.
"""

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, NinjaAPI, Router, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.pagination import LimitOffsetPagination
from ninja.params.models import ParamModel
from pydantic import BaseModel, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic import ValidationError as PydanticValidationError
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, PydanticCustomError

from .storable import DB_INT_MAX, DB_INT_MIN, INT_OUT_OF_RANGE, UNPAIRED_SURROGATE, storable_problem

__all__ = [
    "BODY",
    "ApiName",
    "DB_INT_MAX",
    "DB_INT_MIN",
    "INT_OUT_OF_RANGE",
    "PAGE_MAX_LIMIT",
    "PAGE_SIZE",
    "Pages",
    "UNPAIRED_SURROGATE",
    "field_errors",
    "flat_schema_errors",
    "guard_operations",
    "guard_problems",
    "UniqueNamesSchema",
    "renamed_fields",
]


PAGE_SIZE = 50
PAGE_MAX_LIMIT = 500
# The name every operation gives its JSON body parameter; dropped from error locations.
BODY = "payload"


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` paging: 50 a page by default, at most 500."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=PAGE_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=DB_INT_MAX)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=PAGE_MAX_LIMIT, **kwargs)


def field_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A service's refusal as API errors, one per message, each naming its body field."""
    if not hasattr(exc, "error_dict"):
        return [{"loc": ["body"], "msg": msg, "type": "value_error"} for msg in exc.messages]
    errors: list[dict[str, Any]] = []
    for field, messages in exc.message_dict.items():
        loc = ["body"] if field == NON_FIELD_ERRORS else ["body", field]
        errors.extend({"loc": loc, "msg": msg, "type": "value_error"} for msg in messages)
    return errors


def flat_schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Schema errors with the body parameter's name left out: ``["body", "channel"]``.

    A file of a multipart upload is a field of the body too: ``["body", "file"]``.
    """
    flat = []
    for error in errors:
        loc = list(error.get("loc", ()))
        if loc[:2] == ["body", BODY]:
            loc = ["body", *loc[2:]]
        elif loc[:1] == ["file"]:
            loc = ["body", *loc[1:]]
        flat.append({**error, "loc": loc})
    return flat


@contextmanager
def renamed_fields(mapping: Mapping[str, str]) -> Iterator[None]:
    """Names a service's field errors as the API calls those fields (``occurred_at`` → ``when``)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            renamed.setdefault(mapping.get(field, field), []).extend(messages)
        raise DjangoValidationError(renamed) from exc


def guard_problems(value: Any, loc: tuple[str | int, ...] = ()) -> Iterator[InitErrorDetails]:
    """Every integer out of the database's range and every text with a lone surrogate in
    ``value`` (a validated model, and whatever it holds), each with where it sits."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from guard_problems(getattr(value, name), (*loc, name))
    elif isinstance(value, int | str):
        if problem := storable_problem(value):
            error = PydanticCustomError("not_storable", problem)
            yield {"type": error, "loc": loc, "input": value}
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from guard_problems(key, (*loc, str(key)))
            yield from guard_problems(item, (*loc, str(key)))
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from guard_problems(item, (*loc, index))


def _guarded(model: type[ParamModel]) -> type[ParamModel]:
    """``model`` (the path, query or body of one operation) refusing what :func:`guard_problems`
    finds, as a schema error ninja reports like any other."""

    class Guarded(model):  # type: ignore[valid-type,misc]  # a subclass of a class made at run time
        __guarded__: ClassVar[bool] = True

        @classmethod
        def resolve(cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]) -> Any:
            resolved = super().resolve(request, api, path_params)
            problems = list(guard_problems(resolved))
            if problems:
                raise PydanticValidationError.from_exception_data(model.__name__, problems)
            return resolved

    Guarded.__name__ = Guarded.__qualname__ = model.__name__
    Guarded.__module__ = model.__module__
    return Guarded


def guard_operations(routers: Iterable[Router]) -> None:
    """Makes every operation of ``routers`` refuse out-of-range integers and lone surrogates.

    Called once for each router the API mounts, before its URLs are built; a new operation is
    guarded without anyone remembering to.
    """
    for router in routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                operation.models = [
                    model if getattr(model, "__guarded__", False) else _guarded(model)
                    for model in operation.models
                ]


class ApiName:
    """A type's name in the OpenAPI document: ``Annotated[Event.Kind, ApiName("EventKind")]``.

    Pydantic names a component after its class alone, so the ``Kind`` of events and the ``Kind``
    of booth captures would both be ``Kind`` and one would overwrite the other.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        # The reference names the component; the id keeps it apart from any other type's.
        return {**handler(source), "ref": f"{self.name}:{id(source)}"}

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        handler.resolve_ref_schema(json_schema)["title"] = self.name
        return json_schema


class UniqueNamesSchema(OpenAPISchema):
    """The OpenAPI document, refusing to give one component name to two different schemas."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ValueError(
                    f"Two schemas are named {name!r} in the OpenAPI document: "
                    f"{known} and {definition}. Name one with ApiName."
                )
        super().add_schema_definitions(definitions)
