"""What the protection app's web views share: who may work on a case's protection parts and the
record a form changes."""

from __future__ import annotations

from typing import TypeVar

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.cases.selectors import CaseView, case_for_change
from tirek.core.errors import NotFound
from tirek.protection.models import Perpetrator, Proceeding, ReflectionPeriod, SupportPlan

CaseRecord = TypeVar("CaseRecord", Perpetrator, Proceeding, ReflectionPeriod, SupportPlan)


def can_work_on(actor: Actor, view: CaseView) -> bool:
    """Whether the actor may change the case's protection parts now (owner, open case)."""
    case = view.case
    return (
        view.is_owner
        and actor.can(Capability.EDIT_CASES)
        and case.anonymised_at is None
        and case.status not in (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
    )


def case_record_for_change(
    actor: Actor, model: type[CaseRecord], record_id: str
) -> tuple[CaseRecord, Case]:
    """One of a case's protection records and its case, if the actor's agency may change the
    case: ``NotFound`` for an unknown id and for a case outside the actor's circle alike."""
    record = model.objects.filter(pk=record_id).first()
    if record is None:
        raise NotFound()
    return record, case_for_change(actor=actor, case_id=record.case_id)
