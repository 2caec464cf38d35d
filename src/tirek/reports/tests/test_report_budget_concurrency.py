"""A differentially private report and a dashboard release at once cannot both spend the last
of the year's budget: the report's request checks and spends under the same budget lock
(``statistics.services.dp_budget_check``) as every other release. Real parallel transactions,
one database connection per thread, as in ``statistics/tests/test_budget_concurrency.py``."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tirek.core.models import AuditEvent
from tirek.reports.models import ReportRun
from tirek.reports.services import report_request
from tirek.statistics import services
from tirek.statistics.differential import DIFFERENTIAL, LAPLACE
from tirek.statistics.selectors import NATIONAL, Filters, Protection, dp_spent
from tirek.statistics.services import RELEASED, statistics_release
from tirek.testing.parallel import RaceWindow, at_once, database_for_threads

pytestmark = pytest.mark.django_db(transaction=True)

WAIT = 3.0  # seconds the first to pass the check waits, inside its transaction, for the other


@pytest.mark.postgresql  # SQLite has one writer at a time: its transactions never interleave
def test_a_report_and_a_dashboard_release_cannot_both_spend_the_last_of_the_budget(
    world, settings, monkeypatch
):
    settings.TIREK_DP_BUDGET = 1
    coordinator = world["coordinator"]
    check_then_linger = RaceWindow(services.dp_budget_check, wait=WAIT)

    def dashboard() -> Any:
        return statistics_release(
            actor=coordinator,
            scope=NATIONAL,
            filters=Filters(),
            channel="page",
            protection=Protection(method=DIFFERENTIAL, epsilon=0.5, mechanism=LAPLACE),
        )

    def report() -> Any:
        return report_request(
            actor=coordinator,
            kind="annual",
            year=timezone.localdate().year,
            quarter=None,
            scope=NATIONAL,
            language="kk",
            fmt="pdf",
            channel="api",
            privacy=DIFFERENTIAL,
            epsilon=0.5,
            mechanism=LAPLACE,
        )

    statistics_release(  # earlier this year: the year's budget row exists, 0.8 is left
        actor=coordinator,
        scope=NATIONAL,
        filters=Filters(),
        channel="api",
        protection=Protection(method=DIFFERENTIAL, epsilon=0.2, mechanism=LAPLACE),
    )
    monkeypatch.setattr(services, "dp_budget_check", check_then_linger)

    with database_for_threads():
        results = at_once(dashboard, report)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and not [r for r in results if isinstance(r, Exception)][1:], results
    assert "0.3" in refused[0].message_dict["epsilon"][0]
    assert len(check_then_linger.passed) == 1  # the second never got past the check
    assert dp_spent(timezone.localdate().year) == pytest.approx(0.7)
    assert AuditEvent.objects.filter(action=RELEASED).count() == 2
    # the report exists exactly when its ε was spent
    assert ReportRun.objects.count() == (0 if isinstance(results[1], ValidationError) else 1)
