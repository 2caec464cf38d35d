"""The reports' test world: a coordinating commission with two coordinators, a supervisor at
the crisis centre, and three cases opened in the fourth quarter of 2026."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.statistics.tests.support import member
from tirek.web.tests.support import SecureClient

__all__ = ["NOW", "ask", "client_of", "member"]

NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def client_of(actor: Actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def ask(actor: Actor, headers: dict[str, str] | None = None, **data: Any) -> Any:
    """Ask for a report on the page (the national quarterly PDF in Kazakh unless told)."""
    form = {
        "kind": "quarterly",
        "year": "2026",
        "quarter": "4",
        "scope": "national",
        "language": "kk",
        "format": "pdf",
    } | data
    return client_of(actor).post(reverse("reports:index"), form, headers=headers or {})
