"""The reflection and recovery period: start, countdown, extension, outcome, reminder."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.cases.page import tab_url
from tirek.cases.views import case_detail_url
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.protection import reflection
from tirek.protection.choices import ReflectionOutcome
from tirek.protection.models import ReflectionPeriod
from tirek.protection.reflection import (
    reflection_days_for,
    reflection_days_provider_register,
    reflection_end,
    reflection_extend,
    reflection_remind,
    reflection_start,
)
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

TODAY = datetime.date(2026, 3, 2)


def _kinds(case):
    return list(case.events.exclude(kind__in=CaseEvent.READ_KINDS).values_list("kind", flat=True))


@time_machine.travel("2026-03-02 09:00 +05:00", tick=False)
def test_started_period_lasts_thirty_days_by_default(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    assert (period.starts_on, period.ends_on, period.days_granted) == (
        TODAY,
        TODAY + datetime.timedelta(days=30),
        30,
    )


def test_start_writes_one_event_in_the_support_section(people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    event = case.events.get(kind=CaseEvent.Kind.REFLECTION_STARTED)
    assert (event.section, _kinds(case)[-1]) == ("support", "reflection_started")


def test_the_mechanism_can_set_the_length(people):
    case = case_build(people.aigul)
    reflection_days_provider_register("test-mechanism", lambda c: 45)
    try:
        period = reflection_start(actor=people.aigul, case_id=case.pk)
        assert (reflection_days_for(case), period.days_granted) == (45, 45)
    finally:
        reflection._providers.pop("test-mechanism")


def test_a_shorter_period_than_the_minimum_is_refused(people):
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as error:
        reflection_start(actor=people.aigul, case_id=case.pk, days=10)
    assert list(error.value.message_dict) == ["days"]


def test_only_one_period_runs_at_a_time(people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    with pytest.raises(InvalidState):
        reflection_start(actor=people.aigul, case_id=case.pk)


def test_extension_moves_the_end_and_keeps_the_reason(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    before = period.ends_on
    period = reflection_extend(
        actor=people.aigul,
        period_id=period.pk,
        days=14,
        reason="Medical treatment continues",
        expected_version=period.version,
    )
    assert (period.ends_on - before, period.extensions.get().reason) == (
        datetime.timedelta(days=14),
        "Medical treatment continues",
    )


def test_extension_needs_a_reason(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    with pytest.raises(ValidationError) as error:
        reflection_extend(
            actor=people.aigul, period_id=period.pk, days=5, reason=" ", expected_version=1
        )
    assert list(error.value.message_dict) == ["reason"]


def test_stale_version_is_refused(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    reflection_extend(
        actor=people.aigul, period_id=period.pk, days=5, reason="x", expected_version=1
    )
    with pytest.raises(ConcurrentUpdate):
        reflection_end(
            actor=people.aigul,
            period_id=period.pk,
            outcome=ReflectionOutcome.ACCEPTS_ASSISTANCE,
            expected_version=1,
        )


def test_outcome_ends_the_period(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    period = reflection_end(
        actor=people.aigul,
        period_id=period.pk,
        outcome=ReflectionOutcome.COOPERATES,
        note="Will give evidence",
        expected_version=period.version,
    )
    assert (period.is_running, period.outcome, period.outcome_note, _kinds(case)[-1]) == (
        False,
        "cooperates",
        "Will give evidence",
        "reflection_ended",
    )


def test_receiver_cannot_start_a_period(people):
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    from tirek.referrals.services import referral_accept

    referral_accept(actor=people.dana, referral_id=case.referrals.get().pk)
    with pytest.raises(Forbidden):
        reflection_start(actor=people.dana, case_id=case.pk)


def test_outsider_does_not_learn_the_case_exists(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        reflection_start(actor=people.outsider, case_id=case.pk)


def test_reminder_goes_once_to_the_case_worker_three_days_before(people, mailoutbox):
    case = case_build(people.aigul)
    with time_machine.travel("2026-03-02 09:00 +05:00", tick=False):
        reflection_start(actor=people.aigul, case_id=case.pk)
    early = reflection_remind(today=datetime.date(2026, 3, 20))
    due = reflection_remind(today=datetime.date(2026, 3, 29))
    again = reflection_remind(today=datetime.date(2026, 3, 30))
    assert (early, due, again, [m.to for m in mailoutbox]) == (
        0,
        1,
        0,
        [[people.aigul.user.email]],
    )


def test_reminder_is_on_the_timeline_without_personal_data(people, mailoutbox):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk, starts_on=datetime.date(2026, 1, 1))
    reflection_remind(today=datetime.date(2026, 3, 1))
    event = case.events.get(kind=CaseEvent.Kind.REFLECTION_REMINDED)
    assert set(event.data) == {"period_id", "ends_on"}


def test_reminder_is_a_periodic_job(people):
    from tirek.core.tasks import periodic_jobs

    assert "protection.reflection_reminders" in [job.name for job in periodic_jobs()]


# --- web -----------------------------------------------------------------------------------


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


# A refusal of a form posted from the panel: a conflict (changed meanwhile) is shown on the form
# with what was typed kept; a refusal of the state (a period already running or ended) is a
# message on the way back to the panel, which no longer shows that form (an error put on the
# hidden form, as before, was never seen).


def test_a_second_reflection_period_is_refused_with_a_message(aigul_client, people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    response = aigul_client.post(
        reverse("protection:reflection_start", args=[case.pk]), {"days": "30"}, follow=True
    )
    assert (
        response.redirect_chain[0][0],
        "already running" in response.content.decode(),
        ReflectionPeriod.objects.filter(case=case).count(),
    ) == (case_detail_url(case.pk, "reflection"), True, 1)


def test_extending_an_ended_period_is_refused_with_a_message(aigul_client, people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    ended = reflection_end(
        actor=people.aigul,
        period_id=period.pk,
        outcome=ReflectionOutcome.ACCEPTS_ASSISTANCE,
        expected_version=period.version,
    )
    response = aigul_client.post(
        reverse("protection:reflection_extend", args=[period.pk]),
        {"days": "5", "reason": "Medical care", "expected_version": str(ended.version)},
        follow=True,
    )
    assert "already ended" in response.content.decode()


def test_a_refusal_of_the_state_is_an_alert_for_htmx(aigul_client, people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    response = aigul_client.post(
        reverse("protection:reflection_start", args=[case.pk]),
        {"days": "30"},
        headers={"HX-Request": "true"},
    )
    assert (response.status_code, "already running" in response.content.decode()) == (409, True)


def test_a_stale_version_is_shown_as_a_conflict_on_the_form(aigul_client, people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    response = aigul_client.post(
        reverse("protection:reflection_extend", args=[period.pk]),
        {"days": "5", "reason": "Medical care", "expected_version": str(period.version + 7)},
    )
    assert (response.status_code, "meanwhile" in response.content.decode()) == (422, True)


def test_case_page_shows_the_countdown(aigul_client, people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    page = aigul_client.get(tab_url(case.pk, "protection")).content.decode()
    assert "30 days left" in page


def test_start_from_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:reflection_start", args=[case.pk]), {"days": "30"}
    )
    assert (response.status_code, ReflectionPeriod.objects.filter(case=case).count()) == (302, 1)


def test_start_with_too_few_days_shows_the_error(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("protection:reflection_start", args=[case.pk]), {"days": "7"}
    )
    assert (response.status_code, "at least 30 days" in response.content.decode()) == (422, True)


def test_a_refused_form_shows_the_case_again_and_records_that_read(aigul_client, people):
    case = case_build(people.aigul)
    reads_before = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_VIEWED).count()
    response = aigul_client.post(
        reverse("protection:reflection_start", args=[case.pk]), {"days": "7"}
    )
    reads_after = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CASE_VIEWED).count()
    assert (response.status_code, reads_after - reads_before) == (422, 1)


def test_extension_without_reason_shows_the_error(aigul_client, people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    response = aigul_client.post(
        reverse("protection:reflection_extend", args=[period.pk]),
        {"days": "5", "reason": "", "expected_version": "1"},
    )
    assert response.status_code == 422


def test_outcome_from_the_case_page(aigul_client, people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    aigul_client.post(
        reverse("protection:reflection_end", args=[period.pk]),
        {"outcome": "returns", "expected_version": "1"},
    )
    period.refresh_from_db()
    assert period.outcome == "returns"


# --- API -----------------------------------------------------------------------------------


def test_api_start_extend_end(people):
    case = case_build(people.aigul)
    api = ApiClient(people.aigul)
    started = api.post(f"/cases/{case.pk}/reflection-periods", {}).json()
    extended = api.post(
        f"/reflection-periods/{started['id']}/extend",
        {"version": started["version"], "days": 10, "reason": "Hospital"},
    ).json()
    ended = api.post(
        f"/reflection-periods/{started['id']}/end",
        {"version": extended["version"], "outcome": "declines"},
    ).json()
    assert (started["days_left"], extended["days_granted"], ended["outcome"]) == (
        30,
        40,
        "declines",
    )


def test_api_unknown_outcome_is_a_field_error(people):
    case = case_build(people.aigul)
    period = reflection_start(actor=people.aigul, case_id=case.pk)
    response = ApiClient(people.aigul).post(
        f"/reflection-periods/{period.pk}/end", {"version": 1, "outcome": "whatever"}
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["outcome"])


def test_api_receiver_without_the_support_section_sees_no_period(people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    from tirek.referrals.services import referral_accept

    referral_accept(actor=people.dana, referral_id=referral.pk)
    listed = ApiClient(people.dana).get(f"/cases/{case.pk}/reflection-periods")
    assert (listed.status_code, listed.json()) == (200, [])


def test_api_receiver_granted_support_sees_the_period(people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=["identity", "support"],
    )
    from tirek.referrals.services import referral_accept

    referral_accept(actor=people.dana, referral_id=referral.pk)
    listed = ApiClient(people.dana).get(f"/cases/{case.pk}/reflection-periods").json()
    assert len(listed) == 1


def test_api_outsider_gets_404(people):
    case = case_build(people.aigul)
    response = ApiClient(people.outsider).post(f"/cases/{case.pk}/reflection-periods", {})
    assert (response.status_code, ReflectionPeriod.objects.count()) == (404, 0)


def test_the_end_of_the_period_is_due_in_the_case_header(aigul_client, people):
    case = case_build(people.aigul)
    reflection_start(actor=people.aigul, case_id=case.pk)
    page = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "End of the reflection period" in page


def test_starting_the_period_is_offered_at_first_assistance(aigul_client, people):
    from tirek.cases.lifecycle import case_stage_change

    case = case_build(people.aigul)
    case_stage_change(
        actor=people.aigul, case_id=case.pk, stage="first_assistance", expected_version=1
    )
    page = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert tab_url(case.pk, "protection", "reflection") in page
