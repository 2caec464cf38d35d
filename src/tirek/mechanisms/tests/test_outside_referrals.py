"""A referral outside Tirek (a printed form) delivers a step of the case's checklist: the form
offers the open steps, and the outcome recorded by hand closes the step it serves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.selectors import case_view
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.tests.support import to_first_assistance
from tirek.protection.services import consent_withdraw
from tirek.referrals.forms import OutsideReferralForm
from tirek.referrals.models import OutsideReferral
from tirek.referrals.outside import outside_referral_outcome, outside_referral_record
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, consent_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(almaty: Mechanism, people: Personas) -> Case:
    case = case_build(people.aigul)
    return to_first_assistance(people.aigul, case)


def _item(case: Case, code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(case=case, step__code=code)


def _record(people: Personas, case: Case, **changes: object) -> OutsideReferral:
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    data = {
        "actor": people.aigul,
        "case_id": case.pk,
        "service_type_id": people.shelter_service.pk,
        "consent_id": consent.pk,
        "sections": [Section.IDENTITY],
        "organisation": "Test-Sana shelter",
        "step_id": _item(case, "shelter").pk,
    } | changes
    return outside_referral_record(**data)  # type: ignore[arg-type]


def test_the_form_offers_the_open_steps_of_the_checklist(case: Case, people: Personas) -> None:
    view = case_view(actor=people.aigul, case_id=case.pk)
    form = OutsideReferralForm(actor=people.aigul, view=view)
    offered = dict(form.fields["step"].choices)  # type: ignore[attr-defined]
    assert str(_item(case, "shelter").pk) in offered
    assert "Shelter" in str(offered[str(_item(case, "shelter").pk)])
    assert form.offers_steps


def test_a_delivered_outside_referral_closes_its_step_as_done(case: Case, people: Personas) -> None:
    outside = _record(people, case)
    item = _item(case, "shelter")
    assert item.outside_referral == outside and item.is_open
    sent = case.events.get(kind=CaseEvent.Kind.REFERRAL_SENT_OUTSIDE)
    assert sent.data["checklist_item_id"] == str(item.pk)
    outside_referral_outcome(actor=people.aigul, outside_referral_id=outside.pk, delivered=True)
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.DONE and item.closed_at is not None
    assert case.events.filter(kind=CaseEvent.Kind.REFERRAL_OUTSIDE_OUTCOME).count() == 1


def test_a_service_not_delivered_closes_the_step_as_not_done(case: Case, people: Personas) -> None:
    outside = _record(people, case)
    outside_referral_outcome(actor=people.aigul, outside_referral_id=outside.pk, delivered=False)
    assert _item(case, "shelter").status == ChecklistItem.Status.NOT_DONE


def test_without_a_step_the_outcome_closes_nothing(case: Case, people: Personas) -> None:
    outside = _record(people, case, step_id=None)
    outside_referral_outcome(actor=people.aigul, outside_referral_id=outside.pk, delivered=True)
    assert _item(case, "shelter").is_open


def test_a_step_being_delivered_is_offered_no_more(case: Case, people: Personas) -> None:
    _record(people, case)
    with pytest.raises(ValidationError) as raised:
        _record(people, case)
    assert "step" in raised.value.message_dict
    assert OutsideReferral.objects.count() == 1


def test_a_step_for_another_service_or_another_case_is_refused(
    case: Case, people: Personas
) -> None:
    other = to_first_assistance(people.aigul, case_build(people.aigul))
    with pytest.raises(ValidationError) as raised:
        _record(people, case, step_id=_item(other, "shelter").pk)
    assert raised.value.message_dict["step"] == ["Choose an open step of the case's checklist."]
    with pytest.raises(ValidationError) as raised:
        _record(people, case, service_type_id=people.employment_service.pk)
    assert raised.value.message_dict["step"] == ["This step is for another service."]
    assert not OutsideReferral.objects.exists()


def test_withdrawing_the_consent_cancels_the_step_it_served(case: Case, people: Personas) -> None:
    outside = _record(people, case)
    consent_withdraw(actor=people.aigul, consent_id=outside.consent_id, reason="Changed her mind")
    assert _item(case, "shelter").status == ChecklistItem.Status.CANCELLED


def test_the_htmx_form_shows_every_error_at_once_and_records_for_the_step(
    case: Case, people: Personas
) -> None:
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    client = SecureClient()
    client.force_login(people.aigul.user)
    url = reverse("referrals:outside_send", args=[case.pk])
    page = client.get(reverse("cases:detail", args=[case.pk]) + "?tab=referrals").content.decode()
    assert f'hx-post="{url}"' in page and 'name="step"' in page
    refused = client.post(url, {"consent": str(consent.pk)}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422
    body = refused.content.decode()
    assert 'id="case-page"' in body and "<html" not in body  # the partial, swapped in place
    assert "Choose a service from the list." not in body  # the form's own message instead
    assert "one of the two" in body and "at least one part" in body  # the service's too
    recorded = client.post(
        url,
        {
            "consent": str(consent.pk),
            "service_type": str(people.shelter_service.pk),
            "organisation": "Test-Sana shelter",
            "sections": ["identity"],
            "step": str(_item(case, "shelter").pk),
        },
        HTTP_HX_REQUEST="true",
        follow=True,
    )
    assert recorded.status_code == 200
    assert "data-focus-result" in recorded.content.decode()
    assert _item(case, "shelter").outside_referral is not None


def test_the_api_takes_the_step_and_the_checklist_names_the_referral(
    case: Case, people: Personas
) -> None:
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    item = _item(case, "shelter")
    aigul = ApiClient(people.aigul)
    payload = {
        "service_type_id": people.shelter_service.pk,
        "consent_id": str(consent.pk),
        "sections": ["identity"],
        "organisation": "Test-Sana shelter",
        "checklist_item_id": str(item.pk),
    }
    created = aigul.post(f"/cases/{case.pk}/outside-referrals", payload)
    assert created.status_code == 201, created.content
    again = aigul.post(f"/cases/{case.pk}/outside-referrals", payload)
    assert again.status_code == 400 and "checklist_item_id" in again.content.decode()
    aigul.post(f"/outside-referrals/{created.json()['id']}/outcome", {"delivered": True})
    checklist = aigul.get(f"/cases/{case.pk}/checklist").json()
    rows = {row["step_code"]: row for row in checklist["items"]}
    assert rows["shelter"]["outside_referral_id"] == created.json()["id"]
    assert rows["shelter"]["status"] == "done"
