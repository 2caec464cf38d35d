"""Changes to the service directory: one function, one transaction, one audit row each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.audit import audit_record
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.core.phones import NotAPhoneNumber, phone_normalize
from tirek.directory.models import Location, Place, Schedule, Service, ServiceCapacity, ServiceType
from tirek.directory.policy import can_manage_services, can_update_capacity

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_AGE = 120
# Languages a service can be offered in (ISO 639-1); the directory shows each in its own name.
LANGUAGE_CODES = ("kk", "ru", "en", "uz", "ky", "tg", "tk", "uk", "zh", "tr", "ko", "ar")


@dataclass(frozen=True)
class LocationInput:
    address: str = ""
    city_id: int | None = None
    postal_code: str = ""
    name: str = ""
    is_address_private: bool = False
    location_type: str = Location.Type.PHYSICAL
    url: str = ""


@dataclass(frozen=True)
class ScheduleInput:
    byday: tuple[str, ...]
    opens_at: datetime.time
    closes_at: datetime.time
    description: str = ""


@dataclass(frozen=True)
class ServiceInput:
    """Everything a provider says about one service. Names: at least one of the three."""

    service_type_id: int
    name_en: str = ""
    name_ru: str = ""
    name_kk: str = ""
    description: str = ""
    status: str = Service.Status.ACTIVE
    alert: str = ""
    eligibility_description: str = ""
    sex: str = Service.Sex.ANY
    minimum_age: int | None = None
    maximum_age: int | None = None
    citizenship: str = Service.Citizenship.ANY
    languages: tuple[str, ...] = ()
    interpretation_services: str = ""
    application_process: str = ""
    contact_name: str = ""
    contact_title: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    is_always_open: bool = False
    area_ids: tuple[int, ...] = ()
    location: LocationInput | None = None
    schedules: tuple[ScheduleInput, ...] = ()
    capacity_unit: str = ""  # "" when the service counts no places
    capacity_maximum: int | None = None
    capacity_available: int | None = None  # only when the capacity is first set up
    capacity_description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SERVICE_FIELDS = (
    "name_en",
    "name_ru",
    "name_kk",
    "description",
    "status",
    "alert",
    "eligibility_description",
    "sex",
    "minimum_age",
    "maximum_age",
    "citizenship",
    "interpretation_services",
    "application_process",
    "contact_name",
    "contact_title",
    "contact_phone",
    "contact_email",
    "is_always_open",
)


def _choice(errors: dict[str, list[str]], name: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        errors.setdefault(name, []).append(_("Choose one of the offered values."))


def _clean(data: ServiceInput) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The values to store, and every problem found (field name -> messages)."""
    errors: dict[str, list[str]] = {}
    values = {name: getattr(data, name) for name in SERVICE_FIELDS}
    for name in ("name_en", "name_ru", "name_kk"):
        values[name] = (values[name] or "").strip()[:200]
    if not (values["name_en"] or values["name_ru"] or values["name_kk"]):
        errors["name_kk"] = [_("Give the service a name in at least one language.")]
    values["name_en"] = values["name_en"] or values["name_ru"] or values["name_kk"]
    _choice(errors, "status", data.status, Service.Status.values)
    _choice(errors, "sex", data.sex, Service.Sex.values)
    _choice(errors, "citizenship", data.citizenship, Service.Citizenship.values)
    for name in ("minimum_age", "maximum_age"):
        age = getattr(data, name)
        if age is not None and not 0 <= age <= MAX_AGE:
            errors.setdefault(name, []).append(
                _("An age is a number from 0 to %(max)d.") % {"max": MAX_AGE}
            )
    if (
        data.minimum_age is not None
        and data.maximum_age is not None
        and data.minimum_age > data.maximum_age
    ):
        errors.setdefault("maximum_age", []).append(_("The maximum age is below the minimum age."))
    unknown = [code for code in data.languages if code not in LANGUAGE_CODES]
    if unknown:
        errors["languages"] = [
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    try:
        values["contact_phone"] = phone_normalize(data.contact_phone or "")
    except NotAPhoneNumber:
        errors["contact_phone"] = [_("Enter a phone number, e.g. +7 701 234 56 78.")]
    if data.contact_email:
        try:
            validate_email(data.contact_email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid e-mail address.")]
    for schedule in data.schedules:
        if not schedule.byday or any(day not in WEEKDAYS for day in schedule.byday):
            errors.setdefault("schedules", []).append(_("Tick the days the service is open."))
        elif schedule.opens_at >= schedule.closes_at:
            errors.setdefault("schedules", []).append(
                _("The closing time must be after the opening time.")
            )
    if data.capacity_unit:
        _choice(errors, "capacity_unit", data.capacity_unit, ServiceCapacity.Unit.values)
        for name in ("capacity_maximum", "capacity_available"):
            number = getattr(data, name)
            if number is not None and number < 0:
                errors.setdefault(name, []).append(_("A number of places cannot be negative."))
        if (
            data.capacity_maximum is not None
            and data.capacity_available is not None
            and data.capacity_available > data.capacity_maximum
        ):
            errors.setdefault("capacity_available", []).append(
                _("There cannot be more free places than places in all.")
            )
    if not ServiceType.objects.filter(pk=data.service_type_id, is_active=True).exists():
        errors["service_type"] = [_("Choose the kind of service.")]
    known_places = set(Place.objects.filter(pk__in=data.area_ids).values_list("pk", flat=True))
    if set(data.area_ids) - known_places:
        errors["areas"] = [_("Choose the territory from the list.")]
    if data.location and data.location.city_id is not None:
        if not Place.objects.filter(pk=data.location.city_id).exists():
            errors["city"] = [_("Choose the city from the list.")]
    return values, errors


def _location_save(service: Service, data: LocationInput | None) -> None:
    """The service's main location: created, updated or, when all is empty, detached."""
    current = service.locations.order_by("created_at").first()
    if data is None or not (data.address.strip() or data.city_id or data.url):
        if current is not None:
            service.locations.remove(current)
        return
    values = {
        "address": data.address.strip()[:300],
        "city_id": data.city_id,
        "postal_code": data.postal_code.strip()[:20],
        "name": data.name.strip()[:200],
        "is_address_private": data.is_address_private,
        "location_type": data.location_type,
        "url": data.url,
    }
    if current is None or current.services.exclude(pk=service.pk).exists():
        location = Location.objects.create(agency=service.agency, **values)
        if current is not None:
            service.locations.remove(current)
        service.locations.add(location)
        return
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.save()


def _schedules_save(service: Service, schedules: tuple[ScheduleInput, ...]) -> None:
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            byday=",".join(day for day in WEEKDAYS if day in s.byday),
            opens_at=s.opens_at,
            closes_at=s.closes_at,
            description=s.description[:200],
        )
        for s in schedules
    )


def _capacity_save(service: Service, data: ServiceInput, actor: Actor | None) -> None:
    if not data.capacity_unit:
        service.capacities.all().delete()
        return
    capacity = service.capacities.first()
    if capacity is None:
        available = data.capacity_available
        if available is None:
            available = data.capacity_maximum or 0
        ServiceCapacity.objects.create(
            service=service,
            unit=data.capacity_unit,
            available=available,
            maximum=data.capacity_maximum,
            description=data.capacity_description[:200],
            updated=timezone.now(),
            updated_by=actor.user if actor else None,
        )
        return
    capacity.unit = data.capacity_unit
    capacity.maximum = data.capacity_maximum
    capacity.description = data.capacity_description[:200]
    if capacity.maximum is not None and capacity.available > capacity.maximum:
        capacity.available = capacity.maximum
        capacity.updated = timezone.now()
        capacity.updated_by = actor.user if actor else None
    capacity.version += 1
    capacity.save()
    service.capacities.exclude(pk=capacity.pk).delete()


def _audit(actor: Actor, action: str, obj: Any, data: dict[str, Any]) -> None:
    audit_record(
        action=action,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        data=data,
    )


@transaction.atomic
def service_create(*, actor: Actor, agency_id: UUID | str, data: ServiceInput) -> Service:
    """Add a service an agency offers to the directory."""
    agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
    if agency is None:
        raise NotFound()
    if not can_manage_services(actor, agency.pk):
        raise Forbidden(
            _("Only the agency's administrators and coordinators describe its services.")
        )
    values, errors = _clean(data)
    if errors:
        raise ValidationError(errors)
    service = Service.objects.create(
        agency=agency,
        service_type_id=data.service_type_id,
        languages=list(data.languages),
        **values,
    )
    service.areas.set(data.area_ids)
    _location_save(service, data.location)
    _schedules_save(service, data.schedules)
    _capacity_save(service, data, actor)
    _audit(actor, "directory.service_created", service, {"agency": str(agency.pk)})
    return service


@transaction.atomic
def service_update(
    *, actor: Actor, service_id: UUID | str, expected_version: int, data: ServiceInput
) -> Service:
    """Change what the directory says about a service; refused if someone changed it meanwhile."""
    service = Service.objects.select_for_update().filter(pk=service_id).first()
    if service is None:
        raise NotFound()
    if not can_manage_services(actor, service.agency_id):
        raise Forbidden(
            _("Only the agency's administrators and coordinators describe its services.")
        )
    if service.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone changed this service while you were editing. Reload and try again.")
        )
    values, errors = _clean(data)
    if errors:
        raise ValidationError(errors)
    changed = sorted(name for name, value in values.items() if getattr(service, name) != value)
    if service.service_type_id != data.service_type_id:
        changed.append("service_type")
    if list(service.languages) != list(data.languages):
        changed.append("languages")
    for name, value in values.items():
        setattr(service, name, value)
    service.service_type_id = data.service_type_id
    service.languages = list(data.languages)
    service.version += 1
    service.save()
    service.areas.set(data.area_ids)
    _location_save(service, data.location)
    _schedules_save(service, data.schedules)
    _capacity_save(service, data, actor)
    _audit(actor, "directory.service_updated", service, {"fields": changed})
    return service


@transaction.atomic
def capacity_set(
    *,
    actor: Actor,
    capacity_id: UUID | str,
    available: int,
    expected_version: int | None = None,
) -> ServiceCapacity:
    """Record how many places are free now (the provider's two clicks), stamped with the time.

    With ``expected_version`` the change is refused if someone updated the count meanwhile, so
    two workers pressing "one less" at once do not silently lose one of the two.
    """
    capacity = (
        ServiceCapacity.objects.select_for_update()
        .select_related("service")
        .filter(pk=capacity_id)
        .first()
    )
    if capacity is None:
        raise NotFound()
    if not can_update_capacity(actor, capacity.service.agency_id):
        raise Forbidden(_("Only the provider's own workers update its free places."))
    if expected_version is not None and capacity.version != expected_version:
        raise ConcurrentUpdate(
            _("Someone else has just updated the free places: check the new number.")
        )
    if available < 0:
        raise ValidationError({"available": [_("A number of places cannot be negative.")]})
    if capacity.maximum is not None and available > capacity.maximum:
        raise ValidationError(
            {"available": [_("There cannot be more free places than places in all.")]}
        )
    before = capacity.available
    capacity.available = available
    capacity.updated = timezone.now()
    capacity.updated_by = actor.user
    capacity.version += 1
    capacity.save()
    _audit(
        actor,
        "directory.capacity_updated",
        capacity,
        {"service": str(capacity.service_id), "before": before, "available": available},
    )
    return capacity
