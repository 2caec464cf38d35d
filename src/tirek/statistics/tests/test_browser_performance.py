"""Mechanism performance in Chromium, in Kazakh at phone size: the chart, the steps, the filter."""

from __future__ import annotations

import datetime
import os

import pytest
import time_machine

from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.mechanisms.checklist import checklist_item_close
from tirek.mechanisms.models import ChecklistItem
from tirek.mechanisms.tests.support import NOW, to_first_assistance
from tirek.statistics.step_facts import step_facts_refresh
from tirek.statistics.tests.test_performance import mechanism_for, member
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in


@pytest.fixture
def coordinator(transactional_db):
    people = personas_create()
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    mechanism_for(member("perf-maker", commission, Role.COORDINATOR), people, people.almaty, "A")
    with time_machine.travel(NOW, tick=False):
        cases = [case_build(people.aigul, first_name=f"Test{n}") for n in range(14)]
        for case in cases[:12]:
            to_first_assistance(people.aigul, case)
    for number, item in enumerate(ChecklistItem.objects.filter(step__code="police-informed")):
        if number < 12:
            with time_machine.travel(NOW + datetime.timedelta(hours=2 + 3 * number), tick=False):
                checklist_item_close(
                    actor=people.aigul, item_id=item.pk, outcome="done", expected_version=1
                )
    step_facts_refresh()
    user = User.objects.create_user(username="perf-coordinator", password=PASSWORD)
    Membership.objects.create(user=user, agency=commission, role=Role.COORDINATOR)
    return user


def test_performance_in_kazakh_on_a_phone(live_server, coordinator, settings):
    settings.TIREK_STATISTICS_K = 3
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, coordinator.username)
        page.goto(live_server.url + "/statistics/performance/?scope=national")
        text = page.inner_text("main")
        assert "Механизмнің жұмысы" in text
        assert "Мерзімінде орындалған қадамдар үлесі" in text  # the chart's caption
        page.select_option("#id_order", "missed")
        page.click("text=Көрсету")
        page.wait_for_url("**order=missed**")
        if SHOTS:
            page.goto(live_server.url + "/statistics/performance/?scope=national")
            page.screenshot(path=os.path.join(SHOTS, "performance-kk-phone.png"))
            page.locator("#perf-steps").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(SHOTS, "performance-steps-kk-phone.png"))
