"""Child safeguards: the mark, the guardian, best interests, consent, roles allowed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.models import Membership
from tirek.accounts.roles import Role
from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import Forbidden
from tirek.protection.children import best_interests_decide, child_mark, guardian_save
from tirek.protection.models import Consent
from tirek.protection.reflection import reflection_start
from tirek.protection.services import consent_record
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient


def _child_case(people):
    return case_build(
        people.aigul, birth_date=timezone.localdate() - datetime.timedelta(days=15 * 365)
    )


@pytest.fixture
def specialist(people):
    """Aigul's colleague, a child protection specialist of the crisis centre."""
    from tirek.accounts.actor import Actor
    from tirek.accounts.models import User

    user = User.objects.create_user(username="child-specialist", password=None)
    membership = Membership.objects.create(
        user=user, agency=people.crisis_centre, role=Role.CHILD_PROTECTION
    )
    return Actor(user=user, membership=membership)


def test_a_minor_is_marked_at_registration(people):
    case = _child_case(people)
    case.refresh_from_db()
    event = case.events.get(kind=CaseEvent.Kind.CHILD_MARKED)
    assert (case.is_child, event.data) == (True, {"is_child": True, "by": "age"})


def test_an_adult_is_not_marked(people):
    case = case_build(people.aigul)
    assert case.is_child is False


def test_a_case_worker_may_mark_a_presumed_child(people):
    case = case_build(people.aigul, birth_date=None)
    case = child_mark(actor=people.aigul, case_id=case.pk, is_child=True)
    assert case.is_child


def test_a_case_worker_may_not_take_the_mark_off(people):
    case = _child_case(people)
    with pytest.raises(Forbidden):
        child_mark(actor=people.aigul, case_id=case.pk, is_child=False)


def test_a_case_worker_may_not_change_a_childs_case(people):
    case = _child_case(people)
    with pytest.raises(Forbidden):
        reflection_start(actor=people.aigul, case_id=case.pk)


def test_a_child_protection_specialist_may(people, specialist):
    case = _child_case(people)
    period = reflection_start(actor=specialist, case_id=case.pk)
    assert period.case_id == case.pk


def test_guardian_is_recorded_with_one_event(people, specialist):
    case = _child_case(people)
    guardian = guardian_save(
        actor=specialist, case_id=case.pk, name="Test Guardianova", relation="parent"
    )
    event = case.events.get(kind=CaseEvent.Kind.GUARDIAN_RECORDED)
    assert (guardian.name, event.section, "Guardianova" in str(event.data)) == (
        "Test Guardianova",
        "child",
        False,
    )


def test_guardian_needs_name_and_relation(people, specialist):
    case = _child_case(people)
    with pytest.raises(ValidationError) as error:
        guardian_save(actor=specialist, case_id=case.pk, name="", relation="uncle")
    assert sorted(error.value.message_dict) == ["name", "relation"]


def test_a_case_worker_may_not_record_the_guardian(people):
    case = _child_case(people)
    with pytest.raises(Forbidden):
        guardian_save(actor=people.aigul, case_id=case.pk, name="X", relation="parent")


def test_childs_consent_needs_the_guardian_or_a_decision(people, specialist):
    case = _child_case(people)
    with pytest.raises(ValidationError) as error:
        consent_record(
            actor=specialist, case=case, purpose="referral", method="written", sections=["identity"]
        )
    assert list(error.value.message_dict) == ["method"]


def test_childs_consent_by_the_recorded_guardian(people, specialist):
    case = _child_case(people)
    guardian_save(actor=specialist, case_id=case.pk, name="Test Guardianova", relation="parent")
    consent = consent_record(
        actor=specialist, case=case, purpose="referral", method="guardian", sections=["identity"]
    )
    assert consent.method == Consent.Method.GUARDIAN


def test_childs_consent_on_a_best_interests_decision(people, specialist):
    case = _child_case(people)
    best_interests_decide(
        actor=specialist,
        case_id=case.pk,
        assessment="No family can be reached; the child asks for shelter.",
        decision="services_without_guardian_consent",
    )
    consent = consent_record(
        actor=specialist, case=case, purpose="referral", method="verbal", sections=["identity"]
    )
    assert consent.method == "verbal"


# --- web and API ---------------------------------------------------------------------------


def test_child_flag_and_panel_on_the_case_page(people, specialist):
    case = _child_case(people)
    client = SecureClient()
    client.force_login(specialist.user)
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    assert (
        'class="tag flag warning"' in page,
        reverse("protection:guardian_save", args=[case.pk]) in page,
    ) == (
        True,
        True,
    )


def test_case_worker_sees_the_panel_without_forms(people):
    case = _child_case(people)
    client = SecureClient()
    client.force_login(people.aigul.user)
    page = client.get(tab_url(case.pk, "protection")).content.decode()
    assert (
        "Child safeguards" in page,
        reverse("protection:guardian_save", args=[case.pk]) in page,
    ) == (
        True,
        False,
    )


def test_guardian_from_the_page(people, specialist):
    case = _child_case(people)
    client = SecureClient()
    client.force_login(specialist.user)
    response = client.post(
        reverse("protection:guardian_save", args=[case.pk]),
        {"name": "Test Guardianova", "relation": "relative", "expected_version": "0"},
    )
    assert response.status_code == 302


def test_best_interests_without_decision_shows_the_error(people, specialist):
    case = _child_case(people)
    client = SecureClient()
    client.force_login(specialist.user)
    response = client.post(
        reverse("protection:best_interests", args=[case.pk]), {"assessment": "Seen twice"}
    )
    assert response.status_code == 422


def test_api_guardian_and_decision(people, specialist):
    case = _child_case(people)
    api = ApiClient(specialist)
    put = api.put(
        f"/cases/{case.pk}/guardian",
        {"version": 0, "name": "Test Guardianova", "relation": "parent"},
    )
    decided = api.post(
        f"/cases/{case.pk}/best-interests",
        {"assessment": "Safe with the aunt", "decision": "family_reunification"},
    )
    got = api.get(f"/cases/{case.pk}/child").json()
    assert (put.status_code, decided.status_code, got["is_child"], got["guardian"]["relation"]) == (
        200,
        201,
        True,
        "parent",
    )


def test_api_marking_records_the_read_of_what_it_shows(people, specialist):
    """POST /child answers with the guardian and best-interests records; that read of the child
    section is recorded like a GET's, also when the mark was already there (no other event)."""
    case = _child_case(people)
    guardian_save(actor=specialist, case_id=case.pk, name="Test Guardianova", relation="parent")
    viewed = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_VIEWED)
    before = viewed.count()
    response = ApiClient(specialist).post(f"/cases/{case.pk}/child", {"is_child": True})
    read = viewed.order_by("-pk").first()
    assert (
        response.status_code,
        response.json()["guardian"]["relation"],
        viewed.count() - before,
        read.actor_user_id if read else None,
        read.data["sections"] if read else None,
    ) == (200, "parent", 1, specialist.user.pk, ["child"])


def test_api_case_worker_cannot_record_the_guardian(people):
    case = _child_case(people)
    response = ApiClient(people.aigul).put(
        f"/cases/{case.pk}/guardian", {"version": 0, "name": "X", "relation": "parent"}
    )
    assert response.status_code == 403


def test_api_outsider_gets_404(people):
    case = _child_case(people)
    response = ApiClient(people.outsider).post(f"/cases/{case.pk}/child", {"is_child": False})
    assert response.status_code == 404
