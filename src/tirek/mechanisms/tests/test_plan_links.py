"""A step of the checklist delivers needs of the support plan: linked by the owning agency,
shown on both sides, a closed step shown on the need."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tirek.cases.models import CaseEvent
from tirek.core.errors import NotFound
from tirek.mechanisms.checklist import checklist_item_close
from tirek.mechanisms.models import ChecklistItem, Mechanism
from tirek.mechanisms.plan_links import checklist_item_plans_link
from tirek.mechanisms.tests.support import to_first_assistance
from tirek.protection.models import SupportPlan
from tirek.protection.support import SupportPlanInput, support_plan_add
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

pytestmark = pytest.mark.django_db


def shelter_and_need(people: Personas) -> tuple[ChecklistItem, SupportPlan]:
    case = case_build(people.aigul)
    to_first_assistance(people.aigul, case)
    item = ChecklistItem.objects.get(case=case, step__code="shelter")
    plan = support_plan_add(
        actor=people.aigul,
        case_id=case.pk,
        data=SupportPlanInput(type="Health", objectives="A safe place"),
    )
    return item, plan


def test_the_owner_links_a_step_to_a_need_and_the_timeline_records_it(
    almaty: Mechanism, people: Personas
) -> None:
    item, plan = shelter_and_need(people)
    checklist_item_plans_link(actor=people.aigul, item_id=item.pk, plan_ids=[plan.pk])
    assert list(item.support_plans.all()) == [plan]
    event = CaseEvent.objects.filter(case=item.case).order_by("-seq").first()
    assert event is not None and event.kind == CaseEvent.Kind.SUPPORT_PLAN_UPDATED
    assert event.data["step"] == "shelter" and event.data["support_plan_ids"] == [str(plan.pk)]
    checklist_item_plans_link(actor=people.aigul, item_id=item.pk, plan_ids=[])
    assert not item.support_plans.exists()


def test_a_need_of_another_case_or_an_outsider_is_refused(
    almaty: Mechanism, people: Personas
) -> None:
    item, _plan = shelter_and_need(people)
    _other_item, other_plan = shelter_and_need(people)
    with pytest.raises(ValidationError):
        checklist_item_plans_link(actor=people.aigul, item_id=item.pk, plan_ids=[other_plan.pk])
    with pytest.raises(ValidationError):
        checklist_item_plans_link(actor=people.aigul, item_id=item.pk, plan_ids=["not-an-id"])
    with pytest.raises(NotFound):
        checklist_item_plans_link(actor=people.outsider, item_id=item.pk, plan_ids=[])
    assert not item.support_plans.exists()


def test_both_sides_show_the_link_and_a_closed_step_shows_on_the_need(
    almaty: Mechanism, people: Personas
) -> None:
    item, plan = shelter_and_need(people)
    client = SecureClient()
    client.force_login(people.aigul.user)
    url = reverse("mechanisms:checklist_plans", args=[item.pk])
    assert client.post(url, {"support_plans": [str(plan.pk)]}).status_code == 302
    item.refresh_from_db()
    checklist_item_close(
        actor=people.aigul, item_id=item.pk, outcome="done", expected_version=item.version
    )
    steps_tab = client.get(reverse("cases:detail", args=[item.case_id]) + "?tab=mechanism")
    assert "Delivers the needs" in steps_tab.content.decode()
    support_tab = client.get(reverse("cases:detail", args=[item.case_id]) + "?tab=protection")
    text = support_tab.content.decode()
    assert "Delivered by the steps of the mechanism" in text and "Done" in text
    plans = ApiClient(people.aigul).get(f"/cases/{item.case_id}/support-plans").json()
    assert plans[0]["checklist_steps"][0]["status"] == "done"
    api = ApiClient(people.aigul)
    answer = api.put(f"/checklist/{item.pk}/support-plans", {"support_plan_ids": []})
    assert answer.status_code == 200
    assert all(i["support_plan_ids"] == [] for i in answer.json()["items"])
    refused = ApiClient(people.outsider).put(
        f"/checklist/{item.pk}/support-plans", {"support_plan_ids": []}
    )
    assert refused.status_code == 404
