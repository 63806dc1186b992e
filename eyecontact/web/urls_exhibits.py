"""Web pages for exhibits and the booth capture page, included under ``/w/<slug>/``."""

from django.urls import URLPattern, path

from .views import exhibits

urlpatterns: list[URLPattern] = [
    path("exhibits/", exhibits.exhibits_page, name="exhibits_list"),
    path("exhibits/new/", exhibits.exhibit_new, name="exhibit_new"),
    path("exhibits/<int:exhibit_pk>/", exhibits.exhibit_detail, name="exhibit_detail"),
    path("exhibits/<int:exhibit_pk>/costs/", exhibits.exhibit_cost_new, name="exhibit_cost_new"),
    path(
        "exhibits/<int:exhibit_pk>/costs/<int:cost_pk>/",
        exhibits.exhibit_cost_edit,
        name="exhibit_cost_edit",
    ),
    path(
        "exhibits/<int:exhibit_pk>/costs/<int:cost_pk>/delete/",
        exhibits.exhibit_cost_remove,
        name="exhibit_cost_remove",
    ),
    path("exhibits/<int:exhibit_pk>/staff/", exhibits.exhibit_staff, name="exhibit_staff"),
    path(
        "exhibits/<int:exhibit_pk>/leads.csv", exhibits.exhibit_leads_csv, name="exhibit_leads_csv"
    ),
    path(
        "exhibits/<int:exhibit_pk>/leads.vcf",
        exhibits.exhibit_leads_vcard,
        name="exhibit_leads_vcard",
    ),
    # One name for every chart's CSV, told apart by a fixed argument rather than a URL keyword.
    *(
        path(
            f"exhibits/<int:exhibit_pk>/{chart}.csv",
            exhibits.exhibit_chart_csv,
            {"chart": chart},
            name="exhibit_chart_csv",
        )
        for chart in exhibits.CHARTS
    ),
    path("exhibits/<int:exhibit_pk>/capture/", exhibits.exhibit_capture, name="exhibit_capture"),
    path(
        "exhibits/<int:exhibit_pk>/capture/sw.js",
        exhibits.exhibit_capture_sw,
        name="exhibit_capture_sw",
    ),
]
