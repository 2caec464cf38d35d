"""API: the indicator catalogues, a stateless assessment, and screenings saved on a case or
anonymously; a trafficking-status decision citing a screening.

Mounted by ``tirek/api.py`` under ``/api/v1/`` (see docs/screening.md, "Wiring").
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Status

from tirek.cases.api import REGISTER_FIELDS, case_out, register_inputs
from tirek.cases.models import Case
from tirek.cases.reads import SCREENING_SHOWS, Via, case_open
from tirek.cases.schemas import CaseOut, CaseRegisterIn
from tirek.cases.selectors import case_view
from tirek.core.api_support import InSchema, OutSchema, actor_of, field_names
from tirek.screening.explain import next_step_explain, step_explain
from tirek.screening.models import Catalogue, Screening
from tirek.screening.registration import screening_case_register
from tirek.screening.rules import (
    AgeGroup,
    ExploitationScope,
    ListKey,
    ScreeningAssessment,
    age_group_decide,
    lists_select,
    screening_assess,
)
from tirek.screening.selectors import (
    catalogue_current,
    catalogue_definition,
    catalogue_get,
    catalogues_all,
    screening_get,
    screenings_for_case,
)
from tirek.screening.services import (
    Observation,
    ScreeningInput,
    case_status_decide,
    screening_read_record,
    screening_save,
)

router = Router(tags=["screening"], by_alias=True)

MAX_CODES = 200


class IndicatorOut(OutSchema):
    code: str
    dimension: str
    strength: str
    label_en: str
    label_ru: str
    label_kk: str


class ListOut(OutSchema):
    key: str
    age_group: str
    exploitation: str
    title: str
    source: str
    is_verified: bool
    verification_note: str
    indicators: list[IndicatorOut]


class CatalogueOut(OutSchema):
    id: UUID
    number: int
    name: str
    change_note: str
    created_at: datetime.datetime
    lists: list[ListOut]


class AssessIn(InSchema):
    catalogue: UUID | None = Field(None, description="A catalogue version; the newest if null.")
    indicators: list[str] = Field(max_length=MAX_CODES, description="Indicator codes observed.")
    lists: list[str] | None = Field(
        None,
        max_length=4,
        json_schema_extra={"items": {"type": "string", "enum": [k.value for k in ListKey]}},
        description="The lists to assess against; if null, chosen from age and scope.",
    )
    age_at_exploitation: int | None = Field(None, ge=0, le=120)
    has_signs_of_childhood: bool = False
    scope: str = Field(
        ExploitationScope.LABOUR.value,
        json_schema_extra={"enum": [s.value for s in ExploitationScope]},
    )


class AssessmentOut(OutSchema):
    outcome: str
    presumed_exploitation: list[str]
    next_step: str
    next_step_text: str
    lists: list[dict[str, Any]]
    explanation: list[str]


class ObservationIn(InSchema):
    code: str = Field(min_length=1, max_length=16)
    source: str = Field(
        "", json_schema_extra={"enum": ["", "self_report", "document", "observation"]}
    )
    note: str = Field("", max_length=2000)


class ScreeningIn(InSchema):
    catalogue: UUID | None = Field(None, description="A catalogue version; the newest if null.")
    case_id: UUID | None = Field(None, description="Null for an anonymous screening.")
    scope: str = Field(json_schema_extra={"enum": [s.value for s in ExploitationScope]})
    age_at_exploitation: int | None = Field(None, ge=0, le=120)
    has_signs_of_childhood: bool = False
    observations: list[ObservationIn] = Field(max_length=MAX_CODES)


class ObservedOut(OutSchema):
    code: str
    dimension: str
    source: str
    note: str


class ScreeningOut(OutSchema):
    id: UUID
    catalogue: UUID
    catalogue_number: int
    case_id: UUID | None
    agency_type: str
    created_at: datetime.datetime
    age_group: str
    scope: str
    outcome: str
    presumed_exploitation: list[str]
    observed: list[ObservedOut]
    result: dict[str, Any]
    explanation: list[str]


class StatusDecisionIn(InSchema):
    expected_version: int = Field(ge=1, description="The case version the person looked at.")
    status: str = Field(alias="vic_TraffickingStatus", max_length=32)
    screening_id: UUID
    reasons: str = Field("", max_length=2000)


class StatusDecisionOut(OutSchema):
    id: UUID
    case_id: UUID
    screening_id: UUID
    status: str = Field(alias="vic_TraffickingStatus")
    decision_org: str = Field(alias="vic_TraffickingStatusDecisionMakingOrg")
    decided_on: datetime.date


def _language() -> str:
    return (get_language() or "en")[:2]


def _labels(catalogue: Catalogue) -> dict[str, str]:
    language = _language()
    return {i.code: i.label(language) for i in catalogue.indicators.all()}


def _explanation(result: dict[str, Any], labels: dict[str, str]) -> list[str]:
    lines = []
    for item in result["lists"]:
        lines += [step_explain(s["key"], s["params"], labels) for s in item["trace"]]
    return lines


def catalogue_out(catalogue: Catalogue) -> dict[str, Any]:
    definition = catalogue_definition(catalogue)
    language = _language()
    lists = []
    for item in definition.lists:
        indicators = [
            {
                "code": i.code,
                "dimension": i.dimension.value,
                "strength": i.strengths[item.key].value,
                "label_en": i.labels["en"],
                "label_ru": i.labels["ru"],
                "label_kk": i.labels["kk"],
            }
            for i in definition.indicators
            if item.key in i.strengths
        ]
        lists.append(
            {
                "key": item.key.value,
                "age_group": item.age_group.value,
                "exploitation": item.exploitation.value,
                "title": item.titles.get(language) or item.titles["en"],
                "source": item.source,
                "is_verified": item.is_verified,
                "verification_note": item.verification_note,
                "indicators": indicators,
            }
        )
    return {
        "id": catalogue.pk,
        "number": catalogue.number,
        "name": catalogue.name,
        "change_note": catalogue.change_note,
        "created_at": catalogue.created_at,
        "lists": lists,
    }


def screening_out(screening: Screening) -> dict[str, Any]:
    return {
        "id": screening.pk,
        "catalogue": screening.catalogue_id,
        "catalogue_number": screening.catalogue.number,
        "case_id": screening.case_id,
        "agency_type": screening.agency_type,
        "created_at": screening.created_at,
        "age_group": screening.age_group,
        "scope": screening.scope,
        "outcome": screening.outcome,
        "presumed_exploitation": screening.presumed_exploitation,
        "observed": [
            {"code": o.code, "dimension": o.dimension, "source": o.source, "note": o.note}
            for o in screening.observed.all()
        ],
        "result": screening.result,
        "explanation": _explanation(screening.result, _labels(screening.catalogue)),
    }


@router.get(
    "/screening/catalogues",
    response=list[CatalogueOut],
    summary="Indicator catalogue versions (newest first), each with its four lists",
)
def catalogues_list(request: HttpRequest) -> list[dict[str, Any]]:
    actor_of(request)
    return [catalogue_out(c) for c in catalogues_all()]


@router.post(
    "/screening/assess",
    response=AssessmentOut,
    summary="Assess indicator codes against the lists; stores nothing",
)
def assess(request: HttpRequest, payload: AssessIn) -> dict[str, Any]:
    actor_of(request)
    catalogue = (
        catalogue_get(catalogue_id=payload.catalogue) if payload.catalogue else catalogue_current()
    )
    if payload.lists:
        try:
            keys = tuple(dict.fromkeys(ListKey(k) for k in payload.lists))
        except ValueError:
            raise ValidationError({"lists": [_("Unknown list.")]}) from None
    else:
        try:
            scope = ExploitationScope(payload.scope)
        except ValueError:
            raise ValidationError({"scope": [_("Choose labour, sexual or both.")]}) from None
        age_group: AgeGroup = age_group_decide(
            age_at_exploitation=payload.age_at_exploitation,
            has_signs_of_childhood=payload.has_signs_of_childhood,
        )
        keys = lists_select(age_group=age_group, scope=scope)
    definition = catalogue_definition(catalogue)
    assessment: ScreeningAssessment = screening_assess(
        {key: definition.rated(key) for key in keys}, payload.indicators
    )
    result = assessment.as_dict()
    labels = {i.code: i.label(_language()) for i in definition.indicators}
    return result | {
        "next_step_text": next_step_explain(assessment.next_step),
        "explanation": _explanation(result, labels),
    }


@router.post("/screenings", response={201: ScreeningOut}, summary="Save a screening")
def screening_create(request: HttpRequest, payload: ScreeningIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    catalogue = (
        catalogue_get(catalogue_id=payload.catalogue) if payload.catalogue else catalogue_current()
    )
    case: Case | None = None
    if payload.case_id:
        case = case_view(actor=actor, case_id=payload.case_id).case
    screening = screening_save(
        actor=actor,
        catalogue=catalogue,
        case=case,
        data=ScreeningInput(
            scope=payload.scope,
            age_at_exploitation=payload.age_at_exploitation,
            has_signs_of_childhood=payload.has_signs_of_childhood,
            observations=[Observation(o.code, o.source, o.note) for o in payload.observations],
        ),
    )
    return Status(201, screening_out(screening))


@router.post(
    "/screenings/{screening_id}/case",
    response={201: CaseOut},
    summary="Register a case from an anonymous screening (its indicators are carried over)",
)
def screening_case_create(
    request: HttpRequest, screening_id: UUID, payload: CaseRegisterIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    person, victim, place = register_inputs(payload)
    with field_names(REGISTER_FIELDS):
        case = screening_case_register(
            actor=actor, screening_id=screening_id, person=person, victim=victim, place=place
        )
    return Status(201, case_out(case_view(actor=actor, case_id=case.pk)))


@router.get("/screenings/{screening_id}", response=ScreeningOut, summary="One screening")
def screening_detail(request: HttpRequest, screening_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    screening = screening_get(actor=actor, screening_id=screening_id)
    screening_read_record(actor=actor, screening=screening)
    return screening_out(screening)


@router.get(
    "/cases/{case_id}/screenings",
    response=list[ScreeningOut],
    summary="Screenings of a case (for those who see its trafficking details)",
)
def case_screenings(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id, via=Via.SCREENING, shows=SCREENING_SHOWS)
    return [screening_out(s) for s in screenings_for_case(actor=actor, view=view)]


@router.post(
    "/cases/{case_id}/status-decisions",
    response={201: StatusDecisionOut},
    summary="Record the trafficking status (vic_TraffickingStatus), citing a screening",
)
def status_decide(
    request: HttpRequest, case_id: UUID, payload: StatusDecisionIn
) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = case_view(actor=actor, case_id=case_id).case
    screening = screening_get(actor=actor, screening_id=payload.screening_id)
    with field_names({"status": "vic_TraffickingStatus", "screening": "screening_id"}):
        decision = case_status_decide(
            actor=actor,
            case=case,
            expected_version=payload.expected_version,
            status=payload.status,
            screening=screening,
            reasons=payload.reasons,
        )
    return Status(
        201,
        {
            "id": decision.pk,
            "case_id": decision.case_id,
            "screening_id": decision.screening_id,
            "status": decision.status,
            "decision_org": decision.decision_org,
            "decided_on": decision.decided_on,
        },
    )
