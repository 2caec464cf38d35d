"""Asking for more information: the receiver asks, the sender answers on the same thread, then
the receiver decides; both agencies see the thread; the clock keeps running."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.cases.page import header_build
from tirek.cases.selectors import case_view
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.referrals.models import Referral, ReferralQuestion
from tirek.referrals.questions import referral_question_answer, referral_question_ask
from tirek.referrals.services import referral_accept, referral_withdraw
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

QUESTION = "Does she need a place with a crèche for her son?"
ANSWER = "Yes, her son is four years old."


@pytest.fixture
def referral(people) -> Referral:
    case = case_build(people.aigul, family_name="Secretova")
    return referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )


def _kinds(referral: Referral) -> list[str]:
    return list(referral.case.events.values_list("kind", flat=True))


def test_receiver_asks_sender_answers_then_receiver_accepts(people, referral):
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    assert Referral.objects.get(pk=referral.pk).information == "requested"
    referral_question_answer(actor=people.aigul, referral_id=referral.pk, answer=ANSWER)
    assert Referral.objects.get(pk=referral.pk).information == "answered"
    accepted = referral_accept(actor=people.dana, referral_id=referral.pk)
    assert accepted.status == Referral.Status.ACCEPTED
    kinds = _kinds(referral)
    assert kinds.count(CaseEvent.Kind.REFERRAL_INFO_REQUESTED) == 1
    assert kinds.count(CaseEvent.Kind.REFERRAL_INFO_GIVEN) == 1


def test_the_text_is_stored_encrypted_and_the_event_holds_no_text(people, referral):
    from django.db import connection

    asked = referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT question FROM referrals_referralquestion WHERE id = %s", [asked.pk.hex]
        )
        rows = cursor.fetchall() or []
    if not rows:  # PostgreSQL keeps UUIDs as such
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT question FROM referrals_referralquestion WHERE id = %s", [str(asked.pk)]
            )
            rows = cursor.fetchall()
    assert rows and "crèche" not in str(rows[0][0])
    event = referral.case.events.get(kind=CaseEvent.Kind.REFERRAL_INFO_REQUESTED)
    assert "crèche" not in str(event.data)


def test_one_question_waits_at_a_time(people, referral):
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    with pytest.raises(InvalidState):
        referral_question_ask(actor=people.dana, referral_id=referral.pk, question="And more?")
    referral_question_answer(actor=people.aigul, referral_id=referral.pk, answer=ANSWER)
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question="And more?")
    assert ReferralQuestion.objects.filter(referral=referral).count() == 2


def test_only_the_receiver_asks_and_only_the_sender_answers(people, referral):
    with pytest.raises(Forbidden):
        referral_question_ask(actor=people.aigul, referral_id=referral.pk, question=QUESTION)
    with pytest.raises(NotFound):
        referral_question_ask(actor=people.outsider, referral_id=referral.pk, question=QUESTION)
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    with pytest.raises(Forbidden):
        referral_question_answer(actor=people.dana, referral_id=referral.pk, answer=ANSWER)
    with pytest.raises(NotFound):
        referral_question_answer(actor=people.outsider, referral_id=referral.pk, answer=ANSWER)


def test_empty_text_is_refused_and_nothing_written(people, referral):
    before = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        referral_question_ask(actor=people.dana, referral_id=referral.pk, question="  ")
    assert "question" in raised.value.message_dict
    assert CaseEvent.objects.count() == before
    assert not ReferralQuestion.objects.exists()
    with pytest.raises(InvalidState):  # nothing to answer
        referral_question_answer(actor=people.aigul, referral_id=referral.pk, answer=ANSWER)


def test_no_question_once_answered_or_withdrawn(people, referral):
    referral_withdraw(actor=people.aigul, referral_id=referral.pk)
    with pytest.raises(InvalidState):
        referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)


def test_a_question_does_not_stop_the_clock(people, referral):
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    assert Referral.objects.get(pk=referral.pk).is_overdue


def test_the_senders_case_page_shows_the_waiting_question_as_due(people, referral):
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    header = header_build(people.aigul, case_view(actor=people.aigul, case_id=referral.case_id))
    labels = [str(due.label) for due in header.dues]
    assert any(people.employment.label in label for label in labels), labels
    referral_question_answer(actor=people.aigul, referral_id=referral.pk, answer=ANSWER)
    header = header_build(people.aigul, case_view(actor=people.aigul, case_id=referral.case_id))
    assert not any(people.employment.label in str(due.label) for due in header.dues)


def test_each_side_is_told_by_the_worker(people, referral, mailoutbox):
    tasks_run_pending()
    mailoutbox.clear()
    referral_question_ask(actor=people.dana, referral_id=referral.pk, question=QUESTION)
    tasks_run_pending()
    assert [m.to for m in mailoutbox] == [[people.aigul.user.email]]
    assert "crèche" not in mailoutbox[0].body
    referral_question_answer(actor=people.aigul, referral_id=referral.pk, answer=ANSWER)
    tasks_run_pending()
    assert [m.to for m in mailoutbox][1:] == [[people.dana.user.email]]


def test_both_agencies_see_the_thread_on_the_web(people, referral):
    client = SecureClient()
    client.force_login(people.dana.user)
    url = reverse("referrals:ask", args=[referral.pk])
    response = client.post(url, {"question": QUESTION}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "crèche" in response.content.decode()
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert "status-info-requested" in inbox
    client.force_login(people.aigul.user)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "crèche" in page and 'name="answer"' in page
    response = client.post(reverse("referrals:answer", args=[referral.pk]), {"answer": ANSWER})
    assert response.status_code == 302
    panel = client.get(
        reverse("cases:detail", args=[referral.case_id]) + "?tab=referrals"
    ).content.decode()
    assert "status-info-answered" in panel


def test_an_empty_question_on_the_web_is_a_readable_422(people, referral):
    client = SecureClient()
    client.force_login(people.dana.user)
    response = client.post(reverse("referrals:ask", args=[referral.pk]), {"question": ""})
    assert response.status_code == 422
    assert "Write your question." in response.content.decode()


def test_the_thread_through_the_api(people, referral):
    dana, aigul = ApiClient(people.dana), ApiClient(people.aigul)
    asked = dana.post(f"/referrals/{referral.pk}/questions", {"question": QUESTION})
    assert asked.status_code == 201, asked.content
    assert asked.json()["information"] == "requested"
    assert asked.json()["questions"][0]["question"] == QUESTION
    assert dana.post(f"/referrals/{referral.pk}/questions", {"question": "x"}).status_code == 409
    assert aigul.post(f"/referrals/{referral.pk}/answer", {"answer": ""}).status_code == 400
    answered = aigul.post(f"/referrals/{referral.pk}/answer", {"answer": ANSWER})
    assert answered.status_code == 200
    assert answered.json()["questions"][0]["answer"] == ANSWER
    inbox = dana.get("/referrals/inbox").json()["items"]
    assert inbox[0]["information"] == "answered"
    outsider = ApiClient(people.outsider)
    assert outsider.get(f"/referrals/{referral.pk}").status_code == 404
    assert outsider.post(f"/referrals/{referral.pk}/answer", {"answer": "x"}).status_code == 404
