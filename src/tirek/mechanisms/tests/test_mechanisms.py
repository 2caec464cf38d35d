"""Mechanisms as data: drafts, steps, one version in force per territory, the file format."""

from __future__ import annotations

import datetime
import json

import jsonschema_rs
import pytest
from django.core.exceptions import ValidationError

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState
from tirek.core.models import AuditEvent
from tirek.mechanisms.format import JSON_SCHEMA, mechanism_export
from tirek.mechanisms.models import Mechanism, Step
from tirek.mechanisms.rules import StepInput, deadline_add
from tirek.mechanisms.selectors import mechanism_steps, mechanisms_compare
from tirek.mechanisms.services import (
    mechanism_create,
    mechanism_import,
    mechanism_put_in_force,
    step_delete,
    step_save,
)
from tirek.testing.api import ApiClient
from tirek.testing.personas import Personas

pytestmark = pytest.mark.django_db


def police_step(**changes: object) -> StepInput:
    data = {
        "code": "police-informed",
        "stage": "identification",
        "name_en": "Police informed",
        "name_kk": "Полицияға хабарланды",
        "action": "notify",
        "agency_type": Agency.Type.LAW_ENFORCEMENT,
        "deadline_value": 24,
        "deadline_unit": "hours",
        "escalate_after": 24,
    } | changes
    return StepInput(**data)  # type: ignore[arg-type]


def draft_with_step(coordinator: Actor, people: Personas) -> Mechanism:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="Almaty")
    step_save(actor=coordinator, mechanism_id=mechanism.pk, expected_version=1, data=police_step())
    mechanism.refresh_from_db()
    return mechanism


def test_a_coordinator_drafts_a_mechanism_with_a_step_and_each_change_is_audited(
    coordinator: Actor, people: Personas
) -> None:
    mechanism = draft_with_step(coordinator, people)
    assert mechanism.status == Mechanism.Status.DRAFT
    assert mechanism.number == 1
    [step] = mechanism_steps(mechanism)
    assert (step.deadline_value, step.deadline_unit) == (24, "hours")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["mechanism.created", "mechanism.step_added"]


def test_case_workers_cannot_draft(people: Personas) -> None:
    with pytest.raises(Forbidden):
        mechanism_create(actor=people.aigul, territory_id=people.almaty.pk, title="Mine")


def test_a_stale_edit_is_refused(coordinator: Actor, people: Personas) -> None:
    mechanism = draft_with_step(coordinator, people)
    with pytest.raises(ConcurrentUpdate):
        step_save(
            actor=coordinator,
            mechanism_id=mechanism.pk,
            expected_version=1,
            data=police_step(code="other"),
        )


def test_bad_steps_are_refused_by_field(coordinator: Actor, people: Personas) -> None:
    mechanism = mechanism_create(actor=coordinator, territory_id=people.almaty.pk, title="A")
    with pytest.raises(ValidationError) as error:
        step_save(
            actor=coordinator,
            mechanism_id=mechanism.pk,
            expected_version=1,
            data=police_step(code="bad code!", deadline_value=0, agency_type="", stage="x"),
        )
    assert set(error.value.message_dict) >= {"code", "deadline_value", "agency_type", "stage"}


def test_one_version_in_force_per_territory_and_the_previous_is_retired(
    coordinator: Actor, people: Personas
) -> None:
    first = draft_with_step(coordinator, people)
    mechanism_put_in_force(actor=coordinator, mechanism_id=first.pk)
    second = mechanism_create(actor=coordinator, based_on_id=first.pk)
    assert second.number == 2 and second.steps.count() == 1
    mechanism_put_in_force(actor=coordinator, mechanism_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("retired", "in_force")
    with pytest.raises(InvalidState):  # a version in force is never edited
        step_delete(
            actor=coordinator,
            mechanism_id=second.pk,
            expected_version=second.version,
            step_id=second.steps.get().pk,
        )


def test_only_the_territorys_coordinating_body_puts_a_mechanism_in_force(
    coordinator: Actor, people: Personas
) -> None:
    from tirek.mechanisms.tests.conftest import member

    other = member("ngo-coordinator", people.crisis_centre, "coordinator")
    mechanism = draft_with_step(other, people)
    with pytest.raises(Forbidden):
        mechanism_put_in_force(actor=other, mechanism_id=mechanism.pk)
    mechanism_put_in_force(actor=coordinator, mechanism_id=mechanism.pk)


def test_export_validates_against_the_schema_and_round_trips(
    coordinator: Actor, people: Personas
) -> None:
    mechanism = draft_with_step(coordinator, people)
    step_save(
        actor=coordinator,
        mechanism_id=mechanism.pk,
        expected_version=mechanism.version,
        data=police_step(
            code="shelter",
            stage="first_assistance",
            action="act",
            agency_type="",
            agency_id=people.crisis_centre.pk,
            service_type_id=people.shelter_service.pk,
            age_group="child",
            citizenship="foreigner",
            exploitation=("ForcedLabour",),
            deadline_unit="working_days",
        ),
    )
    document = mechanism_export(mechanism, mechanism_steps(mechanism))
    jsonschema_rs.validator_for(JSON_SCHEMA).validate(json.loads(json.dumps(document)))
    copy = mechanism_import(actor=coordinator, document=document)
    again = mechanism_export(copy, mechanism_steps(copy))
    assert again["steps"] == document["steps"]
    assert all(row.kind == "same" for row in mechanisms_compare(mechanism, copy))


def test_a_bad_file_lists_every_problem_with_its_place(coordinator: Actor) -> None:
    document = {
        "format": "tirek-mechanism",
        "format_version": 1,
        "territory": "nowhere",
        "title": "X",
        "steps": [
            {
                "code": "a",
                "stage": "identification",
                "title": {"en": "A"},
                "action": "act",
                "responsible": {"agency": "No Such Agency"},
                "deadline": {"value": "soon", "unit": "weeks"},
            },
            {
                "code": "a",
                "stage": "moon",
                "title": {},
                "action": "act",
                "responsible": {"agency_type": "Police"},
                "colour": "red",
            },
        ],
    }
    with pytest.raises(ValidationError) as error:
        mechanism_import(actor=coordinator, document=document)
    messages = error.value.message_dict["file"]
    text = "\n".join(messages)
    assert "territory" in text
    assert "steps[1].responsible.agency" in text
    assert "steps[1].deadline.value" in text
    assert "steps[2]" in text and "colour" in text
    assert not Mechanism.objects.exists()
    with pytest.raises(ValidationError, match="one JSON object"):
        mechanism_import(actor=coordinator, document=[1, 2])


def test_comparison_shows_what_differs_step_by_step(coordinator: Actor, people: Personas) -> None:
    left = draft_with_step(coordinator, people)
    right = mechanism_create(actor=coordinator, based_on_id=left.pk, title="Group 2")
    step = right.steps.get()
    step_save(
        actor=coordinator,
        mechanism_id=right.pk,
        expected_version=right.version,
        data=police_step(deadline_value=12),
        step_id=step.pk,
    )
    right.refresh_from_db()
    step_save(
        actor=coordinator,
        mechanism_id=right.pk,
        expected_version=right.version,
        data=police_step(code="embassy", agency_type=Agency.Type.EMBASSY),
    )
    rows = {row.code: row for row in mechanisms_compare(left, right)}
    assert rows["police-informed"].kind == "changed"
    assert rows["police-informed"].differences == {"deadline_value"}
    assert rows["embassy"].kind == "added"


def test_working_days_skip_the_weekend() -> None:
    friday = datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC)
    assert deadline_add(friday, 1, Step.Unit.WORKING_DAYS).weekday() == 0
    assert deadline_add(friday, 3, Step.Unit.WORKING_DAYS) == friday + datetime.timedelta(days=5)


def test_api_reads_for_everyone_and_writes_for_coordinators(
    coordinator: Actor, people: Personas
) -> None:
    worker, boss = ApiClient(people.aigul), ApiClient(coordinator)
    created = boss.post("/mechanisms", {"territory_id": people.almaty.pk, "title": "Almaty"})
    assert created.status_code == 201, created.content
    mechanism = created.json()
    added = boss.post(
        f"/mechanisms/{mechanism['id']}/steps",
        {
            "version": mechanism["version"],
            "code": "police",
            "stage": "identification",
            "name_en": "Police informed",
            "agency_type": "LawEnforcement",
            "deadline_value": 24,
        },
    )
    assert added.status_code == 201, added.content
    assert worker.get(f"/mechanisms/{mechanism['id']}").json()["steps"][0]["code"] == "police"
    refused = worker.post("/mechanisms", {"territory_id": people.almaty.pk, "title": "x"})
    assert refused.status_code == 403
    bad = boss.post(
        f"/mechanisms/{mechanism['id']}/steps",
        {
            "version": added.json()["version"],
            "code": "x",
            "stage": "identification",
            "name_en": "X",
            "agency_type": "LawEnforcement",
            "deadline_unit": "weeks",
        },
    )
    assert bad.status_code == 400 and "deadline_unit" in bad.content.decode()
    exported = worker.get(f"/mechanisms/{mechanism['id']}/export").json()
    imported = boss.post("/mechanisms/import", exported)
    assert imported.status_code == 201
    compared = worker.get(
        f"/mechanisms/compare?left={mechanism['id']}&right={imported.json()['id']}"
    )
    assert compared.json()["steps"][0]["kind"] == "same"
    in_force = boss.post(f"/mechanisms/{mechanism['id']}/in-force")
    assert in_force.json()["status"] == "in_force"
    broken = boss.post("/mechanisms/import", {"format": "tirek-mechanism", "format_version": 1})
    assert broken.status_code == 400
