"""Web pages for vetting connections and screening requests, included under ``/w/<slug>/``."""

from django.urls import URLPattern, path

from .views import vetting

urlpatterns: list[URLPattern] = [
    path("vetting/", vetting.vetting, name="vetting"),
    path("vetting/never-met.csv", vetting.vetting_never_met_csv, name="vetting_never_met_csv"),
    path("vetting/networks.csv", vetting.vetting_summary_csv, name="vetting_summary_csv"),
    path("vetting/by-year.csv", vetting.vetting_trend_csv, name="vetting_trend_csv"),
    path(
        "vetting/connections/<int:connection_pk>/vouch/",
        vetting.connection_vouch_view,
        name="connection_vouch",
    ),
    path("screen/", vetting.screen, name="screen"),
    path("screen/policy/", vetting.screen_policy, name="screen_policy"),
]
