"""Official reports under differential privacy: only a coordinator, for the national figures,
spends ε from the year's budget when asking (one event, under the budget's lock); the worker
renders the noisy tables kept then, so a retried build never spends again; the report states
ε, δ and the noise, and says which tables are left out."""

from __future__ import annotations

import html
import io
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from tirek.core.models import AuditEvent
from tirek.reports import render
from tirek.reports.models import ReportRun
from tirek.reports.render import report_document
from tirek.reports.services import REQUESTED
from tirek.reports.tasks import report_build
from tirek.reports.tests.support import ask, client_of
from tirek.statistics.selectors import DP_TABLES, dp_spent
from tirek.statistics.services import RELEASED
from tirek.statistics.stored import release_from_data
from tirek.testing.api import ApiClient
from tirek.testing.tasks import tasks_run_pending


def _dp(actor: Any, **data: Any) -> Any:
    form = {"privacy": "differential", "epsilon": "1", "mechanism": "laplace"} | data
    return ask(actor, **form)


def _spent() -> float:
    return dp_spent(timezone.localdate().year)


def _releases() -> Any:
    return AuditEvent.objects.filter(action=RELEASED)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607 (poppler-utils)
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode()


def _download(actor: Any, report: ReportRun) -> bytes:
    response = client_of(actor).get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    return bytes(response.content)


def test_the_coordinator_spends_epsilon_when_asking_in_one_event(world):
    response = _dp(world["coordinator"], epsilon="0.5")
    report = ReportRun.objects.get()
    assert response.status_code == 302
    assert report.differential and report.epsilon == 0.5 and report.mechanism == "laplace"
    event = _releases().get()
    assert event.data["privacy"] == "differential" and event.data["channel"] == "report"
    assert event.data["epsilon"] == 0.5 and event.data["report"] == str(report.pk)
    assert event.data["requested_via"] == "web" and event.data["period"] == "2026-Q4"
    assert not AuditEvent.objects.filter(action=REQUESTED).exists()  # one event row
    assert _spent() == 0.5
    assert report.noisy_release is not None
    assert set(report.noisy_release["tables"]) == set(DP_TABLES)


def test_the_pdf_states_epsilon_delta_and_the_noise_and_spends_nothing_more(world):
    coordinator = world["coordinator"]
    _dp(coordinator, language="en", mechanism="gaussian")
    assert tasks_run_pending() == 1
    report = ReportRun.objects.get()
    assert report.status == ReportRun.Status.DONE
    text = _pdf_text(_download(coordinator, report))
    assert "ε = 1, δ = 10⁻⁷ (Discrete Gaussian (ε, δ))" in text
    assert "spends ε = 1 of this year's national privacy budget" in " ".join(text.split())
    assert "National (differential privacy)" in text
    assert _releases().count() == 1 and _spent() == 1.0


def test_tables_without_a_mechanism_are_left_out_with_a_note(world):
    _dp(world["coordinator"], language="en")
    report = ReportRun.objects.get()
    assert report.noisy_release is not None
    with translation.override("en"):
        document = report_document(report, release_from_data(report.noisy_release), agency="Test")
    names = {block.name for block in [*document.eurostat, *document.others]}
    assert names == set(DP_TABLES)
    assert not document.mechanism
    tasks_run_pending()
    text = " ".join(_pdf_text(_download(world["coordinator"], report)).split())
    assert "Not in this report: Screenings and their outcomes, by agency type;" in text
    assert "Referrals by provider" in text and "Mechanism performance" in text
    assert "Differential privacy has no mechanism for them" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_xlsx_summary_states_epsilon_and_the_noise(world, language):
    coordinator = world["coordinator"]
    _dp(coordinator, format="xlsx", language=language, epsilon="2")
    tasks_run_pending()
    report = ReportRun.objects.get()
    book = load_workbook(io.BytesIO(_download(coordinator, report)))
    rows = {row[0].value: row[1].value for row in book.worksheets[0].iter_rows() if row[0].value}
    assert rows["ε"] == 2 and rows["δ"] == "0"
    with translation.override(language):
        noise = str(translation.gettext("Noise"))
        laplace = str(translation.gettext("Discrete Laplace (pure ε)"))
    assert rows[noise] == laplace
    notes = " ".join(str(value) for value in rows)
    assert "ε = 2" in notes


def test_a_retried_build_renders_the_same_noise_and_never_spends_twice(world, monkeypatch):
    """A worker killed while rendering leaves the report running; the task run again renders
    the noisy tables drawn when the report was asked for, and spends nothing."""
    coordinator = world["coordinator"]
    _dp(coordinator, format="xlsx", language="en")
    report = ReportRun.objects.get()

    class WorkerKilled(BaseException):
        pass

    real = render.render_xlsx
    attempts: list[int] = []

    def dies_once(document: Any) -> bytes:
        attempts.append(1)
        if len(attempts) == 1:
            raise WorkerKilled
        return real(document)

    monkeypatch.setattr(render, "render_xlsx", dies_once)
    with pytest.raises(WorkerKilled):
        report_build.call(report_id=str(report.pk))
    report.refresh_from_db()
    assert report.status == ReportRun.Status.RUNNING
    assert report_build.call(report_id=str(report.pk)) == "done"
    assert report_build.call(report_id=str(report.pk)) == "skipped"
    assert _releases().count() == 1 and _spent() == 1.0
    assert report.noisy_release is not None
    kept = report.noisy_release["tables"]["sex"]
    sheet = load_workbook(io.BytesIO(_download(coordinator, report)))["Sex"]
    shown = [[cell.value for cell in row[1:-1]] for row in sheet.iter_rows(min_row=2)][:-1]
    assert shown == kept["cells"]


def test_a_report_past_the_years_budget_is_refused_and_writes_nothing(world, settings):
    settings.TIREK_DP_BUDGET = 1
    coordinator = world["coordinator"]
    first = _dp(coordinator, epsilon="0,6")
    assert first.status_code == 302, first.content.decode()[-3000:]
    api_client = ApiClient(coordinator)
    events, tasks = AuditEvent.objects.count(), tasks_pending()
    page = _dp(coordinator, epsilon="0,6", headers={"Accept-Language": "kk"})
    assert page.status_code == 422
    assert "құпиялылық бюджетінен тек 0.4 қалды" in page.content.decode()
    api = api_client.post(
        "/reports",
        {"kind": "annual", "year": 2026, "privacy": "differential", "epsilon": 0.6},
        language="en",
    )
    assert api.status_code == 400
    assert (
        "only 0.4 of this year's privacy budget of 1 is left" in api.json()["errors"]["epsilon"][0]
    )
    assert ReportRun.objects.count() == 1
    assert list(AuditEvent.objects.order_by("at").values_list("action", flat=True)[events:]) == []
    assert tasks_pending() == tasks and _spent() == 0.6


def tasks_pending() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.count()


def test_a_supervisor_is_refused_in_their_language_and_nothing_is_spent(world):
    chief = world["chief"]
    page = _dp(chief, headers={"Accept-Language": "kk"})
    assert page.status_code == 422
    with translation.override("kk"):
        refusal = translation.gettext(
            "Only a coordinator may make a differentially private release."
        )
    assert refusal in page.content.decode() and refusal != (
        "Only a coordinator may make a differentially private release."
    )
    api = ApiClient(chief).post(
        "/reports", {"kind": "annual", "year": 2026, "privacy": "differential", "epsilon": 1}
    )
    assert api.status_code in {400, 403}
    assert "Only a coordinator" in str(api.json())
    assert not ReportRun.objects.exists() and not _releases().exists()


@pytest.mark.parametrize("persona", ["outsider", "aigul", "agency_admin"])
def test_outsiders_and_case_workers_get_403(world, persona):
    actor = getattr(world["people"], persona)
    assert _dp(actor).status_code == 403
    body = {"kind": "annual", "year": 2026, "privacy": "differential", "epsilon": 1}
    refused = ApiClient(actor).post("/reports", body)
    assert refused.status_code == 403 and refused.json()["detail"]
    assert not ReportRun.objects.exists() and not _releases().exists()


def test_differential_privacy_is_for_the_national_figures_only(world):
    page = _dp(world["coordinator"], scope="agency", headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert b"Differential privacy applies to the national release only." in page.content
    assert not ReportRun.objects.exists() and not _releases().exists()


def test_the_api_asks_for_a_dp_report_and_states_its_epsilon(world):
    api = ApiClient(world["coordinator"])
    body = {
        "kind": "quarterly",
        "year": 2026,
        "quarter": 4,
        "privacy": "differential",
        "epsilon": 1.5,
        "mechanism": "gaussian",
        "format": "xlsx",
    }
    created = api.post("/reports", body)
    assert created.status_code == 202
    answer = created.json()
    assert answer["privacy"] == "differential" and answer["epsilon"] == 1.5
    assert answer["mechanism"] == "gaussian" and answer["delta"] == 1e-7
    event = _releases().get()
    assert event.data["requested_via"] == "api" and _spent() == 1.5
    assert api.post("/reports", body | {"epsilon": 0}).status_code == 422


def test_the_form_sent_by_htmx_opens_the_report_or_shows_its_errors(world):
    coordinator = world["coordinator"]
    done = _dp(coordinator, headers={"HX-Request": "true"})
    report = ReportRun.objects.get()
    assert done.status_code == 204
    assert done["HX-Redirect"] == reverse("reports:detail", args=[report.pk])
    refused = _dp(coordinator, epsilon="50", headers={"HX-Request": "true"})
    assert refused.status_code == 422 and b'id="report-request"' in refused.content
    page = client_of(coordinator).get(reverse("reports:index"), headers={"Accept-Language": "en"})
    assert "Left of this year's privacy budget: ε = 9." in html.unescape(page.content.decode())
