"""API schemas for informed consent (HTCDS ``con_``)."""

from __future__ import annotations

import datetime
from uuid import UUID

from ninja import Field

from tirek.cases.choices import Section
from tirek.cases.schemas import MAX_ID, MAX_LIST, enum_of, list_of_enum
from tirek.core.api_support import AgencyRef, InSchema, OutSchema, ServiceTypeRef
from tirek.protection.models import Consent


class ConsentIn(InSchema):
    """The person's informed consent, as the worker recorded it."""

    purpose: str = Field(
        Consent.Purpose.REFERRAL,
        max_length=20,
        json_schema_extra=enum_of(Consent.Purpose.values),
    )
    method: str = Field(max_length=16, json_schema_extra=enum_of(Consent.Method.values))
    sections: list[str] = Field(
        max_length=MAX_LIST,
        json_schema_extra=list_of_enum(Section.values),
        description="The parts of the case the person agreed to share.",
    )
    recipient_agency_id: UUID | None = Field(
        None, description="The agency it may be shared with; null for any agency of the mechanism."
    )
    service_type_id: int | None = Field(None, ge=1, le=MAX_ID)
    given_on: datetime.date | None = Field(None, description="Defaults to today.")


class ConsentWithdrawIn(InSchema):
    reason: str = Field("", max_length=300)


class ConsentOut(OutSchema):
    id: UUID
    case_id: UUID
    consent: bool = Field(alias="con_Consent", description="True while the consent stands.")
    purpose: str
    method: str
    sections: list[str]
    recipient_agency: AgencyRef | None
    service_type: ServiceTypeRef | None
    given_on: datetime.date
    recorded_by_agency: AgencyRef
    created_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    withdrawal_reason: str
