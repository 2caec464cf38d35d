"""Needs and the support plan (HTCDS spl_), linked to the referrals that deliver them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.protection.models import SupportPlan
from tirek.protection.support import SupportPlanInput, support_plan_add, support_plan_update
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def _need(**changes):
    data = {"type": "Health", "objectives": "Dental treatment"} | changes
    return SupportPlanInput(**data)


def test_need_is_added_with_one_event(people):
    case = case_build(people.aigul)
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    event = case.events.get(kind=CaseEvent.Kind.SUPPORT_PLAN_ADDED)
    assert (plan.status, event.data["type"], event.section) == ("needed", "Health", "support")


def test_need_links_to_a_referral_of_the_case(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    plan = support_plan_add(
        actor=people.aigul,
        case_id=case.pk,
        data=_need(type="Livelihood", objectives="A job", referral_id=referral.pk),
    )
    assert referral.support_plans.get() == plan


def test_referral_of_another_case_is_refused(people):
    case = case_build(people.aigul)
    other = case_build(people.aigul, first_name="Other")
    referral = referral_build(
        people.aigul, other, to=people.employment, service=people.employment_service
    )
    with pytest.raises(ValidationError) as error:
        support_plan_add(actor=people.aigul, case_id=case.pk, data=_need(referral_id=referral.pk))
    assert list(error.value.message_dict) == ["referral"]


def test_dates_out_of_order_and_done_without_end_are_all_reported(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        support_plan_add(
            actor=people.aigul,
            case_id=case.pk,
            data=_need(
                status="done",
                planned_start_date=datetime.date(2026, 5, 1),
                planned_end_date=datetime.date(2026, 4, 1),
            ),
        )
    assert sorted(error.value.message_dict) == ["actual_end_date", "planned_end_date"]


def test_update_changes_status_and_records_from_and_to(people):
    case = case_build(people.aigul)
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    plan = support_plan_update(
        actor=people.aigul,
        plan_id=plan.pk,
        data=_need(status="in_progress", actual_start_date=datetime.date(2026, 1, 5)),
        expected_version=plan.version,
    )
    event = case.events.get(kind=CaseEvent.Kind.SUPPORT_PLAN_UPDATED)
    assert (plan.status, event.data["from"], event.data["to"]) == (
        "in_progress",
        "needed",
        "in_progress",
    )


def test_stale_update_is_refused(people):
    case = case_build(people.aigul)
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    support_plan_update(actor=people.aigul, plan_id=plan.pk, data=_need(), expected_version=1)
    with pytest.raises(ConcurrentUpdate):
        support_plan_update(actor=people.aigul, plan_id=plan.pk, data=_need(), expected_version=1)


def test_receiver_cannot_change_the_plan(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=["identity", "support"],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    with pytest.raises(Forbidden):
        support_plan_add(actor=people.dana, case_id=case.pk, data=_need())


def test_outsider_cannot_add(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        support_plan_add(actor=people.outsider, case_id=case.pk, data=_need())


# --- web -----------------------------------------------------------------------------------


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


def test_add_from_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:support_plan_add", args=[case.pk]),
        {"type": "Legal", "status": "needed", "objectives": "Lawyer for the hearing"},
    )
    assert (response.status_code, SupportPlan.objects.get().objectives) == (
        302,
        "Lawyer for the hearing",
    )


def test_add_without_objectives_shows_the_error(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:support_plan_add", args=[case.pk]),
        {"type": "Legal", "status": "needed"},
    )
    assert (response.status_code, SupportPlan.objects.count()) == (422, 0)


def test_the_plan_is_on_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    page = aigul_client.get(tab_url(case.pk, "protection")).content.decode()
    assert (
        "Dental treatment" in page,
        reverse("protection:support_plan_add", args=[case.pk]) in page,
    ) == (
        True,
        True,
    )


def test_update_from_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    aigul_client.post(
        reverse("protection:support_plan_update", args=[plan.pk]),
        {
            "type": "Health",
            "status": "planned",
            "objectives": "Dental treatment",
            "planned_start_date": "10.04.2026",
            "expected_version": "1",
        },
    )
    plan.refresh_from_db()
    assert (plan.status, plan.planned_start_date) == ("planned", datetime.date(2026, 4, 10))


# --- API -----------------------------------------------------------------------------------


def test_api_uses_htcds_names(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    created = api.post(
        f"/cases/{case.pk}/support-plans",
        {
            "spl_Type": "Education",
            "spl_Objectives": "Finish school",
            "spl_PlannedEndDate": "2026-12-31",
        },
    )
    listed = api.get(f"/cases/{case.pk}/support-plans").json()
    assert (created.status_code, listed[0]["spl_Type"], listed[0]["spl_PlannedEndDate"]) == (
        201,
        "Education",
        "2026-12-31",
    )


def test_api_error_names_the_htcds_field(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/support-plans", {"spl_Type": "Magic", "spl_Objectives": "x"}
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["spl_Type"])


def test_api_update_with_version(people):
    case = case_build(people.aigul)
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    response = ApiClient(people.aigul).put(
        f"/support-plans/{plan.pk}",
        {"version": 1, "spl_Type": "Health", "spl_Objectives": "Dentist", "status": "planned"},
    )
    assert (response.status_code, response.json()["version"]) == (200, 2)


def test_api_receiver_without_support_section_sees_no_plan(people):
    case = case_build(people.aigul)
    support_plan_add(actor=people.aigul, case_id=case.pk, data=_need())
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    assert ApiClient(people.dana).get(f"/cases/{case.pk}/support-plans").json() == []


def test_api_receiver_granted_support_does_not_see_other_referrals(people):
    case = case_build(people.aigul)
    police = referral_build(
        people.aigul, case, to=people.police, service=people.investigation_service
    )
    support_plan_add(actor=people.aigul, case_id=case.pk, data=_need(referral_id=police.pk))
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=["identity", "support"],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    listed = ApiClient(people.dana).get(f"/cases/{case.pk}/support-plans").json()
    assert (len(listed), listed[0]["referral_id"]) == (1, None)
