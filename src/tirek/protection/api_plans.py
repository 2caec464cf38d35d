"""API of the protection plans: reflection period, risk assessments and safety plan, support plan.

Reads need the section (``support`` or ``risk``) of the case; writes are the owning agency's.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Status

from tirek.cases.choices import RiskLevel, Section
from tirek.cases.schemas import MAX_ID, MAX_LIST, enum_of, list_of_enum
from tirek.core.api_support import InSchema, OutSchema, actor_of, field_names
from tirek.protection.api_support import one_or_404, section_open
from tirek.protection.choices import ReflectionOutcome, RiskFactor, SupportStatus, SupportType
from tirek.protection.hooks import support_steps
from tirek.protection.models import ReflectionPeriod, RiskAssessment, SafetyPlan, SupportPlan
from tirek.protection.reflection import (
    MAX_NOTE,
    reflection_countdown,
    reflection_end,
    reflection_extend,
    reflection_periods_for,
    reflection_start,
)
from tirek.protection.risk import (
    MAX_TEXT,
    risk_areas_of,
    risk_assess,
    risk_assessments_for,
    safety_plan_for,
    safety_plan_save,
)
from tirek.protection.support import MAX_TEXT as SUPPORT_TEXT
from tirek.protection.support import (
    SupportPlanInput,
    support_delivery_record,
    support_plan_add,
    support_plan_update,
    support_plans_for,
)

router = Router(tags=["protection"], by_alias=True)

VERSION = Field(ge=0, le=MAX_ID, description="The version you read; 409 if it changed since.")


# --- reflection period ---------------------------------------------------------------------


class ReflectionStartIn(InSchema):
    starts_on: datetime.date | None = Field(None, description="Defaults to today.")
    days: int | None = Field(
        None,
        description="Defaults to the mechanism's length (30 days), also its minimum; at most 365.",
    )


class ReflectionExtendIn(InSchema):
    version: int = VERSION
    days: int = Field(description="1 to 365.")
    reason: str = Field(max_length=MAX_NOTE)


class ReflectionEndIn(InSchema):
    version: int = VERSION
    outcome: str = Field(max_length=24, json_schema_extra=enum_of(ReflectionOutcome.values))
    note: str = Field("", max_length=MAX_NOTE)
    ended_on: datetime.date | None = Field(None, description="Defaults to today.")


class ReflectionExtensionOut(OutSchema):
    days: int
    previous_ends_on: datetime.date
    reason: str
    created_at: datetime.datetime


class ReflectionOut(OutSchema):
    id: UUID
    case_id: UUID
    version: int
    starts_on: datetime.date
    ends_on: datetime.date
    days_granted: int
    days_left: int | None = Field(description="Days until the end while it runs, else null.")
    ended_on: datetime.date | None
    outcome: str
    outcome_note: str
    extensions: list[ReflectionExtensionOut]


def reflection_out(period: ReflectionPeriod) -> dict[str, Any]:
    countdown = reflection_countdown(period, today=timezone.localdate())
    return {
        "id": period.pk,
        "case_id": period.case_id,
        "version": period.version,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "days_granted": period.days_granted,
        "days_left": countdown["days_left"] if period.is_running else None,
        "ended_on": period.ended_on,
        "outcome": period.outcome,
        "outcome_note": period.outcome_note,
        "extensions": list(period.extensions.all()),
    }


@router.get(
    "/cases/{case_id}/reflection-periods",
    response=list[ReflectionOut],
    summary="Reflection and recovery periods of a case (support section)",
)
def reflection_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    view = section_open(request, case_id, Section.SUPPORT)
    return [reflection_out(p) for p in reflection_periods_for(view=view)]


@router.post(
    "/cases/{case_id}/reflection-periods",
    response={201: ReflectionOut},
    summary="Start the reflection and recovery period",
)
def reflection_start_route(
    request: HttpRequest, case_id: UUID, payload: ReflectionStartIn
) -> Status[dict[str, Any]]:
    period = reflection_start(
        actor=actor_of(request), case_id=case_id, starts_on=payload.starts_on, days=payload.days
    )
    return Status(201, reflection_out(period))


@router.post(
    "/reflection-periods/{period_id}/extend",
    response=ReflectionOut,
    summary="Extend a running reflection period, with the reason",
)
def reflection_extend_route(
    request: HttpRequest, period_id: UUID, payload: ReflectionExtendIn
) -> dict[str, Any]:
    period = reflection_extend(
        actor=actor_of(request),
        period_id=period_id,
        days=payload.days,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return reflection_out(period)


@router.post(
    "/reflection-periods/{period_id}/end",
    response=ReflectionOut,
    summary="Record the end of the reflection period and its outcome",
)
def reflection_end_route(
    request: HttpRequest, period_id: UUID, payload: ReflectionEndIn
) -> dict[str, Any]:
    period = reflection_end(
        actor=actor_of(request),
        period_id=period_id,
        outcome=payload.outcome,
        note=payload.note,
        ended_on=payload.ended_on,
        expected_version=payload.version,
    )
    return reflection_out(period)


# --- risk and safety -----------------------------------------------------------------------


class RiskAssessmentIn(InSchema):
    level: str = Field(max_length=8, json_schema_extra=enum_of(RiskLevel.values))
    factors: list[str] = Field(
        default_factory=list, max_length=MAX_LIST, json_schema_extra=list_of_enum(RiskFactor.values)
    )
    notes: str = Field("", max_length=MAX_TEXT)
    assessed_on: datetime.date | None = Field(None, description="Defaults to today.")


class RiskAssessmentOut(OutSchema):
    id: UUID
    case_id: UUID
    assessed_on: datetime.date
    level: str
    factors: list[str]
    areas: list[str]
    notes: str
    created_at: datetime.datetime


def risk_out(assessment: RiskAssessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "case_id": assessment.case_id,
        "assessed_on": assessment.assessed_on,
        "level": assessment.level,
        "factors": assessment.factors,
        "areas": risk_areas_of(assessment.factors),
        "notes": assessment.notes,
        "created_at": assessment.created_at,
    }


@router.get(
    "/cases/{case_id}/risk-assessments",
    response=list[RiskAssessmentOut],
    summary="Risk assessments of a case, newest first (risk section)",
)
def risk_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    view = section_open(request, case_id, Section.RISK)
    return [risk_out(a) for a in risk_assessments_for(view=view)]


@router.post(
    "/cases/{case_id}/risk-assessments",
    response={201: RiskAssessmentOut},
    summary="Record a risk assessment; it sets the case's risk level",
)
def risk_create(
    request: HttpRequest, case_id: UUID, payload: RiskAssessmentIn
) -> Status[dict[str, Any]]:
    assessment = risk_assess(
        actor=actor_of(request),
        case_id=case_id,
        level=payload.level,
        factors=payload.factors,
        notes=payload.notes,
        assessed_on=payload.assessed_on,
    )
    return Status(201, risk_out(assessment))


class SafetyPlanIn(InSchema):
    version: int = Field(
        0, ge=0, le=MAX_ID, description="0 for a new plan, else the version you read."
    )
    measures: str = Field(max_length=MAX_TEXT)
    emergency_contacts: str = Field("", max_length=MAX_TEXT)
    safe_place: str = Field("", max_length=MAX_TEXT)
    review_on: datetime.date | None = None


class SafetyPlanOut(OutSchema):
    id: UUID
    case_id: UUID
    version: int
    measures: str
    emergency_contacts: str
    safe_place: str
    review_on: datetime.date | None
    updated_at: datetime.datetime


@router.get(
    "/cases/{case_id}/safety-plan",
    response=SafetyPlanOut,
    summary="The case's safety plan (risk section); 404 if there is none",
)
def safety_plan_get(request: HttpRequest, case_id: UUID) -> SafetyPlan:
    view = section_open(request, case_id, Section.RISK)
    return one_or_404(safety_plan_for(view=view))


@router.put(
    "/cases/{case_id}/safety-plan",
    response=SafetyPlanOut,
    summary="Write the case's safety plan (version 0 creates it)",
)
def safety_plan_put(request: HttpRequest, case_id: UUID, payload: SafetyPlanIn) -> SafetyPlan:
    return safety_plan_save(
        actor=actor_of(request),
        case_id=case_id,
        measures=payload.measures,
        emergency_contacts=payload.emergency_contacts,
        safe_place=payload.safe_place,
        review_on=payload.review_on,
        expected_version=payload.version,
    )


# --- needs and support plan ----------------------------------------------------------------


class SupportPlanIn(InSchema):
    """One need and its plan; HTCDS ``spl_`` names where the standard has the field."""

    type: str = Field(
        alias="spl_Type", max_length=40, json_schema_extra=enum_of(SupportType.values)
    )
    objectives: str = Field(alias="spl_Objectives", max_length=SUPPORT_TEXT)
    action_plan: str = Field("", alias="spl_ActionPlan", max_length=SUPPORT_TEXT)
    status: str = Field(
        SupportStatus.NEEDED, max_length=12, json_schema_extra=enum_of(SupportStatus.values)
    )
    planned_start_date: datetime.date | None = None
    actual_start_date: datetime.date | None = None
    planned_end_date: datetime.date | None = Field(None, alias="spl_PlannedEndDate")
    actual_end_date: datetime.date | None = Field(None, alias="spl_ActualEndDate")
    referral_id: UUID | None = Field(None, description="The referral that delivers it.")

    def to_input(self) -> SupportPlanInput:
        return SupportPlanInput(
            type=self.type,
            objectives=self.objectives,
            action_plan=self.action_plan,
            status=self.status,
            planned_start_date=self.planned_start_date,
            actual_start_date=self.actual_start_date,
            planned_end_date=self.planned_end_date,
            actual_end_date=self.actual_end_date,
            referral_id=self.referral_id,
        )


class SupportPlanUpdateIn(SupportPlanIn):
    version: int = VERSION


class DeliveringStepOut(OutSchema):
    item_id: UUID
    code: str
    label: str
    status: str
    status_label: str
    closed_at: datetime.datetime | None


class SupportPlanOut(OutSchema):
    id: UUID
    case_id: UUID
    version: int
    type: str = Field(alias="spl_Type")
    objectives: str = Field(alias="spl_Objectives")
    action_plan: str = Field(alias="spl_ActionPlan")
    status: str
    planned_start_date: datetime.date | None
    actual_start_date: datetime.date | None
    planned_end_date: datetime.date | None = Field(alias="spl_PlannedEndDate")
    actual_end_date: datetime.date | None = Field(alias="spl_ActualEndDate")
    referral_id: UUID | None
    delivery_notes: str = Field(description="Notes of the agency providing the support.")
    checklist_steps: list[DeliveringStepOut] = Field(
        [], description="Steps of the mechanism that deliver it (owning agency only)"
    )


class SupportDeliveryIn(InSchema):
    version: int = VERSION
    status: str = Field(max_length=12, json_schema_extra=enum_of(SupportStatus.values))
    actual_start_date: datetime.date | None = None
    actual_end_date: datetime.date | None = Field(None, alias="spl_ActualEndDate")
    notes: str = Field("", max_length=SUPPORT_TEXT)


SUPPORT_FIELDS = {
    "type": "spl_Type",
    "objectives": "spl_Objectives",
    "action_plan": "spl_ActionPlan",
    "planned_end_date": "spl_PlannedEndDate",
    "actual_end_date": "spl_ActualEndDate",
    "referral": "referral_id",
}


def support_out(plan: SupportPlan, *, show_referral: bool) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "case_id": plan.case_id,
        "version": plan.version,
        "type": plan.type,
        "objectives": plan.objectives,
        "action_plan": plan.action_plan,
        "status": plan.status,
        "planned_start_date": plan.planned_start_date,
        "actual_start_date": plan.actual_start_date,
        "planned_end_date": plan.planned_end_date,
        "actual_end_date": plan.actual_end_date,
        "referral_id": plan.referral_id if show_referral else None,
        "delivery_notes": plan.delivery_notes,
    }


@router.get(
    "/cases/{case_id}/support-plans",
    response=list[SupportPlanOut],
    summary="Needs and the support plan of a case (support section)",
)
def support_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    view = section_open(request, case_id, Section.SUPPORT)
    show = view.is_owner or view.has(Section.REFERRALS)
    plans = list(support_plans_for(view=view))
    steps = support_steps(plans) if view.is_owner else {}
    return [
        support_out(p, show_referral=show) | {"checklist_steps": steps.get(p.pk, [])} for p in plans
    ]


@router.post(
    "/cases/{case_id}/support-plans",
    response={201: SupportPlanOut},
    summary="Add a need and the plan to meet it",
)
def support_create(
    request: HttpRequest, case_id: UUID, payload: SupportPlanIn
) -> Status[dict[str, Any]]:
    with field_names(SUPPORT_FIELDS):
        plan = support_plan_add(actor=actor_of(request), case_id=case_id, data=payload.to_input())
    return Status(201, support_out(plan, show_referral=True))


@router.put(
    "/support-plans/{plan_id}",
    response=SupportPlanOut,
    summary="Change one need's plan, status or dates",
)
def support_update(
    request: HttpRequest, plan_id: UUID, payload: SupportPlanUpdateIn
) -> dict[str, Any]:
    with field_names(SUPPORT_FIELDS):
        plan = support_plan_update(
            actor=actor_of(request),
            plan_id=plan_id,
            data=payload.to_input(),
            expected_version=payload.version,
        )
    return support_out(plan, show_referral=True)


@router.post(
    "/support-plans/{plan_id}/delivery",
    response=SupportPlanOut,
    summary="The agency providing a support records its status, actual dates and notes",
)
def support_delivery(
    request: HttpRequest, plan_id: UUID, payload: SupportDeliveryIn
) -> dict[str, Any]:
    with field_names({"actual_end_date": "spl_ActualEndDate"}):
        plan = support_delivery_record(
            actor=actor_of(request),
            plan_id=plan_id,
            status=payload.status,
            actual_start_date=payload.actual_start_date,
            actual_end_date=payload.actual_end_date,
            notes=payload.notes,
            expected_version=payload.version,
        )
    return support_out(plan, show_referral=False)
