"""The case page built from its registry: the header, the tabs, HTMX swaps, failed forms."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tirek.cases import page
from tirek.cases.choices import Section
from tirek.cases.views import case_detail_url
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


def _tabs(content: str) -> list[str]:
    nav = content.split('class="case-tabs"', 1)[1].split("</nav>", 1)[0]
    return [part.split('"', 1)[0] for part in nav.split("?tab=")[1::2]]


def test_the_page_opens_on_the_person_with_the_stage_in_the_header(aigul_client, people):
    case = case_build(people.aigul)
    content = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    heading = content.split('id="case-heading">', 1)[1].split("</h1>", 1)[0]
    assert "Synthetova" in heading and case.reference in heading
    assert "Identification" in content.split("case-tags", 1)[1].split("</ul>", 1)[0]
    assert 'data-tab="person"' in content
    assert "Case registered" not in content  # the timeline is a tab of its own


def test_the_owner_gets_every_tab_with_something_in_it(aigul_client, people):
    case = case_build(people.aigul)
    content = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    tabs = _tabs(content)
    assert tabs[0] == "person"
    assert {"trafficking", "screening", "consents", "referrals", "timeline", "record"} <= set(tabs)


def test_a_receiver_gets_only_the_tabs_of_what_was_shared(client, people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.VICTIM],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client.force_login(people.dana.user)
    content = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    tabs = _tabs(content)
    assert "consents" not in tabs and "record" not in tabs
    assert "trafficking" in tabs and "timeline" in tabs
    # asking for a tab that is not offered shows the first one instead
    url = reverse("cases:detail", args=[case.pk]) + "?tab=record"
    content = client.get(url).content.decode()
    assert 'data-tab="person"' in content and "/close/" not in content


def test_a_tab_is_opened_by_its_name_and_an_unknown_one_falls_back(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk])
    content = aigul_client.get(url + "?tab=timeline").content.decode()
    assert 'data-tab="timeline"' in content and "Case registered" in content
    content = aigul_client.get(url + "?tab=nonsense").content.decode()
    assert 'data-tab="person"' in content


def test_htmx_gets_the_page_without_the_frame_and_the_address_to_push(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk]) + "?tab=trafficking"
    response = aigul_client.get(url, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content and 'id="case-page"' in content
    assert response["HX-Push-Url"] == url
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk])
    response = aigul_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_a_failed_form_opens_its_tab_with_every_error(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:place_add", args=[case.pk]),
        {"place_type": "Exploitation", "place_country": "XXX", "place_date": "2999-01-01"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert 'data-tab="trafficking"' in content
    assert content.count('class="errorlist"') >= 2


def test_a_failed_form_of_another_app_opens_its_tab(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(reverse("protection:consent_record", args=[case.pk]), {})
    assert response.status_code == 422
    assert 'data-tab="consents"' in response.content.decode()


def test_a_redirect_to_a_part_of_the_case_opens_its_tab():
    case_id = "00000000-0000-4000-8000-000000000000"
    assert case_detail_url(case_id, "victim").endswith("?tab=trafficking#victim")
    assert case_detail_url(case_id, "consents").endswith("?tab=consents#consents")
    assert case_detail_url(case_id, "personal-data").endswith("?tab=record#personal-data")
    assert case_detail_url(case_id, "nowhere").endswith("/#nowhere")


def test_the_actions_that_fit_the_stage_are_at_the_top(aigul_client, people):
    case = case_build(people.aigul)
    content = aigul_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    actions = content.split('class="case-actions"', 1)[1].split("<details", 1)[0]
    assert reverse("screening:case_new", args=[case.pk]) in actions
    assert "?tab=consents" in actions and "?tab=referrals" in actions
    # while the person is identified, screening is the primary step
    first = actions.split("<a ", 2)[1]
    assert 'class="button"' in first and "screening" in first


@pytest.fixture
def registered_extras():
    """A flag, a due item and a panel registered by a test app, removed afterwards."""

    def flags(actor, view):
        return [page.Flag("Test flag: high risk", level="danger", tab="timeline")]

    def dues(actor, view):
        return [
            page.Due("Test call back", datetime.date(2020, 1, 1), tab="timeline"),
            page.Due("Test later", datetime.date(2999, 1, 1)),
        ]

    def context(request, actor, view, bound):
        return {"reference": view.case.reference}

    page.flag_register("test", flags)
    page.due_register("test", dues)
    page.tab_register(page.Tab("test_tab", "Test tab", 60))
    page.panel_register(
        "test_tab", "test_panel", "web/_alert.html", context, visible_for=page.owner_only
    )
    yield
    page._flags.pop("test")
    page._dues.pop("test")
    page._tabs.pop("test_tab")
    page._panels.pop("test_panel")


def test_other_apps_plug_in_flags_dues_and_tabs(registered_extras, aigul_client, client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk])
    content = aigul_client.get(url).content.decode()
    header = content.split('id="case-heading"', 1)[1].split("</header>", 1)[0]
    assert "Test flag: high risk" in header
    assert header.index("Test call back") < header.index("Test later")
    assert "1 overdue" in header
    assert "test_tab" in _tabs(content)
    # the panel's visible_for hides the tab from an agency that does not own the case
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client.force_login(people.dana.user)
    assert "test_tab" not in _tabs(client.get(url).content.decode())
