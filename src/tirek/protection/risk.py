"""Risk assessments and the safety plan. The latest assessment's level is the case's risk flag
(``Case.risk_level``), shown on the case and in the case list."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.cases.choices import RiskLevel, Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import ConcurrentUpdate
from tirek.core.versioning import versioned_update
from tirek.protection.children import child_case_require
from tirek.protection.choices import RISK_FACTOR_AREA, RiskArea, RiskFactor
from tirek.protection.models import RiskAssessment, SafetyPlan

MAX_TEXT = 4000


def risk_areas_of(factors: list[str]) -> list[str]:
    """The risk areas that the ticked factors touch, in the order of ``RiskArea``."""
    touched = {RISK_FACTOR_AREA[f] for f in factors if f in RISK_FACTOR_AREA}
    return [area for area in RiskArea.values if area in touched]


def risk_assessments_for(*, view: CaseView) -> QuerySet[RiskAssessment]:
    """The case's risk assessments, newest first; empty without the risk section."""
    if not view.has(Section.RISK):
        return RiskAssessment.objects.none()
    return view.case.risk_assessments.select_related("assessed_by", "assessed_by_agency")


def safety_plan_for(*, view: CaseView) -> SafetyPlan | None:
    if not view.has(Section.RISK):
        return None
    return SafetyPlan.objects.filter(case=view.case).first()


def risk_assessment_validate(
    *,
    level: str,
    factors: list[str],
    notes: str,
    assessed_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if level not in RiskLevel.values:
        errors["level"] = [_("Choose the level of risk.")]
    if set(factors) - set(RiskFactor.values):
        errors["factors"] = [_("Unknown risk factor.")]
    if assessed_on is not None and assessed_on > today:
        errors["assessed_on"] = [_("The date cannot be in the future.")]
    if len(notes) > MAX_TEXT:
        errors["notes"] = [_("The text is too long.")]
    return errors


def safety_plan_validate(
    *,
    measures: str,
    emergency_contacts: str,
    safe_place: str,
    review_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not measures.strip():
        errors["measures"] = [_("Describe the safety measures.")]
    for name, text in (
        ("measures", measures),
        ("emergency_contacts", emergency_contacts),
        ("safe_place", safe_place),
    ):
        if len(text) > MAX_TEXT:
            errors.setdefault(name, []).append(_("The text is too long."))
    if review_on is not None and review_on < today:
        errors["review_on"] = [_("The review date cannot be in the past.")]
    return errors


@transaction.atomic
def risk_assess(
    *,
    actor: Actor,
    case_id: UUID | str,
    level: str,
    factors: list[str],
    notes: str = "",
    assessed_on: datetime.date | None = None,
) -> RiskAssessment:
    """Record an assessment of the risks to the person; it becomes the case's risk level."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    today = timezone.localdate()
    day = assessed_on or today
    errors = risk_assessment_validate(
        level=level, factors=factors, notes=notes, assessed_on=day, today=today
    )
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_on=day,
        level=level,
        factors=[f for f in RiskFactor.values if f in set(factors)],
        notes=notes.strip(),
        assessed_by=actor.user,
        assessed_by_agency=actor.agency,
    )
    latest = case.risk_assessments.order_by("-assessed_on", "-created_at").first()
    if latest is not None:
        Case.objects.filter(pk=case.pk).update(risk_level=latest.level)
        case.risk_level = latest.level
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.RISK_ASSESSED,
        section=Section.RISK,
        data={
            "assessment_id": str(assessment.pk),
            "level": level,
            "areas": risk_areas_of(assessment.factors),
        },
    )
    return assessment


@transaction.atomic
def safety_plan_save(
    *,
    actor: Actor,
    case_id: UUID | str,
    measures: str,
    emergency_contacts: str = "",
    safe_place: str = "",
    review_on: datetime.date | None = None,
    expected_version: int | None = None,
) -> SafetyPlan:
    """Write the case's safety plan; changing an existing plan needs the version that was seen."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    child_case_require(actor, case)
    errors = safety_plan_validate(
        measures=measures,
        emergency_contacts=emergency_contacts,
        safe_place=safe_place,
        review_on=review_on,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    fields = {
        "measures": measures.strip(),
        "emergency_contacts": emergency_contacts.strip(),
        "safe_place": safe_place.strip(),
        "review_on": review_on,
        "updated_by": actor.user,
    }
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    stale = gettext_lazy("Someone else changed the safety plan meanwhile. Reload to see it.")
    if plan is None:
        if expected_version not in (None, 0):
            raise ConcurrentUpdate(stale)
        plan = SafetyPlan.objects.create(case=case, **fields)
    else:
        if expected_version is None:
            raise ConcurrentUpdate(stale)
        versioned_update(
            plan, expected_version=expected_version, conflict_message=stale, fields=fields
        )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.SAFETY_PLAN_SAVED,
        section=Section.RISK,
        data={"safety_plan_id": str(plan.pk), "version": plan.version},
    )
    return plan
