"""Web views of the protection plans: the reflection period, risk and safety, needs and support.

Each part is a panel of the case page (``CasePanel``) and a few POST routes. Thin: a form, one
service call, then back to the case page at the panel (or the page again with the errors).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases import page
from tirek.cases.choices import NrmStage, RiskLevel, Section
from tirek.cases.listing import ListFilter
from tirek.cases.models import Case
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel, case_form_submit
from tirek.protection.choices import RISK_FACTOR_AREA, RiskArea, RiskFactor
from tirek.protection.forms import (
    ReflectionEndForm,
    ReflectionExtendForm,
    ReflectionStartForm,
    RiskAssessmentForm,
    SafetyPlanForm,
    SupportDeliveryForm,
    SupportPlanForm,
)
from tirek.protection.hooks import support_steps
from tirek.protection.models import ReflectionPeriod, SupportPlan
from tirek.protection.reflection import (
    reflection_countdown,
    reflection_days_for,
    reflection_end,
    reflection_extend,
    reflection_periods_for,
    reflection_start,
)
from tirek.protection.risk import (
    risk_assess,
    risk_assessments_for,
    safety_plan_for,
    safety_plan_save,
)
from tirek.protection.support import (
    delivers,
    referrals_of_case,
    support_delivery_record,
    support_plan_add,
    support_plan_delivered_by,
    support_plan_update,
    support_plans_for,
)
from tirek.protection.web import (
    can_work_on,
    case_record_for_change,
)

# --- reflection period ---------------------------------------------------------------------


def _reflection_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.SUPPORT):
        return None
    periods = list(reflection_periods_for(view=view))
    today = timezone.localdate()
    running = next((p for p in periods if p.is_running), None)
    version = running.version if running else 0
    return {
        "case": view.case,
        "periods": periods,
        "running": running,
        "countdown": reflection_countdown(running, today=today) if running else None,
        "can_edit": can_work_on(actor, view),
        "start_open": not periods,
        "default_days": reflection_days_for(view.case),
        "start_form": bound.get("reflection_start_form")
        or ReflectionStartForm(default_days=reflection_days_for(view.case)),
        "extend_form": bound.get("reflection_extend_form")
        or ReflectionExtendForm(initial={"expected_version": version}),
        "end_form": bound.get("reflection_end_form")
        or ReflectionEndForm(initial={"expected_version": version, "ended_on": today}),
    }


def _has_support(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.SUPPORT)


def _has_risk(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.RISK)


PROTECTION_TAB = page.Tab("protection", gettext_lazy("Protection"), 45)

REFLECTION_PANEL = CasePanel(
    name="reflection",
    order=10,
    template="protection/_reflection_panel.html",
    context=_reflection_context,
    tab="protection",
    visible_for=_has_support,
    forms=("reflection_start_form", "reflection_extend_form", "reflection_end_form"),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def reflection_start_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = ReflectionStartForm(request.POST, default_days=reflection_days_for(case))
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"reflection_start_form": form},
        anchor="reflection",
        call=lambda: reflection_start(
            actor=actor,
            case_id=case_id,
            **form.values("starts_on", "days"),
        ),
        done=_("Reflection period started."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def reflection_extend_view(request: HttpRequest, actor: Actor, period_id: str) -> HttpResponse:
    _period, case = case_record_for_change(actor, ReflectionPeriod, period_id)
    form = ReflectionExtendForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case.pk,
        form=form,
        bound={"reflection_extend_form": form},
        anchor="reflection",
        call=lambda: reflection_extend(
            actor=actor,
            period_id=period_id,
            **form.values("days", "reason"),
            expected_version=form.version,
        ),
        done=_("Reflection period extended."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def reflection_end_view(request: HttpRequest, actor: Actor, period_id: str) -> HttpResponse:
    period, case = case_record_for_change(actor, ReflectionPeriod, period_id)
    form = ReflectionEndForm(request.POST, starts_on=period.starts_on)
    return case_form_submit(
        request,
        actor,
        case_id=case.pk,
        form=form,
        bound={"reflection_end_form": form},
        anchor="reflection",
        call=lambda: reflection_end(
            actor=actor,
            period_id=period_id,
            **form.values("outcome", "note", "ended_on"),
            expected_version=form.version,
        ),
        done=_("Outcome of the reflection period recorded."),
    )


# --- risk and safety -----------------------------------------------------------------------


def _factor_groups(factors: list[str] | None = None) -> list[dict[str, Any]]:
    """The risk factors grouped by area, for showing an assessment."""
    labels = dict(RiskFactor.choices)
    chosen = set(factors or [])
    groups = []
    for area, area_label in RiskArea.choices:
        items = [
            str(labels[f]) for f in RiskFactor.values if RISK_FACTOR_AREA[f] == area and f in chosen
        ]
        if items:
            groups.append({"area": area_label, "factors": items})
    return groups


def _risk_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.RISK):
        return None
    assessments = list(risk_assessments_for(view=view))
    plan = safety_plan_for(view=view)
    plan_initial: dict[str, Any] = {"expected_version": plan.version if plan else 0}
    if plan is not None:
        plan_initial |= {
            "measures": plan.measures,
            "emergency_contacts": plan.emergency_contacts,
            "safe_place": plan.safe_place,
            "review_on": plan.review_on,
        }
    return {
        "case": view.case,
        "latest": assessments[0] if assessments else None,
        "latest_groups": _factor_groups(assessments[0].factors) if assessments else [],
        "earlier": assessments[1:],
        "risk_open": not assessments,
        "plan": plan,
        "can_edit": can_work_on(actor, view),
        "risk_form": bound.get("risk_form") or RiskAssessmentForm(),
        "safety_form": bound.get("safety_form") or SafetyPlanForm(initial=plan_initial),
    }


RISK_PANEL = CasePanel(
    name="risk",
    order=20,
    template="protection/_risk_panel.html",
    context=_risk_context,
    tab="protection",
    visible_for=_has_risk,
    forms=("risk_form", "safety_form"),
    anchors=("safety-plan",),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def risk_assess_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = RiskAssessmentForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"risk_form": form},
        anchor="risk",
        call=lambda: risk_assess(
            actor=actor,
            case_id=case_id,
            **form.values("level", "factors", "notes", "assessed_on"),
        ),
        done=_("Risk assessment recorded."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def safety_plan_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = SafetyPlanForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"safety_form": form},
        anchor="risk",
        call=lambda: safety_plan_save(
            actor=actor,
            case_id=case_id,
            **form.values("measures", "emergency_contacts", "safe_place", "review_on"),
            expected_version=form.version,
        ),
        done=_("Safety plan saved."),
    )


# --- needs and support plan ----------------------------------------------------------------


def _referral_choices(case: Case) -> list[tuple[str, str]]:
    return [
        (str(r.pk), f"{r.to_agency.name} · {r.service_type.label} · {r.get_status_display()}")
        for r in referrals_of_case(case).select_related("to_agency", "service_type")
    ]


def _plan_initial(plan: SupportPlan) -> dict[str, Any]:
    return {
        "type": plan.type,
        "status": plan.status,
        "objectives": plan.objectives,
        "action_plan": plan.action_plan,
        "planned_start_date": plan.planned_start_date,
        "planned_end_date": plan.planned_end_date,
        "actual_start_date": plan.actual_start_date,
        "actual_end_date": plan.actual_end_date,
        "referral": str(plan.referral_id or ""),
        "expected_version": plan.version,
    }


def _support_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.SUPPORT):
        return None
    can_edit = can_work_on(actor, view)
    choices = _referral_choices(view.case) if can_edit else []
    items = []
    open_case = page.case_is_open(view)
    plans = list(support_plans_for(view=view))
    steps = support_steps(plans) if view.is_owner else {}
    for plan in plans:
        form = delivery_form = None
        edited = bound.get("support_edit_plan") == plan.pk
        if can_edit:
            form = (bound.get("support_edit_form") if edited else None) or SupportPlanForm(
                initial=_plan_initial(plan), referrals=choices, auto_id=f"plan_{plan.pk}_%s"
            )
        elif open_case and delivers(actor, view, plan):
            delivery_form = (bound.get("support_delivery_form") if edited else None) or (
                SupportDeliveryForm(
                    initial={
                        "status": plan.status,
                        "actual_start_date": plan.actual_start_date,
                        "actual_end_date": plan.actual_end_date,
                        "notes": plan.delivery_notes,
                        "expected_version": plan.version,
                    },
                    auto_id=f"delivery_{plan.pk}_%s",
                )
            )
        items.append(
            {
                "plan": plan,
                "form": form,
                "delivery_form": delivery_form,
                "steps": steps.get(plan.pk, []),
            }
        )
    return {
        "case": view.case,
        "items": items,
        "can_edit": can_edit,
        "show_referrals": view.is_owner or view.has(Section.REFERRALS),
        "add_form": bound.get("support_form") or SupportPlanForm(referrals=choices),
    }


SUPPORT_PANEL = CasePanel(
    name="support",
    order=30,
    template="protection/_support_panel.html",
    context=_support_context,
    tab="protection",
    visible_for=_has_support,
    forms=("support_form", "support_edit_form", "support_delivery_form"),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def support_plan_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = SupportPlanForm(request.POST, referrals=_referral_choices(case))
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"support_form": form},
        anchor="support",
        call=lambda: support_plan_add(actor=actor, case_id=case_id, data=form.to_input()),
        done=_("Added to the support plan."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def support_plan_update_view(request: HttpRequest, actor: Actor, plan_id: str) -> HttpResponse:
    plan, case = case_record_for_change(actor, SupportPlan, plan_id)
    form = SupportPlanForm(
        request.POST, referrals=_referral_choices(case), auto_id=f"plan_{plan.pk}_%s"
    )
    return case_form_submit(
        request,
        actor,
        case_id=plan.case_id,
        form=form,
        bound={"support_edit_form": form, "support_edit_plan": plan.pk},
        anchor="support",
        call=lambda: support_plan_update(
            actor=actor,
            plan_id=plan_id,
            data=form.to_input(),
            expected_version=form.version,
        ),
        done=_("Support plan updated."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def support_delivery_view(request: HttpRequest, actor: Actor, plan_id: str) -> HttpResponse:
    """The agency providing a support records its status, actual dates and notes."""
    plan, _view = support_plan_delivered_by(actor=actor, plan_id=plan_id)
    form = SupportDeliveryForm(request.POST, auto_id=f"delivery_{plan.pk}_%s")
    return case_form_submit(
        request,
        actor,
        case_id=plan.case_id,
        form=form,
        bound={"support_delivery_form": form, "support_edit_plan": plan.pk},
        anchor="support",
        call=lambda: support_delivery_record(
            actor=actor,
            plan_id=plan.pk,
            **form.values("status", "actual_start_date", "actual_end_date", "notes"),
            expected_version=form.version,
        ),
        done=_("Delivery of the support recorded."),
    )


# --- the case header: flags, what is due, next steps ----------------------------------------


def protection_flags(actor: Actor, view: CaseView) -> list[page.Flag]:
    """A child's case for everyone who sees the case; high risk for those granted the risk
    section."""
    flags = []
    if view.case.is_child:
        flags.append(page.Flag(gettext_lazy("Child"), level="warning", tab="protection"))
    if view.has(Section.RISK) and view.case.risk_level == RiskLevel.HIGH:
        flags.append(page.Flag(gettext_lazy("High risk"), level="danger", tab="protection"))
    return flags


def _periods(case: Case) -> list[ReflectionPeriod]:
    """The case's reflection periods, read once per page for the header's dues and actions."""
    cached: list[ReflectionPeriod] | None = getattr(case, "_protection_periods", None)
    if cached is None:
        cached = list(case.reflection_periods.all())
        case._protection_periods = cached  # type: ignore[attr-defined]
    return cached


def protection_dues(actor: Actor, view: CaseView) -> list[page.Due]:
    """The end of the running reflection period: the person's decision is due then."""
    if not view.has(Section.SUPPORT):
        return []
    running = next((p for p in _periods(view.case) if p.is_running), None)
    if running is None:
        return []
    return [
        page.Due(
            gettext_lazy("End of the reflection period"), due_on=running.ends_on, tab="protection"
        )
    ]


def protection_actions(actor: Actor, view: CaseView) -> list[page.Action]:
    """While first assisted: start the reflection period and assess the risk, if not done."""
    case = view.case
    if not (can_work_on(actor, view) and page.case_is_open(view)):
        return []
    if case.nrm_stage not in (NrmStage.IDENTIFICATION, NrmStage.FIRST_ASSISTANCE):
        return []
    actions = []
    if not _periods(case):
        actions.append(
            page.Action(
                gettext_lazy("Start the reflection period"),
                page.tab_url(case.pk, "protection", "reflection"),
                order=30,
                primary=case.nrm_stage == NrmStage.FIRST_ASSISTANCE,
            )
        )
    if not case.risk_level:  # set by every risk assessment
        actions.append(
            page.Action(
                gettext_lazy("Assess the risk"),
                page.tab_url(case.pk, "protection", "risk"),
                order=31,
            )
        )
    return actions


# --- the case list: a filter by risk ---------------------------------------------------------


def _risk_filter(cases: QuerySet[Case], value: str, actor: Actor) -> QuerySet[Case]:
    """Cases at the chosen risk level, among those whose risk section the actor may see: the
    agency's own cases (a shared case's risk is not filtered on, so the filter reveals nothing
    that the list itself would not show)."""
    return cases.filter(risk_level=value, owner_agency_id=actor.membership.agency_id)


RISK_FILTER = ListFilter(
    "risk",
    gettext_lazy("Risk"),
    lambda actor: list(RiskLevel.choices),
    _risk_filter,
    order=40,
)
