from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case
from tirek.cases.services import case_close
from tirek.core.errors import InvalidState
from tirek.protection.services import consent_withdraw
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, consent_build, referral_build


def _close(people, case):
    return case_close(
        actor=people.aigul,
        case=case,
        expected_version=case.version,
        status=CaseStatus.CLOSED,
        reason="Person returned home safely",
    )


def test_no_new_consent_on_a_closed_case(people):
    case = _close(people, case_build(people.aigul))
    with pytest.raises(InvalidState):
        consent_build(people.aigul, case, to=people.police)


def test_no_referral_accepted_after_the_case_was_closed(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    # Closing is refused while the referral waits (below); a case closed before that rule existed
    # may still hold one, and it must not be accepted.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(InvalidState):
        referral_accept(actor=people.dana, referral_id=referral.pk)


def test_a_case_is_not_closed_while_a_referral_waits_for_an_answer(people):
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    case.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _close(people, case)
    assert "waiting for an answer" in str(refused.value.message_dict["status"])


def test_consent_can_still_be_withdrawn_on_a_closed_case(people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, to=people.police)
    case.refresh_from_db()
    _close(people, case)
    assert consent_withdraw(actor=people.aigul, consent_id=consent.pk).withdrawn_at is not None


def test_trafficking_details_of_a_closed_case_cannot_change(people):
    from tirek.cases.services import VictimInput, case_victim_update

    case = _close(people, case_build(people.aigul))
    with pytest.raises(InvalidState):
        case_victim_update(
            actor=people.aigul, case=case, expected_version=case.version, victim=VictimInput()
        )
