"""Perpetrators (HTCDS per_): recorded by the owner, seen only with the perpetrators section."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import Forbidden, NotFound
from tirek.protection.perpetrators import perpetrator_add
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

ALIAS = "Testbek Recruiterov"


def _add(people, case):
    return perpetrator_add(
        actor=people.aigul,
        case_id=case.pk,
        name=ALIAS,
        roles=["RecruiterOrIntermediary"],
        citizenship=["KAZ"],
        relationship="Acquainted",
    )


def _shared(people, case, sections, to=None, service=None):
    referral = referral_build(
        people.aigul,
        case,
        to=to or people.police,
        service=service or people.investigation_service,
        sections=sections,
    )
    actor = people.nurlan if to is None else people.dana
    referral_accept(actor=actor, referral_id=referral.pk)


def test_perpetrator_is_recorded_with_codes_on_the_timeline(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    event = case.events.get(kind=CaseEvent.Kind.PERPETRATOR_ADDED)
    assert (perpetrator.roles, event.section, ALIAS in str(event.data)) == (
        ["RecruiterOrIntermediary"],
        "perpetrators",
        False,
    )


def test_role_is_required_and_codes_checked(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        perpetrator_add(
            actor=people.aigul, case_id=case.pk, roles=[], citizenship=["kz"], relationship="x"
        )
    assert sorted(error.value.message_dict) == ["citizenship", "relationship", "roles"]


def test_receiver_cannot_add(people):
    case = case_build(people.aigul)
    _shared(people, case, ["identity", "perpetrators"])
    with pytest.raises(Forbidden):
        perpetrator_add(actor=people.nurlan, case_id=case.pk, roles=["Exploiter"])


def test_outsider_cannot_add(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        perpetrator_add(actor=people.outsider, case_id=case.pk, roles=["Exploiter"])


def test_police_granted_the_section_see_the_perpetrator(people):
    case = case_build(people.aigul)
    _add(people, case)
    _shared(people, case, ["identity", "events", "perpetrators"])
    client = SecureClient()
    client.force_login(people.nurlan.user)
    page = client.get(tab_url(case.pk, "trafficking")).content.decode()
    listed = ApiClient(people.nurlan).get(f"/cases/{case.pk}/perpetrators").json()
    assert (ALIAS in page, listed[0]["per_RoleInProcess"]) == (True, ["RecruiterOrIntermediary"])


def test_a_receiver_without_the_section_sees_nothing(people):
    case = case_build(people.aigul)
    _add(people, case)
    _shared(
        people,
        case,
        ["identity", "victim"],
        to=people.employment,
        service=people.employment_service,
    )
    client = SecureClient()
    client.force_login(people.dana.user)
    page = client.get(tab_url(case.pk, "trafficking")).content.decode()
    listed = ApiClient(people.dana).get(f"/cases/{case.pk}/perpetrators").json()
    assert (ALIAS in page, listed) == (False, [])


def test_add_from_the_case_page(people):
    case = case_build(people.aigul)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("protection:perpetrator_add", args=[case.pk]),
        {"name": ALIAS, "sex": "M", "roles": ["Exploiter"], "citizenship": ["UZB"]},
    )
    assert (response.status_code, case.perpetrators.get().citizenship) == (302, ["UZB"])


def test_add_without_role_shows_the_error(people):
    case = case_build(people.aigul)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("protection:perpetrator_add", args=[case.pk]), {"name": ALIAS, "sex": "M"}
    )
    assert (response.status_code, case.perpetrators.count()) == (422, 0)


def test_api_error_names_the_htcds_field(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/perpetrators", {"per_RoleInProcess": ["Wizard"]}
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["per_RoleInProcess"])
