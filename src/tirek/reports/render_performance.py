"""The report's section on mechanism performance, from the statistics app's performance release
(protected as the page: ``statistics.selectors_performance``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tirek.reports.render import WITHHELD, TableBlock
from tirek.statistics.selectors_performance import TABLES, Duration, PerformanceRelease

NOT_SHOWN = "—"


def _value(value: int | Duration | None, *, missing: str = WITHHELD) -> str:
    return missing if value is None else str(value)


def _percent(value: int | None) -> str:
    return NOT_SHOWN if value is None else f"{value}%"


def performance_blocks(release: PerformanceRelease) -> list[TableBlock]:
    """Deadlines met per step (stage by stage), and the steps where cases wait longest."""
    steps = TableBlock(
        name="performance_steps",
        title=str(TABLES["steps"]),
        columns=[
            _("Steps due"),
            _("On time"),
            _("Late"),
            _("Not done"),
            _("Open overdue now"),
            _("Share met"),
            _("Median time to completion"),
            _("Deadline (median)"),
        ],
        rows=[
            (
                f"{stage}: {row.label}",
                [
                    _value(row.due),
                    *(_value(v) for v in row.counts),
                    _percent(row.met_share),
                    _value(row.median, missing=NOT_SHOWN),
                    _value(row.deadline, missing=NOT_SHOWN),
                ],
                "",
            )
            for stage, rows in release.stages
            for row in rows
        ],
        totals=[],
        total="",
        withheld=release.withheld,
    )
    waits = TableBlock(
        name="performance_waits",
        title=str(TABLES["waits"]),
        columns=[
            _("Median time to completion"),
            _("90th percentile"),
            _("Deadline (median)"),
            _("Share not met"),
        ],
        rows=[
            (
                row.label,
                [
                    _value(row.median, missing=NOT_SHOWN),
                    _value(row.p90, missing=NOT_SHOWN),
                    _value(row.deadline, missing=NOT_SHOWN),
                    _percent(row.missed_share),
                ],
                "",
            )
            for row in release.ranked[:10]
        ],
        totals=[],
        total="",
        withheld=0,
    )
    return [steps, waits] if steps.rows else []
