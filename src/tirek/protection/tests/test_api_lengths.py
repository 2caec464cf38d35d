"""Text too long for a protection write: the API's 422 in the project's shape (every over-long
field named, the text not echoed), before any rule runs and with nothing written; text exactly at
the limit is saved, so the schema's bound is the rule's and the model's, not a stricter one."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import CaseEvent
from tirek.protection.perpetrators import perpetrator_add
from tirek.protection.reflection import reflection_start
from tirek.protection.return_proceedings import ProceedingInput, proceeding_add
from tirek.protection.support import SupportPlanInput, support_plan_add
from tirek.protection.tests.test_support_delivery import _world as support_delivered
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, consent_build
from tirek.testing.personas import Personas

TEXT, NOTE = 4000, 2000  # the rules' bounds of a long text and of a reflection period's note


@dataclass
class Write:
    """One write of the protection API: who sends it, where, a valid body, and its bounds."""

    actor: Actor
    method: str
    path: str
    body: dict[str, Any]
    texts: dict[str, int]  # free text field -> its bound
    choices: dict[str, int] = field(default_factory=dict)  # coded field -> the model's bound


def _specialist(people: Personas) -> Actor:
    user = User.objects.create_user(username="child-specialist", password=None)
    membership = Membership.objects.create(
        user=user, agency=people.crisis_centre, role=Role.CHILD_PROTECTION
    )
    return Actor(user=user, membership=membership)


def _child_case(people: Personas) -> Any:
    born = timezone.localdate() - datetime.timedelta(days=15 * 365)
    return case_build(people.aigul, birth_date=born)


def _consent_withdraw(people: Personas) -> Write:
    consent = consent_build(people.aigul, case_build(people.aigul))
    return Write(people.aigul, "POST", f"/consents/{consent.pk}/withdraw", {}, {"reason": 300})


def _consent_record(people: Personas) -> Write:
    case = case_build(people.aigul)
    body = {"purpose": "referral", "method": "written", "sections": ["identity"]}
    return Write(
        people.aigul, "POST", f"/cases/{case.pk}/consents", body, {}, {"purpose": 20, "method": 16}
    )


def _reflection_extend(people: Personas) -> Write:
    period = reflection_start(actor=people.aigul, case_id=case_build(people.aigul).pk)
    body = {"version": period.version, "days": 10}
    return Write(
        people.aigul, "POST", f"/reflection-periods/{period.pk}/extend", body, {"reason": NOTE}
    )


def _reflection_end(people: Personas) -> Write:
    period = reflection_start(actor=people.aigul, case_id=case_build(people.aigul).pk)
    body = {"version": period.version, "outcome": "accepts_assistance"}
    return Write(
        people.aigul,
        "POST",
        f"/reflection-periods/{period.pk}/end",
        body,
        {"note": NOTE},
        {"outcome": 24},
    )


def _risk_assess(people: Personas) -> Write:
    case = case_build(people.aigul)
    body = {"level": "high", "factors": []}
    return Write(people.aigul, "POST", f"/cases/{case.pk}/risk-assessments", body, {"notes": TEXT})


def _safety_plan(people: Personas) -> Write:
    case = case_build(people.aigul)
    texts = {"measures": TEXT, "emergency_contacts": TEXT, "safe_place": TEXT}
    return Write(people.aigul, "PUT", f"/cases/{case.pk}/safety-plan", {"version": 0}, texts)


SUPPORT_TEXTS = {"spl_Objectives": TEXT, "spl_ActionPlan": TEXT}


def _support_add(people: Personas) -> Write:
    case = case_build(people.aigul)
    body = {"spl_Type": "Health"}
    path = f"/cases/{case.pk}/support-plans"
    return Write(people.aigul, "POST", path, body, SUPPORT_TEXTS, {"status": 12})


def _support_update(people: Personas) -> Write:
    case = case_build(people.aigul)
    data = SupportPlanInput(type="Health", objectives="See a doctor")
    plan = support_plan_add(actor=people.aigul, case_id=case.pk, data=data)
    body = {"version": plan.version, "spl_Type": "Health"}
    path = f"/support-plans/{plan.pk}"
    return Write(people.aigul, "PUT", path, body, SUPPORT_TEXTS, {"status": 12})


def _support_delivery(people: Personas) -> Write:
    _case, plan = support_delivered(people)  # by the employment department (dana)
    started = timezone.localdate().isoformat()
    body = {"version": plan.version, "status": "in_progress", "actual_start_date": started}
    path = f"/support-plans/{plan.pk}/delivery"
    return Write(people.dana, "POST", path, body, {"notes": TEXT}, {"status": 12})


def _guardian(people: Personas) -> Write:
    case = _child_case(people)
    body = {"version": 0, "relation": "parent"}
    texts = {"name": 200, "organisation": 200, "contact": 300}
    path = f"/cases/{case.pk}/guardian"
    return Write(_specialist(people), "PUT", path, body, texts, {"relation": 24})


def _best_interests(people: Personas) -> Write:
    case = _child_case(people)
    body = {"decision": "family_reunification"}
    texts = {"assessment": TEXT, "childs_views": TEXT, "decision_note": TEXT}
    path = f"/cases/{case.pk}/best-interests"
    return Write(_specialist(people), "POST", path, body, texts, {"decision": 40})


PERPETRATOR_TEXTS = {"name": 200, "per_RoleDetails": TEXT}


def _perpetrator_add(people: Personas) -> Write:
    case = case_build(people.aigul)
    body = {"per_RoleInProcess": ["Exploiter"]}
    path = f"/cases/{case.pk}/perpetrators"
    return Write(people.aigul, "POST", path, body, PERPETRATOR_TEXTS)


def _perpetrator_update(people: Personas) -> Write:
    case = case_build(people.aigul)
    perpetrator = perpetrator_add(actor=people.aigul, case_id=case.pk, roles=["Exploiter"])
    body = {"version": perpetrator.version, "per_RoleInProcess": ["Exploiter"]}
    path = f"/perpetrators/{perpetrator.pk}"
    return Write(people.aigul, "PUT", path, body, PERPETRATOR_TEXTS)


def _return_plan(people: Personas) -> Write:
    case = case_build(people.aigul)
    texts = {
        "destination_place": 300,
        "travel_documents": TEXT,
        "return_risk_notes": TEXT,
        "reintegration_plan": TEXT,
        "follow_up_contacts": TEXT,
    }
    body = {"version": 0, "destination_country": "UZB"}
    return Write(people.aigul, "PUT", f"/cases/{case.pk}/return-plan", body, texts)


PROCEEDING_TEXTS = {
    "police_reference": 100,
    "court_reference": 100,
    "protection_measures": TEXT,
    "hearings": TEXT,
    "legal_aid": TEXT,
    "compensation": TEXT,
    "non_punishment": TEXT,
}
PROCEEDING_CHOICES = {"kind": 16, "role": 16}


def _proceeding_add(people: Personas) -> Write:
    case = case_build(people.aigul)
    body = {"kind": "criminal", "role": "witness"}
    path = f"/cases/{case.pk}/proceedings"
    return Write(people.aigul, "POST", path, body, PROCEEDING_TEXTS, PROCEEDING_CHOICES)


def _proceeding_update(people: Personas) -> Write:
    case = case_build(people.aigul)
    data = ProceedingInput(role="witness")
    proceeding = proceeding_add(actor=people.aigul, case_id=case.pk, data=data)
    body = {"version": proceeding.version, "kind": "criminal", "role": "witness"}
    path = f"/proceedings/{proceeding.pk}"
    return Write(people.aigul, "PUT", path, body, PROCEEDING_TEXTS, PROCEEDING_CHOICES)


# Every protection write with a text in its body. Starting a reflection period, marking a
# child's case and removing a perpetrator take no text.
WRITES: dict[str, Callable[[Personas], Write]] = {
    "consent record": _consent_record,
    "consent withdraw": _consent_withdraw,
    "reflection extend": _reflection_extend,
    "reflection end": _reflection_end,
    "risk assessment": _risk_assess,
    "safety plan": _safety_plan,
    "support plan add": _support_add,
    "support plan update": _support_update,
    "support delivery": _support_delivery,
    "guardian": _guardian,
    "best interests": _best_interests,
    "perpetrator add": _perpetrator_add,
    "perpetrator update": _perpetrator_update,
    "return plan": _return_plan,
    "proceeding add": _proceeding_add,
    "proceeding update": _proceeding_update,
}


def _stored() -> dict[str, list[dict[str, Any]]]:
    """Every row of the protection tables, and the case timeline."""
    models: list[type[Model]] = [*apps.get_app_config("protection").get_models(), CaseEvent]
    return {m._meta.label: list(m._base_manager.order_by("pk").values()) for m in models}


@pytest.mark.parametrize("name", WRITES)
def test_a_text_over_its_bound_is_a_422_naming_each_field_and_writes_nothing(people, name):
    write = WRITES[name](people)
    too_long = {key: "q" * (bound + 1) for key, bound in (write.texts | write.choices).items()}
    before = _stored()

    response = ApiClient(write.actor).request(write.method, write.path, write.body | too_long)

    body = response.json()
    named = sorted(str(error["loc"][-1]) for error in body["errors"])
    assert (response.status_code, body["code"], named) == (422, "invalid_request", sorted(too_long))
    assert body["detail"] and "qqqq" not in response.content.decode()
    assert _stored() == before


@pytest.mark.parametrize("name", WRITES)
def test_a_text_at_its_bound_is_saved(people, name):
    write = WRITES[name](people)
    at_bound = {key: "q" * bound for key, bound in write.texts.items()}

    response = ApiClient(write.actor).request(write.method, write.path, write.body | at_bound)

    assert response.status_code in (200, 201), response.content
    saved = response.json()
    assert all(saved.get(key, value) == value for key, value in at_bound.items())
