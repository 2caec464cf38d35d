"""What a laptop shows (issue 9 item 8): the main menu on one line in every language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.testing.browser import LAPTOP, chromium, signed_in
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser

# The rest of the menu is one click away, under "More".
TOKENS = {"ru": "API-токены", "kk": "API токендері", "en": "API tokens"}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_case_workers_menu_fits_one_line_on_a_laptop(live_server, transactional_db, language):
    personas_create()
    with chromium(viewport=LAPTOP, language=language) as context:
        page = signed_in(context, live_server.url, "aigul")
        page.goto(live_server.url + reverse("cases:list"))
        tops = page.evaluate(
            "[...document.querySelectorAll('.main-nav > ul > li')].map(li => li.offsetTop)"
        )
        more = page.locator(".nav-more summary")
        hidden_before = page.get_by_role("link", name=TOKENS[language]).is_visible()
        more.click()
        page.get_by_role("link", name=TOKENS[language]).click()
        page.wait_for_url("**" + reverse("accounts:api_tokens"))
    assert len(tops) >= 6 and len(set(tops)) == 1
    assert not hidden_before
