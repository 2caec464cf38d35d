"""Asking for more information on a referral: the receiving agency asks, instead of accepting
or declining at once; the sending agency answers on the same thread; then the receiver decides.

One question waits at a time. A question does not stop the clock: the referral stays *sent*,
its answer-due time (the mechanism step's deadline) keeps running and the overdue flag shows as
before, so a question never hides a late answer. The sender sees an unanswered question on the
case page as something to do, due when the referral is (or on the day it was asked).
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.models import CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.services import case_event_record
from tirek.core.errors import Forbidden, InvalidState
from tirek.core.tasks import task_enqueue_on_commit
from tirek.referrals.models import Referral, ReferralQuestion
from tirek.referrals.notifications import referral_notify
from tirek.referrals.services import MESSAGE_MAX, event_data, referral_for_receiver


def _text(value: str, field: str, empty: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationError({field: [empty]})
    if len(text) > MESSAGE_MAX:
        raise ValidationError({field: [_("The message is too long (4000 characters at most).")]})
    return text


def _claim(referral: Referral) -> None:
    """Compare-and-swap on the referral's version while it waits: two people asking or
    answering at once, or an answer racing an accept, cannot both pass."""
    now = timezone.now()
    updated = Referral.objects.filter(
        pk=referral.pk, status=Referral.Status.SENT, version=referral.version
    ).update(version=referral.version + 1, updated_at=now)
    if not updated:
        raise InvalidState(_("This referral has changed meanwhile. Open it again."))
    referral.version += 1


@transaction.atomic
def referral_question_ask(
    *, actor: Actor, referral_id: UUID | str, question: str
) -> ReferralQuestion:
    """The receiving agency asks the sender a question before it accepts or declines."""
    referral = referral_for_receiver(actor, referral_id)
    text = _text(question, "question", _("Write your question."))
    if referral.status != Referral.Status.SENT:
        raise InvalidState(_("This referral has already been answered or withdrawn."))
    case_require_open(referral.case)
    if referral.questions.filter(answered_at__isnull=True).exists():
        raise InvalidState(_("Your earlier question is still waiting for an answer."))
    _claim(referral)
    asked = ReferralQuestion.objects.create(referral=referral, asked_by=actor.user, question=text)
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_INFO_REQUESTED,
        section="referrals",
        data=event_data(referral) | {"question_id": str(asked.pk)},
    )
    task_enqueue_on_commit(
        referral_notify, referral_id=str(referral.pk), kind="question", item_id=str(asked.pk)
    )
    return asked


@transaction.atomic
def referral_question_answer(
    *, actor: Actor, referral_id: UUID | str, answer: str
) -> ReferralQuestion:
    """The sending agency answers the question waiting on its referral."""
    from tirek.referrals.selectors import referral_get

    referral = referral_get(actor=actor, referral_id=referral_id)
    if referral.from_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the sending agency can answer a question about its referral."))
    actor.require(Capability.SEND_REFERRALS)
    text = _text(answer, "answer", _("Write your answer."))
    if referral.status != Referral.Status.SENT:
        raise InvalidState(_("This referral has already been answered or withdrawn."))
    waiting = referral.questions.filter(answered_at__isnull=True).first()
    if waiting is None:
        raise InvalidState(_("No question is waiting for an answer."))
    _claim(referral)
    waiting.answer = text
    waiting.answered_by = actor.user
    waiting.answered_at = timezone.now()
    waiting.version += 1
    waiting.save(update_fields=["answer", "answered_by", "answered_at", "version", "updated_at"])
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_INFO_GIVEN,
        section="referrals",
        data=event_data(referral) | {"question_id": str(waiting.pk)},
    )
    task_enqueue_on_commit(
        referral_notify, referral_id=str(referral.pk), kind="information", item_id=str(waiting.pk)
    )
    return waiting
