"""Issue 11 in Chromium: a coordinator writes the Almaty mechanism and puts it in force; a case
gets its checklist with due times; an overdue step escalates and the coordinator sees who is
late; the receiver records the service delivered, which closes the step."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tirek.accounts.models import Agency
from tirek.accounts.roles import Role
from tirek.cases.lifecycle import case_stage_change
from tirek.mechanisms.deadlines import deadlines_sweep
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.tests.conftest import member
from tirek.referrals.services import referral_accept
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import PASSWORD, personas_create

pytestmark = [pytest.mark.browser]


@pytest.fixture
def http_live_server(settings: Any, transactional_db: None) -> Iterator[Any]:
    from pytest_django.live_server_helper import LiveServer

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.ALLOWED_HOSTS = ["localhost"]
    server = LiveServer("localhost:0")
    yield server
    server.stop()


def test_mechanism_checklist_escalation_and_delivery(http_live_server: Any) -> None:
    base = http_live_server.url
    people = personas_create()
    commission = Agency.objects.create(
        name="Test Coordinating Commission", type=Agency.Type.COMMISSION, place=people.almaty
    )
    coordinator = member("zhanar", commission, Role.COORDINATOR)
    coordinator.user.set_password(PASSWORD)
    coordinator.user.save()

    with chromium() as context:
        page = signed_in(context, base, "zhanar")
        # A new draft for Almaty, one step, put in force.
        page.goto(base + "/mechanisms/")
        page.get_by_label("Territory").select_option(label="Almaty")
        page.get_by_label("Title").fill("Almaty referral mechanism")
        page.get_by_role("button", name="Make a draft").click()
        expect(page.get_by_text("The draft is made")).to_be_visible()
        page.locator("#stage-first_assistance").locator("xpath=..").get_by_role(
            "link", name="Add a step"
        ).click()
        page.get_by_label("Step (English)").fill("Shelter placement")
        page.get_by_label("Code").fill("shelter")
        page.get_by_label("Agency type").select_option(label="NGO")
        page.get_by_label("Service").select_option(label="Shelter")
        page.get_by_label("Deadline", exact=True).fill("24")
        page.get_by_label("Escalate to the coordinator after (same unit)").fill("12")
        page.get_by_role("button", name="Save the step").click()
        expect(page.locator("#step-shelter")).to_contain_text("within 24 hours")
        expect(page.locator("svg.mechanism-diagram")).to_contain_text("Shelter placement")
        page.get_by_role("button", name="Put in force").click()
        expect(page.get_by_text("This version is now in force")).to_be_visible()
        mechanism = Mechanism.objects.get(status=Mechanism.Status.IN_FORCE)

        # A case enters first assistance: its checklist has the shelter step, due in 24 hours.
        case = case_build(people.aigul)
        case.refresh_from_db()
        case_stage_change(
            actor=people.aigul,
            case_id=case.pk,
            stage="first_assistance",
            expected_version=case.version,
        )
        referral = referral_build(
            people.aigul, case, to=people.police, service=people.shelter_service
        )
        item = ChecklistItem.objects.get(case=case)
        assert item.step.mechanism == mechanism and item.referral == referral
        context.clear_cookies()
        worker = signed_in(context, base, "aigul")
        worker.goto(base + f"/cases/{case.pk}/?tab=mechanism")
        expect(worker.locator("#checklist")).to_contain_text("Shelter placement")
        expect(worker.locator("#checklist")).to_contain_text("Test City Police Department")

        # Both deadlines pass: the sweep escalates; the coordinator sees who is late.
        past = timezone.now() - datetime.timedelta(hours=40)
        ChecklistItem.objects.filter(pk=item.pk).update(
            due_at=past, escalate_at=past + datetime.timedelta(hours=12)
        )
        assert deadlines_sweep.call() == {"reminded": 1, "escalated": 1}
        context.clear_cookies()
        page = signed_in(context, base, "zhanar")
        page.goto(base + "/mechanisms/open-steps/")
        row = page.locator("table.open-steps tbody tr").first
        expect(row).to_contain_text("Shelter placement")
        expect(row).to_contain_text("Overdue")
        expect(row).to_contain_text("Test City Police Department")
        expect(page.locator("main")).not_to_contain_text(case.reference)

        # The police accept and record the service delivered: the step is closed.
        referral_accept(actor=people.nurlan, referral_id=referral.pk)
        context.clear_cookies()
        police = signed_in(context, base, "nurlan")
        police.goto(base + f"/referrals/{referral.pk}/")
        police.get_by_role("button", name="Service delivered").click()
        expect(police.get_by_text("The outcome is recorded.")).to_be_visible()
        item.refresh_from_db()
        assert item.status == ChecklistItem.Status.DONE
        context.clear_cookies()
        page = signed_in(context, base, "zhanar")
        page.goto(base + "/mechanisms/open-steps/")
        expect(page.get_by_text("No open steps.")).to_be_visible()
