"""Perpetrators (HTCDS per_): recorded by the owner, seen only with the perpetrators section."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.protection.perpetrators import perpetrator_add, perpetrator_remove, perpetrator_update
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


# --- correcting and removing -----------------------------------------------------------------


def test_update_changes_the_record_and_names_the_fields_on_the_timeline(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    changed = perpetrator_update(
        actor=people.aigul,
        perpetrator_id=perpetrator.pk,
        expected_version=perpetrator.version,
        name="Testbek Exploiterov",
        roles=["Exploiter", "RecruiterOrIntermediary"],
        citizenship=["KAZ"],
        relationship="Acquainted",
    )
    event = case.events.get(kind=CaseEvent.Kind.PERPETRATOR_UPDATED)
    assert (changed.version, event.data["fields"], "Exploiterov" in str(event.data)) == (
        perpetrator.version + 1,
        ["name", "roles"],
        False,
    )


def test_update_with_a_stale_version_is_refused(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    with pytest.raises(ConcurrentUpdate):
        perpetrator_update(
            actor=people.aigul,
            perpetrator_id=perpetrator.pk,
            expected_version=perpetrator.version - 1,
            roles=["Exploiter"],
        )
    perpetrator.refresh_from_db()
    assert perpetrator.name == ALIAS


def test_remove_leaves_only_the_removal_on_the_timeline(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    perpetrator_remove(actor=people.aigul, perpetrator_id=perpetrator.pk)
    event = case.events.get(kind=CaseEvent.Kind.PERPETRATOR_REMOVED)
    assert (case.perpetrators.count(), event.data) == (
        0,
        {"perpetrator_id": str(perpetrator.pk)},
    )


def test_receiver_with_the_section_may_neither_change_nor_remove(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    _shared(people, case, ["identity", "perpetrators"])
    with pytest.raises(Forbidden):
        perpetrator_update(
            actor=people.nurlan,
            perpetrator_id=perpetrator.pk,
            expected_version=perpetrator.version,
            roles=["Exploiter"],
        )
    with pytest.raises(Forbidden):
        perpetrator_remove(actor=people.nurlan, perpetrator_id=perpetrator.pk)
    assert case.perpetrators.get().name == ALIAS


def test_outsider_learns_nothing_from_the_perpetrator_id(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    api = ApiClient(people.outsider)
    answers = [
        api.put(
            f"/perpetrators/{perpetrator.pk}", {"version": 1, "per_RoleInProcess": ["Exploiter"]}
        ),
        api.delete(f"/perpetrators/{perpetrator.pk}"),
    ]
    assert [r.status_code for r in answers] == [404, 404]
    assert case.perpetrators.count() == 1


def test_edit_and_remove_from_the_case_page(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    client = SecureClient()
    client.force_login(people.aigul.user)
    page = client.get(tab_url(case.pk, "trafficking")).content.decode()
    assert reverse("protection:perpetrator_update", args=[perpetrator.pk]) in page
    refused = client.post(
        reverse("protection:perpetrator_update", args=[perpetrator.pk]),
        {"sex": "M", "expected_version": perpetrator.version, "citizenship": ["kz"]},
    )
    saved = client.post(
        reverse("protection:perpetrator_update", args=[perpetrator.pk]),
        {
            "name": "Alias Two",
            "sex": "M",
            "roles": ["Transporter"],
            "expected_version": perpetrator.version,
        },
    )
    perpetrator.refresh_from_db()
    assert (refused.status_code, saved.status_code, perpetrator.roles) == (
        422,
        302,
        ["Transporter"],
    )
    assert f'id="perpetrator_{perpetrator.pk}_roles' in refused.content.decode()
    removed = client.post(reverse("protection:perpetrator_remove", args=[perpetrator.pk]))
    assert (removed.status_code, case.perpetrators.count()) == (302, 0)


def test_api_update_and_delete(people):
    case = case_build(people.aigul)
    perpetrator = _add(people, case)
    api = ApiClient(people.aigul)
    stale = api.put(
        f"/perpetrators/{perpetrator.pk}", {"version": 0, "per_RoleInProcess": ["Exploiter"]}
    )
    saved = api.put(
        f"/perpetrators/{perpetrator.pk}",
        {
            "version": perpetrator.version,
            "per_RoleInProcess": ["Exploiter"],
            "prs_Citizenship": ["UZB"],
        },
    )
    deleted = api.delete(f"/perpetrators/{perpetrator.pk}")
    again = api.delete(f"/perpetrators/{perpetrator.pk}")
    assert [stale.status_code, saved.status_code, deleted.status_code, again.status_code] == [
        409,
        200,
        204,
        404,
    ]
    assert saved.json()["prs_Citizenship"] == ["UZB"]
