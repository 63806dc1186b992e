"""Web pages for keeping in touch, event plans and insights, included under ``/w/<slug>/``.

The calendar feed a calendar app reads is the one page outside the workspace prefix: its secret
address is the permission, so it lives in ``urls.py`` as ``/feeds/<token>.ics``.
"""

from django.urls import URLPattern, path

from .views import insights, keep, plan

urlpatterns: list[URLPattern] = [
    path("week/", keep.this_week, name="keep_week"),
    path("week/<int:person_pk>/snooze/", keep.reminder_snooze_view, name="reminder_snooze"),
    path("week/<int:person_pk>/done/", keep.reminder_done_view, name="reminder_done"),
    path("people/<int:person_pk>/keep/", keep.person_keep, name="person_keep"),
    path("people/<int:person_pk>/tags/", keep.person_tag_add, name="person_tag_add"),
    path(
        "people/<int:person_pk>/tags/<int:tag_pk>/remove/",
        keep.person_tag_remove,
        name="person_tag_remove",
    ),
    path("tags/", keep.tags_page, name="tags"),
    path("tags/<int:tag_pk>/edit/", keep.tag_edit, name="tag_edit"),
    path("tags/<int:tag_pk>/delete/", keep.tag_remove, name="tag_delete"),
    path("keep-in-touch/settings/", keep.keep_settings, name="keep_settings"),
    path("keep-in-touch/feeds/", keep.feed_new, name="feed_new"),
    path("keep-in-touch/feeds/<int:feed_pk>/revoke/", keep.feed_revoke_view, name="feed_revoke"),
    path("events/<int:event_pk>/plan/", plan.event_plan, name="event_plan"),
    path("events/<int:event_pk>/plan/attendees/", plan.plan_attendees, name="plan_attendees"),
    path("events/<int:event_pk>/plan/met/", plan.plan_met, name="plan_met"),
    path("events/<int:event_pk>/plan/print/", plan.plan_print, name="plan_print"),
    path("events/<int:event_pk>/plan.ics", plan.plan_calendar, name="plan_calendar"),
    path("events/<int:event_pk>/plan/<int:person_pk>/pick/", plan.plan_pick_view, name="plan_pick"),
    path(
        "events/<int:event_pk>/plan/<int:person_pk>/unpick/",
        plan.plan_unpick_view,
        name="plan_unpick",
    ),
    path("insights/", insights.insights_page, name="insights"),
    # One name for every chart's CSV, told apart by a fixed argument rather than a URL keyword.
    *(
        path(f"insights/{chart}.csv", insights.insights_csv, {"chart": chart}, name="insights_csv")
        for chart in insights.CHARTS
    ),
]
