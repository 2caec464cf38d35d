"""Deadlines of the mechanism: the periodic sweep, reminders, escalation, the open-steps list.

``deadlines_sweep`` runs every few minutes (``tirek scheduler``, or the embedded runner). An
open step past its due time is marked reminded and a reminder goes to the agency that must act
now; past its second deadline it is marked escalated, the case's timeline records it, and the
coordinators of the mechanism's territory are told. Each mark is a compare-and-swap, so running
the sweep twice (or in two workers at once) reminds and escalates once; each e-mail goes at most
once per recipient (``deliver_once``). Messages name the step and the agency, never the person.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Capability, Role
from tirek.accounts.selectors import agency_members_able_to
from tirek.cases.choices import CaseStatus
from tirek.cases.models import CaseEvent
from tirek.cases.services import case_event_record
from tirek.core.tasks import background_task, task_enqueue_on_commit
from tirek.core.tasks.mail import mail_users_once
from tirek.mechanisms.checklist import LIVE_REFERRALS, item_referral, who_is_late
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.referrals.models import Referral

SWEEP_BATCH = 500
KINDS = ("reminder", "escalation")


@background_task(retries=3)
def deadlines_sweep() -> dict[str, int]:
    """Remind and escalate what is overdue; returns how many of each this run marked."""
    now = timezone.now()
    open_items = ChecklistItem.objects.filter(
        status=ChecklistItem.Status.OPEN, case__status=CaseStatus.ACTIVE
    )
    reminded = escalated = 0
    due = open_items.filter(due_at__lt=now, reminded_at__isnull=True)
    for pk in list(due.values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            marked = ChecklistItem.objects.filter(
                pk=pk, status=ChecklistItem.Status.OPEN, reminded_at__isnull=True
            ).update(reminded_at=now)
            if marked:
                task_enqueue_on_commit(deadline_notify, item_id=str(pk), kind="reminder")
                reminded += 1
    late = open_items.filter(escalate_at__lt=now, escalated_at__isnull=True)
    for pk in list(late.values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            marked = ChecklistItem.objects.filter(
                pk=pk, status=ChecklistItem.Status.OPEN, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not marked:
                continue
            item = ChecklistItem.objects.select_related("case__owner_agency", "step").get(pk=pk)
            late_agency = _late_agency(item)
            case_event_record(
                case=item.case,
                actor=None,
                kind=CaseEvent.Kind.DEADLINE_ESCALATED,
                section="referrals",
                data={
                    "item_id": str(item.pk),
                    "step": item.step.code,
                    "late_agency_id": str(late_agency.pk),
                },
            )
            task_enqueue_on_commit(deadline_notify, item_id=str(pk), kind="escalation")
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def _late_agency(item: ChecklistItem) -> Agency:
    referrals = list(
        Referral.objects.filter(case_id=item.case_id)
        .select_related("to_agency")
        .order_by("-sent_at")
    )
    return who_is_late(item, item_referral(item, referrals), item.case)


def territory_coordinators(mechanism: Mechanism) -> list[User]:
    """The coordinators of the territory's coordinating body; failing one, every coordinator of
    an agency placed in the territory."""
    members = Membership.objects.filter(
        is_active=True,
        role=Role.COORDINATOR,
        agency__is_active=True,
        agency__place_id=mechanism.territory_id,
        user__is_active=True,
    )
    body = members.filter(agency__type=Agency.Type.COMMISSION)
    chosen = body if body.exists() else members
    return list(User.objects.filter(pk__in=chosen.values("user_id")).order_by("pk"))


@background_task()
def deadline_notify(*, item_id: str, kind: str) -> int:
    """E-mail a reminder to the agency that must act, or an escalation to the coordinators."""
    if kind not in KINDS:
        raise ValueError("Unknown deadline notification kind")
    item = (
        ChecklistItem.objects.select_related("case__owner_agency", "step__mechanism")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not item.is_open:
        return 0
    late_agency = _late_agency(item)
    link = settings.SITE_URL.rstrip("/") + reverse("mechanisms:open_steps")
    if kind == "reminder":
        referral = item.referral
        capability = (
            Capability.DECIDE_REFERRALS
            if referral is not None and referral.to_agency_id == late_agency.pk
            else Capability.SEND_REFERRALS
        )
        users = agency_members_able_to(agency_id=late_agency.pk, capability=capability)
    else:
        users = territory_coordinators(item.step.mechanism)

    def compose() -> tuple[str, str]:
        step = item.step.label
        if kind == "reminder":
            subject = _("Tirek: a step of the referral mechanism is overdue")
            body = _("The step “%(step)s” is overdue; your agency is to act now.") % {"step": step}
        else:
            subject = _("Tirek: an overdue step is escalated to you")
            body = _(
                "The step “%(step)s” is still not done after its second deadline; "
                "%(agency)s is late."
            ) % {"step": step, "agency": late_agency.label}
        return subject, body + "\n" + _("Sign in to Tirek to see it:") + f"\n{link}\n"

    return mail_users_once(key=f"deadline:{item.pk}:{kind}", users=users, compose=compose)


# --- the open steps pages --------------------------------------------------------------------


@dataclass
class OpenStep:
    item: ChecklistItem
    late_agency: Agency
    overdue: bool
    overdue_by: datetime.timedelta | None
    referral: Referral | None


def is_territory_coordinator(actor: Actor) -> bool:
    return (
        actor.membership.is_active
        and actor.role == Role.COORDINATOR
        and bool(actor.agency.place_id)
    )


def open_steps(actor: Actor, *, now: datetime.datetime | None = None) -> list[OpenStep]:
    """Open steps, overdue first (the longest overdue first), then by due time.

    A coordinator sees every open step of the cases that follow a mechanism of their agency's
    territory; any other member, the steps their agency must act on now. Only steps, agencies and
    times: no case reference, no person.
    """
    now = now or timezone.now()
    queryset = ChecklistItem.objects.filter(
        status=ChecklistItem.Status.OPEN, case__status=CaseStatus.ACTIVE
    ).select_related(
        "case__owner_agency",
        "step__agency",
        "step__service_type",
        "step__mechanism__territory",
        "responsible_agency",
    )
    coordinator = is_territory_coordinator(actor)
    if coordinator:
        queryset = queryset.filter(step__mechanism__territory_id=actor.agency.place_id)
    else:
        agency_id = actor.agency_id
        queryset = queryset.filter(
            Q(case__owner_agency_id=agency_id)
            | Q(responsible_agency_id=agency_id)
            | Q(case__referrals__to_agency_id=agency_id)
        ).distinct()
    items = list(queryset[:1000])
    referrals: dict[object, list[Referral]] = {}
    for sent in (
        Referral.objects.filter(case_id__in={i.case_id for i in items})
        .select_related("to_agency")
        .order_by("-sent_at")
    ):
        referrals.setdefault(sent.case_id, []).append(sent)
    rows = []
    for item in items:
        referral = item_referral(item, referrals.get(item.case_id, []))
        late = who_is_late(item, referral, item.case)
        if not coordinator and late.pk != actor.agency_id:
            continue
        overdue = item.due_at is not None and item.due_at < now
        rows.append(
            OpenStep(
                item=item,
                late_agency=late,
                overdue=overdue,
                overdue_by=(now - item.due_at) if overdue and item.due_at else None,
                referral=referral if referral and referral.status in LIVE_REFERRALS else None,
            )
        )
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    rows.sort(key=lambda r: (not r.overdue, r.item.due_at or far, str(r.item.pk)))
    return rows
