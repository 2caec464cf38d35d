"""The screening flow in Chromium: open a screening on a case, tick indicators, see the result
change without a page reload, save, and find it on the case page."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tirek.screening.models import Screening
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Worked example 1 of docs/screening.md: adult, labour, presumed victim.
EXAMPLE_1 = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02"]


@pytest.fixture
def page(live_server, transactional_db):
    assert os.path.exists(CHROMIUM), "Debian chromium is needed: make test installs it"
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


def test_screening_shows_the_result_live_and_saves_on_the_case(page, live_server):
    people = personas_create()
    case = case_build(people.aigul)
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None,
    )

    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", "aigul")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]) + "?tab=screening")
    page.click("#screenings a.button")
    page.wait_for_selector("#indicators")
    result = page.locator("#result")
    assert "Not enough indicators" in result.inner_text()

    page.evaluate("window.screeningPageMarker = 1")  # gone if the page reloads
    for code in EXAMPLE_1:
        page.check(f"#id_tick_{code}")
    page.locator("#result .outcome.is-presumed").wait_for()
    assert page.evaluate("window.screeningPageMarker") == 1
    assert "Coercion at destination" in result.inner_text()

    note = page.locator("#id_note_CD-01")
    assert note.is_visible()  # the evidence fields appear once the box is ticked
    note.fill("Passport kept by the foreman.")
    page.select_option("#id_source_CD-01", "self_report")

    page.click("button[name=action][value=save]")
    page.wait_for_url(f"**{reverse('cases:detail', args=[case.pk])}**")
    page.click(".case-tabs a[href$='tab=timeline']")
    page.locator("#timeline").wait_for()
    assert "Screening saved" in page.locator("#timeline").inner_text()
    assert Screening.objects.get(case=case).observed.get(code="CD-01").source == "self_report"
    assert csp_errors == []


def _login(page, live_server, username: str) -> None:
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_ticks_typed_fast_after_an_age_survive_every_refresh(page, live_server):
    """A live interview: type an age and tick at once, again and again. Each answer of the live
    result arrives after the next tick (each is held back a little here, as on a slow mobile
    network); none may undo a tick or a typed note."""
    personas_create()
    _login(page, live_server, "aigul")

    def slow(route):
        page.wait_for_timeout(400)
        route.continue_()

    page.route("**/screening/assess/", slow)
    page.goto(live_server.url + reverse("screening:new"))
    codes = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02"]
    for age, code in zip(["30", "31", "17", "32", "33", "34"], codes, strict=True):
        page.fill("#id_age_at_exploitation", age)
        page.check(f"#id_tick_{code}")  # moves the focus: the age's change fires first
        page.fill(f"#id_note_{code}", f"note {code}")
    page.check("#id_tick_VR-08")  # adult list only
    page.fill("#id_age_at_exploitation", "16")  # now a child: VR-08 is not on the list used
    page.locator("#id_has_signs_of_childhood").focus()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)
    page.wait_for_load_state("networkidle")

    for code in codes:
        assert page.is_checked(f"#id_tick_{code}"), code
        assert page.input_value(f"#id_note_{code}") == f"note {code}"
    assert page.is_checked("#id_tick_VR-08") and page.is_visible("#id_tick_VR-08")
    assert "not on the list used" in page.inner_text("#strength-VR-08")
    assert page.input_value("#id_age_at_exploitation") == "16"
    assert "Child" in page.inner_text("#lists-banner")


def test_a_case_is_registered_from_an_anonymous_screening_with_its_indicators(page, live_server):
    """A hotline call screened anonymously; the person later agrees to a case."""
    personas_create()
    _login(page, live_server, "aigul")
    page.goto(live_server.url + reverse("screening:new"))
    for code in EXAMPLE_1:
        page.check(f"#id_tick_{code}")
    page.fill("#id_note_CD-01", "Passport kept by the foreman.")
    page.click("button[name=action][value=save]")
    page.get_by_role("link", name="Register a case from this screening").click()
    assert "6 indicators, with their sources and notes" in page.inner_text("main")
    page.get_by_label("Family name").fill("Hotlinova")
    page.get_by_label("Given name").fill("Testgul")
    page.get_by_role("button", name="Register the case").click()
    page.wait_for_url("**/cases/*/")
    page.click(".case-tabs a[href$='tab=screening']")
    case_id = page.url.rstrip("/").split("/")[-1]
    screenings = page.locator("#screenings")
    assert "Presumed victim" in screenings.inner_text()
    carried = Screening.objects.get(case_id=case_id)
    assert carried.observed.get(code="CD-01").note == "Passport kept by the foreman."


def test_a_live_result_that_fails_says_so(page, live_server):
    """No connection or a server error during the interview: the worker is told that the
    result was not updated, and what was ticked stays."""
    personas_create()
    _login(page, live_server, "aigul")
    page.goto(live_server.url + reverse("screening:new"))
    page.route("**/screening/assess/", lambda route: route.fulfill(status=500, body="x"))
    page.check("#id_tick_DR-01")
    page.locator("#request-error").wait_for()
    assert "could not be updated" in page.inner_text("#request-error")
    assert page.is_checked("#id_tick_DR-01")
    page.unroute("**/screening/assess/")
    page.check("#id_tick_DR-02")
    page.locator("#request-error").wait_for(state="detached")
