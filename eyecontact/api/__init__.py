"""The JSON API: one NinjaAPI under ``/api/``; each domain adds its own router.

Every operation needs a personal token (``Authorization: Bearer ec_...``) or the browser's
session (see :mod:`eyecontact.accounts.auth`). Documentation is served at ``/api/docs`` from
Swagger UI's files bundled with django-ninja, so it works without internet access.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as SchemaValidationError
from ninja.openapi.schema import OpenAPISchema

from eyecontact.accounts.auth import API_AUTH
from eyecontact.api.business_cards import router as business_cards_router
from eyecontact.api.events import router as events_router
from eyecontact.api.exhibits import router as exhibits_router
from eyecontact.api.imports import router as imports_router
from eyecontact.api.insights import router as insights_router
from eyecontact.api.networks import router as networks_router
from eyecontact.api.people import router as people_router
from eyecontact.api.workspaces import router as workspaces_router
from eyecontact.common.api import (
    UniqueNamesSchema,
    field_errors,
    flat_schema_errors,
    guard_operations,
)
from eyecontact.common.locks import RETRY_AFTER_S, is_lock_busy

__all__ = ["api"]


class EyeContactAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return UniqueNamesSchema(api=self, path_prefix=path_prefix)


api = EyeContactAPI(
    title="Eye Contact API",
    version="1",
    description="The people you know and every real-world touch with them.",
    urls_namespace="api",
    auth=API_AUTH,
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None}),
)


@api.exception_handler(DjangoValidationError)
def refused_by_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(SchemaValidationError)
def refused_by_schema(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": flat_schema_errors(exc.errors)}, status=422)


DATABASE_BUSY = "The database is busy writing an import; send this again in a few seconds."


@api.exception_handler(OperationalError)
def database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A write that found the database locked: JSON 503 with Retry-After, never a 500 page."""
    if not is_lock_busy(exc):
        raise exc
    response = api.create_response(
        request, {"detail": DATABASE_BUSY, "retry_after": RETRY_AFTER_S}, status=503
    )
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


ROUTERS = (
    workspaces_router,
    people_router,
    events_router,
    exhibits_router,
    networks_router,
    insights_router,
    imports_router,
    business_cards_router,
)
# No operation takes an integer the database cannot hold, or text with a lone surrogate.
guard_operations(ROUTERS)
for router in ROUTERS:
    api.add_router("/workspaces", router)
