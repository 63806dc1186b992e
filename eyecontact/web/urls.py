"""The web app's URLs. Everything about a workspace lives under ``/w/<slug>/``.

URL keyword names are few and fixed (``slug``, ``person_pk``, ``identity_pk``,
``connection_pk``, ``touch_pk``, ``event_pk``, ``token``): the scoping test walks every pattern
and knows what each name points at.
"""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, reverse_lazy

from .forms import LoginForm
from .views import account, accounts, events, keep, people, preferences, touches

workspace_patterns: list[URLPattern | URLResolver] = [
    path("", accounts.workspace_home, name="workspace_home"),
    path("people/", people.people_list, name="people_list"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/suggest/", people.people_suggest, name="people_suggest"),
    path("people/organizations/", people.organization_suggest, name="organization_suggest"),
    path("people/<int:person_pk>/", people.person_detail, name="person_detail"),
    path("people/<int:person_pk>/timeline/", people.person_timeline_older, name="person_timeline"),
    path("people/<int:person_pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:person_pk>/delete/", people.person_remove, name="person_delete"),
    path("people/<int:person_pk>/archive/", people.person_archive_view, name="person_archive"),
    path("people/<int:person_pk>/merge/", people.person_merge_view, name="person_merge"),
    path("people/<int:person_pk>/touches/", touches.person_touch_new, name="person_touch_new"),
    path("people/<int:person_pk>/identities/", people.identity_new, name="identity_new"),
    path(
        "people/<int:person_pk>/identities/<int:identity_pk>/delete/",
        people.identity_delete,
        name="identity_delete",
    ),
    path("people/<int:person_pk>/connections/", people.connection_new, name="connection_new"),
    path(
        "people/<int:person_pk>/connections/<int:connection_pk>/delete/",
        people.connection_remove,
        name="connection_delete",
    ),
    path("touches/new/", touches.quick_log, name="quick_log"),
    path("touches/<int:touch_pk>/", touches.touch_edit, name="touch_edit"),
    path("touches/<int:touch_pk>/delete/", touches.touch_remove, name="touch_delete"),
    path("events/", events.events_list, name="events_list"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:event_pk>/", events.event_detail, name="event_detail"),
    path("events/<int:event_pk>/edit/", events.event_edit, name="event_edit"),
    path("members/", accounts.members, name="members"),
    # Each part of the product keeps its pages in its own module.
    path("", include("eyecontact.web.urls_imports")),
    path("", include("eyecontact.web.urls_vetting")),
    path("", include("eyecontact.web.urls_churn")),
    path("", include("eyecontact.web.urls_keep")),
    path("", include("eyecontact.web.urls_exhibits")),
]

urlpatterns = [
    path("", accounts.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", account.account, name="account"),
    path("account/password/", account.PasswordChange.as_view(), name="account_password"),
    path("account/tokens/", account.tokens, name="account_tokens"),
    path("account/tokens/revoke/", account.token_revoke_view, name="account_token_revoke"),
    path("account/second-factor/", account.second_factor_setup, name="account_second_factor"),
    path("account/code/", account.second_factor_code, name="second_factor_code"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="web/password_reset.html",
            email_template_name="web/password_reset_email.txt",
            subject_template_name="web/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_sent"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    # Before the link's own address, which would otherwise take "done" for a link.
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<str:token>/",
        account.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("workspaces/new/", accounts.workspace_new, name="workspace_create"),
    path("settings/", preferences.user_settings, name="user_settings"),
    path("settings/time-zone/", preferences.time_zone_pick, name="time_zone_pick"),
    path("invite/<str:token>/", accounts.invitation_accept_view, name="invitation_accept"),
    path("feeds/<str:token>.ics", keep.calendar_feed, name="calendar_feed"),
    path("w/<slug:slug>/", include(workspace_patterns)),
]
