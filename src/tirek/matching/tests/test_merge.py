"""Confirm, reject and undo: who may, what is kept, what is recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tirek.cases.models import CaseEvent, Person
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.core.models import AuditEvent
from tirek.matching.models import MatchCheckRequest, PersonPair
from tirek.matching.selectors import Probe, case_matches, same_person_ids
from tirek.matching.services import (
    check_request_create,
    check_request_resolve,
    pair_decide,
    pair_undo,
)
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build

from .conftest import zhumabayeva

AIGERIM = Probe(given_name="Aigerim", family_name="Zhumabayeva", birth_date="1994-03-12")


@pytest.fixture
def both_seen(world):
    """Aigul's agency registers the Cyrillic record too: it may see both."""
    return zhumabayeva(world.people.aigul, cyrillic=True)


def test_confirm_links_both_persons(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    assert same_person_ids(world.crisis_case.person_id) == {
        world.crisis_case.person_id,
        both_seen.person_id,
    }


def test_confirm_keeps_both_records(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    assert (
        Person.objects.filter(pk__in=[world.crisis_case.person_id, both_seen.person_id]).count()
        == 2
    )


def test_confirm_records_an_event_on_each_owned_case(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    events = CaseEvent.objects.filter(data__match="confirmed")
    assert sorted(e.case_id for e in events) == sorted([world.crisis_case.pk, both_seen.pk])


def test_confirm_is_audited(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    assert AuditEvent.objects.filter(action="matching.pair_confirmed").count() == 1


def test_confirmed_pair_moves_from_suggestions_to_confirmed(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    found = case_matches(actor=world.people.aigul, case=world.crisis_case)
    assert ([m.case for m in found.confirmed], found.suggestions) == ([both_seen], [])


def test_rejected_pair_is_not_suggested_again(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=False
    )
    found = case_matches(actor=world.people.aigul, case=world.crisis_case)
    assert found.suggestions == []


def test_undecided_pair_is_suggested(world, both_seen):
    found = case_matches(actor=world.people.aigul, case=world.crisis_case)
    assert [m.case for m in found.suggestions] == [both_seen]


def test_confirm_needs_the_identity_of_both_cases(world):
    with pytest.raises(NotFound):
        pair_decide(
            actor=world.people.aigul,
            case_a_id=world.crisis_case.pk,
            case_b_id=world.police_case.pk,
            same=True,
        )


def test_outsider_cannot_confirm(world):
    with pytest.raises(NotFound):
        pair_decide(
            actor=world.people.outsider,
            case_a_id=world.crisis_case.pk,
            case_b_id=world.police_case.pk,
            same=True,
        )


def test_referral_with_identity_allows_confirming(world):
    referral = referral_build(
        world.people.nurlan,
        world.police_case,
        to=world.people.crisis_centre,
        service=world.people.shelter_service,
    )
    referral_accept(actor=world.people.aigul, referral_id=referral.pk)
    pair = pair_decide(
        actor=world.people.aigul,
        case_a_id=world.crisis_case.pk,
        case_b_id=world.police_case.pk,
        same=True,
    )
    assert CaseEvent.objects.filter(data__match_pair_id=str(pair.pk)).count() == 1


def test_two_cases_of_one_person_record_cannot_be_paired(world):
    with pytest.raises(ValidationError):
        pair_decide(
            actor=world.people.aigul,
            case_a_id=world.crisis_case.pk,
            case_b_id=world.crisis_case.pk,
            same=True,
        )


def test_confirmed_pair_cannot_be_rejected_by_a_case_worker(world, both_seen):
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    with pytest.raises(InvalidState):
        pair_decide(
            actor=world.people.aigul,
            case_a_id=world.crisis_case.pk,
            case_b_id=both_seen.pk,
            same=False,
        )


def test_case_worker_cannot_undo(world, both_seen):
    pair = pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    with pytest.raises(Forbidden):
        pair_undo(actor=world.people.aigul, pair_id=pair.pk)


def test_supervisor_undoes_a_confirmation(world, both_seen):
    pair = pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    pair_undo(actor=world.supervisor, pair_id=pair.pk)
    assert same_person_ids(world.crisis_case.person_id) == {world.crisis_case.person_id}


def test_undo_keeps_the_history(world, both_seen):
    pair = pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    pair_undo(actor=world.supervisor, pair_id=pair.pk)
    assert list(pair.decisions.values_list("status", flat=True)) == ["confirmed", "undone"]


def test_outsider_cannot_undo(world, both_seen):
    pair = pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    with pytest.raises(NotFound):
        pair_undo(actor=world.people.outsider, pair_id=pair.pk)


def test_check_request_from_intake_is_recorded(world):
    request = check_request_create(actor=world.people.aigul, probe=AIGERIM)
    assert list(request.candidates.values_list("case_id", flat=True)) == [world.police_case.pk]


def test_check_request_is_audited(world):
    check_request_create(actor=world.people.aigul, probe=AIGERIM)
    assert AuditEvent.objects.filter(action="matching.check_requested").count() == 1


def test_check_request_without_a_hidden_match_is_refused(world):
    with pytest.raises(InvalidState):
        check_request_create(
            actor=world.people.outsider,
            probe=Probe(given_name="Aigerim", family_name="Zhumabayeva", birth_date="1971-08-30"),
        )


def test_check_request_from_a_case_records_an_event_on_it(world):
    check_request_create(actor=world.people.aigul, case_id=world.crisis_case.pk)
    event = CaseEvent.objects.get(data__match="check_requested")
    assert event.case_id == world.crisis_case.pk


def test_coordinator_confirms_through_a_check_request(world):
    request = check_request_create(actor=world.people.aigul, case_id=world.crisis_case.pk)
    check_request_resolve(
        actor=world.coordinator,
        request_id=request.pk,
        decision="same",
        candidate_case_id=world.police_case.pk,
    )
    assert world.police_case.person_id in same_person_ids(world.crisis_case.person_id)


def test_coordinator_decision_is_noted_on_both_cases(world):
    request = check_request_create(actor=world.people.aigul, case_id=world.crisis_case.pk)
    check_request_resolve(
        actor=world.coordinator, request_id=request.pk, decision="same",
        candidate_case_id=world.police_case.pk,
    )  # fmt: skip
    cases = set(CaseEvent.objects.filter(data__match="confirmed").values_list("case_id", flat=True))
    assert cases == {world.crisis_case.pk, world.police_case.pk}


def test_coordinator_may_undo_her_own_confirmation(world):
    request = check_request_create(actor=world.people.aigul, case_id=world.crisis_case.pk)
    check_request_resolve(
        actor=world.coordinator, request_id=request.pk, decision="same",
        candidate_case_id=world.police_case.pk,
    )  # fmt: skip
    pair = PersonPair.objects.get()
    assert pair_undo(actor=world.coordinator, pair_id=pair.pk).status == PersonPair.Status.UNDONE


def test_request_made_at_intake_can_only_be_closed(world):
    request = check_request_create(actor=world.people.aigul, probe=AIGERIM)
    with pytest.raises(ValidationError):
        check_request_resolve(
            actor=world.coordinator, request_id=request.pk, decision="same",
            candidate_case_id=world.police_case.pk,
        )  # fmt: skip


def test_coordinator_closes_a_request(world):
    request = check_request_create(actor=world.people.aigul, probe=AIGERIM)
    check_request_resolve(actor=world.coordinator, request_id=request.pk, decision="closed")
    assert MatchCheckRequest.objects.get().status == MatchCheckRequest.Status.CLOSED


def test_case_worker_cannot_resolve_a_request(world):
    request = check_request_create(actor=world.people.aigul, probe=AIGERIM)
    with pytest.raises(NotFound):
        check_request_resolve(actor=world.people.aigul, request_id=request.pk, decision="closed")


def test_answered_request_cannot_be_answered_again(world):
    request = check_request_create(actor=world.people.aigul, probe=AIGERIM)
    check_request_resolve(actor=world.coordinator, request_id=request.pk, decision="closed")
    with pytest.raises(InvalidState):
        check_request_resolve(actor=world.coordinator, request_id=request.pk, decision="closed")


def test_other_persons_are_not_linked(world, both_seen):
    other = case_build(world.people.aigul, family_name="Synthetova")
    pair_decide(
        actor=world.people.aigul, case_a_id=world.crisis_case.pk, case_b_id=both_seen.pk, same=True
    )
    assert same_person_ids(other.person_id) == {other.person_id}
