"""Every write of screening data: one function, one transaction, one event."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section, TraffickingStatus
from tirek.cases.models import Case, CaseEvent
from tirek.cases.reads import SCREENING_SHOWS, Via, case_reads_record
from tirek.cases.selectors import case_view
from tirek.cases.services import case_event_record
from tirek.core.audit import audit_record
from tirek.core.errors import Forbidden
from tirek.core.versioning import versioned_update
from tirek.screening import policy
from tirek.screening.models import (
    Catalogue,
    Indicator,
    IndicatorList,
    ObservedIndicator,
    Screening,
    StatusDecision,
)
from tirek.screening.rules import (
    AgeGroup,
    Dimension,
    ExploitationScope,
    ListKey,
    ScreeningAssessment,
    Strength,
    age_group_decide,
    lists_select,
    screening_assess,
)
from tirek.screening.selectors import catalogue_definition

MAX_NOTE = 2000
DIMENSIONS = frozenset(d.value for d in Dimension)
LIST_KEYS = frozenset(k.value for k in ListKey)
STRENGTHS = frozenset(s.value for s in Strength)


@dataclass(frozen=True)
class Observation:
    """One ticked indicator: its code, where the evidence comes from, and an optional note."""

    code: str
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class ScreeningInput:
    """Who is screened (age group) and for what (labour, sexual or both), and what was seen."""

    scope: str
    observations: Sequence[Observation]
    age_at_exploitation: int | None = None
    has_signs_of_childhood: bool = False


def screening_evaluate(
    *,
    catalogue: Catalogue,
    age_group: AgeGroup,
    scope: ExploitationScope,
    codes: Collection[str],
) -> ScreeningAssessment:
    """Assess codes against a catalogue version, storing nothing (the live result and the API's
    ``assess``)."""
    definition = catalogue_definition(catalogue)
    keys = lists_select(age_group=age_group, scope=scope)
    return screening_assess({key: definition.rated(key) for key in keys}, codes)


def _screening_validate(
    data: ScreeningInput, *, indicators: Mapping[str, Indicator], keys: Sequence[ListKey]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.age_at_exploitation is not None and not 0 <= data.age_at_exploitation <= 120:
        errors["age_at_exploitation"] = [_("The age must be between 0 and 120.")]
    codes = [o.code for o in data.observations]
    if len(codes) != len(set(codes)):
        errors["observations"] = [_("Each indicator can be ticked once.")]
    unknown = sorted(
        c
        for c in codes
        if c not in indicators or not any(indicators[c].strength_on(k) for k in keys)
    )
    if unknown:
        errors.setdefault("observations", []).append(
            _("Not on the selected list(s): %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    if any(o.source and o.source not in ObservedIndicator.Source.values for o in data.observations):
        errors.setdefault("observations", []).append(
            _("The source must be self-report, document or observation.")
        )
    if any(len(o.note) > MAX_NOTE for o in data.observations):
        errors.setdefault("observations", []).append(_("A note is at most 2000 characters."))
    return errors


@transaction.atomic
def screening_save(
    *,
    actor: Actor,
    catalogue: Catalogue,
    data: ScreeningInput,
    case: Case | None = None,
) -> Screening:
    """Save a screening, on a case (the case timeline shows it) or anonymous (no case).

    The result is computed here, with the catalogue version given, and stored with it. A case's
    trafficking status is never changed by a screening (see ``case_status_decide``).
    """
    if not policy.can_screen(actor):
        raise Forbidden(_("Your role does not allow screening."))
    if case is not None:
        view = case_view(actor=actor, case_id=case.pk)
        if not policy.can_screen_case(actor, view):
            raise Forbidden(_("You cannot screen this case."))
        case = view.case
    try:
        scope = ExploitationScope(data.scope)
    except ValueError:
        raise ValidationError(
            {"scope": [_("Choose labour, sexual exploitation or both.")]}
        ) from None
    age = data.age_at_exploitation
    if age is None and case is not None:
        age = case.age_when_trafficked
    age_group = age_group_decide(
        age_at_exploitation=age, has_signs_of_childhood=data.has_signs_of_childhood
    )
    keys = lists_select(age_group=age_group, scope=scope)
    indicators = {i.code: i for i in catalogue.indicators.all()}
    errors = _screening_validate(data, indicators=indicators, keys=keys)
    if errors:
        raise ValidationError(errors)

    assessment = screening_evaluate(
        catalogue=catalogue,
        age_group=age_group,
        scope=scope,
        codes=[o.code for o in data.observations],
    )
    screening = Screening.objects.create(
        catalogue=catalogue,
        case=case,
        agency=actor.agency,
        agency_type=actor.agency.type,
        screened_by=actor.user,
        age_group=age_group,
        age_at_exploitation=age,
        has_signs_of_childhood=data.has_signs_of_childhood,
        scope=scope,
        outcome=assessment.outcome,
        presumed_exploitation=[e.value for e in assessment.presumed_exploitation],
        result=assessment.as_dict(),
    )
    ObservedIndicator.objects.bulk_create(
        ObservedIndicator(
            screening=screening,
            indicator=indicators[o.code],
            code=o.code,
            dimension=indicators[o.code].dimension,
            source=o.source,
            note=o.note.strip(),
        )
        for o in data.observations
    )
    summary = {
        "screening_id": str(screening.pk),
        "catalogue": catalogue.number,
        "lists": [k.value for k in keys],
        "outcome": assessment.outcome.value,
        "presumed_exploitation": screening.presumed_exploitation,
        "indicators": len(data.observations),
    }
    if case is not None:
        case_event_record(
            case=case,
            actor=actor,
            kind=CaseEvent.Kind.SCREENING_SAVED,
            section=Section.VICTIM,
            data=summary,
        )
    else:
        audit_record(
            action="screening_saved",
            user_id=actor.user.pk,
            agency_id=actor.agency.pk,
            object_type="screening",
            object_id=screening.pk,
            data=summary,
        )
    return screening


@transaction.atomic
def case_status_decide(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    status: str,
    screening: Screening,
    reasons: str = "",
) -> StatusDecision:
    """Record a trafficking-status decision (HTCDS ``vic_TraffickingStatus`` and the deciding
    organisation type) citing a screening of the same case; the case timeline shows it.

    Refuses if the case changed since the person loaded it (``expected_version``).
    """
    view = case_view(actor=actor, case_id=case.pk)
    if not policy.can_decide_status(actor, view):
        raise Forbidden(_("Your role does not allow deciding a trafficking status."))
    case = view.case
    errors: dict[str, list[str]] = {}
    if status not in TraffickingStatus.values:
        errors["status"] = [_("Choose a valid trafficking status.")]
    if screening.case_id != case.pk:
        errors["screening"] = [_("Cite a screening of this case.")]
    if errors:
        raise ValidationError(errors)

    decision_org = policy.decision_org_for(actor.agency)
    versioned_update(
        case,
        expected_version=expected_version,
        conflict_message=gettext_lazy(
            "Someone else changed this case while you were deciding. Reload and try again."
        ),
        fields={
            "trafficking_status": status,
            "trafficking_status_decision_org": decision_org,
        },
    )
    decision = StatusDecision.objects.create(
        case=case,
        screening=screening,
        status=status,
        decision_org=decision_org,
        agency=actor.agency,
        decided_by=actor.user,
        decided_on=timezone.localdate(),
        reasons=reasons.strip(),
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.STATUS_DECIDED,
        section=Section.VICTIM,
        data={
            "status": status,
            "decision_org": decision_org,
            "screening_id": str(screening.pk),
            "decision_id": str(decision.pk),
        },
    )
    return decision


# -- Catalogue versions ----------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorChange:
    """An edit to one indicator (by code) or a new indicator; ``None`` leaves a field as it was.

    ``strengths`` maps list keys to ``strong``/``medium``/``weak``, or ``""`` to take the indicator
    off that list.
    """

    code: str
    dimension: str | None = None
    label_en: str | None = None
    label_ru: str | None = None
    label_kk: str | None = None
    strengths: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ListChange:
    """An edit to one list's source or verification status."""

    key: str
    source: str | None = None
    is_verified: bool | None = None
    verification_note: str | None = None


def _catalogue_change_validate(
    base: dict[str, Indicator], changes: Sequence[IndicatorChange], lists: Sequence[ListChange]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(message: str) -> None:
        errors.setdefault("changes", []).append(message)

    codes = [c.code for c in changes]
    if len(codes) != len(set(codes)):
        add(_("Change each indicator once."))
    for change in changes:
        if not change.code.strip() or len(change.code) > 16:
            add(_("An indicator needs a code of at most 16 characters."))
        if change.code not in base:
            labels = (change.label_en, change.label_ru, change.label_kk)
            if change.dimension is None or not all(labels):
                add(
                    _("A new indicator %(code)s needs a dimension and labels in en, ru and kk.")
                    % {"code": change.code}
                )
        if change.dimension is not None and change.dimension not in DIMENSIONS:
            add(_("Unknown dimension for %(code)s.") % {"code": change.code})
        for key, value in change.strengths.items():
            if key not in LIST_KEYS or (value and value not in STRENGTHS):
                add(_("Unknown list or strength for %(code)s.") % {"code": change.code})
        for label in (change.label_en, change.label_ru, change.label_kk):
            if label is not None and not label.strip():
                add(_("A label cannot be empty (%(code)s).") % {"code": change.code})
    if any(item.key not in LIST_KEYS for item in lists):
        add(_("Unknown list."))
    return errors


@transaction.atomic
def catalogue_revise(
    *,
    actor: Actor,
    base: Catalogue,
    changes: Sequence[IndicatorChange] = (),
    lists: Sequence[ListChange] = (),
    change_note: str,
) -> Catalogue:
    """Make a new catalogue version from ``base`` with the changes applied.

    ``base`` and every earlier version stay as they were, so earlier screenings keep their result.
    Codes are never reused for a different indicator; an indicator is retired by taking it off
    every list.
    """
    if not policy.can_edit_catalogue(actor):
        raise Forbidden(_("Only a coordinator can edit the indicator catalogue."))
    if not change_note.strip():
        raise ValidationError({"change_note": [_("Say what changed and why.")]})
    old = {i.code: i for i in base.indicators.order_by("position")}
    errors = _catalogue_change_validate(old, changes, lists)
    if errors:
        raise ValidationError(errors)

    number = (Catalogue.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    catalogue = Catalogue.objects.create(
        number=number,
        name=base.name,
        based_on=base,
        change_note=change_note.strip(),
        created_by=actor.user,
        created_by_agency=actor.agency,
    )
    list_changes = {item.key: item for item in lists}
    new_lists = []
    for item in base.lists.all():
        edit = list_changes.get(item.key)
        new_lists.append(
            IndicatorList(
                catalogue=catalogue,
                key=item.key,
                title_en=item.title_en,
                title_ru=item.title_ru,
                title_kk=item.title_kk,
                source=edit.source if edit and edit.source is not None else item.source,
                is_verified=(
                    edit.is_verified if edit and edit.is_verified is not None else item.is_verified
                ),
                verification_note=(
                    edit.verification_note
                    if edit and edit.verification_note is not None
                    else item.verification_note
                ),
            )
        )
    IndicatorList.objects.bulk_create(new_lists)

    by_code = {c.code: c for c in changes}
    rows: list[Indicator] = []
    for position, code in enumerate([*old, *(c for c in by_code if c not in old)], start=1):
        source = old.get(code)
        change = by_code.get(code, IndicatorChange(code=code))
        row = Indicator(catalogue=catalogue, code=code, position=position)
        for name in ("dimension", "label_en", "label_ru", "label_kk"):
            value = getattr(change, name)
            setattr(row, name, value.strip() if value is not None else getattr(source, name))
        for key in ListKey:
            value = change.strengths.get(key.value)
            current = source.strength_on(key) if source else ""
            setattr(row, f"strength_{key.value}", current if value is None else value)
        rows.append(row)
    Indicator.objects.bulk_create(rows)
    audit_record(
        action="catalogue_revised",
        user_id=actor.user.pk,
        agency_id=actor.agency.pk,
        object_type="screening_catalogue",
        object_id=catalogue.pk,
        data={
            "number": number,
            "based_on": base.number,
            "indicators": sorted(by_code),
            "lists": sorted(list_changes),
        },
    )
    return catalogue


def screening_read_record(*, actor: Actor, screening: Screening) -> None:
    """A screening of a case, shown to a person, is a read of the case's trafficking details."""
    if screening.case is not None:
        case_reads_record(actor=actor, reads=[(screening.case, SCREENING_SHOWS)], via=Via.SCREENING)
