"""Hooks that higher apps register to follow consents (protection never imports them).

``mechanisms`` registers two: the steps of a case's checklist that depend on a withdrawn
consent (delivered by a referral made under it) are cancelled; and the steps that deliver a
need of the support plan are told to the support panel and the API.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from tirek.accounts.actor import Actor
    from tirek.protection.models import Consent, SupportPlan

ConsentHook = Callable[["Consent", "Actor"], None]

_consent_withdrawn: dict[str, ConsentHook] = {}


def consent_withdrawn_register(name: str, hook: ConsentHook) -> None:
    """Call ``hook(consent, actor)`` right after a consent is withdrawn, in the transaction."""
    _consent_withdrawn[name] = hook


def consent_withdrawn(consent: Consent, actor: Actor) -> None:
    for hook in _consent_withdrawn.values():
        hook(consent, actor)


# --- the mechanism steps that deliver a need of the support plan ------------------------------


@dataclass(frozen=True)
class DeliveringStep:
    """A step of the case's checklist that delivers a need (told by ``mechanisms``)."""

    item_id: UUID
    code: str
    label: str
    status: str
    status_label: str
    closed_at: datetime.datetime | None


SupportStepsHook = Callable[[list["SupportPlan"]], dict[UUID, list[DeliveringStep]]]
_support_steps: dict[str, SupportStepsHook] = {}


def support_steps_register(name: str, hook: SupportStepsHook) -> None:
    """``hook(plans)`` returns, per support plan id, the checklist steps that deliver it."""
    _support_steps[name] = hook


def support_steps(plans: list[SupportPlan]) -> dict[UUID, list[DeliveringStep]]:
    found: dict[UUID, list[DeliveringStep]] = {}
    for hook in _support_steps.values():
        for plan_id, steps in hook(plans).items():
            found.setdefault(plan_id, []).extend(steps)
    return found
