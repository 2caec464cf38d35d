"""Web pages of matching: intake partial, flag, check request, case panel, coordinator page."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tirek.matching.models import MatchCheckRequest, PersonPair
from tirek.web.tests.support import SecureClient

from .conftest import zhumabayeva

TYPED = {
    "family_name": "Zhumabayeva",
    "first_name": "Aigerim",
    "patronymic": "",
    "sex": "F",
    "birth_date": "1994-03-12",
    "birth_date_precision": "day",
    "citizenship": ["KAZ"],
}
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def client_of(actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def test_registration_page_loads_intake_matching(world):
    page = client_of(world.people.aigul).get(reverse("cases:register")).content.decode()
    assert reverse("matching:intake") in page


def test_intake_shows_the_visible_match_with_its_explanation(world):
    html = (
        client_of(world.people.nurlan)
        .post(reverse("matching:intake"), TYPED, **HTMX)
        .content.decode()
    )
    assert world.police_case.reference in html and "matches across scripts" in html


def test_intake_shows_the_outsider_only_the_flag(world):
    html = (
        client_of(world.people.outsider)
        .post(reverse("matching:intake"), TYPED, **HTMX)
        .content.decode()
    )
    assert "A possible match exists at another agency" in html


def test_intake_tells_the_outsider_no_name_reference_or_agency(world):
    html = (
        client_of(world.people.outsider)
        .post(reverse("matching:intake"), TYPED, **HTMX)
        .content.decode()
    )
    secrets = ["ЖУМАБАЕВА", "Кайратовна", world.people.police.name, world.people.crisis_centre.name]
    secrets += [world.police_case.reference, world.crisis_case.reference, str(world.police_case.pk)]
    assert [s for s in secrets if s in html] == []


def test_intake_needs_a_login(world):
    response = SecureClient().post(reverse("matching:intake"), TYPED)
    assert response.status_code == 302


def test_ask_the_coordinator_from_intake(world):
    response = client_of(world.people.outsider).post(
        reverse("matching:check_request"), TYPED, **HTMX
    )
    assert (response.status_code, MatchCheckRequest.objects.count()) == (201, 1)


def test_asking_without_a_hidden_match_records_nothing(world):
    typed = TYPED | {"birth_date": "1971-08-30"}
    response = client_of(world.people.outsider).post(
        reverse("matching:check_request"), typed, **HTMX
    )
    assert (response.status_code, MatchCheckRequest.objects.count()) == (409, 0)


def test_case_page_suggests_the_other_record(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    page = client_of(world.people.aigul).get(reverse("cases:detail", args=[world.crisis_case.pk]))
    assert other.reference in page.content.decode()


def test_case_page_offers_to_ask_the_coordinator(world):
    page = client_of(world.people.aigul).get(reverse("cases:detail", args=[world.crisis_case.pk]))
    assert "Ask the coordinator to check" in page.content.decode()


def test_confirm_from_the_case_page(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    response = client_of(world.people.aigul).post(
        reverse("matching:pair_decide"),
        {"case_a": world.crisis_case.pk, "case_b": other.pk, "decision": "same"},
    )
    assert (response.status_code, PersonPair.objects.get().status) == (302, "confirmed")


def test_confirm_by_the_outsider_is_404(world):
    response = client_of(world.people.outsider).post(
        reverse("matching:pair_decide"),
        {"case_a": world.crisis_case.pk, "case_b": world.police_case.pk, "decision": "same"},
    )
    assert response.status_code == 404


def test_malformed_case_id_is_404(world):
    response = client_of(world.people.aigul).post(
        reverse("matching:pair_decide"), {"case_a": "x", "case_b": "y", "decision": "same"}
    )
    assert response.status_code == 404


def test_supervisor_undoes_from_the_case_page(world):
    other = zhumabayeva(world.people.aigul, cyrillic=True)
    client_of(world.people.aigul).post(
        reverse("matching:pair_decide"),
        {"case_a": world.crisis_case.pk, "case_b": other.pk, "decision": "same"},
    )
    pair = PersonPair.objects.get()
    client_of(world.supervisor).post(
        reverse("matching:pair_undo", args=[pair.pk]), {"case_id": world.crisis_case.pk}
    )
    pair.refresh_from_db()
    assert pair.status == "undone"


def test_ask_the_coordinator_from_the_case_page(world):
    response = client_of(world.people.aigul).post(
        reverse("matching:check_request"), {"case_id": world.crisis_case.pk}
    )
    assert (response.status_code, MatchCheckRequest.objects.get().case_id) == (
        302,
        world.crisis_case.pk,
    )


@pytest.fixture
def asked(world):
    client_of(world.people.aigul).post(
        reverse("matching:check_request"), {"case_id": world.crisis_case.pk}
    )
    return MatchCheckRequest.objects.get()


def test_coordinator_page_lists_both_references(world, asked):
    html = client_of(world.coordinator).get(reverse("matching:checks")).content.decode()
    assert world.crisis_case.reference in html and world.police_case.reference in html


def test_requester_page_hides_the_candidates(world, asked):
    html = client_of(world.people.aigul).get(reverse("matching:checks")).content.decode()
    assert world.police_case.reference not in html


def test_coordinator_answers_from_the_page(world, asked):
    client_of(world.coordinator).post(
        reverse("matching:check_resolve", args=[asked.pk]),
        {"decision": "same", "case_id": world.police_case.pk},
    )
    asked.refresh_from_db()
    assert asked.status == MatchCheckRequest.Status.SAME


def test_coordinators_find_match_checks_in_the_navigation(world):
    page = client_of(world.coordinator).get(reverse("web:home")).content.decode()
    assert reverse("matching:checks") in page


def test_case_workers_have_no_match_checks_link(world):
    page = client_of(world.people.aigul).get(reverse("web:home")).content.decode()
    assert reverse("matching:checks") not in page
