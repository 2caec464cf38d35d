"""Saving screenings, deciding a status and versioning the catalogue (database)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import DecisionMakingOrg, Section, TraffickingStatus
from tirek.cases.models import CaseEvent
from tirek.core.errors import ConcurrentUpdate, Forbidden, NotFound
from tirek.core.models import AuditEvent
from tirek.referrals.services import referral_accept
from tirek.screening.models import Catalogue, ObservedIndicator, Screening
from tirek.screening.rules import ListKey
from tirek.screening.selectors import (
    catalogue_current,
    catalogue_definition,
    screening_get,
    screenings_for_case,
    screenings_visible_to,
)
from tirek.screening.services import (
    IndicatorChange,
    ListChange,
    Observation,
    ScreeningInput,
    case_status_decide,
    catalogue_revise,
    screening_save,
)
from tirek.testing.builders import case_build, referral_build

# Worked example 1 of docs/screening.md: adult, labour, presumed victim.
EXAMPLE_1 = [
    Observation("DR-01", "self_report", "Promised work in a shop, put on a building site."),
    Observation("DR-02", "self_report"),
    Observation("EX-01", "observation", "14 hours a day, 7 days a week."),
    Observation("EX-02", "self_report"),
    Observation("CD-01", "self_report", "Passport kept by the foreman."),
    Observation("CD-02", "document", "A notebook of 'debts'."),
    Observation("VD-02", "observation"),
]


def member(agency, role: str, username: str) -> Actor:
    user = User.objects.create_user(username=username, password="x-synthetic-password-1")
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


def save(actor, case=None, observations=EXAMPLE_1, scope="labour", **kw) -> Screening:
    return screening_save(
        actor=actor,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(scope=scope, observations=observations, **kw),
    )


# -- the catalogue as loaded by the migration --------------------------------------------------


@pytest.mark.django_db
def test_migration_loads_version_1_with_67_indicators():
    catalogue = catalogue_current()
    assert (catalogue.number, catalogue.indicators.count()) == (1, 67)


@pytest.mark.django_db
def test_migrated_catalogue_has_65_child_labour_indicators():
    definition = catalogue_definition(catalogue_current())
    assert len(definition.rated(ListKey.CHILD_LABOUR)) == 65


@pytest.mark.django_db
def test_migrated_sexual_lists_are_unverified():
    unverified = set(
        catalogue_current().lists.filter(is_verified=False).values_list("key", flat=True)
    )
    assert unverified == {"adult_sexual", "child_sexual"}


# -- screening_save ------------------------------------------------------------------------------


def test_saving_on_a_case_stores_the_result(people):
    screening = save(people.aigul, case_build(people.aigul))
    assert (screening.outcome, screening.presumed_exploitation) == ("presumed_victim", ["labour"])


def test_saving_on_a_case_writes_the_timeline_event(people):
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    event = case.events.get(kind=CaseEvent.Kind.SCREENING_SAVED)
    assert event.data["screening_id"] == str(screening.pk)


def test_observations_keep_source_and_note(people):
    screening = save(people.aigul, case_build(people.aigul))
    observed = screening.observed.get(code="CD-01")
    assert (observed.source, observed.note) == ("self_report", "Passport kept by the foreman.")


def test_statistics_fields_are_recorded(people):
    screening = save(people.aigul)
    assert (screening.agency_type, screening.observed.count()) == ("NGO", 7)


def test_anonymous_screening_has_no_case_and_leaves_an_audit_event(people):
    screening = save(people.aigul)
    assert screening.case_id is None
    assert AuditEvent.objects.filter(action="screening_saved", object_id=str(screening.pk)).exists()


def test_unknown_age_with_signs_of_childhood_uses_the_child_list(people):
    screening = save(people.aigul, has_signs_of_childhood=True)
    assert screening.result["lists"][0]["list"] == "child_labour"


def test_age_comes_from_the_case_when_not_given(people):
    case = case_build(people.aigul)
    case.age_when_trafficked = 16
    case.save()
    assert save(people.aigul, case).age_group == "child"


def test_both_forms_store_both_lists(people):
    screening = save(people.aigul, scope="both")
    assert [item["list"] for item in screening.result["lists"]] == ["adult_labour", "adult_sexual"]


def test_codes_not_on_the_selected_list_are_refused_and_nothing_is_written(people):
    # VR-08 is on the adult lists only.
    with pytest.raises(ValidationError):
        save(people.aigul, observations=[Observation("VR-08")], age_at_exploitation=12)
    assert not Screening.objects.exists()


def test_bad_source_is_refused(people):
    with pytest.raises(ValidationError):
        save(people.aigul, observations=[Observation("DR-01", "rumour")])


def test_an_indicator_ticked_twice_is_refused(people):
    with pytest.raises(ValidationError):
        save(people.aigul, observations=[Observation("DR-01"), Observation("DR-01")])


def test_outsider_cannot_screen_a_case(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        save(people.outsider, case)


def test_administrator_cannot_screen(people):
    with pytest.raises(Forbidden):
        save(people.agency_admin)


def test_screening_never_changes_the_trafficking_status(people):
    case = case_build(people.aigul)
    save(people.aigul, case)
    case.refresh_from_db()
    assert case.trafficking_status == TraffickingStatus.POSSIBLE


# -- selectors -----------------------------------------------------------------------------------


def test_outsider_cannot_read_an_anonymous_screening(people):
    screening = save(people.aigul)
    with pytest.raises(NotFound):
        screening_get(actor=people.outsider, screening_id=screening.pk)


def test_outsider_cannot_read_a_case_screening(people):
    screening = save(people.aigul, case_build(people.aigul))
    with pytest.raises(NotFound):
        screening_get(actor=people.outsider, screening_id=screening.pk)


def test_outsider_lists_no_screenings(people):
    save(people.aigul, case_build(people.aigul))
    assert not screenings_visible_to(actor=people.outsider).exists()


def test_referral_receiver_with_trafficking_details_reads_the_case_screening(people):
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    referral = referral_build(
        people.aigul,
        case,
        to=people.police,
        service=people.investigation_service,
        sections=[Section.VICTIM],
    )
    referral_accept(actor=people.nurlan, referral_id=referral.pk)
    assert screening_get(actor=people.nurlan, screening_id=screening.pk) == screening


def test_referral_receiver_without_trafficking_details_sees_no_screening(people):
    from tirek.cases.selectors import case_view

    case = case_build(people.aigul)
    save(people.aigul, case)
    referral = referral_build(
        people.aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=[Section.IDENTITY],
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    view = case_view(actor=people.dana, case_id=case.pk)
    assert not screenings_for_case(actor=people.dana, view=view).exists()


# -- case_status_decide --------------------------------------------------------------------------


def test_supervisor_records_the_status_citing_the_screening(people):
    supervisor = member(people.crisis_centre, Role.SUPERVISOR, "saule")
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    case_status_decide(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        status=TraffickingStatus.ACTUAL,
        screening=screening,
    )
    case.refresh_from_db()
    assert (case.trafficking_status, case.trafficking_status_decision_org) == (
        TraffickingStatus.ACTUAL,
        DecisionMakingOrg.NGO,
    )


def test_status_decision_writes_the_timeline_event(people):
    supervisor = member(people.crisis_centre, Role.SUPERVISOR, "saule")
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    case_status_decide(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        status=TraffickingStatus.ACTUAL,
        screening=screening,
    )
    event = case.events.get(kind=CaseEvent.Kind.STATUS_DECIDED)
    assert event.data["screening_id"] == str(screening.pk)


def test_case_worker_cannot_decide_a_status(people):
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    with pytest.raises(Forbidden):
        case_status_decide(
            actor=people.aigul,
            case=case,
            expected_version=case.version,
            status=TraffickingStatus.ACTUAL,
            screening=screening,
        )


def test_outsider_cannot_decide_a_status(people):
    outsider_supervisor = member(people.health, Role.SUPERVISOR, "outsider-boss")
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    with pytest.raises(NotFound):
        case_status_decide(
            actor=outsider_supervisor,
            case=case,
            expected_version=case.version,
            status=TraffickingStatus.ACTUAL,
            screening=screening,
        )


def test_status_decision_must_cite_a_screening_of_the_same_case(people):
    supervisor = member(people.crisis_centre, Role.SUPERVISOR, "saule")
    case = case_build(people.aigul)
    other = save(people.aigul, case_build(people.aigul, first_name="Othergul"))
    with pytest.raises(ValidationError):
        case_status_decide(
            actor=supervisor,
            case=case,
            expected_version=case.version,
            status=TraffickingStatus.ACTUAL,
            screening=other,
        )


def test_status_decision_on_a_stale_case_is_refused(people):
    supervisor = member(people.crisis_centre, Role.SUPERVISOR, "saule")
    case = case_build(people.aigul)
    screening = save(people.aigul, case)
    with pytest.raises(ConcurrentUpdate):
        case_status_decide(
            actor=supervisor,
            case=case,
            expected_version=case.version - 1,
            status=TraffickingStatus.ACTUAL,
            screening=screening,
        )


# -- catalogue versions --------------------------------------------------------------------------


def test_case_worker_cannot_edit_the_catalogue(people):
    with pytest.raises(Forbidden):
        catalogue_revise(actor=people.aigul, base=catalogue_current(), change_note="x")


def test_coordinator_edit_makes_a_new_version_and_keeps_the_old(people):
    coordinator = member(people.crisis_centre, Role.COORDINATOR, "gulnara")
    base = catalogue_current()
    new = catalogue_revise(
        actor=coordinator,
        base=base,
        changes=[IndicatorChange("CD-01", strengths={"adult_labour": "medium"})],
        change_note="Test: weaken CD-01.",
    )
    assert (new.number, base.indicators.get(code="CD-01").strength_adult_labour) == (2, "strong")


def test_new_indicator_and_list_verification_in_a_new_version(people):
    coordinator = member(people.crisis_centre, Role.COORDINATOR, "gulnara")
    new = catalogue_revise(
        actor=coordinator,
        base=catalogue_current(),
        changes=[
            IndicatorChange(
                "KZ-01",
                dimension="exploitative_conditions",
                label_en="Synthetic indicator",
                label_ru="Синтетический индикатор",
                label_kk="Синтетикалық индикатор",
                strengths={"adult_labour": "weak"},
            )
        ],
        lists=[ListChange("adult_sexual", is_verified=True, verification_note="Checked.")],
        change_note="Test.",
    )
    assert new.indicators.count() == 68
    assert new.lists.get(key="adult_sexual").is_verified


def test_a_new_indicator_needs_all_three_labels(people):
    coordinator = member(people.crisis_centre, Role.COORDINATOR, "gulnara")
    with pytest.raises(ValidationError):
        catalogue_revise(
            actor=coordinator,
            base=catalogue_current(),
            change_note="Test.",
            changes=[IndicatorChange("KZ-02", dimension="exploitative_conditions", label_en="X")],
        )


def test_earlier_screenings_keep_their_version_and_result(people):
    coordinator = member(people.crisis_centre, Role.COORDINATOR, "gulnara")
    before = save(people.aigul)
    catalogue_revise(
        actor=coordinator,
        base=catalogue_current(),
        changes=[
            IndicatorChange(code, strengths={"adult_labour": "weak"}) for code in ("CD-01", "CD-02")
        ],
        change_note="Test: weaken coercion.",
    )
    after = save(people.aigul)
    before.refresh_from_db()
    assert (before.catalogue.number, before.outcome, after.outcome) == (
        1,
        "presumed_victim",
        "not_enough_indicators",
    )


def test_a_version_in_use_cannot_be_deleted(people):
    from django.db.models import ProtectedError

    save(people.aigul)
    with pytest.raises(ProtectedError):
        Catalogue.objects.get(number=1).delete()


def test_observed_indicators_point_into_their_catalogue_version(people):
    screening = save(people.aigul)
    assert set(
        ObservedIndicator.objects.filter(screening=screening).values_list(
            "indicator__catalogue__number", flat=True
        )
    ) == {1}
