from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import CaseEvent
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, consent_build, referral_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def client():
    return SecureClient()


@pytest.fixture
def referral(people):
    case = case_build(people.aigul, family_name="Secretova")
    return referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )


def login(client, actor):
    client.force_login(actor.user)
    return client


def send_data(people, consent, **overrides):
    return {
        "to_agency": str(people.employment.pk),
        "service_type": str(people.employment_service.pk),
        "consent": str(consent.pk),
        "sections": ["identity", "victim"],
        "reason": Referral.Reason.ADDITIONAL_SERVICES,
        "message": "Needs a job near the shelter.",
    } | overrides


def test_referral_is_sent_from_the_case_page(client, people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, to=people.employment)
    response = login(client, people.aigul).post(
        reverse("referrals:send", args=[case.pk]), send_data(people, consent)
    )
    assert response.status_code == 302
    assert Referral.objects.get().message == "Needs a job near the shelter."


def test_referral_beyond_the_consent_is_refused_and_nothing_sent(client, people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, to=people.employment, sections=["identity"])
    response = login(client, people.aigul).post(
        reverse("referrals:send", args=[case.pk]),
        send_data(people, consent, sections=["identity", "contact"]),
    )
    assert response.status_code == 422
    assert "does not cover this agency or these parts" in response.content.decode()
    assert not Referral.objects.exists()


def test_referral_form_error_keeps_the_message(client, people):
    case = case_build(people.aigul)
    consent = consent_build(people.aigul, case, to=people.employment)
    response = login(client, people.aigul).post(
        reverse("referrals:send", args=[case.pk]), send_data(people, consent, sections=[])
    )
    assert "Needs a job near the shelter." in response.content.decode()


def test_second_referral_while_waiting_shows_the_conflict(client, people, referral):
    response = login(client, people.aigul).post(
        reverse("referrals:send", args=[referral.case_id]),
        send_data(people, referral.consent),
    )
    assert "already waiting for an answer" in response.content.decode()
    assert Referral.objects.count() == 1


def test_inbox_lists_the_referral_without_names(client, people, referral):
    content = login(client, people.dana).get(reverse("referrals:inbox")).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in content
    assert "Secretova" not in content


def test_inbox_shows_waiting_referrals_first(client, people, referral):
    other = case_build(people.aigul, family_name="Otherova")
    answered = referral_build(
        people.aigul, other, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=answered.pk)
    response = login(client, people.dana).get(reverse("referrals:inbox"))
    assert [row["referral"] for row in response.context["rows"]] == [referral, answered]


def test_inbox_filters_by_status(client, people, referral):
    response = login(client, people.dana).get(reverse("referrals:inbox"), {"status": "accepted"})
    assert response.context["rows"] == []


def test_nav_shows_the_waiting_count(client, people, referral):
    response = login(client, people.dana).get(reverse("web:home"))
    assert response.context["inbox_waiting"] == 1


def test_sent_list_shows_the_status(client, people, referral):
    content = login(client, people.aigul).get(reverse("referrals:sent")).content.decode()
    assert "Sent, awaiting answer" in content


def test_receiver_sees_only_the_summary_before_accepting(client, people, referral):
    content = (
        login(client, people.dana)
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    assert "Needs help finding work." in content
    assert "Secretova" not in content and referral.case.reference not in content


def test_opening_a_referral_is_recorded(client, people, referral):
    login(client, people.dana).get(reverse("referrals:detail", args=[referral.pk]))
    assert referral.case.events.filter(
        kind=CaseEvent.Kind.REFERRAL_VIEWED, actor_user=people.dana.user
    ).exists()


def test_outsider_gets_404_on_referral_detail(client, people, referral):
    response = login(client, people.outsider).get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 404


def test_accepting_links_to_the_case(client, people, referral):
    response = login(client, people.dana).post(
        reverse("referrals:accept", args=[referral.pk]), follow=True
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED
    assert reverse("cases:detail", args=[referral.case_id]) in response.content.decode()


def test_htmx_accept_returns_the_decision_panel(client, people, referral):
    response = login(client, people.dana).post(
        reverse("referrals:accept", args=[referral.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert 'id="decision"' in content and "<html" not in content


def test_htmx_accept_of_an_answered_referral_is_409(client, people, referral):
    referral_accept(actor=people.dana, referral_id=referral.pk)
    response = login(client, people.dana).post(
        reverse("referrals:accept", args=[referral.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 409
    assert "already been answered" in response.content.decode()


def test_decline_without_reason_is_refused(client, people, referral):
    response = login(client, people.dana).post(
        reverse("referrals:decline", args=[referral.pk]), {"reason": " "}
    )
    referral.refresh_from_db()
    assert response.status_code == 422
    assert "Say why the referral is declined." in response.content.decode()
    assert referral.status == Referral.Status.SENT


def test_decline_with_reason_is_recorded(client, people, referral):
    login(client, people.dana).post(
        reverse("referrals:decline", args=[referral.pk]), {"reason": "No capacity"}
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decision_reason) == (Referral.Status.DECLINED, "No capacity")


def test_sender_cannot_accept(client, people, referral):
    response = login(client, people.aigul).post(reverse("referrals:accept", args=[referral.pk]))
    assert response.status_code == 403


def test_sender_sees_the_outcome(client, people, referral):
    referral_accept(actor=people.dana, referral_id=referral.pk)
    content = (
        login(client, people.aigul)
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    assert "Accepted" in content


def test_sender_withdraws_a_waiting_referral(client, people, referral):
    login(client, people.aigul).post(reverse("referrals:withdraw", args=[referral.pk]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN


def test_receiver_cannot_withdraw(client, people, referral):
    response = login(client, people.dana).post(reverse("referrals:withdraw", args=[referral.pk]))
    assert response.status_code == 403


def test_case_page_lists_only_the_receivers_own_referrals(client, people):
    case = case_build(people.aigul)
    mine = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.IDENTITY],
    )
    referral_build(people.aigul, case, to=people.police, service=people.investigation_service)
    referral_accept(actor=people.dana, referral_id=mine.pk)
    content = (
        login(client, people.dana).get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert people.police.name not in content


# -- confirmation of a decline or a withdrawal; the page after an answer (issue 9 items 5, 6) --


def test_sender_page_names_the_withdrawal_and_only_links_to_its_confirmation(
    client, people, referral
):
    content = (
        login(client, people.aigul)
        .get(reverse("referrals:detail", args=[referral.pk]))
        .content.decode()
    )
    withdraw = reverse("referrals:withdraw", args=[referral.pk])
    assert f'href="{withdraw}"' in content and f'action="{withdraw}"' not in content
    assert ">Answer<" not in content


def test_withdrawal_asks_for_confirmation_before_anything_changes(client, people, referral):
    response = login(client, people.aigul).get(reverse("referrals:withdraw", args=[referral.pk]))
    content = response.content.decode()
    assert "Withdraw the referral?" in content and "Back, keep the referral" in content
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SENT


def test_withdrawal_confirmed_withdraws(client, people, referral):
    login(client, people.aigul).post(
        reverse("referrals:withdraw", args=[referral.pk]), {"reason": "Wrong agency"}
    )
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN


def test_withdrawal_confirmation_with_htmx_is_the_decision_panel(client, people, referral):
    response = login(client, people.aigul).get(
        reverse("referrals:withdraw", args=[referral.pk]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert '<section class="card confirm" id="decision"' in content and "<html" not in content


def test_decline_asks_for_confirmation_with_the_reason(client, people, referral):
    response = login(client, people.dana).get(reverse("referrals:decline", args=[referral.pk]))
    content = response.content.decode()
    assert "Decline the referral?" in content and 'name="reason"' in content


def test_decline_without_a_reason_stays_on_the_confirmation(client, people, referral):
    response = login(client, people.dana).post(
        reverse("referrals:decline", args=[referral.pk]), {"reason": ""}
    )
    assert response.status_code == 422 and "Decline the referral?" in response.content.decode()


def test_confirmation_of_an_answered_referral_goes_back_to_it(client, people, referral):
    referral_accept(actor=people.dana, referral_id=referral.pk)
    response = login(client, people.aigul).get(reverse("referrals:withdraw", args=[referral.pk]))
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])


def test_answer_with_htmx_replaces_the_note_about_the_person(client, people, referral):
    response = login(client, people.dana).post(
        reverse("referrals:accept", args=[referral.pk]), headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert 'id="about"' in content and 'hx-swap-oob="true"' in content
    assert "Before you accept" not in content and "You accepted" in content
