"""The dashboard in Chromium, in Kazakh at phone size: the new tables are there, with their note."""

from __future__ import annotations

import os

import pytest

from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.statistics.facts import facts_refresh
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in


@pytest.fixture
def coordinator(transactional_db):
    people = personas_create()
    for n in range(3):
        case_build(people.aigul, first_name=f"Test{n}")
    facts_refresh()
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    user = User.objects.create_user(username="stat-coordinator", password=PASSWORD)
    Membership.objects.create(user=user, agency=commission, role=Role.COORDINATOR)
    return user


def test_dashboard_in_kazakh_on_a_phone(live_server, coordinator):
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, coordinator.username)
        page.goto(live_server.url + "/statistics/?scope=national&date_from=2026-11-02")
        text = page.inner_text("main")
        assert "Бақылау құралдары" in text  # means of control
        assert "тұтас тоқсандар" in text  # the period counted is whole quarters
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, "statistics-kk-phone.png"))
            page.locator("#chart-means_of_control").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(SHOTS, "statistics-means-kk-phone.png"))
