"""Chromium for the browser tests: Debian's ``/usr/bin/chromium`` driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, sync_playwright

from tirek.testing.personas import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@contextmanager
def chromium(
    *, viewport: dict[str, int] = PHONE, language: str = "en", **options: Any
) -> Iterator[BrowserContext]:
    """A browser context of the given size, asking for pages in ``language``."""
    assert os.path.exists(CHROMIUM), "Debian chromium is needed: make test installs it"  # noqa: S101
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop; our DB calls are sync
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport=viewport,  # type: ignore[arg-type]
            extra_http_headers={"Accept-Language": language},
            **options,
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()
            browser.close()


def signed_in(context: BrowserContext, base_url: str, username: str) -> Page:
    """A new page of ``context``, signed in as ``username`` (a persona: the shared password)."""
    page = context.new_page()
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page
