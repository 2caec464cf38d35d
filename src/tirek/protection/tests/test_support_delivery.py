"""The agency providing a support (through an accepted referral granting the support section)
records how it goes; no other agency can."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.protection.support import (
    SupportPlanInput,
    support_delivery_record,
    support_plan_add,
)
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

SECTIONS = ["identity", "support"]


def _world(people):
    """A need delivered by the employment department (dana); the police (nurlan) are also granted
    the support section, for another service."""
    case = case_build(people.aigul)
    job = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=SECTIONS,
    )
    referral_accept(actor=people.dana, referral_id=job.pk)
    police = referral_build(
        people.aigul,
        case,
        to=people.police,
        service=people.investigation_service,
        sections=SECTIONS,
    )
    referral_accept(actor=people.nurlan, referral_id=police.pk)
    plan = support_plan_add(
        actor=people.aigul,
        case_id=case.pk,
        data=SupportPlanInput(type="Livelihood", objectives="A job", referral_id=job.pk),
    )
    return case, plan


def _record(actor, plan, **changes):
    today = timezone.localdate()
    data = {
        "status": "in_progress",
        "actual_start_date": today,
        "actual_end_date": None,
        "notes": "Started at the sewing workshop",
        "expected_version": plan.version,
    } | changes
    return support_delivery_record(actor=actor, plan_id=plan.pk, **data)


def test_the_provider_records_status_dates_and_notes_with_one_event(people):
    case, plan = _world(people)
    changed = _record(people.dana, plan)
    event = case.events.get(kind=CaseEvent.Kind.SUPPORT_DELIVERY_RECORDED)
    assert (changed.status, changed.delivery_notes, changed.objectives) == (
        "in_progress",
        "Started at the sewing workshop",
        "A job",
    )
    assert (event.data["from"], event.data["to"], "sewing" in str(event.data)) == (
        "needed",
        "in_progress",
        False,
    )


def test_another_receiver_with_the_section_is_refused(people):
    case, plan = _world(people)
    with pytest.raises(Forbidden):
        _record(people.nurlan, plan)
    plan.refresh_from_db()
    assert plan.status == "needed"


def test_the_owner_uses_the_full_form_not_this_one(people):
    _case, plan = _world(people)
    with pytest.raises(Forbidden):
        _record(people.aigul, plan)


def test_outsider_gets_not_found(people):
    _case, plan = _world(people)
    with pytest.raises(NotFound):
        _record(people.outsider, plan)


def test_a_provider_not_granted_the_support_section_gets_not_found(people):
    case = case_build(people.aigul)
    job = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=job.pk)
    plan = support_plan_add(
        actor=people.aigul,
        case_id=case.pk,
        data=SupportPlanInput(type="Livelihood", objectives="A job", referral_id=job.pk),
    )
    with pytest.raises(NotFound):
        _record(people.dana, plan)


def test_dates_are_checked_and_the_version_compared(people):
    _case, plan = _world(people)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _record(people.dana, plan, status="done", actual_start_date=tomorrow)
    assert sorted(error.value.message_dict) == ["actual_end_date", "actual_start_date"]
    with pytest.raises(ConcurrentUpdate):
        _record(people.dana, plan, expected_version=plan.version + 5)


def test_the_provider_sees_the_form_on_the_case_page_and_saves(people):
    case, plan = _world(people)
    client = SecureClient()
    client.force_login(people.dana.user)
    url = reverse("protection:support_delivery", args=[plan.pk])
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    refused = client.post(url, {"status": "done", "expected_version": plan.version})
    saved = client.post(
        url,
        {
            "status": "in_progress",
            "actual_start_date": timezone.localdate().isoformat(),
            "notes": "First week done",
            "expected_version": plan.version,
        },
    )
    plan.refresh_from_db()
    assert (url in page, refused.status_code, saved.status_code, plan.delivery_notes) == (
        True,
        422,
        302,
        "First week done",
    )


def test_another_receiver_has_no_form_and_the_post_is_refused(people):
    case, plan = _world(people)
    client = SecureClient()
    client.force_login(people.nurlan.user)
    url = reverse("protection:support_delivery", args=[plan.pk])
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    answer = client.post(url, {"status": "in_progress", "expected_version": plan.version})
    assert (url in page, answer.status_code) == (False, 403)


def test_api_for_the_provider_and_for_the_others(people):
    _case, plan = _world(people)
    body = {
        "version": plan.version,
        "status": "in_progress",
        "actual_start_date": timezone.localdate().isoformat(),
        "notes": "Placed",
    }
    path = f"/support-plans/{plan.pk}/delivery"
    police = ApiClient(people.nurlan).post(path, body)
    outsider = ApiClient(people.outsider).post(path, body)
    provider = ApiClient(people.dana).post(path, body)
    assert (police.status_code, outsider.status_code, provider.status_code) == (403, 404, 200)
    assert (provider.json()["status"], provider.json()["delivery_notes"]) == (
        "in_progress",
        "Placed",
    )
