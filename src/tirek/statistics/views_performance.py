"""Mechanism performance: deadlines met per stage and step, where cases wait, territories side by
side (bars with their tables), and each table's CSV download."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.statistics.forms_performance import PerformanceFilterForm
from tirek.statistics.selectors_performance import (
    TABLES,
    PerformanceFilters,
    PerformanceRelease,
    performance_scope,
)
from tirek.statistics.services_performance import performance_csv, performance_release
from tirek.statistics.views import csv_download

TEMPLATE = "statistics/performance.html"
RESULTS = "statistics/_performance_results.html"


def _release(
    request: HttpRequest, actor: Actor, channel: str, table: str = ""
) -> tuple[PerformanceFilterForm, PerformanceRelease] | HttpResponse:
    """The release the filters ask for, or the page (or its results) with every filter error."""
    performance_scope(actor, "")
    form = PerformanceFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "release": None}
        template = RESULTS if is_htmx(request) else TEMPLATE
        return render(request, template, context, status=FORM_INVALID)
    scope = form.chosen_scope() if form.is_bound else ""
    filters = form.to_performance_filter() if form.is_bound else PerformanceFilters()
    release = performance_release(
        actor=actor, scope=scope, filters=filters, channel=channel, table=table
    )
    return form, release


BAR_ROW = 38  # height of one step in the chart (label above, bar below), in SVG units
BAR_WIDTH = 250  # the bar of 100 %


def _chart(release: PerformanceRelease) -> dict[str, object]:
    """The share met of each step as a bar (an SVG the template draws), in stage order."""
    bars = []
    rows = [row for _stage, stage_rows in release.stages for row in stage_rows]
    for index, row in enumerate(rows):
        top = index * BAR_ROW
        bars.append(
            {
                "label": row.label,
                "share": row.met_share,
                "reason": row.share_reason,
                "text_y": top + 13,
                "bar_y": top + 18,
                "width": round(BAR_WIDTH * (row.met_share or 0) / 100),
                "value_x": round(BAR_WIDTH * (row.met_share or 0) / 100) + 4,
            }
        )
    return {"bars": bars, "height": max(1, len(rows)) * BAR_ROW, "full": BAR_WIDTH}


@require_safe
@actor_view()
def performance(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Per stage and step: steps due, share met on time, time to completion against the deadline,
    open overdue now; where cases wait longest; territories side by side."""
    answer = _release(request, actor, "page")
    if isinstance(answer, HttpResponse):
        return answer
    form, release = answer
    context = {
        "form": form,
        "release": release,
        "chart": _chart(release),
        "query": request.GET.urlencode(),
    }
    return render(request, RESULTS if is_htmx(request) else TEMPLATE, context)


@require_safe
@actor_view()
def performance_download(
    request: HttpRequest, actor: Actor, performance_table: str
) -> HttpResponse:
    """One performance table as CSV, with the page's filters; the download is recorded."""
    table = performance_table
    if table not in TABLES:
        performance_scope(actor, "")
        raise Http404
    answer = _release(request, actor, "csv", table)
    if isinstance(answer, HttpResponse):
        return answer
    _form, release = answer
    name = f"tirek-mechanism-performance-{release.scope}-{table}"
    return csv_download(performance_csv(release, table), name)
