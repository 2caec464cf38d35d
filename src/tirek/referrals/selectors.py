"""Reading referrals, scoped to the acting user's agency."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.models import Case
from tirek.core.errors import NotFound
from tirek.directory.selectors import ProviderOffer, providers_for
from tirek.referrals.models import CaseTransfer, Referral, ReferralQuestion


def _base() -> QuerySet[Referral]:
    """Referrals with their agencies, and whether a question waits or was asked (for the
    "information requested" / "information given" mark of lists, without a query per row)."""
    questions = ReferralQuestion.objects.filter(referral=OuterRef("pk"))
    return Referral.objects.select_related(
        "case", "case__person", "from_agency", "to_agency", "service_type", "sent_by", "decided_by"
    ).annotate(
        open_questions=Exists(questions.filter(answered_at__isnull=True)),
        questions_asked=Exists(questions),
    )


def referral_questions(referral: Referral) -> list[ReferralQuestion]:
    """The thread of a referral (the caller already holds it: ``referral_get``), oldest first."""
    return list(referral.questions.select_related("asked_by", "answered_by"))


def questions_waiting_for_case(*, actor: Actor, case: Case) -> QuerySet[Referral]:
    """The case's referrals sent by the actor's agency with a question waiting for its answer."""
    if not actor.can(Capability.SEND_REFERRALS):
        return Referral.objects.none()
    waiting = ReferralQuestion.objects.filter(answered_at__isnull=True).values("referral_id")
    return _base().filter(
        case=case,
        from_agency_id=actor.membership.agency_id,
        status=Referral.Status.SENT,
        pk__in=waiting,
    )


def referrals_inbox(*, actor: Actor, status: str | None = None) -> QuerySet[Referral]:
    """Referrals received by the actor's agency, newest first."""
    if not actor.can(Capability.READ_CASES):
        return Referral.objects.none()
    referrals = _base().filter(to_agency_id=actor.membership.agency_id)
    return referrals.filter(status=status) if status else referrals


def referrals_sent(*, actor: Actor, status: str | None = None) -> QuerySet[Referral]:
    """Referrals sent by the actor's agency, newest first."""
    if not actor.can(Capability.READ_CASES):
        return Referral.objects.none()
    referrals = _base().filter(from_agency_id=actor.membership.agency_id)
    return referrals.filter(status=status) if status else referrals


def referrals_for_case(*, actor: Actor, case: Case) -> QuerySet[Referral]:
    """A case's referrals: the owner sees all, a receiver only those addressed to it."""
    if not actor.can(Capability.READ_CASES):
        return Referral.objects.none()
    referrals = _base().filter(case=case)
    if case.owner_agency_id == actor.membership.agency_id:
        return referrals
    return referrals.filter(to_agency_id=actor.membership.agency_id)


def referral_get(*, actor: Actor, referral_id: UUID | str) -> Referral:
    """One referral, visible to the sending and the receiving agency only."""
    not_found = NotFound(object_type="referral", object_id=referral_id)  # a refusal is recorded
    if not actor.can(Capability.READ_CASES):
        raise not_found
    agency_id = actor.membership.agency_id
    try:
        return _base().get(Q(from_agency_id=agency_id) | Q(to_agency_id=agency_id), pk=referral_id)
    except (Referral.DoesNotExist, ValueError, TypeError, ValidationError):
        raise not_found from None


def inbox_waiting_count(*, actor: Actor) -> int:
    """Referrals and proposed transfers of cases waiting for the agency's answer (one query:
    the menu shows it on every page)."""
    if not actor.can(Capability.READ_CASES):
        return 0
    agency_id = actor.membership.agency_id
    referrals = Referral.objects.filter(to_agency_id=agency_id, status=Referral.Status.SENT)
    transfers = CaseTransfer.objects.filter(
        to_agency_id=agency_id, status=CaseTransfer.Status.PROPOSED
    )
    waiting = referrals.order_by().values("pk")
    return waiting.union(transfers.order_by().values("pk"), all=True).count()


@dataclass(frozen=True)
class ReferralSummary:
    """What a receiving agency may know before accepting: nothing that identifies the person."""

    sex: str
    age_group: str
    types_of_exploitation: list[str]
    primary_language: str


def _age_group(age: int | None) -> str:
    if age is None:
        return _("age unknown")
    if age < 18:
        return _("child (under 18)")
    if age < 25:
        return "18–24"
    if age < 35:
        return "25–34"
    if age < 50:
        return "35–49"
    return _("50 or older")


def case_summary(case: Case) -> ReferralSummary:
    """The summary of a case shown to an agency asked to take it (a referral or a transfer)."""
    person = case.person
    return ReferralSummary(
        sex=person.get_sex_display(),
        age_group=_age_group(person.age_on(timezone.localdate())),
        types_of_exploitation=list(case.types_of_exploitation),
        primary_language=person.primary_language,
    )


def referral_summary(referral: Referral) -> ReferralSummary:
    return case_summary(referral.case)


def providers_for_case(*, actor: Actor, case: Case, service_type: str | int) -> list[ProviderOffer]:
    """Providers the case's owner could refer the person to for ``service_type``: they fit her
    (sex, age, citizenship), serve the owner's city, and full ones come last, marked."""
    if not str(service_type).strip().isdigit():
        return []
    return providers_for(
        service_type=int(service_type),
        person=case,
        territory=actor.agency.place,
        include_full=True,
        exclude_agency_id=actor.membership.agency_id,
    )
