"""Case notes and tasks: who reads and writes them, the timeline, my tasks, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.cases.models import CaseEvent
from tirek.casework.models import CaseNote, CaseTask
from tirek.casework.reminders import task_reminders_send
from tirek.casework.services import note_add, task_add, task_done
from tirek.core.errors import NotFound
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.web.tests.support import SecureClient


@pytest.fixture
def shared(people):
    case = case_build(people.aigul)
    referral = referral_build(
        people.aigul, case, to=people.employment, service=people.employment_service
    )
    referral_accept(actor=people.dana, referral_id=referral.pk)
    return case


def _client(actor):
    client = SecureClient()
    client.force_login(actor.user)
    return client


def test_a_private_note_stays_with_its_agency_when_the_case_is_shared(people, shared):
    note_add(actor=people.aigul, case_id=shared.pk, text="Owner only: family tension", private=True)
    note_add(
        actor=people.aigul, case_id=shared.pk, text="For everyone: prefers mornings", private=False
    )
    note_add(actor=people.dana, case_id=shared.pk, text="Receiver: interview booked", private=True)
    url = reverse("cases:detail", args=[shared.pk]) + "?tab=notes"
    owner = _client(people.aigul).get(url).content.decode()
    receiver = _client(people.dana).get(url).content.decode()
    assert "family tension" in owner and "prefers mornings" in owner
    assert "interview booked" not in owner
    assert "family tension" not in receiver and "prefers mornings" in receiver
    assert "interview booked" in receiver
    assert CaseEvent.objects.filter(case=shared, kind=CaseEvent.Kind.NOTE_ADDED).count() == 3


def test_notes_are_stored_encrypted_and_refused_outside(people, shared):
    note = note_add(actor=people.aigul, case_id=shared.pk, text="Secret detail", private=False)
    raw = CaseNote.objects.filter(pk=note.pk).values_list("text", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM casework_casenote")
        assert "Secret detail" not in cursor.fetchone()[0]
    assert list(raw)
    with pytest.raises(NotFound):
        note_add(actor=people.outsider, case_id=shared.pk, text="x", private=False)
    with pytest.raises(ValidationError):
        note_add(actor=people.aigul, case_id=shared.pk, text="  ", private=False)


def test_the_note_form_on_the_case_page(people, shared):
    client = _client(people.aigul)
    response = client.post(
        reverse("casework:note_add", args=[shared.pk]), {"text": "Called her", "private": "on"}
    )
    assert response["Location"].endswith("?tab=notes#notes")
    assert CaseNote.objects.get().private is True
    failed = client.post(reverse("casework:note_add", args=[shared.pk]), {"text": ""})
    assert failed.status_code == 422 and 'data-tab="notes"' in failed.content.decode()


def test_a_task_is_due_in_the_header_and_in_my_tasks(people, shared):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    task = task_add(
        actor=people.aigul,
        case_id=shared.pk,
        title="Call the shelter",
        due_on=yesterday,
        owner_id=people.aigul.user.pk,
    )
    page = _client(people.aigul).get(reverse("cases:detail", args=[shared.pk])).content.decode()
    header = page.split('id="case-heading"', 1)[1].split("</header>", 1)[0]
    assert "Call the shelter" in header and "1 overdue" in header
    mine = _client(people.aigul).get(reverse("casework:my_tasks")).content.decode()
    assert "Call the shelter" in mine and shared.reference in mine
    # another agency's tasks are its own
    other = _client(people.dana).get(reverse("cases:detail", args=[shared.pk])).content.decode()
    assert "Call the shelter" not in other
    task_done(actor=people.aigul, task_id=task.pk)
    assert (
        "Call the shelter"
        not in _client(people.aigul).get(reverse("casework:my_tasks")).content.decode()
    )
    kinds = list(shared.events.filter(kind__startswith="task").values_list("kind", flat=True))
    assert kinds == [CaseEvent.Kind.TASK_ADDED, CaseEvent.Kind.TASK_DONE]


def test_a_task_goes_to_a_case_worker_of_the_agency_only(people, shared):
    with pytest.raises(ValidationError) as refused:
        task_add(
            actor=people.aigul,
            case_id=shared.pk,
            title="Visit",
            due_on=timezone.localdate(),
            owner_id=people.dana.user.pk,
        )
    assert set(refused.value.message_dict) == {"owner"}
    with pytest.raises(NotFound):
        task_done(
            actor=people.dana,
            task_id=task_add(
                actor=people.aigul,
                case_id=shared.pk,
                title="Visit",
                due_on=timezone.localdate(),
                owner_id=people.aigul.user.pk,
            ).pk,
        )


def test_the_overdue_filter_of_the_case_list(people, shared):
    other = case_build(people.aigul, family_name="Otherova")
    task_add(
        actor=people.aigul,
        case_id=shared.pk,
        title="Late",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        owner_id=people.aigul.user.pk,
    )
    content = _client(people.aigul).get(reverse("cases:list") + "?overdue=tasks").content.decode()
    assert shared.reference in content and other.reference not in content


def test_reminders_mail_each_owner_once_a_day_without_the_task(people, shared, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people.aigul.user.email = "aigul@example.org"
    people.aigul.user.save()
    task_add(
        actor=people.aigul,
        case_id=shared.pk,
        title="Call the shelter",
        due_on=timezone.localdate(),
        owner_id=people.aigul.user.pk,
    )
    assert task_reminders_send.call() == 1
    assert task_reminders_send.call() == 0
    assert len(mail.outbox) == 1
    assert "Call the shelter" not in mail.outbox[0].body
    assert reverse("casework:my_tasks") in mail.outbox[0].body
    assert CaseTask.objects.get().reminded_on == timezone.localdate()


def test_the_api_adds_and_lists_notes_and_tasks(people, shared):
    api = ApiClient(people.aigul)
    note = api.post(f"/cases/{shared.pk}/notes", {"text": "From the API", "private": True})
    assert note.status_code == 201
    assert ApiClient(people.dana).get(f"/cases/{shared.pk}/notes").json() == []
    task = api.post(
        f"/cases/{shared.pk}/tasks",
        {
            "title": "API task",
            "due_on": timezone.localdate().isoformat(),
            "owner_id": str(people.aigul.user.pk),
        },
    )
    assert task.status_code == 201, task.json()
    assert [t["title"] for t in api.get("/tasks/mine").json()] == ["API task"]
    done = api.post(f"/tasks/{task.json()['id']}/done")
    assert done.json()["done_at"] is not None
    assert ApiClient(people.outsider).get(f"/cases/{shared.pk}/notes").status_code == 404
    bad = api.post(
        f"/cases/{shared.pk}/tasks",
        {"title": "", "due_on": "2026-01-01", "owner_id": str(people.dana.user.pk)},
    )
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"title", "owner"}
