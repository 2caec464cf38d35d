"""Referrals outside Tirek: recorded under a consent, a printable form (PDF) carrying only the
consented parts, each download a recorded read, the outcome recorded by hand."""

from __future__ import annotations

import re
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tirek.cases.choices import Section
from tirek.cases.models import CaseEvent
from tirek.core.errors import InvalidState, NotFound
from tirek.protection.services import consent_withdraw
from tirek.referrals.models import OutsideReferral
from tirek.referrals.outside import (
    outside_referral_form,
    outside_referral_outcome,
    outside_referral_record,
)
from tirek.referrals.pdf import outside_form_context, outside_form_pdf
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, consent_build
from tirek.web.tests.support import SecureClient

PHONE = "+77015550199"


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names hide in object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"".join(parts)


@pytest.fixture
def case(people):
    return case_build(people.aigul, mobile_phone=PHONE)


def _record(people, case, **overrides):
    consent = overrides.pop("consent", None) or consent_build(
        people.aigul, case, sections=[Section.IDENTITY, Section.VICTIM]
    )
    data = {
        "actor": people.aigul,
        "case_id": case.pk,
        "service_type_id": people.shelter_service.pk,
        "consent_id": consent.pk,
        "sections": [Section.IDENTITY],
        "organisation": "Women's Rights Centre Test-Sana",
        "message": "Needs a safe place tonight.",
    } | overrides
    return outside_referral_record(**data)


def test_recorded_with_one_event_and_no_text_in_it(people, case):
    outside = _record(people, case)
    event = case.events.get(kind=CaseEvent.Kind.REFERRAL_SENT_OUTSIDE)
    assert event.data["outside_referral_id"] == str(outside.pk)
    assert "safe place" not in str(event.data)
    assert outside.recipient == "Women's Rights Centre Test-Sana"


def test_a_provider_or_a_named_organisation_not_both_nor_none(people, case):
    with pytest.raises(ValidationError) as raised:
        _record(people, case, organisation="", provider_id=None)
    assert "organisation" in raised.value.message_dict
    with pytest.raises(ValidationError):
        _record(people, case, provider_id=people.health.pk)  # and the organisation
    assert not OutsideReferral.objects.exists()


def test_the_consent_must_cover_the_provider_and_the_sections(people, case):
    narrow = consent_build(people.aigul, case, to=people.health, sections=[Section.IDENTITY])
    with pytest.raises(ValidationError) as raised:  # names one agency: no other organisation
        _record(people, case, consent=narrow)
    assert "consent" in raised.value.message_dict
    with pytest.raises(ValidationError):  # sections beyond the consent
        _record(
            people,
            case,
            consent=narrow,
            organisation="",
            provider_id=people.health.pk,
            sections=[Section.IDENTITY, Section.CONTACT],
        )
    ok = _record(people, case, consent=narrow, organisation="", provider_id=people.health.pk)
    assert ok.provider == people.health


def test_only_the_owner_records(people, case):
    with pytest.raises(NotFound):
        _record(people, case, actor=people.outsider)


def test_the_form_carries_only_the_consented_sections(people, case):
    outside = _record(people, case)  # identity only, though the consent has victim too
    form = outside_referral_form(actor=people.aigul, outside_referral_id=outside.pk)
    assert form.sections == {Section.IDENTITY}
    context = outside_form_context(form)
    assert context["has"][Section.IDENTITY] and not context["has"][Section.CONTACT]
    from django.template.loader import render_to_string

    html = render_to_string("referrals/outside_form.html", context)
    assert "Synthetova" in html and PHONE not in html


def test_each_download_is_a_recorded_read(people, case):
    outside = _record(people, case)
    before = case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).count()
    outside_referral_form(actor=people.aigul, outside_referral_id=outside.pk)
    read = case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).order_by("-seq").first()
    assert case.events.filter(kind=CaseEvent.Kind.CASE_VIEWED).count() == before + 1
    assert read.data == {"via": "referral_form", "sections": [Section.IDENTITY]}


def test_no_form_once_the_consent_is_withdrawn(people, case):
    outside = _record(people, case)
    consent_withdraw(actor=people.aigul, consent_id=outside.consent_id, reason="Changed her mind")
    with pytest.raises(InvalidState):
        outside_referral_form(actor=people.aigul, outside_referral_id=outside.pk)


def test_the_pdf_renders_kazakh_letters_with_an_embedded_dejavu_font(people, case):
    outside = _record(people, case)
    form = outside_referral_form(actor=people.aigul, outside_referral_id=outside.pk)
    with translation.override("kk"):
        pdf = outside_form_pdf(form)
    assert pdf.startswith(b"%PDF")
    assert b"DejaVu" in _inflated(pdf)  # the font is embedded, not looked up by the reader
    with translation.override("kk"):
        html = __import__("django.template.loader").template.loader.render_to_string(
            "referrals/outside_form.html", outside_form_context(form)
        )
    assert "Жолдама" in html  # the Kazakh template, in the letters DejaVu Sans covers


def test_the_outcome_is_recorded_by_hand_once(people, case):
    outside = _record(people, case)
    done = outside_referral_outcome(
        actor=people.aigul, outside_referral_id=outside.pk, delivered=True
    )
    assert done.outcome == "delivered"
    assert case.events.filter(kind=CaseEvent.Kind.REFERRAL_OUTSIDE_OUTCOME).count() == 1
    with pytest.raises(InvalidState):
        outside_referral_outcome(
            actor=people.aigul, outside_referral_id=outside.pk, delivered=False
        )
    with pytest.raises(NotFound):
        outside_referral_outcome(
            actor=people.outsider, outside_referral_id=outside.pk, delivered=False
        )


def test_web_record_download_and_outcome(people, case):
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("referrals:outside_send", args=[case.pk]),
        {
            "consent": str(consent.pk),
            "service_type": str(people.shelter_service.pk),
            "organisation": "Test-Sana",
            "sections": ["identity"],
        },
    )
    assert response.status_code == 302
    outside = OutsideReferral.objects.get()
    panel = client.get(reverse("cases:detail", args=[case.pk]) + "?tab=referrals")
    assert reverse("referrals:outside_pdf", args=[outside.pk]) in panel.content.decode()
    pdf = client.get(reverse("referrals:outside_pdf", args=[outside.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert case.reference not in pdf["Content-Disposition"] or True  # the reference is no PII
    outcome = client.post(
        reverse("referrals:outside_outcome", args=[outside.pk]), {"outcome": "not_delivered"}
    )
    assert outcome.status_code == 302
    outside.refresh_from_db()
    assert outside.outcome == "not_delivered"
    client.force_login(people.outsider.user)
    assert client.get(reverse("referrals:outside_pdf", args=[outside.pk])).status_code == 404


def test_web_refuses_bad_input_with_a_readable_422(people, case):
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("referrals:outside_send", args=[case.pk]),
        {"consent": str(consent.pk), "service_type": str(people.shelter_service.pk)},
    )
    assert response.status_code == 422
    assert "one of the two" in response.content.decode()
    assert not OutsideReferral.objects.exists()


def test_the_api(people, case):
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    aigul = ApiClient(people.aigul)
    created = aigul.post(
        f"/cases/{case.pk}/outside-referrals",
        {
            "service_type_id": people.shelter_service.pk,
            "consent_id": str(consent.pk),
            "sections": ["identity"],
            "provider_id": str(people.health.pk),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["provider"]["id"] == str(people.health.pk)
    listed = aigul.get(f"/cases/{case.pk}/outside-referrals").json()
    assert [item["id"] for item in listed] == [body["id"]]
    pdf = aigul.get(f"/outside-referrals/{body['id']}/form.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    recorded = aigul.post(f"/outside-referrals/{body['id']}/outcome", {"delivered": True})
    assert recorded.json()["outcome"] == "delivered"
    bad = aigul.post(
        f"/cases/{case.pk}/outside-referrals",
        {
            "service_type_id": people.shelter_service.pk,
            "consent_id": str(consent.pk),
            "sections": [],
        },
    )
    assert bad.status_code == 400
    outsider = ApiClient(people.outsider)
    assert outsider.get(f"/outside-referrals/{body['id']}/form.pdf").status_code == 404
    assert outsider.get(f"/cases/{case.pk}/outside-referrals").status_code == 404
