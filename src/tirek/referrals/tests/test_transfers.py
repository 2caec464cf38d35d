"""Transfer of case ownership: the state machine, its guards, the race, and who sees what."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tirek.cases.choices import CaseStatus, Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.selectors import case_timeline, case_view, cases_visible_to
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.protection.services import consent_withdraw
from tirek.referrals import transfers
from tirek.referrals.models import CaseTransfer
from tirek.referrals.transfer_rules import (
    kept_reduction_errors,
    kept_sections_suggested,
    transfer_errors,
)
from tirek.referrals.transfers import (
    case_transfer_accept,
    case_transfer_decline,
    case_transfer_kept_reduce,
    case_transfer_propose,
    case_transfer_withdraw,
    transfer_get,
    transfers_of_agency,
)
from tirek.testing.builders import case_build, consent_build, transfer_build


def _kinds(case: Case) -> list[str]:
    return list(case.events.filter(kind__startswith="transfer_").values_list("kind", flat=True))


# --- pure rules ------------------------------------------------------------------------------


def test_police_are_offered_to_keep_proceedings_and_perpetrators():
    assert kept_sections_suggested("LawEnforcement") == [Section.PERPETRATORS, Section.PROCEEDINGS]


def test_an_ngo_is_offered_to_keep_nothing():
    assert kept_sections_suggested("NGO") == []


@given(
    kept=st.lists(st.sampled_from(Section.values), max_size=4),
    covers=st.sampled_from([None, False, True]),
    same=st.booleans(),
)
def test_a_proposal_is_refused_exactly_when_a_rule_says_so(kept, covers, same):
    import uuid

    owner = uuid.uuid4()
    errors = transfer_errors(
        owner_agency_id=owner,
        to_agency_id=owner if same else uuid.uuid4(),
        consent_covers=covers,
        kept_sections=kept,
        reason="",
    )
    assert bool(errors) == (same or covers is not True)


def test_every_problem_of_a_proposal_is_told_at_once():
    import uuid

    owner = uuid.uuid4()
    errors = transfer_errors(
        owner_agency_id=owner,
        to_agency_id=owner,
        consent_covers=None,
        kept_sections=["nonsense"],
        reason="x" * 4001,
    )
    assert set(errors) == {"to_agency", "consent", "kept_sections", "reason"}


# --- proposing -------------------------------------------------------------------------------


def test_proposal_waits_in_the_receiving_agencys_list(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    assert list(transfers_of_agency(actor=people.aigul)) == [transfer]


def test_proposal_is_recorded_on_the_timeline(people):
    case = case_build(people.nurlan)
    transfer_build(people.nurlan, case, to=people.crisis_centre)
    assert _kinds(case) == [CaseEvent.Kind.TRANSFER_PROPOSED]


def test_proposal_needs_a_consent_covering_the_whole_case(people):
    case = case_build(people.nurlan)
    partial = consent_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(ValidationError) as refused:
        case_transfer_propose(
            actor=people.nurlan,
            case_id=case.pk,
            to_agency_id=people.crisis_centre.pk,
            consent_id=partial.pk,
            kept_sections=[],
        )
    assert set(refused.value.message_dict) == {"consent"}


def test_proposal_to_the_owning_agency_is_refused(people):
    case = case_build(people.nurlan)
    consent = consent_build(people.nurlan, case, sections=sorted(Section.values))
    with pytest.raises(ValidationError) as refused:
        case_transfer_propose(
            actor=people.nurlan,
            case_id=case.pk,
            to_agency_id=people.police.pk,
            consent_id=consent.pk,
            kept_sections=[],
        )
    assert set(refused.value.message_dict) == {"to_agency"}


def test_a_second_pending_proposal_is_refused(people):
    case = case_build(people.nurlan)
    transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(InvalidState):
        transfer_build(people.nurlan, case, to=people.employment)


def test_only_the_owning_agency_proposes(people):
    case = case_build(people.nurlan)
    consent = consent_build(people.nurlan, case, sections=sorted(Section.values))
    with pytest.raises(NotFound):
        case_transfer_propose(
            actor=people.outsider,
            case_id=case.pk,
            to_agency_id=people.crisis_centre.pk,
            consent_id=consent.pk,
            kept_sections=[],
        )


def test_the_receiver_cannot_open_the_case_before_accepting(people):
    case = case_build(people.nurlan)
    transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(NotFound):
        case_view(actor=people.aigul, case_id=case.pk)


# --- accepting -------------------------------------------------------------------------------


def test_accepting_makes_the_receiver_the_owner(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    case.refresh_from_db()
    assert (case.owner_agency_id, case.case_worker_id) == (
        people.crisis_centre.pk,
        people.aigul.user.pk,
    )


def test_the_new_owner_sees_the_whole_case_and_its_history(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    view = case_view(actor=people.aigul, case_id=case.pk)
    kinds = set(case_timeline(actor=people.aigul, view=view).values_list("kind", flat=True))
    assert view.is_owner and {CaseEvent.Kind.CASE_REGISTERED, "transfer_accepted"} <= kinds


def test_the_previous_owner_keeps_only_the_kept_sections(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(
        people.nurlan, case, to=people.crisis_centre, kept=[Section.PROCEEDINGS]
    )
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    view = case_view(actor=people.nurlan, case_id=case.pk)
    assert (view.is_owner, view.sections) == (False, frozenset({Section.PROCEEDINGS}))


def test_the_previous_owner_keeping_nothing_loses_the_case(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    assert case not in cases_visible_to(actor=people.nurlan)


def test_the_previous_owner_can_no_longer_change_the_case(people):
    from tirek.cases.selectors import case_for_change

    case = case_build(people.nurlan)
    transfer = transfer_build(
        people.nurlan, case, to=people.crisis_centre, kept=[Section.PROCEEDINGS]
    )
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    with pytest.raises(Forbidden):
        case_for_change(actor=people.nurlan, case_id=case.pk)


def test_only_the_receiving_agency_accepts(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(Forbidden):
        case_transfer_accept(actor=people.nurlan, transfer_id=transfer.pk)


def test_the_outsider_cannot_see_a_transfer(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(NotFound):
        transfer_get(actor=people.outsider, transfer_id=transfer.pk)


def test_an_agency_administrator_of_the_receiver_cannot_accept(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(NotFound):
        case_transfer_accept(actor=people.agency_admin, transfer_id=transfer.pk)


def test_the_second_acceptance_is_refused(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    with pytest.raises(InvalidState):
        case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)


def test_a_concurrent_change_of_the_case_makes_the_acceptance_fail_whole(people):
    """The owner edits the case between the receiver loading it and the owner swap: the case
    version no longer matches, so nothing changes (the transfer still waits)."""
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    transition = transfers._transition

    def edited_meanwhile(*args, **kwargs):
        Case.objects.filter(pk=case.pk).update(version=case.version + 5)
        return transition(*args, **kwargs)

    with mock.patch.object(transfers, "_transition", edited_meanwhile):
        with pytest.raises(ConcurrentUpdate):
            case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert (transfer.status, case.owner_agency_id) == (
        CaseTransfer.Status.PROPOSED,
        people.police.pk,
    )


def test_a_closed_case_cannot_be_accepted(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(InvalidState):
        case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)


# --- declining, withdrawing, consent ----------------------------------------------------------


def test_declining_needs_a_reason(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(ValidationError):
        case_transfer_decline(actor=people.aigul, transfer_id=transfer.pk, reason="  ")


def test_declining_leaves_the_case_with_its_owner(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_decline(actor=people.aigul, transfer_id=transfer.pk, reason="No free places")
    case.refresh_from_db()
    assert case.owner_agency_id == people.police.pk


def test_every_transition_is_one_event(people):
    case = case_build(people.nurlan)
    first = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_decline(actor=people.aigul, transfer_id=first.pk, reason="No free places")
    second = transfer_build(people.nurlan, case, to=people.employment)
    case_transfer_withdraw(actor=people.nurlan, transfer_id=second.pk)
    assert _kinds(case) == [
        "transfer_proposed",
        "transfer_declined",
        "transfer_proposed",
        "transfer_withdrawn",
    ]


def test_only_the_proposing_agency_withdraws(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    with pytest.raises(Forbidden):
        case_transfer_withdraw(actor=people.aigul, transfer_id=transfer.pk)


def test_withdrawing_the_consent_stops_the_pending_transfer(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    consent_withdraw(actor=people.nurlan, consent_id=transfer.consent_id)
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.STOPPED


def test_a_stopped_transfer_cannot_be_accepted(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    consent_withdraw(actor=people.nurlan, consent_id=transfer.consent_id)
    with pytest.raises(InvalidState):
        case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)


def test_a_case_is_not_closed_while_a_transfer_waits_for_an_answer(people):
    from django.utils import translation

    from tirek.cases.services import case_close

    case = case_build(people.nurlan)
    transfer_build(people.nurlan, case, to=people.crisis_centre)
    case.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        case_close(
            actor=people.nurlan,
            case=case,
            expected_version=case.version,
            status=CaseStatus.CLOSED,
            reason="Person returned home safely",
        )
    assert "transfer of this case" in str(refused.value.message_dict["status"])


# --- the new owner reduces what the previous owner keeps ---------------------------------------

BOTH: list[str] = [Section.PERPETRATORS, Section.PROCEEDINGS]


@pytest.mark.parametrize(
    ("keep", "wrong"),
    [
        ([Section.PROCEEDINGS], False),
        ([], False),
        (BOTH, True),  # nothing taken away
        ([Section.PROCEEDINGS, Section.IDENTITY], True),  # one added
        (["no-such-section"], True),
    ],
)
def test_the_previous_owner_can_only_be_left_less(keep, wrong):
    assert bool(kept_reduction_errors(kept=BOTH, keep=keep)) is wrong


def _accepted(people, kept=BOTH):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre, kept=kept)
    return case, case_transfer_accept(actor=people.aigul, transfer_id=transfer.pk)


def test_the_new_owner_reduces_what_the_previous_owner_keeps(people):
    case, transfer = _accepted(people)
    case_transfer_kept_reduce(
        actor=people.aigul,
        transfer_id=transfer.pk,
        kept_sections=[str(Section.PROCEEDINGS)],
        expected_version=transfer.version,
    )
    view = case_view(actor=people.nurlan, case_id=case.pk)
    event = case.events.get(kind=CaseEvent.Kind.TRANSFER_KEPT_REDUCED)
    assert view.sections == frozenset({Section.PROCEEDINGS})
    assert (event.data["kept_sections"], event.data["kept_sections_before"]) == (
        [Section.PROCEEDINGS],
        BOTH,
    )


def test_reduced_to_nothing_the_previous_owner_loses_the_case(people):
    case, transfer = _accepted(people)
    case_transfer_kept_reduce(
        actor=people.aigul, transfer_id=transfer.pk, kept_sections=[], expected_version=2
    )
    assert case not in cases_visible_to(actor=people.nurlan)


def test_the_new_owner_cannot_widen_what_the_previous_owner_keeps(people):
    case, transfer = _accepted(people, kept=[str(Section.PROCEEDINGS)])
    with pytest.raises(ValidationError) as raised:
        case_transfer_kept_reduce(
            actor=people.aigul,
            transfer_id=transfer.pk,
            kept_sections=[Section.PROCEEDINGS, Section.IDENTITY],
            expected_version=transfer.version,
        )
    transfer.refresh_from_db()
    assert "kept_sections" in raised.value.message_dict
    assert transfer.kept_sections == [Section.PROCEEDINGS]
    assert not case.events.filter(kind=CaseEvent.Kind.TRANSFER_KEPT_REDUCED).exists()


def test_the_previous_owner_cannot_widen_nor_change_what_it_keeps(people):
    _case, transfer = _accepted(people, kept=[str(Section.PROCEEDINGS)])
    for keep in (["proceedings", "identity"], []):
        with pytest.raises(Forbidden):
            case_transfer_kept_reduce(
                actor=people.nurlan,
                transfer_id=transfer.pk,
                kept_sections=keep,
                expected_version=transfer.version,
            )
    transfer.refresh_from_db()
    assert transfer.kept_sections == [Section.PROCEEDINGS]


@pytest.mark.parametrize("who", ["outsider", "dana", "agency_admin"])
def test_only_the_owning_agencys_workers_reduce_it(people, who):
    _case, transfer = _accepted(people)
    with pytest.raises(NotFound):  # none of them may read the transfer at all
        case_transfer_kept_reduce(
            actor=getattr(people, who),
            transfer_id=transfer.pk,
            kept_sections=[],
            expected_version=transfer.version,
        )


def test_a_waiting_transfer_has_nothing_kept_to_reduce(people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre, kept=BOTH)
    with pytest.raises(InvalidState):
        case_transfer_kept_reduce(
            actor=people.nurlan,
            transfer_id=transfer.pk,
            kept_sections=[],
            expected_version=transfer.version,
        )


def test_a_stale_version_is_a_conflict_and_changes_nothing(people):
    _case, transfer = _accepted(people)
    with pytest.raises(ConcurrentUpdate):
        case_transfer_kept_reduce(
            actor=people.aigul,
            transfer_id=transfer.pk,
            kept_sections=[],
            expected_version=transfer.version - 1,
        )
    transfer.refresh_from_db()
    assert transfer.kept_sections == BOTH
