"""API: reference data every client needs to fill in forms, and the service directory.

Everyone signed in reads the directory (it holds no personal data); providers describe their
services and update free places (``directory/policy.py`` decides who may).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from tirek.accounts.models import Agency
from tirek.accounts.selectors import agencies_active
from tirek.core.api_support import PageParams, actor_of, page_of
from tirek.core.errors import Forbidden
from tirek.directory.agencies import AgencyNames, agency_names_update
from tirek.directory.hsds import DirectoryImportError, hsds_export, hsds_filename, hsds_import
from tirek.directory.models import Place, Service, ServiceCapacity, ServiceType
from tirek.directory.policy import can_exchange_directory
from tirek.directory.schemas import (
    AgencyNamesIn,
    AgencyOut,
    CapacityOut,
    CapacitySetIn,
    OrganizationOut,
    PlaceOut,
    ProviderOut,
    ServiceIn,
    ServiceOut,
    ServiceTypeOut,
)
from tirek.directory.selectors import (
    DirectoryFilter,
    ProviderOffer,
    Seeker,
    providers_for,
    service_get,
    services_search,
)
from tirek.directory.services import (
    LocationInput,
    ScheduleInput,
    ServiceInput,
    capacity_set,
    service_create,
    service_update,
)

router = Router(tags=["reference data"], by_alias=True)
directory_router = Router(tags=["service directory"], by_alias=True)


def _agency(agency: Agency) -> dict[str, Any]:
    return {
        "id": agency.pk,
        "name": agency.name,
        "short_name": agency.short_name,
        "type": agency.type,
        "type_label": agency.get_type_display(),
        "country": agency.country,
        "phone": agency.phone,
        "email": agency.email,
        "place": agency.place,
        "services": [s for s in agency.services.all() if s.is_active],
    }


@router.get("/reference/agencies", response=list[AgencyOut], summary="Agencies of the mechanism")
def agencies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_agency(a) for a in agencies_active().prefetch_related("services")]


@router.get(
    "/reference/service-types", response=list[ServiceTypeOut], summary="Services to refer for"
)
def service_types(request: HttpRequest) -> list[ServiceType]:
    return list(ServiceType.objects.filter(is_active=True))


@router.get("/reference/places", response=list[PlaceOut], summary="Countries, regions, cities")
def places(request: HttpRequest) -> list[Place]:
    return list(Place.objects.all())


# --- presentation shared by every directory answer ----------------------------------------


def capacity_out(capacity: ServiceCapacity) -> dict[str, Any]:
    return {
        "id": capacity.pk,
        "unit": capacity.unit,
        "unit_label": capacity.get_unit_display(),
        "available": capacity.available,
        "maximum": capacity.maximum,
        "description": capacity.description,
        "updated": capacity.updated,
        "version": capacity.version,
    }


def service_out(service: Service) -> dict[str, Any]:
    return {
        "id": service.pk,
        "name": service.label,
        "name_en": service.name_en,
        "name_ru": service.name_ru,
        "name_kk": service.name_kk,
        "service_type": service.service_type,
        "organization": service.agency,
        "status": service.status,
        "status_label": service.get_status_display(),
        "alert": service.alert,
        "description": service.description,
        "eligibility": {
            "description": service.eligibility_description,
            "sex": service.sex,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "citizenship": service.citizenship,
        },
        "languages": list(service.languages or []),
        "interpretation_services": service.interpretation_services,
        "application_process": service.application_process,
        "contact": {
            "name": service.contact_name,
            "title": service.contact_title,
            "phone": service.contact_phone,
            "email": service.contact_email,
        },
        "is_always_open": service.is_always_open,
        "schedules": list(service.schedules.all()),
        "service_areas": list(service.areas.all()),
        "locations": [
            {
                "id": location.pk,
                "name": location.name,
                "location_type": location.location_type,
                "address": location.public_address,
                "is_address_private": location.is_address_private,
                "postal_code": "" if location.is_address_private else location.postal_code,
                "city": location.city,
                "url": location.url,
            }
            for location in service.locations.all()
        ],
        "capacities": [capacity_out(c) for c in service.capacities.all()],
        "last_modified": service.updated_at,
        "version": service.version,
    }


def provider_out(offer: ProviderOffer) -> dict[str, Any]:
    return {
        "service": service_out(offer.service),
        "free_places": offer.free_places,
        "updated": offer.updated,
    }


# --- reading the directory ----------------------------------------------------------------


class DirectoryQuery(Schema):
    q: str = ""
    service_type: str = ""
    territory: str = ""
    language: str = ""
    sex: str = ""
    age: int | None = None
    citizenship: str = ""
    free_places: bool = False
    organization_id: UUID | None = None


def directory_filter(query: DirectoryQuery) -> DirectoryFilter:
    return DirectoryFilter(
        text=query.q[:200],
        service_type=query.service_type[:64],
        territory=query.territory[:64],
        language=query.language[:8],
        sex=query.sex[:4],
        age=query.age if query.age is not None and 0 <= query.age <= 200 else None,
        citizenship=query.citizenship[:12],
        free_places_only=query.free_places,
        agency_id=query.organization_id,
    )


class ServicePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ServiceOut]


@directory_router.get(
    "/directory/services", response=ServicePage, summary="Search and filter the directory"
)
def directory_services(
    request: HttpRequest, query: Query[DirectoryQuery], page: Query[PageParams]
) -> dict[str, Any]:
    return page_of(services_search(directory_filter(query)), page, service_out)


@directory_router.get(
    "/directory/services/{service_id}", response=ServiceOut, summary="One service"
)
def directory_service(request: HttpRequest, service_id: UUID) -> dict[str, Any]:
    return service_out(service_get(service_id=service_id))


@directory_router.get(
    "/directory/organizations",
    response=list[OrganizationOut],
    summary="Agencies and NGOs, names in kk/ru/en",
)
def directory_organizations(request: HttpRequest) -> list[Agency]:
    return list(agencies_active())


@directory_router.put(
    "/directory/organizations/{agency_id}/names",
    response=OrganizationOut,
    summary="Change an agency's names in kk/ru/en (administrators)",
)
def directory_organization_names(
    request: HttpRequest, agency_id: UUID, payload: AgencyNamesIn
) -> Agency:
    names = AgencyNames(
        name=payload.name,
        name_ru=payload.name_ru,
        name_kk=payload.name_kk,
        short_name=payload.short_name,
    )
    return agency_names_update(actor=actor_of(request), agency_id=agency_id, names=names)


class ProvidersQuery(Schema):
    service_type: str = ""
    territory: str = ""
    sex: str = ""
    age: int | None = None
    citizenship: list[str] = []
    include_full: bool = False


@directory_router.get(
    "/directory/providers",
    response=list[ProviderOut],
    summary="Providers that fit a person (described, not named) and a territory",
)
def directory_providers(request: HttpRequest, query: Query[ProvidersQuery]) -> list[dict[str, Any]]:
    seeker = Seeker(
        sex=query.sex[:1],
        age=query.age if query.age is not None and 0 <= query.age <= 200 else None,
        citizenship=tuple(c[:3].upper() for c in query.citizenship[:10]),
    )
    offers = providers_for(
        service_type=query.service_type[:64],
        person=seeker,
        territory=query.territory[:64] or None,
        include_full=query.include_full,
    )
    return [provider_out(offer) for offer in offers]


# --- changing it ----------------------------------------------------------------------------


def service_input(body: ServiceIn) -> ServiceInput:
    """The service's input from the API body; unknown codes are refused by field name."""
    errors: dict[str, list[str]] = {}
    service_type = ServiceType.objects.filter(code=body.service_type).first()
    if service_type is None:
        errors["service_type"] = [
            _("Unknown kind of service: %(code)s.") % {"code": body.service_type}
        ]
    codes = set(body.service_areas) | (
        {body.location.city} if body.location and body.location.city else set()
    )
    places = {p.code: p.pk for p in Place.objects.filter(code__in=codes)}
    unknown = sorted(code for code in codes if code not in places)
    if unknown:
        errors["service_areas"] = [
            _("Unknown place code: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    if errors:
        raise ValidationError(errors)
    assert service_type is not None  # noqa: S101 - refused above
    location = body.location
    capacity = body.capacity
    return ServiceInput(
        service_type_id=service_type.pk,
        name_en=body.name_en,
        name_ru=body.name_ru,
        name_kk=body.name_kk,
        description=body.description,
        status=body.status,
        alert=body.alert,
        eligibility_description=body.eligibility_description,
        sex=body.sex,
        minimum_age=body.minimum_age,
        maximum_age=body.maximum_age,
        citizenship=body.citizenship,
        languages=tuple(body.languages),
        interpretation_services=body.interpretation_services,
        application_process=body.application_process,
        contact_name=body.contact_name,
        contact_title=body.contact_title,
        contact_phone=body.contact_phone,
        contact_email=body.contact_email,
        is_always_open=body.is_always_open,
        area_ids=tuple(places[code] for code in body.service_areas),
        location=LocationInput(
            address=location.address,
            city_id=places.get(location.city) if location.city else None,
            postal_code=location.postal_code,
            name=location.name,
            is_address_private=location.is_address_private,
        )
        if location
        else None,
        schedules=tuple(
            ScheduleInput(
                byday=tuple(day.upper() for day in s.byday),
                opens_at=s.opens_at,
                closes_at=s.closes_at,
                description=s.description,
            )
            for s in body.schedules
        ),
        capacity_unit=capacity.unit if capacity else "",
        capacity_maximum=capacity.maximum if capacity else None,
        capacity_available=capacity.available if capacity else None,
        capacity_description=capacity.description if capacity else "",
    )


@directory_router.post(
    "/directory/services", response={201: ServiceOut}, summary="Add a service your agency offers"
)
def directory_service_create(request: HttpRequest, body: ServiceIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    data = service_input(body)
    service = service_create(
        actor=actor, agency_id=body.organization_id or actor.membership.agency_id, data=data
    )
    return Status(201, service_out(service_get(service_id=service.pk)))


@directory_router.put(
    "/directory/services/{service_id}", response=ServiceOut, summary="Change a service"
)
def directory_service_update(
    request: HttpRequest, service_id: UUID, body: ServiceIn
) -> dict[str, Any]:
    actor = actor_of(request)
    current = service_get(service_id=service_id)
    data = service_input(body)
    service = service_update(
        actor=actor,
        service_id=service_id,
        expected_version=body.version if body.version is not None else current.version,
        data=data,
    )
    return service_out(service_get(service_id=service.pk))


@directory_router.post(
    "/directory/capacities/{capacity_id}",
    response=CapacityOut,
    summary="Say how many places are free now",
)
def directory_capacity_set(
    request: HttpRequest, capacity_id: UUID, body: CapacitySetIn
) -> dict[str, Any]:
    capacity = capacity_set(
        actor=actor_of(request),
        capacity_id=capacity_id,
        available=body.available,
        expected_version=body.version,
    )
    return capacity_out(capacity)


# --- exchange as an HSDS datapackage ---------------------------------------------------------


class ImportReportOut(Schema):
    organizations_created: int
    organizations_updated: int
    services_created: int
    services_updated: int
    locations: int


@directory_router.get(
    "/directory/export",
    response={200: None},
    summary="The whole directory as an Open Referral HSDS 3 datapackage (ZIP)",
)
def directory_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(hsds_export(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{hsds_filename()}"'
    return response


@directory_router.post(
    "/directory/import",
    response=ImportReportOut,
    summary="Load an HSDS 3 datapackage (send the ZIP as the body, application/zip)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
def directory_import(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request)
    if not can_exchange_directory(actor):
        raise Forbidden(_("Only the reference-data administrators load a whole directory."))
    try:
        report = hsds_import(actor=actor, data=request.body)
    except DirectoryImportError as refused:
        raise ValidationError({"file": refused.problems}) from refused
    return asdict(report)
