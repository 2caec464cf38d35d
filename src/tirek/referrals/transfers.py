"""Transfer of case ownership between agencies (e.g. police to a crisis centre).

proposed -> accepted | declined | withdrawn | stopped, each one service, one transaction, one
event on the case timeline. The owning agency proposes, under the person's consent to share the
whole case with the receiver, and names the sections it keeps afterwards (need-to-know). The
receiving agency sees before it answers only what a pending referral shows (nothing that
identifies the person); on acceptance it owns the case with its whole history, and the previous
owner keeps only the chosen sections through an access source (``referrals.access``).

What stays where (docs/case-lifecycle.md): tasks, private notes and documents belong to the
agency that wrote them (``casework``) and stay with it; steps of the mechanism's checklist keep
their responsible agency; referrals the previous owner sent stay its own to withdraw or answer
questions about.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.cases.choices import ALL_SECTIONS
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.core.tasks import task_enqueue_on_commit
from tirek.core.versioning import versioned_update
from tirek.protection.models import Consent
from tirek.referrals.models import CaseTransfer
from tirek.referrals.notifications import transfer_notify
from tirek.referrals.transfer_rules import kept_reduction_errors, transfer_errors

SECTION = "referrals"  # transfers are part of the case's sharing history


def _event_data(transfer: CaseTransfer) -> dict[str, object]:
    return {
        "transfer_id": str(transfer.pk),
        "from_agency_id": str(transfer.from_agency_id),
        "to_agency_id": str(transfer.to_agency_id),
        "kept_sections": list(transfer.kept_sections),
    }


def _record(transfer: CaseTransfer, *, actor: Actor | None, kind: str) -> None:
    case_event_record(
        case=transfer.case, actor=actor, kind=kind, section=SECTION, data=_event_data(transfer)
    )


def consent_allows_transfer(consent: Consent, *, to_agency_id: UUID) -> bool:
    """A transfer hands over every section: the consent must allow sharing all of them."""
    return consent.covers(agency_id=to_agency_id, sections=set(ALL_SECTIONS))


# --- reads ---------------------------------------------------------------------------------


def _base() -> QuerySet[CaseTransfer]:
    return CaseTransfer.objects.select_related(
        "case", "case__person", "from_agency", "to_agency", "proposed_by", "decided_by"
    )


def transfer_get(*, actor: Actor, transfer_id: UUID | str) -> CaseTransfer:
    """One transfer, visible to the proposing and the receiving agency only."""
    not_found = NotFound(object_type="transfer", object_id=transfer_id)
    if not actor.can(Capability.READ_CASES):
        raise not_found
    agency_id = actor.membership.agency_id
    try:
        return _base().get(Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id), pk=transfer_id)
    except (CaseTransfer.DoesNotExist, ValueError, TypeError, ValidationError):
        raise not_found from None


def transfers_of_agency(
    *, actor: Actor, direction: str = "received", status: str | None = None
) -> QuerySet[CaseTransfer]:
    """Transfers proposed to the actor's agency (``received``) or by it (``sent``)."""
    if not actor.can(Capability.READ_CASES):
        return CaseTransfer.objects.none()
    agency_id = actor.membership.agency_id
    field = "from_agency_id" if direction == "sent" else "to_agency_id"
    transfers = _base().filter(**{field: agency_id})
    return transfers.filter(status=status) if status else transfers


def transfers_for_case(*, actor: Actor, case: Case) -> QuerySet[CaseTransfer]:
    """A case's transfers: the owner sees all, another agency those it proposed or received."""
    if not actor.can(Capability.READ_CASES):
        return CaseTransfer.objects.none()
    transfers = _base().filter(case=case)
    agency_id = actor.membership.agency_id
    if case.owner_agency_id == agency_id:
        return transfers
    return transfers.filter(Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id))


def transfers_waiting_count(*, actor: Actor) -> int:
    return transfers_of_agency(actor=actor, status=CaseTransfer.Status.PROPOSED).count()


def transfer_open_record(*, actor: Actor, transfer: CaseTransfer) -> None:
    """Record that a member of the proposing or receiving agency opened the transfer (it shows
    a summary of the person: sex, age group, forms of exploitation, language)."""
    _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_VIEWED)


# --- writes --------------------------------------------------------------------------------


@transaction.atomic
def case_transfer_propose(
    *,
    actor: Actor,
    case_id: UUID | str,
    to_agency_id: UUID | None,
    consent_id: UUID | None,
    kept_sections: list[str],
    reason: str = "",
) -> CaseTransfer:
    """Propose that another agency own the case, under the person's consent to share the whole
    case with it; ``kept_sections``: what the proposing agency keeps once it is accepted."""
    case = case_for_change(actor=actor, case_id=case_id)
    actor.require(Capability.SEND_REFERRALS)
    case_require_open(case)
    to_agency = (
        Agency.objects.filter(pk=to_agency_id, is_active=True).first() if to_agency_id else None
    )
    consent = Consent.objects.filter(pk=consent_id, case=case).first() if consent_id else None
    covers = None
    if consent is not None:
        covers = to_agency is None or consent_allows_transfer(consent, to_agency_id=to_agency.pk)
    errors = transfer_errors(
        owner_agency_id=case.owner_agency_id,
        to_agency_id=to_agency.pk if to_agency else None,
        consent_covers=covers,
        kept_sections=kept_sections,
        reason=reason,
    )
    if errors:
        raise ValidationError(errors)
    assert to_agency is not None and consent is not None  # noqa: S101
    already = InvalidState(_("A transfer of this case is already waiting for an answer."))
    if CaseTransfer.objects.filter(case=case, status=CaseTransfer.Status.PROPOSED).exists():
        raise already
    try:
        with transaction.atomic():
            transfer = CaseTransfer.objects.create(
                case=case,
                from_agency_id=case.owner_agency_id,
                to_agency=to_agency,
                consent=consent,
                kept_sections=sorted(set(kept_sections)),
                reason=reason.strip(),
                proposed_by=actor.user,
            )
    except IntegrityError:  # another proposal won the race
        raise already from None
    _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_PROPOSED)
    task_enqueue_on_commit(transfer_notify, transfer_id=str(transfer.pk), kind="received")
    return transfer


def _transition(
    transfer: CaseTransfer, *, to: str, actor: Actor | None, reason: str = ""
) -> CaseTransfer:
    """Compare-and-swap from PROPOSED; refuses any other current state."""
    now = timezone.now()
    updated = CaseTransfer.objects.filter(
        pk=transfer.pk, status=CaseTransfer.Status.PROPOSED
    ).update(
        status=to,
        version=transfer.version + 1,
        updated_at=now,
        decided_by=actor.user if actor else None,
        decided_at=now,
        decision_reason=reason,
    )
    if not updated:
        raise InvalidState(_("This transfer has already been answered, withdrawn or stopped."))
    transfer.refresh_from_db()
    return transfer


def _for_receiver(actor: Actor, transfer_id: UUID | str) -> CaseTransfer:
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    if transfer.to_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the receiving agency can answer a transfer."))
    actor.require(Capability.DECIDE_REFERRALS)
    return transfer


def _owner_swap(case: Case, *, from_agency_id: UUID, actor: Actor) -> None:
    """Compare-and-swap the case's owner on its version (and on the owner still being the
    proposing agency): a concurrent change of the case makes the acceptance fail whole."""
    versioned_update(
        case,
        expected_version=case.version,
        conflict_message=gettext_lazy(
            "The case changed while you were accepting the transfer. Open it again and retry."
        ),
        where={"owner_agency_id": from_agency_id},
        fields={"owner_agency_id": actor.membership.agency_id, "case_worker": actor.user},
    )


@transaction.atomic
def case_transfer_accept(*, actor: Actor, transfer_id: UUID | str) -> CaseTransfer:
    """The receiving agency takes the case: it becomes the owner (the accepting worker its case
    worker); the previous owner keeps only the sections named in the transfer."""
    transfer = _for_receiver(actor, transfer_id)
    actor.require(Capability.EDIT_CASES)
    case = transfer.case
    case_require_open(case)
    if not transfer.consent.is_active:
        raise InvalidState(_("The person has withdrawn the consent for this transfer."))
    transfer = _transition(transfer, to=CaseTransfer.Status.ACCEPTED, actor=actor)
    _owner_swap(case, from_agency_id=transfer.from_agency_id, actor=actor)
    transfer.case = case
    _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_ACCEPTED)
    task_enqueue_on_commit(transfer_notify, transfer_id=str(transfer.pk), kind="answered")
    return transfer


@transaction.atomic
def case_transfer_decline(*, actor: Actor, transfer_id: UUID | str, reason: str) -> CaseTransfer:
    """The receiving agency declines, saying why; the case stays with its owner."""
    transfer = _for_receiver(actor, transfer_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the transfer is declined.")]})
    if len(reason) > 4000:
        raise ValidationError({"reason": [_("The reason is too long (4000 characters at most).")]})
    transfer = _transition(transfer, to=CaseTransfer.Status.DECLINED, actor=actor, reason=reason)
    _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_DECLINED)
    task_enqueue_on_commit(transfer_notify, transfer_id=str(transfer.pk), kind="answered")
    return transfer


@transaction.atomic
def case_transfer_withdraw(*, actor: Actor, transfer_id: UUID | str) -> CaseTransfer:
    """The proposing agency withdraws a transfer that has not been answered yet."""
    transfer = transfer_get(actor=actor, transfer_id=transfer_id)
    if transfer.from_agency_id != actor.membership.agency_id:
        raise Forbidden(_("Only the proposing agency can withdraw a transfer."))
    actor.require(Capability.SEND_REFERRALS)
    transfer = _transition(transfer, to=CaseTransfer.Status.WITHDRAWN, actor=actor)
    _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_WITHDRAWN)
    return transfer


def transfer_for_owner(actor: Actor, transfer_id: UUID | str) -> CaseTransfer:
    """A transfer of a case the actor's agency owns now (whoever proposed or received it); the
    proposing or receiving agency of a case it does not own is refused (403), anyone else 404."""
    transfer = None
    if actor.can(Capability.READ_CASES):
        owned = _base().filter(case__owner_agency_id=actor.membership.agency_id)
        try:
            transfer = owned.get(pk=transfer_id)
        except (CaseTransfer.DoesNotExist, ValueError, TypeError, ValidationError):
            transfer = None
    if transfer is None:
        transfer_get(actor=actor, transfer_id=transfer_id)  # 404 unless its own transfer
        raise Forbidden(
            _("Only the agency that owns the case can change what the previous owner keeps.")
        )
    actor.require(Capability.EDIT_CASES)
    return transfer


@transaction.atomic
def case_transfer_kept_reduce(
    *, actor: Actor, transfer_id: UUID | str, kept_sections: list[str], expected_version: int
) -> CaseTransfer:
    """The agency that now owns the case takes sections away from what the previous owner of an
    accepted transfer keeps seeing (need-to-know); it cannot add any, and the previous owner
    cannot change what it keeps. Compare-and-swap on the transfer's version (a race is a 409)."""
    transfer = transfer_for_owner(actor, transfer_id)
    if transfer.status != CaseTransfer.Status.ACCEPTED:
        raise InvalidState(_("Only an accepted transfer leaves the previous owner sections."))
    errors = kept_reduction_errors(kept=transfer.kept_sections, keep=kept_sections)
    if errors:
        raise ValidationError(errors)
    before = list(transfer.kept_sections)
    versioned_update(
        transfer,
        expected_version=expected_version,
        conflict_message=gettext_lazy(
            "What the previous owner keeps changed meanwhile. Open the case again and retry."
        ),
        fields={"kept_sections": sorted(set(kept_sections))},
    )
    data = _event_data(transfer) | {"kept_sections_before": before}
    case_event_record(
        case=transfer.case,
        actor=actor,
        kind=CaseEvent.Kind.TRANSFER_KEPT_REDUCED,
        section=SECTION,
        data=data,
    )
    return transfer


def transfers_on_consent_withdrawn(consent: Consent, actor: Actor) -> None:
    """A withdrawn consent stops the pending transfer made under it (inside the withdrawing
    transaction; registered with ``protection.hooks``)."""
    pending = _base().filter(consent=consent, status=CaseTransfer.Status.PROPOSED)
    for transfer in pending:
        transfer = _transition(transfer, to=CaseTransfer.Status.STOPPED, actor=actor)
        _record(transfer, actor=actor, kind=CaseEvent.Kind.TRANSFER_STOPPED)
