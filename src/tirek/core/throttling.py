"""API rate limits (django-ninja's throttling), read from settings at every request.

Signed-in clients are counted per user (``TIREK_API_RATE_USER``). Requests without valid
credentials are counted per client address (``TIREK_API_RATE_ANON``): ninja checks throttles only
after authentication succeeds, so the answer to a missing or wrong token (401) is where anonymous
requests are counted, which slows down token guessing. Counters live in Django's cache; several
server processes need a shared cache (``REDIS_URL``, see docs/configuration.md).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.throttling import BaseThrottle, SimpleRateThrottle

from tirek.accounts.actor import Actor
from tirek.core.api_support import NotAuthenticated


class _SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is the named setting, read again at each request."""

    setting_name = ""

    def get_rate(self) -> str | None:
        return str(getattr(settings, self.setting_name))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class ClientAddressThrottle(_SettingsRateThrottle):
    """Requests without valid credentials, per client address."""

    scope = "anon"
    setting_name = "TIREK_API_RATE_ANON"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if isinstance(getattr(request, "auth", None), Actor):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserThrottle(_SettingsRateThrottle):
    """Authenticated requests, per user (whatever token or session they come with)."""

    scope = "user"
    setting_name = "TIREK_API_RATE_USER"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        actor = getattr(request, "auth", None)
        if not isinstance(actor, Actor):
            return None
        return self.cache_format % {"scope": self.scope, "ident": actor.user.pk}


def api_throttles() -> list[BaseThrottle]:
    """The throttles every API operation runs after authentication."""
    return [ClientAddressThrottle(), UserThrottle()]


def _too_many(api: NinjaAPI, request: HttpRequest, wait: float | None) -> HttpResponse:
    if wait is None:
        detail = _("Too many requests. Wait a moment and try again.")
    else:
        seconds = max(1, math.ceil(wait))
        detail = ngettext(
            "Too many requests. Wait %(seconds)d second and try again.",
            "Too many requests. Wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    response = api.create_response(request, {"detail": detail, "code": "throttled"}, status=429)
    if wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def _handler_for(api: NinjaAPI, exc_class: type[Exception]) -> Any:
    """The handler the API already uses for this kind of error (the nearest in its MRO)."""
    registered = api._exception_handlers
    return next(registered[cls] for cls in exc_class.__mro__ if cls in registered)


def throttling_install(api: NinjaAPI) -> None:
    """A readable 429, and anonymous requests counted where authentication refuses them."""
    anonymous = ClientAddressThrottle()
    handlers: dict[type[Exception], Any] = {
        exc_class: _handler_for(api, exc_class)
        for exc_class in (NotAuthenticated, AuthenticationError)
    }

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return _too_many(api, request, exc.wait)

    def counted(exc_class: type[Exception]) -> None:
        refuse = handlers[exc_class]

        def handler(request: HttpRequest, exc: Any) -> HttpResponse:
            if not anonymous.allow_request(request):
                return _too_many(api, request, anonymous.wait())
            response: HttpResponse = refuse(request, exc)
            return response

        api.add_exception_handler(exc_class, handler)

    for exc_class in handlers:
        counted(exc_class)
