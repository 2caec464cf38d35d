from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def tirek(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    waiting = 0
    if actor is not None:
        from tirek.referrals.selectors import inbox_waiting_count

        waiting = inbox_waiting_count(actor=actor)
    return {"actor": actor, "inbox_waiting": waiting, "demo_mode": settings.DEMO_MODE}
