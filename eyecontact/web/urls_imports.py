"""Web pages for imports, possible duplicates and splitting, included under ``/w/<slug>/``."""

from django.urls import URLPattern, path

from .views import imports

urlpatterns: list[URLPattern] = [
    path("imports/", imports.imports_list, name="imports_list"),
    path("imports/new/", imports.import_new, name="import_new"),
    path("imports/<int:batch_pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:batch_pk>/undo/", imports.import_undo, name="import_undo"),
    path(
        "imports/<int:batch_pk>/accept-removals/",
        imports.import_accept_removals,
        name="import_accept_removals",
    ),
    path("reviews/", imports.reviews_list, name="reviews_list"),
    path("reviews/<int:review_pk>/same/", imports.review_same, name="review_same"),
    path("reviews/<int:review_pk>/different/", imports.review_different, name="review_different"),
    path(
        "reviews/around/<int:person_pk>/same/",
        imports.reviews_same_around,
        name="reviews_same_around",
    ),
    path("people/<int:person_pk>/origins/", imports.person_origins, name="person_origins"),
    path(
        "people/<int:person_pk>/merges/<int:merge_pk>/split/",
        imports.merge_split,
        name="merge_split",
    ),
    path(
        "people/<int:person_pk>/records/<int:record_pk>/split/",
        imports.record_split,
        name="record_split",
    ),
]
