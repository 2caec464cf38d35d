"""The tile map of Kazakhstan's regions in Chromium, in Kazakh: on a phone it fits the screen
and every tile reads; on a laptop it stands beside nothing wider than the page."""

from __future__ import annotations

import os

import pytest

from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.directory.reference_data import reference_data_load
from tirek.statistics.facts import facts_rebuild
from tirek.statistics.tests.support import member
from tirek.testing.browser import LAPTOP, PHONE, chromium, signed_in
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in

# People per region: Kostanay and Shymkent count fewer than k (3 here) and are withheld.
PEOPLE = {
    "kokshetau": 9,
    "astana": 6,
    "almaty": 12,
    "karaganda": 5,
    "kaz-turkistan": 4,
    "kaz-east-kazakhstan": 3,
    "kaz-kostanay": 1,
    "shymkent": 2,
}


@pytest.fixture
def coordinator(transactional_db, settings):
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0
    places, _services = reference_data_load()
    for code, count in PEOPLE.items():
        agency = Agency.objects.create(
            name=f"Test centre {code}", type=Agency.Type.NGO, place=places[code]
        )
        worker = member(f"map-{code}", agency, Role.CASE_WORKER)
        for number in range(count):
            case_build(worker, first_name=f"Map{number}")
    facts_rebuild()
    commission = Agency.objects.create(
        name="Test Map Commission", type=Agency.Type.COMMISSION, place=places["astana"]
    )
    user = User.objects.create_user(username="map-coordinator", password=PASSWORD)
    Membership.objects.create(user=user, agency=commission, role=Role.COORDINATOR)
    return user


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_map_in_kazakh(live_server, coordinator, size):
    viewport = PHONE if size == "phone" else LAPTOP
    with chromium(language="kk", viewport=viewport) as context:
        page = signed_in(context, live_server.url, coordinator.username)
        page.goto(live_server.url + "/statistics/?scope=national")
        tiles = page.locator(".stat-map svg g.stat-tile")
        assert tiles.count() == 20
        assert page.locator(".stat-map .stat-shade--1").count() >= 2  # Kostanay, Shymkent
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False
        width = page.locator(".stat-map svg").bounding_box()
        assert width is not None and width["width"] >= 300
        if SHOTS:
            page.evaluate("document.getElementById('chart-territory').scrollIntoView()")
            page.screenshot(path=os.path.join(SHOTS, f"statistics-map-kk-{size}.png"))
