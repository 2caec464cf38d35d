"""Erasure blanks every field that an app declares personal (core.privacy), from the registry."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.choices import Section, TraffickingStatus
from tirek.cases.corrections import CONTACT, person_input_of, person_part_update
from tirek.casework.services import attachment_add, note_add, task_add
from tirek.core.privacy import PersonalFields, personal_fields
from tirek.oversight.services import break_glass_open
from tirek.referrals.outside import outside_referral_record
from tirek.referrals.questions import referral_question_answer, referral_question_ask
from tirek.referrals.services import referral_decline
from tirek.referrals.transfers import case_transfer_decline
from tirek.retention.services import erasure_execute, erasure_request_record
from tirek.screening.selectors import catalogue_current
from tirek.screening.services import (
    Observation,
    ScreeningInput,
    case_status_decide,
    screening_save,
)
from tirek.testing.builders import case_build, consent_build, referral_build, transfer_build
from tirek.testing.personas import PASSWORD


def _rows(entry: PersonalFields, case) -> list[dict[str, object]]:
    rows = entry.model_class()._default_manager
    lookup = {f"{entry.case}": case.pk} if entry.case else {entry.person: case.person_id}
    return list(rows.filter(**lookup).values(*entry.fields))


@pytest.fixture
def filled_case(people, supervisor):
    """A case with every kind of free text the apps hold: places, closure, referral (with a
    question and its answer), a referral outside Tirek, a declined transfer, screening, status
    decision, emergency access, erasure request."""
    case = case_build(people.aigul, mobile_phone="+77015550123", contact_notes="Call at noon")
    person_part_update(  # the old values are kept beside the timeline
        actor=people.aigul,
        case_id=case.pk,
        part=CONTACT,
        expected_version=1,
        data=dataclasses.replace(person_input_of(case.person), contact_notes="Text only"),
    )
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    note_add(actor=people.aigul, case_id=case.pk, text="Called her sister", private=True)
    task_add(
        actor=people.aigul,
        case_id=case.pk,
        title="Visit Testgul",
        due_on=datetime.date(2026, 12, 1),
        owner_id=people.aigul.user.pk,
    )
    attachment_add(
        actor=people.aigul,
        case_id=case.pk,
        kind="consent_form",
        filename="consent-synthetova.pdf",
        content=b"%PDF-1.4 synthetic",
        private=False,
    )
    referral_question_ask(
        actor=people.dana, referral_id=referral.pk, question="Does she speak Uzbek?"
    )
    referral_question_answer(
        actor=people.aigul, referral_id=referral.pk, answer="Uzbek and Russian"
    )
    referral_decline(actor=people.dana, referral_id=referral.pk, reason="Asked her brother")
    outside_referral_record(
        actor=people.aigul,
        case_id=case.pk,
        service_type_id=people.shelter_service.pk,
        consent_id=consent_build(people.aigul, case, sections=[Section.IDENTITY]).pk,
        sections=[Section.IDENTITY],
        organisation="Test shelter outside Tirek",
        message="Needs a safe place tonight",
    )
    transfer = transfer_build(people.aigul, case, to=people.police)
    case_transfer_decline(
        actor=people.nurlan, transfer_id=transfer.pk, reason="Her brother asked us not to"
    )
    screening = screening_save(
        actor=people.aigul,
        catalogue=catalogue_current(),
        case=case,
        data=ScreeningInput(
            scope="labour", observations=[Observation("CD-01", "self_report", "Passport kept")]
        ),
    )
    case.refresh_from_db()
    case_status_decide(
        actor=supervisor,
        case=case,
        expected_version=case.version,
        status=TraffickingStatus.POSSIBLE,
        screening=screening,
        reasons="She described the foreman",
    )
    user = User.objects.create_user(username="serik", password=PASSWORD)
    police_supervisor = Actor(
        user=user,
        membership=Membership.objects.create(user=user, agency=people.police, role=Role.SUPERVISOR),
    )
    break_glass_open(
        actor=police_supervisor,
        case_reference=case.reference,
        reason="She called from a shop in Qarabulaqsay, in danger",
    )
    return case


def test_every_declared_personal_field_of_the_case_holds_text_before_erasure(filled_case):
    empty = [
        f"{entry.model}"
        for entry in personal_fields()
        if entry.model.startswith(("cases.", "screening.", "referrals.", "oversight."))
        and not _rows(entry, filled_case)
    ]
    assert empty == []


def test_erasure_blanks_every_declared_personal_field(filled_case, supervisor):
    request = erasure_request_record(
        actor=supervisor, case_id=filled_case.pk, legal_basis="Written request, art. 16"
    )
    erasure_execute(actor=supervisor, case_id=filled_case.pk, request_id=request.pk)
    left = [
        (entry.model, row)
        for entry in personal_fields()
        if not entry.kept_because
        for row in _rows(entry, filled_case)
        if row != entry.erased_values()
    ]
    assert left == []


def test_erasure_keeps_the_legal_basis_of_the_request(filled_case, supervisor):
    request = erasure_request_record(
        actor=supervisor, case_id=filled_case.pk, legal_basis="Written request, art. 16"
    )
    erasure_execute(actor=supervisor, case_id=filled_case.pk, request_id=request.pk)
    request.refresh_from_db()
    assert request.legal_basis == "Written request, art. 16"
