"""Correcting the person: identity and contact, old values kept encrypted, one part at a time."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from tirek.cases.choices import NrmStage, Section
from tirek.cases.corrections import (
    CONTACT,
    IDENTITY,
    PartChanged,
    person_input_of,
    person_part_update,
)
from tirek.cases.lifecycle import case_stage_change
from tirek.cases.models import CaseEvent, CaseRevision
from tirek.cases.selectors import person_search
from tirek.core.errors import Forbidden, NotFound
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def _correct(actor, case, part=IDENTITY, version=1, **values):
    data = dataclasses.replace(person_input_of(case.person), **values)
    return person_part_update(
        actor=actor, case_id=case.pk, part=part, expected_version=version, data=data
    )


def test_a_corrected_name_is_saved_with_one_event_and_the_old_value_kept(people):
    case = case_build(people.aigul)
    person = _correct(people.aigul, case, family_name="Correctova")
    assert (person.family_name, person.identity_version, person.contact_version) == (
        "Correctova",
        2,
        1,
    )
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.PERSON_UPDATED)
    assert (event.section, event.data["fields"]) == (Section.IDENTITY, ["family_name"])
    assert "Synthetova" not in str(event.data)  # codes only in the timeline row
    revision = CaseRevision.objects.get(event=event)
    assert '"old": "Synthetova"' in revision.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_caserevision")
        (raw,) = cursor.fetchone()
    assert "Synthetova" not in raw  # stored encrypted


def test_the_search_index_follows_the_correction(people):
    case = case_build(people.aigul)
    _correct(people.aigul, case, family_name="Correctova")
    assert [c.pk for c in person_search(actor=people.aigul, name="Correctova")] == [case.pk]
    assert person_search(actor=people.aigul, name="Synthetova") == []


def test_nothing_changed_writes_nothing(people):
    case = case_build(people.aigul)
    person = _correct(people.aigul, case)
    assert person.identity_version == 1
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.PERSON_UPDATED).exists()


def test_the_second_save_of_the_same_part_is_refused_naming_what_changed(people):
    case = case_build(people.aigul)
    _correct(people.aigul, case, family_name="Correctova", birth_date=datetime.date(1999, 4, 13))
    with pytest.raises(PartChanged) as refused, translation.override("en"):
        _correct(people.aigul, case, first_name="Other")
    assert refused.value.fields == ["family_name", "birth_date"]
    assert "Family name, Birth date" in str(refused.value.message)
    case.person.refresh_from_db()
    assert case.person.first_name == "Testgul"


def test_the_contact_is_saved_while_someone_corrects_the_identity(people):
    case = case_build(people.aigul)
    _correct(people.aigul, case, family_name="Correctova")
    person = _correct(people.aigul, case, part=CONTACT, mobile_phone="8 701 555 01 77")
    assert (person.mobile_phone, person.family_name) == ("+77015550177", "Correctova")


def test_bad_values_are_refused_for_the_part_only(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as refused:
        _correct(
            people.aigul, case, birth_date=datetime.date(2999, 1, 1), first_name="", family_name=""
        )
    assert set(refused.value.message_dict) == {"birth_date", "first_name"}
    with pytest.raises(ValidationError) as refused:
        _correct(people.aigul, case, part=CONTACT, mobile_phone="call me", email="nope")
    assert set(refused.value.message_dict) == {"mobile_phone", "email"}


def test_only_the_owning_agency_corrects(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    with pytest.raises(Forbidden):
        _correct(people.dana, case, family_name="Receiverova")
    with pytest.raises(NotFound):
        _correct(people.outsider, case, family_name="Outsiderova")


def _receiver_client(people, case, sections):
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=sections,
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client = SecureClient()
    client.force_login(people.dana.user)
    return client


def test_the_timeline_shows_old_and_new_values_to_those_who_see_the_section(people):
    case = case_build(people.aigul)
    _correct(people.aigul, case, family_name="Correctova")
    _correct(people.aigul, case, part=CONTACT, mobile_phone="+77015550177")
    url = reverse("cases:detail", args=[case.pk]) + "?tab=timeline"
    owner = SecureClient()
    owner.force_login(people.aigul.user)
    content = owner.get(url).content.decode()
    assert "<del>Synthetova</del> → <ins>Correctova</ins>" in content
    assert "<ins>+77015550177</ins>" in content
    receiver = _receiver_client(people, case, [Section.IDENTITY, Section.VICTIM])
    content = receiver.get(url).content.decode()
    assert "<ins>Correctova</ins>" in content
    assert "+77015550177" not in content  # contact was not shared


def test_the_reason_for_moving_back_is_kept_encrypted_and_shown_to_the_owner(people):
    case = case_build(people.aigul)
    case = case_stage_change(
        actor=people.aigul, case_id=case.pk, stage=NrmStage.FIRST_ASSISTANCE, expected_version=1
    )
    case_stage_change(
        actor=people.aigul,
        case_id=case.pk,
        stage=NrmStage.IDENTIFICATION,
        expected_version=case.version,
        reason="Testgul asked to pause: family visit",
    )
    revision = CaseRevision.objects.get(case=case)
    assert revision.section == "" and "family visit" in revision.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM cases_caserevision")
        (raw,) = cursor.fetchone()
    assert "family visit" not in raw
    url = reverse("cases:detail", args=[case.pk]) + "?tab=timeline"
    owner = SecureClient()
    owner.force_login(people.aigul.user)
    assert "Reason: Testgul asked to pause: family visit" in owner.get(url).content.decode()
    receiver = _receiver_client(people, case, [Section.IDENTITY, Section.VICTIM])
    content = receiver.get(url).content.decode()
    assert "Stage changed" in content and "family visit" not in content
    events = ApiClient(people.aigul).get(f"/cases/{case.pk}/events").json()
    assert [e["details"] for e in events if e["details"]] == [
        {"reason": "Testgul asked to pause: family visit"}
    ]


# --- the web page ---------------------------------------------------------------------------


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


def _identity_post(case, version=1, **values):
    data = {
        "expected_version": version,
        "family_name": "Synthetova",
        "first_name": "Testgul",
        "patronymic": "Fictionovna",
        "sex": "F",
        "gender": "NonSpecifiedUnknown",
        "birth_date": "1999-04-12",
        "birth_date_precision": "day",
        "citizenship": ["KAZ"],
        "primary_language": "kk",
    }
    return data | values


def test_the_identity_is_corrected_on_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    page = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:identity_update", args=[case.pk]) in page
    response = aigul_client.post(
        reverse("cases:identity_update", args=[case.pk]), _identity_post(case, family_name="Newova")
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?tab=person#identity")
    case.person.refresh_from_db()
    assert case.person.family_name == "Newova"


def test_a_stale_identity_form_is_refused_with_what_changed_and_keeps_the_typing(
    aigul_client, people
):
    case = case_build(people.aigul)
    _correct(people.aigul, case, family_name="Firstova")
    response = aigul_client.post(
        reverse("cases:identity_update", args=[case.pk]),
        _identity_post(case, first_name="Typedgul"),
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "they changed: Family name" in content
    assert 'value="Typedgul"' in content and 'name="expected_version" value="2"' in content


def test_every_error_of_the_contact_form_shows_at_once(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:contact_update", args=[case.pk]),
        {"expected_version": 1, "mobile_phone": "call me", "email": "nope"},
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "This is not a phone number" in content and "This is not an e-mail address" in content


# --- the API --------------------------------------------------------------------------------


def test_the_api_corrects_the_identity_and_answers_the_new_version(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    response = api.patch(
        f"/cases/{case.pk}/person/identity", {"version": 1, "prs_SecondName": "Apiova"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["person"]["prs_SecondName"], body["person"]["identity_version"]) == ("Apiova", 2)
    assert body["person"]["prs_FirstName"] == "Testgul"  # left out: kept
    stale = api.patch(f"/cases/{case.pk}/person/identity", {"version": 1, "prs_FirstName": "X"})
    assert (stale.status_code, stale.json()["code"]) == (409, "concurrent_update")
    assert "Family name" in stale.json()["detail"]


def test_the_api_refuses_fields_of_the_other_part(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).patch(
        f"/cases/{case.pk}/person/identity", {"version": 1, "prs_MobilePhone": "+77015550177"}
    )
    assert response.status_code == 400
    assert "prs_MobilePhone" in str(response.json())


def test_the_api_updates_the_contact_and_refuses_a_bad_phone_readably(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    bad = api.patch(f"/cases/{case.pk}/person/contact", {"version": 1, "prs_MobilePhone": "x"})
    assert bad.status_code == 400 and "prs_MobilePhone" in str(bad.json())
    good = api.patch(
        f"/cases/{case.pk}/person/contact", {"version": 1, "contact_notes": "Text only"}
    )
    assert good.json()["contact"]["contact_notes"] == "Text only"
    assert good.json()["contact"]["contact_version"] == 2


def test_the_api_hides_the_case_from_an_outsider(people):
    case = case_build(people.aigul)
    response = ApiClient(people.outsider).patch(
        f"/cases/{case.pk}/person/contact", {"version": 1, "contact_notes": "x"}
    )
    assert response.status_code == 404
