"""Reads: the reports a person asked for (nobody else sees them), and a report's period."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tirek.accounts.actor import Actor
from tirek.core.errors import NotFound
from tirek.reports.models import ReportRun
from tirek.statistics.selectors import Filters, statistics_scope

SHOWN = 20  # the latest reports listed


def reports_require(actor: Actor) -> None:
    """403 for anyone who may not read statistics (the reports are built from them)."""
    statistics_scope(actor, "")


def reports_of(actor: Actor) -> QuerySet[ReportRun]:
    """The actor's own reports, newest first, without their files."""
    reports_require(actor)
    return ReportRun.objects.filter(
        requested_by_id=actor.user.pk, membership_id=actor.membership.pk
    ).defer("content", "noisy_release")


def report_for(actor: Actor, report_id: Any) -> ReportRun:
    """One of the actor's reports; anyone else's, or none, is not found."""
    try:
        report = reports_of(actor).filter(pk=report_id).first()
    except (ValueError, ValidationError):
        report = None
    if report is None:
        raise NotFound()
    return report


def period_of(kind: str, year: int, quarter: int | None) -> tuple[datetime.date, datetime.date]:
    """The first and last day a report covers."""
    if kind == ReportRun.Kind.QUARTERLY and quarter:
        start = datetime.date(year, 3 * quarter - 2, 1)
        end_month = 3 * quarter
        following = datetime.date(year + (end_month == 12), end_month % 12 + 1, 1)
        return start, following - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def report_filters(report: ReportRun) -> Filters:
    start, end = period_of(report.kind, report.year, report.quarter)
    return Filters(date_from=start, date_to=end)
