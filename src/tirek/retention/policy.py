"""Who may see and handle erasure requests: one rule for the panel, the API and the services."""

from __future__ import annotations

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.selectors import CaseView


def can_handle_erasure(actor: Actor, view: CaseView) -> bool:
    """Read, record and execute erasure requests (with their legal basis): a member of the
    owning agency whose role holds ``erase_personal_data`` (supervisors). Case workers of the
    owner, receivers and break-glass holders may not; outside the circle the case is 404."""
    return view.is_owner and actor.can(Capability.ERASE_PERSONAL_DATA)
