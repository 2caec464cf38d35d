"""Child safeguards: the child's case is marked, a guardian or legal representative is recorded,
best interests are assessed and decided, and only roles allowed for children change the case.

A case is marked as a child's case when the person is under 18 at registration or after a
correction of the birth date (``child_mark_by_age``, a hook of ``cases``), or by hand (a
presumed child: Council of Europe Convention art. 10(3)).
"""

from __future__ import annotations

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases.choices import Section
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.policy import case_require_open
from tirek.cases.selectors import CaseView, case_for_change
from tirek.cases.services import case_event_record
from tirek.core.errors import ConcurrentUpdate, Forbidden
from tirek.core.versioning import versioned_update
from tirek.protection.choices import BestInterestsDecision, GuardianRelation
from tirek.protection.models import BestInterestsAssessment, ChildGuardian

ADULT_AGE = 18
MAX_TEXT = 4000


def child_case_require(actor: Actor, case: Case) -> None:
    """Refuse a change of a child's case by a role not allowed to work with children."""
    if case.is_child and not actor.can(Capability.HANDLE_CHILDREN):
        raise Forbidden(
            _("Only a child protection specialist or a supervisor may change a child's case.")
        )


def is_minor(person: Person, *, today: datetime.date) -> bool:
    age = person.age_on(today)
    return age is not None and age < ADULT_AGE


# --- reads ---------------------------------------------------------------------------------


def guardian_for(*, view: CaseView) -> ChildGuardian | None:
    if not view.has(Section.CHILD):
        return None
    return ChildGuardian.objects.filter(case=view.case).first()


def best_interests_for(*, view: CaseView) -> QuerySet[BestInterestsAssessment]:
    if not view.has(Section.CHILD):
        return BestInterestsAssessment.objects.none()
    return view.case.best_interests.select_related("decided_by_agency")


def has_best_interests_decision(case: Case) -> bool:
    return case.best_interests.exists()


# --- rules: pure, shared by the services and the forms -------------------------------------


def guardian_validate(
    *,
    name: str,
    relation: str,
    organisation: str,
    contact: str,
    appointed_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Enter the name of the guardian or representative.")]
    elif len(name) > 200:
        errors["name"] = [_("The text is too long.")]
    if relation not in GuardianRelation.values:
        errors["relation"] = [_("Choose the relation to the child.")]
    if len(organisation) > 200:
        errors["organisation"] = [_("The text is too long.")]
    if len(contact) > 300:
        errors["contact"] = [_("The text is too long.")]
    if appointed_on is not None and appointed_on > today:
        errors["appointed_on"] = [_("The date cannot be in the future.")]
    return errors


def best_interests_validate(
    *,
    assessment: str,
    decision: str,
    childs_views: str,
    decision_note: str,
    assessed_on: datetime.date | None,
    today: datetime.date,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not assessment.strip():
        errors["assessment"] = [_("Describe the assessment.")]
    if decision not in BestInterestsDecision.values:
        errors["decision"] = [_("Choose the decision.")]
    for name, text in (
        ("assessment", assessment),
        ("childs_views", childs_views),
        ("decision_note", decision_note),
    ):
        if len(text) > MAX_TEXT:
            errors.setdefault(name, []).append(_("The text is too long."))
    if assessed_on is not None and assessed_on > today:
        errors["assessed_on"] = [_("The date cannot be in the future.")]
    return errors


# --- writes --------------------------------------------------------------------------------


def _mark(case: Case, *, actor: Actor | None, is_child: bool, by: str) -> None:
    Case.objects.filter(pk=case.pk).update(is_child=is_child)
    case.is_child = is_child
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.CHILD_MARKED,
        data={"is_child": is_child, "by": by},
    )


@transaction.atomic
def child_mark(*, actor: Actor, case_id: UUID | str, is_child: bool) -> Case:
    """Mark the case as a child's case (a presumed child too), or take the mark off; taking it
    off needs a role allowed to work with children."""
    case = case_for_change(actor=actor, case_id=case_id)
    case_require_open(case)
    if case.is_child == is_child:
        return case
    if not is_child:
        child_case_require(actor, case)
    _mark(case, actor=actor, is_child=is_child, by="hand")
    return case


def child_mark_by_age(person: Person) -> None:
    """Hook of ``cases`` (person created or corrected): mark the person's open cases as a
    child's when the person is under 18. Never takes a mark off by itself."""
    today = timezone.localdate()
    if not is_minor(person, today=today):
        return
    for case in Case.objects.filter(person=person, is_child=False, anonymised_at__isnull=True):
        _mark(case, actor=None, is_child=True, by="age")


def child_stage_entered(case: Case, stage: str, actor: Actor | None) -> None:
    """Hook of ``cases`` (a stage entered, registration included): mark a minor's case."""
    if not case.is_child and is_minor(case.person, today=timezone.localdate()):
        _mark(case, actor=actor, is_child=True, by="age")


@transaction.atomic
def guardian_save(
    *,
    actor: Actor,
    case_id: UUID | str,
    name: str,
    relation: str,
    organisation: str = "",
    contact: str = "",
    appointed_on: datetime.date | None = None,
    expected_version: int = 0,
) -> ChildGuardian:
    """Record or change the child's guardian or legal representative (version 0: new)."""
    case = case_for_change(actor=actor, case_id=case_id)
    actor.require(Capability.HANDLE_CHILDREN)
    case_require_open(case)
    errors = guardian_validate(
        name=name,
        relation=relation,
        organisation=organisation,
        contact=contact,
        appointed_on=appointed_on,
        today=timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    fields = {
        "name": name.strip(),
        "relation": relation,
        "organisation": organisation.strip(),
        "contact": contact.strip(),
        "appointed_on": appointed_on,
        "recorded_by": actor.user,
    }
    guardian = ChildGuardian.objects.select_for_update().filter(case=case).first()
    stale = gettext_lazy("Someone else changed the guardian meanwhile. Reload to see it.")
    if guardian is None:
        if expected_version != 0:
            raise ConcurrentUpdate(stale)
        guardian = ChildGuardian.objects.create(case=case, **fields)
    else:
        versioned_update(
            guardian, expected_version=expected_version, conflict_message=stale, fields=fields
        )
    if not case.is_child:
        _mark(case, actor=actor, is_child=True, by="guardian")
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.GUARDIAN_RECORDED,
        section=Section.CHILD,
        data={"guardian_id": str(guardian.pk), "relation": relation},
    )
    return guardian


@transaction.atomic
def best_interests_decide(
    *,
    actor: Actor,
    case_id: UUID | str,
    assessment: str,
    decision: str,
    childs_views: str = "",
    decision_note: str = "",
    assessed_on: datetime.date | None = None,
) -> BestInterestsAssessment:
    """Record a best-interests assessment of the child and the decision taken."""
    case = case_for_change(actor=actor, case_id=case_id)
    actor.require(Capability.HANDLE_CHILDREN)
    case_require_open(case)
    today = timezone.localdate()
    errors = best_interests_validate(
        assessment=assessment,
        decision=decision,
        childs_views=childs_views,
        decision_note=decision_note,
        assessed_on=assessed_on,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    record = BestInterestsAssessment.objects.create(
        case=case,
        assessed_on=assessed_on or today,
        assessment=assessment.strip(),
        childs_views=childs_views.strip(),
        decision=decision,
        decision_note=decision_note.strip(),
        decided_by=actor.user,
        decided_by_agency=actor.agency,
    )
    if not case.is_child:
        _mark(case, actor=actor, is_child=True, by="best_interests")
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.BEST_INTERESTS_DECIDED,
        section=Section.CHILD,
        data={"assessment_id": str(record.pk), "decision": decision},
    )
    return record


def child_consent_problems(case: Case, *, method: str) -> dict[str, list[str]]:
    """A child's consent: given by the guardian (who must be recorded), or resting on a
    recorded best-interests decision."""
    from tirek.protection.models import Consent

    if not case.is_child:
        return {}
    if method == Consent.Method.GUARDIAN:
        if not ChildGuardian.objects.filter(case=case).exists():
            return {"method": [_("Record the child's guardian or representative first.")]}
        return {}
    if not has_best_interests_decision(case):
        return {
            "method": [
                _(
                    "A child's consent is given by the guardian, unless a best-interests "
                    "decision is recorded."
                )
            ]
        }
    return {}
