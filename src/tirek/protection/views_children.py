"""Web views of child safeguards (protection tab) and perpetrators (trafficking tab)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import COUNTRY_CHOICES, Section
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.views import CasePanel, case_detail_url, case_form_submit
from tirek.protection.children import (
    best_interests_decide,
    best_interests_for,
    child_mark,
    guardian_for,
    guardian_save,
)
from tirek.protection.choices import PerpetratorRole
from tirek.protection.forms import (
    PERPETRATOR_FIELDS,
    BestInterestsForm,
    ChildMarkForm,
    GuardianForm,
    PerpetratorForm,
)
from tirek.protection.models import Perpetrator
from tirek.protection.perpetrators import (
    perpetrator_add,
    perpetrator_remove,
    perpetrator_update,
    perpetrators_for,
)
from tirek.protection.web import (
    can_work_on,
    case_record_for_change,
)


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
        "guardian_open": guardian is None,
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
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"child_mark_form": form},
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
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"guardian_form": form},
        anchor="child",
        call=lambda: guardian_save(
            actor=actor,
            case_id=case_id,
            **form.values("name", "relation", "organisation", "contact", "appointed_on"),
            expected_version=form.version,
        ),
        done=_("Guardian or legal representative saved."),
    )


@require_POST
@actor_view(Capability.HANDLE_CHILDREN)
def best_interests_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = BestInterestsForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"best_interests_form": form},
        anchor="child",
        call=lambda: best_interests_decide(
            actor=actor,
            case_id=case_id,
            **form.values("assessment", "childs_views", "decision", "decision_note", "assessed_on"),
        ),
        done=_("Best-interests decision recorded."),
    )


# --- perpetrators (trafficking tab) ----------------------------------------------------------


def _has_perpetrators(actor: Actor, view: CaseView) -> bool:
    return view.has(Section.PERPETRATORS)


def _perpetrator_initial(p: Perpetrator) -> dict[str, Any]:
    return {
        "name": p.name,
        "sex": p.sex,
        "citizenship": p.citizenship,
        "roles": p.roles,
        "relationship": p.relationship,
        "role_details": p.role_details,
        "expected_version": p.version,
    }


def _perpetrators_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.has(Section.PERPETRATORS):
        return None
    roles = dict(PerpetratorRole.choices)
    countries = dict(COUNTRY_CHOICES)
    can_edit = can_work_on(actor, view)
    items = []
    for p in perpetrators_for(view=view):
        form = None
        if can_edit:
            if bound.get("perpetrator_edit_id") == p.pk:
                form = bound.get("perpetrator_edit_form")
            form = form or PerpetratorForm(
                initial=_perpetrator_initial(p), auto_id=f"perpetrator_{p.pk}_%s"
            )
        items.append(
            {
                "perpetrator": p,
                "roles": [str(roles.get(r, r)) for r in p.roles],
                "citizenship": [str(countries.get(c, c)) for c in p.citizenship],
                "form": form,
            }
        )
    return {
        "case": view.case,
        "items": items,
        "can_edit": can_edit,
        "form": bound.get("perpetrator_form") or PerpetratorForm(),
    }


PERPETRATORS_PANEL = CasePanel(
    name="perpetrators",
    order=30,
    template="protection/_perpetrators_panel.html",
    context=_perpetrators_context,
    tab="trafficking",
    visible_for=_has_perpetrators,
    forms=("perpetrator_form", "perpetrator_edit_form"),
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def perpetrator_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case_for_change(actor=actor, case_id=case_id)
    form = PerpetratorForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=case_id,
        form=form,
        bound={"perpetrator_form": form},
        anchor="perpetrators",
        call=lambda: perpetrator_add(
            actor=actor, case_id=case_id, **form.values(*PERPETRATOR_FIELDS)
        ),
        done=_("Perpetrator recorded."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def perpetrator_update_view(
    request: HttpRequest, actor: Actor, perpetrator_id: str
) -> HttpResponse:
    perpetrator, _case = case_record_for_change(actor, Perpetrator, perpetrator_id)
    form = PerpetratorForm(request.POST, auto_id=f"perpetrator_{perpetrator.pk}_%s")
    return case_form_submit(
        request,
        actor,
        case_id=perpetrator.case_id,
        form=form,
        bound={"perpetrator_edit_form": form, "perpetrator_edit_id": perpetrator.pk},
        anchor="perpetrators",
        call=lambda: perpetrator_update(
            actor=actor,
            perpetrator_id=perpetrator.pk,
            expected_version=form.version,
            **form.values(*PERPETRATOR_FIELDS),
        ),
        done=_("Perpetrator's details saved."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def perpetrator_remove_view(
    request: HttpRequest, actor: Actor, perpetrator_id: str
) -> HttpResponse:
    perpetrator, _case = case_record_for_change(actor, Perpetrator, perpetrator_id)
    perpetrator_remove(actor=actor, perpetrator_id=perpetrator.pk)
    messages.success(request, _("Perpetrator removed."))
    return redirect(case_detail_url(perpetrator.case_id, "perpetrators"))
