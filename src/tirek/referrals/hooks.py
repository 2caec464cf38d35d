"""Hooks that higher apps register to follow referrals (referrals never imports them).

``mechanisms`` registers one: a referral sent for a step of the case's checklist delivers that
step, and takes the step's due time as the time by which it should be answered; a referral
outside Tirek recorded for an open step delivers it when its outcome is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tirek.cases.models import Case
    from tirek.referrals.models import OutsideReferral, Referral

ReferralHook = Callable[["Referral"], None]

_referral_sent: dict[str, ReferralHook] = {}


def referral_sent_register(name: str, hook: ReferralHook) -> None:
    """Call ``hook(referral)`` right after a referral is sent, inside the sending transaction."""
    _referral_sent[name] = hook


def referral_sent(referral: Referral) -> None:
    for hook in _referral_sent.values():
        hook(referral)


_referral_outcome: dict[str, ReferralHook] = {}


def referral_outcome_register(name: str, hook: ReferralHook) -> None:
    """Call ``hook(referral)`` when the receiver records the service delivered or not (inside
    the transaction); the mechanism closes the step the referral delivers."""
    _referral_outcome[name] = hook


def referral_outcome(referral: Referral) -> None:
    for hook in _referral_outcome.values():
        hook(referral)


# --- referrals outside Tirek -----------------------------------------------------------------


@dataclass(frozen=True)
class StepOffer:
    """An open step of the case's checklist that a referral outside Tirek can deliver."""

    id: str
    label: str
    service_type_id: int | None


StepsOffered = Callable[["Case"], list[StepOffer]]
OutsideHook = Callable[["OutsideReferral"], None]
OutsideLinkHook = Callable[["OutsideReferral", str], None]

_outside_steps: dict[str, StepsOffered] = {}
_outside_linked: dict[str, OutsideLinkHook] = {}
_outside_outcome: dict[str, OutsideHook] = {}


def outside_steps_register(name: str, provider: StepsOffered) -> None:
    """``provider(case)`` lists the open steps a referral outside Tirek may deliver (the form
    offers them)."""
    _outside_steps[name] = provider


def outside_steps(case: Case) -> list[StepOffer]:
    return [offer for provider in _outside_steps.values() for offer in provider(case)]


def outside_linked_register(name: str, hook: OutsideLinkHook) -> None:
    """Call ``hook(outside, step_id)`` when a referral outside Tirek is recorded for a step
    offered by ``outside_steps`` (inside the recording transaction)."""
    _outside_linked[name] = hook


def outside_linked(outside: OutsideReferral, step_id: str) -> None:
    for hook in _outside_linked.values():
        hook(outside, step_id)


def outside_outcome_register(name: str, hook: OutsideHook) -> None:
    """Call ``hook(outside)`` when the outcome of a referral outside Tirek is recorded by hand
    (inside the transaction); the mechanism closes the step it delivers."""
    _outside_outcome[name] = hook


def outside_outcome(outside: OutsideReferral) -> None:
    for hook in _outside_outcome.values():
        hook(outside)
