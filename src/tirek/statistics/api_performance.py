"""API: mechanism performance, protected as the page (coordinators and supervisors)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from tirek.core.api_support import actor_of
from tirek.mechanisms.models import Mechanism
from tirek.statistics.schemas_performance import PerformanceFilterIn, PerformanceOut
from tirek.statistics.selectors_performance import (
    Duration,
    PerformanceFilters,
    StepRow,
    performance_scope,
)
from tirek.statistics.services_performance import performance_release

router = Router(tags=["statistics"])


def _duration(value: Duration | None) -> dict[str, Any] | None:
    return None if value is None else {"amount": value.amount, "unit": value.unit}


def _step(row: StepRow) -> dict[str, Any]:
    met, late, not_done, open_overdue = row.counts
    return {
        "stage": row.stage,
        "code": row.code,
        "label": row.label,
        "agency_type": row.agency_type,
        "met": met,
        "late": late,
        "not_done": not_done,
        "open_overdue": open_overdue,
        "due": row.due,
        "met_share": row.met_share,
        "missed_share": row.missed_share,
        "share_reason": row.share_reason,
        "median": _duration(row.median),
        "p90": _duration(row.p90),
        "deadline": _duration(row.deadline),
        "wait_reason": row.wait_reason,
    }


@router.get(
    "/statistics/performance",
    response=PerformanceOut,
    summary="Mechanism performance: per stage and step, deadlines met, time to completion, open "
    "overdue steps, territories side by side (national protected; coordinators and supervisors)",
)
def statistics_performance(
    request: HttpRequest, filters: Query[PerformanceFilterIn]
) -> dict[str, Any]:
    actor = actor_of(request)
    performance_scope(actor, filters.scope)
    errors: dict[str, str] = {}
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = _("The end of the period is before its start.")
    if filters.mechanism and not _is_version(filters.mechanism):
        errors["mechanism"] = _("No such mechanism version.")
    if errors:
        raise ValidationError(errors)
    release = performance_release(
        actor=actor,
        scope=filters.scope,
        filters=PerformanceFilters(
            date_from=filters.date_from,
            date_to=filters.date_to,
            territory=filters.territory,
            mechanism=filters.mechanism,
            order=filters.order,
        ),
        channel="api",
    )
    protected = release.protected
    return {
        "scope": release.scope,
        "unit": "step",
        "k": release.k if protected else None,
        "rounding": release.rounding if protected else None,
        "filters": release.filters.as_data(),
        "counted_at": release.counted_at,
        "steps": [_step(row) for _stage, rows in release.stages for row in rows],
        "waits": [_step(row) for row in release.ranked],
        "territories": [{"code": code, "label": label} for code, label in release.territories],
        "comparison": [
            {
                "stage": row.stage,
                "code": row.code,
                "label": row.label,
                "agency_type": row.agency_type,
                "territories": [
                    {
                        "territory": cell.territory,
                        "due": cell.due,
                        "met_share": cell.met_share,
                        "median": _duration(cell.median),
                        "reason": cell.reason,
                    }
                    for cell in row.cells
                ],
            }
            for row in release.comparison
        ],
    }


def _is_version(value: str) -> bool:
    """A mechanism version that is or was in force (drafts count no step)."""
    try:
        return Mechanism.objects.filter(pk=value).exclude(status=Mechanism.Status.DRAFT).exists()
    except ValidationError:
        return False
