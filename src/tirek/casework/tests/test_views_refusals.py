"""A refusal of the state by a casework service (a task already done) is a message on the way
back to the panel, not an error on the form: there is nothing to correct in what was typed."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from tirek.cases.views import case_detail_url
from tirek.casework.services import task_add, task_done
from tirek.testing.builders import case_build
from tirek.web.tests.support import SecureClient


def test_changing_a_done_task_goes_back_to_the_tasks_with_the_message(people):
    case = case_build(people.aigul)
    due = timezone.localdate() + datetime.timedelta(days=3)
    task = task_add(
        actor=people.aigul, case_id=case.pk, title="Call", due_on=due, owner_id=people.aigul.user.pk
    )
    task_done(actor=people.aigul, task_id=task.pk)
    client = SecureClient()
    client.force_login(people.aigul.user)
    response = client.post(
        reverse("casework:task_update", args=[task.pk]),
        {
            "title": "Call again",
            "due_on": due.isoformat(),
            "owner": str(people.aigul.user.pk),
            "expected_version": str(task.version + 1),
        },
        follow=True,
    )
    assert (
        response.redirect_chain[0][0],
        "already done" in response.content.decode(),
    ) == (case_detail_url(case.pk, "tasks"), True)
