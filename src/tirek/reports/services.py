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
from tirek.reports.selectors import period_of, report_filters, report_for, reports_require
from tirek.reports.tasks import report_build
from tirek.statistics.differential import MAX_EPSILON, MIN_EPSILON
from tirek.statistics.facts import facts_refresh
from tirek.statistics.selectors import (
    NATIONAL,
    SCOPES,
    Protection,
    dp_allowed,
    dp_refusal,
)
from tirek.statistics.services import statistics_release
from tirek.statistics.stored import release_as_data

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


def _privacy_problems(
    *, actor: Actor, privacy: str, epsilon: float | None, mechanism: str, scope: str
) -> dict[str, list[str]]:
    """Who may ask for a differentially private report (a coordinator, as for the dashboard's
    release: it spends the national budget), for which scope, with which ε and noise."""
    if privacy not in ReportRun.Privacy.values:
        return {"privacy": [_("Choose how the national figures are protected.")]}
    if privacy != ReportRun.Privacy.DIFFERENTIAL:
        return {}
    if not dp_allowed(actor):
        return {"privacy": [dp_refusal()]}
    errors: dict[str, list[str]] = {}
    if scope != NATIONAL:
        errors["privacy"] = [_("Differential privacy applies to the national release only.")]
    if epsilon is None or not MIN_EPSILON <= epsilon <= MAX_EPSILON:
        errors["epsilon"] = [
            _("Choose ε from %(low)s to %(high)s.")
            % {"low": f"{MIN_EPSILON:g}", "high": f"{MAX_EPSILON:g}"}
        ]
    if mechanism not in ReportRun.Mechanism.values:
        errors["mechanism"] = [_("Choose the noise: discrete Laplace or discrete Gaussian.")]
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
    privacy: str = ReportRun.Privacy.K_ANONYMITY,
    epsilon: float | None = None,
    mechanism: str = "",
) -> ReportRun:
    """Queue a report for the actor; the worker builds it (``tasks.report_build``).

    A differentially private report draws its noisy tables here and spends their ε from the
    year's national budget in this transaction, holding the budget's lock (its one event is
    that ``statistics.released``, channel ``report``); a request past the budget is refused and
    writes nothing. The worker only renders the kept tables, so a retry never spends again."""
    reports_require(actor)
    errors = _problems(
        kind=kind, year=year, quarter=quarter, scope=scope, language=language, fmt=fmt
    ) | _privacy_problems(
        actor=actor, privacy=privacy, epsilon=epsilon, mechanism=mechanism, scope=scope
    )
    if errors:
        raise ValidationError(errors)
    private = privacy == ReportRun.Privacy.DIFFERENTIAL
    if private:  # the figures as of now (outside the budget's lock: it may take a moment)
        facts_refresh()
    report = ReportRun(
        kind=kind,
        year=year,
        quarter=quarter if kind == ReportRun.Kind.QUARTERLY else None,
        scope=scope,
        language=language,
        format=fmt,
        privacy=privacy,
        epsilon=epsilon if private else None,
        mechanism=mechanism if private else "",
        requested_by=actor.user,
        membership=actor.membership,
    )
    with transaction.atomic():
        if private:
            assert epsilon is not None  # noqa: S101 (checked above)
            release = statistics_release(
                actor=actor,
                scope=NATIONAL,
                filters=report_filters(report),
                channel="report",
                protection=Protection(
                    method=ReportRun.Privacy.DIFFERENTIAL, epsilon=epsilon, mechanism=mechanism
                ),
                # What the release was drawn for (its channel stays "report").
                about={
                    "report": str(report.pk),
                    "kind": report.kind,
                    "period": report.period_label,
                    "language": report.language,
                    "format": report.format,
                    "requested_via": channel,
                },
            )
            report.noisy_release = release_as_data(release)
        report.save(force_insert=True)
        if not private:
            _audit(REQUESTED, actor, report, channel)
        task_enqueue_on_commit(report_build, report_id=str(report.pk))
    return report


def _about(report: ReportRun, channel: str) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "period": report.period_label,
        "scope": report.scope,
        "language": report.language,
        "format": report.format,
        "channel": channel,
    }


def _audit(action: str, actor: Actor, report: ReportRun, channel: str) -> None:
    """Who asked for or downloaded which report (codes only)."""
    audit_record(
        action=action,
        user_id=actor.user.pk,
        agency_id=actor.membership.agency_id,
        object_type="report",
        object_id=report.pk,
        data=_about(report, channel) | {"privacy": report.privacy},
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
