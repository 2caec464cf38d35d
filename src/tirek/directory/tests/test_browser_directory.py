"""The directory in Chromium: one tap updates free places without reloading the page, and the
referral form proposes the providers that fit as soon as the service is chosen."""

from __future__ import annotations

import pytest

from tirek.accounts.models import Agency
from tirek.directory.models import Service
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build, consent_build
from tirek.testing.directory import service_build
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context(live_server, transactional_db):
    with chromium() as context:
        yield context


@pytest.fixture
def people(transactional_db):
    return personas_create()


def test_one_tap_saves_free_places_in_place(browser_context, live_server, people):
    capacity = service_build(people.crisis_centre, people.shelter_service, free=3).capacities.get()
    page = signed_in(browser_context, live_server.url, "aigul")
    page.goto(live_server.url + "/directory/free-places/")
    page.evaluate("window.freePlacesMarker = 1")  # gone if the page reloads
    page.get_by_role("button", name="One place less").click()
    page.locator(f"#capacity-{capacity.pk} .free-number", has_text="2").wait_for()
    capacity.refresh_from_db()
    assert (capacity.available, page.evaluate("window.freePlacesMarker")) == (2, 1)


def test_referral_form_proposes_providers_with_free_places(browser_context, live_server, people):
    shelter = Agency.objects.create(
        name="Test Women's Shelter", type=Agency.Type.NGO, place=people.almaty
    )
    service_build(shelter, people.shelter_service, free=4, sex=Service.Sex.FEMALE)
    case = case_build(people.aigul)
    consent_build(people.aigul, case)
    page = signed_in(browser_context, live_server.url, "aigul")
    page.goto(live_server.url + f"/cases/{case.pk}/?tab=referrals")
    page.locator("#referrals summary").first.click()
    page.select_option("select[name=service_type]", str(people.shelter_service.pk))
    page.locator("#referral-providers li", has_text="Test Women's Shelter").wait_for()
    page.get_by_role("button", name="Refer here").click()
    assert page.eval_on_selector("select[name=to_agency]", "e => e.value") == str(shelter.pk)
