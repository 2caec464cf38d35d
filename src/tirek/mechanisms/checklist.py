"""The case's checklist: the steps of its mechanism that apply to it, with due times.

``checklist_on_stage_entered`` is registered as a ``cases`` stage hook: when a case is registered
or enters a stage, the applicable steps of that stage become checklist items, inside the
transaction of the change (whose event records it). The case keeps the mechanism version it
started under (``CaseMechanism``). Closing an item by hand is a service with its own event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import InvalidState, NotFound
from tirek.core.versioning import versioned_update
from tirek.mechanisms.calendars import working_week_for
from tirek.mechanisms.models import CaseMechanism, ChecklistItem, Mechanism, Step
from tirek.mechanisms.rules import (
    ADULT_AGE,
    STAGES_ENTERED,
    PersonFacts,
    deadline_add,
    step_applies,
)
from tirek.mechanisms.selectors import mechanism_in_force_for
from tirek.protection.models import Consent
from tirek.referrals.hooks import StepOffer
from tirek.referrals.models import OutsideReferral, Referral

CLOSING_OUTCOMES = (ChecklistItem.Status.DONE, ChecklistItem.Status.NOT_DONE)


def person_facts(case: Case, mechanism: Mechanism) -> PersonFacts:
    """What a step's conditions look at; unknown stays None (a step is then not excluded)."""
    person = case.person
    age = person.age_on(timezone.localdate())
    citizenship = [c for c in (person.citizenship or []) if c]
    country = mechanism.territory.country_code
    return PersonFacts(
        is_child=None if age is None else age < ADULT_AGE,
        is_citizen=None if not citizenship else country in citizenship,
        exploitation=frozenset(case.types_of_exploitation or []),
    )


def case_mechanism(case: Case, *, start: bool = False) -> Mechanism | None:
    """The version the case follows; with ``start``, the one in force for the owner's territory
    becomes the case's if it has none yet."""
    link = CaseMechanism.objects.select_related("mechanism__territory").filter(case=case).first()
    if link is not None:
        return link.mechanism
    if not start:
        return None
    mechanism = mechanism_in_force_for(case.owner_agency.place)
    if mechanism is not None:
        CaseMechanism.objects.create(case=case, mechanism=mechanism)
    return mechanism


def reflection_days_of_case(case: Case) -> int | None:
    """How long the case's reflection period is under its mechanism: the version the case
    started under, else the one in force for its owner's territory; None when neither says
    (``protection.reflection`` then uses its default). Registered in ``MechanismsConfig``."""
    mechanism = case_mechanism(case) or mechanism_in_force_for(case.owner_agency.place)
    return mechanism.reflection_days if mechanism is not None else None


def _start(step: Step, case: Case, now: datetime.datetime) -> datetime.datetime:
    if step.counted_from == Step.CountedFrom.CASE_REGISTERED:
        return case.created_at or now
    return now


def checklist_on_stage_entered(case: Case, stage: str, actor: Actor | None) -> None:
    """Make the checklist items of the stage entered (hook; runs in the change's transaction)."""
    mechanism = case_mechanism(case, start=True)
    if mechanism is None:
        return
    stages = STAGES_ENTERED.get(stage, ())
    facts = person_facts(case, mechanism)
    present = set(ChecklistItem.objects.filter(case=case).values_list("step_id", flat=True))
    now = timezone.now()
    week = working_week_for(mechanism.territory, since=timezone.localdate(case.created_at or now))
    items = []
    for step in mechanism.steps.filter(stage__in=stages).select_related("agency"):
        if step.pk in present or not step_applies(step, facts):
            continue
        due_at = escalate_at = None
        if step.deadline_value is not None:
            due_at = deadline_add(
                _start(step, case, now), step.deadline_value, step.deadline_unit, week
            )
            if step.escalate_after is not None:
                escalate_at = deadline_add(due_at, step.escalate_after, step.deadline_unit, week)
        items.append(
            ChecklistItem(
                case=case,
                step=step,
                stage=step.stage,
                responsible_agency=step.agency,
                due_at=due_at,
                escalate_at=escalate_at,
            )
        )
    ChecklistItem.objects.bulk_create(items)


# --- reading ---------------------------------------------------------------------------------


def checklist_items(case: Case) -> QuerySet[ChecklistItem]:
    return ChecklistItem.objects.filter(case=case).select_related(
        "step__agency",
        "step__service_type",
        "responsible_agency",
        "referral__to_agency",
        "outside_referral__provider",
    )


def item_referral(item: ChecklistItem, referrals: list[Referral]) -> Referral | None:
    """The referral delivering the item: the one linked, else the latest referral of the case
    for the step's service (to the named agency, if the step names one)."""
    if item.referral is not None:
        return item.referral
    if item.step.service_type_id is None:
        return None
    for referral in referrals:  # newest first
        if referral.service_type_id != item.step.service_type_id:
            continue
        if item.step.agency_id and referral.to_agency_id != item.step.agency_id:
            continue
        return referral
    return None


LIVE_REFERRALS = (Referral.Status.SENT, Referral.Status.ACCEPTED)


def who_is_late(item: ChecklistItem, referral: Referral | None, case: Case) -> Agency:
    """Who must act now: the agency a live referral went to, else the named agency of the step,
    else the case's owner (it has not referred yet)."""
    if referral is not None and referral.status in LIVE_REFERRALS:
        return referral.to_agency
    if item.responsible_agency is not None:
        return item.responsible_agency
    return case.owner_agency


@dataclass
class ChecklistRow:
    item: ChecklistItem
    referral: Referral | None
    responsible: Agency
    overdue: bool


def checklist_rows(case: Case, *, now: datetime.datetime | None = None) -> list[ChecklistRow]:
    now = now or timezone.now()
    referrals = list(
        Referral.objects.filter(case=case).select_related("to_agency").order_by("-sent_at")
    )
    rows = []
    for item in checklist_items(case):
        referral = item_referral(item, referrals)
        rows.append(
            ChecklistRow(
                item=item,
                referral=referral,
                responsible=who_is_late(item, referral, case),
                overdue=item.is_open and item.due_at is not None and item.due_at < now,
            )
        )
    rows.sort(key=lambda r: (not r.item.is_open, not r.overdue, r.item.due_at or now, r.item.pk))
    return rows


# --- writing ---------------------------------------------------------------------------------


@transaction.atomic
def checklist_item_close(
    *, actor: Actor, item_id: UUID | str, outcome: str, expected_version: int
) -> ChecklistItem:
    """The owning agency records a step as done or not done (e.g. help given outside Tirek)."""
    item = ChecklistItem.objects.select_related("case", "step").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    case = case_for_change(actor=actor, case_id=item.case_id)
    case_require_open(case)
    if outcome not in CLOSING_OUTCOMES:
        raise ValidationError({"outcome": [_("Choose done or not done.")]})
    if item.status != ChecklistItem.Status.OPEN:
        raise InvalidState(_("This step is already closed."))
    now = timezone.now()
    versioned_update(
        item,
        expected_version=expected_version,
        conflict_message=gettext_lazy("Someone changed this step meanwhile. Reload and try again."),
        where={"status": ChecklistItem.Status.OPEN},
        now=now,
        fields={"status": outcome, "closed_at": now, "closed_by": actor.user},
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CHECKLIST_STEP_CLOSED,
        section="referrals",
        data={"item_id": str(item.pk), "step": item.step.code, "outcome": outcome},
    )
    return item


def checklist_on_referral_sent(referral: Referral) -> None:
    """A referral sent for a step of the case's checklist delivers it: the open step for the
    same service (to the named agency, if the step names one) not yet delivered by a live
    referral is linked, and the referral is due when the step is (hook; in the sending
    transaction)."""
    items = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .filter(
            case_id=referral.case_id,
            status=ChecklistItem.Status.OPEN,
            step__service_type_id=referral.service_type_id,
        )
        .select_related("step", "referral")
        .order_by("due_at")
    )
    for item in items:
        if item.step.agency_id and item.step.agency_id != referral.to_agency_id:
            continue
        if item.referral is not None and item.referral.status in LIVE_REFERRALS:
            continue
        item.referral = referral
        item.save(update_fields=["referral", "updated_at"])
        if item.due_at is not None:
            referral.due_at = item.due_at
            referral.save(update_fields=["due_at", "updated_at"])
        return


def checklist_on_referral_outcome(referral: Referral) -> None:
    """The service was delivered (or not): the step the referral delivers is closed so (hook;
    the referral's outcome event records it)."""
    _close_delivered(
        ChecklistItem.objects.filter(referral=referral),
        referral.outcome == Referral.Outcome.DELIVERED,
    )


def _close_delivered(items: QuerySet[ChecklistItem], delivered: bool) -> None:
    """Close the open items delivered (or not) by a referral's recorded outcome."""
    outcome = ChecklistItem.Status.DONE if delivered else ChecklistItem.Status.NOT_DONE
    now = timezone.now()
    for item in items.filter(status=ChecklistItem.Status.OPEN).select_for_update(of=("self",)):
        ChecklistItem.objects.filter(pk=item.pk, status=ChecklistItem.Status.OPEN).update(
            status=outcome,
            closed_at=now,
            closed_by=None,  # the referral outcome event names who recorded it
            version=item.version + 1,
            updated_at=now,
        )


def checklist_steps_for_outside(case: Case) -> list[StepOffer]:
    """The open steps a referral outside Tirek may deliver: those not already being delivered
    by a live referral in Tirek or by a referral outside it still waiting for its outcome
    (hook; the outside-referral form offers them)."""
    items = (
        checklist_items(case)
        .filter(status=ChecklistItem.Status.OPEN)
        .exclude(referral__status__in=LIVE_REFERRALS)
        .exclude(outside_referral__outcome="")
    )
    offers = []
    for item in items:
        label = str(item.step.label)
        if item.due_at is not None:
            due = formats.date_format(timezone.localtime(item.due_at), "SHORT_DATETIME_FORMAT")
            label = _("%(step)s (due %(due)s)") % {"step": label, "due": due}
        offers.append(
            StepOffer(id=str(item.pk), label=label, service_type_id=item.step.service_type_id)
        )
    return offers


def checklist_on_outside_referral(outside: OutsideReferral, item_id: str) -> None:
    """A referral outside Tirek recorded for an open step delivers it (hook; in the recording
    transaction, whose event names the step)."""
    ChecklistItem.objects.filter(
        pk=item_id, case_id=outside.case_id, status=ChecklistItem.Status.OPEN
    ).update(outside_referral=outside, updated_at=timezone.now())


def checklist_on_outside_outcome(outside: OutsideReferral) -> None:
    """The provider outside Tirek delivered the service (or not): the step the referral
    delivers is closed so (hook; the outcome event records it)."""
    _close_delivered(
        ChecklistItem.objects.filter(outside_referral=outside),
        outside.outcome == Referral.Outcome.DELIVERED,
    )


def checklist_on_consent_withdrawn(consent: Consent, actor: Actor) -> None:
    """Steps delivered by a referral (in Tirek or outside it) made under a withdrawn consent,
    and not yet delivered, are cancelled: nothing more may be shared for them (hook; in the
    withdrawal's transaction)."""
    now = timezone.now()
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .filter(
            Q(referral__consent=consent, referral__outcome="")
            | Q(outside_referral__consent=consent, outside_referral__outcome=""),
            case_id=consent.case_id,
            status=ChecklistItem.Status.OPEN,
        )
        .select_related("step")
    )
    if not items:
        return
    ChecklistItem.objects.filter(pk__in=[i.pk for i in items]).update(
        status=ChecklistItem.Status.CANCELLED, closed_at=now, closed_by=actor.user, updated_at=now
    )
    case_event_record(
        case=consent.case,
        actor=actor,
        kind=CaseEvent.Kind.CHECKLIST_STEPS_CANCELLED,
        section="referrals",
        data={"consent_id": str(consent.pk), "steps": sorted(i.step.code for i in items)},
    )
