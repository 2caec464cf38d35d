"""The privacy rules of every statistical release: pure functions, no database.

A table is counted exactly, then protected before anyone sees it (docs/statistics.md):

1. *Primary suppression*: every cell, row total, column total or grand total counting between 1
   and ``k - 1`` is withheld (k-anonymity; ``k`` defaults to 11, as CTDC uses).
2. *Complementary suppression*: a withheld value must not follow from the released ones. The table
   with its totals is a bipartite graph (rows and columns, the totals being one more row and
   column); each withheld value is an edge. A withheld value can be computed from the released
   ones exactly when its edge is a bridge of the withheld graph, so every bridge is closed into a
   cycle by withholding the cheapest path of further values (small, non-zero, inner cells first).
3. *Stable noise* (the cell-key method of statistical offices): every person counted carries a
   random key; a value's *cell key* is the sum of the keys of the people it counts, and a small
   noise (``-noise .. +noise``, most often 0) looked up from the cell key is added. The same
   people always give the same noise, so asking again averages nothing out, and two releases
   that differ by one person differ by noise as well as by that person.
4. *Rounding*: each released value is rounded to the nearest multiple of ``base`` (5).

Zero cells are released as 0: they single out no one.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Position = tuple[int, int]

ZERO_COST = 10**6  # a withheld zero protects little: the attacker may learn it is zero
TOTAL_COST = 10**3  # inner cells first, then line totals
GRAND_COST = 10**9  # the grand total last


@dataclass(frozen=True)
class Table:
    """A released table: values are ``None`` where withheld."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None
    protected: bool
    withheld: int = 0


def round_to(value: int, base: int) -> int:
    """``value`` rounded to the nearest multiple of ``base`` (halves up)."""
    if base <= 1:
        return value
    return ((value + base // 2) // base) * base


def noise_table(noise: int) -> tuple[int, ...]:
    """The noises a cell key chooses from: ``-noise .. noise``, triangular (0 the likeliest)."""
    return tuple(d for d in range(-noise, noise + 1) for _ in range(noise + 1 - abs(d)))


def perturb(value: int, cell_key: int, noise: int) -> int:
    """``value`` with the noise its cell key chooses; never below 0, a 0 stays 0."""
    if value == 0 or noise <= 0:
        return value
    table = noise_table(noise)
    return max(0, value + table[cell_key % len(table)])


def extended_grid(cells: Sequence[Sequence[int]], columns: int = 0) -> list[list[int]]:
    """The cells with a total column and a total row appended (the last row and column).

    ``columns`` gives the width of a table without rows.
    """
    grid = [[*row, sum(row)] for row in cells]
    width = len(grid[0]) if grid else columns + 1
    grid.append([sum(row[j] for row in grid) for j in range(width)])
    return grid


def _connected(edges: set[Position], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in edges:
        adjacent.setdefault(("r", i), []).append(("c", j))
        adjacent.setdefault(("c", j), []).append(("r", i))
    seen = {start}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for other in adjacent.get(node, []):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return False


def bridges(withheld: set[Position]) -> list[Position]:
    """The withheld positions whose value follows from the released ones (sorted)."""
    return sorted(
        (i, j) for i, j in withheld if not _connected(withheld - {(i, j)}, ("r", i), ("c", j))
    )


def _cost(grid: list[list[int]], i: int, j: int) -> int:
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    value = grid[i][j]
    if i == last_row and j == last_column:
        return GRAND_COST + value
    cost = value if value > 0 else ZERO_COST
    if i == last_row or j == last_column:
        cost += TOTAL_COST
    return cost


def _cheapest_cycle(
    grid: list[list[int]], withheld: set[Position], edge: Position
) -> list[Position]:
    """The positions to withhold so that ``edge`` lies on a cycle of withheld positions."""
    rows, columns = len(grid), len(grid[0])
    start, goal = ("c", edge[1]), ("r", edge[0])
    best: dict[tuple[str, int], int] = {start: 0}
    previous: dict[tuple[str, int], tuple[tuple[str, int], Position]] = {}
    queue: list[tuple[int, tuple[str, int]]] = [(0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best.get(node, cost):
            continue
        kind, index = node
        if kind == "c":
            steps = [(("r", i), (i, index)) for i in range(rows)]
        else:
            steps = [(("c", j), (index, j)) for j in range(columns)]
        for other, position in steps:
            if position == edge:
                continue
            step = 0 if position in withheld else _cost(grid, *position)
            if cost + step < best.get(other, cost + step + 1):
                best[other] = cost + step
                previous[other] = (node, position)
                heapq.heappush(queue, (cost + step, other))
    path = []
    node = goal
    while node != start:
        node, position = previous[node]
        path.append(position)
    return path


def suppression(cells: Sequence[Sequence[int]], k: int) -> set[Position]:
    """The positions of the extended grid to withhold (primary and complementary)."""
    grid = extended_grid(cells)
    rows, columns = len(grid), len(grid[0])
    everything = {(i, j) for i in range(rows) for j in range(columns)}
    if 0 < grid[-1][-1] < k:
        return everything
    withheld = {(i, j) for i, j in everything if 0 < grid[i][j] < k}
    while open_edges := bridges(withheld):
        withheld |= set(_cheapest_cycle(grid, withheld, open_edges[0]))
    return withheld


def protect(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Mapping[tuple[str, str], int],
    *,
    k: int,
    base: int,
    keys: Mapping[tuple[str, str], int] | None = None,
    noise: int = 0,
) -> Table:
    """The table of ``counts`` (by row and column key) with suppression, noise and rounding.

    ``keys`` holds the cell key of each cell (the sum of its people's keys); the key of a total
    is the sum of its cells' keys. Without keys no noise is added.
    """
    cells = [[counts.get((row, column), 0) for column in columns] for row in rows]
    grid = extended_grid(cells, len(columns))
    key_grid = extended_grid(
        [[(keys or {}).get((row, column), 0) for column in columns] for row in rows],
        len(columns),
    )
    withheld = suppression(cells, k) if rows and columns else set()
    amount = noise if keys is not None else 0

    def released(i: int, j: int) -> int | None:
        if (i, j) in withheld:
            return None
        return round_to(perturb(grid[i][j], key_grid[i][j], amount), base)

    return _table(rows, columns, grid, released, protected=True, withheld=len(withheld))


def exact(
    rows: Sequence[str], columns: Sequence[str], counts: Mapping[tuple[str, str], int]
) -> Table:
    """The table of ``counts`` as counted (an agency's own work, which it may read in detail)."""
    cells = [[counts.get((row, column), 0) for column in columns] for row in rows]
    grid = extended_grid(cells, len(columns))
    return _table(rows, columns, grid, lambda i, j: grid[i][j], protected=False, withheld=0)


def _table(
    rows: Sequence[str],
    columns: Sequence[str],
    grid: list[list[int]],
    released: Callable[[int, int], int | None],
    *,
    protected: bool,
    withheld: int,
) -> Table:
    width = len(columns)
    height = len(rows)
    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(tuple(released(i, j) for j in range(width)) for i in range(height)),
        row_totals=tuple(released(i, width) for i in range(height)),
        column_totals=tuple(released(height, j) for j in range(width)),
        total=released(height, width),
        protected=protected,
        withheld=withheld,
    )


def median_of(histogram: Mapping[int, int]) -> float | None:
    """The median of the values counted in ``histogram`` (value -> how many people); None if
    nobody. The mean of the two middle values when the count is even."""
    total = sum(n for n in histogram.values() if n > 0)
    if total == 0:
        return None
    middle = ((total - 1) // 2, total // 2)  # the 0-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value in sorted(v for v, n in histogram.items() if n > 0):
        count = histogram[value]
        found += [value for position in middle if seen <= position < seen + count]
        seen += count
    return (found[0] + found[1]) / 2


@dataclass(frozen=True)
class Median:
    """A released median: the people it is computed from and the median (whole days), each
    ``None`` where withheld."""

    people: int | None
    median: int | None


def released_median(histogram: Mapping[int, int], *, k: int, base: int, protected: bool) -> Median:
    """The median of a group, released only when the group counts at least ``k`` people
    (``protected``: a national release); the group's size is then rounded to ``base``. A
    median is a value of one of the middle people: below ``k`` it would describe too few."""
    people = sum(n for n in histogram.values() if n > 0)
    median = median_of(histogram)
    whole = None if median is None else int(median + 0.5)  # halves up, as the rounding
    if not protected:
        return Median(people=people, median=whole)
    if 0 < people < k:
        return Median(people=None, median=None)
    return Median(people=round_to(people, base), median=whole)
