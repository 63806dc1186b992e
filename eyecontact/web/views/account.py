"""The user's own account: password, password reset by e-mail, API tokens, second factor."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from eyecontact.accounts.second_factor import (
    second_factor_confirm,
    second_factor_on,
    second_factor_remove,
    second_factor_start,
    second_factor_verify,
)
from eyecontact.accounts.selectors import token_get_own, tokens_active
from eyecontact.accounts.services import token_create, token_revoke
from eyecontact.common.storable import storable_problem

from ..decorators import current_user
from ..second_factor import SESSION_KEY

__all__ = [
    "PasswordChange",
    "PasswordResetConfirm",
    "account",
    "second_factor_code",
    "second_factor_setup",
    "token_revoke_view",
    "tokens",
]

WRONG_CODE = "That code is not right (or was used already); type the one the app shows now."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="What it is for", max_length=100, help_text="A script, a phone at a booth, …"
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(request, "web/account.html", {"second_factor": second_factor_on(user)})


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The link in the reset e-mail: ``/password-reset/<user>.<token>/``, one path segment.

    A link that is cut short or mangled by a mail program gets the same page as a used or old
    one: it says so and offers to send a new link.
    """

    template_name = "web/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        uidb64, _, token = str(kwargs.pop("token")).partition(".")
        # An empty part names no user: Django then shows the page for a link that is not valid.
        return super().dispatch(*args, uidb64=uidb64 or "-", token=token or "-", **kwargs)


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "web/account_password.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password is changed.")
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new one's key is shown once, here."""
    user = current_user(request)
    form = TokenForm(request.POST or None)
    key = ""
    if request.method == "POST" and form.is_valid():
        _, key = token_create(user=user, name=form.cleaned_data["name"])
        form = TokenForm()
    active = tokens_active(user=user)
    return render(request, "web/account_tokens.html", {"form": form, "key": key, "tokens": active})


@login_required
@require_POST
def token_revoke_view(request: HttpRequest) -> HttpResponse:
    """Revokes one of the user's own tokens (named by the form); anyone else's is not found."""
    token_pk = request.POST.get("token", "")
    if not token_pk.isdigit() or storable_problem(int(token_pk)):
        raise Http404
    token = token_get_own(user=current_user(request), pk=int(token_pk))
    token_revoke(token=token)
    messages.success(request, f"Revoked the token {token.prefix}…; it no longer opens the API.")
    return redirect("account_tokens")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn the second factor on (scan, then type the first code) or off (type a code)."""
    user = current_user(request)
    form = CodeForm(request.POST or None)
    if second_factor_on(user):
        if request.method == "POST" and form.is_valid():
            if second_factor_verify(request=request, user=user, code=form.cleaned_data["code"]):
                second_factor_remove(user=user)
                request.session[SESSION_KEY] = False
                messages.success(request, "Logging in takes your password alone again.")
                return redirect("account")
            form.add_error("code", WRONG_CODE)
        return render(request, "web/account_second_factor.html", {"form": form, "on": True})
    device = second_factor_start(user=user)
    if request.method == "POST" and form.is_valid():
        if second_factor_confirm(user=user, code=form.cleaned_data["code"]):
            second_factor_verify_session(request, device)
            request.session[SESSION_KEY] = True
            messages.success(request, "From now on, logging in asks for a code from the app.")
            return redirect("account")
        form.add_error("code", WRONG_CODE)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Scan with the app")
    return render(
        request,
        "web/account_second_factor.html",
        {"form": form, "on": False, "qr": qr, "secret": _secret(device.config_url)},
    )


def second_factor_verify_session(request: HttpRequest, device: Any) -> None:
    """The session that turned the factor on has just shown a right code: it counts as one."""
    from django_otp import login as otp_login

    device.refresh_from_db()
    otp_login(request, device)


def _secret(config_url: str) -> str:
    """The key in the otpauth URL, for typing into an app that cannot scan."""
    from urllib.parse import parse_qs, urlsplit

    return parse_qs(urlsplit(config_url).query)["secret"][0]


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_code(request: HttpRequest) -> HttpResponse:
    """After the password, the code: the rest of the app waits for it."""
    user = current_user(request)
    goto = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(goto, {request.get_host()}, request.is_secure()):
        goto = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_verify(request=request, user=user, code=form.cleaned_data["code"]):
            return redirect(goto or "home")
        form.add_error("code", WRONG_CODE)
    return render(request, "web/account_code.html", {"form": form, "next": goto})
