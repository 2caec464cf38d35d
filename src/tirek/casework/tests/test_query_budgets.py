"""Query budgets of the casework lists: My tasks (web and API) and a case's notes, tasks and
documents cost the same number of queries with 1 row as with 6."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import Case
from tirek.casework.services import attachment_add, note_add, task_add
from tirek.protection.return_proceedings import ProceedingInput, proceeding_add
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert getattr(response, "status_code", 200) == 200
    return len(captured.captured_queries)


def _web(actor, path: str) -> Callable[[], object]:
    client = Client()
    client.force_login(actor.user)
    return lambda: client.get(path)


def _api(actor, path: str) -> Callable[[], object]:
    client = ApiClient(actor)
    return lambda: client.get(path)


def _tasks_on_new_cases(people, count: int, case) -> None:
    """Tasks for Aigul, each on a case of its own (My tasks lists tasks across cases)."""
    for number in range(count):
        own = case_build(people.aigul, patronymic=f"T{number}")
        task_add(
            actor=people.aigul,
            case_id=own.pk,
            title=f"Call back {number}",
            due_on=timezone.localdate() + datetime.timedelta(days=number - 2),
            owner_id=people.aigul.user.pk,
        )


def _hearings_on_new_cases(people, count: int, case) -> None:
    """A task and a court hearing on each of Aigul's new cases: My tasks lists both."""
    _tasks_on_new_cases(people, count, case)
    for own in Case.objects.filter(case_worker=people.aigul.user).exclude(
        proceedings__isnull=False
    ):
        proceeding_add(
            actor=people.aigul,
            case_id=own.pk,
            data=ProceedingInput(role="witness", next_hearing_on=timezone.localdate()),
        )


def _tasks_on_case(people, count: int, case) -> None:
    for number in range(count):
        task_add(
            actor=people.aigul,
            case_id=case.pk,
            title=f"Visit {number}",
            due_on=timezone.localdate() + datetime.timedelta(days=number),
            owner_id=people.aigul.user.pk,
        )


def _notes(people, count: int, case) -> None:
    for number in range(count):
        note_add(actor=people.aigul, case_id=case.pk, text=f"Met her {number}", private=False)


def _attachments(people, count: int, case) -> None:
    for number in range(count):
        attachment_add(
            actor=people.aigul,
            case_id=case.pk,
            kind="other",
            filename=f"paper-{number}.pdf",
            content=PDF,
            private=False,
        )


LISTS = {
    # name -> (how rows grow, the call for Aigul given the case, at most this many queries:
    # SQLite's count, PostgreSQL may need a few more: the case page issues 22 on SQLite, 25 on
    # PostgreSQL)
    "web my tasks": (_tasks_on_new_cases, lambda a, c: _web(a, reverse("casework:my_tasks")), 12),
    "api my tasks": (_tasks_on_new_cases, lambda a, c: _api(a, "/tasks/mine"), 3),
    "web my tasks and hearings": (
        _hearings_on_new_cases,
        lambda a, c: _web(a, reverse("casework:my_tasks")),
        12,
    ),
    "api my dates (hearings)": (
        _hearings_on_new_cases,
        lambda a, c: _api(a, "/tasks/mine/dates"),
        3,
    ),
    "api case tasks": (_tasks_on_case, lambda a, c: _api(a, f"/cases/{c.pk}/tasks"), 10),
    "api case notes": (_notes, lambda a, c: _api(a, f"/cases/{c.pk}/notes"), 10),
    "api case documents": (_attachments, lambda a, c: _api(a, f"/cases/{c.pk}/attachments"), 10),
    "web case page, tasks tab": (
        _tasks_on_case,
        lambda a, c: _web(a, reverse("cases:detail", args=[c.pk]) + "?tab=tasks"),
        25,
    ),
    "web case page, notes tab": (
        _notes,
        lambda a, c: _web(a, reverse("cases:detail", args=[c.pk]) + "?tab=notes"),
        25,
    ),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_casework_lists_do_not_grow_with_rows(people, name):
    grow, call_for, limit = LISTS[name]
    case = case_build(people.aigul)
    call = call_for(people.aigul, case)
    counts = []
    for more in (1, 5):
        grow(people, more, case)
        call()  # warm: sessions, caches
        counts.append(_queries(call))
    few, many = counts
    assert few == many, (name, counts)
    assert many <= limit, (name, counts)
