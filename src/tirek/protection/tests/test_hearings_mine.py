"""The next hearings of proceedings show in My tasks of the case's case worker, beside the tasks,
by date with an overdue/today/soon mark; the API lists them too (GET /tasks/mine/dates)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tirek.casework.services import task_add
from tirek.protection.return_proceedings import ProceedingInput, proceeding_add
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient

COURT = "2-1187/2026"


def _day(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _hearing(people, case, days: int, kind: str = "criminal"):
    return proceeding_add(
        actor=people.aigul,
        case_id=case.pk,
        data=ProceedingInput(
            role="witness", kind=kind, court_reference=COURT, next_hearing_on=_day(days)
        ),
    )


@pytest.fixture
def case(people):
    return case_build(people.aigul)


def _page(actor) -> str:
    client = SecureClient()
    client.force_login(actor.user)
    return client.get(reverse("casework:my_tasks")).content.decode()


def test_my_tasks_lists_the_hearing_with_the_case_reference(people, case):
    _hearing(people, case, 3)
    page = _page(people.aigul)
    assert ("Court hearing" in page, case.reference in page) == (True, True)


def test_the_hearing_shows_nothing_recorded_about_the_proceedings(people, case):
    _hearing(people, case, 3)
    assert COURT not in _page(people.aigul)


def test_hearings_and_tasks_are_in_date_order(people, case):
    _hearing(people, case, 5)
    task_add(
        actor=people.aigul,
        case_id=case.pk,
        title="Call the lawyer",
        due_on=_day(1),
        owner_id=people.aigul.user.pk,
    )
    page = _page(people.aigul)
    assert page.index("Call the lawyer") < page.index("Court hearing")


@pytest.mark.parametrize(
    ("days", "mark"), [(-2, "overdue"), (0, "today"), (3, "upcoming"), (30, "")]
)
def test_the_api_marks_each_hearing(people, case, days, mark):
    _hearing(people, case, days)
    listed = ApiClient(people.aigul).get("/tasks/mine/dates").json()
    assert [(d["kind"], d["due_on"], d["mark"], d["case_reference"]) for d in listed] == [
        ("hearing", _day(days).isoformat(), mark, case.reference)
    ]


def test_the_api_lists_hearings_by_date(people, case):
    _hearing(people, case, 9, kind="civil")
    _hearing(people, case, 2)
    listed = ApiClient(people.aigul).get("/tasks/mine/dates").json()
    assert [d["due_on"] for d in listed] == [_day(2).isoformat(), _day(9).isoformat()]


@pytest.mark.parametrize("persona", ["outsider", "nurlan", "agency_admin"])
def test_others_do_not_get_the_case_workers_hearings(people, case, persona):
    _hearing(people, case, 3)
    actor = getattr(people, persona)
    assert ApiClient(actor).get("/tasks/mine/dates").json() == []


def test_a_passed_hearing_is_marked_overdue_on_the_page(people, case):
    _hearing(people, case, -1)
    page = _page(people.aigul)
    assert '<li class="overdue">' in page
