"""Deadlines: overdue referrals flagged, reminders, escalation to the coordinator, idempotent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.cases.models import CaseEvent
from tirek.mechanisms.deadlines import deadlines_sweep
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.tests.support import NOW, to_first_assistance
from tirek.referrals.models import Referral
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, consent_build, referral_build
from tirek.testing.personas import Personas
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def shelter_referred(people: Personas) -> Referral:
    """A case at first assistance whose shelter step (24 h, escalated 12 h later) went to the
    police department (standing in for a shelter)."""
    with time_machine.travel(NOW, tick=False):
        case = case_build(people.aigul)
        to_first_assistance(people.aigul, case)
        referral = referral_build(
            people.aigul, case, to=people.police, service=people.shelter_service
        )
        tasks_run_pending()  # the "new referral" e-mail
    return referral


def test_a_referral_delivering_a_step_is_due_when_the_step_is(
    almaty: Mechanism,
    people: Personas,
) -> None:
    referral = shelter_referred(people)
    referral.refresh_from_db()
    assert referral.due_at == NOW + 24 * HOUR
    item = ChecklistItem.objects.get(case=referral.case, step__code="shelter")
    assert item.referral == referral
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        assert referral.is_overdue
        client = SecureClient()
        client.force_login(people.nurlan.user)
        inbox = client.get(reverse("referrals:inbox")).content.decode()
        assert "Overdue" in inbox
        answer = ApiClient(people.nurlan).get(f"/referrals/{referral.pk}").json()
        assert answer["overdue"] is True


def test_the_sweep_reminds_then_escalates_once(
    almaty: Mechanism,
    people: Personas,
    coordinator: Actor,
    mailoutbox: list[Any],
) -> None:
    referral = shelter_referred(people)
    mailoutbox.clear()
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        result = deadlines_sweep.call()
        assert result["reminded"] == 2  # the police step (owner not yet acting) and the shelter
        assert result["escalated"] == 0
        tasks_run_pending()
        assert people.nurlan.user.email in [m.to[0] for m in mailoutbox]
        assert deadlines_sweep.call() == {"reminded": 0, "escalated": 0}
        tasks_run_pending()
        count = len(mailoutbox)
    text = "".join(m.subject + m.body for m in mailoutbox)
    assert referral.case.reference not in text and "Synthetova" not in text
    with time_machine.travel(NOW + 37 * HOUR, tick=False):
        assert deadlines_sweep.call()["escalated"] == 2
        tasks_run_pending()
        escalations = [m for m in mailoutbox[count:] if m.to == [coordinator.user.email]]
        assert len(escalations) == 2
        assert "Test City Police Department" in "".join(m.body for m in escalations)
        assert deadlines_sweep.call() == {"reminded": 0, "escalated": 0}
        tasks_run_pending()
        assert len([m for m in mailoutbox if m.to == [coordinator.user.email]]) == 2
    events = CaseEvent.objects.filter(case=referral.case, kind=CaseEvent.Kind.DEADLINE_ESCALATED)
    assert events.count() == 2


def test_closed_steps_are_neither_reminded_nor_escalated(
    almaty: Mechanism,
    people: Personas,
) -> None:
    referral = shelter_referred(people)
    ChecklistItem.objects.filter(case=referral.case).update(status=ChecklistItem.Status.DONE)
    with time_machine.travel(NOW + 40 * HOUR, tick=False):
        assert deadlines_sweep.call() == {"reminded": 0, "escalated": 0}


def test_the_coordinator_sees_every_open_step_overdue_first_without_the_person(
    almaty: Mechanism,
    people: Personas,
    coordinator: Actor,
) -> None:
    referral = shelter_referred(people)
    consent_build(people.aigul, referral.case)  # for any agency
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        client = SecureClient()
        client.force_login(coordinator.user)
        page = client.get(reverse("mechanisms:open_steps"))
        text = page.content.decode()
        assert page.status_code == 200
        assert text.index("Shelter") < text.index("Reflection")
        assert "Test City Police Department" in text
        assert referral.case.reference not in text and "Synthetova" not in text
        rows = ApiClient(coordinator).get("/mechanisms/open-steps").json()
        assert [r["overdue"] for r in rows][:2] == [True, True]
        assert {r["step_code"] for r in rows if r["overdue"]} == {"police-informed", "shelter"}
        police_rows = ApiClient(people.nurlan).get("/mechanisms/open-steps").json()
        assert [r["step_code"] for r in police_rows] == ["shelter"]
        outsider_rows = ApiClient(people.outsider).get("/mechanisms/open-steps").json()
        assert outsider_rows == []


def test_the_receiver_records_the_service_delivered_which_closes_the_step(
    almaty: Mechanism, people: Personas, mailoutbox: list[Any]
) -> None:
    from tirek.core.errors import InvalidState
    from tirek.referrals.services import referral_accept, referral_outcome_record

    referral = shelter_referred(people)
    referral_accept(actor=people.nurlan, referral_id=referral.pk)
    client = SecureClient()
    client.force_login(people.nurlan.user)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert reverse("referrals:outcome", args=[referral.pk]) in page
    response = client.post(
        reverse("referrals:outcome", args=[referral.pk]), {"outcome": "delivered"}
    )
    assert response.status_code == 302
    item = ChecklistItem.objects.get(case=referral.case, step__code="shelter")
    assert item.status == ChecklistItem.Status.DONE
    assert (
        CaseEvent.objects.filter(case=referral.case, kind=CaseEvent.Kind.REFERRAL_OUTCOME).count()
        == 1
    )
    with pytest.raises(InvalidState):
        referral_outcome_record(actor=people.nurlan, referral_id=referral.pk, delivered=False)
    tasks_run_pending()
    assert people.aigul.user.email in [m.to[0] for m in mailoutbox]


def test_not_delivered_through_the_api_closes_the_step_as_not_done(
    almaty: Mechanism, people: Personas
) -> None:
    from tirek.referrals.services import referral_accept

    referral = shelter_referred(people)
    refused = ApiClient(people.nurlan).post(
        f"/referrals/{referral.pk}/outcome", {"delivered": False}
    )
    assert refused.status_code == 409  # not accepted yet
    referral_accept(actor=people.nurlan, referral_id=referral.pk)
    assert (
        ApiClient(people.aigul)
        .post(f"/referrals/{referral.pk}/outcome", {"delivered": True})
        .status_code
        == 403
    )
    answer = ApiClient(people.nurlan).post(
        f"/referrals/{referral.pk}/outcome", {"delivered": False}
    )
    assert answer.status_code == 200 and answer.json()["outcome"] == "not_delivered"
    item = ChecklistItem.objects.get(case=referral.case, step__code="shelter")
    assert item.status == ChecklistItem.Status.NOT_DONE


def test_withdrawing_the_consent_cancels_the_steps_that_depend_on_it(
    almaty: Mechanism, people: Personas
) -> None:
    from tirek.protection.services import consent_withdraw

    referral = shelter_referred(people)
    consent_withdraw(actor=people.aigul, consent_id=referral.consent_id, reason="Changed her mind")
    shelter = ChecklistItem.objects.get(case=referral.case, step__code="shelter")
    police = ChecklistItem.objects.get(case=referral.case, step__code="police-informed")
    assert shelter.status == ChecklistItem.Status.CANCELLED
    assert police.status == ChecklistItem.Status.OPEN  # not delivered under that consent
    event = CaseEvent.objects.get(case=referral.case, kind=CaseEvent.Kind.CHECKLIST_STEPS_CANCELLED)
    assert event.data["steps"] == ["shelter"]
    with time_machine.travel(NOW + 40 * HOUR, tick=False):
        assert deadlines_sweep.call()["escalated"] == 1  # the police step only


def test_an_overdue_referral_is_sent_elsewhere_in_one_step_and_carries_the_step(
    almaty: Mechanism, people: Personas
) -> None:
    people.crisis_centre.services.add(people.shelter_service)
    people.employment.services.add(people.shelter_service)
    referral = shelter_referred(people)
    consent_build(people.aigul, referral.case)  # for any agency
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        client = SecureClient()
        client.force_login(people.aigul.user)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert reverse("referrals:resend", args=[referral.pk]) in page
        response = client.post(
            reverse("referrals:resend", args=[referral.pk]), {"to_agency": people.employment.pk}
        )
        assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN
    new = Referral.objects.get(case=referral.case, to_agency=people.employment)
    assert new.status == Referral.Status.SENT and new.sections == referral.sections
    item = ChecklistItem.objects.get(case=referral.case, step__code="shelter")
    assert item.referral == new and new.due_at == item.due_at


def test_only_declined_or_overdue_referrals_are_sent_elsewhere(
    almaty: Mechanism, people: Personas
) -> None:
    from tirek.referrals.services import referral_decline

    referral = shelter_referred(people)
    api = ApiClient(people.aigul)
    with time_machine.travel(NOW + HOUR, tick=False):  # waiting, not yet overdue
        early = api.post(
            f"/referrals/{referral.pk}/resend",
            {"cas_ReferredOrganisation": str(people.employment.pk)},
        )
    assert early.status_code == 409
    referral_decline(actor=people.nurlan, referral_id=referral.pk, reason="No places")
    no_consent = api.post(
        f"/referrals/{referral.pk}/resend", {"cas_ReferredOrganisation": str(people.employment.pk)}
    )
    assert no_consent.status_code == 400 and "consent" in no_consent.content.decode()
    consent_build(people.aigul, referral.case)
    same = api.post(
        f"/referrals/{referral.pk}/resend", {"cas_ReferredOrganisation": str(people.police.pk)}
    )
    assert same.status_code == 400
    sent = api.post(
        f"/referrals/{referral.pk}/resend", {"cas_ReferredOrganisation": str(people.employment.pk)}
    )
    assert sent.status_code == 201, sent.content
    assert (
        ApiClient(people.nurlan)
        .post(
            f"/referrals/{referral.pk}/resend",
            {"cas_ReferredOrganisation": str(people.employment.pk)},
        )
        .status_code
        == 403
    )
