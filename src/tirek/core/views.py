"""How domain errors become HTTP responses in the web UI."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tirek.core.audit import refusal_record
from tirek.core.errors import DomainError, Forbidden, NotFound

FORM_INVALID = 422


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def back_url(request: HttpRequest, default: str = "") -> str:
    """Where the user came from, if it is this site; else ``default`` or the home page."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return default or reverse("web:home")


def domain_error_response(
    request: HttpRequest, error: DomainError, *, back: str = ""
) -> HttpResponse:
    """NotFound -> 404 page, Forbidden -> 403 page; any other refusal is shown as a message.

    An HTMX request gets the message itself with the error's status (409 for a state conflict);
    a plain request goes back to the page it came from, where the message is shown.
    """
    if isinstance(error, NotFound):
        refusal_record(actor=getattr(request, "actor", None), error=error, via="web")
        raise Http404(str(error.message))
    if isinstance(error, Forbidden):
        raise PermissionDenied(str(error.message))
    if is_htmx(request):
        return render(
            request,
            "web/_alert.html",
            {"level": "error", "text": error.message},
            status=error.status_code,
        )
    messages.error(request, str(error.message))
    return HttpResponseRedirect(back or back_url(request))
