"""Who may see which match, decide pairs and handle check requests: decided here only.

- A match is *shown* (names, reference, score) only in cases whose identity section the actor
  may see (``cases.policy``); for any other match the actor learns only that a possible match
  exists at another agency, and only for a strong match (``FLAG_PROBABILITY``), so that typing
  a common name cannot probe other agencies' registers.
- Confirming or rejecting a pair needs ``edit_cases`` and the identity of both cases; a
  coordinator decides pairs through a check request instead (she sees references, not names).
- Reviewing the uncertain pairs of the whole database is for coordinators only; they decide
  them like a check request (references and reasons, never names).
- Undoing a confirmation is for supervisors who may see both identities, and for coordinators
  when the confirmation came from a check request.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from uuid import UUID

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability, Role
from tirek.cases import policy as case_policy
from tirek.cases.choices import Section

if TYPE_CHECKING:
    from tirek.cases.models import Case

# Matches below this probability are not shown at all.
SHOW_PROBABILITY = 0.05
# Shown as "likely the same person" from here; the neutral flag needs this too.
LIKELY_PROBABILITY = 0.9
FLAG_PROBABILITY = LIKELY_PROBABILITY


def identity_visible(actor: Actor, *, case_id: UUID, owner_agency_id: UUID) -> bool:
    sections = case_policy.case_sections(actor, case_id=case_id, owner_agency_id=owner_agency_id)
    return Section.IDENTITY in sections


# Asking whether a person is registered (intake match) is recorded under ``ASKED`` and limited
# per user: a worker registering people asks a few dozen times an hour as she types; a person
# checking a list of names asks far more.
ASKED = "matching.intake_asked"
ASK_LIMITED = "matching.intake_rate_limited"
ASKS_PER_HOUR = 300
# The coordinators' view of who asks about many people looks this many days back by default.
ASKERS_DAYS = 7


def identity_visible_many(actor: Actor, cases: Iterable[Case]) -> set[UUID]:
    """The ids of the cases whose identity the actor may see, decided for all at once."""
    sections = case_policy.case_sections_many(actor, [(c.pk, c.owner_agency_id) for c in cases])
    return {case_id for case_id, granted in sections.items() if Section.IDENTITY in granted}


def may_search(actor: Actor) -> bool:
    return actor.can(Capability.REGISTER_CASES) or actor.can(Capability.READ_CASES)


def may_decide_pairs(actor: Actor) -> bool:
    return actor.can(Capability.EDIT_CASES)


def is_coordinator(actor: Actor) -> bool:
    return bool(actor.role == Role.COORDINATOR)


def may_review_pairs(actor: Actor) -> bool:
    """The review of uncertain pairs across the database (references and reasons, no names)."""
    return is_coordinator(actor)


def may_undo(actor: Actor, *, via_check_request: bool) -> bool:
    if actor.role == Role.SUPERVISOR and actor.can(Capability.READ_CASES):
        return True
    return via_check_request and is_coordinator(actor)
