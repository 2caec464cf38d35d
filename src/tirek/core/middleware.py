"""Refuses request bodies that are too large before anything reads them.

Django alone answers an oversized form with a bare 400 (or a 500 with a traceback in debug) and
reads JSON bodies of any size. Here the declared ``Content-Length`` is checked first: the API gets
a 413 in its JSON error format, the web a page; both in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def body_limit_for(content_type: str) -> int:
    """Uploads (multipart forms) may be larger than other bodies."""
    if content_type.lower().startswith("multipart/form-data"):
        return int(settings.TIREK_MAX_UPLOAD_BYTES)
    return int(settings.TIREK_MAX_BODY_BYTES)


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    megabytes = max(limit / (1024 * 1024), 0.1)
    detail = _("The request is too large: send at most %(size).1f MB.") % {"size": megabytes}
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": detail, "code": "too_large"}, status=413)
    return render(request, "web/413.html", {"detail": detail}, status=413)


class BodySizeLimitMiddleware:
    """Place after ``LocaleMiddleware`` (for the language) and before anything reads the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = body_limit_for(request.META.get("CONTENT_TYPE", ""))
        try:
            size = int(declared)
        except ValueError:
            size = 0  # the server refuses a malformed length; Django reads nothing then
        if size > limit:
            return too_large_response(request, limit)
        return self.get_response(request)
