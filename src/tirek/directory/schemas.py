"""API schemas for reference data: agencies (HTCDS ``org_``), services and places."""

from __future__ import annotations

from datetime import datetime, time
from uuid import UUID

from ninja import Field

from tirek.core.api_support import InSchema, OutSchema, ServiceTypeRef


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


# --- The service directory (HSDS 3 names where they fit) ----------------------------------


class OrganizationOut(OutSchema):
    """An agency as the directory shows it (HSDS ``organization``)."""

    id: UUID
    name: str = Field(alias="org_Name", description="The official name (English).")
    name_ru: str
    name_kk: str
    label: str = Field(description="The name in the request's language.")
    short_name: str
    type: str = Field(alias="org_Type")
    description: str
    website: str
    phone: str = Field(alias="org_Phone")
    email: str = Field(alias="org_Email")
    place: PlaceOut | None


class LocationOut(OutSchema):
    id: UUID
    name: str
    location_type: str
    address: str = Field(description="Empty when the provider keeps it private.")
    is_address_private: bool
    postal_code: str
    city: PlaceOut | None
    url: str


class ScheduleOut(OutSchema):
    byday: str = Field(description="RFC 5545 days, e.g. MO,TU,WE,TH,FR")
    opens_at: time
    closes_at: time
    description: str


class CapacityOut(OutSchema):
    id: UUID
    unit: str
    unit_label: str
    available: int
    maximum: int | None
    description: str
    updated: datetime
    version: int


class EligibilityOut(OutSchema):
    description: str
    sex: str = Field(description="any, F or M")
    minimum_age: int | None
    maximum_age: int | None
    citizenship: str = Field(description="any, citizens or foreigners")


class ContactOut(OutSchema):
    name: str
    title: str
    phone: str
    email: str


class ServiceOut(OutSchema):
    """A service in the directory (HSDS ``service``) with its locations, hours and capacity."""

    id: UUID
    name: str = Field(description="The name in the request's language.")
    name_en: str
    name_ru: str
    name_kk: str
    service_type: ServiceTypeRef
    organization: OrganizationOut
    status: str
    status_label: str
    alert: str
    description: str
    eligibility: EligibilityOut
    languages: list[str] = Field(description="ISO 639-1 codes")
    interpretation_services: str
    application_process: str
    contact: ContactOut
    is_always_open: bool
    schedules: list[ScheduleOut]
    service_areas: list[PlaceOut]
    locations: list[LocationOut]
    capacities: list[CapacityOut]
    last_modified: datetime
    version: int


class ProviderOut(OutSchema):
    """A provider that fits a person and a territory, with its free places."""

    service: ServiceOut
    free_places: int | None = Field(description="Free places in all; null: counts none.")
    updated: datetime | None = Field(description="When the free places were last updated.")


class LocationIn(InSchema):
    address: str = Field("", max_length=300)
    city: str = Field("", max_length=64, description="Place code, e.g. almaty")
    postal_code: str = Field("", max_length=20)
    name: str = Field("", max_length=200)
    is_address_private: bool = False


class ScheduleIn(InSchema):
    byday: list[str] = Field(description="MO, TU, WE, TH, FR, SA, SU", max_length=7)
    opens_at: time
    closes_at: time
    description: str = Field("", max_length=200)


class CapacityIn(InSchema):
    unit: str = Field("bed", max_length=16)
    maximum: int | None = Field(None, ge=0, le=100_000)
    available: int | None = Field(None, ge=0, le=100_000)
    description: str = Field("", max_length=200)


class ServiceIn(InSchema):
    """A service as its provider describes it. Name it in at least one language."""

    organization_id: UUID | None = Field(None, description="The providing agency (create only).")
    service_type: str = Field(max_length=64, description="ServiceType code, e.g. shelter")
    name_en: str = Field("", max_length=200)
    name_ru: str = Field("", max_length=200)
    name_kk: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    status: str = Field("active", max_length=20)
    alert: str = Field("", max_length=300)
    eligibility_description: str = Field("", max_length=2000)
    sex: str = Field("any", max_length=4)
    minimum_age: int | None = Field(None, ge=0, le=200)
    maximum_age: int | None = Field(None, ge=0, le=200)
    citizenship: str = Field("any", max_length=12)
    languages: list[str] = Field(default_factory=list, max_length=20)
    interpretation_services: str = Field("", max_length=300)
    application_process: str = Field("", max_length=5000)
    contact_name: str = Field("", max_length=200)
    contact_title: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=40)
    contact_email: str = Field("", max_length=254)
    is_always_open: bool = False
    service_areas: list[str] = Field(default_factory=list, max_length=50, description="Place codes")
    location: LocationIn | None = None
    schedules: list[ScheduleIn] = Field(default_factory=list, max_length=14)
    capacity: CapacityIn | None = None
    version: int | None = Field(None, description="On update: the version you read.")


class CapacitySetIn(InSchema):
    available: int = Field(ge=0, le=100_000)
    version: int | None = Field(None, description="The version you read; refused if it moved.")


class AgencyNamesIn(InSchema):
    name: str = Field(alias="org_Name", max_length=200, description="The official name (English)")
    name_ru: str = Field("", max_length=200)
    name_kk: str = Field("", max_length=200)
    short_name: str = Field("", max_length=60)
