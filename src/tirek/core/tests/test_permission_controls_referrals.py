"""Positive controls of the permission matrix: referrals (sent, declined, sent elsewhere,
questions and answers, outside Tirek) and transfers of a case. See ``controls``.

The matrix walks a referral already accepted and one waiting; a route refused on one of them
and answered on the other (accept, decline, outcome, questions) has its control there."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import pytest

from tirek.accounts.actor import Actor
from tirek.cases.choices import Section
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, owner, web
from tirek.protection.models import Consent
from tirek.referrals.models import CaseTransfer, OutsideReferral, Referral, ReferralQuestion
from tirek.referrals.questions import referral_question_ask
from tirek.referrals.services import referral_decline
from tirek.referrals.transfers import case_transfer_accept
from tirek.testing.builders import case_build, consent_build, referral_build, transfer_build
from tirek.testing.personas import Personas

QUESTION = "Does she need a crèche place for her son?"
EVERY_SECTION = sorted(Section.values)


class World(controls.World):
    """Aigul's case and its referrals and transfers, built when a control names them."""

    @cached_property
    def to_employment(self) -> Consent:
        """The person's consent to share identity and victim with the employment department."""
        return consent_build(self.people.aigul, self.case, to=self.people.employment)

    @cached_property
    def to_anyone(self) -> Consent:
        return consent_build(self.people.aigul, self.case, sections=[Section.IDENTITY])

    @cached_property
    def to_police(self) -> Consent:
        """Consent to share all of the case with the police (for a transfer)."""
        return consent_build(
            self.people.aigul, self.case, to=self.people.police, sections=EVERY_SECTION
        )

    @cached_property
    def pending(self) -> Referral:
        """A referral to the police, waiting for nurlan's answer."""
        return referral_build(
            self.people.aigul,
            self.case,
            to=self.people.police,
            service=self.people.investigation_service,
        )

    @cached_property
    def asked(self) -> Referral:
        """The waiting referral, with nurlan's question to aigul."""
        referral_question_ask(
            actor=self.people.nurlan, referral_id=self.pending.pk, question=QUESTION
        )
        return self.pending

    @cached_property
    def declined(self) -> Referral:
        """Declined by the police; a consent to share with any agency lets it go elsewhere."""
        consent_build(self.people.aigul, self.case)
        referral_decline(
            actor=self.people.nurlan, referral_id=self.pending.pk, reason="No capacity"
        )
        return self.pending

    @cached_property
    def transfer(self) -> CaseTransfer:
        """A transfer of the case to the police, waiting for their answer."""
        return transfer_build(self.people.aigul, self.case, to=self.people.police)

    @cached_property
    def accepted_transfer(self) -> CaseTransfer:
        """Nurlan's case, transferred to the crisis centre: the police keep two sections."""
        case = case_build(self.people.nurlan)
        kept: list[str] = [Section.PERPETRATORS, Section.PROCEEDINGS]
        transfer = transfer_build(self.people.nurlan, case, to=self.people.crisis_centre, kept=kept)
        return case_transfer_accept(actor=self.people.aigul, transfer_id=transfer.pk)


def _police(w: World) -> Actor:
    return w.people.nurlan


def _count(model: Any) -> Any:
    return lambda w: model.objects.count()


def _status(attribute: str, model: Any = Referral) -> Any:
    return lambda w: model.objects.values_list("status", flat=True).get(pk=getattr(w, attribute).pk)


def _answered(w: World) -> Any:
    return ReferralQuestion.objects.filter(answer="").count()


def _kept(w: World) -> Any:
    return CaseTransfer.objects.values_list("kept_sections", flat=True).get(
        pk=w.accepted_transfer.pk
    )


ANSWER = "Yes, a place at the crèche on Abay street."
CONTROLS: dict[str, Control] = {
    # sending
    "POST referrals:send": web(
        "POST",
        "referrals:send",
        "case",
        owner,
        302,
        body=lambda w: {
            "to_agency": str(w.people.employment.pk),
            "service_type": str(w.people.employment_service.pk),
            "consent": str(w.to_employment.pk),
            "sections": ["identity", "victim"],
            "reason": Referral.Reason.ADDITIONAL_SERVICES,
            "message": "Needs a job near the shelter.",
        },
        state=_count(Referral),
    ),
    "POST /cases/{case_id}/referrals": api(
        "POST",
        "/cases/{w.case.pk}/referrals",
        owner,
        201,
        body=lambda w: {
            "cas_ReferredOrganisation": str(w.people.employment.pk),
            "service_type_id": w.people.employment_service.pk,
            "consent_id": str(w.to_employment.pk),
            "sections": ["identity"],
        },
        state=_count(Referral),
    ),
    "POST referrals:outside_send": web(
        "POST",
        "referrals:outside_send",
        "case",
        owner,
        302,
        body=lambda w: {
            "consent": str(w.to_anyone.pk),
            "service_type": str(w.people.shelter_service.pk),
            "organisation": "Test-Sana",
            "sections": ["identity"],
        },
        state=_count(OutsideReferral),
    ),
    # the receiver's answer (web; the API's is on the matrix's waiting referral)
    "POST referrals:decline": web(
        "POST",
        "referrals:decline",
        "pending",
        _police,
        302,
        body=lambda w: {"reason": "No capacity"},
        state=_status("pending"),
    ),
    # a declined referral sent elsewhere
    "POST /referrals/{referral_id}/resend": api(
        "POST",
        "/referrals/{w.declined.pk}/resend",
        owner,
        201,
        body=lambda w: {"cas_ReferredOrganisation": str(w.people.employment.pk)},
        state=_count(Referral),
    ),
    # questions before an answer: the receiver asks, the sender answers
    "POST referrals:ask": web(
        "POST",
        "referrals:ask",
        "pending",
        _police,
        302,
        body=lambda w: {"question": QUESTION},
        state=_count(ReferralQuestion),
    ),
    "POST referrals:answer": web(
        "POST",
        "referrals:answer",
        "asked",
        owner,
        302,
        body=lambda w: {"answer": ANSWER},
        state=_answered,
    ),
    "POST /referrals/{referral_id}/answer": api(
        "POST",
        "/referrals/{w.asked.pk}/answer",
        owner,
        200,
        body=lambda w: {"answer": ANSWER},
        state=_answered,
    ),
    # transfers of the case
    "POST referrals:transfer_propose": web(
        "POST",
        "referrals:transfer_propose",
        "case",
        owner,
        302,
        body=lambda w: {
            "to_agency": str(w.people.police.pk),
            "consent": str(w.to_police.pk),
            "kept_sections": ["proceedings"],
            "reason": "She moves to the police's protection.",
        },
        state=_count(CaseTransfer),
    ),
    "POST /cases/{case_id}/transfers": api(
        "POST",
        "/cases/{w.case.pk}/transfers",
        owner,
        201,
        body=lambda w: {
            "to_agency_id": str(w.people.police.pk),
            "consent_id": str(w.to_police.pk),
            "kept_sections": [],
            "reason": "She moves to the police's protection.",
        },
        state=_count(CaseTransfer),
    ),
    "POST referrals:transfer_decline": web(
        "POST",
        "referrals:transfer_decline",
        "transfer",
        _police,
        302,
        body=lambda w: {"reason": "No places"},
        state=_status("transfer", CaseTransfer),
    ),
    "POST referrals:transfer_kept": web(
        "POST",
        "referrals:transfer_kept",
        "accepted_transfer",
        owner,
        302,
        body=lambda w: {
            f"kept-{w.accepted_transfer.pk}-version": w.accepted_transfer.version,
            f"kept-{w.accepted_transfer.pk}-kept_sections": ["proceedings"],
        },
        state=_kept,
    ),
    "POST /transfers/{transfer_id}/kept": api(
        "POST",
        "/transfers/{w.accepted_transfer.pk}/kept",
        owner,
        200,
        body=lambda w: {"version": w.accepted_transfer.version, "kept_sections": ["proceedings"]},
        state=_kept,
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
