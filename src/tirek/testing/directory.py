"""Builders for the service directory in tests: services with eligibility and free places."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tirek.accounts.models import Agency
from tirek.directory.models import Place, Service, ServiceCapacity, ServiceType


def service_build(
    agency: Agency,
    service_type: ServiceType,
    *,
    areas: list[Place] | None = None,
    free: int | None = None,
    maximum: int | None = None,
    **fields: Any,
) -> Service:
    """A service of ``agency``; ``free`` gives it a bed count (``maximum`` defaults to 10)."""
    values = {"name_en": f"{service_type.name_en} at {agency.name}"} | fields
    service = Service.objects.create(agency=agency, service_type=service_type, **values)
    if areas:
        service.areas.set(areas)
    if free is not None:
        ServiceCapacity.objects.create(
            service=service,
            unit=ServiceCapacity.Unit.BED,
            available=free,
            maximum=maximum if maximum is not None else max(free, 10),
            updated=timezone.now(),
        )
    return service
