"""API: search before create, register a case, read it as far as allowed, change it, timeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import fields as dataclass_fields
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tirek.accounts.actor import Actor
from tirek.cases import listing, policy
from tirek.cases.choices import Section
from tirek.cases.corrections import (
    PART_FIELDS,
    person_input_of,
    person_part_update,
    revision_details,
)
from tirek.cases.lifecycle import case_stage_change
from tirek.cases.models import Case, CaseEvent, HistoricEvent
from tirek.cases.reads import LIST_SHOWS, SEARCH_SHOWS, Via, case_open, case_reads_record
from tirek.cases.schemas import (
    CaseCloseIn,
    CaseClosureOut,
    CaseEventOut,
    CaseFilterParams,
    CaseListItemOut,
    CaseOut,
    CasePageOut,
    CaseRegisterIn,
    CaseReopenIn,
    CaseStageIn,
    CaseStageOut,
    HistoricEventOut,
    PersonIn,
    PersonPatchIn,
    PersonSearchIn,
    PlaceIn,
    VictimIn,
    VictimPatchIn,
)
from tirek.cases.selectors import (
    CaseView,
    case_for_change,
    case_timeline,
    case_view,
    cases_page,
    cases_visible_count,
    cases_with_sections,
    person_search,
)
from tirek.cases.services import (
    PersonInput,
    PlaceInput,
    VictimInput,
    case_close,
    case_register,
    case_reopen,
    case_victim_update,
    historic_event_add,
)
from tirek.core.api_support import PageParams, actor_of, aliases, field_names

router = Router(tags=["cases"], by_alias=True)

# Service field name -> JSON name, for error messages.
_PLACE_FIELDS = {
    "place_type": "hte_Type",
    "place_country": "hte_Country",
    "place_date": "hte_Date",
    "place_id": "place_id",
}
REGISTER_FIELDS = (
    aliases(PersonIn, prefix="person.")
    | aliases(VictimIn, prefix="victim.")
    | {k: "place." + v for k, v in _PLACE_FIELDS.items()}
)
VICTIM_FIELDS = aliases(VictimIn)


def _person_input(data: PersonIn) -> PersonInput:
    return PersonInput(**data.model_dump())


def _victim_input(data: VictimIn) -> VictimInput:
    names = {f.name for f in dataclass_fields(VictimInput)}
    return VictimInput(**{k: v for k, v in data.model_dump().items() if k in names})


def _place_input(data: PlaceIn) -> PlaceInput:
    return PlaceInput(**data.model_dump())


def register_inputs(payload: CaseRegisterIn) -> tuple[PersonInput, VictimInput, PlaceInput | None]:
    """The service inputs of a registration (also used to register from a screening)."""
    place = _place_input(payload.place) if payload.place else None
    return _person_input(payload.person), _victim_input(payload.victim), place


def _display_name(case: Case, sections: frozenset[str]) -> str | None:
    return case.person.full_name if Section.IDENTITY in sections else None


def case_list_items(
    actor: Actor, cases: Sequence[Case], *, shows: frozenset[str], via: str
) -> list[dict[str, Any]]:
    """Rows of a list of cases (access decided for the whole page at once); the sections a row
    shows (``shows``, where granted) are recorded as reads."""
    rows = cases_with_sections(actor=actor, cases=cases)
    case_reads_record(actor=actor, reads=[(c, s & shows) for c, s in rows], via=via)
    return [case_list_item(actor, case, sections & shows) for case, sections in rows]


def case_list_item(actor: Actor, case: Case, sections: frozenset[str]) -> dict[str, Any]:
    """One row of a list: the name and trafficking status only where granted (``sections``)."""
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "nrm_stage": case.nrm_stage,
        "opened_on": case.opened_on,
        "owner_agency": case.owner_agency,
        "is_owner": policy.is_owner(actor, owner_agency_id=case.owner_agency_id),
        "display_name": _display_name(case, sections),
        "trafficking_status": (case.trafficking_status if Section.VICTIM in sections else None),
        "risk_level": (case.risk_level or None) if Section.RISK in sections else None,
        "is_child": case.is_child,
    }


def _historic_event(event: HistoricEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "type": event.type,
        "country": event.country,
        "place_id": event.place_id,
        "place_label": event.place.label if event.place else "",
        "city": event.city,
        "date": event.date,
        "description": event.description,
    }


def case_out(view: CaseView) -> dict[str, Any]:
    """The case with only the granted sections filled in."""
    case, person = view.case, view.case.person
    return {
        "id": case.pk,
        "reference": case.reference,
        "version": case.version,
        "status": case.status,
        "nrm_stage": case.nrm_stage,
        "opened_on": case.opened_on,
        "owner_agency": case.owner_agency,
        "is_owner": view.is_owner,
        "sections": sorted(view.sections),
        "person": person if view.has(Section.IDENTITY) else None,
        "contact": person if view.has(Section.CONTACT) else None,
        "victim": case if view.has(Section.VICTIM) else None,
        "historic_events": (
            [_historic_event(e) for e in case.historic_events.select_related("place")]
            if view.has(Section.EVENTS)
            else None
        ),
    }


def _event(view: CaseView, event: CaseEvent) -> dict[str, Any]:
    return {
        "details": revision_details(view, event),
        "id": event.pk,
        "at": event.at,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "section": event.section,
        "actor_name": event.actor_user.display_name if event.actor_user else None,
        "actor_agency": event.actor_agency,
        "data": policy.event_data_visible(
            event.data, sections=view.sections, event_section=event.section
        ),
    }


@router.post(
    "/persons/search",
    response=list[CaseListItemOut],
    summary="Search before create: cases of your circle whose person matches",
)
def persons_search(request: HttpRequest, payload: PersonSearchIn) -> list[dict[str, Any]]:
    actor = actor_of(request)
    cases = person_search(actor=actor, name=payload.name, birth_date=payload.birth_date)
    return case_list_items(actor, cases, shows=SEARCH_SHOWS, via=Via.SEARCH)


@router.get(
    "/cases",
    response=CasePageOut,
    summary="Cases your agency may open, filtered (stage, status, owner and the filters other "
    "apps register, e.g. risk, overdue) and found by reference",
)
def cases_list(
    request: HttpRequest, page: Query[PageParams], filters: Query[CaseFilterParams]
) -> dict[str, Any]:
    actor = actor_of(request)
    chosen = listing.filters_chosen(actor, request.GET)
    reference = filters.reference.strip().upper()

    def refine(cases: QuerySet[Case]) -> QuerySet[Case]:
        cases = listing.cases_filtered(cases, actor, chosen)
        return cases.filter(reference=reference) if reference else cases

    found = cases_page(actor=actor, refine=refine, offset=page.offset, limit=page.limit)
    count = cases_visible_count(actor=actor, refine=refine)
    return {
        "count": count.value,
        "count_is_exact": count.is_exact,
        "has_more": found.has_more,
        "limit": page.limit,
        "offset": page.offset,
        "items": case_list_items(actor, found.cases, shows=LIST_SHOWS, via=Via.LIST),
    }


@router.post("/cases", response={201: CaseOut}, summary="Register a case")
def case_create(request: HttpRequest, payload: CaseRegisterIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    person, victim, place = register_inputs(payload)
    with field_names(REGISTER_FIELDS):
        case = case_register(actor=actor, person=person, victim=victim, place=place)
    # What the registrant has just sent, nothing more: not a read of anyone else's record.
    return Status(201, case_out(case_view(actor=actor, case_id=case.pk)))


@router.get("/cases/{case_id}", response=CaseOut, summary="Open a case (the read is recorded)")
def case_get(request: HttpRequest, case_id: UUID) -> dict[str, Any]:
    return case_out(case_open(actor=actor_of(request), case_id=case_id))


@router.patch(
    "/cases/{case_id}/victim",
    response=CaseOut,
    summary="Change the trafficking details (409 if the case changed since your read)",
)
def case_victim_patch(
    request: HttpRequest, case_id: UUID, payload: VictimPatchIn
) -> dict[str, Any]:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    current = {f.name: getattr(case, f.name) for f in dataclass_fields(VictimInput)}
    sent = payload.model_dump(include=payload.model_fields_set - {"version"})
    with field_names(VICTIM_FIELDS):
        case = case_victim_update(
            actor=actor,
            case=case,
            expected_version=payload.version,
            victim=VictimInput(**(current | sent)),
        )
    # The answer shows the whole case as the actor may see it: a read, recorded as GET's is
    # (the web records it on the page the form returns to).
    return case_out(case_open(actor=actor, case_id=case.pk))


PERSON_FIELDS = aliases(PersonIn)


def _person_patch(request: HttpRequest, case_id: UUID, part: str, payload: PersonPatchIn) -> Any:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    sent = payload.model_dump(include=payload.model_fields_set - {"version"})
    foreign = sorted(
        PERSON_FIELDS.get(name, name) for name in sent if name not in PART_FIELDS[part]
    )
    if foreign:
        raise ValidationError(
            {name: [_("This field belongs to the other part of the person.")] for name in foreign}
        )
    current = person_input_of(case.person)
    with field_names(PERSON_FIELDS):
        person_part_update(
            actor=actor,
            case_id=case.pk,
            part=part,
            expected_version=payload.version,
            data=dataclasses.replace(current, **sent),
        )
    return case_out(case_open(actor=actor, case_id=case.pk))  # a read, as above


@router.patch(
    "/cases/{case_id}/person/identity",
    response=CaseOut,
    summary="Correct the person's identity (409 naming what changed if someone saved it since)",
)
def person_identity_patch(request: HttpRequest, case_id: UUID, payload: PersonPatchIn) -> Any:
    return _person_patch(request, case_id, "identity", payload)


@router.patch(
    "/cases/{case_id}/person/contact",
    response=CaseOut,
    summary="Update the person's contact details (409 naming what changed if saved since)",
)
def person_contact_patch(request: HttpRequest, case_id: UUID, payload: PersonPatchIn) -> Any:
    return _person_patch(request, case_id, "contact", payload)


@router.post(
    "/cases/{case_id}/places",
    response={201: HistoricEventOut},
    summary="Add where and when recruitment, transit or exploitation happened",
)
def case_place_add(request: HttpRequest, case_id: UUID, payload: PlaceIn) -> Status[dict[str, Any]]:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    with field_names(_PLACE_FIELDS):
        event = historic_event_add(actor=actor, case=case, data=_place_input(payload))
    return Status(201, _historic_event(event))


@router.get("/cases/{case_id}/events", response=list[CaseEventOut], summary="The case timeline")
def case_events(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id, via=Via.TIMELINE)
    return [_event(view, e) for e in case_timeline(actor=actor, view=view)]


@router.post(
    "/cases/{case_id}/stage",
    response=CaseStageOut,
    summary="Move a case to another NRM stage (owner agency; 409 if it changed since your read)",
)
def case_stage_post(request: HttpRequest, case_id: UUID, payload: CaseStageIn) -> Case:
    with field_names({"stage": "nrm_stage"}):
        return case_stage_change(
            actor=actor_of(request),
            case_id=case_id,
            stage=payload.nrm_stage,
            expected_version=payload.version,
            reason=payload.reason,
        )


@router.post(
    "/cases/{case_id}/close",
    response=CaseClosureOut,
    summary="Close a case (owner agency; 409 if it changed since your read or is closed)",
)
def case_close_post(request: HttpRequest, case_id: UUID, payload: CaseCloseIn) -> Case:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    with field_names({"status": "cas_Status", "reason": "cas_ReasonForCaseClosure"}):
        return case_close(
            actor=actor,
            case=case,
            expected_version=payload.version,
            status=payload.status,
            reason=payload.reason,
        )


@router.post(
    "/cases/{case_id}/reopen",
    response=CaseClosureOut,
    summary="Reopen a closed case (owner agency; not after anonymisation)",
)
def case_reopen_post(request: HttpRequest, case_id: UUID, payload: CaseReopenIn) -> Case:
    actor = actor_of(request)
    case = case_for_change(actor=actor, case_id=case_id)
    return case_reopen(actor=actor, case=case, expected_version=payload.version)
