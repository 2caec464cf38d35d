"""A failed form shows all its errors at once: the error of a field that could not be read
beside the errors of the rules (the services' own pure functions) over the fields that could.
The API answers every rule's error in one body."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tirek.casework.forms import AttachmentForm, TaskForm
from tirek.protection.children import child_mark
from tirek.protection.forms import (
    BestInterestsForm,
    ConsentForm,
    GuardianForm,
    PerpetratorForm,
    ReflectionEndForm,
    ReflectionExtendForm,
    ReflectionStartForm,
    ReturnPlanForm,
    RiskAssessmentForm,
    SafetyPlanForm,
    SupportDeliveryForm,
    SupportPlanForm,
)
from tirek.protection.models import SupportPlan
from tirek.protection.reflection import reflection_start
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient


def _day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# (form, data, the field whose own check fails, the field a rule refuses)
CASES = {
    "reflection start": (
        lambda people: ReflectionStartForm(
            {"starts_on": _day(3), "days": "a month"}, default_days=30
        ),
        "days",
        "starts_on",
    ),
    "reflection start, too short": (
        lambda people: ReflectionStartForm(
            {"starts_on": "31.02.2026", "days": "10"}, default_days=30
        ),
        "starts_on",
        "days",
    ),
    "reflection extension": (
        lambda people: ReflectionExtendForm({"days": "0", "reason": "Doctor's advice"}),
        "expected_version",
        "days",
    ),
    "reflection end before its start": (
        lambda people: ReflectionEndForm(
            {"outcome": "", "ended_on": _day(-10), "expected_version": "1"},
            starts_on=timezone.localdate() - datetime.timedelta(days=5),
        ),
        "outcome",
        "ended_on",
    ),
    "risk assessment": (
        lambda people: RiskAssessmentForm({"level": "", "assessed_on": _day(2)}),
        "level",
        "assessed_on",
    ),
    "safety plan": (
        lambda people: SafetyPlanForm({"measures": "", "review_on": _day(-2)}),
        "measures",
        "review_on",
    ),
    "support plan, planned end before start": (
        lambda people: SupportPlanForm(
            {
                "type": "",
                "status": "planned",
                "objectives": "Dental treatment",
                "planned_start_date": _day(20),
                "planned_end_date": _day(10),
            }
        ),
        "type",
        "planned_end_date",
    ),
    "support delivery, end before start": (
        lambda people: SupportDeliveryForm(
            {"status": "", "actual_start_date": _day(-2), "actual_end_date": _day(-5)}
        ),
        "status",
        "actual_end_date",
    ),
    "guardian": (
        lambda people: GuardianForm({"name": "", "relation": "parent", "appointed_on": _day(5)}),
        "name",
        "appointed_on",
    ),
    "best interests": (
        lambda people: BestInterestsForm(
            {"assessment": "", "decision": "family_reunification", "assessed_on": _day(5)}
        ),
        "assessment",
        "assessed_on",
    ),
    "perpetrator": (
        lambda people: PerpetratorForm({"sex": "U", "roles": [], "name": "x" * 201}),
        "roles",
        "name",
    ),
    "return plan": (
        lambda people: ReturnPlanForm({"destination_country": "", "returned_on": _day(5)}),
        "destination_country",
        "returned_on",
    ),
    "consent": (
        lambda people: ConsentForm(
            {"purpose": "everything", "method": "written", "given_on": _day(3)},
            actor=people.aigul,
        ),
        "purpose",
        "sections",
    ),
    "task": (
        lambda people: TaskForm(
            {"title": "", "due_on": _day(6 * 366), "owner": str(people.aigul.user.pk)},
            actor=people.aigul,
        ),
        "title",
        "due_on",
    ),
    "document": (
        lambda people: AttachmentForm(
            {"kind": ""}, {"file": SimpleUploadedFile("notes.txt", b"plain text, not a PDF")}
        ),
        "kind",
        "file",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_a_failed_form_shows_the_field_error_and_the_rule_error(people, name):
    build, field, ruled = CASES[name]
    form = build(people)
    assert (form.is_valid(), field in form.errors, ruled in form.errors) == (False, True, True)


def test_consent_of_a_child_names_the_missing_guardian_beside_other_errors(people):
    case = child_mark(actor=people.aigul, case_id=case_build(people.aigul).pk, is_child=True)
    form = ConsentForm(
        {"purpose": "referral", "method": "guardian", "given_on": _day(3)},
        actor=people.aigul,
        case=case,
    )
    form.is_valid()
    assert sorted(form.errors) == ["given_on", "method", "sections"]


def test_an_error_a_field_has_is_not_repeated_by_the_rule(people):
    form = SafetyPlanForm({"measures": ""})
    form.is_valid()
    assert len(form.errors["measures"]) == 1


def test_a_valid_form_passes_its_rules(people):
    form = SupportPlanForm(
        {
            "type": "Health",
            "status": "planned",
            "objectives": "Dental treatment",
            "planned_start_date": _day(10),
            "planned_end_date": _day(20),
        }
    )
    assert form.is_valid()


# --- the page and the API --------------------------------------------------------------------


def test_the_page_shows_a_missing_field_and_dates_out_of_order_together(people):
    case = case_build(people.aigul)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("protection:support_plan_add", args=[case.pk]),
        {
            "type": "Health",
            "status": "planned",
            "objectives": "",
            "planned_start_date": _day(20),
            "planned_end_date": _day(10),
        },
    )
    page = response.content.decode()
    assert (
        response.status_code,
        "This field is required." in page,
        "The end cannot be before the start." in page,
        SupportPlan.objects.count(),
    ) == (422, True, True, 0)


def test_the_end_of_a_reflection_period_before_its_start_shows_with_the_missing_outcome(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("protection:reflection_end", args=[period.pk]),
        {"ended_on": _day(-40), "expected_version": str(period.version)},
    )
    page = response.content.decode()
    assert (
        response.status_code,
        "This field is required." in page,
        "The end cannot be before the start." in page,
    ) == (422, True, True)


def test_the_api_answers_every_rule_in_one_body(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/support-plans",
        {
            "spl_Type": "Health",
            "spl_Objectives": "",
            "status": "done",
            "planned_start_date": _day(20),
            "spl_PlannedEndDate": _day(10),
        },
    )
    assert (response.status_code, sorted(response.json()["errors"])) == (
        400,
        ["spl_ActualEndDate", "spl_Objectives", "spl_PlannedEndDate"],
    )


def test_the_api_answers_a_bad_extension_and_a_missing_reason_together(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    response = ApiClient(people.aigul).post(
        f"/reflection-periods/{period.pk}/extend",
        {"version": period.version, "days": 0, "reason": " "},
    )
    assert (response.status_code, sorted(response.json()["errors"])) == (400, ["days", "reason"])
