"""Mechanism performance: step facts kept current, deadlines met or missed, who may see what."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils.translation import override

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import Case
from tirek.core.models import AuditEvent
from tirek.directory.models import Place
from tirek.mechanisms.checklist import checklist_item_close
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.tests.support import NOW, _step, mechanism_in_force, to_first_assistance
from tirek.statistics.models import StepCell, StepFact
from tirek.statistics.selectors_performance import PerformanceFilters, performance_build
from tirek.statistics.services import RELEASED
from tirek.statistics.step_facts import (
    step_cells_rebuild,
    step_facts_rebuild,
    step_facts_refresh,
)
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with override("en"):
        yield


@pytest.fixture(autouse=True)
def small_k(settings: Any) -> None:
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0


def mechanism_for(coordinator: Actor, people: Personas, place: Place, title: str) -> Mechanism:
    """A mechanism in force for ``place``: the police is told within 24 hours, and so on."""
    steps = [
        _step("police-informed", "identification", agency_type=Agency.Type.LAW_ENFORCEMENT),
        _step("shelter", "first_assistance", deadline_value=48),
    ]
    return mechanism_in_force(coordinator, people, steps, territory=place, title=title)


@pytest.fixture
def world(people: Personas) -> dict[str, Any]:
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = member("perf-coordinator", commission, Role.COORDINATOR)
    shymkent = Place.objects.create(
        kind=Place.Kind.CITY, code="test-shymkent", name_en="Shymkent", name_kk="Шымкент"
    )
    south = Agency.objects.create(name="Test South NGO", type=Agency.Type.NGO, place=shymkent)
    south_worker = member("perf-south", south, Role.CASE_WORKER)
    mechanism_for(coordinator, people, people.almaty, "Almaty")
    south_commission = Agency.objects.create(
        name="Test South Commission", type=Agency.Type.COMMISSION, place=shymkent
    )
    mechanism_for(
        member("perf-south-coord", south_commission, Role.COORDINATOR), people, shymkent, "South"
    )
    with time_machine.travel(NOW, tick=False):
        almaty_cases = [case_build(people.aigul, first_name=f"Perf{n}") for n in range(4)]
        south_cases = [case_build(south_worker, first_name=f"South{n}") for n in range(3)]
    return {
        "people": people,
        "coordinator": coordinator,
        "chief": member("perf-chief", people.crisis_centre, Role.SUPERVISOR),
        "south": south_worker,
        "almaty_cases": almaty_cases,
        "south_cases": south_cases,
    }


def close(actor: Actor, case: Case, code: str, at: datetime.datetime, outcome: str = "done"):
    item = ChecklistItem.objects.get(case=case, step__code=code)
    with time_machine.travel(at, tick=False):
        return checklist_item_close(
            actor=actor, item_id=item.pk, outcome=outcome, expected_version=item.version
        )


def police_row(release: Any) -> Any:
    return next(
        row for _stage, rows in release.stages for row in rows if row.code == "police-informed"
    )


def build(actor: Actor, scope: str = "national", **filters: Any) -> Any:
    return performance_build(actor=actor, scope=scope, filters=PerformanceFilters(**filters))


def test_each_checklist_step_becomes_one_fact_without_a_case_id(world: dict[str, Any]) -> None:
    step_facts_refresh()
    assert StepFact.objects.count() == ChecklistItem.objects.count() == 7
    case_ids = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
    texts = {str(value) for row in StepFact.objects.values() for value in row.values()}
    assert not texts & case_ids


def test_a_second_refresh_changes_nothing(world: dict[str, Any]) -> None:
    step_facts_refresh()
    before = sorted(StepFact.objects.values_list("key", "noise_key", "status", "late"))
    step_facts_refresh()
    assert sorted(StepFact.objects.values_list("key", "noise_key", "status", "late")) == before


def test_refresh_and_rebuild_agree(world: dict[str, Any]) -> None:
    step_facts_refresh()
    close(world["people"].aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    step_facts_refresh()
    refreshed = sorted(StepFact.objects.values_list("key", "status", "late", "wait_minutes"))
    step_facts_rebuild()
    assert sorted(StepFact.objects.values_list("key", "status", "late", "wait_minutes")) == (
        refreshed
    )


def _cells() -> list[tuple[Any, ...]]:
    fields = ["scope", "quarter", "mechanism_id", "stage", "step_code", "territory", "measure"]
    return sorted(StepCell.objects.values_list(*fields, "minutes", "n", "key_sum"))


def test_cells_kept_by_the_refresh_are_the_facts_summed_again(world: dict[str, Any]) -> None:
    aigul, south = world["people"].aigul, world["south"]
    step_facts_refresh()
    close(aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    close(south, world["south_cases"][0], "police-informed", NOW + 30 * HOUR, "not_done")
    to_first_assistance(aigul, world["almaty_cases"][1])
    step_facts_refresh()
    close(aigul, world["almaty_cases"][2], "police-informed", NOW + 50 * HOUR)
    step_facts_refresh()
    refreshed = _cells()
    step_cells_rebuild()
    national = [cell for cell in refreshed if cell[0] == "" and cell[1] == 0]
    assert (_cells(), len(national) > 0) == (refreshed, True)


def test_the_first_refresh_counts_every_step_into_the_cells(world: dict[str, Any]) -> None:
    step_facts_refresh()
    opened = StepCell.objects.filter(scope="", quarter=0, measure="open")
    assert sum(opened.values_list("n", flat=True)) == StepFact.objects.filter(status="open").count()


def test_an_open_step_of_an_earlier_quarter_is_overdue_from_the_cells(
    world: dict[str, Any],
) -> None:
    step_facts_refresh()
    later = NOW + datetime.timedelta(days=120)  # the next quarter: read from the cells
    with time_machine.travel(later, tick=False):
        national = police_row(build(world["coordinator"]))
        own = police_row(build(world["chief"], "agency"))
        one_year = police_row(build(world["coordinator"], date_from=NOW.date()))
    assert (national.counts[3], own.counts[3], one_year.counts[3]) == (7, 4, 7)


def test_a_step_closed_by_its_due_time_met_it_and_a_later_one_did_not(
    world: dict[str, Any],
) -> None:
    aigul = world["people"].aigul
    cases = world["almaty_cases"]
    close(aigul, cases[0], "police-informed", NOW + 2 * HOUR)
    close(aigul, cases[1], "police-informed", NOW + 10 * HOUR)
    close(aigul, cases[2], "police-informed", NOW + 30 * HOUR)
    close(aigul, cases[3], "police-informed", NOW + 3 * HOUR, outcome="not_done")
    step_facts_refresh()
    with time_machine.travel(NOW + 40 * HOUR, tick=False):
        row = police_row(build(world["chief"], "agency"))
    assert (row.counts, row.due, row.met_share) == ((2, 1, 1, 0), 4, 50)


def test_an_open_step_past_its_due_time_is_overdue_when_read(world: dict[str, Any]) -> None:
    step_facts_refresh()
    with time_machine.travel(NOW + 2 * HOUR, tick=False):
        before = police_row(build(world["chief"], "agency"))
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        after = police_row(build(world["chief"], "agency"))
    assert (before.counts[3], after.counts[3]) == (0, 4)


def test_median_and_90th_percentile_of_the_time_to_completion(world: dict[str, Any]) -> None:
    aigul = world["people"].aigul
    for case, hours in zip(world["almaty_cases"], [2, 4, 6, 30], strict=True):
        close(aigul, case, "police-informed", NOW + hours * HOUR)
    step_facts_refresh()
    row = police_row(build(world["chief"], "agency"))
    assert (str(row.median), str(row.p90), str(row.deadline)) == ("4 h", "30 h", "24 h")


def test_a_national_share_from_fewer_than_k_steps_is_not_shown_and_says_why(
    world: dict[str, Any], settings: Any
) -> None:
    settings.TIREK_STATISTICS_K = 5
    close(world["people"].aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    step_facts_refresh()
    with time_machine.travel(NOW + 30 * HOUR, tick=False):
        release = build(world["coordinator"], territory="test-shymkent")
    row = police_row(release)
    assert (row.met_share, row.share_reason) == (None, "Fewer than 5 steps were due: not shown.")


def test_territories_side_by_side_match_the_same_step(world: dict[str, Any]) -> None:
    aigul, south = world["people"].aigul, world["south"]
    for case in world["almaty_cases"]:
        close(aigul, case, "police-informed", NOW + HOUR)
    for case in world["south_cases"]:
        close(south, case, "police-informed", NOW + 30 * HOUR)
    step_facts_refresh()
    release = build(world["coordinator"])
    row = next(r for r in release.comparison if r.code == "police-informed")
    shares = {
        code: cell.met_share
        for (code, _l), cell in zip(release.territories, row.cells, strict=True)
    }
    assert shares == {"test-almaty": 100, "test-shymkent": 0}


def test_an_agency_sees_only_its_own_work(world: dict[str, Any]) -> None:
    step_facts_refresh()
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        row = police_row(build(world["chief"], "agency"))
    assert row.due == 4  # the crisis centre's four cases, not the three in Shymkent


def _client(actor: Actor) -> SecureClient:
    client = SecureClient()
    client.force_login(actor.user)
    return client


def test_the_page_shows_the_steps_and_records_the_release(world: dict[str, Any]) -> None:
    step_facts_refresh()
    response = _client(world["coordinator"]).get(reverse("statistics:performance"))
    assert response.status_code == 200
    assert b"Police informed" in response.content
    assert AuditEvent.objects.filter(action=RELEASED, object_id="performance:all").exists()


def test_a_filter_by_htmx_answers_the_results_only(world: dict[str, Any]) -> None:
    step_facts_refresh()
    response = _client(world["coordinator"]).get(
        reverse("statistics:performance"), {"territory": "test-almaty"}, HTTP_HX_REQUEST="true"
    )
    assert response.content.lstrip().startswith(b'<div id="performance-results">')


def test_wrong_filters_are_all_shown_at_once(world: dict[str, Any]) -> None:
    response = _client(world["coordinator"]).get(
        reverse("statistics:performance"),
        {"date_from": "2026-05-01", "date_to": "2026-01-01", "mechanism": "nonsense"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert (response.status_code, "before its start" in text, "valid choice" in text) == (
        422,
        True,
        True,
    )


@pytest.mark.parametrize("table", ["steps", "waits", "territories"])
def test_each_table_downloads_as_csv_without_names(world: dict[str, Any], table: str) -> None:
    close(world["people"].aigul, world["almaty_cases"][0], "police-informed", NOW + HOUR)
    step_facts_refresh()
    response = _client(world["coordinator"]).get(
        reverse("statistics:performance_csv", args=[table])
    )
    text = response.content.decode()
    assert ("Police informed" in text, "Perf0" in text, "Synthetova" in text) == (
        True,
        False,
        False,
    )


def test_the_api_gives_the_same_steps(world: dict[str, Any]) -> None:
    step_facts_refresh()
    with time_machine.travel(NOW + 25 * HOUR, tick=False):
        body = ApiClient(world["chief"]).get("/statistics/performance?scope=agency").json()
    police = next(step for step in body["steps"] if step["code"] == "police-informed")
    assert (police["open_overdue"], police["due"], police["met_share"]) == (4, 4, 0)


def test_the_api_refuses_a_wrong_period_with_a_readable_error(world: dict[str, Any]) -> None:
    response = ApiClient(world["coordinator"]).get(
        "/statistics/performance?date_from=2026-05-01&date_to=2026-01-01&mechanism=x"
    )
    body = response.json()
    assert (response.status_code, sorted(body.get("errors", {}))) == (
        400,
        ["date_to", "mechanism"],
    )


@pytest.mark.parametrize("who", ["aigul", "outsider", "agency_admin", "system_admin"])
def test_case_workers_administrators_and_outsiders_are_refused(
    world: dict[str, Any], who: str
) -> None:
    actor = getattr(world["people"], who)
    page = _client(actor).get(reverse("statistics:performance")).status_code
    csv = _client(actor).get(reverse("statistics:performance_csv", args=["steps"])).status_code
    api = ApiClient(actor).get("/statistics/performance").status_code
    assert (page, csv, api) == (403, 403, 403)


def test_the_step_shows_in_the_chosen_version_only(world: dict[str, Any]) -> None:
    step_facts_refresh()
    almaty = Mechanism.objects.get(title="Almaty")
    release = build(world["coordinator"], mechanism=str(almaty.pk))
    assert [t for t, _label in release.territories] == ["test-almaty"]


def test_open_steps_of_a_new_stage_are_counted_after_the_next_refresh(
    world: dict[str, Any],
) -> None:
    step_facts_refresh()
    to_first_assistance(world["people"].aigul, world["almaty_cases"][0])
    step_facts_refresh()
    assert StepFact.objects.filter(step_code="shelter").count() == 1


def test_no_national_count_tells_of_fewer_than_k_steps(
    world: dict[str, Any], settings: Any
) -> None:
    settings.TIREK_STATISTICS_K = 4
    aigul, south = world["people"].aigul, world["south"]
    close(aigul, world["almaty_cases"][0], "police-informed", NOW + 30 * HOUR)  # 1 late
    for case in world["almaty_cases"][1:]:
        close(aigul, case, "police-informed", NOW + HOUR)  # 3 on time
    close(south, world["south_cases"][0], "police-informed", NOW + HOUR)
    step_facts_refresh()
    with time_machine.travel(NOW + 40 * HOUR, tick=False):
        release = build(world["coordinator"])
    row = police_row(release)
    released = [*row.counts, row.due] + [cell.due for r in release.comparison for cell in r.cells]
    assert [value for value in released if value is not None and 0 < value < 4] == []
