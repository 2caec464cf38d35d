"""Line charts over time, drawn on the server as SVG geometry (pure: no database, no request).

A chart is a few series of released values by quarter. A withheld value (``None``) breaks its
line: nothing is drawn through it, so a chart never shows more than its table. The geometry is
in a fixed view box; the SVG scales to the width of the screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 320
HEIGHT = 180
LEFT = 34  # room for the value axis labels
RIGHT = 8
TOP = 10
BOTTOM = 24  # room for the period labels


@dataclass(frozen=True)
class Line:
    name: str
    css: str  # the CSS class giving its colour and dash
    segments: tuple[str, ...]  # SVG ``points`` of each unbroken run of values
    dots: tuple[tuple[float, float], ...]  # every value drawn (a lone value is a dot)


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    lines: tuple[Line, ...]
    ticks: tuple[tuple[float, str], ...]  # value axis: y, label
    periods: tuple[tuple[float, str], ...]  # period axis: x, label (at most about six shown)
    baseline: float


def nice_top(largest: int) -> int:
    """A round value axis maximum at or above ``largest`` (1, 2, 5 × a power of ten)."""
    if largest <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= largest:
                return step * factor
        step *= 10


def ticks_of(top: int) -> list[int]:
    """Evenly spaced whole values from 0 to ``top`` (five, three or two of them)."""
    parts = 4 if top % 4 == 0 else (2 if top % 2 == 0 else 1)
    return [top * share // parts for share in range(parts + 1)]


def line_chart(
    periods: Sequence[str], series: Sequence[tuple[str, str, Sequence[int | None]]]
) -> LineChart:
    """The geometry of a line chart of ``series`` (name, css class, values by period)."""
    values = [v for _name, _css, row in series for v in row if v is not None]
    top = nice_top(max(values, default=0))
    count = len(periods)
    inner_width = WIDTH - LEFT - RIGHT
    inner_height = HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return round(
            LEFT + (inner_width * index / (count - 1) if count > 1 else inner_width / 2), 1
        )

    def y(value: int) -> float:
        return round(TOP + inner_height * (1 - value / top), 1)

    lines = []
    for name, css, row in series:
        segments: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(row):
            if value is None:
                segments.append([])
                continue
            segments[-1].append((x(index), y(value)))
        runs = [run for run in segments if run]
        lines.append(
            Line(
                name=name,
                css=css,
                segments=tuple(
                    " ".join(f"{a},{b}" for a, b in run) for run in runs if len(run) > 1
                ),
                dots=tuple(point for run in runs for point in run),
            )
        )
    every = max(1, -(-count // 6))  # label at most about six periods
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        lines=tuple(lines),
        ticks=tuple((y(value), str(value)) for value in ticks_of(top)),
        periods=tuple(
            (x(index), label)
            for index, label in enumerate(periods)
            if index % every == 0 or index == count - 1
        ),
        baseline=y(0),
    )


def quarters_between(first: int, last: int) -> list[int]:
    """Every quarter from ``first`` to ``last`` (``year * 10 + quarter``), gaps filled."""
    result = []
    quarter = first
    while quarter <= last:
        result.append(quarter)
        quarter = quarter + 1 if quarter % 10 < 4 else (quarter // 10 + 1) * 10 + 1
    return result
