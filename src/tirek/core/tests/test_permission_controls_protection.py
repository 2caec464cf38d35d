"""Positive controls of the permission matrix: protection (consent, reflection, risk, safety and
support plans, perpetrators, a child's guardian and best interests). See ``controls``."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

import pytest
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.core.tests import controls
from tirek.core.tests.controls import Control, api, control_tests, owner, web
from tirek.protection.models import (
    BestInterestsAssessment,
    ChildGuardian,
    Consent,
    Perpetrator,
    ReflectionPeriod,
    RiskAssessment,
    SafetyPlan,
    SupportPlan,
)
from tirek.protection.perpetrators import perpetrator_add
from tirek.protection.reflection import reflection_start
from tirek.protection.support import SupportPlanInput, support_plan_add
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas


class World(controls.World):
    """The crisis centre's adult case (aigul's) and child case, built when a control names them."""

    @cached_property
    def child_case(self) -> Any:
        born = timezone.localdate() - datetime.timedelta(days=15 * 365)
        return case_build(self.people.aigul, birth_date=born)

    @cached_property
    def specialist(self) -> Actor:
        """Aigul's colleague, the crisis centre's child protection specialist."""
        user = User.objects.create_user(username="matrix-child-specialist", password=None)
        membership = Membership.objects.create(
            user=user, agency=self.people.crisis_centre, role=Role.CHILD_PROTECTION
        )
        return Actor(user=user, membership=membership)

    @cached_property
    def period(self) -> ReflectionPeriod:
        return reflection_start(actor=self.people.aigul, case_id=self.case.pk)

    @cached_property
    def plan(self) -> SupportPlan:
        data = SupportPlanInput(type="Health", objectives="Dental care")
        return support_plan_add(actor=self.people.aigul, case_id=self.case.pk, data=data)

    @cached_property
    def perpetrator(self) -> Perpetrator:
        return perpetrator_add(actor=self.people.aigul, case_id=self.case.pk, roles=["Exploiter"])


def _specialist(w: World) -> Actor:
    return w.specialist


def _count(model: Any) -> Any:
    return lambda w: model.objects.count()


def _version(model: Any, attribute: str) -> Any:
    return lambda w: model.objects.values_list("version", flat=True).get(
        pk=getattr(w, attribute).pk
    )


def _today() -> str:
    return timezone.localdate().isoformat()


PERIOD = _version(ReflectionPeriod, "period")
CONTROLS: dict[str, Control] = {
    "POST protection:consent_record": web(
        "POST",
        "protection:consent_record",
        "case",
        owner,
        302,
        body=lambda w: {"purpose": "referral", "method": "written", "sections": ["identity"]},
        state=_count(Consent),
    ),
    # reflection period
    "POST protection:reflection_start": web(
        "POST",
        "protection:reflection_start",
        "case",
        owner,
        302,
        body=lambda w: {"days": "30"},
        state=_count(ReflectionPeriod),
    ),
    "POST /cases/{case_id}/reflection-periods": api(
        "POST",
        "/cases/{w.case.pk}/reflection-periods",
        owner,
        201,
        body=lambda w: {},
        state=_count(ReflectionPeriod),
    ),
    "POST protection:reflection_extend": web(
        "POST",
        "protection:reflection_extend",
        "period",
        owner,
        302,
        body=lambda w: {"days": "5", "reason": "Needs time", "expected_version": "1"},
        state=PERIOD,
    ),
    "POST protection:reflection_end": web(
        "POST",
        "protection:reflection_end",
        "period",
        owner,
        302,
        body=lambda w: {"outcome": "returns", "expected_version": "1"},
        state=PERIOD,
    ),
    # risk and safety
    "POST protection:risk_assess": web(
        "POST",
        "protection:risk_assess",
        "case",
        owner,
        302,
        body=lambda w: {"level": "medium", "factors": ["pregnancy"]},
        state=_count(RiskAssessment),
    ),
    "POST protection:safety_plan_save": web(
        "POST",
        "protection:safety_plan_save",
        "case",
        owner,
        302,
        body=lambda w: {"measures": "Call twice a day"},
        state=_count(SafetyPlan),
    ),
    # support plans
    "POST protection:support_plan_add": web(
        "POST",
        "protection:support_plan_add",
        "case",
        owner,
        302,
        body=lambda w: {"type": "Health", "status": "needed", "objectives": "Dental care"},
        state=_count(SupportPlan),
    ),
    "POST protection:support_plan_update": web(
        "POST",
        "protection:support_plan_update",
        "plan",
        owner,
        302,
        body=lambda w: {
            "type": "Health",
            "status": "planned",
            "objectives": "Dental care",
            "planned_start_date": _today(),
            "expected_version": str(w.plan.version),
        },
        state=_version(SupportPlan, "plan"),
    ),
    # perpetrators
    "POST protection:perpetrator_add": web(
        "POST",
        "protection:perpetrator_add",
        "case",
        owner,
        302,
        body=lambda w: {"name": "Alias", "sex": "M", "roles": ["Exploiter"]},
        state=_count(Perpetrator),
    ),
    "POST protection:perpetrator_update": web(
        "POST",
        "protection:perpetrator_update",
        "perpetrator",
        owner,
        302,
        body=lambda w: {
            "name": "Alias Two",
            "sex": "M",
            "roles": ["Transporter"],
            "expected_version": str(w.perpetrator.version),
        },
        state=_version(Perpetrator, "perpetrator"),
    ),
    # a child's case: the child protection specialist, not the case worker
    "POST protection:guardian_save": web(
        "POST",
        "protection:guardian_save",
        "child_case",
        _specialist,
        302,
        refused=403,
        body=lambda w: {
            "name": "Test Guardianova",
            "relation": "relative",
            "expected_version": "0",
        },
        state=_count(ChildGuardian),
    ),
    "PUT /cases/{case_id}/guardian": api(
        "PUT",
        "/cases/{w.child_case.pk}/guardian",
        _specialist,
        200,
        body=lambda w: {"version": 0, "name": "Test Guardianova", "relation": "parent"},
        state=_count(ChildGuardian),
    ),
    "POST protection:best_interests": web(
        "POST",
        "protection:best_interests",
        "child_case",
        _specialist,
        302,
        refused=403,
        body=lambda w: {"assessment": "Safe with the aunt", "decision": "family_reunification"},
        state=_count(BestInterestsAssessment),
    ),
    "POST /cases/{case_id}/best-interests": api(
        "POST",
        "/cases/{w.child_case.pk}/best-interests",
        _specialist,
        201,
        body=lambda w: {"assessment": "Safe with the aunt", "decision": "family_reunification"},
        state=_count(BestInterestsAssessment),
    ),
}


@pytest.fixture
def world(people: Personas) -> World:
    return World(people)


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)
