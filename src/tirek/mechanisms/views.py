"""Web pages of mechanisms: the list, one version as a table and a diagram, editing drafts,
importing and exporting files, and two versions side by side."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, InvalidState
from tirek.core.forms import service_errors_apply
from tirek.mechanisms import policy
from tirek.mechanisms.checklist import checklist_item_close
from tirek.mechanisms.deadlines import is_territory_coordinator, open_steps
from tirek.mechanisms.diagram import mechanism_svg
from tirek.mechanisms.display import (
    step_action,
    step_conditions,
    step_deadline,
    step_escalation,
    step_who,
)
from tirek.mechanisms.format import mechanism_export
from tirek.mechanisms.forms import CompareForm, DraftForm, HeaderForm, ImportForm, StepForm
from tirek.mechanisms.models import ChecklistItem, Mechanism, Step
from tirek.mechanisms.plan_links import checklist_item_plans_link
from tirek.mechanisms.selectors import (
    mechanism_get,
    mechanism_lanes,
    mechanism_steps,
    mechanisms_compare,
    mechanisms_compare_header,
    mechanisms_list,
)
from tirek.mechanisms.services import (
    mechanism_create,
    mechanism_import,
    mechanism_put_in_force,
    mechanism_update,
    step_delete,
    step_save,
)


def _require_editor(actor: Actor) -> None:
    if not policy.can_edit(actor):
        raise PermissionDenied(_("Only coordinators change referral mechanisms."))


def step_row(step: Step) -> dict[str, Any]:
    """A step as the pages show it."""
    return {
        "step": step,
        "who": step_who(step),
        "action": step_action(step),
        "service": step.service_type.label if step.service_type else "",
        "deadline": step_deadline(step),
        "escalation": step_escalation(step),
        "conditions": step_conditions(step),
    }


@require_GET
@actor_view()
def mechanism_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render(
        request,
        "mechanisms/list.html",
        {
            "mechanisms": mechanisms_list(),
            "can_edit": policy.can_edit(actor),
            "draft_form": DraftForm(),
            "import_form": ImportForm(),
            "compare_form": CompareForm(),
        },
    )


@require_POST
@actor_view()
def draft_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_editor(actor)
    form = DraftForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            mechanism = mechanism_create(
                actor=actor,
                territory_id=data["territory"].pk if data["territory"] else None,
                title=data["title"],
                based_on_id=data["based_on"].pk if data["based_on"] else None,
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("The draft is made. Add or change its steps."))
            return redirect("mechanisms:detail", mechanism.pk)
    return render(
        request,
        "mechanisms/list.html",
        {
            "mechanisms": mechanisms_list(),
            "can_edit": True,
            "draft_form": form,
            "import_form": ImportForm(),
            "compare_form": CompareForm(),
        },
        status=422,
    )


@require_http_methods(["GET", "POST"])
@actor_view()
def mechanism_import_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    _require_editor(actor)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                mechanism = mechanism_import(actor=actor, document=form.cleaned_data["file"])
            except ValidationError as error:
                for message in error.message_dict.get("file", error.messages):
                    form.add_error("file", message)
            else:
                messages.success(request, _("The file is imported as a new draft."))
                return redirect("mechanisms:detail", mechanism.pk)
        return render(request, "mechanisms/import.html", {"form": form}, status=422)
    return render(request, "mechanisms/import.html", {"form": form})


def _detail_context(actor: Actor, mechanism: Mechanism) -> dict[str, Any]:
    steps = mechanism_steps(mechanism)
    lanes = mechanism_lanes(mechanism, steps)
    editable = mechanism.is_draft and policy.can_edit(actor)
    return {
        "mechanism": mechanism,
        "lanes": [
            {"stage": lane.stage, "label": lane.label, "rows": [step_row(s) for s in lane.steps]}
            for lane in lanes
        ],
        "diagram": mechanism_svg(mechanism, lanes),
        "editable": editable,
        "can_put_in_force": mechanism.is_draft and policy.can_put_in_force(actor, mechanism),
        "can_edit": policy.can_edit(actor),
        "header_form": HeaderForm(
            initial={
                "version": mechanism.version,
                "title": mechanism.title,
                "note": mechanism.note,
                "deadlines_illustrative": mechanism.deadlines_illustrative,
                "reflection_days": mechanism.reflection_days,
            }
        )
        if editable
        else None,
    }


@require_GET
@actor_view()
def mechanism_detail(request: HttpRequest, actor: Actor, mechanism_id: UUID) -> HttpResponse:
    mechanism = mechanism_get(mechanism_id)
    return render(request, "mechanisms/detail.html", _detail_context(actor, mechanism))


@require_GET
@actor_view()
def mechanism_diagram(request: HttpRequest, actor: Actor, mechanism_id: UUID) -> HttpResponse:
    mechanism = mechanism_get(mechanism_id)
    svg = mechanism_svg(mechanism, mechanism_lanes(mechanism))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="mechanism-{mechanism.territory.code}-v{mechanism.number}.svg"'
    )
    return response


@require_GET
@actor_view()
def mechanism_export_view(request: HttpRequest, actor: Actor, mechanism_id: UUID) -> HttpResponse:
    mechanism = mechanism_get(mechanism_id)
    document = mechanism_export(mechanism, mechanism_steps(mechanism))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mechanism-{mechanism.territory.code}-v{mechanism.number}.json"'
    )
    return response


@require_POST
@actor_view()
def mechanism_update_view(request: HttpRequest, actor: Actor, mechanism_id: UUID) -> HttpResponse:
    _require_editor(actor)
    mechanism = mechanism_get(mechanism_id)
    form = HeaderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            mechanism_update(
                actor=actor,
                mechanism_id=mechanism.pk,
                expected_version=data["version"],
                title=data["title"],
                note=data["note"],
                deadlines_illustrative=data["deadlines_illustrative"],
                reflection_days=data["reflection_days"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except (ConcurrentUpdate, InvalidState) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("mechanisms:detail", mechanism.pk)
    context = _detail_context(actor, mechanism) | {"header_form": form}
    return render(request, "mechanisms/detail.html", context, status=422)


@require_http_methods(["GET", "POST"])
@actor_view()
def step_edit(
    request: HttpRequest, actor: Actor, mechanism_id: UUID, step_id: UUID | None = None
) -> HttpResponse:
    _require_editor(actor)
    mechanism = mechanism_get(mechanism_id)
    step = mechanism.steps.filter(pk=step_id).first() if step_id else None
    if step_id and step is None:
        return render(request, "mechanisms/step.html", {"mechanism": mechanism}, status=404)
    if request.method == "POST":
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                step_save(
                    actor=actor,
                    mechanism_id=mechanism.pk,
                    expected_version=form.cleaned_data["version"],
                    data=form.step_input(),
                    step_id=step.pk if step else None,
                )
            except ValidationError as error:
                service_errors_apply(error, form)
            except (ConcurrentUpdate, InvalidState) as error:
                form.add_error(None, str(error.message))
            else:
                messages.success(request, _("The step is saved."))
                return redirect("mechanisms:detail", mechanism.pk)
        status = 422
    else:
        initial = (
            StepForm.initial_for(step, mechanism.version)
            if step
            else {"version": mechanism.version, "stage": request.GET.get("stage", "")}
        )
        form = StepForm(initial=initial)
        status = 200
    context = {"mechanism": mechanism, "step": step, "form": form}
    return render(request, "mechanisms/step.html", context, status=status)


@require_POST
@actor_view()
def step_delete_view(
    request: HttpRequest, actor: Actor, mechanism_id: UUID, step_id: UUID
) -> HttpResponse:
    _require_editor(actor)
    mechanism = mechanism_get(mechanism_id)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        step_delete(
            actor=actor, mechanism_id=mechanism.pk, expected_version=version, step_id=step_id
        )
    except (ConcurrentUpdate, InvalidState) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The step is removed."))
    return redirect("mechanisms:detail", mechanism.pk)


@require_POST
@actor_view()
def put_in_force_view(request: HttpRequest, actor: Actor, mechanism_id: UUID) -> HttpResponse:
    _require_editor(actor)
    mechanism = mechanism_get(mechanism_id)
    try:
        mechanism_put_in_force(actor=actor, mechanism_id=mechanism.pk)
    except InvalidState as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("This version is now in force. Cases keep the version they started under."),
        )
    return redirect("mechanisms:detail", mechanism.pk)


@require_GET
@actor_view()
def mechanism_compare(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = CompareForm(request.GET or None)
    rows: list[dict[str, Any]] = []
    left = right = None
    header: list[str] = []
    if form.is_valid():
        left, right = form.cleaned_data["left"], form.cleaned_data["right"]
        header = mechanisms_compare_header(left, right)
        for row in mechanisms_compare(left, right):
            rows.append(
                {
                    "row": row,
                    "left": step_row(row.left) if row.left else None,
                    "right": step_row(row.right) if row.right else None,
                    "changed": _changed_parts(row.differences),
                }
            )
    status = 422 if request.GET and not form.is_valid() else 200
    show_all = request.GET.get("all") == "1"
    same = sum(1 for item in rows if item["row"].kind == "same")
    if not show_all:
        rows = [item for item in rows if item["row"].kind != "same"]
    context = {
        "form": form,
        "rows": rows,
        "left": left,
        "right": right,
        "same": same,
        "show_all": show_all,
        "reflection_differs": "reflection_days" in header,
        "sides": [left, right],
    }
    return render(request, "mechanisms/compare.html", context, status=status)


def _changed_parts(differences: frozenset[str]) -> list[str]:
    """Which parts of the step differ, in words."""
    groups = [
        ({"stage"}, _("stage")),
        ({"name_en", "name_ru", "name_kk"}, _("wording")),
        ({"action", "agency_type", "agency_id"}, _("who")),
        ({"service_type_id"}, _("service")),
        ({"deadline_value", "deadline_unit", "counted_from"}, _("deadline")),
        ({"escalate_after"}, _("escalation")),
        ({"age_group", "citizenship", "exploitation"}, _("whom it applies to")),
    ]
    return [label for fields, label in groups if fields & differences]


@require_POST
@actor_view()
def checklist_close_view(request: HttpRequest, actor: Actor, item_id: UUID) -> HttpResponse:
    """Record a step of the case's checklist as done or not done (owning agency)."""
    item = ChecklistItem.objects.filter(pk=item_id).only("case_id").first()
    if item is None:
        raise Http404
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    try:
        checklist_item_close(
            actor=actor,
            item_id=item_id,
            outcome=request.POST.get("outcome", ""),
            expected_version=version,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (ConcurrentUpdate, InvalidState) as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The step is closed."))
    return redirect(tab_url(item.case_id, "mechanism", "checklist"))


@require_POST
@actor_view()
def checklist_plans_view(request: HttpRequest, actor: Actor, item_id: UUID) -> HttpResponse:
    """Link a step of the case's checklist to the needs of the support plan it delivers."""
    item = ChecklistItem.objects.filter(pk=item_id).only("case_id").first()
    if item is None:
        raise Http404
    try:
        checklist_item_plans_link(
            actor=actor, item_id=item_id, plan_ids=request.POST.getlist("support_plans")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect(tab_url(item.case_id, "mechanism", "checklist"))


@require_GET
@actor_view()
def open_steps_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Open steps, overdue first: the territory's for a coordinator, else the agency's own."""
    rows = open_steps(actor)
    return render(
        request,
        "mechanisms/open_steps.html",
        {
            "rows": [
                {
                    "open": row,
                    "who": step_who(row.item.step),
                    "own_case": row.item.case.owner_agency_id == actor.agency_id,
                }
                for row in rows
            ],
            "coordinator": is_territory_coordinator(actor),
            "territory": actor.agency.place,
            "overdue_count": sum(1 for row in rows if row.overdue),
        },
    )
