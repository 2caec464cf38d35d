"""Screenings by agency type and referrals by service and provider: the facts follow the records
(refresh = rebuild, overdue once the answer falls due), the tables, who sees them, privacy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.services import PersonInput, VictimInput
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_accept, referral_decline
from tirek.screening.registration import screening_case_register
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.statistics.activity import OVERDUE, WAITING, referral_state
from tirek.statistics.facts import facts_rebuild, facts_refresh
from tirek.statistics.models import Cell
from tirek.statistics.privacy import protect
from tirek.statistics.tests.support import assert_refused, member
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient

EXAMPLE_1 = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02", "VD-02"]  # presumed victim
NOW = datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _small(small_k):
    pass


def _screen(actor: Actor, codes: list[str], case: Any = None) -> Any:
    return screening_save(
        actor=actor,
        catalogue=catalogue_current(),
        data=ScreeningInput(
            scope="labour", age_at_exploitation=30, observations=[Observation(c) for c in codes]
        ),
        case=case,
    )


@pytest.fixture
def world(people) -> dict[str, Any]:
    commission = Agency.objects.create(
        name="Test Activity Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    cases = [case_build(people.aigul, first_name=f"Act{n}") for n in range(4)]
    _screen(people.aigul, EXAMPLE_1, cases[0])
    _screen(people.aigul, ["DR-01"], cases[1])
    hotline = _screen(people.nurlan, EXAMPLE_1)  # anonymous, later a case: counted once
    screening_case_register(
        actor=people.nurlan,
        screening_id=hotline.pk,
        person=PersonInput(first_name="Hotlina", family_name="Synthetova"),
        victim=VictimInput(),
    )
    shelter, work = people.shelter_service, people.employment_service
    referrals = [
        referral_build(people.aigul, cases[0], to=people.employment, service=work),
        referral_build(people.aigul, cases[1], to=people.employment, service=work),
        referral_build(people.aigul, cases[2], to=people.employment, service=work),
        referral_build(people.aigul, cases[3], to=people.police, service=shelter),
    ]
    referral_accept(actor=people.dana, referral_id=referrals[0].pk)
    referral_decline(actor=people.dana, referral_id=referrals[1].pk, reason="No places left.")
    facts_refresh()
    return {
        "people": people,
        "cases": cases,
        "referrals": referrals,
        "coordinator": member("act-coordinator", commission, Role.COORDINATOR),
        "centre_chief": member("act-chief", people.crisis_centre, Role.SUPERVISOR),
        "employment_chief": member("act-employment", people.employment, Role.SUPERVISOR),
    }


def _table(actor: Actor, name: str, scope: str = "agency") -> dict[str, Any]:
    response = ApiClient(actor).get(f"/statistics/tables/{name}?scope={scope}")
    assert response.status_code == 200, response.content
    payload: dict[str, Any] = response.json()
    return payload


def _rows(table: dict[str, Any]) -> dict[str, dict[str, int | None]]:
    keys = [column["key"] for column in table["columns"]]
    return {row["key"]: dict(zip(keys, row["cells"], strict=True)) for row in table["rows"]}


def test_referral_state_is_overdue_only_while_the_answer_is_late():
    late = NOW - datetime.timedelta(hours=1)
    assert referral_state("sent", None, NOW) == WAITING
    assert referral_state("sent", NOW + datetime.timedelta(hours=1), NOW) == WAITING
    assert referral_state("sent", late, NOW) == OVERDUE
    assert referral_state("accepted", late, NOW) == "accepted"
    assert referral_state("withdrawn", late, NOW) == "withdrawn"


def test_screenings_by_agency_type_and_outcome_count_a_carried_over_interview_once(world):
    national = _rows(_table(world["coordinator"], "screening_agency_type", "national"))
    assert national["NGO"] == {"presumed_victim": None, "not_enough": None}
    own = _rows(_table(world["centre_chief"], "screening_agency_type"))
    assert own == {"NGO": {"presumed_victim": 1, "not_enough": 1}}
    # The hotline call and the screening carried over to its case: one interview.
    nationally = Cell.objects.filter(
        unit="screening", scope="", territory="*", dimension="agency_type"
    )
    assert {(c.value, c.series): c.n for c in nationally} == {
        ("NGO", "presumed_victim"): 1,
        ("NGO", "not_enough"): 1,
        ("LawEnforcement", "presumed_victim"): 1,
    }


def test_referrals_by_service_and_provider_for_sender_and_provider(world):
    people = world["people"]
    sent = _rows(_table(world["centre_chief"], "referral_service"))
    assert sent["test-employment"] == {
        "waiting": 1,
        "overdue": 0,
        "accepted": 1,
        "declined": 1,
        "withdrawn": 0,
    }
    assert sent["test-shelter"]["waiting"] == 1
    received = _table(world["employment_chief"], "referral_provider")
    assert [(row["key"], row["total"]) for row in received["rows"]] == [
        (str(people.employment.pk), 3)
    ]
    assert received["rows"][0]["label"] == people.employment.name
    national = _table(world["coordinator"], "referral_provider", "national")
    assert national["protected"] is True


def test_a_referral_becomes_overdue_when_its_answer_falls_due_and_rebuild_agrees(world):
    waiting = world["referrals"][2]
    Referral.objects.filter(pk=waiting.pk).update(
        due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    facts_refresh()  # no timeline event: the due time alone moves it
    sent = _rows(_table(world["centre_chief"], "referral_service"))
    assert (sent["test-employment"]["waiting"], sent["test-employment"]["overdue"]) == (0, 1)
    refreshed = {
        (c.unit, c.scope, c.quarter, c.territory, c.dimension, c.value, c.series): c.n
        for c in Cell.objects.exclude(unit="person")
    }
    facts_rebuild()
    rebuilt = {
        (c.unit, c.scope, c.quarter, c.territory, c.dimension, c.value, c.series): c.n
        for c in Cell.objects.exclude(unit="person")
    }
    assert rebuilt == refreshed


@pytest.mark.parametrize("persona", ["aigul", "agency_admin", "system_admin", "outsider"])
def test_others_see_no_screening_or_referral_statistics(world, persona):
    actor = getattr(world["people"], persona)
    assert_refused(actor, "/statistics/tables/referral_service", "screening_agency_type")


def test_the_page_and_csv_show_the_new_tables(world):
    client = SecureClient()
    client.force_login(world["centre_chief"].user)
    page = client.get(reverse("statistics:dashboard") + "?scope=agency")
    names = [chart["name"] for chart in page.context["charts"]]
    assert {"screening_agency_type", "referral_service", "referral_provider"} <= set(names)
    csv = client.get(reverse("statistics:table_csv", args=["referral_service"]) + "?scope=agency")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Referrals by service,Waiting for an answer,Overdue,Accepted")
    assert "Employment support,1,0,1,1,0,3" in lines


def test_a_protected_referral_table_never_shows_a_small_provider():
    counts = {("a", "accepted"): 30, ("a", "declined"): 12, ("b", "accepted"): 2}
    columns = ("waiting", "overdue", "accepted", "declined", "withdrawn")
    table = protect(["a", "b"], columns, counts, k=11, base=5)
    assert table.cells[1][2] is None and table.row_totals[1] is None
    # The provider's row cannot be recovered from the column total either.
    assert table.column_totals[2] is None or table.cells[0][2] is None
