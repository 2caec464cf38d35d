"""API of child safeguards: the child mark, the guardian, best-interests decisions."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Status

from tirek.cases.choices import Section
from tirek.cases.reads import Via, case_open
from tirek.cases.schemas import MAX_ID, enum_of
from tirek.cases.selectors import case_view
from tirek.core.api_support import InSchema, OutSchema, actor_of
from tirek.protection.children import (
    best_interests_decide,
    best_interests_for,
    child_mark,
    guardian_for,
    guardian_save,
)
from tirek.protection.choices import BestInterestsDecision, GuardianRelation
from tirek.protection.models import BestInterestsAssessment, ChildGuardian

router = Router(tags=["protection"], by_alias=True)
TEXT = 4000


class ChildMarkIn(InSchema):
    is_child: bool


class GuardianIn(InSchema):
    version: int = Field(0, ge=0, le=MAX_ID, description="0 for a new record, else the version.")
    name: str = Field(max_length=200)
    relation: str = Field(max_length=32, json_schema_extra=enum_of(GuardianRelation.values))
    organisation: str = Field("", max_length=200)
    contact: str = Field("", max_length=300)
    appointed_on: datetime.date | None = None


class GuardianOut(OutSchema):
    id: UUID
    version: int
    name: str
    relation: str
    organisation: str
    contact: str
    appointed_on: datetime.date | None


class BestInterestsIn(InSchema):
    assessment: str = Field(max_length=TEXT)
    childs_views: str = Field("", max_length=TEXT)
    decision: str = Field(max_length=40, json_schema_extra=enum_of(BestInterestsDecision.values))
    decision_note: str = Field("", max_length=TEXT)
    assessed_on: datetime.date | None = None


class BestInterestsOut(OutSchema):
    id: UUID
    assessed_on: datetime.date
    assessment: str
    childs_views: str
    decision: str
    decision_note: str


class ChildOut(OutSchema):
    case_id: UUID
    is_child: bool
    guardian: GuardianOut | None
    best_interests: list[BestInterestsOut]


def _child_out(view: Any) -> dict[str, Any]:
    return {
        "case_id": view.case.pk,
        "is_child": view.case.is_child,
        "guardian": guardian_for(view=view),
        "best_interests": list(best_interests_for(view=view)),
    }


@router.get(
    "/cases/{case_id}/child",
    response=ChildOut,
    summary="Child safeguards of a case (guardian and best interests: child section)",
)
def child_get(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    view = case_open(
        actor=actor_of(request), case_id=case_id, via=Via.PROTECTION, shows={Section.CHILD}
    )
    return _child_out(view)


@router.post(
    "/cases/{case_id}/child",
    response=ChildOut,
    summary="Mark the case as a child's case, or take the mark off (children's roles)",
)
def child_mark_route(request: HttpRequest, case_id: UUID, payload: ChildMarkIn) -> dict[str, Any]:
    actor = actor_of(request)
    child_mark(actor=actor, case_id=case_id, is_child=payload.is_child)
    return _child_out(case_view(actor=actor, case_id=case_id))


@router.put(
    "/cases/{case_id}/guardian",
    response=GuardianOut,
    summary="Record or change the child's guardian or legal representative",
)
def guardian_put(request: HttpRequest, case_id: UUID, payload: GuardianIn) -> ChildGuardian:
    return guardian_save(
        actor=actor_of(request),
        case_id=case_id,
        name=payload.name,
        relation=payload.relation,
        organisation=payload.organisation,
        contact=payload.contact,
        appointed_on=payload.appointed_on,
        expected_version=payload.version,
    )


@router.post(
    "/cases/{case_id}/best-interests",
    response={201: BestInterestsOut},
    summary="Record a best-interests assessment of the child and the decision",
)
def best_interests_post(
    request: HttpRequest, case_id: UUID, payload: BestInterestsIn
) -> Status[BestInterestsAssessment]:
    record = best_interests_decide(
        actor=actor_of(request),
        case_id=case_id,
        assessment=payload.assessment,
        childs_views=payload.childs_views,
        decision=payload.decision,
        decision_note=payload.decision_note,
        assessed_on=payload.assessed_on,
    )
    return Status(201, record)
