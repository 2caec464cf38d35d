"""Web views of child safeguards (protection tab) and perpetrators (trafficking tab)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import COUNTRY_CHOICES, Section
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel
from tirek.protection.children import (
    best_interests_decide,
    best_interests_for,
    child_mark,
    guardian_for,
    guardian_save,
)
from tirek.protection.choices import PerpetratorRole
from tirek.protection.forms import BestInterestsForm, ChildMarkForm, GuardianForm, PerpetratorForm
from tirek.protection.perpetrators import perpetrator_add, perpetrators_for
from tirek.protection.views_plans import _submit, can_work_on


def _visible(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.CHILD) and (view.case.is_child or view.is_owner)


def _child_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not _visible(actor, view):
        return None
    guardian = guardian_for(view=view)
    initial: dict[str, Any] = {"expected_version": guardian.version if guardian else 0}
    if guardian is not None:
        initial |= {
            "name": guardian.name,
            "relation": guardian.relation,
            "organisation": guardian.organisation,
            "contact": guardian.contact,
            "appointed_on": guardian.appointed_on,
        }
    can_edit = can_work_on(actor, view)
    return {
        "case": view.case,
        "guardian": guardian,
        "assessments": list(best_interests_for(view=view)),
        "can_mark": can_edit,
        "can_edit": can_edit and actor.can(Capability.HANDLE_CHILDREN),
        "guardian_form": bound.get("guardian_form") or GuardianForm(initial=initial),
        "best_form": bound.get("best_interests_form") or BestInterestsForm(),
    }


CHILD_PANEL = CasePanel(
    name="child",
    order=5,
    template="protection/_child_panel.html",
    context=_child_context,
    tab="protection",
    visible_for=_visible,
    forms=("guardian_form", "best_interests_form", "child_mark_form"),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def child_mark_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = ChildMarkForm(request.POST)
    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="child_mark_form",
        anchor="child",
        call=lambda: child_mark(
            actor=actor, case_id=case_id, is_child=form.cleaned_data["is_child"]
        ),
        done=_("Saved."),
    )


@require_POST
@actor_view(Capability.HANDLE_CHILDREN)
def guardian_save_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = GuardianForm(request.POST)
    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="guardian_form",
        anchor="child",
        call=lambda: guardian_save(
            actor=actor,
            case_id=case_id,
            name=form.cleaned_data["name"],
            relation=form.cleaned_data["relation"],
            organisation=form.cleaned_data["organisation"],
            contact=form.cleaned_data["contact"],
            appointed_on=form.cleaned_data["appointed_on"],
            expected_version=form.cleaned_data["expected_version"] or 0,
        ),
        done=_("Guardian or legal representative saved."),
    )


@require_POST
@actor_view(Capability.HANDLE_CHILDREN)
def best_interests_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = BestInterestsForm(request.POST)
    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="best_interests_form",
        anchor="child",
        call=lambda: best_interests_decide(
            actor=actor,
            case_id=case_id,
            assessment=form.cleaned_data["assessment"],
            childs_views=form.cleaned_data["childs_views"],
            decision=form.cleaned_data["decision"],
            decision_note=form.cleaned_data["decision_note"],
            assessed_on=form.cleaned_data["assessed_on"],
        ),
        done=_("Best-interests decision recorded."),
    )


# --- perpetrators (trafficking tab) ----------------------------------------------------------


def _has_perpetrators(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.PERPETRATORS)


def _perpetrators_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.PERPETRATORS):
        return None
    roles = dict(PerpetratorRole.choices)
    countries = dict(COUNTRY_CHOICES)
    items = [
        {
            "perpetrator": p,
            "roles": [str(roles.get(r, r)) for r in p.roles],
            "citizenship": [str(countries.get(c, c)) for c in p.citizenship],
        }
        for p in perpetrators_for(view=view)
    ]
    return {
        "case": view.case,
        "items": items,
        "can_edit": can_work_on(actor, view),
        "form": bound.get("perpetrator_form") or PerpetratorForm(),
    }


PERPETRATORS_PANEL = CasePanel(
    name="perpetrators",
    order=30,
    template="protection/_perpetrators_panel.html",
    context=_perpetrators_context,
    tab="trafficking",
    visible_for=_has_perpetrators,
    forms=("perpetrator_form",),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def perpetrator_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = PerpetratorForm(request.POST)
    return _submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound_name="perpetrator_form",
        anchor="perpetrators",
        call=lambda: perpetrator_add(
            actor=actor,
            case_id=case_id,
            name=form.cleaned_data["name"],
            sex=form.cleaned_data["sex"],
            citizenship=list(form.cleaned_data["citizenship"]),
            roles=list(form.cleaned_data["roles"]),
            relationship=form.cleaned_data["relationship"],
            role_details=form.cleaned_data["role_details"],
        ),
        done=_("Perpetrator recorded."),
    )
