"""Return and reintegration, and proceedings: owner writes, granted agencies read."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.protection.return_proceedings import (
    ProceedingInput,
    ReturnInput,
    proceeding_add,
    proceeding_update,
    return_plan_save,
)
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

COURT = "Test-court-2026-117"


def _plan(people, case, version=0, **changes):
    data = ReturnInput(destination_country="UZB", reintegration_plan="School in Samarkand")
    for name, value in changes.items():
        setattr(data, name, value)
    return return_plan_save(
        actor=people.aigul, case_id=case.pk, data=data, expected_version=version
    )


def test_return_plan_is_saved_with_one_event_of_codes(people):
    case = case_build(people.aigul)
    plan = _plan(people, case, embassy_id=people.embassy.pk, return_risk="medium")
    event = case.events.get(kind=CaseEvent.Kind.RETURN_PLAN_SAVED)
    assert (
        plan.embassy_id,
        event.section,
        event.data["country"],
        "Samarkand" in str(event.data),
    ) == (
        people.embassy.pk,
        "return",
        "UZB",
        False,
    )


def test_return_plan_checks_country_embassy_and_dates(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        _plan(
            people,
            case,
            destination_country="uz",
            embassy_id=people.police.pk,
            returned_on=datetime.date(2999, 1, 1),
        )
    assert sorted(error.value.message_dict) == ["destination_country", "embassy", "returned_on"]


def test_return_plan_stale_version_is_refused(people):
    case = case_build(people.aigul)
    _plan(people, case)
    _plan(people, case, version=1, follow_up_contacts="Call in 3 months")
    with pytest.raises(ConcurrentUpdate):
        _plan(people, case, version=1)


def test_proceedings_are_recorded_then_updated(people):
    case = case_build(people.aigul)
    first = proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(role="witness", court_reference=COURT),
    )
    row = proceeding_update(
        actor=people.aigul,
        proceeding_id=first.pk,
        data=ProceedingInput(role="injured_party", non_punishment="Forged documents: coerced"),
        expected_version=first.version,
    )
    kinds = list(
        case.events.filter(section="proceedings").values_list("kind", flat=True).order_by("id")
    )
    assert (row.role, kinds) == ("injured_party", ["proceeding_added", "proceeding_updated"])
    with pytest.raises(ConcurrentUpdate):
        proceeding_update(
            actor=people.aigul,
            proceeding_id=first.pk,
            data=ProceedingInput(role="witness"),
            expected_version=first.version,
        )


def test_a_case_has_several_proceedings_and_their_hearings_are_due(people):
    case = case_build(people.aigul)
    soon = timezone.localdate() + datetime.timedelta(days=5)
    proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(kind="criminal", role="injured_party", next_hearing_on=soon),
    )
    proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(kind="civil", role="civil_claimant", compensation="Unpaid wages"),
    )
    client = SecureClient()
    client.force_login(people.aigul.user)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    listed = ApiClient(people.aigul).get(f"/cases/{case.pk}/proceedings").json()
    assert [p["kind"] for p in listed] == ["criminal", "civil"]
    assert "Court hearing" in page and soon.isoformat() in page


def test_proceedings_need_the_role(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        proceeding_add(actor=people.aigul, case_id=case.pk, data=ProceedingInput(kind="x"))
    assert sorted(error.value.message_dict) == ["kind", "role"]


def test_receiver_cannot_write_and_outsider_cannot_see(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.police,
        service=people.investigation_service,
        sections=["identity", "proceedings"],
    )
    referral_accept(actor=people.nurlan, referral_id=referral.pk)
    with pytest.raises(Forbidden):
        proceeding_add(actor=people.nurlan, case_id=case.pk, data=ProceedingInput(role="witness"))
    with pytest.raises(NotFound):
        return_plan_save(
            actor=people.outsider,
            case_id=case.pk,
            data=ReturnInput(destination_country="UZB"),
            expected_version=0,
        )


def test_police_granted_proceedings_read_them_not_the_return(people):
    case = case_build(people.aigul)
    _plan(people, case)
    proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(role="witness", court_reference=COURT),
    )
    referral = referral_build(
        people.aigul,
        case,
        to=people.police,
        service=people.investigation_service,
        sections=["identity", "proceedings"],
    )
    referral_accept(actor=people.nurlan, referral_id=referral.pk)
    api = ApiClient(people.nurlan)
    assert (
        api.get(f"/cases/{case.pk}/proceedings").json()[0]["court_reference"],
        api.get(f"/cases/{case.pk}/return-plan").status_code,
    ) == (COURT, 404)


def test_return_tab_on_the_case_page(people):
    case = case_build(people.aigul)
    _plan(people, case)
    client = SecureClient()
    client.force_login(people.aigul.user)
    page = client.get(tab_url(case.pk, "return")).content.decode()
    assert (
        "School in Samarkand" in page,
        reverse("protection:proceeding_add", args=[case.pk]) in page,
    ) == (
        True,
        True,
    )


def test_proceedings_from_the_page_and_errors(people):
    case = case_build(people.aigul)
    client = SecureClient()
    client.force_login(people.aigul.user)
    url = reverse("protection:proceeding_add", args=[case.pk])
    refused = client.post(url, {"kind": "criminal"})
    saved = client.post(url, {"kind": "civil", "role": "witness", "court_reference": COURT})
    row = case.proceedings.get()
    edit = reverse("protection:proceeding_update", args=[row.pk])
    stale = client.post(edit, {"kind": "civil", "role": "witness", "expected_version": "0"})
    updated = client.post(
        edit, {"kind": "civil", "role": "civil_claimant", "expected_version": row.version}
    )
    assert (refused.status_code, saved.status_code, row.court_reference) == (422, 302, COURT)
    assert (stale.status_code, updated.status_code, case.proceedings.get().role) == (
        422,
        302,
        "civil_claimant",
    )


def test_api_return_plan_put_and_get(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    put = api.put(
        f"/cases/{case.pk}/return-plan",
        {"version": 0, "destination_country": "TJK", "embassy_id": str(people.embassy.pk)},
    )
    got = api.get(f"/cases/{case.pk}/return-plan").json()
    assert (put.status_code, got["destination_country"], got["version"]) == (200, "TJK", 1)


def test_api_bad_embassy_is_a_field_error(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).put(
        f"/cases/{case.pk}/return-plan",
        {"version": 0, "destination_country": "TJK", "embassy_id": str(people.police.pk)},
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["embassy_id"])


def test_api_proceedings_post_put_and_outsider(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    created = api.post(f"/cases/{case.pk}/proceedings", {"kind": "labour", "role": "witness"})
    row = created.json()
    path = f"/proceedings/{row['id']}"
    stale = api.put(path, {"version": row["version"] - 1, "role": "witness"})
    saved = api.put(path, {"version": row["version"], "kind": "labour", "role": "injured_party"})
    outsider = ApiClient(people.outsider).put(
        path, {"version": row["version"] + 1, "role": "witness"}
    )
    assert [created.status_code, stale.status_code, saved.status_code, outsider.status_code] == [
        201,
        409,
        200,
        404,
    ]
    assert saved.json()["role"] == "injured_party"
