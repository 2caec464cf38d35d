"""Issue 2, steps 2-5, in a real browser: register, consent, refer, accept, outsider gets 404."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tirek.testing.personas import PASSWORD, personas_create

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser]


@pytest.fixture
def http_live_server(settings, transactional_db):
    """pytest-django's live server, started after the HTTPS-only settings are relaxed.

    The session-wide ``live_server`` builds its middleware when it starts, before a test can
    change settings, and would redirect every request to HTTPS.
    """
    from pytest_django.live_server_helper import LiveServer

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["localhost"]
    server = LiveServer("localhost:0")
    yield server
    server.stop()


@pytest.fixture
def browser_page(monkeypatch, http_live_server):
    assert Path(CHROMIUM).exists(), "Debian chromium is needed: make test installs it"
    # Playwright's sync API runs an event loop; the test's own DB calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_case_from_first_contact_to_accepted_referral(browser_page, http_live_server):
    from playwright.sync_api import expect

    people = personas_create()
    page = browser_page
    base = http_live_server.url

    # Step 2: the NGO worker searches first, then registers the case.
    sign_in(page, base, "aigul")
    page.get_by_role("link", name="Register a case").first.click()
    page.get_by_label("Name", exact=True).fill("Testgul Synthetova")
    expect(page.locator("#search-results")).to_contain_text(
        "No matching case among the cases you can see"
    )

    page.get_by_label("Family name", exact=True).fill("Synthetova")
    page.get_by_label("Given name", exact=True).fill("Testgul")
    page.get_by_label("Patronymic", exact=True).fill("Fictionovna")
    page.get_by_label("Sex", exact=True).select_option("F")
    page.get_by_label("Birth date", exact=True).nth(1).fill("1999-04-12")
    page.get_by_label("Kazakhstan", exact=True).check()
    page.get_by_label("Primary language", exact=True).select_option("kk")
    page.get_by_label("Forced labour", exact=True).check()
    page.get_by_label("Debt bondage", exact=True).check()
    page.get_by_label("Country", exact=True).select_option("KAZ")
    page.get_by_label("City", exact=True).select_option(label="Almaty")
    page.get_by_role("button", name="Register the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Synthetova")
    case_url = page.url

    # Step 3: she records the person's consent and refers the case with a message. Both are
    # actions at the top of the case page; each opens its tab.
    page.get_by_role("link", name="Record consent").click()
    consent_form = page.locator("form[action$='/consents/']")
    consent_form.get_by_label("Shared with", exact=True).select_option(label=people.employment.name)
    consent_form.get_by_label(re.compile(r"Identity \(")).check()
    consent_form.get_by_label("Trafficking details", exact=True).check()
    consent_form.get_by_label("Written, signed", exact=True).check()
    consent_form.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()

    page.get_by_role("link", name="Refer to a service").click()
    page.get_by_text("Refer to another agency").click()
    referral_form = page.locator("form[action$='/referrals/']")
    referral_form.get_by_label("Under the consent", exact=True).select_option(index=1)
    referral_form.get_by_label("Refer to", exact=True).select_option(label=people.employment.name)
    referral_form.get_by_label("For the service", exact=True).select_option(
        label="Employment support"
    )
    expect(referral_form.get_by_label(re.compile(r"Identity \("))).to_be_checked()
    referral_form.get_by_label("Message to the agency", exact=True).fill(
        "Needs a job; speaks Kazakh."
    )
    referral_form.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent to")).to_be_visible()
    sign_out(page)

    # Step 4: the employment department sees it in the inbox, opens it and accepts.
    sign_in(page, base, "dana")
    page.get_by_role("link", name=re.compile("Referrals inbox")).click()
    page.locator("main").get_by_role("link", name="Open", exact=True).first.click()
    expect(page.get_by_text("Needs a job; speaks Kazakh.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Synthetova")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#decision")).to_contain_text("Referral accepted")
    page.get_by_role("link", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Synthetova")
    page.get_by_role("navigation", name="Parts of the case").get_by_role(
        "link", name="Timeline"
    ).click()
    expect(page.locator("#timeline")).to_contain_text("Referral accepted")
    sign_out(page)

    # The sender sees the outcome.
    sign_in(page, base, "aigul")
    page.get_by_role("link", name="Sent referrals").click()
    expect(page.locator("main")).to_contain_text("Accepted")
    sign_out(page)

    # Step 5: a third agency cannot open the case.
    sign_in(page, base, "olzhas")
    response = page.goto(case_url)
    assert response is not None and response.status == 404
