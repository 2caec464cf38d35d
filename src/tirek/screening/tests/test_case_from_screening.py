"""A case registered from an anonymous screening carries its indicators over (issue 9 item 7):
service, web page, API, timeline and audit, permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.cases.models import Case, CaseEvent
from tirek.cases.services import PersonInput, VictimInput
from tirek.core.errors import Forbidden, InvalidState, NotFound
from tirek.core.models import AuditEvent
from tirek.screening.models import Screening
from tirek.screening.registration import screening_case_register
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.testing.api import ApiClient
from tirek.web.tests.support import SecureClient

PERSON = PersonInput(first_name="Hotlina", family_name="Synthetova")


@pytest.fixture
def anonymous(people) -> Screening:
    """A hotline call: adult, labour, two indicators with their sources and notes."""
    return screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        data=ScreeningInput(
            scope="labour",
            age_at_exploitation=30,
            observations=[
                Observation("CD-01", "self_report", "Passport kept by the employer."),
                Observation("EX-01", "observation"),
            ],
        ),
    )


def register(people, anonymous, actor=None) -> Case:
    return screening_case_register(
        actor=actor or people.aigul,
        screening_id=anonymous.pk,
        person=PERSON,
        victim=VictimInput(),
    )


def test_the_new_case_has_the_screenings_indicators_sources_and_notes(people, anonymous):
    case = register(people, anonymous)
    carried = Screening.objects.get(case=case)
    assert sorted((o.code, o.source, o.note) for o in carried.observed.all()) == [
        ("CD-01", "self_report", "Passport kept by the employer."),
        ("EX-01", "observation", ""),
    ]


def test_the_carried_screening_keeps_the_result_and_points_back(people, anonymous):
    carried = Screening.objects.get(case=register(people, anonymous))
    assert (carried.result, carried.age_at_exploitation, carried.carried_over_from_id) == (
        anonymous.result,
        30,
        anonymous.pk,
    )


def test_the_anonymous_screening_itself_is_unchanged(people, anonymous):
    register(people, anonymous)
    anonymous.refresh_from_db()
    assert anonymous.case_id is None and anonymous.observed.count() == 2


def test_the_case_timeline_shows_the_carried_screening(people, anonymous):
    case = register(people, anonymous)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.SCREENING_SAVED)
    assert event.data["carried_over_from"] == str(anonymous.pk)


def test_the_carry_over_is_in_the_audit_log(people, anonymous):
    register(people, anonymous)
    assert AuditEvent.objects.filter(
        action="screening_carried_over", object_id=str(anonymous.pk)
    ).exists()


def test_a_screening_is_carried_over_once(people, anonymous):
    register(people, anonymous)
    with pytest.raises(InvalidState):
        register(people, anonymous)
    assert Case.objects.count() == 1


def test_a_screening_on_a_case_is_not_carried_over(people, anonymous):
    carried = Screening.objects.get(case=register(people, anonymous))
    with pytest.raises(InvalidState):
        register(people, carried)


def test_the_outsider_cannot_register_from_another_agencys_screening(people, anonymous):
    with pytest.raises(NotFound):
        register(people, anonymous, actor=people.outsider)
    assert Case.objects.count() == 0


def test_an_administrator_cannot_register_from_a_screening(people, anonymous):
    with pytest.raises(Forbidden):
        register(people, anonymous, actor=people.agency_admin)


def test_bad_person_data_registers_nothing_and_carries_nothing(people, anonymous):
    with pytest.raises(Exception):  # noqa: B017 - the service's ValidationError
        screening_case_register(
            actor=people.aigul,
            screening_id=anonymous.pk,
            person=PersonInput(),
            victim=VictimInput(),
        )
    assert (Case.objects.count(), Screening.objects.count()) == (0, 1)


# -- web ---------------------------------------------------------------------------------------


@pytest.fixture
def aigul_client(people):
    client = SecureClient()
    client.force_login(people.aigul.user)
    return client


def test_the_anonymous_screening_offers_to_register_a_case(aigul_client, anonymous):
    content = aigul_client.get(reverse("screening:detail", args=[anonymous.pk])).content.decode()
    assert f'href="{reverse("screening:case_register", args=[anonymous.pk])}"' in content


def test_the_registration_page_says_what_is_carried_over(aigul_client, anonymous):
    url = reverse("screening:case_register", args=[anonymous.pk])
    content = aigul_client.get(url).content.decode()
    assert f'action="{url}"' in content and "2 indicators, with their sources" in content


def test_registering_on_the_page_goes_to_the_new_case(aigul_client, anonymous):
    url = reverse("screening:case_register", args=[anonymous.pk])
    data = {
        "family_name": "Synthetova",
        "first_name": "Hotlina",
        "sex": "F",
        "gender": "Feminine",
        "birth_date_precision": "day",
        "trafficking_status": "PossibleVictimOfTrafficking",
        "place_type": "Exploitation",
    }
    response = aigul_client.post(url, data)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert Screening.objects.get(case=case).carried_over_from_id == anonymous.pk


def test_errors_on_the_page_keep_the_carry_over(aigul_client, anonymous):
    url = reverse("screening:case_register", args=[anonymous.pk])
    response = aigul_client.post(url, {"sex": "F", "birth_date_precision": "day"})
    assert response.status_code == 422 and f'action="{url}"' in response.content.decode()


def test_once_carried_the_page_sends_back_to_the_screening(aigul_client, people, anonymous):
    register(people, anonymous)
    response = aigul_client.get(reverse("screening:case_register", args=[anonymous.pk]))
    assert response["Location"] == reverse("screening:detail", args=[anonymous.pk])


# -- API ---------------------------------------------------------------------------------------


def test_api_registers_a_case_from_the_screening(people, anonymous):
    response = ApiClient(people.aigul).post(
        f"/screenings/{anonymous.pk}/case",
        {"person": {"prs_FirstName": "Hotlina", "prs_SecondName": "Synthetova"}, "victim": {}},
    )
    assert response.status_code == 201
    assert Screening.objects.get(case_id=response.json()["id"]).carried_over_from_id == anonymous.pk


def test_api_outsider_gets_404(people, anonymous):
    response = ApiClient(people.outsider).post(
        f"/screenings/{anonymous.pk}/case",
        {"person": {"prs_FirstName": "Hotlina"}, "victim": {}},
    )
    assert response.status_code == 404 and Case.objects.count() == 0
