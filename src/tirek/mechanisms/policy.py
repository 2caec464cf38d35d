"""Who may do what with mechanisms: decided here only.

A mechanism is reference data agreed between agencies, not case data: every member of an agency
reads it. Coordinators draft and edit; the coordinating body of the territory (a coordinator of
an agency of type "coordinating commission" placed in that territory) puts a version in force.
"""

from __future__ import annotations

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.core.errors import Forbidden
from tirek.mechanisms.models import Mechanism

EDITOR_ROLES = frozenset({Role.COORDINATOR})


def can_read(actor: Actor) -> bool:
    return actor.membership.is_active


def can_edit(actor: Actor) -> bool:
    """Draft, change and import mechanisms."""
    return actor.membership.is_active and actor.role in EDITOR_ROLES


def can_put_in_force(actor: Actor, mechanism: Mechanism) -> bool:
    agency = actor.agency
    return (
        can_edit(actor)
        and agency.type == Agency.Type.COMMISSION
        and agency.place_id == mechanism.territory_id
    )


def require_edit(actor: Actor) -> None:
    from django.utils.translation import gettext as _

    if not can_edit(actor):
        raise Forbidden(_("Only coordinators change referral mechanisms."))


def can_edit_calendars(actor: Actor) -> bool:
    """Keep working calendars (weekends, public holidays): coordinators and the administrators
    of reference data. Both configure; neither needs a case for it."""
    from tirek.accounts.roles import Capability

    return actor.membership.is_active and (
        actor.role in EDITOR_ROLES or actor.can(Capability.MANAGE_REFERENCE_DATA)
    )


def require_calendar_edit(actor: Actor) -> None:
    from django.utils.translation import gettext as _

    if not can_edit_calendars(actor):
        raise Forbidden(_("Only coordinators and administrators change working calendars."))
