"""Named personas per agency for tests: who is who in a fictional Almaty mechanism."""

from __future__ import annotations

from dataclasses import dataclass

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.directory.models import Place, ServiceType

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - test persona password


@dataclass
class Personas:
    """Agencies and one actor per persona. ``outsider`` is never in a case's circle."""

    almaty: Place
    crisis_centre: Agency
    police: Agency
    employment: Agency
    embassy: Agency
    health: Agency
    shelter_service: ServiceType
    employment_service: ServiceType
    investigation_service: ServiceType
    aigul: Actor  # NGO crisis centre case worker
    nurlan: Actor  # police investigator
    dana: Actor  # employment department case worker
    erlan: Actor  # embassy consular officer
    outsider: Actor  # health department case worker: no referral, no access
    agency_admin: Actor  # crisis centre agency administrator
    system_admin: Actor


def _actor(username: str, agency: Agency, role: str, email: str = "") -> Actor:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=email or f"{username}@example.org"
    )
    membership = Membership.objects.create(user=user, agency=agency, role=role)
    return Actor(user=user, membership=membership)


def personas_create() -> Personas:
    almaty = Place.objects.create(
        kind=Place.Kind.CITY,
        code="test-almaty",
        name_en="Almaty",
        name_ru="Алматы",
        name_kk="Алматы",
    )
    shelter = ServiceType.objects.create(
        code="test-shelter", name_en="Shelter", name_ru="Приют", name_kk="Баспана"
    )
    employment_service = ServiceType.objects.create(
        code="test-employment",
        name_en="Employment support",
        name_ru="Содействие занятости",
        name_kk="Жұмыспен қамтуға жәрдем",
    )
    investigation = ServiceType.objects.create(
        code="test-investigation",
        name_en="Criminal investigation",
        name_ru="Уголовное расследование",
        name_kk="Қылмыстық тергеу",
    )

    def agency(name: str, type_: str) -> Agency:
        return Agency.objects.create(name=name, type=type_, place=almaty)

    crisis = agency("Crisis Centre Test-Umit", Agency.Type.NGO)
    police = agency("Test City Police Department", Agency.Type.LAW_ENFORCEMENT)
    employment = agency("Test Department of Employment", Agency.Type.LOCAL_GOVERNMENT)
    embassy = agency("Embassy of Testland", Agency.Type.EMBASSY)
    health = agency("Test Department of Health", Agency.Type.HEALTH)
    crisis.services.add(shelter)
    employment.services.add(employment_service)
    police.services.add(investigation)
    return Personas(
        almaty=almaty,
        crisis_centre=crisis,
        police=police,
        employment=employment,
        embassy=embassy,
        health=health,
        shelter_service=shelter,
        employment_service=employment_service,
        investigation_service=investigation,
        aigul=_actor("aigul", crisis, Role.CASE_WORKER),
        nurlan=_actor("nurlan", police, Role.CASE_WORKER),
        dana=_actor("dana", employment, Role.CASE_WORKER),
        erlan=_actor("erlan", embassy, Role.CASE_WORKER),
        outsider=_actor("olzhas", health, Role.CASE_WORKER),
        agency_admin=_actor("admin-umit", crisis, Role.AGENCY_ADMIN),
        system_admin=_actor("sysadmin", crisis, Role.SYSTEM_ADMIN),
    )
