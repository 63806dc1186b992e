"""A user's own settings: the time zone their times are shown in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from eyecontact.accounts.services import user_time_zone_set
from eyecontact.common.zones import default_zone_name

from ..decorators import current_user
from ..forms import add_service_errors
from ..forms_settings import TimeZoneForm


@login_required
@require_http_methods(["GET", "POST"])
def user_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = TimeZoneForm(
        request.POST or None, initial={"time_zone": user.time_zone or default_zone_name()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            zone = form.cleaned_data["time_zone"].replace("_", " ")
            messages.success(request, f"Times are now shown in {zone} time.")
            return redirect("user_settings")
    return render(request, "web/user_settings.html", {"form": form})


@login_required
@require_POST
def time_zone_pick(request: HttpRequest) -> HttpResponse:
    """The browser's own zone, sent once after the first login; a zone already set is kept."""
    user = current_user(request)
    before = user.time_zone
    try:
        user_time_zone_set(
            user=user, time_zone=request.POST.get("time_zone", ""), only_if_unset=True
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    # The page that asked was drawn in the installation's zone: redraw it only if that differs.
    shown = before or default_zone_name()
    return JsonResponse({"time_zone": user.time_zone, "changed": user.time_zone != shown})
