"""A released set of tables kept as JSON and read back: a differentially private report draws
its noise (and spends its ε) when it is asked for, and the worker renders exactly those noisy
counts later, however often it runs (docs/statistics.md). Counts and codes only: the row labels
are given again in the language of whoever reads the release back."""

from __future__ import annotations

import datetime
from typing import Any

from tirek.statistics import differential
from tirek.statistics.privacy import Table
from tirek.statistics.selectors import Filters, Release, labels


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def release_as_data(release: Release) -> dict[str, Any]:
    """The release's counts, filters and budget as JSON-ready data (no labels, no names)."""
    budget = release.budget
    return {
        "scope": release.scope,
        "filters": release.filters.as_data(),
        "k": release.k,
        "rounding": release.rounding,
        "counted_at": release.counted_at.isoformat() if release.counted_at else None,
        "budget": None
        if budget is None
        else {
            "mechanism": budget.mechanism,
            "epsilon": budget.epsilon,
            "delta": budget.delta,
            "per_table": dict(budget.per_table),
            "scales": dict(budget.scales),
        },
        "tables": {
            name: {
                "rows": list(table.rows),
                "columns": list(table.columns),
                "cells": [list(row) for row in table.cells],
                "row_totals": list(table.row_totals),
                "column_totals": list(table.column_totals),
                "total": table.total,
                "protected": table.protected,
                "withheld": table.withheld,
            }
            for name, table in release.tables.items()
        },
    }


def release_from_data(data: dict[str, Any]) -> Release:
    """The release kept by ``release_as_data``, its row labels in the active language."""
    tables = {
        name: Table(
            rows=tuple(table["rows"]),
            columns=tuple(table["columns"]),
            cells=tuple(tuple(row) for row in table["cells"]),
            row_totals=tuple(table["row_totals"]),
            column_totals=tuple(table["column_totals"]),
            total=table["total"],
            protected=table["protected"],
            withheld=table["withheld"],
        )
        for name, table in data["tables"].items()
    }
    kept = data["budget"]
    filters = data["filters"]
    counted_at = data["counted_at"]
    return Release(
        scope=data["scope"],
        filters=Filters(
            date_from=_date(filters["date_from"]),
            date_to=_date(filters["date_to"]),
            territory=filters["territory"],
        ),
        k=data["k"],
        rounding=data["rounding"],
        tables=tables,
        labels={name: labels(name, table.rows) for name, table in tables.items()},
        counted_at=datetime.datetime.fromisoformat(counted_at) if counted_at else None,
        budget=None
        if kept is None
        else differential.Budget(
            mechanism=kept["mechanism"],
            epsilon=kept["epsilon"],
            delta=kept["delta"],
            per_table=dict(kept["per_table"]),
            scales=dict(kept["scales"]),
        ),
    )
