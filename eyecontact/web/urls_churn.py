"""Web pages of follow churn on X, included under ``/w/<slug>/``."""

from django.urls import URLPattern, path

from .views import churn

urlpatterns: list[URLPattern] = [
    path("churn/", churn.churn_page, name="churn"),
    path("churn/upload/", churn.churn_upload, name="churn_upload"),
    path("churn/timeline.csv", churn.churn_timeline_csv, name="churn_timeline_csv"),
    path(
        "churn/lists/<int:snapshot_pk>/delete/",
        churn.churn_snapshot_delete,
        name="churn_snapshot_delete",
    ),
    # One name for every list's CSV, told apart by a fixed argument rather than a URL keyword.
    *(
        path(f"churn/{name}.csv", churn.churn_csv, {"list_name": name}, name="churn_csv")
        for name in churn.LISTS
    ),
]
