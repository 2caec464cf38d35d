"""Every case, consent and referral route, walked by someone outside the case's circle.

The outsider (health department, no referral) must get 404 everywhere, as if nothing existed, and
empty lists; nothing may be written. Administrators do not read cases at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from tirek.cases.models import CaseEvent
from tirek.protection.models import Consent
from tirek.protection.perpetrators import perpetrator_add
from tirek.referrals.models import CaseTransfer, Referral
from tirek.referrals.outside import outside_referral_record
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build


@dataclass
class World:
    case: str
    consent: str
    accepted: str
    pending: str
    police: str
    investigation: int
    outside: str
    perpetrator: str


@pytest.fixture
def world(people) -> World:
    case = case_build(people.aigul)
    accepted = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=accepted.pk)
    pending = referral_build(
        people.aigul, case, to=people.police, service=people.investigation_service
    )
    outside = outside_referral_record(
        actor=people.aigul,
        case_id=case.pk,
        service_type_id=people.shelter_service.pk,
        consent_id=accepted.consent_id,
        sections=["identity"],
        provider_id=people.employment.pk,
    )
    return World(
        outside=str(outside.pk),
        case=str(case.pk),
        consent=str(accepted.consent_id),
        accepted=str(accepted.pk),
        pending=str(pending.pk),
        police=str(people.police.pk),
        investigation=people.investigation_service.pk,
        perpetrator=str(
            perpetrator_add(actor=people.aigul, case_id=case.pk, roles=["Exploiter"]).pk
        ),
    )


# (method, path template, body); templates use the World's attribute names.
OBJECT_ROUTES = [
    ("GET", "/cases/{case}", None),
    ("PATCH", "/cases/{case}/victim", {"version": 1, "vic_AgeWhenTrafficked": 5}),
    ("PATCH", "/cases/{case}/person/identity", {"version": 1, "prs_SecondName": "X"}),
    ("PATCH", "/cases/{case}/person/contact", {"version": 1, "contact_notes": "X"}),
    ("GET", "/cases/{case}/notes", None),
    ("GET", "/cases/{case}/attachments", None),
    ("POST", "/cases/{case}/attachments", {"kind": "consent_form"}),
    ("POST", "/cases/{case}/notes", {"text": "X"}),
    ("GET", "/cases/{case}/tasks", None),
    ("POST", "/cases/{case}/tasks", {"title": "X", "due_on": "2026-12-01", "owner_id": "{case}"}),
    ("POST", "/cases/{case}/places", {"hte_Country": "KAZ"}),
    ("GET", "/cases/{case}/events", None),
    ("GET", "/cases/{case}/consents", None),
    ("POST", "/cases/{case}/consents", {"method": "written", "sections": ["identity"]}),
    ("POST", "/consents/{consent}/withdraw", {"reason": "x"}),
    ("GET", "/cases/{case}/referrals", None),
    (
        "POST",
        "/cases/{case}/referrals",
        {
            "cas_ReferredOrganisation": "{police}",
            "service_type_id": "{investigation}",
            "consent_id": "{consent}",
            "sections": ["identity"],
        },
    ),
    ("GET", "/referrals/{accepted}", None),
    ("GET", "/referrals/{pending}", None),
    ("POST", "/referrals/{pending}/accept", None),
    ("POST", "/referrals/{pending}/decline", {"reason": "x"}),
    ("POST", "/referrals/{pending}/withdraw", {"reason": "x"}),
    ("POST", "/referrals/{accepted}/withdraw", {"reason": "x"}),
    ("POST", "/referrals/{accepted}/outcome", {"delivered": True}),
    ("POST", "/referrals/{pending}/resend", {"cas_ReferredOrganisation": "{police}"}),
    ("POST", "/referrals/{pending}/questions", {"question": "x"}),
    ("GET", "/cases/{case}/outside-referrals", None),
    (
        "POST",
        "/cases/{case}/outside-referrals",
        {
            "service_type_id": "{investigation}",
            "consent_id": "{consent}",
            "sections": ["identity"],
            "provider_id": "{police}",
        },
    ),
    ("GET", "/outside-referrals/{outside}/form.pdf", None),
    ("POST", "/outside-referrals/{outside}/outcome", {"delivered": True}),
    ("POST", "/referrals/{pending}/answer", {"answer": "x"}),
    ("GET", "/cases/{case}/transfers", None),
    (
        "POST",
        "/cases/{case}/transfers",
        {"to_agency_id": "{police}", "consent_id": "{consent}", "kept_sections": [], "reason": "x"},
    ),
    ("POST", "/cases/{case}/close", {"version": 1, "cas_ReasonForCaseClosure": "x"}),
    ("POST", "/cases/{case}/reopen", {"version": 1}),
    ("POST", "/cases/{case}/stage", {"version": 1, "nrm_stage": "first_assistance"}),
    ("GET", "/cases/{case}/checklist", None),
    ("POST", "/cases/{case}/subject-access", None),
    ("GET", "/cases/{case}/erasure-requests", None),
    ("POST", "/cases/{case}/erasure-requests", {"legal_basis": "x"}),
    ("POST", "/cases/{case}/erasure-requests/{case}/execute", None),
    ("GET", "/cases/{case}/screenings", None),
    (
        "POST",
        "/cases/{case}/status-decisions",
        {
            "expected_version": 1,
            "vic_TraffickingStatus": "ActualVictimOfTrafficking",
            "screening_id": "{case}",
        },
    ),
    ("GET", "/matching/cases/{case}/matches", None),
    ("GET", "/cases/{case}/reflection-periods", None),
    ("GET", "/cases/{case}/child", None),
    ("GET", "/cases/{case}/perpetrators", None),
    ("GET", "/cases/{case}/return-plan", None),
    ("PUT", "/cases/{case}/return-plan", {"version": 0, "destination_country": "UZB"}),
    ("GET", "/cases/{case}/proceedings", None),
    ("POST", "/cases/{case}/proceedings", {"role": "witness"}),
    ("POST", "/cases/{case}/perpetrators", {"per_RoleInProcess": ["Exploiter"]}),
    ("PUT", "/perpetrators/{perpetrator}", {"version": 1, "per_RoleInProcess": ["Exploiter"]}),
    ("DELETE", "/perpetrators/{perpetrator}", None),
    ("POST", "/cases/{case}/child", {"is_child": True}),
    ("PUT", "/cases/{case}/guardian", {"version": 0, "name": "x", "relation": "parent"}),
    ("POST", "/cases/{case}/best-interests", {"assessment": "x", "decision": "other"}),
    ("POST", "/cases/{case}/reflection-periods", {}),
    ("GET", "/cases/{case}/risk-assessments", None),
    ("POST", "/cases/{case}/risk-assessments", {"level": "low"}),
    ("GET", "/cases/{case}/safety-plan", None),
    ("PUT", "/cases/{case}/safety-plan", {"version": 0, "measures": "x"}),
    ("GET", "/cases/{case}/support-plans", None),
    ("POST", "/cases/{case}/support-plans", {"spl_Type": "Health", "spl_Objectives": "x"}),
    ("POST", "/matching/pairs", {"case_a": "{case}", "case_b": "{case}", "decision": "same"}),
    ("POST", "/matching/check-requests", {"case_id": "{case}"}),
    ("GET", "/matching/review", None),
    (
        "POST",
        "/matching/review/decide",
        {"case_a": "{case}", "case_b": "{case}", "decision": "same"},
    ),
]

LIST_ROUTES = [
    ("GET", "/cases", None),
    ("GET", "/referrals/inbox", None),
    ("GET", "/referrals/sent", None),
    ("POST", "/persons/search", {"name": "Synthetova"}),
    ("POST", "/matching/intake", {"prs_SecondName": "Synthetova", "prs_FirstName": "Testgul"}),
]


def _fill(value, world: World):
    text = json.dumps(value)
    for name, replacement in vars(world).items():
        text = text.replace('"{' + name + '}"', json.dumps(replacement))
        text = text.replace("{" + name + "}", str(replacement))
    return json.loads(text)


def _call(client: ApiClient, route, world: World):
    method, path, body = route
    return client.request(method, _fill(path, world), _fill(body, world) if body else body)


def _state() -> tuple[object, ...]:
    return (
        CaseEvent.objects.count(),
        sorted(Referral.objects.values_list("status", flat=True)),
        Consent.objects.filter(withdrawn_at__isnull=True).count(),
        CaseTransfer.objects.count(),
    )


def _is_empty(response) -> bool:
    body = response.json()
    return body == [] or body.get("count") == 0


def _route_id(route) -> str:
    return f"{route[0]} {route[1]}"


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_route_id)
def test_outsider_gets_404(people, world, route):
    response = _call(ApiClient(people.outsider), route, world)
    assert response.status_code == 404, response.content


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_route_id)
def test_outsider_writes_nothing(people, world, route):
    before = _state()
    _call(ApiClient(people.outsider), route, world)
    assert _state() == before


@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=_route_id)
def test_outsider_learns_no_name(people, world, route):
    response = _call(ApiClient(people.outsider), route, world)
    assert "Synthetova" not in response.content.decode()


@pytest.mark.parametrize("route", LIST_ROUTES, ids=_route_id)
def test_outsider_gets_empty_lists(people, world, route):
    assert _is_empty(_call(ApiClient(people.outsider), route, world))


READ_ROUTES = [r for r in OBJECT_ROUTES if r[0] == "GET"]


@pytest.mark.parametrize("route", READ_ROUTES, ids=_route_id)
def test_administrator_gets_404(people, world, route):
    assert _call(ApiClient(people.agency_admin), route, world).status_code == 404


@pytest.mark.parametrize("route", LIST_ROUTES, ids=_route_id)
def test_administrator_gets_empty_lists(people, world, route):
    assert _is_empty(_call(ApiClient(people.system_admin), route, world))


def test_the_walk_covers_every_route_about_a_case_consent_or_referral(db):
    schema = json.loads(Client().get("/api/openapi.json", secure=True).content)
    walked = {
        (method, re.sub(r"\{\w+\}", "{}", path))
        for method, path, _body in OBJECT_ROUTES + LIST_ROUTES
    }
    routes = {
        (method.upper(), re.sub(r"\{\w+\}", "{}", path.removeprefix("/api/v1")))
        for path, operations in schema["paths"].items()
        for method in operations
        if re.search(r"/(cases|consents|referrals|persons)\b", path)
    }
    registering = {("POST", "/cases")}  # creates a new case: open to every case worker
    assert routes - walked - registering == set()
