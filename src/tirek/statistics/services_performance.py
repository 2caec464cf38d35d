"""Releasing mechanism performance: each page, download or API answer is an audit event."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.statistics.selectors_performance import (
    TABLES,
    Duration,
    PerformanceFilters,
    PerformanceRelease,
    performance_build,
)
from tirek.statistics.services import release_record


def performance_release(
    *, actor: Actor, scope: str, filters: PerformanceFilters, channel: str, table: str = ""
) -> PerformanceRelease:
    """The performance tables for the actor, recorded as one audit event."""
    release = performance_build(actor=actor, scope=scope, filters=filters)
    release_record(
        actor=actor,
        what=f"performance:{table or 'all'}",
        data={
            "scope": release.scope,
            "channel": channel,
            "filters": release.filters.as_data(),
            "k": release.k,
            "rounding": release.rounding,
        },
    )
    return release


def _text(value: int | Duration | None) -> str:
    return "" if value is None else str(value)


def _percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def performance_csv(release: PerformanceRelease, table: str) -> str:
    """One performance table as CSV (withheld values and shares not shown are empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(TABLES[table])])
    if table == "steps":
        writer.writerow(
            [
                _("Stage"),
                _("Step"),
                _("Who acts"),
                _("On time"),
                _("Late"),
                _("Not done"),
                _("Open overdue now"),
                _("Steps due"),
                _("Share met"),
                _("Median time to completion"),
                _("90th percentile"),
                _("Deadline (median)"),
                _("Note"),
            ]
        )
        for stage, rows in release.stages:
            for row in rows:
                writer.writerow(
                    [
                        stage,
                        row.label,
                        row.agency_type,
                        *map(_text, row.counts),
                        _text(row.due),
                        _percent(row.met_share),
                        _text(row.median),
                        _text(row.p90),
                        _text(row.deadline),
                        " ".join(filter(None, [row.share_reason, row.wait_reason])),
                    ]
                )
    elif table == "waits":
        writer.writerow(
            [
                _("Rank"),
                _("Step"),
                _("Median time to completion"),
                _("90th percentile"),
                _("Deadline (median)"),
                _("Share not met"),
                _("Note"),
            ]
        )
        for rank, row in enumerate(release.ranked, start=1):
            writer.writerow(
                [
                    rank,
                    row.label,
                    _text(row.median),
                    _text(row.p90),
                    _text(row.deadline),
                    _percent(row.missed_share),
                    " ".join(filter(None, [row.wait_reason, row.share_reason])),
                ]
            )
    else:
        header = [_("Step"), _("Who acts")]
        for _code, label in release.territories:
            header += [
                f"{label}: {_('Steps due')}",
                f"{label}: {_('Share met')}",
                f"{label}: {_('Median time to completion')}",
            ]
        writer.writerow(header)
        for comparison in release.comparison:
            line = [comparison.label, comparison.agency_type]
            for cell in comparison.cells:
                line += [_text(cell.due), _percent(cell.met_share), _text(cell.median)]
            writer.writerow(line)
    return buffer.getvalue()
