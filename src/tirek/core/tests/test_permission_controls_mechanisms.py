"""Positive controls of the permission matrix: referral mechanisms (drafts, steps, import,
comparison) and working calendars, kept by coordinators. See ``controls``."""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, web
from tirek.mechanisms.calendars import calendar_save
from tirek.mechanisms.models import CalendarDay, Mechanism, Step, WorkingCalendar
from tirek.mechanisms.rules import StepInput
from tirek.mechanisms.services import mechanism_create, step_save
from tirek.statistics.tests.support import member
from tirek.testing.personas import Personas


class World(controls.World):
    """A coordinator and her draft mechanism of Almaty with one step, built when named."""

    @cached_property
    def coordinator(self) -> Actor:
        commission = Agency.objects.create(
            name="Test Coordinating Commission",
            type=Agency.Type.COMMISSION,
            place=self.people.almaty,
        )
        return member("matrix-coordinator", commission, Role.COORDINATOR)

    @cached_property
    def draft(self) -> Mechanism:
        draft = mechanism_create(
            actor=self.coordinator, territory_id=self.people.almaty.pk, title="Almaty draft"
        )
        step_save(
            actor=self.coordinator,
            mechanism_id=draft.pk,
            expected_version=draft.version,
            data=StepInput(
                code="police", stage="identification", name_en="Police", agency_type="NGO"
            ),
        )
        draft.refresh_from_db()
        return draft

    @cached_property
    def step(self) -> Step:
        return self.draft.steps.get()

    @cached_property
    def almaty(self) -> Any:
        """Almaty, with its working calendar."""
        calendar_save(
            actor=self.coordinator, territory_id=self.people.almaty.pk, weekend_days=[5, 6]
        )
        return self.people.almaty


def _coordinator(w: World) -> Actor:
    return w.coordinator


def _step_data(w: World, **changes: str) -> dict[str, str]:
    return {
        "version": str(w.draft.version),
        "stage": "first_assistance",
        "code": "shelter",
        "name_en": "Shelter placement",
        "action": "act",
        "agency_type": Agency.Type.NGO,
        "deadline_value": "24",
        "deadline_unit": "hours",
        "counted_from": "stage_entered",
        "escalate_after": "12",
        "age_group": "any",
        "citizenship": "any",
    } | changes


def _exported(w: World) -> dict[str, Any]:
    return {
        "format": "tirek-mechanism",
        "format_version": 1,
        "territory": "test-almaty",
        "title": "Imported",
        "steps": [],
    }


def _calendar_file(w: World) -> dict[str, Any]:
    csv = b"date,kind,name_en,name_ru,name_kk\n2026-12-17,holiday,Matrix,,\n"
    return {"file": SimpleUploadedFile("days.csv", csv, content_type="text/csv")}


MECHANISMS = lambda w: Mechanism.objects.count()  # noqa: E731
DRAFT = lambda w: Mechanism.objects.values_list("version", flat=True).get(pk=w.draft.pk)  # noqa: E731
DAYS = lambda w: CalendarDay.objects.count()  # noqa: E731
CONTROLS: dict[str, Control] = {
    "POST mechanisms:new": web(
        "POST",
        "mechanisms:new",
        "",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {"territory": str(w.people.almaty.pk), "title": "A new draft"},
        state=MECHANISMS,
    ),
    "POST mechanisms:import": web(
        "POST",
        "mechanisms:import",
        "",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {
            "file": SimpleUploadedFile(
                "m.json", json.dumps(_exported(w)).encode(), content_type="application/json"
            )
        },
        state=MECHANISMS,
    ),
    "POST mechanisms:update": web(
        "POST",
        "mechanisms:update",
        "draft",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {"version": w.draft.version, "title": "Renamed", "reflection_days": "40"},
        state=DRAFT,
    ),
    "POST mechanisms:step_add": web(
        "POST",
        "mechanisms:step_add",
        "draft",
        _coordinator,
        302,
        refused=403,
        body=_step_data,
        state=DRAFT,
    ),
    "POST mechanisms:step_edit": web(
        "POST",
        "mechanisms:step_edit",
        "draft,step",
        _coordinator,
        302,
        refused=403,
        body=lambda w: _step_data(w, code="police", stage="identification"),
        state=DRAFT,
    ),
    "DELETE /mechanisms/{mechanism_id}/steps/{step_id}": api(
        "DELETE",
        "/mechanisms/{w.draft.pk}/steps/{w.step.pk}?version={w.draft.version}",
        _coordinator,
        200,
        refused=403,
        state=lambda w: Step.objects.count(),
    ),
    # every persona compares two versions; the matrix asks without naming them
    "GET /mechanisms/compare": api(
        "GET",
        "/mechanisms/compare?left={w.draft.pk}&right={w.draft.pk}",
        _coordinator,
        200,
        refused=200,
    ),
    # working calendars
    "POST mechanisms:calendars": web(
        "POST",
        "mechanisms:calendars",
        "",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {"territory": str(w.people.almaty.pk), "weekend_days": ["5", "6"]},
        state=lambda w: WorkingCalendar.objects.count(),
    ),
    "POST mechanisms:calendar_day_add": web(
        "POST",
        "mechanisms:calendar_day_add",
        "almaty",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {"date": "25.12.2026", "kind": "holiday", "name_kk": "Қала күні"},
        state=DAYS,
    ),
    "POST mechanisms:calendar_import": web(
        "POST",
        "mechanisms:calendar_import",
        "almaty",
        _coordinator,
        302,
        refused=403,
        body=_calendar_file,
        state=DAYS,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
