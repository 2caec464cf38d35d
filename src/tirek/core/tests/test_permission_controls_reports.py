"""Positive controls of the permission matrix: reports and data exchange files, prepared in the
background for the person who asked and read by her alone. See ``controls``."""

from __future__ import annotations

from functools import cached_property

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Role
from tirek.core.models import AuditEvent
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, web
from tirek.exchange.models import CtdcExport
from tirek.exchange.services import ctdc_request
from tirek.reports.models import ReportRun
from tirek.reports.services import report_request
from tirek.statistics.tests.support import member
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.testing.tasks import tasks_run_pending


class World(controls.World):
    @cached_property
    def chief(self) -> Actor:
        """A supervisor of the crisis centre: its reports and exchange files."""
        case_build(self.people.aigul)
        return member("matrix-centre-chief", self.people.crisis_centre, Role.SUPERVISOR)

    @cached_property
    def report(self) -> ReportRun:
        report = report_request(
            actor=self.chief,
            kind="annual",
            year=2025,
            quarter=None,
            scope="agency",
            language="en",
            fmt="xlsx",
            channel="web",
        )
        tasks_run_pending()
        return report

    @cached_property
    def export(self) -> CtdcExport:
        export = ctdc_request(actor=self.chief, fmt="json", channel="web")
        tasks_run_pending()
        return export


def _chief(w: World) -> Actor:
    return w.chief


def _downloads(w: World) -> int:
    return AuditEvent.objects.filter(action__endswith="downloaded").count()


CONTROLS: dict[str, Control] = {
    "GET reports:detail": web("GET", "reports:detail", "report", _chief, 200, refused=403),
    "GET /reports/{report_id}": api("GET", "/reports/{w.report.pk}", _chief, 200, refused=403),
    "GET reports:download": web(
        "GET", "reports:download", "report", _chief, 200, refused=403, state=_downloads
    ),
    "GET /reports/{report_id}/file": api(
        "GET", "/reports/{w.report.pk}/file", _chief, 200, refused=403, state=_downloads
    ),
    "GET exchange:ctdc_detail": web(
        "GET", "exchange:ctdc_detail", "export", _chief, 200, refused=403
    ),
    "GET /exchange/ctdc/{export_id}": api(
        "GET", "/exchange/ctdc/{w.export.pk}", _chief, 200, refused=403
    ),
    "GET exchange:ctdc_file": web(
        "GET", "exchange:ctdc_file", "export", _chief, 200, refused=403, state=_downloads
    ),
    "GET /exchange/ctdc/{export_id}/file": api(
        "GET", "/exchange/ctdc/{w.export.pk}/file", _chief, 200, refused=403, state=_downloads
    ),
    "POST exchange:htcds": web(
        "POST",
        "exchange:htcds",
        "",
        _chief,
        200,
        refused=403,
        body=lambda w: {"partner": str(w.people.employment.pk), "format": "csv"},
        state=lambda w: AuditEvent.objects.count(),
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
