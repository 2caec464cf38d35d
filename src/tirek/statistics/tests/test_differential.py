"""Differential privacy of a release: ε accounting, the privacy map, noise, post-processing.

OpenDP draws its noise from a secure source that no seed fixes, so the tests assert properties
that hold for every draw, and that noise is present over many draws.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.choices import COUNTRY_CHOICES, MethodOfControl
from tirek.core.models import AuditEvent
from tirek.statistics import differential
from tirek.statistics.differential import GAUSSIAN, LAPLACE, Query
from tirek.statistics.selectors import UNKNOWN, Filters, cells_per_person, dp_rows
from tirek.statistics.services import RELEASED
from tirek.statistics.tests.test_dashboard import _client, _sex_table, member, small_k, world
from tirek.testing.api import ApiClient

__all__ = ["small_k", "world"]  # the dashboard tests' fixtures, used here too

counts = st.dictionaries(
    st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["p", "i"])),
    st.integers(0, 500),
)


def _query(cells: dict[tuple[str, str], int], cells_per_person: int = 1) -> Query:
    return Query(
        rows=("a", "b", "c"), columns=("p", "i"), counts=cells, cells_per_person=cells_per_person
    )


@settings(max_examples=12, deadline=None)
@given(
    epsilon=st.floats(0.01, 10.0),
    tables=st.integers(1, 12),
    mechanism=st.sampled_from([LAPLACE, GAUSSIAN]),
)
def test_the_tables_never_spend_more_than_the_release_states(epsilon, tables, mechanism):
    queries = {f"t{n}": _query({}, cells_per_person=1 + n % 3) for n in range(tables)}
    _tables, budget = differential.release(queries, epsilon=epsilon, mechanism=mechanism)
    assert budget.epsilon == epsilon
    assert sum(budget.per_table.values()) <= epsilon
    assert set(budget.per_table) == set(queries)
    assert budget.delta == (differential.DEFAULT_DELTA if mechanism == GAUSSIAN else 0.0)


@settings(max_examples=12, deadline=None)
@given(
    epsilon=st.floats(0.01, 5.0),
    cells=st.integers(1, 20),
    mechanism=st.sampled_from([LAPLACE, GAUSSIAN]),
)
def test_the_privacy_map_of_each_measurement_is_within_its_share(epsilon, cells, mechanism):
    meas, scale = differential.measurement(
        mechanism=mechanism, cells_per_person=cells, epsilon=epsilon, delta=1e-8
    )
    assert scale > 0
    assert differential.privacy_loss(meas, mechanism, cells) <= epsilon
    if mechanism == GAUSSIAN:
        assert meas.map(differential.l2_sensitivity(cells))[1] <= 1e-8
    # A person reaching more cells than the table claims would cost more than the share.
    assert differential.privacy_loss(meas, mechanism, cells + 1) > epsilon


# One person's means of control: any set of the means, or none (then "unknown").
means = st.lists(st.sampled_from(list(MethodOfControl.values)), unique=True)


def _vector(people: list[list[str]], rows: list[str]) -> list[int]:
    """The means-of-control column as counted: one per person per means, "unknown" if none."""
    return [sum(1 for held in people if row in (held or [UNKNOWN])) for row in rows]


@settings(max_examples=60, deadline=None)
@given(others=st.lists(means, max_size=30), target=means)
def test_one_person_moves_the_means_of_control_table_within_its_l1_and_l2_sensitivity(
    others, target
):
    """Property: adding any one person (with any set of means) to any data set moves the table
    by at most its L1 sensitivity (cells per person) and its L2 sensitivity (√ of that)."""
    rows = dp_rows("means_of_control", Filters())
    cells = cells_per_person("means_of_control")
    without, with_target = _vector(others, rows), _vector([*others, target], rows)
    changes = [b - a for a, b in zip(without, with_target, strict=True)]
    assert all(change in (0, 1) for change in changes)
    assert sum(changes) <= differential.l1_sensitivity(cells)
    assert math.sqrt(sum(c * c for c in changes)) <= differential.l2_sensitivity(cells)


def test_a_person_with_every_means_of_control_reaches_the_bound():
    """The bound is tight: a person held by every means touches every means' cell."""
    rows = dp_rows("means_of_control", Filters())
    cells = cells_per_person("means_of_control")
    changes = _vector([list(MethodOfControl.values)], rows)
    assert sum(changes) == differential.l1_sensitivity(cells) == len(MethodOfControl.values)
    assert math.sqrt(sum(changes)) <= differential.l2_sensitivity(cells) < math.sqrt(cells) + 1e-9


@settings(max_examples=20, deadline=None)
@given(cells=st.integers(2, 30), epsilon=st.floats(0.05, 5.0))
def test_gaussian_noise_grows_with_the_root_of_the_cells_per_person(cells, epsilon):
    """The Gaussian scale for c cells is √c times the scale for one cell (its map reads L2);
    the Laplace scale is c times (its map reads L1)."""
    _m, scale_one = differential.measurement(
        mechanism=GAUSSIAN, cells_per_person=1, epsilon=epsilon, delta=1e-8
    )
    _m, scale_c = differential.measurement(
        mechanism=GAUSSIAN, cells_per_person=cells, epsilon=epsilon, delta=1e-8
    )
    assert scale_c / scale_one == pytest.approx(math.sqrt(cells), rel=1e-2)
    _m, laplace_one = differential.measurement(
        mechanism=LAPLACE, cells_per_person=1, epsilon=epsilon, delta=0
    )
    _m, laplace_c = differential.measurement(
        mechanism=LAPLACE, cells_per_person=cells, epsilon=epsilon, delta=0
    )
    assert laplace_c / laplace_one == pytest.approx(cells, rel=1e-2)


@settings(max_examples=25, deadline=None)
@given(cells=counts, mechanism=st.sampled_from([LAPLACE, GAUSSIAN]))
def test_released_counts_are_non_negative_whole_numbers_and_totals_add_up(cells, mechanism):
    tables, _budget = differential.release({"t": _query(cells)}, epsilon=1.0, mechanism=mechanism)
    table = tables["t"]
    rows = [[v or 0 for v in row] for row in table.cells]
    assert all(isinstance(v, int) and v >= 0 for row in table.cells for v in row)
    assert list(table.row_totals) == [sum(row) for row in rows]
    assert list(table.column_totals) == [sum(col) for col in zip(*rows, strict=True)]
    assert table.total == sum(map(sum, rows))
    assert table.withheld == 0 and table.protected


def test_noise_is_present():
    """Over 200 draws of a count of 50, the releases are not all 50 and vary (ε = 0.5)."""
    query = _query({("a", "p"): 50})
    seen = [
        differential.release({"t": query}, epsilon=0.5, mechanism=LAPLACE)[0]["t"].cells[0][0] or 0
        for _ in range(200)
    ]
    assert len(set(seen)) > 5
    assert seen.count(50) < 100
    # ... and the noise is centred: the mean stays near the truth (scale 2: sd ≈ 2.8).
    assert abs(sum(seen) / len(seen) - 50) < 3


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        differential.release({"t": _query({})}, epsilon=0, mechanism=LAPLACE)
    with pytest.raises(ValueError):
        differential.release({"t": _query({})}, epsilon=1, mechanism="uniform")
    with pytest.raises(ValueError):
        differential.measurement(mechanism=LAPLACE, cells_per_person=0, epsilon=1, delta=0)


# --- the release through the API and the page ---------------------------------------------------


def _dp(api: ApiClient, query: str = "") -> Any:
    return api.get(f"/statistics/tables?privacy=differential&epsilon=0.5{query}")


def test_coordinator_makes_a_dp_release_stated_and_recorded(world):
    response = _dp(ApiClient(world["coordinator"]))
    assert response.status_code == 200
    body = response.json()
    assert (body["privacy"], body["mechanism"], body["epsilon"]) == ("differential", LAPLACE, 0.5)
    assert body["k"] is None and body["uncertain_duplicates"] is None
    assert body["totals_consistent"] is True
    assert sum(body["epsilon_by_table"].values()) <= 0.5
    sex = _sex_table(body)
    assert sex["epsilon"] == body["epsilon_by_table"]["sex"]
    # Every possible value is a row (none appears only because someone has it).
    assert {row["key"] for row in sex["rows"]} >= {"F", "M"}
    citizenship = next(t for t in body["tables"] if t["name"] == "citizenship")
    assert len(citizenship["rows"]) == len(COUNTRY_CHOICES) + 1  # and "unknown"
    event = AuditEvent.objects.get(action=RELEASED)
    assert event.actor_user_id == world["coordinator"].user.pk
    assert (event.data["privacy"], event.data["mechanism"], event.data["epsilon"]) == (
        "differential",
        LAPLACE,
        0.5,
    )


def test_gaussian_release_states_delta(world):
    body = _dp(ApiClient(world["coordinator"]), "&noise=gaussian").json()
    assert (body["mechanism"], body["delta"]) == (GAUSSIAN, differential.DEFAULT_DELTA)


@pytest.mark.parametrize("persona", ["aigul", "agency_admin", "system_admin", "outsider"])
def test_only_coordinators_spend_the_privacy_budget(world, persona):
    actor = getattr(world["people"], persona)
    assert _dp(ApiClient(actor)).status_code == 403
    assert _dp(ApiClient(world["centre_chief"])).status_code == 403
    assert not AuditEvent.objects.filter(action=RELEASED).exists()


def test_the_years_budget_is_not_overspent(world, settings):
    settings.TIREK_DP_BUDGET = 1
    api = ApiClient(world["coordinator"])
    assert _dp(api).status_code == 200
    assert _dp(api).status_code == 200  # 0.5 + 0.5 = the whole budget
    refused = _dp(api)
    assert refused.status_code in (400, 422)
    assert "budget" in refused.content.decode()
    assert AuditEvent.objects.filter(action=RELEASED).count() == 2


def test_dp_applies_to_the_national_release_only(world):
    response = _dp(ApiClient(world["coordinator"]), "&scope=agency")
    assert response.status_code in (400, 422)
    assert "national" in response.content.decode()
    assert ApiClient(world["coordinator"]).get(
        "/statistics/tables?privacy=differential&epsilon=0"
    ).status_code in (400, 422)


def test_dashboard_states_epsilon_and_offers_dp_to_coordinators_only(world, people):
    url = reverse("statistics:dashboard")
    page = _client(world["coordinator"]).get(url + "?privacy=differential&epsilon=0.5")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ε = 0.5" in text and "OpenDP" in text
    assert "privacy" not in _client(world["centre_chief"]).get(url).context["form"].fields
    commission = Agency.objects.get(name="Test Coordinating Commission")
    other = member("stat-coordinator-2", commission, Role.COORDINATOR)
    bad = _client(other).get(url + "?privacy=differential&epsilon=50&scope=agency")
    assert bad.status_code == 422
    errors = bad.context["form"].errors
    assert "epsilon" in errors and "privacy" in errors  # every error at once


def test_tables_without_a_bounded_sensitivity_are_not_released_with_dp(world):
    api = ApiClient(world["coordinator"])
    names = {table["name"] for table in _dp(api).json()["tables"]}
    assert "sex" in names and "referral_service" not in names
    refused = api.get("/statistics/tables/referral_service?privacy=differential&epsilon=0.5")
    assert refused.status_code in (400, 422)
    url = reverse("statistics:table_csv", args=["referral_service"]) + "?privacy=differential"
    assert _client(world["coordinator"]).get(url).status_code == 404
    assert AuditEvent.objects.filter(action=RELEASED).count() == 1  # the first release only
