"""Official reports: asked for on the page or the API, built by the worker, downloaded by the
person who asked (and nobody else), deleted after the keeping time; every step audited."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tirek.accounts.models import Membership
from tirek.accounts.roles import Role
from tirek.core.models import AuditEvent
from tirek.reports.models import ReportRun
from tirek.reports.render import Document, report_document
from tirek.reports.services import DOWNLOADED, REQUESTED
from tirek.reports.tasks import reports_expire
from tirek.reports.tests.support import NOW
from tirek.reports.tests.support import ask as _ask
from tirek.reports.tests.support import client_of as _client
from tirek.statistics.selectors import Filters, release_build
from tirek.statistics.services import RELEASED
from tirek.testing.api import ApiClient
from tirek.testing.tasks import tasks_run_pending


def test_a_coordinator_gets_a_pdf_prepared_in_the_background(world):
    coordinator = world["coordinator"]
    response = _ask(coordinator)
    report = ReportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.status == ReportRun.Status.QUEUED
    page = _client(coordinator).get(response["Location"], HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 2s"' in page.content and b"<progress" in page.content
    assert b"<html" not in page.content  # the polled fragment only

    assert tasks_run_pending() == 1
    report.refresh_from_db()
    assert report.status == ReportRun.Status.DONE and report.progress == 100
    assert report.finished_at and report.expires_at
    assert report.expires_at == report.finished_at + datetime.timedelta(hours=72)
    page = _client(coordinator).get(reverse("reports:detail", args=[report.pk]))
    assert b"hx-trigger" not in page.content
    assert reverse("reports:download", args=[report.pk]).encode() in page.content

    download = _client(coordinator).get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert "2026-Q4-kk.pdf" in download["Content-Disposition"]

    actions = list(AuditEvent.objects.order_by("at").values_list("action", "data"))
    assert [a for a, _d in actions if a.startswith(("reports.", "statistics."))] == [
        REQUESTED,
        RELEASED,
        DOWNLOADED,
    ]
    requested = dict(actions)[REQUESTED]
    assert requested["period"] == "2026-Q4" and requested["language"] == "kk"
    assert dict(actions)[RELEASED]["channel"] == "report"


def test_the_xlsx_is_in_the_chosen_language_and_protected(world, settings):
    settings.TIREK_STATISTICS_K = 11
    _ask(world["coordinator"], format="xlsx", language="kk", kind="annual", quarter="")
    tasks_run_pending()
    report = ReportRun.objects.get()
    assert report.quarter is None
    content = ApiClient(world["coordinator"]).get(f"/reports/{report.pk}/file").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Қорытынды"
    assert "Жынысы" in book.sheetnames
    sex = book["Жынысы"]
    values = [cell.value for row in sex.iter_rows() for cell in row]
    assert "×" in values  # 3 women: fewer than k, withheld
    assert 3 not in values
    summary = [cell.value for row in book["Қорытынды"].iter_rows() for cell in row]
    assert "Адам саудасы туралы жылдық есеп" in summary


def test_the_agency_scope_counts_exactly(world):
    _ask(world["chief"], scope="agency", format="xlsx", language="en")
    tasks_run_pending()
    report = ReportRun.objects.get()
    content = _client(world["chief"]).get(reverse("reports:download", args=[report.pk])).content
    sex = load_workbook(io.BytesIO(content))["Sex"]
    rows = {row[0].value: [cell.value for cell in row[1:]] for row in sex.iter_rows(min_row=2)}
    assert rows["Female"] == [3, 0, 3]


def test_the_report_has_victims_by_sex_and_age_group_in_pdf_and_xlsx(world):
    """The Eurostat/UNODC cross table: rows by sex, columns by age group, as counted for an
    agency (3 women aged 27 when their cases were opened) and protected nationally."""
    _ask(world["chief"], scope="agency", format="xlsx", language="en")
    _ask(world["coordinator"], format="pdf", language="en")
    tasks_run_pending()
    agency, national = ReportRun.objects.order_by("created_at")
    content = _client(world["chief"]).get(reverse("reports:download", args=[agency.pk])).content
    book = load_workbook(io.BytesIO(content))
    cross = book["Victims by sex and age group"]
    header = [cell.value for cell in cross[1]]
    assert header[0] == "Sex / age group" and "25-34 years" in header and header[-1] == "Total"
    rows = {row[0].value: [cell.value for cell in row[1:]] for row in cross.iter_rows(min_row=2)}
    assert rows["Female"][header.index("25-34 years") - 1] == 3 and rows["Female"][-1] == 3
    assert (
        book.sheetnames.index("Victims by sex and age group")
        == book.sheetnames.index("Age group") + 1
    )
    national.refresh_from_db()
    assert national.status == ReportRun.Status.DONE
    release = release_build(actor=world["coordinator"], scope="national", filters=Filters())
    with translation.override("en"):
        document = report_document(national, release, agency="Test")
        html = render_to_string("reports/document.html", {"doc": document, "language": "en"})
    assert [block.name for block in document.eurostat][:3] == ["sex", "age_group", "sex_age"]
    assert "Sex / age group" in html and "Victims by sex and age group" in html


def test_nobody_else_sees_or_downloads_a_report(world):
    _ask(world["coordinator"])
    tasks_run_pending()
    report = ReportRun.objects.get()
    colleague = world["colleague"]
    for name in ("reports:detail", "reports:download"):
        assert _client(colleague).get(reverse(name, args=[report.pk])).status_code == 404
    api = ApiClient(colleague)
    assert api.get(f"/reports/{report.pk}").status_code == 404
    assert api.get(f"/reports/{report.pk}/file").status_code == 404
    assert api.get("/reports").json() == []
    assert not AuditEvent.objects.filter(action=DOWNLOADED).exists()


@pytest.mark.parametrize("persona", ["aigul", "outsider", "agency_admin", "system_admin"])
def test_case_workers_outsiders_and_administrators_get_no_reports(world, persona):
    actor = getattr(world["people"], persona)
    assert _client(actor).get(reverse("reports:index")).status_code == 403
    assert _ask(actor).status_code == 403
    api = ApiClient(actor)
    body = {"kind": "annual", "year": 2025}
    assert api.post("/reports", body).status_code == 403
    assert api.get("/reports").status_code == 403
    assert not ReportRun.objects.exists()


def test_the_api_follows_a_report_to_its_file(world):
    api = ApiClient(world["coordinator"])
    created = api.post(
        "/reports", {"kind": "annual", "year": 2026, "language": "ru", "format": "xlsx"}
    )
    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "queued" and body["download"] is None
    tasks_run_pending()
    ready = api.get(f"/reports/{body['id']}").json()
    assert ready["status"] == "done" and ready["progress"] == 100
    file = api.get(ready["download"].removeprefix("/api/v1"))
    assert file.status_code == 200
    assert "Сводка" in load_workbook(io.BytesIO(file.content)).sheetnames


def test_files_are_deleted_after_the_keeping_time(world):
    _ask(world["coordinator"])
    tasks_run_pending()
    report = ReportRun.objects.get()
    assert reports_expire.call() == 0
    assert report.expires_at
    with time_machine.travel(report.expires_at + datetime.timedelta(minutes=1)):
        assert reports_expire.call() == 1
    report.refresh_from_db()
    assert report.status == ReportRun.Status.EXPIRED and report.content is None
    url = reverse("reports:download", args=[report.pk])
    assert _client(world["coordinator"]).get(url).status_code == 404
    page = _client(world["coordinator"]).get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200


def test_bad_requests_are_refused_with_a_message(world):
    with time_machine.travel(NOW, tick=False):
        page = _ask(world["coordinator"], quarter="", language="ru")
        assert page.status_code == 422
        api = ApiClient(world["coordinator"])
        future = api.post("/reports", {"kind": "annual", "year": 2027}, language="ru")
        assert future.status_code in {400, 422}
        missing = api.post("/reports", {"kind": "quarterly", "year": 2026}, language="ru")
        assert "квартал" in str(missing.json()).lower()
    assert not ReportRun.objects.exists()


def test_a_report_asked_by_someone_who_lost_the_role_fails_without_retrying(world):
    _ask(world["coordinator"])
    Membership.objects.filter(pk=world["coordinator"].membership.pk).update(role=Role.CASE_WORKER)
    tasks_run_pending()
    report = ReportRun.objects.get()
    assert report.status == ReportRun.Status.FAILED and report.content is None


def test_the_pdf_footer_carries_the_title_and_period_as_written():
    """The footer is a running element, HTML-escaped like the page: no CSS string escapes
    (``escapejs`` printed "4u002Dтоқсан" in the Kazakh footer)."""
    document = Document(
        title="Тоқсандық есеп",
        period="2026 ж. 4-тоқсан",
        scope="",
        protected=True,
        k=11,
        rounding=5,
        agency="",
        generated="",
        counted="",
        uncertain=0,
        summary=[],
        eurostat=[],
        others=[],
    )
    html = render_to_string("reports/document.html", {"doc": document, "language": "kk"})
    assert '<div class="running-footer">Тоқсандық есеп · 2026 ж. 4-тоқсан</div>' in html
    assert "content: element(footer)" in html
    assert "\\u00" not in html
