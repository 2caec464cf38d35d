"""Who may change the directory: the one place the directory's permissions are decided.

Everyone signed in reads it (it holds no personal data). An agency's administrators and
coordinators describe their own agency's services; its workers update free places; the
reference-data administrators may do both for every agency.
"""

from __future__ import annotations

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability


def _own(actor: Actor, agency_id: object) -> bool:
    return str(actor.agency_id) == str(agency_id)


def can_manage_services(actor: Actor, agency_id: object) -> bool:
    """Create and edit the services of ``agency_id``."""
    if actor.can(Capability.MANAGE_REFERENCE_DATA):
        return True
    return actor.can(Capability.MANAGE_DIRECTORY) and _own(actor, agency_id)


def can_update_capacity(actor: Actor, agency_id: object) -> bool:
    """Update the free places of a service of ``agency_id``."""
    if can_manage_services(actor, agency_id):
        return True
    return actor.can(Capability.UPDATE_CAPACITY) and _own(actor, agency_id)


def can_exchange_directory(actor: Actor) -> bool:
    """Import a whole directory (HSDS datapackage): it may touch every agency."""
    return actor.can(Capability.MANAGE_REFERENCE_DATA)


def can_rename_agencies(actor: Actor) -> bool:
    """Edit agencies' names in kk/ru/en at all: the administrators, who configure agencies (and
    never read cases)."""
    return actor.can(Capability.MANAGE_REFERENCE_DATA) or actor.can(Capability.MANAGE_MEMBERS)


def can_rename_agency(actor: Actor, agency_id: object) -> bool:
    """Edit the names of ``agency_id``: a reference-data administrator any agency's, an agency
    administrator their own agency's."""
    if actor.can(Capability.MANAGE_REFERENCE_DATA):
        return True
    return actor.can(Capability.MANAGE_MEMBERS) and _own(actor, agency_id)
