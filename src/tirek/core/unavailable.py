"""What a person sees when the server fails: never a traceback.

The 500 handler (``web/errors.py``) and the API send an unreachable database (stopped,
restarting, network cut, SQLite file locked or gone) here: a passing condition, so 503 with
``Retry-After`` and a page saying to try again; the transaction of that request was rolled back,
so nothing half-written stays. API paths get JSON.
"""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "Tirek cannot reach its database right now. What you were doing was not saved; "
        "please try again in a minute."
    )
    return _response(
        request, status=503, code="unavailable", title=_("Try again soon"), text=message
    )


def _response(
    request: HttpRequest, *, status: int, code: str, title: str, text: str
) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": text, "code": code}, status=status)
    else:
        # No request context: the context processors would query the database.
        html = render_to_string("unavailable.html", {"title": title, "text": text})
        response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
