"""Web views of return and reintegration and of the proceedings (tab "Return and proceedings")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases import page
from tirek.cases.choices import COUNTRY_CHOICES, Section
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel, case_form_submit
from tirek.protection.choices import ProceedingKind
from tirek.protection.forms import (
    PROCEEDING_FIELDS,
    RETURN_FIELDS,
    ProceedingForm,
    ReturnPlanForm,
)
from tirek.protection.models import Proceeding
from tirek.protection.return_proceedings import (
    proceeding_add,
    proceeding_update,
    proceedings_for,
    return_plan_for,
    return_plan_save,
)
from tirek.protection.web import (
    can_work_on,
    case_record_for_change,
)

RETURN_TAB = page.Tab("return", gettext_lazy("Return and proceedings"), 47)


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
        initial |= {name: getattr(plan, name) for name in RETURN_FIELDS if name != "embassy"}
        initial |= {"embassy": plan.embassy_id}
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
    can_edit = can_work_on(actor, view)
    items = []
    for row in proceedings_for(view=view):
        form = None
        if can_edit:
            edited = bound.get("proceeding_edit_id") == row.pk
            initial = {name: getattr(row, name) for name in PROCEEDING_FIELDS}
            form = (bound.get("proceeding_edit_form") if edited else None) or ProceedingForm(
                initial=initial | {"expected_version": row.version},
                auto_id=f"proceeding_{row.pk}_%s",
            )
        items.append({"proceeding": row, "form": form})
    return {
        "case": view.case,
        "items": items,
        "today": timezone.localdate(),
        "can_edit": can_edit,
        "form": bound.get("proceeding_form") or ProceedingForm(),
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
    forms=("proceeding_form", "proceeding_edit_form"),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def return_plan_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = ReturnPlanForm(request.POST)

    def call() -> object:
        return return_plan_save(
            actor=actor,
            case_id=case_id,
            data=form.to_input(),
            expected_version=form.version,
        )

    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"return_form": form},
        anchor="return",
        call=call,
        done=_("Return and reintegration plan saved."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def proceeding_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = ProceedingForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"proceeding_form": form},
        anchor="proceedings",
        call=lambda: proceeding_add(actor=actor, case_id=case_id, data=form.to_input()),
        done=_("Proceedings saved."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def proceeding_update_view(request: HttpRequest, actor: Actor, proceeding_id: str) -> HttpResponse:
    row, _case = case_record_for_change(actor, Proceeding, proceeding_id)
    form = ProceedingForm(request.POST, auto_id=f"proceeding_{row.pk}_%s")
    return case_form_submit(
        request,
        actor,
        case_id=row.case_id,
        form=form,
        bound={"proceeding_edit_form": form, "proceeding_edit_id": row.pk},
        anchor="proceedings",
        call=lambda: proceeding_update(
            actor=actor,
            proceeding_id=row.pk,
            data=form.to_input(),
            expected_version=form.version,
        ),
        done=_("Proceedings saved."),
    )


# --- the next hearing is due ------------------------------------------------------------------


def hearing_dues(actor: Actor, view: CaseView) -> list[page.Due]:
    """The next hearing of each of the case's proceedings, for those granted the section."""
    if not view.has(Section.PROCEEDINGS):
        return []
    kinds = dict(ProceedingKind.choices)
    return [
        page.Due(
            gettext_lazy("Court hearing"),
            due_on=row.next_hearing_on,
            tab="return",
            detail=str(kinds.get(row.kind, row.kind)),
        )
        for row in Proceeding.objects.filter(case=view.case, next_hearing_on__isnull=False).only(
            "kind", "next_hearing_on"
        )
        if row.next_hearing_on is not None
    ]
