"""The case page in Chromium at phone size: tabs open in place, and keyboard focus follows."""

from __future__ import annotations

import re

import pytest

from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, sign_in

pytestmark = pytest.mark.browser

__all__ = ["browser_page", "http_live_server"]


def test_tabs_open_in_place_and_focus_lands_on_the_result(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Synthetova")
    expect(page.locator(".case-tags")).to_contain_text("Identification")
    page.evaluate("window.casePageMarker = 1")  # gone if the page reloads

    tabs = page.get_by_role("navigation", name="Parts of the case")
    tabs.get_by_role("link", name="Timeline").click()
    expect(page.locator("#timeline")).to_contain_text("Case registered")
    assert page.url.endswith("?tab=timeline")
    assert page.evaluate("window.casePageMarker") == 1
    expect(page.locator("#case-tab-heading:focus")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A refused move: focus goes to the error, not to <body>.
    page.get_by_text("Move to another stage").click()
    page.locator("#stage_stage").select_option("identification")
    page.get_by_role("button", name="Move the case").click()
    expect(page.locator("#stage")).to_contain_text("already at this stage")
    expect(page.locator("#stage :focus")).to_have_count(1)
    assert page.evaluate("window.casePageMarker") == 1

    # A move that works: the header shows the new stage, focus is on the message.
    page.locator("#stage_stage").select_option("first_assistance")
    page.get_by_role("button", name="Move the case").click()
    expect(page.locator(".case-tags")).to_contain_text("First assistance")
    expect(page.locator("#case-page .messages")).to_contain_text("now at the stage")
    expect(page.locator("#case-page .messages:focus")).to_have_count(1)
    assert page.evaluate("window.casePageMarker") == 1

    # Back keeps working: the address of each tab is a page of its own.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?tab=timeline$"))
    expect(page.locator("#timeline")).to_contain_text("Stage changed")


def test_the_identity_is_corrected_and_the_old_name_stays_on_the_timeline(
    browser_page, http_live_server
):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_text("Correct the identity").click()
    page.locator("#identity_family_name").fill("Correctova")
    page.locator("#identity_birth_date").fill("2999-01-01")
    page.get_by_role("button", name="Save the identity").click()
    expect(page.locator("#identity")).to_contain_text("The birth date cannot be in the future")
    expect(page.locator("#identity :focus")).to_have_count(1)

    page.locator("#identity_birth_date").fill("1999-04-13")
    page.get_by_role("button", name="Save the identity").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correctova")
    expect(page.locator("#case-page .messages")).to_contain_text("Identity corrected")
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Timeline"
    ).click()
    expect(page.locator("#timeline")).to_contain_text("Synthetova")
    expect(page.locator("#timeline ins").first).to_contain_text("Correctova")


def test_a_task_and_a_note_from_the_phone_and_my_tasks(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/{case.pk}/?tab=tasks")
    page.get_by_text("Add a task").click()
    page.locator("#task_title").fill("Call the shelter about a place")
    page.get_by_role("button", name="Add the task").click()
    expect(page.locator("#tasks")).to_contain_text("Please correct the marked fields")
    expect(page.locator("#tasks :focus")).to_have_count(1)
    page.locator("#task_due_on").fill("2020-01-01")
    page.get_by_role("button", name="Add the task").click()
    expect(page.locator(".case-head")).to_contain_text("1 overdue")
    expect(page.locator(".case-head")).to_contain_text("Call the shelter about a place")

    tabs = page.get_by_role("navigation", name="Parts of the case")
    tabs.get_by_role("link", name="Notes and files").click()
    page.get_by_text("Add a note").click()
    page.locator("#note_text").fill("Prefers to be called in the morning.")
    page.locator("#note_private").check()
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator("#notes")).to_contain_text("Prefers to be called in the morning.")
    expect(page.locator("#notes")).to_contain_text("only your agency")

    page.get_by_role("link", name="My tasks").click()
    expect(page.locator("main")).to_contain_text("Call the shelter about a place")
    expect(page.locator("main")).to_contain_text("overdue")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator("main")).to_contain_text("No open tasks")

    page.goto(f"{base}/cases/")
    page.locator("#filter-stage").select_option("first_assistance")
    expect(page.locator("#case-rows")).to_contain_text("No case matches")
    assert "stage=first_assistance" in page.url
    page.locator("#filter-stage").select_option("")
    page.locator("#case-search").fill("Synthetova")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#case-rows")).to_contain_text(case.reference)
    assert "Synthetova" not in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
