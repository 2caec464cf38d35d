"""Reads of case data: every page and endpoint that shows personal data records what it showed,
web and API alike; refused attempts are recorded without telling whether the case exists."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.core.audit import REFUSED, refusal_record
from tirek.core.errors import NotFound
from tirek.core.models import AuditEvent
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build

Read = tuple[str, str, tuple[str, ...]]


def _reads_since(mark: int) -> set[tuple[str, tuple[str, ...]]]:
    """(case id, sections) of every read recorded after event ``mark``."""
    events = CaseEvent.objects.filter(pk__gt=mark, kind=CaseEvent.Kind.CASE_VIEWED)
    return {(str(e.case_id), tuple(e.data["sections"])) for e in events}


def _mark() -> int:
    last = CaseEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def _web(actor: Any) -> Client:
    client = Client()
    client.force_login(actor.user)
    return client


@pytest.fixture
def shared(people):
    """Aigul's agency owns two cases of the same person (a match) and one of another person;
    the employment department received identity and trafficking details of the first."""
    first = case_build(people.aigul)
    twin = case_build(people.aigul, patronymic="")
    other = case_build(people.aigul, first_name="Sample", family_name="Exampleova")
    referral = referral_build(
        people.aigul,
        first,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.IDENTITY, Section.VICTIM],
    )
    from tirek.referrals.services import referral_accept

    referral_accept(actor=people.dana, referral_id=referral.pk)
    return {"first": first, "twin": twin, "other": other}


# --- every page showing personal data records its reads --------------------------------------


def test_web_case_list_records_the_names_and_details_shown(people, shared):
    mark = _mark()
    assert _web(people.dana).get(reverse("cases:list")).status_code == 200
    assert _reads_since(mark) == {(str(shared["first"].pk), ("identity", "victim"))}


@pytest.mark.parametrize(
    "path", ["/cases/{id}/events", "/cases/{id}/consents", "/cases/{id}/referrals"]
)
def test_case_parts_endpoints_record_the_read(people, shared, path):
    case = shared["first"]
    mark = _mark()
    response = ApiClient(people.aigul).get(path.format(id=case.pk))
    assert response.status_code == 200
    assert _reads_since(mark) == {(str(case.pk), tuple(sorted(Section.values)))}


def test_matches_endpoint_records_the_matched_names(people, shared):
    mark = _mark()
    response = ApiClient(people.aigul).get(f"/matching/cases/{shared['first'].pk}/matches")
    assert response.status_code == 200
    assert [m["case_id"] for m in response.json()["suggestions"]] == [str(shared["twin"].pk)]
    assert _reads_since(mark) == {(str(shared["twin"].pk), ("identity",))}


# --- web and API record the same reads --------------------------------------------------------

PAGES = {
    # web page -> the API calls that show the same data
    "case page": (
        lambda c: ("get", reverse("cases:detail", args=[c["first"].pk]), None),
        [
            "/cases/{first}",
            "/cases/{first}/events",
            "/cases/{first}/consents",
            "/cases/{first}/referrals",
            "/matching/cases/{first}/matches",
        ],
    ),
    "case list": (lambda c: ("get", reverse("cases:list"), None), ["/cases"]),
}


def _api_get(client: ApiClient, path: str, cases: dict[str, Case]) -> None:
    response = client.get(path.format(**{k: v.pk for k, v in cases.items()}))
    assert response.status_code in (200, 404), (path, response.status_code)


@pytest.mark.parametrize("persona", ["aigul", "dana", "outsider"])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_web_and_api_record_the_same_reads(people, shared, persona, page):
    actor = getattr(people, persona)
    web_call, api_paths = PAGES[page]
    method, url, body = web_call(shared)
    mark = _mark()
    getattr(_web(actor), method)(url, body or {})
    web_reads = _reads_since(mark)
    mark = _mark()
    client = ApiClient(actor)
    for path in api_paths:
        _api_get(client, path, shared)
    assert _reads_since(mark) == web_reads


@pytest.mark.parametrize("persona", ["aigul", "dana", "outsider"])
def test_web_and_api_screening_record_the_same_reads(people, shared, persona):
    from tirek.screening.tests.test_views_screening import saved

    screening = saved(people.aigul, shared["first"])
    actor = getattr(people, persona)
    mark = _mark()
    _web(actor).get(reverse("screening:detail", args=[screening.pk]))
    web_reads = _reads_since(mark)
    mark = _mark()
    ApiClient(actor).get(f"/screenings/{screening.pk}")
    assert _reads_since(mark) == web_reads
    expected = set() if persona == "outsider" else {(str(shared["first"].pk), ("victim",))}
    assert web_reads == expected


def test_web_and_api_search_record_the_same_reads(people, shared):
    mark = _mark()
    _web(people.aigul).post(reverse("cases:search"), {"search_name": "Synthetova"})
    web_reads = _reads_since(mark)
    mark = _mark()
    ApiClient(people.aigul).post("/persons/search", {"name": "Synthetova"})
    assert _reads_since(mark) == web_reads
    assert {case_id for case_id, _ in web_reads} == {
        str(shared["first"].pk),
        str(shared["twin"].pk),
    }


def test_web_and_api_intake_record_the_same_reads(people, shared):
    body = {"first_name": "Testgul", "family_name": "Synthetova", "birth_date": "1999-04-12"}
    mark = _mark()
    _web(people.aigul).post(reverse("matching:intake"), body, HTTP_HX_REQUEST="true")
    web_reads = _reads_since(mark)
    mark = _mark()
    api_body = {
        "prs_FirstName": "Testgul",
        "prs_SecondName": "Synthetova",
        "prs_Birthdate": "1999-04-12",
    }
    ApiClient(people.aigul).post("/matching/intake", api_body)
    assert _reads_since(mark) == web_reads
    assert len(web_reads) == 2


# --- refused attempts -------------------------------------------------------------------------


def _refusals() -> list[tuple[str, str, dict[str, Any]]]:
    rows = AuditEvent.objects.filter(action=REFUSED).order_by("seq")
    return [(r.object_type, r.object_id, r.data) for r in rows]


def test_a_refused_case_is_recorded_the_same_whether_it_exists_or_not(people, shared):
    existing, missing = shared["first"].pk, uuid.uuid4()
    api = ApiClient(people.outsider)
    answers = [api.get(f"/cases/{case_id}") for case_id in (existing, missing)]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert _refusals() == [
        ("case", str(existing), {"via": "api"}),
        ("case", str(missing), {"via": "api"}),
    ]
    assert not shared["first"].events.filter(actor_user=people.outsider.user).exists()


def test_a_refused_case_page_is_recorded(people, shared):
    response = _web(people.outsider).get(reverse("cases:detail", args=[shared["other"].pk]))
    assert response.status_code == 404
    assert _refusals() == [("case", str(shared["other"].pk), {"via": "web"})]


def test_a_refused_change_is_recorded_too(people, shared):
    response = ApiClient(people.outsider).post(
        f"/cases/{shared['first'].pk}/places", {"hte_Type": "Exploitation", "hte_Country": "KAZ"}
    )
    assert response.status_code == 404
    assert _refusals() == [("case", str(shared["first"].pk), {"via": "api"})]


def test_a_malformed_id_is_recorded_without_it(people):
    typed = "Synthetova Testgul"  # free text where an id belongs: never stored
    refusal_record(
        actor=people.outsider, error=NotFound("x", object_type="case", object_id=typed), via="api"
    )
    assert _refusals() == [("case", "", {"via": "api", "malformed": True})]


def test_refused_referrals_and_screenings_are_recorded_too(people, shared):
    from tirek.screening.tests.test_views_screening import saved

    screening = saved(people.aigul, shared["first"])
    referral = shared["first"].referrals.get()
    api = ApiClient(people.outsider)
    assert api.get(f"/screenings/{screening.pk}").status_code == 404
    assert api.get(f"/referrals/{referral.pk}").status_code == 404
    assert _refusals() == [
        ("screening", str(screening.pk), {"via": "api"}),
        ("referral", str(referral.pk), {"via": "api"}),
    ]
