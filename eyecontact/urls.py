"""The front doors: the web app, the JSON API under /api/, the admin for staff, /healthz."""

from django.contrib import admin
from django.urls import include, path

from eyecontact.api import api
from eyecontact.web.views.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("eyecontact.web.urls")),
]
