"""The protection panels in Chromium at phone size: each main path once, sent with HTMX in place,
focus on the first error or on the result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.protection.children import child_mark
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, sign_in

pytestmark = pytest.mark.browser

__all__ = ["browser_page", "http_live_server"]

# Set TIREK_SCREENSHOTS=<dir> to keep a picture of each panel (e.g. in Kazakh, for the docs).
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _send(page, button: str, within: str = "#case-tab"):
    """Send a form and wait until the case page is swapped in."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(within).get_by_role("button", name=button, exact=True).click()


def test_protection_return_and_proceedings_in_place(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/{case.pk}/?tab=protection")
    page.evaluate("window.casePageMarker = 1")  # gone if the page reloads

    # Reflection period: start, extend (a refused try first: focus on the error), end.
    _send(page, "Start the reflection period")
    expect(page.locator("#reflection")).to_contain_text("days left")
    expect(page.locator("#case-page .messages:focus")).to_have_count(1)
    page.locator("#reflection summary", has_text="Extend the period").click()
    page.locator("#extend_days").fill("")
    _send(page, "Extend")
    expect(page.locator("#reflection-extend .has-error").first).to_be_visible()
    expect(page.locator("#reflection-extend :focus")).to_have_count(1)
    page.locator("#extend_days").fill("10")
    page.locator("#extend_reason").fill("Still in hospital")
    _send(page, "Extend")
    expect(page.locator("#reflection")).to_contain_text("Still in hospital")
    _shot(page, "reflection")
    page.locator("#reflection summary", has_text="Record the outcome").click()
    page.locator("#reflection_end_outcome input[value=accepts_assistance]").check()
    _send(page, "Record the outcome")
    expect(page.locator("#case-page .messages")).to_contain_text("Outcome")

    # Risk and safety: a high risk is flagged in the header.
    page.locator("#risk_level input[value=high]").check()
    page.locator("input[name=factors]").first.check()
    _send(page, "Record the assessment")
    expect(page.locator(".case-tags")).to_contain_text("High risk")
    page.locator("#risk summary", has_text="Write the safety plan").click()
    page.locator("#safety_measures").fill("Phone check twice a day")
    _send(page, "Save the safety plan")
    expect(page.locator("#risk")).to_contain_text("Phone check twice a day")

    # Support plan: one need.
    page.locator("#support summary", has_text="Add a need").click()
    page.locator("#support_type").select_option("Health")
    page.locator("#support_objectives").fill("Dental treatment")
    _send(page, "Add to the support plan")
    expect(page.locator("#support")).to_contain_text("Dental treatment")
    _shot(page, "protection")

    # Perpetrators on the Trafficking tab: add, then correct.
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Trafficking"
    ).click()
    page.locator("#perpetrators summary", has_text="Add a perpetrator").click()
    page.locator("#perpetrator_name").fill("Testbek Recruiterov")
    page.locator("#perpetrator-add input[name=roles]").first.check()
    _send(page, "Add")
    expect(page.locator("#perpetrators")).to_contain_text("Testbek Recruiterov")
    page.locator("#perpetrators li summary").first.click()
    page.locator("#perpetrators li input[name=name]").fill("Testbek Exploiterov")
    _send(page, "Save")
    expect(page.locator("#perpetrators")).to_contain_text("Testbek Exploiterov")
    _shot(page, "perpetrators")

    # Return plan and proceedings with a hearing: the hearing is due in the header.
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Return and proceedings"
    ).click()
    page.locator("#return summary", has_text="Plan the return").click()
    page.locator("#return_destination_country").select_option("UZB")
    page.locator("#return_reintegration_plan").fill("School in Samarkand")
    _send(page, "Save")
    expect(page.locator("#return")).to_contain_text("School in Samarkand")
    page.locator("#proceedings summary", has_text="Record the proceedings").click()
    page.locator("#proceeding_kind").select_option("criminal")
    page.locator("#proceeding_role").select_option("injured_party")
    page.locator("#proceeding_next_hearing_on").fill("2099-03-02")
    _send(page, "Save")
    expect(page.locator(".case-due")).to_contain_text("Court hearing")
    expect(page.locator("#proceedings")).to_contain_text("Injured party")
    _shot(page, "return")

    assert page.evaluate("window.casePageMarker") == 1  # every form was sent in place
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # In Kazakh (longer words) every panel still fits the phone's width.
    page.locator(".lang-switch button[value=kk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    for tab in ("protection", "trafficking", "return"):
        page.goto(f"{base}/cases/{case.pk}/?tab={tab}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, tab
        _shot(page, f"{tab}-kk")


def test_child_guardian_and_best_interests(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    specialist = User.objects.create_user(username="madina", password=PASSWORD)
    Membership.objects.create(
        user=specialist, agency=people.crisis_centre, role=Role.CHILD_PROTECTION
    )
    case = case_build(people.aigul)
    child_mark(actor=people.aigul, case_id=case.pk, is_child=True)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "madina")
    page.goto(f"{base}/cases/{case.pk}/?tab=protection")
    expect(page.locator(".case-tags")).to_contain_text("Child")

    _send(page, "Save", "#child")
    expect(page.locator("#child :focus")).to_have_count(1)  # the first error
    page.locator("#guardian_name").fill("Testgul Guardianova")
    page.locator("#guardian_relation").select_option("parent")
    _send(page, "Save", "#child")
    expect(page.locator("#child")).to_contain_text("Testgul Guardianova")

    page.locator("#child summary", has_text="best-interests").click()
    page.locator("#best_assessment").fill("Safe with the mother; school nearby")
    page.locator("#best_decision input[value=family_reunification]").check()
    _send(page, "Record the decision")
    expect(page.locator("#child")).to_contain_text("Reunification with the family")
    expect(page.locator("#case-page .messages:focus")).to_have_count(1)
    _shot(page, "child")
