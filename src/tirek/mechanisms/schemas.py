"""API shapes of mechanisms and their steps."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from tirek.core.api_support import AgencyRef, InSchema, OutSchema, ServiceTypeRef


class PlaceRef(OutSchema):
    id: int
    code: str
    label: str


class StepOut(OutSchema):
    id: UUID
    code: str
    stage: str
    stage_label: str
    position: int
    title: str
    name_en: str
    name_ru: str
    name_kk: str
    action: str
    agency_type: str
    agency: AgencyRef | None
    service_type: ServiceTypeRef | None
    deadline_value: int | None
    deadline_unit: str
    counted_from: str
    escalate_after: int | None
    age_group: str
    citizenship: str
    exploitation: list[str]
    version: int


class MechanismOut(OutSchema):
    id: UUID
    territory: PlaceRef
    number: int
    title: str
    note: str
    status: str
    status_label: str
    deadlines_illustrative: bool
    reflection_days: int | None
    based_on_id: UUID | None
    in_force_at: datetime.datetime | None
    retired_at: datetime.datetime | None
    created_at: datetime.datetime
    version: int
    steps: list[StepOut] | None = None


class MechanismCreateIn(InSchema):
    territory_id: int | None = None
    title: str = Field("", max_length=200)
    note: str = Field("", max_length=4000)
    based_on_id: UUID | None = Field(None, description="Copy the steps of this version")


class MechanismUpdateIn(InSchema):
    version: int
    title: str = Field(max_length=200)
    note: str = Field("", max_length=4000)
    deadlines_illustrative: bool = False
    reflection_days: int | None = Field(
        None, ge=1, le=3650, description="Reflection period of a case, 30-365 days; null: 30"
    )


class StepIn(InSchema):
    version: int = Field(description="The mechanism's version you saw")
    code: str = Field(max_length=64)
    stage: str
    name_en: str = Field("", max_length=200)
    name_ru: str = Field("", max_length=200)
    name_kk: str = Field("", max_length=200)
    action: str = "act"
    agency_type: str = ""
    agency_id: UUID | None = None
    service_type_id: int | None = None
    deadline_value: int | None = None
    deadline_unit: str = "hours"
    counted_from: str = "stage_entered"
    escalate_after: int | None = None
    age_group: str = "any"
    citizenship: str = "any"
    exploitation: list[str] = Field(default_factory=list, max_length=20)
    position: int = Field(0, ge=0, le=32000)


class VersionIn(InSchema):
    version: int | None = None


class ComparedStepOut(OutSchema):
    code: str
    stage: str
    kind: str
    differences: list[str]
    left: StepOut | None
    right: StepOut | None


class ComparisonOut(OutSchema):
    left: MechanismOut
    right: MechanismOut
    differences: list[str] = Field(
        description="What differs beside the steps: reflection_days when the reflection "
        "periods the two versions give differ (unset counts as the default, 30 days)"
    )
    steps: list[ComparedStepOut]


JsonObject = dict[str, Any]


class ChecklistItemOut(OutSchema):
    id: UUID
    step_code: str
    step_title: str
    stage: str
    status: str
    status_label: str
    responsible_agency: AgencyRef | None = Field(description="Who must act now")
    service_type: ServiceTypeRef | None
    due_at: datetime.datetime | None
    overdue: bool
    referral_id: UUID | None
    referral_status: str | None
    outside_referral_id: UUID | None = Field(
        description="The referral outside Tirek (printed form) that delivers the step"
    )
    closed_at: datetime.datetime | None
    version: int
    support_plan_ids: list[UUID] = Field(description="The needs of the support plan it delivers")


class ChecklistOut(OutSchema):
    mechanism_id: UUID | None
    mechanism_number: int | None
    items: list[ChecklistItemOut]


class ChecklistCloseIn(InSchema):
    version: int
    outcome: str = Field(description="done or not_done")


class ChecklistPlansIn(InSchema):
    support_plan_ids: list[UUID] = Field(
        max_length=50, description="The needs of the case's support plan the step delivers"
    )


class OpenStepOut(OutSchema):
    item_id: UUID
    step_code: str
    step_title: str
    stage: str
    territory_code: str
    due_at: datetime.datetime | None
    overdue: bool
    overdue_hours: int | None
    escalated: bool
    late_agency: AgencyRef = Field(description="Who must act now")
    owner_agency: AgencyRef
    referral_status: str | None
