"""``/healthz``: 200 when the database answers and a worker beats, 503 otherwise, as JSON."""

from __future__ import annotations

import dataclasses

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from eyecontact.background.health import health_check


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """No login: it says nothing about anyone's data."""
    health = health_check()
    return JsonResponse(
        {"ok": health.ok, **dataclasses.asdict(health)}, status=200 if health.ok else 503
    )
