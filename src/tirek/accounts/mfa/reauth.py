"""Re-authentication before sensitive actions: password and a fresh code within the last minutes.

Views use ``@sensitive_action`` (a stale session is sent to the confirmation page, which brings the
user back to ``next``); API endpoints call ``reauthentication_require(request)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tirek.core.errors import DomainError

REAUTH_SESSION_KEY = "tirek_reauthenticated_at"

ViewFunc = Callable[..., HttpResponse]


class ReauthenticationRequired(DomainError):
    """The action needs a recent password and code; confirm on the web page and try again."""

    status_code = 403
    code = "reauthentication_required"


def reauthentication_mark(request: HttpRequest) -> None:
    request.session[REAUTH_SESSION_KEY] = time.time()


def reauthentication_is_fresh(request: HttpRequest) -> bool:
    """Whether the session's user confirmed password and code recently enough."""
    if not settings.TIREK_REAUTH_REQUIRED:
        return True
    session = getattr(request, "session", None)
    confirmed_at = session.get(REAUTH_SESSION_KEY) if session is not None else None
    if not isinstance(confirmed_at, int | float):
        return False
    return 0 <= time.time() - confirmed_at <= settings.TIREK_REAUTH_SECONDS


def reauthentication_require(request: HttpRequest) -> None:
    """For API endpoints: raise ReauthenticationRequired (403) unless recently confirmed."""
    if not reauthentication_is_fresh(request):
        raise ReauthenticationRequired(
            _(
                "Confirm your password and code first (on the page %(url)s), then try again "
                "within %(minutes)d minutes."
            )
            % {"url": reverse("mfa:reauth"), "minutes": settings.TIREK_REAUTH_SECONDS // 60}
        )


def reauthentication_redirect(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    """Send the user to the confirmation page, coming back to ``next_url`` (default: here)."""
    if request.method != "GET":
        messages.info(request, _("Confirm it is you, then do it again."))
    target = next_url or request.get_full_path()
    url = reverse("mfa:reauth") + "?" + urlencode({"next": target})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@overload
def sensitive_action(view: ViewFunc) -> ViewFunc: ...
@overload
def sensitive_action(
    view: None = None, *, methods: Iterable[str] | None = None
) -> Callable[[ViewFunc], ViewFunc]: ...


def sensitive_action(
    view: ViewFunc | None = None, *, methods: Iterable[str] | None = None
) -> ViewFunc | Callable[[ViewFunc], ViewFunc]:
    """Require a recent re-authentication for the view (only for ``methods``, if given).

    ``@sensitive_action`` or ``@sensitive_action(methods=["POST"])``; put it under
    ``@login_required``/``@actor_view`` so that sign-in is checked first. A refused POST is not
    replayed: the user comes back to the page (``next`` is the page's URL) and submits again.
    """
    only = {m.upper() for m in methods} if methods is not None else None

    def decorator(func: ViewFunc) -> ViewFunc:
        @wraps(func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (only is None or request.method in only) and not reauthentication_is_fresh(request):
                return reauthentication_redirect(request)
            return func(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator
