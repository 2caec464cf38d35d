"""Referral e-mails: queued with the change, sent by the worker, once per recipient."""

from __future__ import annotations

from tirek.referrals.notifications import referral_notify
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build
from tirek.testing.tasks import tasks_run_pending


def test_the_receiving_agency_is_told_by_the_worker_not_by_the_request(people, mailoutbox):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    assert mailoutbox == []
    assert tasks_run_pending() == 1
    assert [m.to for m in mailoutbox] == [[people.dana.user.email]]
    text = mailoutbox[0].subject + mailoutbox[0].body
    assert str(referral.pk) in text
    assert case.reference not in text


def test_the_sender_is_told_of_the_answer(people, mailoutbox):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    tasks_run_pending()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people.dana.user.email, people.aigul.user.email]
    )


def test_the_same_notice_run_twice_sends_nothing_twice(people, mailoutbox):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    tasks_run_pending()
    referral_notify.enqueue(referral_id=str(referral.pk), kind="received")
    tasks_run_pending()
    assert [m.to for m in mailoutbox] == [[people.dana.user.email]]


def test_the_mail_is_written_in_the_recipients_language(people, mailoutbox):
    people.dana.user.preferred_language = "kk"
    people.dana.user.save()
    case = case_build(people.aigul)
    referral_build(people.aigul, case, to=people.employment, service=people.employment_service)
    tasks_run_pending()
    assert mailoutbox[0].subject == "Tirek: сізге жаңа жолдама келді"


def test_the_receiving_agency_of_a_transfer_is_told_with_a_link_and_no_name(people, mailoutbox):
    from tirek.testing.builders import transfer_build

    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    tasks_run_pending()
    text = mailoutbox[0].subject + mailoutbox[0].body
    assert ([m.to for m in mailoutbox], str(transfer.pk) in text, "Synthetova" in text) == (
        [[people.aigul.user.email]],
        True,
        False,
    )


def test_the_proposer_is_told_of_the_answer_to_a_transfer(people, mailoutbox):
    from tirek.referrals.transfers import case_transfer_decline
    from tirek.testing.builders import transfer_build

    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    case_transfer_decline(actor=people.aigul, transfer_id=transfer.pk, reason="No places")
    tasks_run_pending()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people.aigul.user.email, people.nurlan.user.email]
    )
