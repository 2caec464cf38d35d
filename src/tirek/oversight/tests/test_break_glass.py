from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.cases.choices import ALL_SECTIONS
from tirek.cases.models import CaseEvent
from tirek.cases.selectors import case_view, cases_visible_to
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.core.models import AuditEvent
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.selectors import break_glass_for_review, break_glass_waiting_count
from tirek.oversight.services import (
    ATTEMPTS_PER_HOUR,
    Action,
    TooManyAttempts,
    break_glass_open,
    break_glass_review,
    neutral_refusal,
)
from tirek.testing.tasks import tasks_run_pending

REASON = "Police found her at the station at night and she needs shelter now."
UNKNOWN = "TK-AAAAAAAA"


def open_(o, actor=None, reference=None, reason=REASON):
    return break_glass_open(
        actor=actor or o.police_chief,
        case_reference=o.case.reference if reference is None else reference,
        reason=reason,
    )


def test_supervisor_outside_the_circle_cannot_open_the_case_before_breaking_glass(oversight):
    with pytest.raises(NotFound):
        case_view(actor=oversight.police_chief, case_id=oversight.case.pk)


def test_break_glass_grants_every_section_to_the_supervisor(oversight):
    open_(oversight)
    view = case_view(actor=oversight.police_chief, case_id=oversight.case.pk)
    assert view.sections == ALL_SECTIONS


def test_break_glass_does_not_make_the_supervisor_an_owner(oversight):
    open_(oversight)
    view = case_view(actor=oversight.police_chief, case_id=oversight.case.pk)
    assert view.is_owner is False


def test_break_glass_grants_the_person_not_their_agency(oversight):
    open_(oversight)
    with pytest.raises(NotFound):
        case_view(actor=oversight.people.nurlan, case_id=oversight.case.pk)


def test_opened_case_appears_in_the_supervisors_case_list(oversight):
    open_(oversight)
    assert list(cases_visible_to(actor=oversight.police_chief)) == [oversight.case]


def test_reference_is_accepted_as_typed_over_the_phone(oversight):
    typed = oversight.case.reference.lower().replace("-", " ")
    access = open_(oversight, reference=typed)
    assert access.case == oversight.case


@pytest.mark.parametrize("reason", ["", "   ", "emergency", "x" * 19])
def test_break_glass_requires_a_written_reason(oversight, reason):
    with pytest.raises(ValidationError) as error:
        open_(oversight, reason=reason)
    assert "reason" in error.value.message_dict


def test_short_reason_grants_nothing(oversight):
    with pytest.raises(ValidationError):
        open_(oversight, reason="help")
    assert not BreakGlassAccess.objects.exists()


def test_case_worker_cannot_break_glass(oversight):
    with pytest.raises(Forbidden):
        open_(oversight, actor=oversight.people.nurlan)


def test_outsider_cannot_break_glass(oversight):
    with pytest.raises(Forbidden):
        open_(oversight, actor=oversight.people.outsider)


@pytest.mark.parametrize("persona", ["agency_admin", "system_admin"])
def test_administrators_cannot_break_glass(oversight, persona):
    with pytest.raises(Forbidden):
        open_(oversight, actor=getattr(oversight.people, persona))


def test_data_protection_officer_cannot_break_glass(oversight):
    with pytest.raises(Forbidden):
        open_(oversight, actor=oversight.commission_dpo)


def test_unknown_reference_gets_the_neutral_message(oversight):
    with pytest.raises(NotFound) as error:
        open_(oversight, reference=UNKNOWN)
    assert str(error.value.message) == str(neutral_refusal().message)


def test_unknown_reference_is_recorded_as_a_refused_attempt(oversight):
    with pytest.raises(NotFound):
        open_(oversight, reference=UNKNOWN)
    event = AuditEvent.objects.get(action=Action.REFUSED)
    assert (event.actor_user_id, event.data["reference"]) == (
        oversight.police_chief.user.pk,
        UNKNOWN,
    )


def test_refused_attempt_by_a_case_worker_is_recorded(oversight):
    with pytest.raises(Forbidden):
        open_(oversight, actor=oversight.people.nurlan)
    assert AuditEvent.objects.filter(
        action=Action.NOT_ALLOWED, actor_user_id=oversight.people.nurlan.user.pk
    ).exists()


def test_malformed_reference_is_not_kept_in_the_audit_log(oversight):
    with pytest.raises(ValidationError):
        open_(oversight, reference="Testgul Synthetova")
    assert AuditEvent.objects.get(action=Action.INVALID).data["reference"] == ""


def test_granted_attempt_is_recorded_in_the_audit_log(oversight):
    access = open_(oversight)
    event = AuditEvent.objects.get(action=Action.GRANTED)
    assert event.data["access_id"] == str(access.pk)


def test_break_glass_writes_a_case_event(oversight):
    access = open_(oversight)
    event = oversight.case.events.get(kind=CaseEvent.Kind.BREAK_GLASS_OPENED)
    assert (event.actor_user_id, event.data["access_id"]) == (
        oversight.police_chief.user.pk,
        str(access.pk),
    )


def test_case_event_holds_no_reason(oversight):
    open_(oversight)
    event = oversight.case.events.get(kind=CaseEvent.Kind.BREAK_GLASS_OPENED)
    assert "station" not in str(event.data)


def test_attempts_are_limited_per_hour(oversight):
    for _ in range(ATTEMPTS_PER_HOUR):
        with pytest.raises(NotFound):
            open_(oversight, reference=UNKNOWN)
    with pytest.raises(TooManyAttempts):
        open_(oversight)


def test_rate_limited_attempt_is_recorded(oversight):
    for _ in range(ATTEMPTS_PER_HOUR):
        with pytest.raises(NotFound):
            open_(oversight, reference=UNKNOWN)
    with pytest.raises(TooManyAttempts):
        open_(oversight)
    assert AuditEvent.objects.filter(action=Action.RATE_LIMITED).count() == 1


def test_attempt_limit_resets_after_an_hour(oversight):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(ATTEMPTS_PER_HOUR):
            with pytest.raises(NotFound):
                open_(oversight, reference=UNKNOWN)
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        assert open_(oversight).case == oversight.case


def test_owner_agency_cannot_break_glass_into_its_own_case(oversight):
    with pytest.raises(InvalidState):
        open_(oversight, actor=oversight.centre_chief)


def test_access_lasts_four_hours_by_default(oversight):
    access = open_(oversight)
    assert access.expires_at - access.opened_at == datetime.timedelta(hours=4)


def test_access_length_follows_the_setting(oversight, settings):
    settings.TIREK_BREAK_GLASS_HOURS = 1
    access = open_(oversight)
    assert access.expires_at - access.opened_at == datetime.timedelta(hours=1)


def test_access_expires(oversight):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        open_(oversight)
    with time_machine.travel(start + datetime.timedelta(hours=4, minutes=1), tick=False):
        with pytest.raises(NotFound):
            case_view(actor=oversight.police_chief, case_id=oversight.case.pk)


def test_access_still_open_just_before_expiry(oversight):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        open_(oversight)
    with time_machine.travel(start + datetime.timedelta(hours=3, minutes=59), tick=False):
        assert case_view(actor=oversight.police_chief, case_id=oversight.case.pk).case


def test_access_ends_when_the_supervisor_loses_the_role(oversight):
    open_(oversight)
    oversight.police_chief.membership.role = "case_worker"
    oversight.police_chief.membership.save()
    with pytest.raises(NotFound):
        case_view(actor=oversight.police_chief, case_id=oversight.case.pk)


def test_owning_agency_is_alerted_by_email_without_personal_data(oversight, mailoutbox):
    access = open_(oversight)
    assert mailoutbox == []  # queued for the worker, never sent inside the request
    tasks_run_pending()
    assert [m.to for m in mailoutbox] == [[oversight.centre_chief.user.email]]
    text = mailoutbox[0].subject + mailoutbox[0].body
    assert str(access.pk) in text
    for secret in ("Testgul", "Synthetova", oversight.case.reference, "station"):
        assert secret not in text


def test_owning_agency_sees_the_access_waiting_for_review(oversight):
    open_(oversight)
    assert break_glass_waiting_count(actor=oversight.centre_chief) == 1


def test_other_agencies_see_nothing_waiting(oversight):
    open_(oversight)
    assert break_glass_waiting_count(actor=oversight.people.outsider) == 0


def test_reviewer_records_justified(oversight):
    access = open_(oversight)
    reviewed = break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)
    assert (reviewed.review, reviewed.reviewed_by) == (
        BreakGlassAccess.Review.JUSTIFIED,
        oversight.centre_chief.user,
    )


def test_review_writes_a_case_event(oversight):
    access = open_(oversight)
    break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)
    event = oversight.case.events.get(kind=CaseEvent.Kind.BREAK_GLASS_REVIEWED)
    assert event.data == {"access_id": str(access.pk), "review": "justified"}


def test_review_writes_an_audit_event(oversight):
    access = open_(oversight)
    break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)
    assert AuditEvent.objects.filter(action=Action.REVIEWED).count() == 1


def test_reviewed_access_no_longer_waits(oversight):
    access = open_(oversight)
    break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)
    assert break_glass_waiting_count(actor=oversight.centre_chief) == 0


def test_not_justified_needs_a_comment(oversight):
    access = open_(oversight)
    with pytest.raises(ValidationError):
        break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=False)


def test_not_justified_ends_the_access_now(oversight):
    access = open_(oversight)
    break_glass_review(
        actor=oversight.centre_chief,
        access_id=access.pk,
        justified=False,
        comment="No emergency: the shelter had already taken her in.",
    )
    with pytest.raises(NotFound):
        case_view(actor=oversight.police_chief, case_id=oversight.case.pk)


def test_access_cannot_be_reviewed_twice(oversight):
    access = open_(oversight)
    break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)
    with pytest.raises(InvalidState):
        break_glass_review(actor=oversight.centre_chief, access_id=access.pk, justified=True)


def test_case_worker_of_the_owning_agency_cannot_review(oversight):
    access = open_(oversight)
    with pytest.raises(Forbidden):
        break_glass_review(actor=oversight.people.aigul, access_id=access.pk, justified=True)


def test_supervisor_of_another_agency_cannot_review(oversight):
    access = open_(oversight)
    with pytest.raises(NotFound):
        break_glass_review(actor=oversight.police_chief, access_id=access.pk, justified=True)


def test_review_list_shows_only_the_owning_agencys_accesses(oversight):
    access = open_(oversight)
    assert list(break_glass_for_review(actor=oversight.centre_chief)) == [access]
    assert not break_glass_for_review(actor=oversight.police_chief).exists()


def test_break_glass_is_read_only_for_case_changes(oversight):
    from tirek.cases.selectors import case_for_change

    open_(oversight)
    with pytest.raises(Forbidden):
        case_for_change(actor=oversight.police_chief, case_id=oversight.case.pk)


def test_break_glass_does_not_allow_screening_or_a_status_decision(oversight):
    from tirek.screening import policy as screening_policy

    open_(oversight)
    view = case_view(actor=oversight.police_chief, case_id=oversight.case.pk)
    assert not screening_policy.can_screen_case(oversight.police_chief, view)
    assert not screening_policy.can_decide_status(oversight.police_chief, view)
