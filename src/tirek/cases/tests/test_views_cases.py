from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tirek.cases.choices import Section, TraffickingStatus, TypeOfExploitation
from tirek.cases.models import Case, HistoricEvent
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def client():
    return SecureClient()


@pytest.fixture
def aigul_client(client, people):
    client.force_login(people.aigul.user)
    return client


def register_data(**overrides):
    data = {
        "family_name": "Synthetova",
        "first_name": "Testgul",
        "patronymic": "",
        "sex": "F",
        "gender": "Feminine",
        "birth_date": "1999-04-12",
        "birth_date_precision": "day",
        "citizenship": ["KAZ", "UZB"],
        "primary_language": "kk",
        "trafficking_status": TraffickingStatus.POSSIBLE,
        "types_of_exploitation": [TypeOfExploitation.FORCED_LABOUR],
        "methods_of_control": ["DebtBondage"],
        "place_type": "Exploitation",
        "place_country": "KAZ",
        "place_city": "Almaty",
    }
    data.update(overrides)
    return data


def test_case_list_shows_the_agencys_cases(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.get(reverse("cases:list"))
    assert case.reference in response.content.decode()


def test_case_list_hides_names_of_cases_shared_without_identity(client, people):
    case = case_build(people.aigul, family_name="Hiddenova")
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.VICTIM],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client.force_login(people.dana.user)
    content = client.get(reverse("cases:list")).content.decode()
    assert case.reference in content and "Hiddenova" not in content


@pytest.mark.parametrize("persona", ["agency_admin", "system_admin"])
def test_administrators_do_not_get_the_case_list(client, people, persona):
    case_build(people.aigul)
    client.force_login(getattr(people, persona).user)
    assert client.get(reverse("cases:list")).status_code == 403


def test_register_page_shows_search_and_form(aigul_client):
    content = aigul_client.get(reverse("cases:register")).content.decode()
    assert 'name="search_name"' in content and 'name="family_name"' in content


def test_register_creates_a_case_and_opens_it(aigul_client, people):
    response = aigul_client.post(reverse("cases:register"), register_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])


def test_register_saves_the_place(aigul_client, people):
    aigul_client.post(reverse("cases:register"), register_data())
    assert HistoricEvent.objects.get().city == "Almaty"


def test_register_without_a_name_rerenders_with_the_error_and_writes_nothing(aigul_client):
    response = aigul_client.post(
        reverse("cases:register"), register_data(family_name="", first_name="")
    )
    content = response.content.decode()
    assert response.status_code == 422
    assert "Enter at least a given name or a family name." in content
    assert not Case.objects.exists()


def test_register_error_keeps_what_was_typed(aigul_client):
    response = aigul_client.post(
        reverse("cases:register"),
        register_data(first_name="", family_name="", patronymic="Keptovna"),
    )
    assert 'value="Keptovna"' in response.content.decode()


def test_register_future_birth_date_is_refused(aigul_client):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()  # noqa: DTZ011
    response = aigul_client.post(reverse("cases:register"), register_data(birth_date=future))
    assert "The birth date cannot be in the future." in response.content.decode()
    assert not Case.objects.exists()


def test_register_bad_email_is_refused(aigul_client):
    response = aigul_client.post(reverse("cases:register"), register_data(email="not-an-email"))
    assert response.status_code == 422
    assert not Case.objects.exists()


def test_register_error_shows_in_the_users_language(aigul_client):
    response = aigul_client.post(
        reverse("cases:register"),
        register_data(family_name="", first_name=""),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.headers["Content-Language"] == "en"


def test_search_finds_a_visible_case(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:search"), {"search_name": "synthetova"}, HTTP_HX_REQUEST="true"
    )
    assert case.reference in response.content.decode()


def test_search_htmx_returns_only_the_results(aigul_client, people):
    case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:search"), {"search_name": "synthetova"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.content.decode()


def test_search_without_match_says_so(aigul_client):
    response = aigul_client.post(
        reverse("cases:search"), {"search_name": "Nobodyova"}, HTTP_HX_REQUEST="true"
    )
    assert "No matching case among the cases you can see" in response.content.decode()


def test_search_never_finds_cases_of_other_agencies(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    response = client.post(reverse("cases:search"), {"search_name": "Synthetova"})
    assert case.reference not in response.content.decode()


def test_search_by_get_leads_to_the_search_form(aigul_client):
    """A name never goes into a URL: opened directly, the search address offers the form."""
    response = aigul_client.get(reverse("cases:search") + "?search_name=Synthetova")
    assert response["Location"] == reverse("cases:register") + "#search-heading"


def test_case_detail_shows_the_person_to_the_owner(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.get(reverse("cases:detail", args=[case.pk]))
    assert "Synthetova" in response.content.decode()


def test_case_detail_shows_the_timeline(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("cases:detail", args=[case.pk]) + "?tab=timeline"
    content = aigul_client.get(url).content.decode()
    assert "Case registered" in content and "Crisis Centre Test-Umit" in content


def test_outsider_gets_404_on_case_detail(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_unknown_case_is_404(aigul_client):
    url = reverse("cases:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert aigul_client.get(url).status_code == 404


def test_receiver_sees_a_not_shared_note_for_sections_not_granted(client, people):
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
    assert "Identity is not shared with your agency." in content
    assert "Synthetova" not in content


def test_victim_update_saves(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:victim_update", args=[case.pk]),
        {"trafficking_status": TraffickingStatus.ACTUAL, "expected_version": case.version},
    )
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.trafficking_status == TraffickingStatus.ACTUAL


def test_victim_update_with_a_stale_version_is_refused_with_a_message(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:victim_update", args=[case.pk]),
        {"trafficking_status": TraffickingStatus.ACTUAL, "expected_version": case.version - 1},
    )
    case.refresh_from_db()
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE


def test_victim_update_with_bad_age_rerenders_and_writes_nothing(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:victim_update", args=[case.pk]),
        {
            "trafficking_status": TraffickingStatus.ACTUAL,
            "age_when_trafficked": "150",
            "expected_version": case.version,
        },
    )
    case.refresh_from_db()
    assert response.status_code == 422
    assert case.trafficking_status == TraffickingStatus.POSSIBLE


def test_receiver_cannot_edit_the_case(client, people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    client.force_login(people.dana.user)
    response = client.post(
        reverse("cases:victim_update", args=[case.pk]),
        {"trafficking_status": TraffickingStatus.ACTUAL, "expected_version": case.version},
    )
    assert response.status_code == 403


def test_place_add_saves(aigul_client, people):
    case = case_build(people.aigul)
    aigul_client.post(
        reverse("cases:place_add", args=[case.pk]),
        {"place_type": "Recruitment", "place_country": "UZB", "place_city": "Samarkand"},
    )
    assert [e.city for e in case.historic_events.all()] == ["Almaty", "Samarkand"]


def test_place_add_with_nothing_rerenders_with_the_error(aigul_client, people):
    case = case_build(people.aigul)
    response = aigul_client.post(
        reverse("cases:place_add", args=[case.pk]), {"place_type": "Recruitment"}
    )
    assert response.status_code == 422
    assert "Enter at least a country, a city or a date." in response.content.decode()
    assert case.historic_events.count() == 1


def test_outsider_cannot_add_a_place(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    response = client.post(
        reverse("cases:place_add", args=[case.pk]),
        {"place_type": "Recruitment", "place_country": "UZB"},
    )
    assert response.status_code == 404


def test_search_shows_only_the_known_part_of_a_birth_date(aigul_client, people):
    case_build(people.aigul, birth_date=datetime.date(1998, 1, 1), birth_date_precision="year")
    response = aigul_client.post(
        reverse("cases:search"), {"search_name": "Synthetova"}, HTTP_HX_REQUEST="true"
    )
    assert "1998 ·" in response.content.decode() and "01/01/1998" not in response.content.decode()


# -- every error at once (issue 9 item 4) ----------------------------------------------------

ALL_WRONG = {
    "email": "not-an-email",
    "birth_date": "01.01.2999",
    "approximate_age": "-5",
    "age_when_trafficked": "500",
    "place_date": "01.01.2999",
    "mobile_phone": "12",
}
ALL_MESSAGES = {
    "email": "This is not an e-mail address",
    "birth_date": "The birth date cannot be in the future.",
    "approximate_age": "The age must be between 0 and 120.",
    "age_when_trafficked": "The age must be between 0 and 120.",
    "place_date": "The date cannot be in the future.",
    "mobile_phone": "This is not a phone number",
}


@pytest.mark.parametrize("field", sorted(ALL_WRONG))
def test_register_shows_every_error_in_one_round(aigul_client, field):
    response = aigul_client.post(reverse("cases:register"), register_data(**ALL_WRONG))
    content = response.content.decode()
    block = content.split(f'id="id_{field}_error"', 1)
    assert len(block) == 2 and ALL_MESSAGES[field] in block[1].split("</ul>", 1)[0]


def test_a_field_that_did_not_parse_shows_only_its_own_error(aigul_client):
    response = aigul_client.post(
        reverse("cases:register"), register_data(birth_date="31.02.1999", approximate_age="x")
    )
    content = response.content.decode()
    assert content.count('id="id_birth_date_error"') == 1
    assert "Enter a valid date." in content and "Enter a whole number." in content


def test_register_reads_a_phone_written_the_local_way(aigul_client):
    aigul_client.post(reverse("cases:register"), register_data(mobile_phone="8 (701) 234-56-78"))
    assert Case.objects.get().person.mobile_phone == "+77012345678"
