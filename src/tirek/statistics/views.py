"""The statistics dashboard (bars with their tables) and each table's CSV download."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.views import FORM_INVALID
from tirek.referrals.models import Referral
from tirek.statistics import activity
from tirek.statistics.charts import line_chart, quarters_between
from tirek.statistics.differential import DIFFERENTIAL
from tirek.statistics.forms import StatisticsFilterForm
from tirek.statistics.selectors import (
    DP_RELEASERS,
    DP_TABLES,
    IDENTIFIED,
    MULTIPLE,
    PRESUMED,
    TABLES,
    Filters,
    Release,
    column_labels,
    row_heading,
    statistics_scope,
)
from tirek.statistics.services import (
    ASSISTANCE_TIME,
    medians_csv,
    statistics_release,
    table_csv,
)
from tirek.statistics.tilemap import TileMap, tile_map


def _medians(release: Release) -> list[dict[str, Any]]:
    """The median days to assistance with a bar each (widths in percent of the longest)."""
    longest = max([row.median or 0 for row in release.medians] or [0]) or 1
    return [
        {
            "label": row.label,
            "people_text": _text(row.people),
            "median_text": "×"
            if row.people is None
            else ("–" if row.median is None else row.median),
            "width": round(100 * (row.median or 0) / longest),
        }
        for row in release.medians
    ]


# The tables drawn as lines over time: name -> the columns drawn (TOTAL: the row totals).
TOTAL = "total"
LINES = {
    "quarter": (PRESUMED, IDENTIFIED),
    "referral_quarter": (
        TOTAL,
        Referral.Status.ACCEPTED,
        activity.OVERDUE,
        Referral.Status.DECLINED,
    ),
}


def _line(release: Release, name: str) -> dict[str, Any] | None:
    """A quarterly table as a line chart: every quarter from the first to the last counted."""
    table = release.tables[name]
    counted = {int(key[:4]) * 10 + int(key[-1]): i for i, key in enumerate(table.rows)}
    if not counted:
        return None
    quarters = quarters_between(min(counted), max(counted))
    labels = column_labels(name) | {TOTAL: str(_("Referrals sent"))}
    series = []
    for number, column in enumerate(LINES[name]):
        values: list[int | None] = []
        for quarter in quarters:
            row = counted.get(quarter)
            if row is None:
                values.append(0)
            elif column == TOTAL:
                values.append(table.row_totals[row])
            else:
                values.append(table.cells[row][table.columns.index(column)])
        series.append((labels[column], f"stat-line-{number}", values))
    periods = [f"{q // 10}/{q % 10}" for q in quarters]
    return {"chart": line_chart(periods, series), "legend": [(n, c) for n, c, _v in series]}


def _map(release: Release) -> TileMap:
    """The territory table's released row totals on the tile grid of Kazakhstan's regions."""
    table = release.tables["territory"]
    values = dict(zip(table.rows, table.row_totals, strict=True))
    return tile_map(values, release.labels["territory"], selected=release.filters.territory)


def _text(value: int | None) -> str:
    """A released value as shown: the number, or × where withheld (formatted once, here)."""
    return "×" if value is None else str(value)


def _charts(release: Release) -> list[dict[str, Any]]:
    """Each table with its rows ready to draw: label, values, and bar widths in percent."""
    charts = []
    for name, table in release.tables.items():
        columns = column_labels(name)
        largest = max([v for row in table.cells for v in row if v] or [1])
        rows = []
        for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
            rows.append(
                {
                    "label": release.labels[name][key],
                    "cells": [
                        {
                            "series": columns[column],
                            "value": value,
                            "text": _text(value),
                            "width": round(100 * (value or 0) / largest),
                        }
                        for column, value in zip(table.columns, cells, strict=True)
                    ],
                    "total": total,
                    "total_text": _text(total),
                }
            )
        shown = [row for row in rows if row["total"] != 0]
        charts.append(
            {
                "name": name,
                "shown": shown,
                "hidden": len(rows) - len(shown),
                "title": TABLES[name],
                "heading": row_heading(name),
                "columns": [columns[c] for c in table.columns],
                "rows": rows,
                "column_totals": table.column_totals,
                "column_totals_text": [_text(value) for value in table.column_totals],
                "total": table.total,
                "total_text": _text(table.total),
                "withheld": table.withheld,
                "multiple": name in MULTIPLE,
                "line": _line(release, name) if name in LINES else None,
                "map": _map(release) if name == "territory" else None,
            }
        )
    return charts


def _release(
    request: HttpRequest, actor: Actor, channel: str, table: str = ""
) -> tuple[StatisticsFilterForm, Release] | HttpResponse:
    """The release the page's filters ask for, or the page with the filters' errors."""
    statistics_scope(actor, "")
    form = StatisticsFilterForm(request.GET or None, differential=actor.role in DP_RELEASERS)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "charts": [], "release": None}
        return render(request, "statistics/dashboard.html", context, status=FORM_INVALID)
    scope = form.chosen_scope() if form.is_bound else ""
    filters = form.to_filter() if form.is_bound else Filters()
    try:
        release = statistics_release(
            actor=actor,
            scope=scope,
            filters=filters,
            channel=channel,
            table=table,
            protection=form.protection() if form.is_bound else None,
        )
    except ValidationError as error:  # the year's privacy budget would be overspent
        form.add_error(None, error)
        context = {"form": form, "charts": [], "release": None}
        return render(request, "statistics/dashboard.html", context, status=FORM_INVALID)
    return form, release


@require_safe
@actor_view()
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Presumed and identified victims by period, territory, sex, age, citizenship, form, stage."""
    answer = _release(request, actor, "page")
    if isinstance(answer, HttpResponse):
        return answer
    form, release = answer
    context = {
        "form": form,
        "release": release,
        "charts": _charts(release),
        "medians": _medians(release),
        "query": request.GET.urlencode(),
    }
    return render(request, "statistics/dashboard.html", context)


@require_safe
@actor_view()
def table_download(request: HttpRequest, actor: Actor, table: str) -> HttpResponse:
    """One table as CSV, with the filters of the page; the download is recorded."""
    differential = request.GET.get("privacy") == DIFFERENTIAL
    if (table not in TABLES and table != ASSISTANCE_TIME) or (
        differential and table not in DP_TABLES  # not in a differentially private release
    ):
        statistics_scope(actor, "")
        raise Http404
    answer = _release(request, actor, "csv", table)
    if isinstance(answer, HttpResponse):
        return answer
    _form, release = answer
    body = medians_csv(release) if table == ASSISTANCE_TIME else table_csv(release, table)
    privacy = f"-dp-epsilon{release.budget.epsilon:g}" if release.budget else ""
    return csv_download(body, f"tirek-statistics-{release.scope}{privacy}-{table}")


def csv_download(text: str, name: str) -> HttpResponse:
    """A released table as a CSV attachment named ``name`` and the time; never cached."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
