"""Positive controls of the permission matrix: one person's records across cases (pairs
confirmed and undone, check requests to the coordinator, the coordinator's review). See
``controls``."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.models import Case
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, owner, web
from tirek.matching.models import MatchCheckRequest, PersonPair
from tirek.matching.services import check_request_create, pair_decide, review_scan_step
from tirek.statistics.tests.support import member
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas

BORN = datetime.date(1994, 3, 12)


def _aigerim(actor: Actor, **names: Any) -> Case:
    names = {"family_name": "Zhumabayeva", "first_name": "Aigerim", "patronymic": ""} | names
    return case_build(actor, birth_date=BORN, citizenship=["KAZ"], **names)


class World(controls.World):
    """Aigerim Zhumabayeva, registered by the crisis centre (twice) and by the police."""

    @cached_property
    def crisis_case(self) -> Case:
        return _aigerim(self.people.aigul)

    @cached_property
    def police_case(self) -> Case:
        names = {"family_name": "ЖУМАБАЕВА", "first_name": "Айгерим", "patronymic": "Кайратовна"}
        return _aigerim(self.people.nurlan, **names)

    @cached_property
    def second_case(self) -> Case:
        """The crisis centre's second record of her, in Cyrillic."""
        return _aigerim(self.people.aigul, family_name="ЖУМАБАЕВА", first_name="Айгерим")

    @cached_property
    def supervisor(self) -> Actor:
        return member("matrix-centre-supervisor", self.people.crisis_centre, Role.SUPERVISOR)

    @cached_property
    def coordinator(self) -> Actor:
        commission = Agency.objects.create(
            name="Test Coordinating Commission",
            type=Agency.Type.LOCAL_GOVERNMENT,
            place=self.people.almaty,
        )
        return member("matrix-coordinator", commission, Role.COORDINATOR)

    @cached_property
    def pair(self) -> PersonPair:
        """Aigul confirmed her two records are one person."""
        return pair_decide(
            actor=self.people.aigul,
            case_a_id=self.crisis_case.pk,
            case_b_id=self.second_case.pk,
            same=True,
        )

    @cached_property
    def asked(self) -> MatchCheckRequest:
        """Aigul asked the coordinator about the police's record she may not see."""
        self.police_case  # noqa: B018 - the hidden candidate
        return check_request_create(actor=self.people.aigul, case_id=self.crisis_case.pk)

    @cached_property
    def uncertain(self) -> Case:
        """Dana's record of an Айгерим Жумабаева without a birth date: the review offers it with
        the police's record."""
        self.police_case  # noqa: B018
        case = case_build(
            self.people.dana,
            family_name="Жумабаева",
            first_name="Айгерим",
            patronymic="",
            birth_date=None,
            citizenship=[],
        )
        review_scan_step()
        return case


def _supervisor(w: World) -> Actor:
    return w.supervisor


def _coordinator(w: World) -> Actor:
    return w.coordinator


def _pairs(w: World) -> Any:
    return sorted(PersonPair.objects.values_list("status", flat=True))


def _requests(w: World) -> Any:
    return sorted(MatchCheckRequest.objects.values_list("status", flat=True))


def _same(w: World, first: str, second: str) -> dict[str, str]:
    return {
        "case_a": str(getattr(w, first).pk),
        "case_b": str(getattr(w, second).pk),
        "decision": "same",
    }


def _answer(w: World) -> dict[str, str]:
    return {"decision": "same", "case_id": str(w.police_case.pk)}


def _asking(w: World) -> dict[str, str]:
    w.police_case  # noqa: B018 - the hidden candidate
    return {"case_id": str(w.crisis_case.pk)}


CONTROLS: dict[str, Control] = {
    # the case worker's own two records
    "POST matching:pair_decide": web(
        "POST",
        "matching:pair_decide",
        "",
        owner,
        302,
        body=lambda w: _same(w, "crisis_case", "second_case"),
        state=_pairs,
    ),
    "POST /matching/pairs": api(
        "POST",
        "/matching/pairs",
        owner,
        201,
        body=lambda w: _same(w, "crisis_case", "second_case"),
        state=_pairs,
    ),
    "POST matching:pair_undo": web(
        "POST",
        "matching:pair_undo",
        "pair",
        _supervisor,
        302,
        body=lambda w: {"case_id": str(w.crisis_case.pk)},
        state=_pairs,
    ),
    "POST /matching/pairs/{pair_id}/undo": api(
        "POST", "/matching/pairs/{w.pair.pk}/undo", _supervisor, 200, state=_pairs
    ),
    # a record she may not see: she asks the coordinator, who answers
    "POST matching:check_request": web(
        "POST", "matching:check_request", "", owner, 302, body=_asking, state=_requests
    ),
    "POST /matching/check-requests": api(
        "POST", "/matching/check-requests", owner, 201, body=_asking, state=_requests
    ),
    "POST matching:check_resolve": web(
        "POST", "matching:check_resolve", "asked", _coordinator, 302, body=_answer, state=_requests
    ),
    "POST /matching/check-requests/{request_id}/resolve": api(
        "POST",
        "/matching/check-requests/{w.asked.pk}/resolve",
        _coordinator,
        200,
        body=_answer,
        state=_requests,
    ),
    # the coordinator's review of uncertain pairs
    "POST matching:review_decide": web(
        "POST",
        "matching:review_decide",
        "",
        _coordinator,
        302,
        body=lambda w: _same(w, "police_case", "uncertain"),
        state=_pairs,
    ),
    "POST /matching/review/decide": api(
        "POST",
        "/matching/review/decide",
        _coordinator,
        201,
        body=lambda w: _same(w, "police_case", "uncertain"),
        state=_pairs,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
