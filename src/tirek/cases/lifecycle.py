"""Writes of a case's life cycle: moving it through the NRM stages.

Split from ``services.py`` by size; the same rules apply: keyword-only, one transaction, one
timeline event, validation before the first write. Higher apps take part through hooks
(``cases.hooks``): guards that can refuse a move (open referrals, open mechanism steps) and
hooks that follow a stage being entered (the mechanism's checklist).
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import NrmStage, TraffickingStatus
from tirek.cases.corrections import revision_record
from tirek.cases.hooks import stage_entered, transition_problems
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.services import _case_swap, case_event_record

MAX_STAGE_REASON = 1000

# The order of the stages a case goes through; proceedings run alongside any of them.
STAGE_ORDER: tuple[str, ...] = (
    NrmStage.IDENTIFICATION,
    NrmStage.FIRST_ASSISTANCE,
    NrmStage.LONG_TERM,
    NrmStage.RETURN,
)


def stage_is_backwards(current: str, target: str) -> bool:
    """Whether ``target`` comes before ``current`` in the order of the stages."""
    if current not in STAGE_ORDER or target not in STAGE_ORDER:
        return False
    return STAGE_ORDER.index(target) < STAGE_ORDER.index(current)


def stage_change_problems(*, case: Case, target: str, reason: str) -> dict[str, list[str]]:
    """Why the case may not move to ``target`` now, by field; empty when it may. Pure rules
    plus the guards that higher apps register."""
    errors: dict[str, list[str]] = {}
    if target not in NrmStage.values:
        errors["stage"] = [_("Choose a stage from the list.")]
        return errors
    if target == case.nrm_stage:
        errors["stage"] = [_("The case is already at this stage.")]
    elif (
        target != NrmStage.IDENTIFICATION
        and case.trafficking_status == TraffickingStatus.NOT_A_VICTIM
    ):
        errors["stage"] = [
            _("The person was found not to be a victim: close the case instead of moving it on.")
        ]
    if stage_is_backwards(case.nrm_stage, target) and not reason.strip():
        errors["reason"] = [_("Say why the case goes back to an earlier stage.")]
    elif len(reason) > MAX_STAGE_REASON:
        errors["reason"] = [_("The reason is too long.")]
    problems = transition_problems(case, target) if "stage" not in errors else []
    if problems:
        errors.setdefault("stage", []).extend(problems)
    return errors


@transaction.atomic
def case_stage_change(
    *, actor: Actor, case_id: UUID | str, stage: str, expected_version: int, reason: str = ""
) -> Case:
    """Move a case to another NRM stage (owner agency). Moving back needs a reason; the guards
    of higher apps may refuse; the hooks of higher apps follow the stage entered."""
    from tirek.cases.selectors import case_for_change

    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    if case.version != expected_version:
        _case_swap(case, expected_version)  # raises ConcurrentUpdate with the usual message
    errors = stage_change_problems(case=case, target=stage, reason=reason)
    if errors:
        raise ValidationError(errors)
    previous = case.nrm_stage
    _case_swap(case, expected_version, nrm_stage=stage)
    event = case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.STAGE_CHANGED,
        data={"from": previous, "to": stage, "backwards": stage_is_backwards(previous, stage)},
    )
    if reason.strip():
        # The reason may tell about the person: kept encrypted, for the owning agency only.
        revision_record(case=case, event=event, section="", content={"reason": reason.strip()})
    stage_entered(case, stage, actor)
    return case


def case_closure_problems(case: Case) -> list[str]:
    """What keeps a case from being closed (open referrals, open steps...), from the guards."""
    from tirek.cases.hooks import CLOSED

    return transition_problems(case, CLOSED)
