"""An attacker tries to single out one person by differencing released tables, and fails.

The target is the only man registered in territory X. The attacker holds the national tables,
may ask for any period and territory, knows the rules (k, the rounding base, the noise bound)
and tries (1) two periods that differ by one day, (2) the national table minus every other
territory, (3) a table's totals minus its visible cells. Each attack is first shown to work on
the unprotected counts, so that the test would fail if the protection were taken away.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import Sex
from tirek.cases.models import Case
from tirek.directory.models import Place
from tirek.statistics.facts import facts_rebuild
from tirek.statistics.privacy import suppression
from tirek.statistics.selectors import COLUMNS, Filters, records
from tirek.statistics.tests.test_privacy import recoverable
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build

MID_QUARTER = datetime.date(2026, 5, 15)  # the target's case; everyone else's is earlier


def member(username: str, agency: Agency, role: str) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


@pytest.fixture(autouse=True)
def small_k(settings):
    settings.TIREK_STATISTICS_K = 3  # fewer cases to build; the rules are the same for k = 11


@pytest.fixture
def attacked(people) -> dict[str, Any]:
    """Territory X (Almaty): 4 women and the target; territory Y: 4 women and 4 men."""
    region = Place.objects.create(
        kind=Place.Kind.REGION, code="test-region-y", name_en="Y", name_ru="Y", name_kk="Y"
    )
    ngo_y = Agency.objects.create(name="Test NGO Y", type=Agency.Type.NGO, place=region)
    worker_y = member("worker-y", ngo_y, Role.CASE_WORKER)
    others = [case_build(people.aigul, first_name=f"Testx{n}") for n in range(4)]
    others += [case_build(worker_y, first_name=f"Testy{n}") for n in range(4)]
    others += [case_build(worker_y, first_name=f"Testym{n}", sex=Sex.MALE) for n in range(4)]
    target = case_build(people.aigul, first_name="Testtarget", sex=Sex.MALE)
    Case.objects.filter(pk__in=[case.pk for case in others]).update(
        opened_on=MID_QUARTER - datetime.timedelta(days=20)
    )
    Case.objects.filter(pk=target.pk).update(opened_on=MID_QUARTER)
    facts_rebuild()
    commission = Agency.objects.create(
        name="Test Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    return {
        "api": ApiClient(member("attacker", commission, Role.COORDINATOR)),
        "x": people.almaty.code,
        "y": region.code,
    }


def _male_total(api: ApiClient, query: str) -> int | None:
    table = api.get(f"/statistics/tables/sex?scope=national&{query}").json()
    total: int | None = next(row["total"] for row in table["rows"] if row["key"] == Sex.MALE)
    return total


def _bounds(released: int) -> tuple[int, int]:
    """What the attacker knows of a true count from its released value and the public rules."""
    spread = settings.TIREK_STATISTICS_ROUNDING // 2 + settings.TIREK_STATISTICS_NOISE
    return released - spread, released + spread


def test_two_periods_a_day_apart_release_the_same_tables(attacked):
    # Unprotected: the counts up to the 15th minus the counts up to the 14th are the target.
    day_before = MID_QUARTER - datetime.timedelta(days=1)
    exact_men = [
        sum(1 for r in records(filters=Filters(date_to=day)).people if r.sex == Sex.MALE)
        for day in (MID_QUARTER, day_before)
    ]
    assert exact_men[0] - exact_men[1] == 1
    # Released: both periods are widened to the same quarter; the difference is nothing.
    api = attacked["api"]
    first = api.get(f"/statistics/tables?date_to={MID_QUARTER}").json()
    second = api.get(f"/statistics/tables?date_to={day_before}").json()
    assert first["tables"] == second["tables"]
    assert first["filters"]["date_to"] == second["filters"]["date_to"] == "2026-06-30"


def test_national_minus_every_other_territory_does_not_single_out(attacked):
    api = attacked["api"]
    assert _male_total(api, f"territory={attacked['x']}") is None  # withheld in X itself
    # Unprotected (k-suppression alone, no noise, no rounding), the difference is exact.
    settings.TIREK_STATISTICS_ROUNDING, settings.TIREK_STATISTICS_NOISE = 1, 0
    national, other = _male_total(api, ""), _male_total(api, f"territory={attacked['y']}")
    assert national is not None and other is not None
    assert national - other == 1  # the attack works without noise and rounding
    settings.TIREK_STATISTICS_ROUNDING, settings.TIREK_STATISTICS_NOISE = 5, 2
    national, other = _male_total(api, ""), _male_total(api, f"territory={attacked['y']}")
    assert national is not None and other is not None
    low_n, high_n = _bounds(national)
    low_o, high_o = _bounds(other)
    # The attacker's candidates for the men of X, beyond the "at least one" that × tells.
    candidates = set(range(max(1, low_n - high_o), high_n - low_o + 1))
    assert 1 in candidates
    assert len(candidates) >= 3  # one man, or two, or more: nobody is singled out


def test_totals_minus_visible_cells_recover_nothing(attacked):
    api = attacked["api"]
    table = api.get(f"/statistics/tables/sex?scope=national&territory={attacked['x']}").json()
    released = [[*row["cells"], row["total"]] for row in table["rows"]]
    released.append([*table["column_totals"], table["total"]])
    withheld = {
        (i, j) for i, row in enumerate(released) for j, value in enumerate(row) if value is None
    }
    assert withheld  # the target's cell is withheld ...
    exact = [[0] * len(COLUMNS) for _ in table["rows"]]
    keys = [row["key"] for row in table["rows"]]
    for person in records(filters=Filters(territory=attacked["x"])).people:
        exact[keys.index(person.sex)][COLUMNS.index(person.column)] += 1
    assert suppression(exact, settings.TIREK_STATISTICS_K) == withheld
    # ... and no withheld value follows from the released ones, even were they exact.
    assert recoverable(exact, withheld) == set()
