from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def tirek(request: HttpRequest) -> dict[str, Any]:
    """The acting user, their other agencies and the inbox count, for the header and nav.

    The two queries are lazy: HTMX partials (search as you type, live results) never render the
    header, so they never pay for them.
    """
    actor = getattr(request, "actor", None)
    waiting: Any = 0
    memberships: Any = []
    can_read_cases = can_register_cases = False
    if actor is not None:
        from tirek.accounts.roles import Capability
        from tirek.accounts.selectors import memberships_of
        from tirek.referrals.selectors import inbox_waiting_count

        can_read_cases = actor.can(Capability.READ_CASES)
        can_register_cases = actor.can(Capability.REGISTER_CASES)
        if can_read_cases:
            waiting = SimpleLazyObject(lambda: inbox_waiting_count(actor=actor))
        memberships = SimpleLazyObject(
            lambda: list(memberships_of(user=actor.user).order_by("agency__name"))
        )
    match = getattr(request, "resolver_match", None)
    return {
        "actor": actor,
        "inbox_waiting": waiting,
        "demo_mode": settings.DEMO_MODE,
        "memberships": memberships,
        "can_read_cases": can_read_cases,
        "can_register_cases": can_register_cases,
        "url_name": match.view_name if match else "",
    }
