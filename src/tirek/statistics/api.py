"""API: the dashboard's tables, protected the same way (coordinators and supervisors)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from tirek.core.api_support import actor_of
from tirek.core.errors import NotFound
from tirek.statistics.schemas import (
    StatisticsFilterIn,
    StatisticsMediansOut,
    StatisticsReleaseOut,
    StatisticsTableOut,
)
from tirek.statistics.selectors import (
    AGENCY,
    DP_TABLES,
    NATIONAL,
    TABLES,
    Filters,
    Protection,
    Release,
    column_labels,
    statistics_scope,
)
from tirek.statistics.services import ASSISTANCE_TIME, statistics_release

router = Router(tags=["statistics"])


def table_out(release: Release, name: str) -> dict[str, Any]:
    table = release.tables[name]
    columns = column_labels(name)
    labels = release.labels[name]
    return {
        "name": name,
        "title": str(TABLES[name]),
        "columns": [{"key": c, "label": columns[c]} for c in table.columns],
        "rows": [
            {"key": key, "label": labels[key], "cells": list(cells), "total": total}
            for key, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True)
        ],
        "column_totals": list(table.column_totals),
        "total": table.total,
        "protected": table.protected,
        "withheld": table.withheld,
        "epsilon": release.budget.per_table.get(name) if release.budget else None,
    }


def _release(request: HttpRequest, filters: StatisticsFilterIn, table: str = "") -> Release:
    actor = actor_of(request)
    statistics_scope(actor, filters.scope)
    if table and table not in TABLES and table != ASSISTANCE_TIME:
        raise NotFound()
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError({"date_to": _("The end of the period is before its start.")})
    protection = Protection(
        method=filters.privacy, epsilon=filters.epsilon, mechanism=filters.noise
    )
    if protection.differential and filters.scope != NATIONAL:
        raise ValidationError(
            {"privacy": _("Differential privacy applies to the national release only.")}
        )
    if protection.differential and table and table not in DP_TABLES:
        raise ValidationError(
            {"privacy": _("This table is not part of a differentially private release.")}
        )
    return statistics_release(
        actor=actor,
        scope=filters.scope,
        filters=Filters(
            date_from=filters.date_from, date_to=filters.date_to, territory=filters.territory
        ),
        channel="api",
        table=table,
        protection=protection,
    )


def _out(release: Release, names: list[str]) -> dict[str, Any]:
    protected = release.scope != AGENCY
    budget = release.budget
    anonymity = protected and budget is None
    return {
        "scope": release.scope,
        "unit": "person",
        "k": release.k if anonymity else None,
        "rounding": release.rounding if anonymity else None,
        "filters": release.filters.as_data(),
        "uncertain_duplicates": None if budget else release.uncertain,
        "privacy": "differential" if budget else ("k_anonymity" if protected else "none"),
        "mechanism": budget.mechanism if budget else None,
        "epsilon": budget.epsilon if budget else None,
        "delta": budget.delta if budget else None,
        "epsilon_by_table": dict(budget.per_table) if budget else None,
        "totals_consistent": budget is not None or not protected,
        "counted_at": release.counted_at,
        "tables": [table_out(release, name) for name in names],
        "medians": medians_out(release),
    }


def medians_out(release: Release) -> list[dict[str, Any]]:
    return [
        {"key": row.key, "label": row.label, "people": row.people, "median": row.median}
        for row in release.medians
    ]


@router.get(
    "/statistics/tables",
    response=StatisticsReleaseOut,
    summary="Presumed and identified victims, each person once, by every dimension "
    "(national tables protected; coordinators and supervisors)",
)
def statistics_tables(request: HttpRequest, filters: Query[StatisticsFilterIn]) -> dict[str, Any]:
    release = _release(request, filters)
    return _out(release, [name for name in TABLES if name in release.tables])


@router.get(
    "/statistics/tables/{table}",
    response=StatisticsTableOut,
    summary="One statistics table (quarter, territory, sex, age_group, citizenship, "
    "exploitation, nrm_stage, means_of_control, reflection, return, proceedings)",
)
def statistics_table(
    request: HttpRequest, table: str, filters: Query[StatisticsFilterIn]
) -> dict[str, Any]:
    release = _release(request, filters, table)
    return table_out(release, table)


@router.get(
    "/statistics/assistance-time",
    response=StatisticsMediansOut,
    summary="Median days from identification to the first assistance and to each service "
    "(national medians only for groups of at least k people)",
)
def statistics_assistance_time(
    request: HttpRequest, filters: Query[StatisticsFilterIn]
) -> dict[str, Any]:
    release = _release(request, filters, ASSISTANCE_TIME)
    return {
        "scope": release.scope,
        "k": release.k if release.scope != AGENCY else None,
        "filters": release.filters.as_data(),
        "medians": medians_out(release),
    }
