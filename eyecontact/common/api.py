"""What every JSON API router shares: paging, and one shape for every refusal.

A refused request answers HTTP 422 with ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``
whether the schema refused it (a missing field, an unknown channel) or a service did (an empty
name, an oversize note). ``loc`` is ``["body", <field>]`` for a field of the JSON body, so a client
needs one error reader for both.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

__all__ = [
    "BODY",
    "PAGE_MAX_LIMIT",
    "PAGE_SIZE",
    "Pages",
    "field_errors",
    "flat_schema_errors",
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
        offset: int = Field(0, ge=0)

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
