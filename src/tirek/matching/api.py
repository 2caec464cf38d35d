"""API: intake search (search before create across scripts), confirm/reject/undo a match, and
requests to the coordinator. Names travel only in request bodies, never in URLs."""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tirek.cases.reads import Via, case_identity_reads_record
from tirek.cases.selectors import case_view
from tirek.core.api_support import AgencyRef, InSchema, OutSchema, PageParams, actor_of
from tirek.core.errors import NotFound
from tirek.matching import policy
from tirek.matching.models import MatchCheckRequest, PersonPair
from tirek.matching.selectors import (
    Asker,
    Match,
    Probe,
    askers,
    birth_text,
    case_matches,
    check_requests_for,
    review_queue_for,
)
from tirek.matching.services import (
    check_request_create,
    check_request_resolve,
    intake_ask,
    pair_decide,
    pair_undo,
    review_decide,
)

router = Router(tags=["matching"], by_alias=True)


class IntakeIn(InSchema):
    """The person being registered, as far as known; names in any alphabet or spelling."""

    first_name: str = Field("", alias="prs_FirstName", max_length=100)
    family_name: str = Field("", alias="prs_SecondName", max_length=100)
    patronymic: str = Field("", alias="prs_MiddleName", max_length=100)
    birth_date: datetime.date | None = Field(None, alias="prs_Birthdate")
    birth_date_precision: Literal["day", "month", "year"] = "day"
    sex: Literal["F", "M", "U", ""] = ""
    citizenship: list[str] = Field(default_factory=list, alias="prs_Citizenship", max_length=10)

    def probe(self) -> Probe:
        return Probe(
            given_name=self.first_name,
            family_name=self.family_name,
            patronymic=self.patronymic,
            birth_date=birth_text(self.birth_date, self.birth_date_precision),
            sex=self.sex,
            citizenship=self.citizenship[0] if self.citizenship else "",
        )


class ReasonOut(OutSchema):
    field: str
    level: str
    reason: str = Field(description="Stable code, e.g. birth_date.exact")
    weight: float = Field(description="log2(m/u) of this field's level")


class MatchOut(OutSchema):
    case_id: UUID
    reference: str
    owner_agency: AgencyRef
    display_name: str
    probability: float
    is_likely: bool
    explanation: str = Field(description="The reasons in words, strongest first")
    reasons: list[ReasonOut]


class IntakeOut(OutSchema):
    count: int
    matches: list[MatchOut]
    match_elsewhere: bool = Field(
        description="A strong match exists in one or more cases you may not see "
        "(never which agency, how many or whose). Ask the coordinator to check."
    )


class CaseMatchesOut(OutSchema):
    confirmed: list[MatchOut]
    suggestions: list[MatchOut]
    match_elsewhere: bool
    linked_elsewhere: bool


class PairIn(InSchema):
    case_a: UUID
    case_b: UUID
    decision: Literal["same", "different"]


class PairOut(OutSchema):
    id: UUID
    status: str
    probability: float | None
    decided_at: datetime.datetime


class CheckRequestIn(IntakeIn):
    """Either ``case_id`` (a case you own or see) or the person's fields as at intake."""

    case_id: UUID | None = None


class CheckCandidateOut(OutSchema):
    reference: str
    owner_agency: AgencyRef
    probability: float


class CheckRequestOut(OutSchema):
    id: UUID
    status: str
    created_at: datetime.datetime
    requesting_agency: AgencyRef
    case_reference: str | None
    candidates: list[CheckCandidateOut] | None = Field(
        None, description="Coordinators only: the cases found, by reference."
    )


class ResolveIn(InSchema):
    decision: Literal["same", "different", "closed"]
    case_id: UUID | None = Field(None, description="The candidate case ('same'/'different').")


def _match_out(match: Match) -> dict[str, Any]:
    return {
        "case_id": match.case.pk,
        "reference": match.case.reference,
        "owner_agency": match.case.owner_agency,
        "display_name": match.case.person.full_name,
        "probability": round(match.probability, 4),
        "is_likely": match.is_likely,
        "explanation": match.explanation,
        "reasons": match.reasons,
    }


def _request_out(request: MatchCheckRequest, *, coordinator: bool) -> dict[str, Any]:
    return {
        "id": request.pk,
        "status": request.status,
        "created_at": request.created_at,
        "requesting_agency": request.requesting_agency,
        "case_reference": request.case.reference if request.case else None,
        "candidates": [
            {
                "reference": c.case.reference,
                "owner_agency": c.case.owner_agency,
                "probability": round(c.probability, 4),
            }
            for c in request.candidates.all()
        ]
        if coordinator
        else None,
    }


@router.post(
    "/matching/intake",
    response=IntakeOut,
    summary="Search before create: likely matches across scripts and spellings",
)
def intake_search(request: HttpRequest, payload: IntakeIn) -> dict[str, Any]:
    result = intake_ask(actor=actor_of(request), probe=payload.probe(), via="api")
    return {
        "count": len(result.matches),
        "matches": [_match_out(m) for m in result.matches],
        "match_elsewhere": result.match_elsewhere,
    }


@router.get(
    "/matching/cases/{case_id}/matches",
    response=CaseMatchesOut,
    summary="Records that may be, or are confirmed to be, this case's person",
)
def case_matches_get(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    actor = actor_of(request)
    view = case_view(actor=actor, case_id=case_id)
    if not view.can_see_identity:
        raise NotFound(object_type="case", object_id=case_id)
    found = case_matches(actor=actor, case=view.case)
    case_identity_reads_record(actor=actor, cases=found.shown_cases, via=Via.MATCH)
    return {
        "confirmed": [_match_out(m) for m in found.confirmed],
        "suggestions": [_match_out(m) for m in found.suggestions],
        "match_elsewhere": found.match_elsewhere,
        "linked_elsewhere": bool(found.linked_elsewhere),
    }


@router.post(
    "/matching/pairs",
    response={201: PairOut},
    summary="Confirm (same) or reject (different) that two cases are of one person",
)
def pair_create(request: HttpRequest, payload: PairIn) -> Status[PersonPair]:
    pair = pair_decide(
        actor=actor_of(request),
        case_a_id=payload.case_a,
        case_b_id=payload.case_b,
        same=payload.decision == "same",
    )
    return Status(201, pair)


@router.post(
    "/matching/pairs/{pair_id}/undo",
    response=PairOut,
    summary="Undo a confirmation (supervisors); both records are kept",
)
def pair_undo_post(request: HttpRequest, pair_id: UUID) -> PersonPair:
    return pair_undo(actor=actor_of(request), pair_id=pair_id)


@router.post(
    "/matching/check-requests",
    response={201: CheckRequestOut},
    summary="Ask the coordinator to check a possible match at another agency",
)
def check_request_post(request: HttpRequest, payload: CheckRequestIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    created = check_request_create(
        actor=actor,
        probe=None if payload.case_id else payload.probe(),
        case_id=payload.case_id,
    )
    return Status(201, _request_out(created, coordinator=False))


@router.get(
    "/matching/check-requests",
    response=list[CheckRequestOut],
    summary="Coordinators: every request, by case reference. Others: their agency's own",
)
def check_requests_list(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    coordinator = policy.is_coordinator(actor)
    return [_request_out(r, coordinator=coordinator) for r in check_requests_for(actor=actor)[:200]]


@router.post(
    "/matching/check-requests/{request_id}/resolve",
    response=CheckRequestOut,
    summary="Coordinators: same person, not the same, or closed",
)
def check_request_resolve_post(
    request: HttpRequest, request_id: UUID, payload: ResolveIn
) -> dict[str, Any]:
    resolved = check_request_resolve(
        actor=actor_of(request),
        request_id=request_id,
        decision=payload.decision,
        candidate_case_id=payload.case_id,
    )
    return _request_out(resolved, coordinator=True)


class ReviewCaseOut(OutSchema):
    id: UUID
    reference: str
    owner_agency: AgencyRef


class ReviewPairOut(OutSchema):
    case_a: ReviewCaseOut = Field(description="A case of the first person record (the oldest).")
    case_b: ReviewCaseOut = Field(description="A case of the second person record (the oldest).")
    other_cases: list[ReviewCaseOut] = Field(description="Further cases of either record.")
    probability: float
    explanation: str = Field(description="What agrees and what differs, strongest first")
    reasons: list[ReasonOut] = Field(description="Reason codes by field; never the values")


class ReviewPageOut(OutSchema):
    count: int
    limit: int
    offset: int
    complete: bool = Field(
        description="False: a limit was reached; more pairs may come once these are decided."
    )
    items: list[ReviewPairOut]


class ReviewDecideIn(InSchema):
    case_a: UUID
    case_b: UUID
    decision: Literal["same", "different"]


def _review_case(case: Any) -> dict[str, Any]:
    return {"id": case.pk, "reference": case.reference, "owner_agency": case.owner_agency}


@router.get(
    "/matching/review",
    response=ReviewPageOut,
    summary="Coordinators: pairs of records the engine is unsure about (no names or dates)",
)
def review_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    queue = review_queue_for(actor=actor_of(request))
    items = queue.pairs(queue.candidates[page.offset : page.offset + page.limit])
    return {
        "count": queue.candidates.count(),
        "limit": page.limit,
        "offset": page.offset,
        "complete": queue.complete,
        "items": [
            {
                "case_a": _review_case(pair.case_a),
                "case_b": _review_case(pair.case_b),
                "other_cases": [_review_case(c) for c in pair.cases_low[1:] + pair.cases_high[1:]],
                "probability": round(pair.probability, 4),
                "explanation": pair.explanation,
                "reasons": pair.reasons,
            }
            for pair in items
        ],
    }


@router.post(
    "/matching/review/decide",
    response={201: PairOut},
    summary="Coordinators: same person (links the records) or not the same, for a reviewed pair",
)
def review_decide_post(request: HttpRequest, payload: ReviewDecideIn) -> Status[PersonPair]:
    pair = review_decide(
        actor=actor_of(request),
        case_a_id=payload.case_a,
        case_b_id=payload.case_b,
        decision=payload.decision,
    )
    return Status(201, pair)


class AskersPeriod(Schema):
    days: int = Field(policy.ASKERS_DAYS, ge=1, le=90, description="How many days back.")


class AskerOut(OutSchema):
    user_name: str = Field(description="The member who asked")
    agency: AgencyRef | None
    asks: int = Field(description="Intake searches in the period")
    persons: int = Field(description="Different people asked about (counted by a keyed digest)")
    flagged: int = Field(description="Searches that answered: a match exists at another agency")
    limited: int = Field(description="Searches refused by the hourly limit")
    refused: int = Field(description="Case openings refused (404): what probing looks like")


@router.get(
    "/matching/askers",
    response=list[AskerOut],
    summary="Coordinators: who asked whether people are registered, about how many people",
)
def askers_list(request: HttpRequest, period: Query[AskersPeriod]) -> list[Asker]:
    return askers(actor=actor_of(request), days=period.days)
