"""Sends a signed-in user who has not passed the second factor to enrolment or verification."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

from tirek.accounts.mfa.policy import session_passed_second_factor

# Pages an unverified user may still open.
EXEMPT_VIEW_NAMES = frozenset({"login", "logout", "set_language", "mfa:enrol", "mfa:verify"})
API_PREFIX = "/api/"


def _is_exempt(request: HttpRequest) -> bool:
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EXEMPT_VIEW_NAMES


class MfaRequiredMiddleware:
    """Place after ``django_otp.middleware.OTPMiddleware`` (which adds ``user.is_verified``).

    Pages only: the API decides for itself, in its authentication (``core.api_support``), with
    the same rule (``session_passed_second_factor``), whatever headers a request carries.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path_info.startswith(API_PREFIX)
            or _is_exempt(request)
            or session_passed_second_factor(user)
        ):
            return self.get_response(request)
        name = "mfa:verify" if user_has_device(user, confirmed=True) else "mfa:enrol"
        is_htmx = bool(request.headers.get("HX-Request"))
        # Come back here after the second factor; not to a POST or an HTMX fragment.
        keep = request.method == "GET" and not is_htmx
        query = urlencode({"next": request.get_full_path()}) if keep else ""
        url = reverse(name) + (f"?{query}" if query else "")
        if is_htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
