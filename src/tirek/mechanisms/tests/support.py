"""Helpers shared by the checklist and deadline tests."""

from __future__ import annotations

import datetime

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.cases.lifecycle import case_stage_change
from tirek.cases.models import Case
from tirek.directory.models import Place
from tirek.mechanisms.models import Mechanism
from tirek.mechanisms.rules import StepInput
from tirek.mechanisms.services import mechanism_create, mechanism_put_in_force, step_save
from tirek.testing.personas import Personas

NOW = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)  # a Monday


def _step(code: str, stage: str, **changes: object) -> StepInput:
    data = {
        "code": code,
        "stage": stage,
        "name_en": code.replace("-", " ").capitalize(),
        "action": "act",
        "agency_type": Agency.Type.NGO,
        "deadline_value": 24,
        "deadline_unit": "hours",
        "escalate_after": 12,
    } | changes
    return StepInput(**data)  # type: ignore[arg-type]


def mechanism_in_force(
    coordinator: Actor,
    people: Personas,
    steps: list[StepInput],
    *,
    territory: Place | None = None,
    title: str = "Almaty",
) -> Mechanism:
    place = territory or people.almaty
    mechanism = mechanism_create(actor=coordinator, territory_id=place.pk, title=title)
    for data in steps:
        mechanism.refresh_from_db()
        step_save(
            actor=coordinator,
            mechanism_id=mechanism.pk,
            expected_version=mechanism.version,
            data=data,
        )
    mechanism_put_in_force(actor=coordinator, mechanism_id=mechanism.pk)
    mechanism.refresh_from_db()
    return mechanism


def to_first_assistance(actor: Actor, case: Case) -> Case:
    case.refresh_from_db()
    return case_stage_change(
        actor=actor, case_id=case.pk, stage="first_assistance", expected_version=case.version
    )
