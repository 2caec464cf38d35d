"""The report page in Chromium, in Kazakh at phone size: asking for a report shows its progress,
and the page updates by itself (HTMX polling) to the download once the worker is done."""

from __future__ import annotations

import os

import pytest

from tirek.accounts.models import Agency, Membership, User
from tirek.accounts.roles import Role
from tirek.reports.models import ReportRun
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create
from tirek.testing.tasks import tasks_run_pending

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in


@pytest.fixture
def coordinator(transactional_db):
    people = personas_create()
    case_build(people.aigul)
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    user = User.objects.create_user(username="report-coordinator", password=PASSWORD)
    Membership.objects.create(user=user, agency=commission, role=Role.COORDINATOR)
    return user


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_the_page_follows_the_report_until_it_can_be_downloaded(live_server, coordinator):
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, coordinator.username)
        page.goto(live_server.url + "/reports/")
        _shot(page, "reports-kk-phone.png")
        page.select_option("select[name=format]", "xlsx")
        page.click("form button.button")
        page.locator("#report-status progress").wait_for()
        _shot(page, "report-waiting-kk-phone.png")
        assert "Басталуын күтуде" in page.inner_text("#report-status")
        assert tasks_run_pending() == 1
        assert ReportRun.objects.get().status == ReportRun.Status.DONE
        link = page.locator("#report-status a.button")
        link.wait_for(timeout=8_000)  # the next poll brings the download
        _shot(page, "report-ready-kk-phone.png")
        assert "XLSX" in link.inner_text()
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith("-kk.xlsx")


def test_a_coordinator_asks_for_a_differentially_private_report_on_a_phone(
    live_server, coordinator
):
    """The privacy choice on the form (HTMX): an ε out of range is refused in Kazakh in place,
    a good one opens the report's page, which states it."""
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, coordinator.username)
        page.goto(live_server.url + "/reports/")
        page.check("input[name=privacy][value=differential]")
        page.fill("input[name=epsilon]", "50")
        page.select_option("select[name=mechanism]", "gaussian")
        page.click("form button.button")
        page.locator("#id_epsilon_error").wait_for()
        assert "ε мәнін 0.01 мен 10 аралығынан таңдаңыз." in page.inner_text("#id_epsilon_error")
        assert page.is_checked("input[name=privacy][value=differential]")
        _shot(page, "report-dp-form-kk-phone.png")
        page.fill("input[name=epsilon]", "1,5")
        page.click("form button.button")
        page.locator("#report-status").wait_for()
        assert "ε = 1.5" in page.inner_text("main")
        _shot(page, "report-dp-waiting-kk-phone.png")
    report = ReportRun.objects.get()
    assert report.differential and report.epsilon == 1.5 and report.mechanism == "gaussian"
