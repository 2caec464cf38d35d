"""Who may read and write notes and tasks on a case."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases import policy as case_policy
from tirek.cases.selectors import CaseView
from tirek.core.errors import Forbidden


def may_work_on(actor: Actor, view: CaseView) -> bool:
    """The owning agency, or an agency working on the case through an accepted referral; never
    through emergency access alone (read-only)."""
    return actor.can(Capability.EDIT_CASES) and not case_policy.is_emergency_only(
        actor, case_id=view.case.pk, owner_agency_id=view.case.owner_agency_id
    )


def require_work_on(actor: Actor, view: CaseView) -> None:
    if not may_work_on(actor, view):
        raise Forbidden(_("Your agency cannot add notes or tasks to this case."))


def notes_readable(actor: Actor) -> Q:
    """A ``Q`` over ``CaseNote``: shared notes, and the private notes of the actor's agency."""
    return Q(private=False) | Q(agency_id=actor.membership.agency_id)
