"""Web pages for second factors: enrol, verify, recovery codes, the security overview,
re-authentication, and an administrator's reset of a member's factors."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.forms import CodeForm, ReauthenticationForm
from tirek.accounts.mfa.reauth import reauthentication_mark, sensitive_action
from tirek.accounts.mfa.selectors import mfa_factors_of, mfa_members_of
from tirek.accounts.mfa.services import (
    has_authenticator,
    mfa_enrolment_confirm,
    mfa_enrolment_start,
    mfa_reset,
    mfa_verify,
    reauthentication_check,
    recovery_codes_regenerate,
)
from tirek.accounts.models import User
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID

REAUTH_FAILURES_KEY = "tirek_reauthentication_failures"
MAX_REAUTH_FAILURES = 5


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required has checked the sign-in
    return user


def _next_url(request: HttpRequest, default: str = "web:home") -> str:
    """``next`` from the form or query if it stays on this site, else the default page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _qr_data_uri(text: str) -> str:
    qr = segno.make(text, error="m")
    return str(qr.svg_data_uri(scale=5, border=2, dark="black", light="white"))


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return _private(
        render(request, "accounts/mfa/recovery_codes.html", {"codes": codes, "next": next_url})
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm a code."""
    user = _user(request)
    next_url = _next_url(request)
    if has_authenticator(user):
        return redirect("mfa:security")
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("mfa:verify")  # recovery codes only: prove them before a new app
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = mfa_enrolment_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            otp_login(request, device)
            reauthentication_mark(request)
            messages.success(request, _("Your authenticator app is set up."))
            return _codes_page(request, codes, next_url)
    device = mfa_enrolment_start(user=user)
    context: dict[str, Any] = {
        "form": form,
        "next": next_url,
        "qr": _qr_data_uri(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
    }
    status = FORM_INVALID if form.errors else 200
    return _private(render(request, "accounts/mfa/enrol.html", context, status=status))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the app, or a recovery code."""
    user = _user(request)
    next_url = _next_url(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(next_url)
    if not user_has_device(user, confirmed=True):
        return redirect("mfa:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = mfa_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            otp_login(request, device)
            reauthentication_mark(request)
            if not has_authenticator(user):
                messages.warning(request, _("Set up an authenticator app again."))
                return redirect("mfa:enrol")
            left = mfa_factors_of(user=user).recovery_codes_left
            if isinstance(device, StaticDevice) and left <= 3:
                messages.warning(
                    request,
                    _("You have %(count)d recovery codes left. Make new ones on the security page.")
                    % {"count": left},
                )
            return redirect(next_url)
    status = FORM_INVALID if form.errors else 200
    return _private(
        render(request, "accounts/mfa/verify.html", {"form": form, "next": next_url}, status=status)
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's factors and what they can do with them."""
    return _private(
        render(
            request, "accounts/mfa/security.html", {"factors": mfa_factors_of(user=_user(request))}
        )
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@sensitive_action(methods=["POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make new recovery codes (shown once; the old ones stop working)."""
    user = _user(request)
    if request.method == "POST":
        try:
            codes = recovery_codes_regenerate(user=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("mfa:security")
        messages.success(request, _("New recovery codes made. The old ones no longer work."))
        return _codes_page(request, codes, reverse("mfa:security"))
    factors = mfa_factors_of(user=user)
    return _private(render(request, "accounts/mfa/recovery_codes_new.html", {"factors": factors}))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm password and a fresh code before a sensitive action, then go back to it."""
    user = _user(request)
    next_url = _next_url(request)
    form = ReauthenticationForm(request.POST or None, with_code=has_authenticator(user))
    if request.method == "POST" and form.is_valid():
        try:
            reauthentication_check(
                user=user,
                password=form.cleaned_data["password"],
                code=form.cleaned_data.get("code") or "",
            )
        except ValidationError as error:
            failures = int(request.session.get(REAUTH_FAILURES_KEY, 0)) + 1
            if failures >= MAX_REAUTH_FAILURES:
                logout(request)
                messages.error(request, _("Too many wrong attempts. Sign in again."))
                return redirect("login")
            request.session[REAUTH_FAILURES_KEY] = failures
            service_errors_apply(error, form)
        else:
            request.session.pop(REAUTH_FAILURES_KEY, None)
            reauthentication_mark(request)
            return redirect(next_url)
    status = FORM_INVALID if form.errors else 200
    return _private(
        render(
            request,
            "accounts/mfa/reauthenticate.html",
            {"form": form, "next": next_url},
            status=status,
        )
    )


@actor_view(Capability.MANAGE_MEMBERS)
def members(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The agency's members and whether each has a second factor; reset from here."""
    return _private(
        render(request, "accounts/mfa/members.html", {"members": mfa_members_of(actor=actor)})
    )


@require_http_methods(["GET", "POST"])
@actor_view(Capability.MANAGE_MEMBERS)
@sensitive_action(methods=["POST"])
def member_reset(request: HttpRequest, actor: Actor, user_id: str) -> HttpResponse:
    """Confirm, then remove a member's factors; they set up an app again at their next sign-in."""
    member = mfa_members_of(actor=actor).filter(pk=user_id).first()
    if request.method == "POST":
        mfa_reset(admin=actor.user, member_id=user_id)  # NotFound -> 404 via actor_view
        messages.success(
            request,
            _(
                "The second factor of %(name)s was reset. "
                "They set it up again at their next sign-in."
            )
            % {"name": member.username if member else ""},
        )
        return redirect("mfa:members")
    if member is None:
        raise Http404
    return _private(render(request, "accounts/mfa/member_reset.html", {"member": member}))
