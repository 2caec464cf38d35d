"""Asking for a report (queued for the background worker) and downloading it: both audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.core.audit import audit_record
from tirek.core.errors import NotFound
from tirek.core.tasks import task_enqueue_on_commit
from tirek.reports.models import ReportRun
from tirek.reports.selectors import period_of, report_for, reports_require
from tirek.reports.tasks import report_build
from tirek.statistics.selectors import SCOPES

REQUESTED = "reports.requested"
DOWNLOADED = "reports.downloaded"
FIRST_YEAR = 2000


def _problems(
    *, kind: str, year: int, quarter: int | None, scope: str, language: str, fmt: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if kind not in ReportRun.Kind.values:
        errors["kind"] = [_("Choose a quarterly or an annual report.")]
    if not FIRST_YEAR <= year <= today.year:
        errors["year"] = [
            _("Choose a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year}
        ]
    if kind == ReportRun.Kind.QUARTERLY and quarter not in {1, 2, 3, 4}:
        errors["quarter"] = [_("Choose the quarter.")]
    if scope not in SCOPES:
        errors["scope"] = [_("Choose whose work the report covers.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose the language of the report.")]
    if fmt not in ReportRun.Format.values:
        errors["format"] = [_("Choose PDF or XLSX.")]
    if not errors and period_of(kind, year, quarter)[0] > today:
        errors["quarter"] = [_("This period has not begun yet.")]
    return errors


def report_request(
    *,
    actor: Actor,
    kind: str,
    year: int,
    quarter: int | None,
    scope: str,
    language: str,
    fmt: str,
    channel: str,
) -> ReportRun:
    """Queue a report for the actor; the worker builds it (``tasks.report_build``)."""
    reports_require(actor)
    errors = _problems(
        kind=kind, year=year, quarter=quarter, scope=scope, language=language, fmt=fmt
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = ReportRun.objects.create(
            kind=kind,
            year=year,
            quarter=quarter if kind == ReportRun.Kind.QUARTERLY else None,
            scope=scope,
            language=language,
            format=fmt,
            requested_by=actor.user,
            membership=actor.membership,
        )
        _audit(REQUESTED, actor, report, channel)
        task_enqueue_on_commit(report_build, report_id=str(report.pk))
    return report


def _audit(action: str, actor: Actor, report: ReportRun, channel: str) -> None:
    """Who asked for or downloaded which report (codes only)."""
    audit_record(
        action=action,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="report",
        object_id=report.pk,
        data={
            "kind": report.kind,
            "period": report.period_label,
            "scope": report.scope,
            "language": report.language,
            "format": report.format,
            "channel": channel,
        },
    )


def report_download(*, actor: Actor, report_id: Any, channel: str) -> tuple[ReportRun, bytes]:
    """The file of one of the actor's finished reports (recorded); not found once deleted."""
    report = report_for(actor, report_id)
    content = ReportRun.objects.filter(pk=report.pk).values_list("content", flat=True).first()
    if report.status != ReportRun.Status.DONE or content is None:
        raise NotFound()
    with transaction.atomic():
        _audit(DOWNLOADED, actor, report, channel)
    return report, bytes(content)
