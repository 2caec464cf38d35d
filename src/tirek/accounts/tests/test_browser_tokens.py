"""Revoking an API token in a browser: the list's button asks first, the question's red button
revokes (Kazakh, phone size)."""

from __future__ import annotations

import pytest

from tirek.accounts.services import api_token_authenticate, api_token_create
from tirek.testing.browser import chromium, signed_in
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser


def test_revoke_asks_then_revokes(live_server, transactional_db):
    people = personas_create()
    _token, secret = api_token_create(actor=people.aigul, name="report-script")
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, "aigul")
        page.goto(live_server.url + "/accounts/tokens/")
        page.click("a.button.danger")
        page.wait_for_selector("input[name=confirmed]", state="attached")
        assert "report-script" in page.inner_text("main")
        assert api_token_authenticate(secret) is not None  # asking revokes nothing
        page.click("button.button.danger")
        page.wait_for_url(lambda url: url.endswith("/accounts/tokens/"))
    assert api_token_authenticate(secret) is None
