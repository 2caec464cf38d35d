"""API: mechanisms and their steps — read by every member; drafted, edited, imported and put in
force by coordinators; exported as the documented file; two versions compared step by step."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status

from tirek.cases.selectors import case_view
from tirek.core.api_support import actor_of
from tirek.mechanisms import policy
from tirek.mechanisms.checklist import case_mechanism, checklist_item_close, checklist_rows
from tirek.mechanisms.deadlines import open_steps
from tirek.mechanisms.format import JSON_SCHEMA, mechanism_export
from tirek.mechanisms.models import Mechanism, MechanismStage, Step
from tirek.mechanisms.plan_links import checklist_item_plans_link, plans_of_items
from tirek.mechanisms.rules import StepInput
from tirek.mechanisms.schemas import (
    ChecklistCloseIn,
    ChecklistOut,
    ChecklistPlansIn,
    ComparisonOut,
    MechanismCreateIn,
    MechanismOut,
    MechanismUpdateIn,
    OpenStepOut,
    StepIn,
    VersionIn,
)
from tirek.mechanisms.selectors import (
    mechanism_get,
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

router = Router(tags=["mechanisms"])

STAGE_LABELS = dict(MechanismStage.choices)


def step_out(step: Step) -> dict[str, Any]:
    return {
        "id": step.pk,
        "code": step.code,
        "stage": step.stage,
        "stage_label": str(STAGE_LABELS[step.stage]),
        "position": step.position,
        "title": step.label,
        "name_en": step.name_en,
        "name_ru": step.name_ru,
        "name_kk": step.name_kk,
        "action": step.action,
        "agency_type": step.agency_type,
        "agency": step.agency,
        "service_type": step.service_type,
        "deadline_value": step.deadline_value,
        "deadline_unit": step.deadline_unit,
        "counted_from": step.counted_from,
        "escalate_after": step.escalate_after,
        "age_group": step.age_group,
        "citizenship": step.citizenship,
        "exploitation": step.exploitation,
        "version": step.version,
    }


def mechanism_out(mechanism: Mechanism, *, with_steps: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": mechanism.pk,
        "territory": mechanism.territory,
        "number": mechanism.number,
        "title": mechanism.title,
        "note": mechanism.note,
        "status": mechanism.status,
        "status_label": mechanism.get_status_display(),
        "deadlines_illustrative": mechanism.deadlines_illustrative,
        "reflection_days": mechanism.reflection_days,
        "based_on_id": mechanism.based_on_id,
        "in_force_at": mechanism.in_force_at,
        "retired_at": mechanism.retired_at,
        "created_at": mechanism.created_at,
        "version": mechanism.version,
    }
    if with_steps:
        out["steps"] = [step_out(s) for s in mechanism_steps(mechanism)]
    return out


def _detail(mechanism_id: UUID) -> dict[str, Any]:
    return mechanism_out(mechanism_get(mechanism_id), with_steps=True)


class ListFilter(Schema):
    territory_id: int | None = None
    status: str = ""


@router.get("/mechanisms", response=list[MechanismOut], summary="Mechanism versions")
def mechanisms(request: HttpRequest, filter_: Query[ListFilter]) -> list[dict[str, Any]]:
    actor_of(request)
    status = filter_.status if filter_.status in Mechanism.Status.values else ""
    return [
        mechanism_out(m) for m in mechanisms_list(territory_id=filter_.territory_id, status=status)
    ]


@router.get(
    "/mechanisms/schema",
    response=dict[str, Any],
    summary="The JSON Schema of the mechanism file (format tirek-mechanism, version 1)",
)
def schema(request: HttpRequest) -> dict[str, Any]:
    actor_of(request)
    return JSON_SCHEMA


class CompareQuery(Schema):
    left: UUID
    right: UUID


@router.get(
    "/mechanisms/compare",
    response=ComparisonOut,
    summary="Two versions side by side, step by step (steps matched by code)",
)
def compare(request: HttpRequest, query: Query[CompareQuery]) -> dict[str, Any]:
    actor_of(request)
    left, right = mechanism_get(query.left), mechanism_get(query.right)
    rows = mechanisms_compare(left, right)
    return {
        "left": mechanism_out(left),
        "right": mechanism_out(right),
        "differences": mechanisms_compare_header(left, right),
        "steps": [
            {
                "code": row.code,
                "stage": row.stage,
                "kind": row.kind,
                "differences": sorted(row.differences),
                "left": step_out(row.left) if row.left else None,
                "right": step_out(row.right) if row.right else None,
            }
            for row in rows
        ],
    }


@router.post("/mechanisms", response={201: MechanismOut}, summary="A new draft (empty or a copy)")
def create(request: HttpRequest, payload: MechanismCreateIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    mechanism = mechanism_create(
        actor=actor,
        territory_id=payload.territory_id,
        title=payload.title,
        note=payload.note,
        based_on_id=payload.based_on_id,
    )
    return Status(201, _detail(mechanism.pk))


@router.post(
    "/mechanisms/import",
    response={201: MechanismOut},
    summary="A new draft from a mechanism file (the body is the file's JSON)",
)
def import_(request: HttpRequest, document: Body[dict[str, Any]]) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    mechanism = mechanism_import(actor=actor, document=document)
    return Status(201, _detail(mechanism.pk))


@router.get(
    "/mechanisms/open-steps",
    response=list[OpenStepOut],
    summary="Open steps, overdue first: a coordinator's territory, else the agency's own",
)
def open_steps_list(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    return [
        {
            "item_id": row.item.pk,
            "step_code": row.item.step.code,
            "step_title": row.item.step.label,
            "stage": row.item.stage,
            "territory_code": row.item.step.mechanism.territory.code,
            "due_at": row.item.due_at,
            "overdue": row.overdue,
            "overdue_hours": int(row.overdue_by.total_seconds() // 3600)
            if row.overdue_by
            else None,
            "escalated": row.item.escalated_at is not None,
            "late_agency": row.late_agency,
            "owner_agency": row.item.case.owner_agency,
            "referral_status": row.referral.status if row.referral else None,
        }
        for row in open_steps(actor)
    ]


@router.get("/mechanisms/{mechanism_id}", response=MechanismOut, summary="One version with steps")
def detail(request: HttpRequest, mechanism_id: UUID) -> dict[str, Any]:
    actor_of(request)
    return _detail(mechanism_id)


@router.get(
    "/mechanisms/{mechanism_id}/export",
    response=dict[str, Any],
    summary="The version as a mechanism file (see /mechanisms/schema)",
)
def export(request: HttpRequest, mechanism_id: UUID) -> dict[str, Any]:
    actor_of(request)
    mechanism = mechanism_get(mechanism_id)
    return mechanism_export(mechanism, mechanism_steps(mechanism))


@router.patch("/mechanisms/{mechanism_id}", response=MechanismOut, summary="Change a draft")
def update(request: HttpRequest, mechanism_id: UUID, payload: MechanismUpdateIn) -> dict[str, Any]:
    actor = actor_of(request)
    mechanism_update(
        actor=actor,
        mechanism_id=mechanism_id,
        expected_version=payload.version,
        title=payload.title,
        note=payload.note,
        deadlines_illustrative=payload.deadlines_illustrative,
        reflection_days=payload.reflection_days,
    )
    return _detail(mechanism_id)


def _step_input(payload: StepIn) -> StepInput:
    data = payload.dict(exclude={"version"})
    data["exploitation"] = tuple(data["exploitation"])
    return StepInput(**data)


@router.post("/mechanisms/{mechanism_id}/steps", response={201: MechanismOut}, summary="Add a step")
def step_add(request: HttpRequest, mechanism_id: UUID, payload: StepIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    step_save(
        actor=actor,
        mechanism_id=mechanism_id,
        expected_version=payload.version,
        data=_step_input(payload),
    )
    return Status(201, _detail(mechanism_id))


@router.put(
    "/mechanisms/{mechanism_id}/steps/{step_id}", response=MechanismOut, summary="Change a step"
)
def step_change(
    request: HttpRequest, mechanism_id: UUID, step_id: UUID, payload: StepIn
) -> dict[str, Any]:
    actor = actor_of(request)
    step_save(
        actor=actor,
        mechanism_id=mechanism_id,
        expected_version=payload.version,
        data=_step_input(payload),
        step_id=step_id,
    )
    return _detail(mechanism_id)


@router.delete(
    "/mechanisms/{mechanism_id}/steps/{step_id}", response=MechanismOut, summary="Remove a step"
)
def step_remove(
    request: HttpRequest, mechanism_id: UUID, step_id: UUID, version: Query[VersionIn]
) -> dict[str, Any]:
    actor = actor_of(request)
    policy.require_edit(actor)  # refused before the missing version is mentioned
    if version.version is None:
        raise ValidationError({"version": [_("Give the mechanism's version you saw.")]})
    step_delete(
        actor=actor, mechanism_id=mechanism_id, expected_version=version.version, step_id=step_id
    )
    return _detail(mechanism_id)


@router.post(
    "/mechanisms/{mechanism_id}/in-force",
    response=MechanismOut,
    summary="Put a draft in force (the coordinating body of the territory); retires the previous",
)
def put_in_force(request: HttpRequest, mechanism_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    mechanism_put_in_force(actor=actor, mechanism_id=mechanism_id)
    return _detail(mechanism_id)


# --- the case's checklist --------------------------------------------------------------------


def _checklist_out(case: Any) -> dict[str, Any]:
    mechanism = case_mechanism(case)
    items = []
    rows = checklist_rows(case)
    linked = plans_of_items([row.item for row in rows])
    for row in rows:
        item = row.item
        items.append(
            {
                "id": item.pk,
                "step_code": item.step.code,
                "step_title": item.step.label,
                "stage": item.stage,
                "status": item.status,
                "status_label": item.get_status_display(),
                "responsible_agency": row.responsible,
                "service_type": item.step.service_type,
                "due_at": item.due_at,
                "overdue": row.overdue,
                "referral_id": row.referral.pk if row.referral else None,
                "referral_status": row.referral.status if row.referral else None,
                "outside_referral_id": item.outside_referral_id,
                "closed_at": item.closed_at,
                "version": item.version,
                "support_plan_ids": [p.pk for p in linked.get(item.pk, [])],
            }
        )
    return {
        "mechanism_id": mechanism.pk if mechanism else None,
        "mechanism_number": mechanism.number if mechanism else None,
        "items": items,
    }


@router.get(
    "/cases/{case_id}/checklist",
    response=ChecklistOut,
    summary="The case's steps of the mechanism, with due times (owning agency; others: empty)",
)
def case_checklist(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    view = case_view(actor=actor, case_id=case_id)
    if not view.is_owner:
        return {"mechanism_id": None, "mechanism_number": None, "items": []}
    return _checklist_out(view.case)


@router.post(
    "/checklist/{item_id}/close",
    response=ChecklistOut,
    summary="Record a step of the checklist as done or not done (owning agency)",
)
def checklist_close(
    request: HttpRequest, item_id: UUID, payload: ChecklistCloseIn
) -> dict[str, Any]:
    actor = actor_of(request)
    item = checklist_item_close(
        actor=actor, item_id=item_id, outcome=payload.outcome, expected_version=payload.version
    )
    return _checklist_out(item.case)


@router.put(
    "/checklist/{item_id}/support-plans",
    response=ChecklistOut,
    summary="Set the needs of the support plan a step of the checklist delivers (owning agency)",
)
def checklist_plans(
    request: HttpRequest, item_id: UUID, payload: ChecklistPlansIn
) -> dict[str, Any]:
    item = checklist_item_plans_link(
        actor=actor_of(request), item_id=item_id, plan_ids=payload.support_plan_ids
    )
    return _checklist_out(item.case)
