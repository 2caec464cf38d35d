"""Closing and reopening a case: owner agency only, one event, refused on a stale version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import case_close, case_reopen
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build

REASON = "Needs met: returned to family in Shymkent"


def _close(actor, case, **kwargs):
    args = {"expected_version": case.version, "status": CaseStatus.CLOSED, "reason": REASON}
    return case_close(actor=actor, case=case, **(args | kwargs))


def test_closing_sets_status_date_and_reason(people):
    case = _close(people.aigul, case_build(people.aigul))
    assert (case.status, case.closed_on is not None, case.closure_reason) == (
        CaseStatus.CLOSED,
        True,
        REASON,
    )


def test_closing_writes_one_case_closed_event(people):
    case = case_build(people.aigul)
    before = CaseEvent.objects.filter(case=case).count()
    _close(people.aigul, case)
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert (len(kinds) - before, kinds[-1]) == (1, CaseEvent.Kind.CASE_CLOSED)


def test_closure_reason_is_stored_encrypted(people):
    case = _close(people.aigul, case_build(people.aigul))
    key = Case._meta.pk.get_db_prep_value(case.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT closure_reason FROM cases_case WHERE id = %s", [key])
        stored = cursor.fetchone()[0]
    assert stored.startswith("enc1:")


def test_closing_with_a_stale_version_is_refused(people):
    case = case_build(people.aigul)
    with pytest.raises(ConcurrentUpdate):
        _close(people.aigul, case, expected_version=case.version + 1)


def test_closing_with_a_stale_version_writes_nothing(people):
    case = case_build(people.aigul)
    events = CaseEvent.objects.count()
    with pytest.raises(ConcurrentUpdate):
        _close(people.aigul, case, expected_version=case.version + 1)
    case.refresh_from_db()
    assert (case.status, CaseEvent.objects.count()) == (CaseStatus.ACTIVE, events)


def test_closing_needs_a_reason(people):
    with pytest.raises(ValidationError) as error:
        _close(people.aigul, case_build(people.aigul), reason="  ")
    assert "reason" in error.value.message_dict


def test_closing_needs_a_closed_status(people):
    with pytest.raises(ValidationError) as error:
        _close(people.aigul, case_build(people.aigul), status=CaseStatus.FOLLOW_UP)
    assert "status" in error.value.message_dict


def test_closing_a_closed_case_is_refused(people):
    case = _close(people.aigul, case_build(people.aigul))
    with pytest.raises(InvalidState):
        _close(people.aigul, case)


def test_a_referral_receiver_cannot_close(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    case.refresh_from_db()
    with pytest.raises(Forbidden):
        _close(people.dana, case)


def test_reopening_makes_the_case_active_again(people):
    case = _close(people.aigul, case_build(people.aigul))
    case = case_reopen(actor=people.aigul, case=case, expected_version=case.version)
    assert (case.status, case.closed_on, case.closure_reason) == (CaseStatus.ACTIVE, None, "")


def test_reopening_writes_a_case_reopened_event(people):
    case = _close(people.aigul, case_build(people.aigul))
    case_reopen(actor=people.aigul, case=case, expected_version=case.version)
    assert (
        CaseEvent.objects.filter(case=case).values_list("kind", flat=True).last()
        == CaseEvent.Kind.CASE_REOPENED
    )


def test_reopening_with_a_stale_version_is_refused(people):
    case = _close(people.aigul, case_build(people.aigul))
    with pytest.raises(ConcurrentUpdate):
        case_reopen(actor=people.aigul, case=case, expected_version=case.version - 1)


def test_reopening_an_active_case_is_refused(people):
    case = case_build(people.aigul)
    with pytest.raises(InvalidState):
        case_reopen(actor=people.aigul, case=case, expected_version=case.version)


def test_api_closes_a_case(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/close",
        {"version": case.version, "cas_Status": "ClosedReferred", "cas_ReasonForCaseClosure": "x"},
    )
    assert (response.status_code, response.json()["cas_Status"]) == (200, "ClosedReferred")


def test_api_answers_409_on_a_stale_version(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/close",
        {"version": case.version + 3, "cas_ReasonForCaseClosure": "x"},
    )
    assert (response.status_code, response.json()["code"]) == (409, "concurrent_update")


def test_api_reopens_a_case(people):
    case = _close(people.aigul, case_build(people.aigul))
    response = ApiClient(people.aigul).post(f"/cases/{case.pk}/reopen", {"version": case.version})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE, response.content


def test_web_form_closes_a_case(people, client):
    case = case_build(people.aigul)
    client.force_login(people.aigul.user)
    response = client.post(
        f"/cases/{case.pk}/close/",
        {"status": "Closed", "reason": "done", "expected_version": case.version},
        secure=True,
    )
    assert (response.status_code, Case.objects.get(pk=case.pk).status) == (302, "Closed")


def test_web_form_shows_the_conflict_on_a_stale_version(people, client):
    case = case_build(people.aigul)
    client.force_login(people.aigul.user)
    response = client.post(
        f"/cases/{case.pk}/close/",
        {"status": "Closed", "reason": "done", "expected_version": case.version + 1},
        secure=True,
    )
    assert response.status_code == 409


def test_case_page_shows_the_close_form_to_the_owner(people, client):
    case = case_build(people.aigul)
    client.force_login(people.aigul.user)
    page = client.get(f"/cases/{case.pk}/?tab=record", secure=True).content.decode()
    assert f"/cases/{case.pk}/close/" in page


def test_outsider_gets_404_on_the_close_form(people, client):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    response = client.post(
        f"/cases/{case.pk}/close/",
        {"status": "Closed", "reason": "x", "expected_version": 1},
        secure=True,
    )
    assert response.status_code == 404
