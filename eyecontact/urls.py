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
    # Namespaced like the API: a door with its own sign-in and its own scoping tests (test_dav).
    path("dav/", include(("eyecontact.contacts.urls", "dav"), namespace="dav")),
    path("", include("eyecontact.web.urls")),
]
