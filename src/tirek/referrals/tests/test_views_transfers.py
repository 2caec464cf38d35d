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
