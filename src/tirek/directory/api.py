"""API: reference data every client needs to fill in forms (labels in the request's language)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tirek.accounts.models import Agency
from tirek.accounts.selectors import agencies_active
from tirek.directory.models import Place, ServiceType
from tirek.directory.schemas import AgencyOut, PlaceOut, ServiceTypeOut

router = Router(tags=["reference data"], by_alias=True)


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
