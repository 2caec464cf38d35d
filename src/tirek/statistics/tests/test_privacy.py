"""The privacy rules as properties: no released value below k, no withheld value recoverable."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tirek.statistics.privacy import extended_grid, protect, round_to, suppression

K = 11

tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.lists(
        st.lists(st.one_of(st.integers(0, 12), st.integers(0, 200)), min_size=rows, max_size=rows),
        min_size=1,
        max_size=5,
    )
)


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def recoverable(cells: list[list[int]], withheld: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The withheld positions an attacker computes exactly from the released values.

    Unknowns are the withheld values; each row and column of the extended grid gives one linear
    equation (cells minus total = 0). A value is determined iff its unit vector lies in the span
    of the equations restricted to the unknowns.
    """
    grid = extended_grid(cells)
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    unknowns = sorted(withheld)
    index = {position: n for n, position in enumerate(unknowns)}
    equations = []
    for i in range(len(grid)):
        equation = [Fraction(0)] * len(unknowns)
        for j in range(len(grid[0])):
            if (i, j) in index:
                equation[index[(i, j)]] = Fraction(-1 if j == last_column else 1)
        equations.append(equation)
    for j in range(len(grid[0])):
        equation = [Fraction(0)] * len(unknowns)
        for i in range(len(grid)):
            if (i, j) in index:
                equation[index[(i, j)]] = Fraction(-1 if i == last_row else 1)
        equations.append(equation)
    base = _rank(equations)
    found = set()
    for position, n in index.items():
        unit = [Fraction(1 if m == n else 0) for m in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.add(position)
    return found


def _counts(cells: list[list[int]]) -> tuple[list[str], list[str], dict[tuple[str, str], int]]:
    rows = [f"r{i}" for i in range(len(cells))]
    columns = [f"c{j}" for j in range(len(cells[0]))]
    counts = {(rows[i], columns[j]): v for i, row in enumerate(cells) for j, v in enumerate(row)}
    return rows, columns, counts


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_released_value_counts_fewer_than_k(cells: list[list[int]]) -> None:
    withheld = suppression(cells, K)
    grid = extended_grid(cells)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            if (i, j) not in withheld:
                assert value == 0 or value >= K


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_withheld_value_follows_from_the_released_ones(cells: list[list[int]]) -> None:
    withheld = suppression(cells, K)
    assert recoverable(cells, withheld) == set()


@settings(max_examples=200, deadline=None)
@given(tables)
def test_released_table_matches_the_pattern_and_is_rounded(cells: list[list[int]]) -> None:
    rows, columns, counts = _counts(cells)
    table = protect(rows, columns, counts, k=K, base=5)
    withheld = suppression(cells, K)
    grid = extended_grid(cells)
    for i in range(len(rows)):
        for j in range(len(columns)):
            value = table.cells[i][j]
            assert (value is None) == ((i, j) in withheld)
            if value is not None:
                assert value % 5 == 0 and abs(value - grid[i][j]) <= 2
    assert table.withheld == len(withheld)


def test_totals_minus_visible_cells_does_not_single_out_a_person() -> None:
    # One woman from Uzbekistan among many Kazakh citizens: the classic differencing attack.
    cells = [[40, 1], [35, 20], [18, 13]]
    rows, columns, counts = _counts(cells)
    table = protect(rows, columns, counts, k=K, base=5)
    assert table.cells[0][1] is None
    assert recoverable(cells, suppression(cells, K)) == set()
    # The row total and the visible cell no longer give the withheld one.
    row_total, visible = table.row_totals[0], table.cells[0][0]
    assert row_total is None or visible is None


def test_a_table_with_fewer_than_k_people_releases_nothing() -> None:
    rows, columns, counts = _counts([[3, 2], [1, 0]])
    table = protect(rows, columns, counts, k=K, base=5)
    assert table.total is None
    assert all(value is None for row in table.cells for value in row if value != 0)


def test_rounding_to_base_five() -> None:
    assert [round_to(v, 5) for v in (0, 2, 3, 11, 12, 13, 100)] == [0, 0, 5, 10, 10, 15, 100]


def test_an_empty_selection_is_an_empty_table() -> None:
    table = protect([], ["presumed", "identified"], {}, k=K, base=5)
    assert (table.cells, table.column_totals, table.total) == ((), (0, 0), 0)
