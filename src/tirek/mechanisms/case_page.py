"""The mechanism's part of the case page: the checklist tab, what is due in the header."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases import page
from tirek.cases.selectors import CaseView
from tirek.mechanisms.checklist import case_mechanism, checklist_rows
from tirek.mechanisms.display import step_deadline, step_who
from tirek.mechanisms.models import ChecklistItem
from tirek.mechanisms.plan_links import plans_of_items, support_plans_of_case

TAB = "mechanism"


def can_see_checklist(actor: Actor, view: CaseView) -> bool:
    """The owning agency sees the whole checklist; its conditions (child, foreign national)
    would tell others more than their referral granted."""
    return view.is_owner


def _panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not can_see_checklist(actor, view):
        return None
    mechanism = case_mechanism(view.case)
    rows = checklist_rows(view.case)
    linked = plans_of_items([row.item for row in rows])
    return {
        "case": view.case,
        "mechanism": mechanism,
        "rows": [
            {
                "row": row,
                "who": step_who(row.item.step),
                "rule": step_deadline(row.item.step),
                "plans": linked.get(row.item.pk, []),
                "plan_ids": {str(p.pk) for p in linked.get(row.item.pk, [])},
            }
            for row in rows
        ],
        "can_close": page.case_is_open(view) and actor.can(Capability.EDIT_CASES),
        "support_plans": support_plans_of_case(view.case),
        "outcomes": [
            (ChecklistItem.Status.DONE, ChecklistItem.Status.DONE.label),
            (ChecklistItem.Status.NOT_DONE, ChecklistItem.Status.NOT_DONE.label),
        ],
    }


def _dues(actor: Actor, view: CaseView) -> list[page.Due]:
    if not can_see_checklist(actor, view):
        return []
    items = ChecklistItem.objects.filter(
        case=view.case, status=ChecklistItem.Status.OPEN, due_at__isnull=False
    ).select_related("step")
    return [
        page.Due(
            label=item.step.label,
            due_on=timezone.localtime(item.due_at).date(),
            tab=TAB,
        )
        for item in items
    ]


def register() -> None:
    page.tab_register(page.Tab(TAB, gettext_lazy("Mechanism steps"), 55))
    page.panel_register(
        TAB,
        "checklist",
        "mechanisms/_checklist_panel.html",
        _panel,
        visible_for=can_see_checklist,
        order=10,
    )
    page.due_register("mechanism_checklist", _dues)
