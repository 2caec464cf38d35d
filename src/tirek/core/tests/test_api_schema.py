"""The OpenAPI description and the browsable docs."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/me",
    "/api/v1/reference/agencies",
    "/api/v1/reference/service-types",
    "/api/v1/reference/places",
    "/api/v1/reference/choices",
    "/api/v1/persons/search",
    "/api/v1/cases",
    "/api/v1/cases/{case_id}",
    "/api/v1/cases/{case_id}/victim",
    "/api/v1/cases/{case_id}/places",
    "/api/v1/cases/{case_id}/events",
    "/api/v1/cases/{case_id}/consents",
    "/api/v1/consents/{consent_id}/withdraw",
    "/api/v1/cases/{case_id}/referrals",
    "/api/v1/referrals/inbox",
    "/api/v1/referrals/sent",
    "/api/v1/referrals/{referral_id}",
    "/api/v1/referrals/{referral_id}/accept",
    "/api/v1/referrals/{referral_id}/decline",
    "/api/v1/referrals/{referral_id}/withdraw",
    "/api/v1/tokens",
    "/api/v1/tokens/{token_id}",
}


def _schema() -> dict[str, Any]:
    response = Client().get("/api/openapi.json", secure=True)
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_lists_every_foundation_route(db):
    assert EXPECTED_PATHS - set(_schema()["paths"]) == set()


def test_every_route_is_versioned(db):
    assert all(path.startswith("/api/v1/") for path in _schema()["paths"])


def test_openapi_uses_htcds_names(db):
    person = _schema()["components"]["schemas"]["PersonIn"]["properties"]
    assert {"prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_Citizenship"} <= set(person)


def test_openapi_documents_bearer_authentication(db):
    schemes = _schema()["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_docs_page_is_served(db):
    assert Client().get("/api/docs", secure=True).status_code == 200
