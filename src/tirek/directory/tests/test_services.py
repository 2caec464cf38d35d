"""Describing services and updating free places: who may, what is checked, what is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership
from tirek.accounts.roles import Role
from tirek.core.errors import ConcurrentUpdate, Forbidden
from tirek.core.models import AuditEvent
from tirek.directory.models import Service, ServiceCapacity
from tirek.directory.services import (
    LocationInput,
    ScheduleInput,
    ServiceInput,
    capacity_set,
    service_create,
    service_update,
)
from tirek.testing.directory import service_build
from tirek.testing.personas import Personas


def _coordinator(people: Personas) -> Actor:
    membership = Membership.objects.create(
        user=people.aigul.user, agency=people.police, role=Role.COORDINATOR
    )
    return Actor(user=people.aigul.user, membership=membership)


def _input(people: Personas, **changes: object) -> ServiceInput:
    values: dict[str, object] = {
        "service_type_id": people.shelter_service.pk,
        "name_kk": "Әйелдерге арналған баспана",
        "name_ru": "Приют для женщин",
        "sex": Service.Sex.FEMALE,
        "minimum_age": 18,
        "languages": ("kk", "ru"),
        "contact_phone": "8 701 234 56 78",
        "area_ids": (people.almaty.pk,),
        "location": LocationInput(
            address="Test street 1", city_id=people.almaty.pk, is_address_private=True
        ),
        "schedules": (ScheduleInput(("MO", "TU"), datetime.time(9), datetime.time(18)),),
        "capacity_unit": ServiceCapacity.Unit.BED,
        "capacity_maximum": 12,
    } | changes
    return ServiceInput(**values)  # type: ignore[arg-type]


def test_agency_admin_adds_a_service_of_her_agency(people: Personas) -> None:
    service = service_create(
        actor=people.agency_admin, agency_id=people.crisis_centre.pk, data=_input(people)
    )
    capacity = service.capacities.get()
    assert (service.name_en, service.contact_phone, capacity.available, capacity.maximum) == (
        "Приют для женщин",
        "+77012345678",
        12,
        12,
    )


def test_service_creation_is_audited(people: Personas) -> None:
    service = service_create(
        actor=people.agency_admin, agency_id=people.crisis_centre.pk, data=_input(people)
    )
    event = AuditEvent.objects.get(action="directory.service_created")
    assert event.object_id == str(service.pk)


def test_case_worker_may_not_describe_services(people: Personas) -> None:
    with pytest.raises(Forbidden):
        service_create(actor=people.aigul, agency_id=people.crisis_centre.pk, data=_input(people))


def test_coordinator_may_not_describe_another_agencys_services(people: Personas) -> None:
    with pytest.raises(Forbidden):
        service_create(
            actor=_coordinator(people), agency_id=people.crisis_centre.pk, data=_input(people)
        )


def test_coordinator_describes_own_agencys_services(people: Personas) -> None:
    service = service_create(
        actor=_coordinator(people), agency_id=people.police.pk, data=_input(people)
    )
    assert service.agency_id == people.police.pk


def test_system_admin_describes_any_agencys_services(people: Personas) -> None:
    service = service_create(
        actor=people.system_admin, agency_id=people.health.pk, data=_input(people)
    )
    assert service.agency_id == people.health.pk


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name_kk": "", "name_ru": ""}, "name_kk"),
        ({"minimum_age": 30, "maximum_age": 17}, "maximum_age"),
        ({"languages": ("xx",)}, "languages"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"capacity_available": 20}, "capacity_available"),
        (
            {"schedules": (ScheduleInput(("MO",), datetime.time(18), datetime.time(9)),)},
            "schedules",
        ),
    ],
)
def test_bad_input_is_refused_by_field(
    people: Personas, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service_create(
            actor=people.agency_admin,
            agency_id=people.crisis_centre.pk,
            data=_input(people, **changes),
        )
    assert field in error.value.message_dict


def test_update_refuses_a_stale_version(people: Personas) -> None:
    service = service_create(
        actor=people.agency_admin, agency_id=people.crisis_centre.pk, data=_input(people)
    )
    with pytest.raises(ConcurrentUpdate):
        service_update(
            actor=people.agency_admin,
            service_id=service.pk,
            expected_version=service.version - 1,
            data=_input(people),
        )


def test_update_records_the_changed_fields(people: Personas) -> None:
    service = service_create(
        actor=people.agency_admin, agency_id=people.crisis_centre.pk, data=_input(people)
    )
    service_update(
        actor=people.agency_admin,
        service_id=service.pk,
        expected_version=service.version,
        data=_input(people, alert="Closed for repairs until Monday"),
    )
    event = AuditEvent.objects.get(action="directory.service_updated")
    assert event.data["fields"] == ["alert"]


def test_provider_worker_updates_free_places(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    capacity_set(actor=people.aigul, capacity_id=capacity.pk, available=2)
    capacity.refresh_from_db()
    assert (capacity.available, capacity.updated_by_id) == (2, people.aigul.user.pk)


def test_free_places_update_is_audited(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    capacity_set(actor=people.aigul, capacity_id=capacity.pk, available=2)
    event = AuditEvent.objects.get(action="directory.capacity_updated")
    assert (event.data["before"], event.data["available"]) == (3, 2)


def test_another_agency_may_not_update_free_places(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    with pytest.raises(Forbidden):
        capacity_set(actor=people.outsider, capacity_id=capacity.pk, available=0)


def test_free_places_cannot_exceed_the_maximum(people: Personas) -> None:
    capacity = service_build(
        people.crisis_centre, people.shelter_service, free=3, maximum=5
    ).capacities.get()
    with pytest.raises(ValidationError):
        capacity_set(actor=people.aigul, capacity_id=capacity.pk, available=6)


def test_two_workers_at_once_do_not_lose_an_update(people: Personas) -> None:
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    seen = capacity.version
    capacity_set(actor=people.aigul, capacity_id=capacity.pk, available=2, expected_version=seen)
    with pytest.raises(ConcurrentUpdate):
        capacity_set(
            actor=people.agency_admin, capacity_id=capacity.pk, available=2, expected_version=seen
        )
