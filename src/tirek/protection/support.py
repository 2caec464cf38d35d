"""Needs and the support plan (HTCDS ``spl_``): one row per need, with objectives, the action plan,
planned and actual dates, and the referral that delivers it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change, case_view
from tirek.cases.services import case_event_record
from tirek.core.errors import Forbidden, NotFound
from tirek.core.versioning import versioned_update
from tirek.protection.children import child_case_require
from tirek.protection.choices import SupportStatus, SupportType
from tirek.protection.models import SupportPlan

MAX_TEXT = 4000
DELIVERY_FIELDS = ("status", "actual_start_date", "actual_end_date")
STALE_PLAN = gettext_lazy(
    "Someone else changed this part of the support plan meanwhile. Reload to see it."
)


@dataclass
class SupportPlanInput:
    """One need and its plan (HTCDS ``spl_Type``, ``spl_Objectives``, ``spl_ActionPlan``, ...)."""

    type: str = ""
    objectives: str = ""
    action_plan: str = ""
    status: str = SupportStatus.NEEDED
    planned_start_date: datetime.date | None = None
    actual_start_date: datetime.date | None = None
    planned_end_date: datetime.date | None = None
    actual_end_date: datetime.date | None = None
    referral_id: UUID | None = None


def referrals_of_case(case: Case) -> QuerySet[Any]:
    """The case's referrals that may deliver a need (not withdrawn or declined).

    Referrals sit above protection (they check consent), so the model is looked up by name.
    """
    referral = apps.get_model("referrals", "Referral")
    return referral.objects.filter(case=case).exclude(status__in=["withdrawn", "declined"])


def support_plan_validate(data: SupportPlanInput, *, today: datetime.date) -> dict[str, list[str]]:
    """The plan's own rules: a type, status and objectives, dates in order, actual dates not
    in the future and matching the status. (That the referral is the case's: the service.)"""
    errors: dict[str, list[str]] = {}
    if data.type not in SupportType.values:
        errors["type"] = [_("Choose the type of support.")]
    if data.status not in SupportStatus.values:
        errors["status"] = [_("Choose the status.")]
    if not data.objectives.strip():
        errors["objectives"] = [_("Say what the support should achieve.")]
    for name in ("objectives", "action_plan"):
        if len(getattr(data, name)) > MAX_TEXT:
            errors.setdefault(name, []).append(_("The text is too long."))
    for name in ("actual_start_date", "actual_end_date"):
        day = getattr(data, name)
        if day is not None and day > today:
            errors[name] = [_("An actual date cannot be in the future.")]
    if (
        data.planned_start_date
        and data.planned_end_date
        and data.planned_end_date < data.planned_start_date
    ):
        errors["planned_end_date"] = [_("The end cannot be before the start.")]
    if data.actual_end_date and not data.actual_start_date:
        errors["actual_start_date"] = [_("Enter when the support actually started.")]
    elif (
        data.actual_start_date
        and data.actual_end_date
        and data.actual_end_date < data.actual_start_date
    ):
        errors.setdefault("actual_end_date", []).append(_("The end cannot be before the start."))
    if data.status == SupportStatus.DONE and not data.actual_end_date:
        errors.setdefault("actual_end_date", []).append(_("Enter when the support actually ended."))
    if data.status == SupportStatus.IN_PROGRESS and not data.actual_start_date:
        errors.setdefault("actual_start_date", []).append(
            _("Enter when the support actually started.")
        )
    return errors


def support_delivery_validate(
    *,
    status: str,
    actual_start_date: datetime.date | None,
    actual_end_date: datetime.date | None,
    notes: str,
    today: datetime.date,
) -> dict[str, list[str]]:
    """The plan's rules over what the providing agency records, and its notes' length."""
    data = SupportPlanInput(
        status=status, actual_start_date=actual_start_date, actual_end_date=actual_end_date
    )
    errors = {
        name: messages
        for name, messages in support_plan_validate(data, today=today).items()
        if name in DELIVERY_FIELDS
    }
    if len(notes) > MAX_TEXT:
        errors["notes"] = [_("The text is too long.")]
    return errors


def _support_plan_errors(data: SupportPlanInput, *, case: Case) -> dict[str, list[str]]:
    errors = support_plan_validate(data, today=timezone.localdate())
    if (
        data.referral_id is not None
        and not referrals_of_case(case).filter(pk=data.referral_id).exists()
    ):
        errors["referral"] = [_("Choose a referral of this case.")]
    return errors


def support_plans_for(*, view: CaseView) -> QuerySet[SupportPlan]:
    """The case's needs and support plan; empty without the support section."""
    if not view.has(Section.SUPPORT):
        return SupportPlan.objects.none()
    return view.case.support_plans.select_related("referral", "referral__to_agency")


def _fields(data: SupportPlanInput) -> dict[str, object]:
    return {
        "type": data.type,
        "status": data.status,
        "objectives": data.objectives.strip(),
        "action_plan": data.action_plan.strip(),
        "planned_start_date": data.planned_start_date,
        "actual_start_date": data.actual_start_date,
        "planned_end_date": data.planned_end_date,
        "actual_end_date": data.actual_end_date,
        "referral_id": data.referral_id,
    }


@transaction.atomic
def support_plan_add(*, actor: Actor, case_id: UUID | str, data: SupportPlanInput) -> SupportPlan:
    """Add a need, and the plan to meet it, to the case's support plan (owning agency)."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    errors = _support_plan_errors(data, case=case)
    if errors:
        raise ValidationError(errors)
    plan = SupportPlan.objects.create(case=case, recorded_by=actor.user, **_fields(data))
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.SUPPORT_PLAN_ADDED,
        section=Section.SUPPORT,
        data={"support_plan_id": str(plan.pk), "type": plan.type, "status": plan.status},
    )
    return plan


@transaction.atomic
def support_plan_update(
    *, actor: Actor, plan_id: UUID | str, data: SupportPlanInput, expected_version: int
) -> SupportPlan:
    """Change one need's plan, its status or dates; refused if someone changed it meanwhile."""
    plan = SupportPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound()
    case = case_for_change(actor=actor, case_id=plan.case_id)
    case_require_open(case)
    child_case_require(actor, case)
    errors = _support_plan_errors(data, case=case)
    if errors:
        raise ValidationError(errors)
    previous_status = plan.status
    versioned_update(
        plan, expected_version=expected_version, conflict_message=STALE_PLAN, fields=_fields(data)
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.SUPPORT_PLAN_UPDATED,
        section=Section.SUPPORT,
        data={
            "support_plan_id": str(plan.pk),
            "type": plan.type,
            "from": previous_status,
            "to": plan.status,
        },
    )
    return plan


# --- delivery, recorded by the agency providing the support ----------------------------------


def delivers(actor: Actor, view: CaseView, plan: SupportPlan) -> bool:
    """Whether the actor's agency provides this support: the need names a referral to it that
    it accepted, and the referral granted it the support section."""
    referral = plan.referral
    return (
        referral is not None
        and view.has(Section.SUPPORT)
        and actor.can(Capability.EDIT_CASES)
        and referral.to_agency_id == actor.membership.agency_id
        and referral.status == "accepted"
    )


def support_plan_delivered_by(*, actor: Actor, plan_id: UUID | str) -> tuple[SupportPlan, CaseView]:
    """The support plan whose delivery the actor's agency records, and the case as it sees it:
    ``NotFound`` without the case's support section, ``Forbidden`` if another agency provides it."""
    try:
        plan = SupportPlan.objects.select_related("referral").get(pk=plan_id)
        view = case_view(actor=actor, case_id=plan.case_id)
    except (SupportPlan.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    if not view.has(Section.SUPPORT):
        raise NotFound()
    if not delivers(actor, view, plan):
        raise Forbidden(_("Only the agency providing this support records its delivery."))
    return plan, view


@transaction.atomic
def support_delivery_record(
    *,
    actor: Actor,
    plan_id: UUID | str,
    status: str,
    actual_start_date: datetime.date | None,
    actual_end_date: datetime.date | None,
    notes: str,
    expected_version: int,
) -> SupportPlan:
    """The agency providing a support (through an accepted referral granting the support
    section) records how it goes: status, actual dates and its notes. Not another agency's
    items, and nothing else of the plan."""
    plan, view = support_plan_delivered_by(actor=actor, plan_id=plan_id)
    case_require_open(view.case)
    child_case_require(actor, view.case)
    errors = support_delivery_validate(
        status=status,
        actual_start_date=actual_start_date,
        actual_end_date=actual_end_date,
        notes=notes,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    previous_status = plan.status
    versioned_update(
        plan,
        expected_version=expected_version,
        conflict_message=STALE_PLAN,
        fields={
            "status": status,
            "actual_start_date": actual_start_date,
            "actual_end_date": actual_end_date,
            "delivery_notes": notes.strip(),
        },
    )
    case_event_record(
        case=view.case,
        actor=actor,
        kind=CaseEvent.Kind.SUPPORT_DELIVERY_RECORDED,
        section=Section.SUPPORT,
        data={
            "support_plan_id": str(plan.pk),
            "type": plan.type,
            "from": previous_status,
            "to": plan.status,
        },
    )
    return plan
