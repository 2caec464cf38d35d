"""Which needs of the support plan a step of the case's checklist delivers.

The owning agency links a checklist step to the needs (``protection.SupportPlan``) it delivers;
the checklist shows the needs under each step, and the support plan shows, under each need, the
steps that deliver it and whether they are closed (through ``protection.hooks``: protection never
imports mechanisms). Linking is one transaction with one timeline event (support section).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import NotFound
from tirek.mechanisms.models import ChecklistItem
from tirek.protection.children import child_case_require
from tirek.protection.hooks import DeliveringStep
from tirek.protection.models import SupportPlan

MAX_LINKS = 50


def _uuids(values: Iterable[object]) -> set[UUID] | None:
    found = set()
    for value in values:
        try:
            found.add(value if isinstance(value, UUID) else UUID(str(value)))
        except ValueError:
            return None
    return found


@transaction.atomic
def checklist_item_plans_link(
    *, actor: Actor, item_id: UUID | str, plan_ids: Iterable[object]
) -> ChecklistItem:
    """Set the needs of the case's support plan that the step delivers (an empty list unlinks
    them all)."""
    item = ChecklistItem.objects.select_related("step").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    case = case_for_change(actor=actor, case_id=item.case_id)
    case_require_open(case)
    child_case_require(actor, case)
    wanted = _uuids(plan_ids)
    plans = list(SupportPlan.objects.filter(case=case, pk__in=wanted)) if wanted is not None else []
    if wanted is None or len(plans) != len(wanted):
        raise ValidationError({"support_plans": [_("Choose needs of this case's support plan.")]})
    if len(plans) > MAX_LINKS:
        raise ValidationError({"support_plans": [_("Choose at most 50 needs.")]})
    item.support_plans.set(plans)
    ChecklistItem.objects.filter(pk=item.pk).update(version=item.version + 1)
    item.version += 1
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.SUPPORT_PLAN_UPDATED,
        section=Section.SUPPORT,
        data={
            "checklist_item_id": str(item.pk),
            "step": item.step.code,
            "support_plan_ids": sorted(str(p.pk) for p in plans),
        },
    )
    return item


def plans_of_items(items: list[ChecklistItem]) -> dict[UUID, list[SupportPlan]]:
    """The needs each checklist item delivers."""
    found: dict[UUID, list[SupportPlan]] = {}
    links = ChecklistItem.support_plans.through.objects.filter(
        checklistitem_id__in=[i.pk for i in items]
    ).select_related("supportplan")
    for link in links:
        found.setdefault(link.checklistitem_id, []).append(link.supportplan)
    return found


def support_plans_of_case(case: Case) -> list[SupportPlan]:
    return list(SupportPlan.objects.filter(case=case).order_by("created_at"))


def delivering_steps(plans: list[SupportPlan]) -> dict[UUID, list[DeliveringStep]]:
    """Hook of ``protection``: per need, the checklist steps that deliver it."""
    found: dict[UUID, list[DeliveringStep]] = {}
    links = (
        ChecklistItem.support_plans.through.objects.filter(supportplan_id__in=[p.pk for p in plans])
        .select_related("checklistitem__step")
        .order_by("checklistitem__created_at")
    )
    for link in links:
        item = link.checklistitem
        found.setdefault(link.supportplan_id, []).append(
            DeliveringStep(
                item_id=item.pk,
                code=item.step.code,
                label=item.step.label,
                status=item.status,
                status_label=str(item.get_status_display()),
                closed_at=item.closed_at,
            )
        )
    return found
