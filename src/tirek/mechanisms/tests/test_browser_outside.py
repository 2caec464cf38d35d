"""The outside-referral form in Chromium at phone size: sent with HTMX in place, every error at
once with focus on the first, then recorded for the open checklist step it serves, focus on the
result; its outcome closes that step."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tirek.cases.choices import Section
from tirek.mechanisms.models import ChecklistItem
from tirek.mechanisms.tests.conftest import member
from tirek.mechanisms.tests.support import _step, mechanism_in_force, to_first_assistance
from tirek.testing.builders import case_build, consent_build
from tirek.testing.personas import personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, sign_in

pytestmark = pytest.mark.browser

__all__ = ["browser_page", "http_live_server"]


def test_outside_referral_form_in_place_for_a_checklist_step(
    browser_page: Any, http_live_server: Any
) -> None:
    from tirek.accounts.models import Agency
    from tirek.accounts.roles import Role

    people = personas_create()
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = member("zhanar", commission, Role.COORDINATOR)
    steps = [_step("shelter", "first_assistance", service_type_id=people.shelter_service.pk)]
    mechanism_in_force(coordinator, people, steps)
    case = to_first_assistance(people.aigul, case_build(people.aigul))
    consent_build(people.aigul, case, sections=[Section.IDENTITY])
    page, base = browser_page, http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/{case.pk}/?tab=referrals")
    page.evaluate("window.outsideMarker = 1")  # gone if the page reloads

    page.get_by_text("Refer outside Tirek (printed form)").click()
    page.get_by_role("button", name="Record the referral").click()
    outside = page.locator("#outside")
    expect(outside).to_contain_text("one of the two")  # the service's check
    expect(outside).to_contain_text("at least one part")
    expect(page.locator("#outside :focus")).to_have_count(1)
    assert page.evaluate("window.outsideMarker") == 1

    page.locator("#outside_consent").select_option(index=1)
    page.locator("#outside_service_type").select_option(label="Shelter")
    page.locator("#outside_step").select_option(index=1)
    page.locator("#outside_organisation").fill("Test-Sana shelter")
    page.locator("#outside_sections").get_by_label("Identity").check()
    page.get_by_role("button", name="Record the referral").click()
    expect(page.locator("#case-page .messages")).to_contain_text("Referral recorded")
    expect(page.locator("#case-page .messages:focus")).to_have_count(1)
    assert page.evaluate("window.outsideMarker") == 1
    item = ChecklistItem.objects.get(case=case)
    assert item.outside_referral is not None

    page.get_by_role("button", name="Service delivered").click()
    expect(page.locator("#case-page .messages")).to_contain_text("The outcome is recorded.")
    item.refresh_from_db()
    assert item.status == ChecklistItem.Status.DONE
