"""The referral page in Chromium (issue 9 items 5 and 6): a withdrawal is confirmed before it
happens, and after accepting, the page no longer says "Before you accept"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.referrals.models import Referral
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context(live_server, transactional_db):
    with chromium() as context:
        yield context


@pytest.fixture
def waiting_referral(transactional_db):
    people = personas_create()
    case = case_build(people.aigul)
    return referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )


def test_accepting_replaces_the_note_for_before_accepting(
    browser_context, live_server, waiting_referral
):
    page = signed_in(browser_context, live_server.url, "dana")
    page.goto(live_server.url + reverse("referrals:detail", args=[waiting_referral.pk]))
    assert "Before you accept" in page.inner_text("#about")
    page.evaluate("window.referralPageMarker = 1")  # gone if the page reloads
    page.click("#decision button.ok")
    page.locator("#decision .alert.success").wait_for()
    assert page.evaluate("window.referralPageMarker") == 1
    assert "Before you accept" not in page.inner_text("#about")
    assert "You accepted" in page.inner_text("#about")


def test_withdrawal_is_confirmed_before_it_happens(browser_context, live_server, waiting_referral):
    page = signed_in(browser_context, live_server.url, "aigul")
    detail = live_server.url + reverse("referrals:detail", args=[waiting_referral.pk])
    page.goto(detail)
    page.get_by_role("link", name="Withdraw the referral…").click()
    page.get_by_role("heading", name="Withdraw the referral?").wait_for()
    waiting_referral.refresh_from_db()
    assert waiting_referral.status == Referral.Status.SENT

    page.get_by_role("link", name="Back, keep the referral").click()
    page.wait_for_url(detail)
    page.get_by_role("link", name="Withdraw the referral…").click()
    page.fill("#id_reason", "Sent to the wrong agency")
    page.get_by_role("button", name="Withdraw the referral").click()
    page.locator("#decision .alert.success").wait_for()
    waiting_referral.refresh_from_db()
    assert waiting_referral.status == Referral.Status.WITHDRAWN
