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


@pytest.fixture
def cross_chief(transactional_db):
    """A crisis centre's supervisor; women and men in every age group."""
    people = personas_create()
    born = [2020, 2012, 2004, 1996, 1986, 1972, 1955]  # 0-11 to 60+ on the day opened (2026)
    for n in range(16):
        sex = "F" if n % 2 == 0 else "M"
        birth = datetime.date(born[n % len(born)], 3, 1)
        case_build(people.aigul, first_name=f"Cross{n}", sex=sex, birth_date=birth)
    facts_rebuild()
    user = User.objects.create_user(username="cross-chief", password=PASSWORD)
    Membership.objects.create(user=user, agency=people.crisis_centre, role=Role.SUPERVISOR)
    return user


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return dict(box)


def test_sex_by_age_group_reads_on_a_phone(live_server, cross_chief):
    """Eight age groups per sex: each sex is one block of bars whose labels stay whole, one
    bar per line, the value beside it; nothing is wider than the phone."""
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, cross_chief.username)
        page.goto(live_server.url + "/statistics/?scope=agency")
        section = page.locator("section:has(#chart-sex_age)")
        bars = section.locator(".stat-chart .stat-bar")
        labels = section.locator(".stat-chart .stat-series")
        boxes = [_box(bars.nth(n)) for n in range(bars.count())]
        label_boxes = [_box(labels.nth(n)) for n in range(labels.count())]
        heads = section.locator("table thead th")
        head_lines = [
            heads.nth(n).evaluate(
                "th => { const text = document.createRange(); text.selectNodeContents(th);"
                " return new Set([...text.getClientRects()].map(r => Math.round(r.top))).size; }"
            )
            for n in range(heads.count())
        ]
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        wrap = section.locator(".table-wrap")
        wrap.evaluate("element => { element.scrollLeft = element.scrollWidth; }")
        sex = section.locator("table tbody th").first
        sex_left = _box(sex)["x"] - _box(wrap)["x"]
        if SHOTS:
            section.scroll_into_view_if_needed()
            wrap.evaluate("element => { element.scrollLeft = 0; }")
            section.screenshot(path=os.path.join(SHOTS, "statistics-sex-age-kk-phone.png"))
    # No two bars overlap, no age group's label takes more than two lines in the bars (three
    # at the head of the table's columns), the sex stays in view when the table scrolls.
    tops = [box["y"] for box in boxes]
    overlaps = [
        n for n in range(1, len(boxes)) if tops[n] < tops[n - 1] + boxes[n - 1]["height"] - 1
    ]
    tall = [box for box in label_boxes if box["height"] > 3 * 14]
    assert (overflow, len(boxes), overlaps, tall) == (False, 16, [], [])
    ranges = head_lines[1:7]  # "0–11 жас" to "45–59 жас": one line each, not cut at the dash
    assert (max(head_lines) <= 3, ranges, abs(sex_left) < 2) == (True, [1] * 6, True), (
        head_lines,
        sex_left,
    )
