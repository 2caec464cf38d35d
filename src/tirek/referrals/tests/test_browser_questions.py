"""Asking for more information in Chromium, in Kazakh at phone size: the receiver asks, the
sender answers on the same thread (both without a page reload), then the receiver accepts."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from tirek.referrals.models import Referral
from tirek.testing.browser import PHONE, chromium, signed_in
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder: save the pages as PNG there


@pytest.fixture
def browser_context(live_server, transactional_db):
    with chromium(language="kk") as context:
        yield context


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-kk.png"), full_page=True)


def test_question_answer_then_accept(browser_context, live_server, transactional_db):
    people = personas_create()
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    detail = live_server.url + reverse("referrals:detail", args=[referral.pk])

    dana = signed_in(browser_context, live_server.url, "dana")
    dana.goto(detail)
    dana.evaluate("window.marker = 1")  # gone if the page reloads
    dana.click("#thread summary")
    dana.fill("#id_question", "Балаға арналған орын керек пе?")
    dana.click("#thread button[type=submit]")
    dana.locator("#thread .alert.success").wait_for()
    assert dana.evaluate("window.marker") == 1
    assert dana.locator("#thread .status-info-requested").count() == 1
    _shot(dana, "referral-question")
    dana.goto(live_server.url + reverse("referrals:inbox"))
    assert dana.locator(".status-info-requested").count() == 1
    _shot(dana, "referral-inbox-question")

    browser = browser_context.browser
    assert browser is not None
    sender_context = browser.new_context(
        viewport=PHONE, extra_http_headers={"Accept-Language": "kk"}
    )
    try:
        aigul = signed_in(sender_context, live_server.url, "aigul")
        aigul.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
        _shot(aigul, "case-question-due")
        aigul.goto(detail)
        aigul.fill("#id_answer", "Иә, ұлы төрт жаста.")
        aigul.click("#thread button[type=submit]")
        aigul.locator("#thread .alert.success").wait_for()
        assert "төрт жаста" in aigul.inner_text("#thread")
        _shot(aigul, "referral-answer")
    finally:
        sender_context.close()

    dana.goto(detail)
    assert "төрт жаста" in dana.inner_text("#thread")
    dana.click("#decision button.ok")
    dana.locator("#decision .alert.success").wait_for()
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ACCEPTED


def test_outside_referral_form_downloads_from_the_case_page(
    browser_context, live_server, transactional_db
):
    from tirek.cases.choices import Section
    from tirek.referrals.outside import outside_referral_record
    from tirek.testing.builders import consent_build

    people = personas_create()
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, sections=[Section.IDENTITY])
    outside_referral_record(
        actor=people.aigul,
        case_id=case.pk,
        service_type_id=people.shelter_service.pk,
        consent_id=consent.pk,
        sections=[Section.IDENTITY],
        organisation="«Сана» әйелдер орталығы",
    )
    page = signed_in(browser_context, live_server.url, "aigul")
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]) + "?tab=referrals")
    page.locator("#outside summary").click()
    _shot(page, "case-outside-referral")
    with page.expect_download() as download:
        page.locator("#outside a[download]").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
