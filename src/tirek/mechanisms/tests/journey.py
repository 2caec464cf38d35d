"""The world of issue 11's "Done when" journey, shared by its API and Chromium tests.

Almaty's coordinating commission writes the mechanism as a file: a presumed victim, a foreign
national identified by the police, is placed in a crisis centre within 24 hours, gets medical
care and legal aid during first assistance, and her embassy is contacted for her return. Each
agency of the journey has one case worker; the employment department takes no part and stays
outside the circle. Deadlines are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.directory.models import ServiceType
from tirek.mechanisms.tests.conftest import member
from tirek.testing.personas import PASSWORD, Personas


@dataclass
class Journey:
    people: Personas
    coordinator: Actor
    hospital: Actor  # declines the medical referral
    clinic: Actor  # takes it when re-sent
    lawyer: Actor
    medical: ServiceType
    legal: ServiceType
    repatriation: ServiceType


def journey_build(people: Personas) -> Journey:
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    medical = ServiceType.objects.create(
        code="test-medical",
        name_en="Medical care",
        name_ru="Медицинская помощь",
        name_kk="Медициналық көмек",
    )
    legal = ServiceType.objects.create(
        code="test-legal", name_en="Legal aid", name_ru="Юридическая помощь", name_kk="Заң көмегі"
    )
    repatriation = ServiceType.objects.create(
        code="test-repatriation", name_en="Return home", name_ru="Возвращение", name_kk="Елге оралу"
    )

    def agency(name: str, type_: str, service: ServiceType) -> Agency:
        made = Agency.objects.create(name=name, type=type_, place=people.almaty)
        made.services.add(service)
        return made

    hospital = agency("Test City Hospital No 1", Agency.Type.HEALTH, medical)
    clinic = agency("Test Women's Clinic", Agency.Type.HEALTH, medical)
    legal_aid = agency("Test Legal Aid Bureau", Agency.Type.NGO, legal)
    people.embassy.services.add(repatriation)
    journey = Journey(
        people=people,
        coordinator=member("zhanar", commission, Role.COORDINATOR),
        hospital=member("asel", hospital, Role.CASE_WORKER),
        clinic=member("madina", clinic, Role.CASE_WORKER),
        lawyer=member("timur", legal_aid, Role.CASE_WORKER),
        medical=medical,
        legal=legal,
        repatriation=repatriation,
    )
    for actor in (journey.coordinator, journey.hospital, journey.clinic, journey.lawyer):
        actor.user.set_password(PASSWORD)
        actor.user.save()
    return journey


def mechanism_file(journey: Journey) -> dict[str, Any]:
    """Almaty's mechanism as its coordinators would write it (``docs/mechanisms.md``)."""
    people = journey.people

    def step(code: str, stage: str, en: str, **rest: Any) -> dict[str, Any]:
        return {"code": code, "stage": stage, "title": {"en": en}, "action": "act"} | rest

    return {
        "format": "tirek-mechanism",
        "format_version": 1,
        "territory": people.almaty.code,
        "title": "Almaty referral mechanism",
        "deadlines_illustrative": True,
        "steps": [
            step(
                "crisis-centre",
                "identification",
                "Placed in a crisis centre",
                responsible={"agency": people.crisis_centre.name},
                service=people.shelter_service.code,
                deadline={"value": 24, "unit": "hours", "escalate_after": 12},
            ),
            step(
                "medical-care",
                "first_assistance",
                "Medical examination and care",
                responsible={"agency_type": Agency.Type.HEALTH},
                service=journey.medical.code,
                deadline={"value": 3, "unit": "days", "escalate_after": 2},
            ),
            step(
                "legal-aid",
                "first_assistance",
                "Legal aid",
                responsible={"agency_type": Agency.Type.NGO},
                service=journey.legal.code,
                deadline={"value": 5, "unit": "working_days"},
            ),
            step(
                "embassy-contacted",
                "return",
                "Embassy contacted for the return",
                action="notify",
                responsible={"agency_type": Agency.Type.EMBASSY},
                service=journey.repatriation.code,
                deadline={"value": 3, "unit": "days", "escalate_after": 2},
                applies_to={"citizenship": "foreigner"},
            ),
        ],
    }


PERSON = {
    "prs_FirstName": "Testgul",
    "prs_MiddleName": "Fictionovna",
    "prs_SecondName": "Synthetova",
    "sex": "F",
    "prs_Birthdate": "1999-04-12",
    "prs_Citizenship": ["UZB"],  # a foreign national: her embassy is contacted for the return
    "prs_PrimaryLanguage": "ru",
}
VICTIM = {"vic_TypeOfExploitation": ["ForcedLabour"]}
