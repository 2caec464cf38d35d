"""API of child safeguards (the child mark, the guardian, best-interests decisions) and of the
perpetrators."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Status

from tirek.cases.choices import Section, Sex
from tirek.cases.schemas import MAX_ID, MAX_LIST, enum_of, list_of_enum
from tirek.core.api_support import InSchema, OutSchema, actor_of, field_names
from tirek.protection.api_support import section_open
from tirek.protection.children import MAX_TEXT as CHILD_TEXT
from tirek.protection.children import (
    best_interests_decide,
    best_interests_for,
    child_mark,
    guardian_for,
    guardian_save,
)
from tirek.protection.choices import (
    BestInterestsDecision,
    GuardianRelation,
    PerpetratorRole,
    RelationshipToTrafficker,
)
from tirek.protection.models import BestInterestsAssessment, ChildGuardian, Perpetrator
from tirek.protection.perpetrators import MAX_TEXT as PERPETRATOR_TEXT
from tirek.protection.perpetrators import (
    perpetrator_add,
    perpetrator_remove,
    perpetrator_update,
    perpetrators_for,
)

router = Router(tags=["protection"], by_alias=True)


class ChildMarkIn(InSchema):
    is_child: bool


class GuardianIn(InSchema):
    version: int = Field(0, ge=0, le=MAX_ID, description="0 for a new record, else the version.")
    name: str = Field(max_length=200)
    relation: str = Field(max_length=24, json_schema_extra=enum_of(GuardianRelation.values))
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
    assessment: str = Field(max_length=CHILD_TEXT)
    childs_views: str = Field("", max_length=CHILD_TEXT)
    decision: str = Field(max_length=40, json_schema_extra=enum_of(BestInterestsDecision.values))
    decision_note: str = Field("", max_length=CHILD_TEXT)
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
    view = section_open(request, case_id, Section.CHILD)
    return _child_out(view)


@router.post(
    "/cases/{case_id}/child",
    response=ChildOut,
    summary="Mark the case as a child's case, or take the mark off (children's roles)",
)
def child_mark_route(request: HttpRequest, case_id: UUID, payload: ChildMarkIn) -> dict[str, Any]:
    child_mark(actor=actor_of(request), case_id=case_id, is_child=payload.is_child)
    # The answer shows the guardian and the best-interests records: a read of the child
    # section, recorded as GET does (a mark left as it was writes no event of its own).
    return _child_out(section_open(request, case_id, Section.CHILD))


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


# --- perpetrators ----------------------------------------------------------------------------


class PerpetratorIn(InSchema):
    name: str = Field("", max_length=200, description="Name or alias (prs_ names).")
    sex: str = Field(Sex.UNKNOWN, max_length=1, json_schema_extra=enum_of(Sex.values))
    citizenship: list[str] = Field(
        default_factory=list, alias="prs_Citizenship", max_length=MAX_LIST
    )
    roles: list[str] = Field(
        alias="per_RoleInProcess",
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(PerpetratorRole.values),
    )
    role_details: str = Field("", alias="per_RoleDetails", max_length=PERPETRATOR_TEXT)
    relationship: str = Field(
        "",
        alias="vic_RelationshipToTrafficker",
        max_length=16,
        json_schema_extra=enum_of(["", *RelationshipToTrafficker.values]),
    )


class PerpetratorUpdateIn(PerpetratorIn):
    version: int = Field(ge=0, le=MAX_ID, description="The version you read; 409 if it changed.")


class PerpetratorOut(OutSchema):
    id: UUID
    version: int
    case_id: UUID
    name: str
    sex: str
    citizenship: list[str] = Field(alias="prs_Citizenship")
    roles: list[str] = Field(alias="per_RoleInProcess")
    role_details: str = Field(alias="per_RoleDetails")
    relationship: str = Field(alias="vic_RelationshipToTrafficker")


PERPETRATOR_VALUES = ("name", "sex", "citizenship", "roles", "role_details", "relationship")
PERPETRATOR_FIELDS = {
    "citizenship": "prs_Citizenship",
    "roles": "per_RoleInProcess",
    "role_details": "per_RoleDetails",
    "relationship": "vic_RelationshipToTrafficker",
}


@router.get(
    "/cases/{case_id}/perpetrators",
    response=list[PerpetratorOut],
    summary="Perpetrators of a case (perpetrators section)",
)
def perpetrators_list(request: HttpRequest, case_id: UUID) -> list[Perpetrator]:
    view = section_open(request, case_id, Section.PERPETRATORS)
    return list(perpetrators_for(view=view))


@router.post(
    "/cases/{case_id}/perpetrators",
    response={201: PerpetratorOut},
    summary="Record a perpetrator (HTCDS per_RoleInProcess, per_RoleDetails)",
)
def perpetrator_create(
    request: HttpRequest, case_id: UUID, payload: PerpetratorIn
) -> Status[Perpetrator]:
    with field_names(PERPETRATOR_FIELDS):
        perpetrator = perpetrator_add(
            actor=actor_of(request),
            case_id=case_id,
            **payload.model_dump(include=set(PERPETRATOR_VALUES)),
        )
    return Status(201, perpetrator)


@router.put(
    "/perpetrators/{perpetrator_id}",
    response=PerpetratorOut,
    summary="Correct what is recorded about a perpetrator (with the version read)",
)
def perpetrator_put(
    request: HttpRequest, perpetrator_id: UUID, payload: PerpetratorUpdateIn
) -> Perpetrator:
    with field_names(PERPETRATOR_FIELDS):
        return perpetrator_update(
            actor=actor_of(request),
            perpetrator_id=perpetrator_id,
            expected_version=payload.version,
            **payload.model_dump(include=set(PERPETRATOR_VALUES)),
        )


@router.delete(
    "/perpetrators/{perpetrator_id}",
    response={204: None},
    summary="Remove a perpetrator recorded by mistake (the timeline keeps only the removal)",
)
def perpetrator_delete(request: HttpRequest, perpetrator_id: UUID) -> Status[None]:
    perpetrator_remove(actor=actor_of(request), perpetrator_id=perpetrator_id)
    return Status(204, None)
