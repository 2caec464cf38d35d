"""Issue 11's "Done when" journey in Chromium (phone size): the coordinator imports Almaty's
mechanism, puts it in force and compares it with a working group's draft made from its export;
the police refer the case to the crisis centre from the case page, the hospital declines the
medical referral and the police send it elsewhere in one step, the overdue embassy step
escalates to the coordinator, and each agency's pages show only what it was granted."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from tirek.cases.choices import Section
from tirek.cases.lifecycle import case_stage_change
from tirek.cases.models import Case
from tirek.mechanisms.deadlines import deadlines_sweep
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.tests.journey import journey_build, mechanism_file
from tirek.mechanisms.tests.test_browser_mechanisms import http_live_server  # noqa: F401
from tirek.referrals.models import Referral
from tirek.referrals.services import referral_accept
from tirek.testing.browser import chromium, signed_in
from tirek.testing.builders import case_build, consent_build, referral_build
from tirek.testing.personas import personas_create

pytestmark = [pytest.mark.browser]


def _as(context: BrowserContext, base: str, username: str) -> Page:
    context.clear_cookies()
    return signed_in(context, base, username)


def _upload(page: Page, base: str, document: dict[str, Any]) -> None:
    page.goto(base + "/mechanisms/import/")
    page.get_by_label("Mechanism file (JSON)").set_input_files(
        {
            "name": "almaty.json",
            "mimeType": "application/json",
            "buffer": json.dumps(document).encode(),
        }
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(lambda url: "/import/" not in url)


def _stage(case: Case, actor: Any, stage: str) -> None:
    case.refresh_from_db()
    case_stage_change(actor=actor, case_id=case.pk, stage=stage, expected_version=case.version)


def test_the_journey_in_chromium(http_live_server: Any) -> None:  # noqa: F811
    base = http_live_server.url
    people = personas_create()
    journey = journey_build(people)

    with chromium() as context:
        # The coordinator imports the mechanism and puts it in force.
        page = _as(context, base, "zhanar")
        _upload(page, base, mechanism_file(journey))
        expect(page.locator("svg.mechanism-diagram")).to_contain_text("Legal aid")
        page.get_by_role("button", name="Put in force").click()
        expect(page.get_by_text("This version is now in force")).to_be_visible()
        in_force = Mechanism.objects.get(status=Mechanism.Status.IN_FORCE)

        # Its export, changed by a working group and imported again, is compared side by side.
        exported = page.request.get(base + f"/mechanisms/{in_force.pk}/export.json").json()
        for step in exported["steps"]:
            if step["code"] == "medical-care":
                step["deadline"]["value"] = 2
        _upload(page, base, exported | {"title": "Working group 2"})
        draft = Mechanism.objects.get(title="Working group 2")
        page.goto(base + f"/mechanisms/compare/?left={in_force.pk}&right={draft.pk}")
        changed = page.locator("tr.compare-changed")
        expect(changed).to_have_count(1)
        expect(changed).to_contain_text("Medical examination and care")
        expect(changed).to_contain_text("3 days")
        expect(changed).to_contain_text("2 days")

        # Identification: the police's case has the crisis-centre step with its due time; the
        # officer refers her to the crisis centre from the case page.
        case = case_build(people.nurlan, citizenship=["UZB"])
        consent_build(people.nurlan, case, sections=[Section.IDENTITY, Section.VICTIM])
        police = _as(context, base, "nurlan")
        police.goto(base + f"/cases/{case.pk}/?tab=mechanism")
        checklist = police.locator("#checklist")
        expect(checklist).to_contain_text("Placed in a crisis centre")
        expect(checklist).to_contain_text("Due")
        police.goto(base + f"/cases/{case.pk}/?tab=referrals")
        police.locator("summary", has_text="Refer to another agency").click()
        police.locator("#referral_consent").select_option(index=1)
        police.locator("#referral_service_type").select_option(label="Shelter")
        police.locator("#referral_to_agency").select_option(label="Crisis Centre Test-Umit")
        police.get_by_role("button", name="Send the referral").click()
        expect(police.get_by_text("Referral sent to Crisis Centre Test-Umit")).to_be_visible()
        shelter = Referral.objects.get(case=case, to_agency=people.crisis_centre)
        assert shelter.due_at == ChecklistItem.objects.get(case=case).due_at

        centre = _as(context, base, "aigul")
        centre.goto(base + f"/referrals/{shelter.pk}/")
        centre.get_by_role("button", name="Accept").click()
        expect(centre.get_by_role("link", name="Open the case")).to_be_visible()

        # First assistance: the hospital declines the medical referral; it goes elsewhere.
        _stage(case, people.nurlan, "first_assistance")
        medical = referral_build(
            people.nurlan, case, to=journey.hospital.agency, service=journey.medical
        )
        legal = referral_build(
            people.nurlan,
            case,
            to=journey.lawyer.agency,
            service=journey.legal,
            sections=[Section.IDENTITY],
        )
        referral_accept(actor=journey.lawyer, referral_id=legal.pk)
        hospital = _as(context, base, "asel")
        hospital.goto(base + f"/referrals/{medical.pk}/")
        hospital.get_by_role("link", name="Decline…").click()
        hospital.get_by_label("Why do you decline?").fill("No free beds this week")
        hospital.get_by_role("button", name="Decline the referral").click()
        expect(hospital.get_by_text("Referral declined.")).to_be_visible()
        police = _as(context, base, "nurlan")
        police.goto(base + f"/referrals/{medical.pk}/")
        expect(police.locator("main")).to_contain_text("No free beds this week")
        police.get_by_label("Agency").select_option(label="Test Women's Clinic")
        police.get_by_role("button", name="Send elsewhere").click()
        expect(police.get_by_text("The referral is sent to the other agency.")).to_be_visible()
        assert Referral.objects.filter(
            case=case, to_agency=journey.clinic.agency, status=Referral.Status.SENT
        ).exists()

        # Return: the embassy does not answer; both deadlines pass and the sweep escalates.
        _stage(case, people.nurlan, "return")
        referral_build(people.nurlan, case, to=people.embassy, service=journey.repatriation)
        embassy_item = ChecklistItem.objects.get(case=case, step__code="embassy-contacted")
        past = timezone.now() - datetime.timedelta(days=5)
        ChecklistItem.objects.filter(pk=embassy_item.pk).update(
            due_at=past, escalate_at=past + datetime.timedelta(days=2)
        )
        Referral.objects.filter(case=case, to_agency=people.embassy).update(due_at=past)
        assert deadlines_sweep.call()["escalated"] == 1
        police.goto(base + f"/cases/{case.pk}/?tab=mechanism")
        expect(police.locator("#checklist .overdue")).to_contain_text(
            "Embassy contacted for the return"
        )
        coordinator = _as(context, base, "zhanar")
        coordinator.goto(base + "/mechanisms/open-steps/")
        row = coordinator.locator("table.open-steps tbody tr").first
        expect(row).to_contain_text("Embassy contacted for the return")
        expect(row).to_contain_text("Overdue")
        expect(row).to_contain_text("Embassy of Testland")
        expect(coordinator.locator("main")).not_to_contain_text(case.reference)

        # Each agency sees only what it was granted.
        case_url = base + f"/cases/{case.pk}/"
        for username in ("dana", "asel", "zhanar"):  # no part, declined, a coordinator
            outside = _as(context, base, username)
            answer = outside.goto(case_url)
            assert answer is not None and answer.status in (403, 404), username
            expect(outside.locator("main")).not_to_contain_text("Synthetova")
        lawyer = _as(context, base, "timur")
        lawyer.goto(case_url)
        expect(lawyer.locator("main")).to_contain_text("Synthetova")  # identity: granted
        expect(lawyer.locator("main")).to_contain_text(  # the victim section: not granted
            re.compile(r"Not shared with your agency:[^.]*Trafficking details")
        )
        lawyer.goto(case_url + "?tab=trafficking")
        expect(lawyer.locator("main")).not_to_contain_text("Forced labour")
        centre = _as(context, base, "aigul")
        centre.goto(case_url + "?tab=trafficking")
        expect(centre.locator("main")).to_contain_text("Forced labour")  # granted to it
