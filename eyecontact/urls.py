"""The front doors: the web app, the JSON API under /api/, CardDAV address books under /dav/,
the admin for staff, /healthz."""

from django.contrib import admin
from django.urls import include, path

from eyecontact.api import api
from eyecontact.contacts.dav import well_known
from eyecontact.web.views.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("healthz", healthz, name="healthz"),
    path(".well-known/carddav", well_known, name="carddav_well_known"),
    path("dav/", include("eyecontact.contacts.urls")),
    path("", include("eyecontact.web.urls")),
]
