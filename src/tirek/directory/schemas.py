"""API schemas for reference data: agencies (HTCDS ``org_``), services and places."""

from __future__ import annotations

from uuid import UUID

from ninja import Field

from tirek.core.api_support import OutSchema, ServiceTypeRef


class PlaceOut(OutSchema):
    id: int
    code: str
    kind: str
    label: str
    country_code: str = Field(description="ISO 3166 alpha-3")
    parent_id: int | None


class ServiceTypeOut(ServiceTypeRef):
    htcds_support_plan_type: str


class AgencyOut(OutSchema):
    id: UUID
    name: str = Field(alias="org_Name")
    short_name: str
    type: str = Field(alias="org_Type")
    type_label: str
    country: str = Field(description="ISO 3166 alpha-3")
    phone: str = Field(alias="org_Phone")
    email: str = Field(alias="org_Email")
    place: PlaceOut | None
    services: list[ServiceTypeRef]


class ChoiceOut(OutSchema):
    value: str
    label: str
