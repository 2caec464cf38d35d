"""Who may screen, decide a trafficking status and edit the catalogue: decided here only.

Until ``accounts.roles`` has dedicated capabilities (see docs/screening.md, "Wiring"), these
predicates use what exists: case-work roles screen; supervisors and coordinators decide a status;
coordinators and reference-data managers edit the catalogue. Administrators never read screenings.
"""

from __future__ import annotations

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability, Role
from tirek.cases import policy
from tirek.cases.choices import DecisionMakingOrg, Section
from tirek.cases.selectors import CaseView

STATUS_DECIDER_ROLES = frozenset({Role.SUPERVISOR, Role.COORDINATOR})
CATALOGUE_EDITOR_ROLES = frozenset({Role.COORDINATOR})

# The HTCDS decision-making organisation for each agency type (org_Type).
DECISION_ORG_BY_AGENCY_TYPE: dict[str, str] = {
    Agency.Type.LAW_ENFORCEMENT: DecisionMakingOrg.POLICE,
    Agency.Type.NGO: DecisionMakingOrg.NGO,
    Agency.Type.PROSECUTOR: DecisionMakingOrg.COURT_OR_PROSECUTION,
    Agency.Type.CENTRAL_GOVERNMENT: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
    Agency.Type.LOCAL_GOVERNMENT: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
    Agency.Type.IMMIGRATION: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
    Agency.Type.HEALTH: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
    Agency.Type.SCHOOL: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
    Agency.Type.COMMISSION: DecisionMakingOrg.NON_POLICE_GOVERNMENT,
}


def _emergency_only(actor: Actor, view: CaseView) -> bool:
    """A break-glass access reads; it does not screen or decide (see docs/permissions.md)."""
    return policy.is_emergency_only(
        actor, case_id=view.case.pk, owner_agency_id=view.case.owner_agency_id
    )


def can_screen(actor: Actor) -> bool:
    """Anyone doing case work may screen, also anonymously (no case, no personal data)."""
    return actor.can(Capability.READ_CASES)


def can_screen_case(actor: Actor, view: CaseView) -> bool:
    """Screening a case reads and adds to its trafficking details."""
    return can_screen(actor) and view.has(Section.VICTIM) and not _emergency_only(actor, view)


def can_see_case_screenings(actor: Actor, view: CaseView) -> bool:
    return actor.can(Capability.READ_CASES) and view.has(Section.VICTIM)


def can_decide_status(actor: Actor, view: CaseView) -> bool:
    """A supervisor or coordinator of an agency that sees the case's trafficking details."""
    return (
        actor.membership.is_active
        and actor.role in STATUS_DECIDER_ROLES
        and actor.can(Capability.READ_CASES)
        and view.has(Section.VICTIM)
        and not _emergency_only(actor, view)
    )


def can_edit_catalogue(actor: Actor) -> bool:
    return actor.membership.is_active and (
        actor.role in CATALOGUE_EDITOR_ROLES or actor.can(Capability.MANAGE_REFERENCE_DATA)
    )


def decision_org_for(agency: Agency) -> str:
    return DECISION_ORG_BY_AGENCY_TYPE.get(agency.type, DecisionMakingOrg.OTHER)
