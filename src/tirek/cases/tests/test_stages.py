"""Moving a case through the NRM stages: explicit transitions with guards, one event each, and
hooks that higher apps (the mechanism's checklist) follow."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tirek.cases import hooks
from tirek.cases.choices import NrmStage, TraffickingStatus
from tirek.cases.lifecycle import case_stage_change, stage_change_problems, stage_is_backwards
from tirek.cases.models import Case, CaseEvent
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


def move(people, case, stage, reason=""):
    return case_stage_change(
        actor=people.aigul,
        case_id=case.pk,
        stage=stage,
        expected_version=case.version,
        reason=reason,
    )


# --- The rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target", "backwards"),
    [
        (NrmStage.IDENTIFICATION, NrmStage.FIRST_ASSISTANCE, False),
        (NrmStage.LONG_TERM, NrmStage.FIRST_ASSISTANCE, True),
        (NrmStage.RETURN, NrmStage.IDENTIFICATION, True),
        (NrmStage.FIRST_ASSISTANCE, NrmStage.PROCEEDINGS, False),
        (NrmStage.PROCEEDINGS, NrmStage.IDENTIFICATION, False),
    ],
)
def test_which_moves_go_back(current, target, backwards):
    assert stage_is_backwards(current, target) is backwards


def test_a_person_found_not_to_be_a_victim_is_not_moved_on(db):
    case = Case(
        nrm_stage=NrmStage.IDENTIFICATION, trafficking_status=TraffickingStatus.NOT_A_VICTIM
    )
    assert "stage" in stage_change_problems(case=case, target=NrmStage.FIRST_ASSISTANCE, reason="")


def test_going_back_needs_a_reason(db):
    case = Case(nrm_stage=NrmStage.LONG_TERM)
    assert "reason" in stage_change_problems(case=case, target=NrmStage.IDENTIFICATION, reason="")


def test_the_same_stage_is_refused(db):
    case = Case(nrm_stage=NrmStage.LONG_TERM)
    assert "stage" in stage_change_problems(case=case, target=NrmStage.LONG_TERM, reason="")


# --- The service --------------------------------------------------------------------------


def test_moving_on_changes_the_stage_and_the_version(people):
    case = case_build(people.aigul)
    moved = move(people, case, NrmStage.FIRST_ASSISTANCE)
    assert (moved.nrm_stage, moved.version) == (NrmStage.FIRST_ASSISTANCE, case.version + 1)


def test_the_move_is_on_the_timeline(people):
    case = case_build(people.aigul)
    move(people, case, NrmStage.FIRST_ASSISTANCE)
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STAGE_CHANGED)
    assert (event.data["from"], event.data["to"]) == (
        NrmStage.IDENTIFICATION,
        NrmStage.FIRST_ASSISTANCE,
    )


def test_a_stale_version_is_refused(people):
    case = case_build(people.aigul)
    move(people, case, NrmStage.FIRST_ASSISTANCE)
    with pytest.raises(ConcurrentUpdate):
        move(people, case, NrmStage.LONG_TERM)  # ``case`` still holds the old version


def test_a_receiver_cannot_move_the_case(people):
    from tirek.referrals.services import referral_accept

    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    case.refresh_from_db()
    with pytest.raises(Forbidden):
        case_stage_change(
            actor=people.dana,
            case_id=case.pk,
            stage=NrmStage.FIRST_ASSISTANCE,
            expected_version=case.version,
        )


def test_the_outsider_cannot_move_the_case(people):
    case = case_build(people.aigul)
    with pytest.raises(NotFound):
        case_stage_change(
            actor=people.outsider,
            case_id=case.pk,
            stage=NrmStage.FIRST_ASSISTANCE,
            expected_version=case.version,
        )


def test_a_closed_case_is_not_moved(people):
    from tirek.cases.choices import CaseStatus

    case = case_build(people.aigul)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    with pytest.raises(InvalidState):
        move(people, case, NrmStage.FIRST_ASSISTANCE)


# --- Hooks and guards ---------------------------------------------------------------------


@pytest.fixture
def entered(monkeypatch):
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(hooks, "_stage_entered", dict(hooks._stage_entered))
    hooks.stage_entered_register(
        "test", lambda case, stage, actor: seen.append((case.reference, stage))
    )
    return seen


def test_registration_enters_identification(people, entered):
    case = case_build(people.aigul)
    assert entered == [(case.reference, NrmStage.IDENTIFICATION)]


def test_a_move_enters_the_new_stage(people, entered):
    case = case_build(people.aigul)
    move(people, case, NrmStage.FIRST_ASSISTANCE)
    assert entered[-1] == (case.reference, NrmStage.FIRST_ASSISTANCE)


def test_a_guard_of_a_higher_app_refuses_with_its_reason(people, monkeypatch):
    monkeypatch.setattr(hooks, "_transition_guards", dict(hooks._transition_guards))
    hooks.transition_guard_register("test", lambda case, target: ["Two steps are still open."])
    case = case_build(people.aigul)
    with pytest.raises(ValidationError) as refused:
        move(people, case, NrmStage.FIRST_ASSISTANCE)
    assert refused.value.message_dict["stage"] == ["Two steps are still open."]


def test_a_refused_move_writes_nothing(people, monkeypatch):
    monkeypatch.setattr(hooks, "_transition_guards", dict(hooks._transition_guards))
    hooks.transition_guard_register("test", lambda case, target: ["No."])
    case = case_build(people.aigul)
    with pytest.raises(ValidationError):
        move(people, case, NrmStage.FIRST_ASSISTANCE)
    case.refresh_from_db()
    assert (
        case.nrm_stage == NrmStage.IDENTIFICATION
        and not CaseEvent.objects.filter(kind=CaseEvent.Kind.STAGE_CHANGED).exists()
    )


# --- Web and API --------------------------------------------------------------------------


def test_the_owner_moves_the_case_on_the_case_page(people):
    case = case_build(people.aigul)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        f"/cases/{case.pk}/stage/",
        {"stage": NrmStage.FIRST_ASSISTANCE, "expected_version": case.version},
    )
    case.refresh_from_db()
    assert response.status_code == 302 and case.nrm_stage == NrmStage.FIRST_ASSISTANCE


def test_going_back_without_a_reason_shows_the_error_and_keeps_the_choice(people):
    case = case_build(people.aigul)
    case = move(people, case, NrmStage.LONG_TERM)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        f"/cases/{case.pk}/stage/",
        {"stage": NrmStage.IDENTIFICATION, "expected_version": case.version},
    )
    form = response.context["stage_form"]
    assert response.status_code == 422 and "reason" in form.errors
    assert form["stage"].value() == NrmStage.IDENTIFICATION


def test_the_api_moves_the_case(people):
    case = case_build(people.aigul)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/stage", {"version": case.version, "nrm_stage": NrmStage.FIRST_ASSISTANCE}
    )
    assert response.status_code == 200 and response.json()["nrm_stage"] == NrmStage.FIRST_ASSISTANCE


def test_the_api_names_the_field_of_a_refused_move(people):
    case = move(people, case_build(people.aigul), NrmStage.LONG_TERM)
    response = ApiClient(people.aigul).post(
        f"/cases/{case.pk}/stage", {"version": case.version, "nrm_stage": NrmStage.IDENTIFICATION}
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]


def test_the_api_refuses_the_outsider_with_404(people):
    case = case_build(people.aigul)
    response = ApiClient(people.outsider).post(
        f"/cases/{case.pk}/stage", {"version": case.version, "nrm_stage": NrmStage.FIRST_ASSISTANCE}
    )
    assert response.status_code == 404
