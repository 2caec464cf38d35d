"""Hooks that higher apps register to follow referrals (referrals never imports them).

``mechanisms`` registers one: a referral sent for a step of the case's checklist delivers that
step, and takes the step's due time as the time by which it should be answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tirek.referrals.models import Referral

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
