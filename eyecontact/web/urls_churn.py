"""Web pages for this part of Eye Contact, included under ``/w/<slug>/``."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
