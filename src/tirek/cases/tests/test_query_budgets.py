"""Query budgets: a list costs the same number of queries whatever the number of rows it shows.

Access is decided for a page at once (one query per access source) and the page's reads are
appended to the timeline at once, so 5 and 25 rows must cost the same.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build, transfer_build


def _grow(people, count: int) -> None:
    """``count`` more cases owned by the crisis centre, half of them shared with the employment
    department (identity and trafficking details), all of one name so that searches find them."""
    for number in range(count):
        case = case_build(people.aigul, patronymic=f"N{number}")
        if number % 2 == 0:
            referral = referral_build(
                people.aigul,
                case,
                to=people.employment,
                service=people.employment_service,
                sections=[Section.IDENTITY, Section.VICTIM],
            )
            referral_accept(actor=people.dana, referral_id=referral.pk)


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def _web(actor) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


def _counts(people, call_for: Callable[[object], Callable[[], object]]) -> dict[str, list[int]]:
    """Queries of the same call as the owner and as the receiver, with 5 and then 25 cases."""
    counts: dict[str, list[int]] = {"aigul": [], "dana": []}
    for grow in (5, 20):
        _grow(people, grow)
        for name in counts:
            actor = getattr(people, name)
            call = call_for(actor)
            call()  # warm: sessions, caches
            counts[name].append(_queries(call))
    return counts


LIMITS = {
    # endpoint -> at most this many queries (whatever the number of rows); PostgreSQL's counts,
    # access decided with one query per access source (referrals, oversight, kept after transfer)
    "api case list": 13,
    "web case list": 22,  # two counts: own cases (index-only), shared ones
    # the matching index (common keys and the rest at once), the candidates' names and dates,
    # then the cases of those that fit only (decrypting no case, agency or worker row of the up
    # to 200 candidates that do not: most of the search box's time in its profile)
    "api person search": 15,
    "web person search": 20,
}


def _api_list(actor):
    client = ApiClient(actor)
    return lambda: client.get("/cases?limit=50")


def _web_list(actor):
    client = _web(actor)
    return lambda: client.get(reverse("cases:list"))


def _api_search(actor):
    client = ApiClient(actor)
    return lambda: client.post("/persons/search", {"name": "Synthetova"})


def _web_search(actor):
    client = _web(actor)
    return lambda: client.post(
        reverse("cases:search"), {"search_name": "Synthetova"}, HTTP_HX_REQUEST="true"
    )


CALLS = {
    "api case list": _api_list,
    "web case list": _web_list,
    "api person search": _api_search,
    "web person search": _web_search,
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_queries_do_not_grow_with_rows(people, name):
    counts = _counts(people, CALLS[name])
    for persona, (few, many) in counts.items():
        assert few == many, (name, persona, counts)
        assert many <= LIMITS[name], (name, persona, counts)


# --- pages with a growing number of related rows -----------------------------------------------


def _referrals(people, count: int) -> None:
    """``count`` more cases referred to the employment department (waiting in its inbox)."""
    for number in range(count):
        case = case_build(people.aigul, family_name=f"Inbox{'x' * number}")
        referral_build(people.aigul, case, to=people.employment, service=people.employment_service)


def _transfers(people, count: int) -> None:
    """``count`` more police cases proposed to the crisis centre (waiting in its inbox)."""
    for number in range(count):
        case = case_build(people.nurlan, family_name=f"Transfer{'x' * number}")
        transfer_build(people.nurlan, case, to=people.crisis_centre)


def _same_person(people, count: int) -> None:
    """``count`` more records of the same person at the crisis centre (similar persons)."""
    for _ in range(count):
        case_build(people.aigul)


def _measure(grow: Callable[[object, int], None], people, call: Callable[[], object]) -> list[int]:
    counts = []
    for more in (1, 5):
        grow(people, more)
        call()  # warm: sessions, caches
        counts.append(_queries(call))
    return counts


PAGES = {
    # name -> (how rows grow, who calls, the call, at most this many queries)
    "api referrals inbox": (_referrals, "dana", lambda a: _api(a, "/referrals/inbox"), 10),
    "web referrals inbox": (_referrals, "dana", lambda a: _page(a, "referrals:inbox"), 16),
    "api referrals sent": (_referrals, "aigul", lambda a: _api(a, "/referrals/sent"), 10),
    "api transfers received": (_transfers, "aigul", lambda a: _api(a, "/transfers"), 10),
    "web inbox with transfers": (_transfers, "aigul", lambda a: _page(a, "referrals:inbox"), 17),
    "api transfers sent": (_transfers, "nurlan", lambda a: _api(a, "/transfers?direction=sent"), 3),
    "web transfers sent": (
        _transfers,
        "nurlan",
        lambda a: _page(a, "referrals:transfers_sent"),
        11,
    ),
    "api intake": (_same_person, "aigul", lambda a: _intake(a), 21),
}


def _api(actor, path: str) -> Callable[[], object]:
    client = ApiClient(actor)
    return lambda: client.get(path)


def _page(actor, name: str, *args: object) -> Callable[[], object]:
    client = _web(actor)
    return lambda: client.get(reverse(name, args=args))


def _intake(actor) -> Callable[[], object]:
    client = ApiClient(actor)
    body = {
        "prs_FirstName": "Testgul",
        "prs_SecondName": "Synthetova",
        "prs_Birthdate": "1999-04-12",
    }
    return lambda: client.post("/matching/intake", body)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_queries_do_not_grow_with_related_rows(people, name):
    grow, persona, call_for, limit = PAGES[name]
    few, many = _measure(grow, people, call_for(getattr(people, persona)))
    assert few == many, (name, few, many)
    assert many <= limit, (name, many)


def test_case_page_queries_do_not_grow_with_similar_persons(people):
    case = case_build(people.aigul)
    counts = []
    for more in (1, 5):
        _same_person(people, more)
        for call in (
            _page(people.aigul, "cases:detail", case.pk),
            _api(people.aigul, f"/matching/cases/{case.pk}/matches"),
        ):
            call()
            counts.append(_queries(call))
    page_few, api_few, page_many, api_many = counts
    assert (page_few, api_few) == (page_many, api_many), counts
    assert page_many <= 34 and api_many <= 13, counts  # PostgreSQL: a few more than SQLite
