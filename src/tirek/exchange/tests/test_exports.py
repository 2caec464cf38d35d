"""The exports from the page and the API: who may run them, what they contain, what is recorded."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import Section
from tirek.cases.models import CaseEvent
from tirek.core.models import AuditEvent
from tirek.exchange.models import CtdcExport
from tirek.exchange.services import CTDC_EXPORTED, HTCDS_EXPORTED, VIA_EXPORT
from tirek.protection.models import Consent
from tirek.protection.services import consent_record, consent_withdraw
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

PHONE = "+77015550199"


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def consent_to(actor: Actor, case, partner: Agency, sections: list[str]) -> Consent:
    return consent_record(
        actor=actor,
        case=case,
        purpose=Consent.Purpose.DATA_PROCESSING,
        method=Consent.Method.WRITTEN,
        sections=sections,
        recipient_agency_id=partner.pk,
    )


@pytest.fixture
def world(people):
    partner = people.embassy
    shared = case_build(people.aigul, first_name="Testshared", mobile_phone=PHONE)
    consent_to(people.aigul, shared, partner, [Section.IDENTITY, Section.VICTIM])
    contact_only_elsewhere = case_build(people.aigul, first_name="Testelsewhere")
    consent_to(people.aigul, contact_only_elsewhere, people.police, [Section.CONTACT])
    case_build(people.aigul, first_name="Testsilent")  # no consent at all
    return {
        "people": people,
        "partner": partner,
        "shared": shared,
        "chief": member("exchange-chief", people.crisis_centre, Role.SUPERVISOR),
        "other_chief": member("exchange-other-chief", people.health, Role.SUPERVISOR),
    }


def _client(actor: Actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def _post_htcds(world, actor, fmt="csv"):
    return _client(actor).post(
        reverse("exchange:htcds"), {"partner": str(world["partner"].pk), "format": fmt}
    )


def test_htcds_csv_holds_only_consented_cases_and_fields(world):
    response = _post_htcds(world, world["chief"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["prs_FirstName"] for row in rows] == ["Testshared"]
    assert rows[0]["vic_TypeOfExploitation"] == "ForcedLabour"
    assert rows[0]["prs_Citizenship"] == "KAZ"
    assert rows[0]["Id"] == str(world["shared"].pk)
    assert "prs_MobilePhone" not in rows[0]  # contact was not consented
    assert PHONE not in response.content.decode()


def test_every_exported_case_is_a_read_and_the_export_an_audit_event(world):
    _post_htcds(world, world["chief"], fmt="json")
    reads = CaseEvent.objects.filter(kind=CaseEvent.Kind.CASE_VIEWED, data__via=VIA_EXPORT)
    assert [(e.case_id, e.data["sections"]) for e in reads] == [
        (world["shared"].pk, [Section.IDENTITY, Section.VICTIM])
    ]
    event = AuditEvent.objects.get(action=HTCDS_EXPORTED)
    assert event.actor_user_id == world["chief"].user.pk
    assert event.object_id == str(world["partner"].pk)
    assert event.data == {"format": "json", "channel": "web", "cases": 1}


def test_a_withdrawn_consent_stops_the_export(world):
    consent = Consent.objects.get(case=world["shared"])
    consent_withdraw(actor=world["people"].aigul, consent_id=consent.pk)
    response = _post_htcds(world, world["chief"])
    assert list(csv.DictReader(io.StringIO(response.content.decode()))) == []


def test_the_api_gives_the_same_json(world):
    response = ApiClient(world["chief"]).post(
        "/exchange/htcds", {"partner_id": str(world["partner"].pk), "format": "json"}
    )
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["standard"] == "HTCDS 2.0"
    (case,) = payload["cases"]
    assert case["prs_FirstName"] == "Testshared"
    assert case["vic_TraffickingStatus"] == "PossibleVictimOfTrafficking"
    assert "hte" not in case and "prs_Email" not in case
    assert AuditEvent.objects.get(action=HTCDS_EXPORTED).data["channel"] == "api"


def test_another_agencys_supervisor_exports_none_of_these_cases(world):
    response = _post_htcds(world, world["other_chief"], fmt="json")
    assert json.loads(response.content)["cases"] == []
    assert not CaseEvent.objects.filter(data__via=VIA_EXPORT).exists()


@pytest.mark.parametrize("persona", ["aigul", "outsider", "agency_admin", "system_admin"])
def test_case_workers_outsiders_and_administrators_may_not_export(world, persona):
    actor = getattr(world["people"], persona)
    assert _client(actor).get(reverse("exchange:index")).status_code == 403
    assert _post_htcds(world, actor).status_code == 403
    assert _client(actor).post(reverse("exchange:ctdc"), {"format": "csv"}).status_code == 403
    api = ApiClient(actor)
    body = {"partner_id": str(world["partner"].pk), "format": "csv"}
    assert api.post("/exchange/htcds", body).status_code == 403
    assert api.post("/exchange/ctdc", {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="exchange.").exists()
    assert not CaseEvent.objects.filter(data__via=VIA_EXPORT).exists()


def test_an_unknown_partner_is_a_clear_validation_error(world):
    page = _client(world["chief"]).post(
        reverse("exchange:htcds"), {"partner": str(world["people"].crisis_centre.pk)}
    )
    assert page.status_code == 422
    api = ApiClient(world["chief"]).post(
        "/exchange/htcds",
        {"partner_id": str(world["people"].crisis_centre.pk), "format": "json"},
        language="ru",
    )
    assert api.status_code in {400, 422}
    assert "Выберите" in json.dumps(api.json(), ensure_ascii=False)
    assert not AuditEvent.objects.filter(action=HTCDS_EXPORTED).exists()


def test_the_page_shows_both_exports_in_kazakh(world):
    client = _client(world["chief"])
    page = client.get(reverse("exchange:index"), HTTP_ACCEPT_LANGUAGE="kk")
    assert page.status_code == 200
    assert world["partner"].name in page.content.decode()


def test_ctdc_export_is_k_anonymous_and_audited(world, settings):
    settings.TIREK_STATISTICS_K = 2
    # The world's three cases share family name, patronymic and birth date: matching scores them
    # as one person with high confidence, so they count once. Two more women, clearly others:
    for name, family, born in (("Testa", "Alieva", 1990), ("Testb", "Bekova", 1985)):
        case_build(
            world["people"].aigul,
            first_name=name,
            family_name=family,
            patronymic="",
            birth_date=datetime.date(born, 5, 5),
        )
    coordinator = world["chief"]
    client = _client(coordinator)
    assert client.post(reverse("exchange:ctdc"), {"format": "csv"}).status_code == 302
    tasks_run_pending()
    export = CtdcExport.objects.get()
    response = client.get(reverse("exchange:ctdc_file", args=[export.pk]))
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 3  # three people alike after generalisation: nobody suppressed
    assert {row["gender"] for row in rows} == {"Female"}
    assert {row["isForcedLabour"] for row in rows} == {"1"}
    assert "Testshared" not in response.content.decode()
    event = AuditEvent.objects.get(action=CTDC_EXPORTED)
    assert event.data["k"] == 2 and event.data["rows"] == 3
    api = ApiClient(coordinator)
    asked = api.post("/exchange/ctdc", {"format": "json"}).json()
    tasks_run_pending()
    download = api.get(f"/exchange/ctdc/{asked['id']}/file")
    body = json.loads(download.content)
    assert (body["k"], body["counted_once"], body["suppressed"]) == (2, 2, 0)
