"""The official report carries the mechanism's performance: deadlines met per step and where
cases wait longest, protected as the page."""

from __future__ import annotations

import datetime
import io
import os
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.mechanisms.checklist import checklist_item_close
from tirek.mechanisms.models import ChecklistItem
from tirek.reports.models import ReportRun
from tirek.statistics.tests.test_performance import mechanism_for, member
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def coordinator(people: Any, settings: Any) -> Any:
    settings.TIREK_STATISTICS_K = 3
    settings.TIREK_STATISTICS_ROUNDING = 1
    settings.TIREK_STATISTICS_NOISE = 0
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = member("report-perf-coordinator", commission, Role.COORDINATOR)
    mechanism_for(coordinator, people, people.almaty, "Almaty")
    with time_machine.travel(NOW, tick=False):
        for n in range(4):
            case_build(people.aigul, first_name=f"Test{n}")
    for hours, item in zip([2, 3, 5, 30], ChecklistItem.objects.all(), strict=True):
        with time_machine.travel(NOW + datetime.timedelta(hours=hours), tick=False):
            checklist_item_close(
                actor=people.aigul, item_id=item.pk, outcome="done", expected_version=1
            )
    return coordinator


def _report(coordinator: Any, language: str, kind: str) -> ReportRun:
    """The national report of the fourth quarter of 2026, asked for and built."""
    client = SecureClient()
    client.force_login(coordinator.user)
    form = {"kind": "quarterly", "year": "2026", "quarter": "4", "scope": "national"}
    client.post(reverse("reports:index"), form | {"language": language, "format": kind})
    tasks_run_pending()
    return ReportRun.objects.get()


def test_the_xlsx_report_has_the_deadlines_met_per_step_protected(coordinator: Any) -> None:
    report = _report(coordinator, "en", "xlsx")
    content = ApiClient(coordinator).get(f"/reports/{report.pk}/file").content
    book = load_workbook(io.BytesIO(content))
    sheet = book[next(n for n in book.sheetnames if n.startswith("Deadlines met"))]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    police = next(row for row in rows if str(row[0]).endswith("Police informed"))
    # 3 on time, 1 late: the late one counts fewer than k = 3, so both are withheld, and the
    # share that would reveal them is not shown; the median of the 4 steps done is 3 hours.
    assert (police[1:7], police[7]) == ([4, "×", "×", 0, 0, "—"], "3 h")


def test_the_kazakh_pdf_report_is_made_with_the_section(coordinator: Any) -> None:
    report = _report(coordinator, "kk", "pdf")
    if os.environ.get("TIREK_SCREENSHOTS"):  # a folder to keep the document in, to look at
        path = os.path.join(os.environ["TIREK_SCREENSHOTS"], "report-performance-kk.pdf")
        with open(path, "wb") as document:
            document.write(bytes(report.content or b""))
    assert (report.status, bytes(report.content or b"")[:4]) == (ReportRun.Status.DONE, b"%PDF")
