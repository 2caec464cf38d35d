"""Official reports: ask for one, watch it being prepared (HTMX polling), download it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from tirek.accounts.actor import Actor
from tirek.accounts.views import actor_view
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.reports.forms import ReportRequestForm
from tirek.reports.models import ReportRun
from tirek.reports.selectors import SHOWN, report_for, reports_of, reports_require
from tirek.reports.services import report_download, report_request
from tirek.statistics.selectors import dp_allowed, dp_left

CONTENT_TYPES = {
    ReportRun.Format.PDF: "application/pdf",
    ReportRun.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def file_response(report: ReportRun, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[ReportRun.Format(report.format)])
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@actor_view()
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The form to ask for a report, and the reports the person asked for lately."""
    reports_require(actor)
    left = f"{dp_left(timezone.localdate().year):.3g}" if dp_allowed(actor) else ""
    form = ReportRequestForm(request.POST or None, budget_left=left)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = report_request(
                    actor=actor,
                    kind=data["kind"],
                    year=data["year"],
                    quarter=data["quarter"],
                    scope=data["scope"],
                    language=data["language"],
                    fmt=data["format"],
                    channel="web",
                    privacy=data["privacy"],
                    epsilon=data["epsilon"],
                    mechanism=data["mechanism"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if is_htmx(request):  # the form was sent by HTMX: open the report's page
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse("reports:detail", args=[report.pk])
                    return response
                return redirect("reports:detail", report_id=report.pk)
        status = FORM_INVALID
    context = {
        "form": form,
        "reports": reports_of(actor)[:SHOWN],
        "keep_hours": settings.TIREK_REPORT_KEEP_HOURS,
    }
    return render(request, "reports/index.html", context, status=status)


@require_safe
@actor_view()
def detail(request: HttpRequest, actor: Actor, report_id: str) -> HttpResponse:
    """One report: its progress while it is prepared (the page asks again every 2 s)."""
    report = report_for(actor, report_id)
    template = "reports/_status.html" if is_htmx(request) else "reports/detail.html"
    return render(request, template, {"report": report})


@require_safe
@actor_view()
def download(request: HttpRequest, actor: Actor, report_id: str) -> HttpResponse:
    """The report's file (recorded in the audit log)."""
    report, content = report_download(actor=actor, report_id=report_id, channel="web")
    return file_response(report, content)
