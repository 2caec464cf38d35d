"""Risk assessments, the case's risk flag, and the safety plan."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import Case, CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.protection.models import RiskAssessment, SafetyPlan
from tirek.protection.risk import risk_areas_of, risk_assess, safety_plan_save
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def _shared(people, case, sections):
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=sections,
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)


def test_factors_are_grouped_into_areas():
    assert risk_areas_of(["self_harm_thoughts", "family_threatened", "threats_received"]) == [
        "person",
        "family",
        "self_harm",
    ]


def test_assessment_sets_the_case_risk_level(people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=["threats_received"])
    case.refresh_from_db()
    assert case.risk_level == "high"


def test_latest_assessment_wins(people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=[])
    risk_assess(actor=people.aigul, case_id=case.pk, level="low", factors=[])
    assert Case.objects.get(pk=case.pk).risk_level == "low"


def test_assessment_event_has_codes_not_notes(people):
    case = case_build(people.aigul)
    risk_assess(
        actor=people.aigul,
        case_id=case.pk,
        level="medium",
        factors=["no_income"],
        notes="Brother owes money to the recruiter",
    )
    event = case.events.get(kind=CaseEvent.Kind.RISK_ASSESSED)
    assert (event.section, event.data["areas"], "Brother" in str(event.data)) == (
        "risk",
        ["retrafficking"],
        False,
    )


def test_unknown_level_and_factor_are_both_reported(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        risk_assess(actor=people.aigul, case_id=case.pk, level="extreme", factors=["bad"])
    assert sorted(error.value.message_dict) == ["factors", "level"]


def test_receiver_cannot_assess(people):
    case = case_build(people.aigul)
    _shared(people, case, ["identity", "risk"])
    with pytest.raises(Forbidden):
        risk_assess(actor=people.dana, case_id=case.pk, level="low", factors=[])


def test_outsider_cannot_assess(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        risk_assess(actor=people.outsider, case_id=case.pk, level="low", factors=[])


def test_safety_plan_is_created_then_changed_with_the_version(people):
    case = case_build(people.aigul)
    plan = safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Shelter address secret")
    plan = safety_plan_save(
        actor=people.aigul,
        case_id=case.pk,
        measures="Moved to another shelter",
        expected_version=plan.version,
    )
    assert (plan.version, plan.measures, SafetyPlan.objects.count()) == (
        2,
        "Moved to another shelter",
        1,
    )


def test_safety_plan_second_writer_is_refused(people):
    case = case_build(people.aigul)
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="First")
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Second", expected_version=1)
    with pytest.raises(ConcurrentUpdate):
        safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Third", expected_version=1)


def test_safety_plan_needs_measures(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        safety_plan_save(actor=people.aigul, case_id=case.pk, measures="  ")
    assert list(error.value.message_dict) == ["measures"]


# --- web -----------------------------------------------------------------------------------


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


def test_high_risk_is_flagged_on_the_case_page_and_in_the_list(aigul_client, people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=[])
    page = aigul_client.get(tab_url(case.pk, "protection")).content.decode()
    listing = aigul_client.get(reverse("cases:list")).content.decode()
    assert ("status-risk-high" in page, "High risk" in listing) == (True, True)


def test_receiver_without_risk_section_sees_no_flag(people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=["threats_received"])
    _shared(people, case, ["identity", "victim"])
    client = SecureClient()
    client.force_login(people.dana.user)
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    listing = client.get(reverse("cases:list")).content.decode()
    assert ("High risk" in page, "High risk" in listing, "Threats received" in page) == (
        False,
        False,
        False,
    )


def test_receiver_granted_risk_sees_the_assessment_but_no_form(people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=["threats_received"])
    _shared(people, case, ["identity", "risk"])
    client = SecureClient()
    client.force_login(people.dana.user)
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    assert (
        "Threats received" in page,
        reverse("protection:risk_assess", args=[case.pk]) in page,
    ) == (
        True,
        False,
    )


def test_assess_from_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:risk_assess", args=[case.pk]),
        {"level": "medium", "factors": ["pregnancy", "no_income"]},
    )
    assert (response.status_code, RiskAssessment.objects.get().factors) == (
        302,
        ["no_income", "pregnancy"],
    )


def test_assessment_without_level_shows_the_error(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:risk_assess", args=[case.pk]), {"factors": ["pregnancy"]}
    )
    assert (response.status_code, RiskAssessment.objects.count()) == (422, 0)


def test_stale_safety_plan_from_the_page_keeps_what_was_typed(aigul_client, people):
    case = case_build(people.aigul)
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="First")
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Second", expected_version=1)
    response = aigul_client.post(
        reverse("protection:safety_plan_save", args=[case.pk]),
        {"measures": "My careful text", "expected_version": "1"},
    )
    page = response.content.decode()
    assert (response.status_code, "My careful text" in page, "Someone else changed" in page) == (
        422,
        True,
        True,
    )


# --- API -----------------------------------------------------------------------------------


def test_api_assessment_and_safety_plan(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    created = api.post(
        f"/cases/{case.pk}/risk-assessments",
        {"level": "high", "factors": ["self_harm_thoughts"]},
    )
    plan = api.put(f"/cases/{case.pk}/safety-plan", {"version": 0, "measures": "Daily call"})
    fetched = api.get(f"/cases/{case.pk}/safety-plan").json()
    assert (created.status_code, created.json()["areas"], plan.status_code, fetched["version"]) == (
        201,
        ["self_harm"],
        200,
        1,
    )


def test_api_stale_safety_plan_is_409(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    api.put(f"/cases/{case.pk}/safety-plan", {"version": 0, "measures": "One"})
    response = api.put(f"/cases/{case.pk}/safety-plan", {"version": 0, "measures": "Two"})
    assert response.status_code == 409


def test_api_receiver_without_risk_section_gets_nothing(people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=[])
    safety_plan_save(actor=people.aigul, case_id=case.pk, measures="Secret shelter")
    _shared(people, case, ["identity"])
    api = ApiClient(people.dana)
    assert (
        api.get(f"/cases/{case.pk}/risk-assessments").json(),
        api.get(f"/cases/{case.pk}/safety-plan").status_code,
    ) == ([], 404)


def test_high_risk_is_in_the_header_on_every_tab(aigul_client, people):
    case = case_build(people.aigul)
    risk_assess(actor=people.aigul, case_id=case.pk, level="high", factors=[])
    page = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'class="tag flag danger"' in page


def test_the_case_list_filters_by_risk(aigul_client, people):
    risky = case_build(people.aigul, family_name="Riskova")
    case_build(people.aigul, family_name="Calmova")
    risk_assess(actor=people.aigul, case_id=risky.pk, level="high", factors=[])
    listing = aigul_client.get(reverse("cases:list") + "?risk=high").content.decode()
    assert ("Riskova" in listing, "Calmova" in listing) == (True, False)
