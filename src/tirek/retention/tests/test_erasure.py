"""Erasure on a valid request: a supervisor of the owner agency records it and executes it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.selectors import person_search
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.core.models import AuditEvent
from tirek.retention.models import ErasureRequest
from tirek.retention.services import erasure_execute, erasure_request_record
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build

BASIS = "Written request of the person, art. 16 Law on personal data"


def _request(actor, case, **kwargs):
    return erasure_request_record(actor=actor, case_id=case.pk, legal_basis=BASIS, **kwargs)


def test_a_supervisor_records_a_request(people, supervisor):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    assert (request.legal_basis, request.is_executed) == (BASIS, False)


def test_recording_a_request_is_audited(people, supervisor):
    case = case_build(people.aigul)
    _request(supervisor, case)
    assert AuditEvent.objects.filter(action="erasure.requested", object_id=str(case.pk)).exists()


def test_a_request_needs_a_legal_basis(people, supervisor):
    with pytest.raises(ValidationError):
        erasure_request_record(
            actor=supervisor, case_id=case_build(people.aigul).pk, legal_basis=" "
        )


def test_a_request_cannot_be_received_in_the_future(people, supervisor):
    with pytest.raises(ValidationError):
        _request(
            supervisor,
            case_build(people.aigul),
            received_on=timezone.localdate() + datetime.timedelta(days=2),
        )


def test_a_case_worker_cannot_record_a_request(people):
    with pytest.raises(Forbidden):
        _request(people.aigul, case_build(people.aigul))


def test_a_case_worker_cannot_execute_a_request(people, supervisor):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    with pytest.raises(Forbidden):
        erasure_execute(actor=people.aigul, case_id=case.pk, request_id=request.pk)


def test_an_outsider_cannot_record_a_request(people):
    with pytest.raises(NotFound):
        _request(people.outsider, case_build(people.aigul))


def test_executing_erases_the_person(people, supervisor):
    case = case_build(people.aigul)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=_request(supervisor, case).pk)
    person = Person.objects.get(pk=case.person_id)
    assert (person.full_name, person.birth_date) == ("", None)


def test_executing_closes_and_marks_the_case(people, supervisor):
    case = case_build(people.aigul)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=_request(supervisor, case).pk)
    case.refresh_from_db()
    assert (case.status, case.anonymised_at is not None, case.stats_sex) == ("Closed", True, "F")


def test_executing_records_a_case_erased_event(people, supervisor):
    case = case_build(people.aigul)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=_request(supervisor, case).pk)
    assert (
        CaseEvent.objects.filter(case=case).values_list("kind", flat=True).last()
        == CaseEvent.Kind.CASE_ERASED
    )


def test_executing_marks_the_request_executed(people, supervisor):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=request.pk)
    request.refresh_from_db()
    assert request.executed_by == supervisor.user


def test_an_erased_person_is_not_found_by_search(people, supervisor):
    case = case_build(people.aigul)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=_request(supervisor, case).pk)
    assert person_search(actor=people.aigul, name="Synthetova Testgul") == []


def test_executing_twice_is_refused(people, supervisor):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    erasure_execute(actor=supervisor, case_id=case.pk, request_id=request.pk)
    with pytest.raises(InvalidState):
        erasure_execute(actor=supervisor, case_id=case.pk, request_id=request.pk)


def test_erasure_is_refused_while_another_agency_holds_a_case_of_the_person(people, supervisor):
    case = case_build(people.aigul)
    Case.objects.create(
        person_id=case.person_id, owner_agency=people.police, case_worker=people.nurlan.user
    )
    with pytest.raises(InvalidState):
        erasure_execute(actor=supervisor, case_id=case.pk, request_id=_request(supervisor, case).pk)


def test_a_request_of_another_case_is_not_found(people, supervisor):
    case, other = case_build(people.aigul), case_build(people.aigul)
    request = _request(supervisor, other)
    with pytest.raises(NotFound):
        erasure_execute(actor=supervisor, case_id=case.pk, request_id=request.pk)


def test_api_records_and_executes_a_request(people, supervisor):
    case = case_build(people.aigul)
    api = ApiClient(supervisor)
    created = api.post(f"/cases/{case.pk}/erasure-requests", {"legal_basis": BASIS})
    executed = api.post(f"/cases/{case.pk}/erasure-requests/{created.json()['id']}/execute")
    assert (created.status_code, executed.json()["executed_at"] is not None) == (201, True)


def test_api_case_worker_gets_403(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/erasure-requests", {"legal_basis": BASIS}
    )
    assert response.status_code == 403


def test_api_outsider_gets_404_on_erasure(people):
    case = case_build(people.aigul)
    response = ApiClient(people.outsider).post(
        f"/cases/{case.pk}/erasure-requests", {"legal_basis": BASIS}
    )
    assert response.status_code == 404


def test_web_supervisor_records_a_request(people, supervisor, client):
    case = case_build(people.aigul)
    client.force_login(supervisor.user)
    client.post(
        f"/cases/{case.pk}/erasure-requests/",
        {"legal_basis": BASIS, "received_on": timezone.localdate().isoformat()},
        secure=True,
    )
    assert ErasureRequest.objects.filter(case=case).count() == 1


def test_web_supervisor_executes_after_confirming(people, supervisor, client):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    client.force_login(supervisor.user)
    url = f"/cases/{case.pk}/erasure-requests/{request.pk}/execute/"
    page = client.get(url, secure=True)
    client.post(url, secure=True)
    assert (page.status_code, Case.objects.get(pk=case.pk).anonymised_at is not None) == (
        200,
        True,
    )


def test_web_case_worker_cannot_execute(people, supervisor, client):
    case = case_build(people.aigul)
    request = _request(supervisor, case)
    client.force_login(people.aigul.user)
    url = f"/cases/{case.pk}/erasure-requests/{request.pk}/execute/"
    assert client.post(url, secure=True).status_code == 403


def test_web_outsider_supervisor_gets_404(people, client):
    from tirek.accounts.models import Membership, User
    from tirek.accounts.roles import Role

    user = User.objects.create_user(username="health-boss", password="x-long-enough-pass-1")
    Membership.objects.create(user=user, agency=people.health, role=Role.SUPERVISOR)
    case = case_build(people.aigul)
    client.force_login(user)
    response = client.post(
        f"/cases/{case.pk}/erasure-requests/", {"legal_basis": BASIS}, secure=True
    )
    assert response.status_code == 404


def test_case_page_offers_erasure_to_the_supervisor_only(people, supervisor, client):
    case = case_build(people.aigul)
    client.force_login(people.aigul.user)
    worker_page = client.get(f"/cases/{case.pk}/?tab=record", secure=True).content.decode()
    client.force_login(supervisor.user)
    supervisor_page = client.get(f"/cases/{case.pk}/?tab=record", secure=True).content.decode()
    marker = f"/cases/{case.pk}/erasure-requests/"
    assert (marker in worker_page, marker in supervisor_page) == (False, True)


# -- who may read a request and its legal basis (docs/security.md, "Erasure on request") --------


def _accepted_receiver_case(people):
    from tirek.referrals.services import referral_accept
    from tirek.testing.builders import referral_build

    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    return case


def test_api_supervisor_of_the_owner_reads_the_requests(people, supervisor):
    case = case_build(people.aigul)
    _request(supervisor, case)
    response = ApiClient(supervisor).get(f"/cases/{case.pk}/erasure-requests")
    assert [r["legal_basis"] for r in response.json()] == [BASIS]


def test_api_case_worker_of_the_owner_cannot_read_the_requests(people, supervisor):
    case = case_build(people.aigul)
    _request(supervisor, case)
    response = ApiClient(people.aigul).get(f"/cases/{case.pk}/erasure-requests")
    assert (response.status_code, BASIS in response.content.decode()) == (403, False)


def test_api_receiver_cannot_read_the_requests(people, supervisor):
    case = _accepted_receiver_case(people)
    _request(supervisor, case)
    response = ApiClient(people.dana).get(f"/cases/{case.pk}/erasure-requests")
    assert response.status_code == 403


def test_api_outsider_gets_404_on_reading_the_requests(people, supervisor):
    case = case_build(people.aigul)
    _request(supervisor, case)
    response = ApiClient(people.outsider).get(f"/cases/{case.pk}/erasure-requests")
    assert response.status_code == 404


def test_case_page_shows_the_legal_basis_to_the_supervisor_only(people, supervisor, client):
    case = case_build(people.aigul)
    _request(supervisor, case)
    client.force_login(people.aigul.user)
    worker_page = client.get(f"/cases/{case.pk}/?tab=record", secure=True).content.decode()
    client.force_login(supervisor.user)
    supervisor_page = client.get(f"/cases/{case.pk}/?tab=record", secure=True).content.decode()
    assert (BASIS in worker_page, BASIS in supervisor_page) == (False, True)
