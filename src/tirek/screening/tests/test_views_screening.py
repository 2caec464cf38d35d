"""Web pages for screening: the form and its live result, saving, the status decision and
the coordinator's catalogue page (Django test client)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import TraffickingStatus
from tirek.cases.models import Case, CaseEvent
from tirek.screening.models import Catalogue, Screening
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import Observation, ScreeningInput, screening_save
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient

# Worked example 1 of docs/screening.md: adult, labour, presumed victim.
EXAMPLE_1 = ["DR-01", "DR-02", "EX-01", "EX-02", "CD-01", "CD-02", "VD-02"]


def member(agency, role: str, username: str) -> Actor:
    user = User.objects.create_user(username=username, password="x-synthetic-password-1")
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def form_data(codes=(), *, scope="labour", age="", childhood=False, action="", **extra):
    data = {"catalogue": str(catalogue_current().pk), "scope": scope, "age_at_exploitation": age}
    if childhood:
        data["has_signs_of_childhood"] = "on"
    if action:
        data["action"] = action
    for code in codes:
        data[f"tick_{code}"] = "on"
    data.update(extra)
    return data


def saved(actor, case=None, codes=EXAMPLE_1) -> Screening:
    return screening_save(
        actor=actor,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(scope="labour", observations=[Observation(c) for c in codes]),
    )


@pytest.fixture
def client():
    client = SecureClient()
    client.cookies["django_language"] = "en"  # the assertions read English words
    return client


@pytest.fixture
def aigul_client(client, people):
    client.force_login(people.aigul.user)
    return client


# -- the form -------------------------------------------------------------------------------


def test_screening_page_groups_indicators_by_dimension(aigul_client):
    content = aigul_client.get(reverse("screening:new")).content.decode()
    assert 'id="dimension-coercion_at_destination"' in content and 'name="tick_CD-01"' in content


def test_screening_page_shows_labels_in_the_active_language(aigul_client):
    aigul_client.cookies["django_language"] = "ru"
    catalogue = catalogue_current()
    label = catalogue.indicators.get(code="DR-01").label_ru
    assert label in aigul_client.get(reverse("screening:new")).content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_screening_page_renders_in_each_language(aigul_client, language):
    aigul_client.cookies["django_language"] = language
    response = aigul_client.get(reverse("screening:new"))
    assert f'<html lang="{language}">' in response.content.decode()


def test_labour_list_shows_no_unverified_warning(aigul_client):
    content = aigul_client.get(reverse("screening:new")).content.decode()
    assert "unverified" not in content


def test_sexual_exploitation_list_shows_an_unverified_warning(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(scope="sexual"))
    assert 'class="alert warning unverified"' in response.content.decode()


# VR-08 is on the adult labour list only: for a child it stays in the form (a tick is never
# dropped) but is marked as not on the list used, which hides it unless it is ticked.
OFF_LIST_VR_08 = 'class="strength off-list" id="strength-VR-08"'


def test_child_age_screens_with_the_child_list(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(age="15"))
    assert OFF_LIST_VR_08 in response.content.decode()


def test_unknown_age_with_signs_of_childhood_screens_with_the_child_list(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(childhood=True))
    assert OFF_LIST_VR_08 in response.content.decode()


def test_known_adult_age_screens_with_the_adult_list_despite_signs_of_childhood(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(age="30", childhood=True))
    assert OFF_LIST_VR_08 not in response.content.decode()


def test_a_tick_off_the_list_used_is_kept_and_refused_on_save_with_its_code(aigul_client):
    response = aigul_client.post(
        reverse("screening:new"), form_data(["VR-08"], age="15", action="save")
    )
    content = response.content.decode()
    assert (
        'id="id_tick_VR-08" value="on" checked' in content
        and "VR-08" in content.split('class="errorlist')[1]
    )


def test_live_result_never_carries_a_form_input(aigul_client):
    """The live answer replaces the result, the lists used and the strengths; an input in it
    would overwrite what the person ticked while the request was on its way."""
    content = aigul_client.post(
        reverse("screening:assess"), form_data(["DR-01"], age="15")
    ).content.decode()
    assert "strength-VR-08" in content
    assert not any(tag in content for tag in ("<input", "<textarea", "<select"))


def test_check_without_javascript_shows_the_result(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(EXAMPLE_1, action="check"))
    assert "Presumed victim of trafficking for labour exploitation" in response.content.decode()


def test_check_keeps_what_was_ticked(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(["CD-01"], action="check"))
    assert 'id="id_tick_CD-01" value="on" checked' in response.content.decode()


# -- the live result ------------------------------------------------------------------------


def test_assess_answers_presumed_victim_for_worked_example_1(aigul_client):
    response = aigul_client.post(reverse("screening:assess"), form_data(EXAMPLE_1))
    assert "Presumed victim of trafficking for labour exploitation" in response.content.decode()


def test_assess_names_the_rule_that_made_a_dimension_positive(aigul_client):
    response = aigul_client.post(reverse("screening:assess"), form_data(["CD-01", "CD-02"]))
    assert "Rule: two strong indicators." in response.content.decode()


def test_assess_says_not_enough_indicators_and_the_next_step(aigul_client):
    content = aigul_client.post(reverse("screening:assess"), form_data(["DR-01"])).content
    assert "Not enough indicators" in content.decode() and "Next step" in content.decode()


def test_assess_returns_only_the_result_panel(aigul_client):
    content = aigul_client.post(reverse("screening:assess"), form_data(EXAMPLE_1)).content
    assert content.decode().lstrip().startswith('<section id="result"')


def test_assess_stores_nothing(aigul_client):
    aigul_client.post(reverse("screening:assess"), form_data(EXAMPLE_1))
    assert Screening.objects.count() == 0


def test_assess_refuses_get(aigul_client):
    assert aigul_client.get(reverse("screening:assess")).status_code == 405


def test_assess_for_a_case_uses_the_age_recorded_on_the_case(aigul_client, people):
    case = case_build(people.aigul)
    Case.objects.filter(pk=case.pk).update(age_when_trafficked=15)
    # Worked example 2: a child list result, not enough for an adult.
    codes = ["DR-10", "DR-02", "EX-01", "EX-09"]
    url = reverse("screening:case_assess", args=[case.pk])
    content = aigul_client.post(url, form_data(codes)).content.decode()
    assert "Presumed victim of trafficking for labour exploitation" in content


def test_administrator_cannot_screen(client, people):
    client.force_login(people.agency_admin.user)
    assert client.get(reverse("screening:new")).status_code == 403


# -- saving ---------------------------------------------------------------------------------


def test_saving_an_anonymous_screening_goes_to_its_page(aigul_client):
    response = aigul_client.post(reverse("screening:new"), form_data(EXAMPLE_1, action="save"))
    screening = Screening.objects.get()
    assert response.url == reverse("screening:detail", args=[screening.pk])


def test_anonymous_screening_has_no_case(aigul_client):
    aigul_client.post(reverse("screening:new"), form_data(EXAMPLE_1, action="save"))
    assert Screening.objects.get().case is None


def test_saved_observation_keeps_its_note_and_source(aigul_client):
    data = form_data(["CD-01"], action="save")
    data |= {"note_CD-01": "Passport kept by the foreman.", "source_CD-01": "self_report"}
    aigul_client.post(reverse("screening:new"), data)
    observed = Screening.objects.get().observed.get()
    assert (observed.note, observed.source) == ("Passport kept by the foreman.", "self_report")


def test_anonymous_screening_is_listed_for_the_agency(aigul_client, people):
    screening = saved(people.aigul)
    content = aigul_client.get(reverse("screening:list")).content.decode()
    assert reverse("screening:detail", args=[screening.pk]) in content


def test_anonymous_screening_is_not_listed_for_another_agency(client, people):
    screening = saved(people.aigul)
    client.force_login(people.nurlan.user)
    content = client.get(reverse("screening:list")).content.decode()
    assert reverse("screening:detail", args=[screening.pk]) not in content


def test_saving_with_a_too_long_note_shows_the_error(aigul_client):
    data = form_data(["CD-01"], action="save") | {"note_CD-01": "x" * 2001}
    response = aigul_client.post(reverse("screening:new"), data)
    assert response.status_code == 422 and Screening.objects.count() == 0


def test_saving_with_an_impossible_age_shows_the_error(aigul_client):
    response = aigul_client.post(
        reverse("screening:new"), form_data(EXAMPLE_1, age="200", action="save")
    )
    assert response.status_code == 422 and "has-error" in response.content.decode()


def test_saving_an_indicator_not_on_the_list_shows_the_error(aigul_client):
    # VR-08 is not on the child lists.
    response = aigul_client.post(
        reverse("screening:new"), form_data(["VR-08"], age="12", action="save")
    )
    assert response.status_code == 422 and "VR-08" in response.content.decode()


def test_saving_with_an_unknown_scope_shows_the_error(aigul_client):
    response = aigul_client.post(
        reverse("screening:new"), form_data(EXAMPLE_1, scope="organs", action="save")
    )
    assert response.status_code == 422


def test_saving_on_a_case_goes_back_to_the_case(aigul_client, people):
    case = case_build(people.aigul)
    url = reverse("screening:case_new", args=[case.pk])
    response = aigul_client.post(url, form_data(EXAMPLE_1, action="save"))
    assert response.url == reverse("cases:detail", args=[case.pk]) + "?tab=screening#screenings"


def test_saving_on_a_case_shows_on_the_case_timeline(aigul_client, people):
    case = case_build(people.aigul)
    aigul_client.post(
        reverse("screening:case_new", args=[case.pk]), form_data(EXAMPLE_1, action="save")
    )
    assert case.events.filter(kind=CaseEvent.Kind.SCREENING_SAVED).exists()


def test_case_page_offers_screening_and_lists_screenings(aigul_client, people):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    page = reverse("cases:detail", args=[case.pk])
    content = aigul_client.get(page).content.decode()
    assert reverse("screening:case_new", args=[case.pk]) in content  # an action at the top
    content = aigul_client.get(page + "?tab=screening").content.decode()
    assert reverse("screening:detail", args=[screening.pk]) in content


def test_case_screening_form_prefills_the_age_on_the_case(aigul_client, people):
    case = case_build(people.aigul)
    Case.objects.filter(pk=case.pk).update(age_when_trafficked=16)
    content = aigul_client.get(reverse("screening:case_new", args=[case.pk])).content.decode()
    assert 'name="age_at_exploitation" value="16"' in content


def test_outsider_gets_404_on_a_case_screening_form(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    assert client.get(reverse("screening:case_new", args=[case.pk])).status_code == 404


def test_outsider_gets_404_when_saving_on_a_case(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    url = reverse("screening:case_new", args=[case.pk])
    response = client.post(url, form_data(EXAMPLE_1, action="save"))
    assert response.status_code == 404 and Screening.objects.count() == 0


def test_outsider_gets_404_on_a_case_assessment(client, people):
    case = case_build(people.aigul)
    client.force_login(people.outsider.user)
    url = reverse("screening:case_assess", args=[case.pk])
    assert client.post(url, form_data(EXAMPLE_1)).status_code == 404


# -- a saved screening ----------------------------------------------------------------------


def test_detail_shows_the_stored_result(aigul_client, people):
    screening = saved(people.aigul)
    content = aigul_client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert "Presumed victim of trafficking for labour exploitation" in content


def test_detail_shows_the_catalogue_version(aigul_client, people):
    screening = saved(people.aigul)
    content = aigul_client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert f"<dd>{screening.catalogue.number} · " in content


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_detail_renders_in_each_language(aigul_client, people, language):
    screening = saved(people.aigul)
    aigul_client.cookies["django_language"] = language
    response = aigul_client.get(reverse("screening:detail", args=[screening.pk]))
    assert response.status_code == 200


def test_outsider_gets_404_on_a_case_screening(client, people):
    screening = saved(people.aigul, case_build(people.aigul))
    client.force_login(people.outsider.user)
    assert client.get(reverse("screening:detail", args=[screening.pk])).status_code == 404


def test_another_agency_gets_404_on_an_anonymous_screening(client, people):
    screening = saved(people.aigul)
    client.force_login(people.nurlan.user)
    assert client.get(reverse("screening:detail", args=[screening.pk])).status_code == 404


# -- the status decision --------------------------------------------------------------------


@pytest.fixture
def supervisor(people):
    return member(people.crisis_centre, Role.SUPERVISOR, "saule-supervisor")


def decide(client, screening, version, status=TraffickingStatus.ACTUAL):
    return client.post(
        reverse("screening:decide", args=[screening.pk]),
        {"status": status, "reasons": "Screened and interviewed.", "expected_version": version},
    )


def test_case_worker_sees_no_decision_form(aigul_client, people):
    screening = saved(people.aigul, case_build(people.aigul))
    content = aigul_client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert reverse("screening:decide", args=[screening.pk]) not in content


def test_supervisor_sees_the_decision_form(client, people, supervisor):
    screening = saved(people.aigul, case_build(people.aigul))
    client.force_login(supervisor.user)
    content = client.get(reverse("screening:detail", args=[screening.pk])).content.decode()
    assert reverse("screening:decide", args=[screening.pk]) in content


def test_supervisor_records_the_status(client, people, supervisor):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    client.force_login(supervisor.user)
    decide(client, screening, Case.objects.get(pk=case.pk).version)
    assert Case.objects.get(pk=case.pk).trafficking_status == TraffickingStatus.ACTUAL


def test_case_worker_cannot_record_the_status(aigul_client, people):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    response = decide(aigul_client, screening, Case.objects.get(pk=case.pk).version)
    assert response.status_code == 403


def test_a_concurrent_change_is_shown_and_nothing_is_recorded(client, people, supervisor):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    stale = Case.objects.get(pk=case.pk).version
    Case.objects.filter(pk=case.pk).update(version=stale + 1)
    client.force_login(supervisor.user)
    response = decide(client, screening, stale)
    assert (
        response.status_code == 409
        and "Someone else changed this case" in response.content.decode()
    )


def test_a_concurrent_change_offers_the_current_version(client, people, supervisor):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    stale = Case.objects.get(pk=case.pk).version
    Case.objects.filter(pk=case.pk).update(version=stale + 1)
    client.force_login(supervisor.user)
    response = decide(client, screening, stale)
    assert f'name="expected_version" value="{stale + 1}"' in response.content.decode()


def test_an_invalid_status_shows_the_error(client, people, supervisor):
    case = case_build(people.aigul)
    screening = saved(people.aigul, case)
    client.force_login(supervisor.user)
    response = decide(client, screening, Case.objects.get(pk=case.pk).version, status="Maybe")
    assert response.status_code == 422


def test_no_decision_on_an_anonymous_screening(client, people, supervisor):
    screening = saved(supervisor)
    client.force_login(supervisor.user)
    assert decide(client, screening, 1).status_code == 404


# -- the catalogue --------------------------------------------------------------------------


@pytest.fixture
def coordinator(people):
    return member(people.crisis_centre, Role.COORDINATOR, "aliya-coordinator")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator.user)
    return client


def indicator_data(**overrides):
    current = catalogue_current()
    cd07 = current.indicators.get(code="CD-07")
    data = {
        "base": str(current.pk),
        "code": "CD-07",
        "dimension": cd07.dimension,
        "label_en": cd07.label_en,
        "label_ru": cd07.label_ru,
        "label_kk": cd07.label_kk,
        "strength_adult_labour": "strong",
        "strength_child_labour": "strong",
        "strength_adult_sexual": "strong",
        "strength_child_sexual": "strong",
        "change_note": "Checked against WCMS_105023.",
    }
    return data | overrides


def test_coordinator_sees_the_catalogue(coordinator_client):
    assert coordinator_client.get(reverse("screening:catalogue")).status_code == 200


def test_case_worker_cannot_open_the_catalogue_editor(aigul_client):
    assert aigul_client.get(reverse("screening:catalogue")).status_code == 403


def test_editing_an_indicator_publishes_a_new_version(coordinator_client):
    coordinator_client.post(reverse("screening:indicator_edit", args=["CD-07"]), indicator_data())
    current = catalogue_current()
    assert (current.number, current.indicators.get(code="CD-07").strength_adult_labour) == (
        2,
        "strong",
    )


def test_an_earlier_screening_keeps_its_version_and_result(coordinator_client, people):
    screening = saved(people.aigul, codes=["DR-01", "DR-02", "EX-01", "EX-02", "CD-07", "CD-09"])
    assert screening.outcome == "not_enough_indicators"
    coordinator_client.post(reverse("screening:indicator_edit", args=["CD-07"]), indicator_data())
    coordinator_client.force_login(people.aigul.user)
    content = coordinator_client.get(reverse("screening:detail", args=[screening.pk])).content
    assert "Not enough indicators" in content.decode() and "the current version is 2" in (
        content.decode()
    )


def test_adding_an_indicator_publishes_it_in_a_new_version(coordinator_client):
    data = indicator_data(
        code="CD-16", label_en="Forced to beg", label_ru="Принуждение к попрошайничеству"
    )
    data["label_kk"] = "Қайыршылыққа мәжбүрлеу"
    coordinator_client.post(reverse("screening:indicator_add"), data)
    assert catalogue_current().indicators.filter(code="CD-16").exists()


def test_adding_an_indicator_with_a_taken_code_is_refused(coordinator_client):
    response = coordinator_client.post(reverse("screening:indicator_add"), indicator_data())
    assert response.status_code == 422 and Catalogue.objects.count() == 1


def test_editing_without_a_change_note_is_refused(coordinator_client):
    url = reverse("screening:indicator_edit", args=["CD-07"])
    response = coordinator_client.post(url, indicator_data(change_note=""))
    assert response.status_code == 422 and Catalogue.objects.count() == 1


def test_editing_a_stale_version_is_refused(coordinator_client, coordinator):
    data = indicator_data()
    url = reverse("screening:indicator_edit", args=["CD-07"])
    coordinator_client.post(url, data)
    response = coordinator_client.post(url, data | {"label_en": "Forced tasks"})
    assert response.status_code == 409 and Catalogue.objects.count() == 2


def test_marking_a_list_verified_publishes_a_new_version(coordinator_client):
    data = {
        "base": str(catalogue_current().pk),
        "key": "adult_sexual",
        "is_verified": "on",
        "verification_note": "Checked row by row against WCMS_105023.",
        "change_note": "adult_sexual verified",
    }
    coordinator_client.post(reverse("screening:list_edit"), data)
    assert catalogue_current().lists.get(key="adult_sexual").is_verified


def test_case_worker_cannot_edit_an_indicator(aigul_client):
    url = reverse("screening:indicator_edit", args=["CD-07"])
    assert aigul_client.post(url, indicator_data()).status_code == 403


@pytest.mark.parametrize(
    ("language", "met", "not_met"),
    [
        ("en", "Met", "Not met"),
        ("ru", "Выполнено", "Не выполнено"),
        ("kk", "Орындалды", "Орындалмады"),
    ],
)
def test_result_says_met_or_not_met_in_a_practitioners_words(aigul_client, language, met, not_met):
    aigul_client.cookies["django_language"] = language
    content = aigul_client.post(
        reverse("screening:assess"), form_data(["CD-01", "CD-02"])
    ).content.decode()
    assert f'class="verdict">{met}<' in content and f'class="verdict">{not_met}<' in content
    assert "Positive" not in content and "оложительно" not in content
