"""API of return and reintegration and of the proceedings (sections ``return``, ``proceedings``)."""

from __future__ import annotations

import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Status

from tirek.cases.choices import RiskLevel, Section
from tirek.cases.schemas import MAX_ID, enum_of
from tirek.core.api_support import InSchema, OutSchema, actor_of, field_names
from tirek.protection.api_support import one_or_404, section_open
from tirek.protection.choices import ProceedingKind, ProceedingRole
from tirek.protection.models import Proceeding, ReturnPlan
from tirek.protection.return_proceedings import (
    MAX_TEXT,
    ProceedingInput,
    ReturnInput,
    proceeding_add,
    proceeding_update,
    proceedings_for,
    return_plan_for,
    return_plan_save,
)

router = Router(tags=["protection"], by_alias=True)
VERSION = Field(0, ge=0, le=MAX_ID, description="0 for a new record, else the version you read.")


class ReturnPlanIn(InSchema):
    version: int = VERSION
    destination_country: str = Field(max_length=3, description="ISO 3166 alpha-3.")
    destination_place: str = Field("", max_length=300)
    embassy_id: UUID | None = Field(None, description="An agency of type EmbassyOrConsulate.")
    travel_documents: str = Field("", max_length=MAX_TEXT)
    return_risk: str = Field("", max_length=8, json_schema_extra=enum_of(["", *RiskLevel.values]))
    return_risk_notes: str = Field("", max_length=MAX_TEXT)
    reintegration_plan: str = Field("", max_length=MAX_TEXT)
    planned_on: datetime.date | None = None
    returned_on: datetime.date | None = None
    follow_up_contacts: str = Field("", max_length=MAX_TEXT)


class ReturnPlanOut(OutSchema):
    id: UUID
    version: int
    destination_country: str
    destination_place: str
    embassy_id: UUID | None
    travel_documents: str
    return_risk: str
    return_risk_notes: str
    reintegration_plan: str
    planned_on: datetime.date | None
    returned_on: datetime.date | None
    follow_up_contacts: str


class ProceedingIn(InSchema):
    kind: str = Field(
        ProceedingKind.CRIMINAL, max_length=16, json_schema_extra=enum_of(ProceedingKind.values)
    )
    role: str = Field(max_length=16, json_schema_extra=enum_of(ProceedingRole.values))
    police_reference: str = Field("", max_length=100)
    court_reference: str = Field("", max_length=100)
    protection_measures: str = Field("", max_length=MAX_TEXT)
    next_hearing_on: datetime.date | None = None
    hearings: str = Field("", max_length=MAX_TEXT)
    legal_aid: str = Field("", max_length=MAX_TEXT)
    compensation: str = Field("", max_length=MAX_TEXT)
    non_punishment: str = Field("", max_length=MAX_TEXT)


class ProceedingUpdateIn(ProceedingIn):
    version: int = Field(ge=0, le=MAX_ID, description="The version you read; 409 if it changed.")


class ProceedingOut(OutSchema):
    id: UUID
    version: int
    kind: str
    role: str
    police_reference: str
    court_reference: str
    protection_measures: str
    next_hearing_on: datetime.date | None
    hearings: str
    legal_aid: str
    compensation: str
    non_punishment: str


@router.get(
    "/cases/{case_id}/return-plan",
    response=ReturnPlanOut,
    summary="The return and reintegration plan (return section); 404 if there is none",
)
def return_plan_get(request: HttpRequest, case_id: UUID) -> ReturnPlan:
    view = section_open(request, case_id, Section.RETURN)
    return one_or_404(return_plan_for(view=view))


@router.put(
    "/cases/{case_id}/return-plan",
    response=ReturnPlanOut,
    summary="Write the return and reintegration plan (version 0 creates it)",
)
def return_plan_put(request: HttpRequest, case_id: UUID, payload: ReturnPlanIn) -> ReturnPlan:
    data = payload.model_dump(exclude={"version"})
    with field_names({"embassy": "embassy_id"}):
        return return_plan_save(
            actor=actor_of(request),
            case_id=case_id,
            data=ReturnInput(**data),
            expected_version=payload.version,
        )


@router.get(
    "/cases/{case_id}/proceedings",
    response=list[ProceedingOut],
    summary="The case's proceedings (proceedings section; an empty list without it)",
)
def proceedings_list(request: HttpRequest, case_id: UUID) -> list[Proceeding]:
    view = section_open(request, case_id, Section.PROCEEDINGS)
    return list(proceedings_for(view=view))


@router.post(
    "/cases/{case_id}/proceedings",
    response={201: ProceedingOut},
    summary="Record proceedings the person takes part in (a case may have several)",
)
def proceeding_create(
    request: HttpRequest, case_id: UUID, payload: ProceedingIn
) -> Status[Proceeding]:
    row = proceeding_add(
        actor=actor_of(request), case_id=case_id, data=ProceedingInput(**payload.model_dump())
    )
    return Status(201, row)


@router.put(
    "/proceedings/{proceeding_id}",
    response=ProceedingOut,
    summary="Write what one of the proceedings stands at (with the version read)",
)
def proceeding_put(
    request: HttpRequest, proceeding_id: UUID, payload: ProceedingUpdateIn
) -> Proceeding:
    return proceeding_update(
        actor=actor_of(request),
        proceeding_id=proceeding_id,
        data=ProceedingInput(**payload.model_dump(exclude={"version"})),
        expected_version=payload.version,
    )
