"""The case list: filters (codes, in the address), search by reference or name (never in the
address), and the receiving agency's home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases.choices import NrmStage, Section
from tirek.cases.lifecycle import case_stage_change
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def world(people):
    first = case_build(people.aigul, family_name="Firstova")
    second = case_build(people.aigul, family_name="Secondova")
    case_stage_change(
        actor=people.aigul,
        case_id=second.pk,
        stage=NrmStage.FIRST_ASSISTANCE,
        expected_version=second.version,
    )
    return first, second


def _client(actor):
    client = SecureClient()
    client.force_login(actor.user)
    return client


def _references(content: str, *cases) -> list[str]:
    return [case.reference for case in cases if case.reference in content]


def test_the_list_filters_by_stage_in_the_address(people, world):
    first, second = world
    url = reverse("cases:list") + "?stage=first_assistance"
    content = _client(people.aigul).get(url).content.decode()
    assert _references(content, first, second) == [second.reference]
    assert '<option value="first_assistance" selected>' in content


def test_an_unknown_filter_value_is_ignored(people, world):
    first, second = world
    content = _client(people.aigul).get(reverse("cases:list") + "?stage=nonsense").content
    assert _references(content.decode(), first, second) == [first.reference, second.reference]


def test_a_name_is_searched_by_post_and_never_put_in_the_address(people, world):
    first, second = world
    response = _client(people.aigul).post(reverse("cases:list"), {"q": "secondova"})
    content = response.content.decode()
    assert _references(content, first, second) == [second.reference]
    assert "Secondova" not in response.get("HX-Push-Url", "")


def test_a_name_is_found_in_another_alphabet_and_order(people, world):
    first, second = world
    olga = case_build(people.aigul, family_name="Образцова", first_name="Ольга")
    content = _client(people.aigul).post(reverse("cases:list"), {"q": "Olga Obraztsova"})
    assert _references(content.content.decode(), first, second, olga) == [olga.reference]


def test_a_reference_is_found_and_htmx_gets_only_the_rows(people, world):
    first, second = world
    response = _client(people.aigul).post(
        reverse("cases:list"), {"q": first.reference.lower()}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.startswith('<div id="case-rows"')
    assert _references(content, first, second) == [first.reference]


def test_a_receiver_finds_no_name_it_was_not_granted(people, world):
    first, second = world
    referral = referral_build(
        people.aigul,
        first,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.VICTIM],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client = _client(people.dana)
    assert (
        "No case matches" in client.post(reverse("cases:list"), {"q": "Firstova"}).content.decode()
    )
    content = client.get(reverse("cases:list") + "?owner=shared").content.decode()
    assert _references(content, first, second) == [first.reference]


def test_the_owner_filter_tells_mine_from_shared(people, world):
    first, second = world
    content = _client(people.aigul).get(reverse("cases:list") + "?owner=shared").content
    assert "No case matches" in content.decode()
    content = _client(people.aigul).get(reverse("cases:list") + "?owner=mine").content
    assert _references(content.decode(), first, second) == [first.reference, second.reference]


def test_the_receiving_agency_home_page_lists_the_cases_it_works_on(people, world):
    first, second = world
    referral = referral_build(
        people.aigul, first, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    content = _client(people.dana).get(reverse("web:home")).content.decode()
    assert "Cases you work on through referrals" in content
    assert first.reference in content and "Firstova" in content
    assert second.reference not in content


def test_the_api_filters_the_list(people, world):
    first, second = world
    api = ApiClient(people.aigul)
    body = api.get("/cases?stage=first_assistance").json()
    assert [item["reference"] for item in body["items"]] == [second.reference]
    body = api.get(f"/cases?reference={first.reference.lower()}").json()
    assert [item["reference"] for item in body["items"]] == [first.reference]
    body = api.get("/cases?owner=shared&limit=5").json()
    assert body["items"] == []
