"""How many cases the list holds: exact up to ``TIREK_CASE_LIST_COUNT_LIMIT``, "more than" beyond
it, the same in the web list and the API, and paging goes on past the limit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases import views
from tirek.cases.models import Case
from tirek.cases.selectors import CaseCount, cases_visible_count
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_accepted_build
from tirek.web.tests.support import SecureClient


def _own(people, count: int) -> list[Case]:
    """``count`` cases of the crisis centre, oldest first."""
    return [case_build(people.aigul, patronymic=f"N{number}") for number in range(count)]


def _shared(people, count: int) -> list[Case]:
    """``count`` crisis centre cases shared with (accepted by) the employment department."""
    cases = _own(people, count)
    for case in cases:
        referral_accepted_build(
            people.aigul, case, receiver=people.dana, service=people.employment_service
        )
    return cases


@pytest.fixture
def low_limit(settings):
    settings.TIREK_CASE_LIST_COUNT_LIMIT = 3
    return 3


def _client(actor):
    client = SecureClient()
    client.force_login(actor.user)
    return client


# --- the count --------------------------------------------------------------------------------


def test_below_the_limit_the_count_is_exact(people, low_limit):
    _own(people, 3)
    assert cases_visible_count(actor=people.aigul) == CaseCount(value=3, is_exact=True)


def test_above_the_limit_the_count_says_more_than_the_limit(people, low_limit):
    _own(people, 4)
    assert cases_visible_count(actor=people.aigul) == CaseCount(value=3, is_exact=False)


def test_own_and_shared_cases_together_pass_the_limit(people, low_limit):
    _shared(people, 2)
    case_build(people.dana)
    case_build(people.dana)
    assert cases_visible_count(actor=people.dana) == CaseCount(value=3, is_exact=False)


def test_shared_cases_alone_are_counted_up_to_the_limit(people, low_limit):
    _shared(people, 3)
    assert cases_visible_count(actor=people.dana) == CaseCount(value=3, is_exact=True)


def test_the_limit_counts_the_filtered_cases(people, low_limit):
    first, *_rest = _own(people, 5)
    count = cases_visible_count(
        actor=people.aigul, refine=lambda cases: cases.filter(reference=first.reference)
    )
    assert count == CaseCount(value=1, is_exact=True)


def test_a_person_outside_case_work_counts_nothing(people):
    assert cases_visible_count(actor=people.agency_admin) == CaseCount(value=0, is_exact=True)


# --- the API ------------------------------------------------------------------------------------


def test_the_api_says_whether_its_count_is_exact(people):
    _own(people, 3)
    body = ApiClient(people.aigul).get("/cases?limit=2").json()
    assert (body["count"], body["count_is_exact"], body["has_more"]) == (3, True, True)


def test_the_api_caps_its_count_at_the_limit(people, low_limit):
    _own(people, 5)
    body = ApiClient(people.aigul).get("/cases?limit=2").json()
    assert (body["count"], body["count_is_exact"], body["has_more"]) == (3, False, True)


def test_the_api_pages_past_the_limit_to_the_last_case(people, low_limit):
    oldest, *_rest = _own(people, 5)
    body = ApiClient(people.aigul).get("/cases?limit=2&offset=4").json()
    assert ([item["reference"] for item in body["items"]], body["has_more"]) == (
        [oldest.reference],
        False,
    )


# --- the web list -------------------------------------------------------------------------------


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(views, "CASES_PER_PAGE", 2)


def test_the_web_list_says_more_than_the_limit(people, low_limit, two_a_page):
    _own(people, 5)
    content = _client(people.aigul).get(reverse("cases:list")).content.decode()
    assert "More than 3 cases" in content and "Page 1<" in content


def test_the_web_list_gives_the_exact_count_and_pages_below_the_limit(people, two_a_page):
    _own(people, 5)
    content = _client(people.aigul).get(reverse("cases:list")).content.decode()
    assert "5 cases" in content and "Page 1 of 3" in content


def test_the_web_list_pages_past_the_limit(people, low_limit, two_a_page):
    oldest, *_rest = _own(people, 5)
    content = _client(people.aigul).get(reverse("cases:list") + "?page=3").content.decode()
    assert (oldest.reference in content, "?page=2" in content, "?page=4" in content) == (
        True,
        True,
        False,
    )


def test_a_page_past_the_end_beyond_the_limit_shows_the_first(people, low_limit, two_a_page):
    *_older, newest = _own(people, 5)
    content = _client(people.aigul).get(reverse("cases:list") + "?page=40").content.decode()
    assert newest.reference in content and "Page 1<" in content


def test_a_page_past_the_end_below_the_limit_shows_the_last(people, two_a_page):
    oldest, *_rest = _own(people, 5)
    content = _client(people.aigul).get(reverse("cases:list") + "?page=40").content.decode()
    assert oldest.reference in content and "Page 3 of 3" in content


def test_a_page_number_that_is_not_a_number_shows_the_first(people, two_a_page):
    *_older, newest = _own(people, 3)
    content = _client(people.aigul).get(reverse("cases:list") + "?page=-2").content.decode()
    assert newest.reference in content and "Page 1 of 2" in content


def test_pages_merge_own_and_shared_cases_newest_first(people):
    """Own and shared cases are taken apart and merged: every page is in the list's order."""
    shared_old, shared_new = _shared(people, 2)
    own_old = case_build(people.dana)
    (shared_newest,) = _shared(people, 1)
    own_new = case_build(people.dana)
    api = ApiClient(people.dana)
    pages = [api.get(f"/cases?limit=2&offset={offset}").json() for offset in (0, 2, 4)]
    seen = [item["reference"] for page in pages for item in page["items"]]
    newest_first = [own_new, shared_newest, own_old, shared_new, shared_old]
    assert (seen, [page["has_more"] for page in pages]) == (
        [case.reference for case in newest_first],
        [True, True, False],
    )
