from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tirek.cases.choices import Section
from tirek.cases.models import CaseEvent
from tirek.cases.selectors import case_view, cases_visible_to
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.protection.services import consent_withdraw
from tirek.referrals.models import Referral
from tirek.referrals.selectors import referrals_inbox
from tirek.referrals.services import (
    referral_accept,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from tirek.testing.builders import case_build, consent_build, referral_build


def test_referral_appears_in_the_receiving_agencys_inbox(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    assert list(referrals_inbox(actor=people.dana)) == [referral]


def test_receiver_cannot_open_case_before_accepting(people):
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    with pytest.raises(NotFound):
        case_view(actor=people.dana, case_id=case.pk)


def test_accepted_referral_grants_only_the_shared_sections(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.IDENTITY],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    view = case_view(actor=people.dana, case_id=case.pk)
    assert view.sections == frozenset({Section.IDENTITY})


def test_outsider_never_sees_the_case(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    assert not cases_visible_to(actor=people.outsider).exists()
    with pytest.raises(NotFound):
        case_view(actor=people.outsider, case_id=case.pk)


def test_referral_requires_a_consent_covering_the_agency(people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, to=people.police)
    with pytest.raises(ValidationError) as error:
        referral_send(
            actor=people.aigul,
            case=case,
            to_agency_id=people.employment.pk,
            service_type_id=people.employment_service.pk,
            consent_id=consent.pk,
            sections=[Section.IDENTITY],
        )
    assert "consent" in error.value.message_dict
    assert not Referral.objects.exists()


def test_declined_referral_cannot_be_accepted_afterwards(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_decline(actor=people.dana, referral_id=referral.pk, reason="No capacity this month")
    with pytest.raises(InvalidState):
        referral_accept(actor=people.dana, referral_id=referral.pk)


def test_only_the_receiver_can_accept(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    with pytest.raises(Forbidden):
        referral_accept(actor=people.aigul, referral_id=referral.pk)


def test_withdrawn_consent_ends_access(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    consent_withdraw(actor=people.aigul, consent_id=referral.consent_id, reason="Changed mind")
    with pytest.raises(NotFound):
        case_view(actor=people.dana, case_id=case.pk)


def test_sender_can_withdraw_an_unanswered_referral(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral = referral_withdraw(actor=people.aigul, referral_id=referral.pk)
    assert referral.status == Referral.Status.WITHDRAWN


def test_each_state_change_writes_one_timeline_event(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    kinds = list(case.events.exclude(kind__in=CaseEvent.READ_KINDS).values_list("kind", flat=True))
    assert kinds == [
        CaseEvent.Kind.CASE_REGISTERED,
        CaseEvent.Kind.CONSENT_RECORDED,
        CaseEvent.Kind.REFERRAL_SENT,
        CaseEvent.Kind.REFERRAL_ACCEPTED,
    ]


def test_administrators_cannot_read_cases(people):
    case = case_build(people.aigul)
    for admin in (people.agency_admin, people.system_admin):
        with pytest.raises(NotFound):
            case_view(actor=admin, case_id=case.pk)
