"""Transfers of case ownership in the web pages: the case page's form, the inbox, the answer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.referrals.models import CaseTransfer
from tirek.testing.builders import case_build, consent_build, transfer_build
from tirek.web.tests.support import SecureClient

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client():
    return SecureClient()


def login(client, actor):
    client.force_login(actor.user)
    return client


def test_the_owner_is_offered_to_transfer_the_case(client, people):
    case = case_build(people.nurlan)
    page = login(client, people.nurlan).get(reverse("cases:detail", args=[case.pk]))
    assert "Transfer the case" in page.content.decode()


def test_police_are_offered_to_keep_the_proceedings(client, people):
    case = case_build(people.nurlan)
    consent_build(people.nurlan, case, sections=sorted(Section.values))
    page = login(client, people.nurlan).get(
        reverse("cases:detail", args=[case.pk]) + "?tab=referrals"
    )
    body = page.content.decode()
    assert re.search(r'name="kept_sections" value="proceedings"[^>]*checked', body)


def test_the_transfer_is_proposed_from_the_case_page(client, people):
    case = case_build(people.nurlan)
    consent = consent_build(people.nurlan, case, sections=sorted(Section.values))
    response = login(client, people.nurlan).post(
        reverse("referrals:transfer_propose", args=[case.pk]),
        {
            "to_agency": str(people.crisis_centre.pk),
            "consent": str(consent.pk),
            "kept_sections": ["proceedings"],
            "reason": "She needs a shelter.",
        },
    )
    assert (response.status_code, CaseTransfer.objects.get().kept_sections) == (
        302,
        ["proceedings"],
    )


def test_a_refused_proposal_shows_every_error_at_once(client, people):
    case = case_build(people.nurlan)
    consent_build(people.nurlan, case, sections=sorted(Section.values))
    partial = consent_build(people.nurlan, case)
    response = login(client, people.nurlan).post(
        reverse("referrals:transfer_propose", args=[case.pk]),
        {
            "to_agency": str(people.crisis_centre.pk),
            "consent": str(partial.pk),
            "kept_sections": ["nonsense"],
            "reason": "x" * 4001,
        },
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422 and all(
        text in body
        for text in (
            "This consent does not cover handing the whole case",
            "Select a valid choice",
            "4000 characters",
        )
    )


def test_a_refused_proposal_writes_nothing(client, people):
    case = case_build(people.nurlan)
    login(client, people.nurlan).post(
        reverse("referrals:transfer_propose", args=[case.pk]), {"reason": "x"}
    )
    assert not CaseTransfer.objects.exists()


def test_the_waiting_transfer_is_in_the_receivers_inbox_without_the_name(client, people):
    case = case_build(people.nurlan, family_name="Secretova")
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    body = login(client, people.aigul).get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:transfer", args=[transfer.pk]) in body and "Secretova" not in body


def test_the_menu_counts_the_waiting_transfer(client, people):
    case = case_build(people.nurlan)
    transfer_build(people.nurlan, case, to=people.crisis_centre)
    from tirek.referrals.selectors import inbox_waiting_count

    assert inbox_waiting_count(actor=people.aigul) == 1


def test_the_receiver_opens_the_transfer_without_the_name(client, people):
    case = case_build(people.nurlan, family_name="Secretova")
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    body = login(client, people.aigul).get(reverse("referrals:transfer", args=[transfer.pk]))
    assert "Accept the case" in body.content.decode() and "Secretova" not in body.content.decode()


def test_opening_the_transfer_is_recorded(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    login(client, people.aigul).get(reverse("referrals:transfer", args=[transfer.pk]))
    assert case.events.filter(kind=CaseEvent.Kind.TRANSFER_VIEWED).count() == 1


def test_accepting_opens_the_case_for_the_new_owner(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = login(client, people.aigul).post(
        reverse("referrals:transfer_accept", args=[transfer.pk])
    )
    assert response["Location"].startswith(reverse("cases:detail", args=[case.pk]))


def test_accepting_twice_says_why_in_the_page(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    login(client, people.aigul).post(reverse("referrals:transfer_accept", args=[transfer.pk]))
    response = client.post(reverse("referrals:transfer_accept", args=[transfer.pk]))
    assert response.status_code == 422 and "already been answered" in response.content.decode()


def test_declining_without_a_reason_keeps_the_form_with_its_error(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = login(client, people.aigul).post(
        reverse("referrals:transfer_decline", args=[transfer.pk]), {"reason": ""}, **HTMX
    )
    assert response.status_code == 422 and "Say why the transfer is declined." in (
        response.content.decode()
    )


def test_declining_leaves_the_case_with_the_police(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    login(client, people.aigul).post(
        reverse("referrals:transfer_decline", args=[transfer.pk]), {"reason": "No places"}
    )
    assert Case.objects.get(pk=case.pk).owner_agency_id == people.police.pk


def test_the_proposer_withdraws_from_the_transfer_page(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    login(client, people.nurlan).post(reverse("referrals:transfer_withdraw", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.WITHDRAWN


def test_the_outsider_cannot_open_a_transfer(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = login(client, people.outsider).get(reverse("referrals:transfer", args=[transfer.pk]))
    assert response.status_code == 404


def test_the_previous_owner_sees_only_the_kept_sections_on_the_case_page(client, people):
    case = case_build(people.nurlan, family_name="Secretova")
    transfer = transfer_build(
        people.nurlan, case, to=people.crisis_centre, kept=[Section.PROCEEDINGS]
    )
    login(client, people.aigul).post(reverse("referrals:transfer_accept", args=[transfer.pk]))
    body = login(SecureClient(), people.nurlan).get(reverse("cases:detail", args=[case.pk]))
    assert body.status_code == 200 and "Secretova" not in body.content.decode()


def test_the_sent_transfers_page_lists_the_proposal_without_the_name(client, people):
    case = case_build(people.nurlan, family_name="Secretova")
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = login(client, people.nurlan).get(reverse("referrals:transfers_sent"))
    body = response.content.decode()
    assert response.status_code == 200
    assert people.crisis_centre.label in body and "Proposed, awaiting answer" in body
    assert reverse("referrals:transfer_withdraw", args=[transfer.pk]) in body
    assert "Secretova" not in body and case.reference not in body


def test_the_menu_links_the_sent_transfers(client, people):
    body = login(client, people.nurlan).get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:transfers_sent") in body


def test_the_receiver_does_not_find_the_transfer_among_its_sent_ones(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    body = login(client, people.aigul).get(reverse("referrals:transfers_sent")).content.decode()
    assert str(transfer.pk) not in body and "No transfers here." in body


def test_an_answered_transfer_shows_its_answer_and_no_withdrawal(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    login(SecureClient(), people.aigul).post(
        reverse("referrals:transfer_decline", args=[transfer.pk]), {"reason": "No places left"}
    )
    body = login(client, people.nurlan).get(reverse("referrals:transfers_sent")).content.decode()
    assert "No places left" in body and "Declined" in body
    assert reverse("referrals:transfer_withdraw", args=[transfer.pk]) not in body


def test_the_status_filter_keeps_only_that_status(client, people):
    waiting = transfer_build(people.nurlan, case_build(people.nurlan), to=people.crisis_centre)
    url = reverse("referrals:transfers_sent")
    body = login(client, people.nurlan).get(url, {"status": "declined"}).content.decode()
    assert str(waiting.pk) not in body
    assert str(waiting.pk) in client.get(url, {"status": "proposed"}).content.decode()


def test_withdrawing_from_the_sent_transfers_comes_back_to_them(client, people):
    case = case_build(people.nurlan)
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    response = login(client, people.nurlan).post(
        reverse("referrals:transfer_withdraw", args=[transfer.pk]), {"next": "sent"}
    )
    transfer.refresh_from_db()
    assert response["Location"] == reverse("referrals:transfers_sent")
    assert transfer.status == CaseTransfer.Status.WITHDRAWN


def _accepted(people):
    case = case_build(people.nurlan)
    kept: list[str] = [Section.PERPETRATORS, Section.PROCEEDINGS]
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre, kept=kept)
    login(SecureClient(), people.aigul).post(
        reverse("referrals:transfer_accept", args=[transfer.pk])
    )
    transfer.refresh_from_db()
    return case, transfer


def test_the_new_owner_unticks_what_the_previous_owner_keeps(client, people):
    case, transfer = _accepted(people)
    url = reverse("referrals:transfer_kept", args=[transfer.pk])
    page = login(client, people.aigul).get(
        reverse("cases:detail", args=[case.pk]) + "?tab=referrals"
    )
    assert url in page.content.decode()
    prefix = f"kept-{transfer.pk}"
    response = client.post(
        url, {f"{prefix}-version": transfer.version, f"{prefix}-kept_sections": ["proceedings"]}
    )
    transfer.refresh_from_db()
    assert response.status_code == 302 and transfer.kept_sections == ["proceedings"]


def test_widening_from_the_case_page_shows_the_error_in_place(client, people):
    _case, transfer = _accepted(people)
    prefix = f"kept-{transfer.pk}"
    response = login(client, people.aigul).post(
        reverse("referrals:transfer_kept", args=[transfer.pk]),
        {f"{prefix}-version": transfer.version, f"{prefix}-kept_sections": ["identity"]},
        **HTMX,
    )
    assert response.status_code == 422 and "can only keep less" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.kept_sections == ["perpetrators", "proceedings"]


def test_the_previous_owner_cannot_post_to_widen_its_own(client, people):
    _case, transfer = _accepted(people)
    prefix = f"kept-{transfer.pk}"
    response = login(client, people.nurlan).post(
        reverse("referrals:transfer_kept", args=[transfer.pk]),
        {f"{prefix}-version": transfer.version, f"{prefix}-kept_sections": ["identity"]},
    )
    assert response.status_code == 403
