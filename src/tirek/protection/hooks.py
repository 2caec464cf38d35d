"""Hooks that higher apps register to follow consents (protection never imports them).

``mechanisms`` registers one: the steps of a case's checklist that depend on a withdrawn
consent (delivered by a referral made under it) are cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tirek.accounts.actor import Actor
    from tirek.protection.models import Consent

ConsentHook = Callable[["Consent", "Actor"], None]

_consent_withdrawn: dict[str, ConsentHook] = {}


def consent_withdrawn_register(name: str, hook: ConsentHook) -> None:
    """Call ``hook(consent, actor)`` right after a consent is withdrawn, in the transaction."""
    _consent_withdrawn[name] = hook


def consent_withdrawn(consent: Consent, actor: Actor) -> None:
    for hook in _consent_withdrawn.values():
        hook(consent, actor)
