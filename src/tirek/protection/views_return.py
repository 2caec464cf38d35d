"""Web views of return and reintegration and of the proceedings (tab "Return and proceedings")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases import page
from tirek.cases.choices import COUNTRY_CHOICES, Section
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel
from tirek.protection.forms import ProceedingForm, ReturnPlanForm
from tirek.protection.return_proceedings import (
    ProceedingInput,
    ReturnInput,
    proceeding_for,
    proceeding_save,
    return_plan_for,
    return_plan_save,
)
from tirek.protection.views_plans import _submit, can_work_on

RETURN_TAB = page.Tab("return", gettext_lazy("Return and proceedings"), 47)

RETURN_FIELDS = (
    "destination_place",
    "travel_documents",
    "return_risk",
    "return_risk_notes",
    "reintegration_plan",
    "planned_on",
    "returned_on",
    "follow_up_contacts",
)
PROCEEDING_FIELDS = (
    "role",
    "police_reference",
    "court_reference",
    "protection_measures",
    "next_hearing_on",
    "hearings",
    "legal_aid",
    "compensation",
    "non_punishment",
)


def _has_return(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.RETURN)


def _has_proceedings(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.PROCEEDINGS)


def _return_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.RETURN):
        return None
    plan = return_plan_for(view=view)
    initial: dict[str, Any] = {"expected_version": plan.version if plan else 0}
    if plan is not None:
        initial |= {name: getattr(plan, name) for name in RETURN_FIELDS}
        initial |= {"destination_country": plan.destination_country, "embassy": plan.embassy_id}
    return {
        "case": view.case,
        "plan": plan,
        "country": dict(COUNTRY_CHOICES).get(plan.destination_country, "") if plan else "",
        "can_edit": can_work_on(actor, view),
        "form": bound.get("return_form") or ReturnPlanForm(initial=initial),
    }


def _proceeding_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.PROCEEDINGS):
        return None
    row = proceeding_for(view=view)
    initial: dict[str, Any] = {"expected_version": row.version if row else 0}
    if row is not None:
        initial |= {name: getattr(row, name) for name in PROCEEDING_FIELDS}
    return {
        "case": view.case,
        "proceeding": row,
        "can_edit": can_work_on(actor, view),
        "form": bound.get("proceeding_form") or ProceedingForm(initial=initial),
    }


RETURN_PANEL = CasePanel(
    name="return",
    order=10,
    template="protection/_return_panel.html",
    context=_return_context,
    tab="return",
    visible_for=_has_return,
    forms=("return_form",),
)
PROCEEDING_PANEL = CasePanel(
    name="proceedings",
    order=20,
    template="protection/_proceeding_panel.html",
    context=_proceeding_context,
    tab="return",
    visible_for=_has_proceedings,
    forms=("proceeding_form",),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def return_plan_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = ReturnPlanForm(request.POST)

    def call() -> object:
        data = form.cleaned_data
        embassy = data["embassy"]
        return return_plan_save(
            actor=actor,
            case_id=case_id,
            data=ReturnInput(
                destination_country=data["destination_country"],
                embassy_id=embassy.pk if embassy else None,
                **{name: data[name] for name in RETURN_FIELDS},
            ),
            expected_version=data["expected_version"] or 0,
        )

    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="return_form",
        anchor="return",
        call=call,
        done=_("Return and reintegration plan saved."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def proceeding_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = ProceedingForm(request.POST)

    def call() -> object:
        data = form.cleaned_data
        return proceeding_save(
            actor=actor,
            case_id=case_id,
            data=ProceedingInput(**{name: data[name] for name in PROCEEDING_FIELDS}),
            expected_version=data["expected_version"] or 0,
        )

    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="proceeding_form",
        anchor="proceedings",
        call=call,
        done=_("Proceedings saved."),
    )
