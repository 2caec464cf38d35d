"""Differential privacy for a statistical release: pure functions over counts, noise by OpenDP.

A release may be protected by differential privacy instead of k-anonymity (docs/statistics.md).
The person releasing chooses ε, the privacy loss of the whole release; it is split evenly over
the tables released (sequential composition: the losses of the tables add up to at most ε).

Each table is a vector of counts (its inner cells, row by row). Two neighbouring data sets differ
by one person (added or removed). A person counts in one cell of most tables; in a table where
one person may count in several rows (means of control) they count in at most one cell of each
row, and at most in ``cells_per_person`` cells in all (a person has each means of control at
most once). Adding or removing that person moves each of those cells by exactly 1, so the
table's sensitivities are:

* L1 (the sum of the changes): ``cells_per_person``;
* L2 (the root of the sum of their squares): ``√cells_per_person``.

OpenDP builds the measurement for that vector and checks its privacy map at that sensitivity:

* ``laplace``: the discrete Laplace mechanism (pure ε-differential privacy), whose privacy map
  reads the L1 sensitivity;
* ``gaussian``: the discrete Gaussian mechanism (zero-concentrated DP, converted by OpenDP to
  (ε, δ)-differential privacy at the stated δ), whose privacy map reads the L2 sensitivity
  (ρ = L2² / 2σ²). Its noise therefore grows with √cells, not with the number of cells.

The noisy cells are then post-processed, which costs no privacy: negative counts become 0, and
every total is the sum of the released cells, so the table adds up (totals are *consistent*;
they are not the noisy image of the true totals). No cell is withheld and no rounding is applied.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import opendp.prelude as dp

from tirek.statistics.privacy import Table, extended_grid

LAPLACE = "laplace"
GAUSSIAN = "gaussian"
MECHANISMS = (LAPLACE, GAUSSIAN)
K_ANONYMITY = "k_anonymity"
DIFFERENTIAL = "differential"
DEFAULT_DELTA = 1e-7  # δ of the Gaussian mechanism, for the whole release
MIN_EPSILON = 0.01
MAX_EPSILON = 10.0

# The Laplace and Gaussian measurements on vectors are in OpenDP's "contrib" set (proven, but
# outside the core vetted by its own review); enabling it is what OpenDP asks its users to do.
dp.enable_features("contrib")


@dataclass(frozen=True)
class Query:
    """One table's counts before noise: rows, columns, counts, and one person's reach."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: Mapping[tuple[str, str], int]
    cells_per_person: int = 1  # cells one person may count in (one per row at most)

    @property
    def l1(self) -> int:
        return l1_sensitivity(self.cells_per_person)

    @property
    def l2(self) -> float:
        return l2_sensitivity(self.cells_per_person)


@dataclass(frozen=True)
class Budget:
    """The privacy loss of a release, as stated on it."""

    mechanism: str
    epsilon: float  # the whole release
    delta: float  # 0 for the Laplace mechanism
    per_table: dict[str, float]  # ε spent on each table (they add up to at most ``epsilon``)
    scales: dict[str, float]  # the noise scale of each table


def l1_sensitivity(cells_per_person: int) -> int:
    """How far one person moves a count vector in L1: 1 in each cell they count in."""
    if cells_per_person < 1:
        raise ValueError("a person counts in at least one cell")
    return cells_per_person


def l2_sensitivity(cells_per_person: int) -> float:
    """How far one person moves a count vector in L2: √(cells they count in), rounded up to the
    next float so that the bound given to the privacy map is never below the true one."""
    if cells_per_person < 1:
        raise ValueError("a person counts in at least one cell")
    root = math.sqrt(cells_per_person)
    return root if root * root >= cells_per_person else math.nextafter(root, math.inf)


def sensitivity_of(mechanism: str, cells_per_person: int) -> float:
    """The sensitivity the mechanism's privacy map reads: L1 for Laplace, L2 for Gaussian."""
    if mechanism == GAUSSIAN:
        return l2_sensitivity(cells_per_person)
    return l1_sensitivity(cells_per_person)


def split(epsilon: float, names: Sequence[str]) -> dict[str, float]:
    """ε split evenly over the tables (the sum never exceeds ``epsilon``)."""
    if not names:
        return {}
    share = epsilon / len(names)
    # Floating point: the shares, added up one by one, never exceed ε.
    while sum([share] * len(names)) > epsilon or math.fsum([share] * len(names)) > epsilon:
        share = share * (1 - 1e-12)
    return dict.fromkeys(names, share)


@functools.lru_cache(maxsize=256)
def measurement(
    *, mechanism: str, cells_per_person: int, epsilon: float, delta: float
) -> tuple[Any, float]:
    """The OpenDP measurement of a count vector in which one person counts in at most
    ``cells_per_person`` cells, whose privacy map at that person's sensitivity (L1 for Laplace,
    L2 for Gaussian) is at most ``epsilon`` (and ``delta`` for the Gaussian), with its noise
    scale; OpenDP's binary search finds the smallest scale that keeps the map within the bound
    (kept: the search is the slow part, the noise is drawn afresh at every call)."""
    if cells_per_person < 1:
        raise ValueError("a person counts in at least one cell")
    if not epsilon > 0:
        raise ValueError("epsilon must be positive")
    domain = dp.vector_domain(dp.atom_domain(T=int))
    if mechanism == LAPLACE:

        def laplace(scale: float) -> Any:
            return dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=scale)

        l1 = l1_sensitivity(cells_per_person)
        scale = dp.binary_search_param(laplace, d_in=l1, d_out=epsilon)
        return laplace(scale), float(scale)
    if mechanism == GAUSSIAN:
        if not 0 < delta < 1:
            raise ValueError("delta must lie between 0 and 1")

        def gaussian(scale: float) -> Any:
            # The distance is a float: an L2 sensitivity √c is not a whole number.
            zcdp = dp.m.make_gaussian(domain, dp.l2_distance(T=float), scale=scale)
            return dp.c.make_fix_delta(dp.c.make_zCDP_to_approxDP(zcdp), delta)

        l2 = l2_sensitivity(cells_per_person)
        scale = dp.binary_search_param(gaussian, d_in=l2, d_out=(epsilon, delta))
        return gaussian(scale), float(scale)
    raise ValueError(f"unknown mechanism {mechanism!r}")


def privacy_loss(meas: Any, mechanism: str, cells_per_person: int) -> float:
    """The ε a measurement spends on neighbours differing by one person who counts in
    ``cells_per_person`` cells (its privacy map at that person's L1 or L2 sensitivity)."""
    loss = meas.map(sensitivity_of(mechanism, cells_per_person))
    return float(loss[0] if isinstance(loss, tuple) else loss)


def post_process(noisy: Sequence[int]) -> list[int]:
    """Noisy counts as counts: whole numbers, never below 0 (post-processing costs no privacy)."""
    return [max(0, int(value)) for value in noisy]


def noisy_table(query: Query, meas: Any) -> Table:
    """One table with noise on every inner cell; totals are sums of the released cells."""
    flat = [query.counts.get((row, column), 0) for row in query.rows for column in query.columns]
    released = post_process(meas(flat)) if flat else []
    width = len(query.columns)
    cells = [released[i * width : (i + 1) * width] for i in range(len(query.rows))]
    grid = extended_grid(cells, width)
    height = len(query.rows)
    return Table(
        rows=query.rows,
        columns=query.columns,
        cells=tuple(tuple(grid[i][j] for j in range(width)) for i in range(height)),
        row_totals=tuple(grid[i][width] for i in range(height)),
        column_totals=tuple(grid[height][j] for j in range(width)),
        total=grid[height][width],
        protected=True,
        withheld=0,
    )


def release(
    queries: Mapping[str, Query], *, epsilon: float, mechanism: str, delta: float = DEFAULT_DELTA
) -> tuple[dict[str, Table], Budget]:
    """Every table with noise, ε split over them; the budget as it is stated on the release."""
    if mechanism not in MECHANISMS:
        raise ValueError(f"unknown mechanism {mechanism!r}")
    if not MIN_EPSILON <= epsilon <= MAX_EPSILON:
        raise ValueError("epsilon out of range")
    names = list(queries)
    shares = split(epsilon, names)
    table_delta = delta / len(names) if names and mechanism == GAUSSIAN else 0.0
    tables: dict[str, Table] = {}
    spent: dict[str, float] = {}
    scales: dict[str, float] = {}
    for name, query in queries.items():
        meas, scales[name] = measurement(
            mechanism=mechanism,
            cells_per_person=query.cells_per_person,
            epsilon=shares[name],
            delta=table_delta,
        )
        spent[name] = privacy_loss(meas, mechanism, query.cells_per_person)
        tables[name] = noisy_table(query, meas)
    budget = Budget(
        mechanism=mechanism,
        epsilon=epsilon,
        delta=delta if mechanism == GAUSSIAN else 0.0,
        per_table=spent,
        scales=scales,
    )
    return tables, budget
