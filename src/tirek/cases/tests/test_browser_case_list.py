"""The case list in Chromium at phone size beyond the count limit: "more than", and paging on
past the limit with Next and Previous."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tirek.cases import views
from tirek.testing.builders import case_build
from tirek.testing.personas import personas_create
from tirek.web.tests.test_browser import browser_page, http_live_server, sign_in

pytestmark = pytest.mark.browser

__all__ = ["browser_page", "http_live_server"]

# Set TIREK_SCREENSHOTS=<dir> to keep a picture of the list in Kazakh (for the docs).
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")


def test_the_list_pages_past_the_count_limit(browser_page, http_live_server, settings, monkeypatch):
    from playwright.sync_api import expect

    settings.TIREK_CASE_LIST_COUNT_LIMIT = 3
    monkeypatch.setattr(views, "CASES_PER_PAGE", 2)
    people = personas_create()
    oldest, *_rest = [case_build(people.aigul) for _ in range(5)]
    page = browser_page
    base = http_live_server.url
    sign_in(page, base, "aigul")
    page.goto(f"{base}/cases/")
    expect(page.locator("#case-rows")).to_contain_text("More than 3 cases")
    page.get_by_role("link", name="Next").click()
    page.get_by_role("link", name="Next").click()
    expect(page.locator("#case-rows")).to_contain_text(oldest.reference)
    expect(page.get_by_role("link", name="Next")).to_have_count(0)
    page.get_by_role("link", name="Previous").click()
    expect(page.locator("#case-rows nav")).to_contain_text("Page 2")
    if SHOTS:
        page.get_by_role("button", name="KK").or_(page.get_by_role("link", name="KK")).click()
        expect(page.locator("#case-rows nav")).to_contain_text("2-бет")
        page.screenshot(path=str(Path(SHOTS) / "case-list-more-than-kk.png"), full_page=True)
