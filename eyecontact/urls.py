"""The front doors: the web app, the JSON API under /api/, and the admin for staff."""

from django.contrib import admin
from django.urls import include, path

from eyecontact.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("eyecontact.web.urls")),
]
