"""Referral state changes: sent -> accepted | declined | withdrawn, each checked and recorded."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import Forbidden, InvalidState
from tirek.core.tasks import task_enqueue_on_commit
from tirek.directory.models import ServiceType
from tirek.protection.models import Consent
from tirek.referrals.hooks import referral_outcome, referral_sent
from tirek.referrals.models import Referral
from tirek.referrals.notifications import referral_notify

MESSAGE_MAX = 4000


def event_data(referral: Referral) -> dict[str, str]:
    return {
        "referral_id": str(referral.pk),
        "to_agency_id": str(referral.to_agency_id),
        "service": referral.service_type.code,
    }


@transaction.atomic
def referral_send(
    *,
    actor: Actor,
    case: Case,
    to_agency_id: UUID,
    service_type_id: int,
    consent_id: UUID,
    sections: list[str],
    message: str = "",
    reason: str = Referral.Reason.ADDITIONAL_SERVICES,
) -> Referral:
    """Refer a case to another agency for a service; only under a recorded consent covering it."""
    actor.require(Capability.SEND_REFERRALS)
    case = case_for_change(actor=actor, case_id=case.pk)
    case_require_open(case)
    errors: dict[str, list[str]] = {}
    to_agency = Agency.objects.filter(pk=to_agency_id, is_active=True).first()
    if to_agency is None:
        errors["to_agency"] = [_("Choose an agency from the list.")]
    elif to_agency.pk == actor.membership.agency_id:
        errors["to_agency"] = [_("A case cannot be referred to your own agency.")]
    service = ServiceType.objects.filter(pk=service_type_id, is_active=True).first()
    if service is None:
        errors["service_type"] = [_("Choose a service from the list.")]
    if reason not in Referral.Reason.values:
        errors["reason"] = [_("Choose a reason.")]
    if not sections:
        errors["sections"] = [_("Choose at least one part of the case to share.")]
    elif set(sections) - set(Section.values):
        errors["sections"] = [_("Unknown section.")]
    if len(message) > MESSAGE_MAX:
        errors["message"] = [_("The message is too long (4000 characters at most).")]
    consent = Consent.objects.filter(pk=consent_id, case=case).first()
    if consent is None:
        errors["consent"] = [_("Record the person's consent to this referral first.")]
    elif to_agency is not None and not consent.covers(
        agency_id=to_agency.pk, sections=set(sections)
    ):
        errors["consent"] = [
            _(
                "The person's consent does not cover this agency or these parts of the case. "
                "Record a new consent or share less."
            )
        ]
    if errors:
        raise ValidationError(errors)
    assert to_agency is not None and service is not None and consent is not None  # noqa: S101
    if Referral.objects.filter(
        case=case, to_agency=to_agency, service_type=service, status=Referral.Status.SENT
    ).exists():
        raise InvalidState(_("This case is already waiting for an answer from that agency."))
    referral = Referral.objects.create(
        case=case,
        from_agency=actor.agency,
        to_agency=to_agency,
        service_type=service,
        reason=reason,
        message=message.strip(),
        sections=sorted(set(sections)),
        consent=consent,
        sent_by=actor.user,
    )
    referral_sent(referral)
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_SENT,
        section="referrals",
        data=event_data(referral) | {"sections": referral.sections},
    )
    task_enqueue_on_commit(referral_notify, referral_id=str(referral.pk), kind="received")
    return referral


def referral_for_receiver(actor: Actor, referral_id: UUID | str) -> Referral:
    from tirek.referrals.selectors import referral_get

    referral = referral_get(actor=actor, referral_id=referral_id)
    if referral.to_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the receiving agency can answer a referral."))
    actor.require(Capability.DECIDE_REFERRALS)
    return referral


def _transition(
    referral: Referral, *, to: str, actor: Actor, reason: str = "", decided: bool = True
) -> Referral:
    """Compare-and-swap from SENT; refuses any other current state."""
    now = timezone.now()
    fields: dict[str, object] = {"status": to, "version": referral.version + 1, "updated_at": now}
    if decided:
        fields |= {"decided_by": actor.user, "decided_at": now, "decision_reason": reason}
    updated = Referral.objects.filter(pk=referral.pk, status=Referral.Status.SENT).update(**fields)
    if not updated:
        raise InvalidState(_("This referral has already been answered or withdrawn."))
    referral.refresh_from_db()
    return referral


@transaction.atomic
def referral_accept(*, actor: Actor, referral_id: UUID | str) -> Referral:
    """The receiving agency takes the referral: it may now see the granted sections."""
    referral = referral_for_receiver(actor, referral_id)
    case_require_open(referral.case)
    if not referral.consent.is_active:
        raise InvalidState(_("The person has withdrawn the consent for this referral."))
    referral = _transition(referral, to=Referral.Status.ACCEPTED, actor=actor)
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_ACCEPTED,
        section="referrals",
        data=event_data(referral),
    )
    task_enqueue_on_commit(referral_notify, referral_id=str(referral.pk), kind="answered")
    return referral


@transaction.atomic
def referral_decline(*, actor: Actor, referral_id: UUID | str, reason: str) -> Referral:
    """The receiving agency declines, saying why."""
    referral = referral_for_receiver(actor, referral_id)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the referral is declined.")]})
    referral = _transition(
        referral, to=Referral.Status.DECLINED, actor=actor, reason=reason.strip()
    )
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_DECLINED,
        section="referrals",
        data=event_data(referral),
    )
    task_enqueue_on_commit(referral_notify, referral_id=str(referral.pk), kind="answered")
    return referral


@transaction.atomic
def referral_withdraw(*, actor: Actor, referral_id: UUID | str, reason: str = "") -> Referral:
    """The sending agency withdraws a referral that has not been answered yet."""
    from tirek.referrals.selectors import referral_get

    referral = referral_get(actor=actor, referral_id=referral_id)
    if referral.from_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the sending agency can withdraw a referral."))
    actor.require(Capability.SEND_REFERRALS)
    referral = _transition(
        referral, to=Referral.Status.WITHDRAWN, actor=actor, reason=reason.strip()
    )
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_WITHDRAWN,
        section="referrals",
        data=event_data(referral),
    )
    return referral


@transaction.atomic
def referral_outcome_record(*, actor: Actor, referral_id: UUID | str, delivered: bool) -> Referral:
    """The receiving agency records that it delivered the service, or could not; this closes
    the step of the mechanism the referral delivers. Once per referral."""
    referral = referral_for_receiver(actor, referral_id)
    outcome = Referral.Outcome.DELIVERED if delivered else Referral.Outcome.NOT_DELIVERED
    now = timezone.now()
    updated = Referral.objects.filter(
        pk=referral.pk, status=Referral.Status.ACCEPTED, outcome=""
    ).update(outcome=outcome, outcome_at=now, version=referral.version + 1, updated_at=now)
    if not updated:
        raise InvalidState(
            _("Only an accepted referral without a recorded outcome can be recorded so.")
        )
    referral.refresh_from_db()
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_OUTCOME,
        section="referrals",
        data=event_data(referral) | {"outcome": outcome},
    )
    referral_outcome(referral)
    task_enqueue_on_commit(referral_notify, referral_id=str(referral.pk), kind="outcome")
    return referral


def _consent_covering(old: Referral, to_agency_id: UUID) -> UUID:
    """The old referral's consent if it covers the new agency, else the latest active consent
    of the case that does (``referral_send`` explains when none does)."""
    sections = set(old.sections)
    if old.consent.covers(agency_id=to_agency_id, sections=sections):
        return old.consent_id
    for consent in Consent.objects.filter(case_id=old.case_id).order_by("-created_at"):
        if consent.covers(agency_id=to_agency_id, sections=sections):
            return consent.pk
    return old.consent_id


@transaction.atomic
def referral_resend(
    *, actor: Actor, referral_id: UUID | str, to_agency_id: UUID, consent_id: UUID | None = None
) -> Referral:
    """Send a declined referral, or one still waiting past its due time, to another agency in
    one step: a waiting one is withdrawn, and a new one goes with the same service, parts of the
    case, message and consent (or the consent given)."""
    from tirek.referrals.selectors import referral_get

    old = referral_get(actor=actor, referral_id=referral_id)
    if old.from_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the sending agency can send a referral elsewhere."))
    actor.require(Capability.SEND_REFERRALS)
    if old.status == Referral.Status.SENT and old.is_overdue:
        if to_agency_id == old.to_agency_id:
            raise ValidationError({"to_agency": [_("Choose another agency.")]})
        old = _transition(old, to=Referral.Status.WITHDRAWN, actor=actor)
        case_event_record(
            case=old.case,
            actor=actor,
            kind=CaseEvent.Kind.REFERRAL_WITHDRAWN,
            section="referrals",
            data=event_data(old) | {"resent": True},
        )
    elif old.status != Referral.Status.DECLINED:
        raise InvalidState(_("Only a declined or overdue referral can be sent elsewhere."))
    if to_agency_id == old.to_agency_id:
        raise ValidationError({"to_agency": [_("Choose another agency.")]})
    if consent_id is None:
        consent_id = _consent_covering(old, to_agency_id)
    return referral_send(
        actor=actor,
        case=old.case,
        to_agency_id=to_agency_id,
        service_type_id=old.service_type_id,
        consent_id=consent_id,
        sections=list(old.sections),
        message=old.message,
        reason=old.reason,
    )


def referral_open_record(*, actor: Actor, referral: Referral) -> None:
    """Record that a member of the receiving or sending agency opened the referral."""
    case_event_record(
        case=referral.case,
        actor=actor,
        kind=CaseEvent.Kind.REFERRAL_VIEWED,
        section="referrals",
        data=event_data(referral),
    )
