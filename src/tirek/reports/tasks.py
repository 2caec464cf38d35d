"""The background work of reports: building one, and deleting files past their keeping time."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone, translation

from tirek.accounts.actor import Actor
from tirek.core.errors import DomainError, NotFound
from tirek.core.tasks import background_task
from tirek.reports.models import FileStatus, KeptFile, ReportRun

# Progress shown to the person who asked, in percent, at each stage of the work.
STARTED, COUNTED, RENDERED, DONE = 5, 40, 90, 100


def _mark(report_id: UUID, **fields: object) -> None:
    file_mark(ReportRun, report_id, **fields)


def keep_until(finished: datetime.datetime) -> datetime.datetime:
    return finished + datetime.timedelta(hours=settings.TIREK_REPORT_KEEP_HOURS)


def file_mark(model: type[KeptFile], pk: Any, **fields: object) -> None:
    """Set the progress or status of a kept file (shown to the person who asked)."""
    model._default_manager.filter(pk=pk).update(updated_at=timezone.now(), **fields)


def file_failed(model: type[KeptFile], pk: Any) -> None:
    file_mark(model, pk, status=FileStatus.FAILED, finished_at=timezone.now())


def file_done(model: type[KeptFile], pk: Any, content: bytes) -> None:
    """Keep the finished file until the keeping time (``TIREK_REPORT_KEEP_HOURS``)."""
    finished = timezone.now()
    file_mark(
        model,
        pk,
        status=FileStatus.DONE,
        progress=DONE,
        content=content,
        size=len(content),
        finished_at=finished,
        expires_at=keep_until(finished),
    )


def file_build(model: type[KeptFile], pk: Any, build: Callable[[], bytes]) -> str:
    """Run ``build`` and keep its file; a refusal (the person lost the right since asking) fails
    the file without a retry, any other error fails it and is raised for the task's retries."""
    try:
        content = build()
    except DomainError:
        file_failed(model, pk)
        return "refused"
    except Exception:
        file_failed(model, pk)
        raise
    file_done(model, pk, content)
    return "done"


def files_expire(model: type[KeptFile]) -> int:
    """Delete the files past their keeping time (the record of who asked stays)."""
    return model._default_manager.filter(
        status=FileStatus.DONE, expires_at__lte=timezone.now()
    ).update(status=FileStatus.EXPIRED, content=None, size=0, updated_at=timezone.now())


@background_task(retries=3, backoff_seconds=30)
def report_build(*, report_id: str) -> str:
    """Count, protect and render one report; idempotent (a finished report is left alone, and a
    differentially private one renders the noisy tables kept when it was asked for)."""
    from tirek.reports.render import Document, render_pdf, render_xlsx, report_document
    from tirek.reports.render_performance import performance_blocks
    from tirek.reports.selectors import report_filters
    from tirek.statistics.facts import facts_refresh
    from tirek.statistics.selectors import dp_require
    from tirek.statistics.selectors_performance import PerformanceFilters, performance_build
    from tirek.statistics.services import statistics_release
    from tirek.statistics.step_facts import step_facts_refresh
    from tirek.statistics.stored import release_from_data

    report = (
        ReportRun.objects.defer("content")
        .select_related("membership__user", "membership__agency")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.finished:
        return "skipped"
    _mark(report.pk, status=ReportRun.Status.RUNNING, progress=STARTED)
    actor = Actor(user=report.membership.user, membership=report.membership)

    def counted() -> Document:
        """The document of a k-anonymous report: counted now, its release recorded now."""
        filters = report_filters(report)
        release = statistics_release(
            actor=actor, scope=report.scope, filters=filters, channel="report", table="all"
        )
        # Part of the same release: the report's one audit event covers it.
        performance = performance_build(
            actor=actor,
            scope=report.scope,
            filters=PerformanceFilters(
                date_from=filters.date_from,
                date_to=filters.date_to,
                territory=filters.territory,
            ),
        )
        _mark(report.pk, progress=COUNTED)
        document = report_document(report, release, agency=actor.agency.name)
        document.mechanism = performance_blocks(performance)
        return document

    def kept() -> Document:
        """The document of a differentially private report: the noisy tables drawn, and their ε
        spent, when it was asked for; nothing is counted, drawn or spent again here."""
        dp_require(actor)  # still a coordinator
        if report.noisy_release is None:
            raise NotFound()
        release = release_from_data(report.noisy_release)
        _mark(report.pk, progress=COUNTED)
        return report_document(report, release, agency=actor.agency.name)

    def build() -> bytes:
        if not report.differential:
            facts_refresh()  # the figures as of now, not as of the last periodic refresh
            step_facts_refresh()
        with translation.override(report.language):
            document = kept() if report.differential else counted()
            if report.format == ReportRun.Format.PDF:
                content = render_pdf(document, report.language)
            else:
                content = render_xlsx(document)
        _mark(report.pk, progress=RENDERED)
        return content

    return file_build(ReportRun, report.pk, build)


@background_task(retries=3, backoff_seconds=60)
def reports_expire() -> int:
    """Delete the files of reports past their keeping time (the record of who ran it stays)."""
    return files_expire(ReportRun)
