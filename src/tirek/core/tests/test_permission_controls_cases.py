"""Positive controls of the permission matrix: the case record (registration, corrections,
places, stage, closure), its erasure and the screening's status decision and catalogue. See
``controls``."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pytest
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Role
from tirek.cases.choices import CaseStatus
from tirek.cases.models import Case, HistoricEvent, Person
from tirek.cases.services import case_close
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, owner, web
from tirek.retention.models import ErasureRequest
from tirek.retention.services import erasure_request_record
from tirek.screening.models import Catalogue, Screening
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.statistics.tests.support import member
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas


def _today() -> str:
    return timezone.localdate().isoformat()


REASON = "The person is safe at home and asked to close."


class World(controls.World):
    """Aigul's case, and what the controls name, built when they name it."""

    @cached_property
    def closed(self) -> Case:
        case = case_build(self.people.aigul, first_name="Closedgul")
        return case_close(
            actor=self.people.aigul,
            case=case,
            expected_version=case.version,
            status=CaseStatus.CLOSED,
            reason=REASON,
        )

    @cached_property
    def supervisor(self) -> Actor:
        """A supervisor of the crisis centre, the agency owning the case."""
        return member("matrix-centre-supervisor", self.people.crisis_centre, Role.SUPERVISOR)

    @cached_property
    def coordinator(self) -> Actor:
        return member("matrix-coordinator", self.people.crisis_centre, Role.COORDINATOR)

    @cached_property
    def erasure(self) -> ErasureRequest:
        return erasure_request_record(
            actor=self.supervisor, case_id=self.case.pk, legal_basis="Art. 16: asked in person"
        )

    @cached_property
    def screening(self) -> Screening:
        return self._screening(self.case)

    @cached_property
    def anonymous(self) -> Screening:
        """A screening of nobody yet: a case may be registered from it."""
        return self._screening(None)

    def _screening(self, case: Case | None) -> Screening:
        data = ScreeningInput(scope="labour", observations=[Observation("DR-01", "self_report")])
        return screening_save(
            actor=self.people.aigul, catalogue=catalogue_current(), case=case, data=data
        )


def _supervisor(w: World) -> Actor:
    return w.supervisor


def _coordinator(w: World) -> Actor:
    return w.coordinator


def _case_state(attribute: str) -> Any:
    return lambda w: Case.objects.values_list("version", "status").get(pk=getattr(w, attribute).pk)


CASE = _case_state("case")


def _person(w: World) -> Any:
    return Person.objects.values_list("identity_version", "contact_version").get(
        pk=w.case.person_id
    )


def _identity(w: World) -> dict[str, Any]:
    return {
        "expected_version": 1,
        "family_name": "Newova",
        "first_name": "Testgul",
        "sex": "F",
        "gender": "NonSpecifiedUnknown",
        "birth_date": "1999-04-12",
        "birth_date_precision": "day",
        "citizenship": ["KAZ"],
        "primary_language": "kk",
    }


def _indicator(w: Any, **changes: str) -> dict[str, str]:
    current = catalogue_current()
    cd07 = current.indicators.get(code="CD-07")
    return {
        "base": str(current.pk),
        "code": "CD-07",
        "dimension": cd07.dimension,
        "label_en": cd07.label_en,
        "label_ru": cd07.label_ru,
        "label_kk": cd07.label_kk,
        "strength_adult_labour": "strong",
        "strength_child_labour": "strong",
        "strength_adult_sexual": "strong",
        "strength_child_sexual": "strong",
        "change_note": "Checked against WCMS_105023.",
    } | changes


CATALOGUES = lambda w: Catalogue.objects.count()  # noqa: E731
CONTROLS: dict[str, Control] = {
    # registration and corrections
    "POST cases:register": web(
        "POST",
        "cases:register",
        "",
        owner,
        302,
        refused=403,
        refuser=lambda w: w.people.agency_admin,  # the outsider may register cases too
        body=lambda w: (
            _identity(w)
            | {"trafficking_status": "PossibleVictimOfTrafficking", "place_type": "Exploitation"}
        ),
        state=lambda w: Case.objects.count(),
    ),
    "POST cases:identity_update": web(
        "POST", "cases:identity_update", "case", owner, 302, body=_identity, state=_person
    ),
    "POST cases:contact_update": web(
        "POST",
        "cases:contact_update",
        "case",
        owner,
        302,
        body=lambda w: {"expected_version": 1, "mobile_phone": "+77015550143"},
        state=_person,
    ),
    "POST cases:victim_update": web(
        "POST",
        "cases:victim_update",
        "case",
        owner,
        302,
        body=lambda w: {
            "trafficking_status": "ActualVictimOfTrafficking",
            "expected_version": w.case.version,
        },
        state=CASE,
    ),
    "POST cases:place_add": web(
        "POST",
        "cases:place_add",
        "case",
        owner,
        302,
        body=lambda w: {"place_type": "Recruitment", "place_country": "UZB"},
        state=lambda w: HistoricEvent.objects.count(),
    ),
    "POST cases:stage_change": web(
        "POST",
        "cases:stage_change",
        "case",
        owner,
        302,
        body=lambda w: {"stage": "first_assistance", "expected_version": w.case.version},
        state=CASE,
    ),
    # closure
    "POST retention:case_close": web(
        "POST",
        "retention:case_close",
        "case",
        owner,
        302,
        body=lambda w: {"status": "Closed", "reason": REASON, "expected_version": w.case.version},
        state=CASE,
    ),
    "POST /cases/{case_id}/close": api(
        "POST",
        "/cases/{w.case.pk}/close",
        owner,
        200,
        body=lambda w: {"version": w.case.version, "cas_ReasonForCaseClosure": REASON},
        state=CASE,
    ),
    "POST /cases/{case_id}/reopen": api(
        "POST",
        "/cases/{w.closed.pk}/reopen",
        owner,
        200,
        body=lambda w: {"version": w.closed.version},
        state=_case_state("closed"),
    ),
    # erasure: a supervisor of the owner agency
    "GET /cases/{case_id}/erasure-requests": api(
        "GET", "/cases/{w.erasure.case_id}/erasure-requests", _supervisor, 200
    ),
    "POST /cases/{case_id}/erasure-requests": api(
        "POST",
        "/cases/{w.case.pk}/erasure-requests",
        _supervisor,
        201,
        body=lambda w: {"legal_basis": "Art. 16: asked in person"},
        state=lambda w: ErasureRequest.objects.count(),
    ),
    "POST retention:erasure_request": web(
        "POST",
        "retention:erasure_request",
        "case",
        _supervisor,
        302,
        refused=403,
        body=lambda w: {"legal_basis": "Art. 16: asked in person", "received_on": _today()},
        state=lambda w: ErasureRequest.objects.count(),
    ),
    "POST /cases/{case_id}/erasure-requests/{request_id}/execute": api(
        "POST",
        "/cases/{w.case.pk}/erasure-requests/{w.erasure.pk}/execute",
        _supervisor,
        200,
        state=lambda w: ErasureRequest.objects.filter(executed_at__isnull=False).count(),
    ),
    "GET retention:erasure_execute": web(
        "GET", "retention:erasure_execute", "case,erasure", _supervisor, 200, refused=403
    ),
    "POST retention:erasure_execute": web(
        "POST",
        "retention:erasure_execute",
        "case,erasure",
        _supervisor,
        302,
        refused=403,
        state=lambda w: ErasureRequest.objects.filter(executed_at__isnull=False).count(),
    ),
    # the trafficking status, decided by a supervisor citing a screening
    "POST screening:decide": web(
        "POST",
        "screening:decide",
        "screening",
        _supervisor,
        302,
        body=lambda w: {
            "status": "ActualVictimOfTrafficking",
            "reasons": "Screened and interviewed.",
            "expected_version": w.case.version,
        },
        state=CASE,
    ),
    "POST /cases/{case_id}/status-decisions": api(
        "POST",
        "/cases/{w.case.pk}/status-decisions",
        _supervisor,
        201,
        body=lambda w: {
            "expected_version": w.case.version,
            "vic_TraffickingStatus": "ActualVictimOfTrafficking",
            "screening_id": str(w.screening.pk),
        },
        state=CASE,
    ),
    "POST /screenings/{screening_id}/case": api(
        "POST",
        "/screenings/{w.anonymous.pk}/case",
        owner,
        201,
        body=lambda w: {"person": {"prs_FirstName": "Hotlina"}, "victim": {}},
        state=lambda w: Case.objects.count(),
    ),
    # the screening catalogue: coordinators (and system administrators)
    "POST screening:indicator_edit": web(
        "POST",
        "screening:indicator_edit",
        lambda w: ["CD-07"],
        _coordinator,
        302,
        refused=403,
        body=_indicator,
        state=CATALOGUES,
    ),
    "POST screening:indicator_add": web(
        "POST",
        "screening:indicator_add",
        "",
        _coordinator,
        302,
        refused=403,
        body=lambda w: _indicator(
            w, code="CD-16", label_en="Forced to beg", label_kk="Қайыршылыққа мәжбүрлеу"
        ),
        state=CATALOGUES,
    ),
    "POST screening:list_edit": web(
        "POST",
        "screening:list_edit",
        "",
        _coordinator,
        302,
        refused=403,
        body=lambda w: {
            "base": str(catalogue_current().pk),
            "key": "adult_sexual",
            "is_verified": "on",
            "verification_note": "Checked row by row against WCMS_105023.",
            "change_note": "adult_sexual verified",
        },
        state=CATALOGUES,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
