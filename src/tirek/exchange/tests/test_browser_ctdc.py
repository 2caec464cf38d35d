"""The CTDC export in Chromium, in Kazakh at phone size: asking for it shows its progress, and the
page updates by itself (HTMX polling) to the counts and the download once the worker is done."""

from __future__ import annotations

import os

import pytest

from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.exchange.models import CtdcExport
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build
from tirek.testing.personas import PASSWORD, personas_create
from tirek.testing.tasks import tasks_run_pending

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TIREK_SCREENSHOTS", "")  # a folder to keep the pictures in


@pytest.fixture
def supervisor(transactional_db):
    people = personas_create()
    case_build(people.aigul)
    case_build(people.nurlan)  # the same person registered by the police: counted once
    user = User.objects.create_user(username="ctdc-supervisor", password=PASSWORD)
    Membership.objects.create(user=user, agency=people.crisis_centre, role=Role.SUPERVISOR)
    return user


def test_the_page_follows_the_export_until_it_can_be_downloaded(live_server, supervisor):
    with chromium(language="kk") as context:
        page = signed_in(context, live_server.url, supervisor.username)
        page.goto(live_server.url + "/exchange/")
        page.locator("form[action$='/exchange/ctdc/'] button.button").click()
        page.locator("#ctdc-status progress").wait_for()
        assert "Басталуын күтуде" in page.inner_text("#ctdc-status")
        assert tasks_run_pending() == 1
        assert CtdcExport.objects.get().status == CtdcExport.Status.DONE
        link = page.locator("#ctdc-status a.button")
        link.wait_for(timeout=8_000)  # the next poll brings the counts and the download
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, "ctdc-export-kk-phone.png"), full_page=True)
        assert CtdcExport.objects.get().merged == 1
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.startswith("tirek-ctdc-")
