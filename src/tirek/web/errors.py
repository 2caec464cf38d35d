"""Error pages in the user's language (issue 9 item 9), instead of Django's bare ones.

403 uses Django's handler with ``403.html``, 404 ``404.html`` (full layout) or JSON under the
API. Here: the 400
handler (413 for a body larger than allowed), the 500 handler, and a middleware that gives a bare
405 (a form address opened directly) the designed page. The 400, 500 and CSRF pages extend
``web/error_plain.html``, which needs neither the request nor the database; 413 is the page of
``core.middleware`` (bodies declared too large are refused there, before anything reads them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.defaults import page_not_found

from tirek.core.errors import NOT_FOUND_MESSAGE
from tirek.core.middleware import API_PREFIX, body_limit_for, too_large_response
from tirek.core.unavailable import DATABASE_ERRORS, database_unavailable_response
from tirek.core.views import is_htmx


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400, or 413 when the request body was larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    if isinstance(exception, RequestDataTooBig):  # a body without a declared length
        limit = body_limit_for(request.META.get("CONTENT_TYPE", ""))
        return too_large_response(request, limit)
    return HttpResponse(loader.render_to_string("400.html"), status=400)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: the page ``404.html``, or under the API an unknown route in the API's JSON error
    format; both say ``NOT_FOUND_MESSAGE``, the answer for anything one may not see."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": str(NOT_FOUND_MESSAGE), "code": "not_found"}, status=404)
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, rendered without the request: the database or the session may be what failed.

    An unreachable database is a passing condition: 503 with Retry-After (core/unavailable.py).
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return HttpResponse(loader.render_to_string("500.html"), status=500)


class MethodNotAllowedPageMiddleware:
    """A web address that only takes a form (POST) and is opened directly answers 405 with an
    empty body; the person gets a page that says what happened. The API keeps its JSON answers
    and HTMX requests their own handling."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or response.content
            or request.path.startswith("/api/")
            or is_htmx(request)
        ):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
