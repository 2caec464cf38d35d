"""In Chromium at phone size, in Kazakh: a failed protection form shows its field error and the
error of a rule together, keyboard focus lands on the first one, and the page fits the phone;
My tasks shows a court hearing beside the tasks."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tirek.protection.return_proceedings import ProceedingInput, proceeding_add
from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, sign_in

pytestmark = pytest.mark.browser

__all__ = ["browser_page", "http_live_server"]

SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _in_kazakh(page) -> None:
    from playwright.sync_api import expect

    page.locator(".lang-switch button[value=kk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def test_a_failed_need_shows_every_error_in_kazakh(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    _in_kazakh(page)
    page.goto(f"{base}/cases/{case.pk}/?tab=protection")
    page.locator("#support-add summary").click()
    page.locator("#support_type").select_option("Health")
    page.locator("#support_planned_start_date").fill("20.05.2099")
    page.locator("#support_planned_end_date").fill("10.05.2099")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#support-add button[type=submit]").click()
    errors = page.locator("#support-add .has-error")
    expect(errors).to_have_count(2)  # the objectives (a field) and the end before the start
    expect(page.locator("#support-add :focus")).to_have_count(1)  # the first error
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "support-errors-kk")


def test_my_tasks_shows_a_hearing_in_kazakh(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    case = case_build(people.aigul)
    proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(
            role="injured_party",
            next_hearing_on=timezone.localdate() + datetime.timedelta(days=2),
        ),
    )
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    _in_kazakh(page)
    page.goto(f"{base}/tasks/")
    item = page.locator(".tasks li.upcoming")
    expect(item).to_contain_text(case.reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "my-tasks-hearing-kk")
