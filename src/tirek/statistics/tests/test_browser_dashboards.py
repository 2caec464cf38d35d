"""The new dashboards in Chromium, in Kazakh at phone size: lines over time, referrals,
screenings and the time to assistance fit the screen."""

from __future__ import annotations

import datetime
import os

import pytest

from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case
from tirek.referrals.services import referral_accept
from tirek.statistics.facts import facts_rebuild
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import PASSWORD, personas_create

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in


@pytest.fixture
def chief(transactional_db):
    """A crisis centre's supervisor; cases over six quarters, referrals, some accepted."""
    people = personas_create()
    for n in range(12):
        case = case_build(people.aigul, first_name=f"Line{n}")
        opened = datetime.date(2025, 1 + (n % 6) * 2 % 12, 5) + datetime.timedelta(days=n * 30)
        Case.objects.filter(pk=case.pk).update(opened_on=min(opened, datetime.date(2026, 11, 1)))
        service = [people.employment_service, people.investigation_service][n % 2]
        to = [people.employment, people.police][n % 2]
        referral = referral_build(people.aigul, case, to=to, service=service)
        if n % 3 != 2:
            actor = people.dana if n % 2 == 0 else people.nurlan
            referral_accept(actor=actor, referral_id=referral.pk)
    facts_rebuild()
    user = User.objects.create_user(username="line-chief", password=PASSWORD)
    Membership.objects.create(user=user, agency=people.crisis_centre, role=Role.SUPERVISOR)
    return user


def test_dashboards_in_kazakh_on_a_phone(live_server, chief):
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, chief.username)
        page.goto(live_server.url + "/statistics/?scope=agency")
        text = page.inner_text("main")
        assert "Қызмет түрі бойынша жолдамалар" in text  # referrals by service
        assert "Күндер медианасы" in text  # median days
        # Nothing is wider than the phone.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        assert page.locator(".stat-line svg").count() == 2
        if SHOTS:
            page.locator("#chart-quarter").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(SHOTS, "statistics-lines-kk-phone.png"))
            page.locator("#chart-referral_quarter").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(SHOTS, "statistics-referrals-kk-phone.png"))
            page.locator("#chart-assistance-time").scroll_into_view_if_needed()
            page.screenshot(path=os.path.join(SHOTS, "statistics-assistance-kk-phone.png"))
