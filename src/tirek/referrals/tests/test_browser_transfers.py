"""A transfer of case ownership in Chromium at phone size: the police propose it on the case
page, the crisis centre finds it in its inbox, reads the summary and accepts; the case is then
the crisis centre's, and the police keep only the proceedings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases.choices import Section
from tirek.cases.models import Case
from tirek.referrals.models import CaseTransfer
from tirek.testing.browser import PHONE, chromium, signed_in
from tirek.testing.builders import case_build, consent_build
from tirek.testing.personas import personas_create

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context(live_server, transactional_db):
    with chromium(viewport=PHONE) as context:
        yield context


@pytest.fixture
def police_case(transactional_db):
    people = personas_create()
    case = case_build(people.nurlan, family_name="Handoverova")
    consent_build(people.nurlan, case, to=people.crisis_centre, sections=sorted(Section.values))
    return people, case


def test_police_propose_and_the_crisis_centre_accepts(browser_context, live_server, police_case):
    people, case = police_case
    police = signed_in(browser_context, live_server.url, "nurlan")
    police.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    police.get_by_role("link", name="Transfer the case").click()
    police.get_by_text("Transfer the case to another agency").click()
    police.select_option("#transfer_to_agency", label=people.crisis_centre.label)
    police.select_option("#transfer_consent", index=1)
    assert police.is_checked("#transfer_kept_sections input[value=proceedings]")
    police.fill("#transfer_reason", "She needs the crisis centre's shelter and support.")
    police.get_by_role("button", name="Propose the transfer").click()
    police.locator("#transfer .status-proposed").wait_for()

    browser = browser_context.browser
    assert browser is not None
    second_persona = browser.new_context(viewport=PHONE)  # her own cookies
    try:
        centre = signed_in(second_persona, live_server.url, "aigul")
        centre.goto(live_server.url + reverse("referrals:inbox"))
        centre.get_by_role("link", name="Open and answer").click()
        assert "Handoverova" not in centre.content()
        centre.get_by_role("button", name="Accept the case").click()
        centre.wait_for_url(f"**{reverse('cases:detail', args=[case.pk])}**")
        assert "Handoverova" in centre.inner_text("main")
    finally:
        second_persona.close()

    case.refresh_from_db()
    transfer = CaseTransfer.objects.get()
    assert (case.owner_agency_id, transfer.kept_sections) == (
        people.crisis_centre.pk,
        [Section.PERPETRATORS, Section.PROCEEDINGS],
    )


def test_a_declined_transfer_shows_the_missing_reason_in_place(
    browser_context, live_server, police_case
):
    from tirek.testing.builders import transfer_build

    people, case = police_case
    transfer = transfer_build(people.nurlan, case, to=people.crisis_centre)
    centre = signed_in(browser_context, live_server.url, "aigul")
    centre.goto(live_server.url + reverse("referrals:transfer", args=[transfer.pk]))
    centre.evaluate("window.transferPageMarker = 1")  # gone if the page reloads
    centre.get_by_role("button", name="Decline the transfer").click()
    centre.locator("#transfer-decision .errorlist").wait_for()
    assert centre.evaluate("window.transferPageMarker") == 1
    assert Case.objects.get(pk=case.pk).owner_agency_id == people.police.pk
