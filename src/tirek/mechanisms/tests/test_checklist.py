"""The case's checklist: steps of the mechanism in force when the case started, with due times."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.cases.models import Case, CaseEvent
from tirek.core.errors import Forbidden, InvalidState
from tirek.mechanisms.checklist import checklist_item_close, checklist_rows
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.services import mechanism_create, mechanism_put_in_force, step_save
from tirek.mechanisms.tests.support import NOW, _step, to_first_assistance
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


def codes(case: Case) -> set[str]:
    return set(ChecklistItem.objects.filter(case=case).values_list("step__code", flat=True))


def test_registration_makes_the_identification_steps_that_apply(
    almaty: Mechanism, people: Personas
) -> None:
    with time_machine.travel(NOW, tick=False):
        case = case_build(people.aigul)  # an adult citizen, forced labour
    assert codes(case) == {"police-informed"}
    item = ChecklistItem.objects.get(case=case)
    assert item.due_at == NOW + datetime.timedelta(hours=24)
    assert item.escalate_at == NOW + datetime.timedelta(hours=36)
    assert case.mechanism_link.mechanism == almaty


def test_entering_a_stage_adds_its_steps_with_due_times(
    almaty: Mechanism, people: Personas
) -> None:
    case = case_build(people.aigul)
    with time_machine.travel(NOW, tick=False):
        to_first_assistance(people.aigul, case)
    assert codes(case) == {"police-informed", "shelter", "reflection", "labour-inspection"}
    due = dict(ChecklistItem.objects.filter(case=case).values_list("step__code", "due_at"))
    assert due["reflection"] == NOW + datetime.timedelta(days=30)
    assert due["labour-inspection"] == NOW + datetime.timedelta(days=3)
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STAGE_CHANGED)
    assert events.count() == 1


def test_a_foreign_child_gets_the_steps_for_children_and_foreigners(
    almaty: Mechanism, people: Personas
) -> None:
    twelve = timezone.localdate() - datetime.timedelta(days=12 * 365)  # a child on any day
    case = case_build(people.aigul, birth_date=twelve, citizenship=["UZB"])
    to_first_assistance(people.aigul, case)
    assert {"guardianship", "embassy"} <= codes(case)


def test_the_case_keeps_the_version_it_started_under(
    almaty: Mechanism, coordinator: Actor, people: Personas
) -> None:
    case = case_build(people.aigul)
    newer = mechanism_create(actor=coordinator, based_on_id=almaty.pk)
    step_save(
        actor=coordinator,
        mechanism_id=newer.pk,
        expected_version=newer.version,
        data=_step("new-step", "first_assistance"),
    )
    mechanism_put_in_force(actor=coordinator, mechanism_id=newer.pk)
    to_first_assistance(people.aigul, case)
    assert "new-step" not in codes(case)
    assert set(
        ChecklistItem.objects.filter(case=case).values_list("step__mechanism", flat=True)
    ) == {almaty.pk}
    later = case_build(people.aigul, first_name="Second")
    assert later.mechanism_link.mechanism_id == newer.pk


def test_no_mechanism_in_force_means_no_checklist(people: Personas) -> None:
    case = case_build(people.aigul)
    assert not ChecklistItem.objects.filter(case=case).exists()


def test_the_owner_closes_a_step_by_hand_once(almaty: Mechanism, people: Personas) -> None:
    case = case_build(people.aigul)
    item = ChecklistItem.objects.get(case=case)
    closed = checklist_item_close(
        actor=people.aigul, item_id=item.pk, outcome="done", expected_version=item.version
    )
    assert closed.status == "done" and closed.closed_by == people.aigul.user
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CHECKLIST_STEP_CLOSED)
    assert event.data["step"] == "police-informed"
    with pytest.raises(InvalidState):
        checklist_item_close(
            actor=people.aigul, item_id=item.pk, outcome="done", expected_version=closed.version
        )


def test_a_receiver_neither_sees_nor_closes_the_checklist(
    almaty: Mechanism, people: Personas
) -> None:
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    item = ChecklistItem.objects.get(case=case)
    with pytest.raises(Forbidden):
        checklist_item_close(
            actor=people.dana, item_id=item.pk, outcome="done", expected_version=item.version
        )
    answer = ApiClient(people.dana).get(f"/cases/{case.pk}/checklist")
    assert answer.status_code == 200 and answer.json()["items"] == []


def test_the_referral_for_the_service_is_shown_and_who_must_act(
    almaty: Mechanism, people: Personas
) -> None:
    case = case_build(people.aigul)
    to_first_assistance(people.aigul, case)
    rows = {row.item.step.code: row for row in checklist_rows(case)}
    assert rows["shelter"].responsible == people.crisis_centre  # not referred yet: the owner
    referral = referral_build(people.aigul, case, to=people.police, service=people.shelter_service)
    rows = {row.item.step.code: row for row in checklist_rows(case)}
    assert rows["shelter"].referral == referral
    assert rows["shelter"].responsible == people.police


def test_overdue_steps_come_first_on_the_case_page_and_in_the_api(
    almaty: Mechanism, people: Personas
) -> None:
    with time_machine.travel(NOW, tick=False):
        case = case_build(people.aigul)
        to_first_assistance(people.aigul, case)
    with time_machine.travel(NOW + datetime.timedelta(hours=30), tick=False):
        api = ApiClient(people.aigul).get(f"/cases/{case.pk}/checklist").json()
        assert api["items"][0]["overdue"] is True
        assert {i["step_code"] for i in api["items"] if i["overdue"]} == {
            "police-informed",
            "shelter",
        }
        client = SecureClient()
        client.force_login(people.aigul.user)
        page = client.get(reverse("cases:detail", args=[case.pk]) + "?tab=mechanism")
        text = page.content.decode()
        assert page.status_code == 200
        assert "Overdue" in text and "Police informed" in text
        item = ChecklistItem.objects.get(case=case, step__code="shelter")
        closed = client.post(
            reverse("mechanisms:checklist_close", args=[item.pk]),
            {"version": item.version, "outcome": "not_done"},
        )
        assert closed.status_code == 302
        item.refresh_from_db()
        assert item.status == "not_done" and item.closed_at == timezone.now()
