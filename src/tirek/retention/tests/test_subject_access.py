"""Subject access: the owner agency exports everything held about the person, recorded."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.core.errors import Forbidden, NotFound
from tirek.core.models import AuditEvent
from tirek.referrals.services import referral_accept
from tirek.retention.services import subject_access_export
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build


@pytest.fixture
def case(people):
    case = case_build(people.aigul, mobile_phone="+77010000000")
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    return case


def test_export_holds_the_persons_names(people, case):
    export = subject_access_export(actor=people.aigul, case_id=case.pk)
    assert export["person"]["prs_SecondName"] == "Synthetova"


def test_export_holds_contacts_consents_referrals_and_events(people, case):
    item = subject_access_export(actor=people.aigul, case_id=case.pk)["cases"][0]
    assert (
        item["contact"]["prs_MobilePhone"],
        len(item["consents"]),
        item["referrals"][0]["message"],
        "case_registered" in [e["kind"] for e in item["events"]],
    ) == ("+77010000000", 1, "Needs help finding work.", True)


def test_export_is_recorded_on_the_timeline(people, case):
    subject_access_export(actor=people.aigul, case_id=case.pk)
    assert CaseEvent.objects.filter(case=case).values_list("kind", flat=True).last() == (
        CaseEvent.Kind.SUBJECT_ACCESS_EXPORTED
    )


def test_export_is_recorded_in_the_audit_log(people, case):
    subject_access_export(actor=people.aigul, case_id=case.pk)
    entry = AuditEvent.objects.get(action="subject_access.exported")
    assert (entry.actor_user_id, entry.object_id) == (people.aigul.user.pk, str(case.pk))


def test_a_referral_receiver_cannot_export(people, case):
    with pytest.raises(Forbidden):
        subject_access_export(actor=people.dana, case_id=case.pk)


def test_an_outsider_cannot_export(people, case):
    with pytest.raises(NotFound):
        subject_access_export(actor=people.outsider, case_id=case.pk)


def test_api_export_returns_the_data(people, case):
    response = ApiClient(people.aigul).post(f"/cases/{case.pk}/subject-access")
    assert response.json()["person"]["prs_FirstName"] == "Testgul"


def test_api_export_needs_a_recent_reauthentication(people, case, settings):
    settings.TIREK_REAUTH_REQUIRED = True
    response = ApiClient(people.aigul).post(f"/cases/{case.pk}/subject-access")
    assert (response.status_code, response.json()["code"]) == (403, "reauthentication_required")


def test_api_export_refused_for_reauthentication_writes_nothing(people, case, settings):
    settings.TIREK_REAUTH_REQUIRED = True
    before = CaseEvent.objects.count()
    ApiClient(people.aigul).post(f"/cases/{case.pk}/subject-access")
    assert CaseEvent.objects.count() == before


def test_web_export_downloads_a_json_file(people, case, client):
    client.force_login(people.aigul.user)
    response = client.post(f"/cases/{case.pk}/subject-access/", secure=True)
    assert (
        response["Content-Disposition"].startswith("attachment"),
        json.loads(response.content)["person"]["prs_SecondName"],
    ) == (True, "Synthetova")


def test_web_export_file_name_holds_no_name(people, case, client):
    client.force_login(people.aigul.user)
    response = client.post(f"/cases/{case.pk}/subject-access/", secure=True)
    assert "Synthetova" not in response["Content-Disposition"]


def test_web_export_page_asks_to_reauthenticate_first(people, case, client, settings):
    settings.TIREK_REAUTH_REQUIRED = True
    client.force_login(people.aigul.user)
    response = client.get(f"/cases/{case.pk}/subject-access/", secure=True)
    assert response["Location"].startswith(reverse("mfa:reauth"))


def test_web_export_outsider_gets_404(people, case, client):
    client.force_login(people.outsider.user)
    assert client.post(f"/cases/{case.pk}/subject-access/", secure=True).status_code == 404
