"""Puts ``request.actor`` on every request of a signed-in user."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tirek.accounts.actor import actor_for

SESSION_MEMBERSHIP_KEY = "tirek_membership_id"


class ActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = None
        if user is not None and user.is_authenticated:
            actor = actor_for(user, request.session.get(SESSION_MEMBERSHIP_KEY))
        request.actor = actor  # type: ignore[attr-defined]
        return self.get_response(request)
