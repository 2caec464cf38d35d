"""Changing and reassigning tasks; deleting notes and documents (author or supervisor)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.cases.models import CaseEvent
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.services import (
    attachment_add,
    attachment_delete,
    note_add,
    note_delete,
    task_add,
    task_done,
    task_update,
)
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.referrals.services import referral_accept
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.testing.tasks import tasks_run_pending
from tirek.web.tests.support import SecureClient

PDF = b"%PDF-1.4 synthetic test document"


def _member(username, agency, role, email=""):
    user = User.objects.create_user(username=username, password=None, email=email)
    return Actor(
        user=user, membership=Membership.objects.create(user=user, agency=agency, role=role)
    )


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


def _task(people, case, **changes):
    data = {
        "title": "Call the shelter",
        "due_on": timezone.localdate() + datetime.timedelta(days=3),
        "owner_id": people.aigul.user.pk,
    } | changes
    return task_add(actor=people.aigul, case_id=case.pk, **data)


# --- tasks -------------------------------------------------------------------------------------


def test_a_reassigned_task_tells_the_new_owner_through_the_background_path(
    people, shared, mailoutbox
):
    colleague = _member("asel", people.crisis_centre, Role.CASE_WORKER, "asel@example.org")
    task = _task(people, shared)
    tasks_run_pending()
    mailoutbox.clear()
    changed = task_update(
        actor=people.aigul,
        task_id=task.pk,
        title="Call the shelter about a place",
        due_on=task.due_on,
        owner_id=colleague.user.pk,
        expected_version=task.version,
    )
    event = shared.events.get(kind=CaseEvent.Kind.TASK_UPDATED)
    assert mailoutbox == []  # not inside the request
    assert tasks_run_pending() == 1
    assert [m.to for m in mailoutbox] == [["asel@example.org"]]
    body = mailoutbox[0].subject + mailoutbox[0].body
    assert "shelter" not in body and shared.reference not in body
    assert reverse("casework:my_tasks") in body
    assert (changed.owner_id, event.data["fields"], "shelter" in str(event.data)) == (
        colleague.user.pk,
        ["title", "owner"],
        False,
    )


def test_changing_only_the_date_mails_nobody(people, shared, mailoutbox):
    task = _task(people, shared)
    tasks_run_pending()
    task_update(
        actor=people.aigul,
        task_id=task.pk,
        title=task.title,
        due_on=task.due_on + datetime.timedelta(days=1),
        owner_id=people.aigul.user.pk,
        expected_version=task.version,
    )
    assert tasks_run_pending() == 0


def test_task_update_checks_owner_version_and_state(people, shared):
    task = _task(people, shared)
    with pytest.raises(ValidationError) as error:
        task_update(
            actor=people.aigul,
            task_id=task.pk,
            title="",
            due_on=None,
            owner_id=people.dana.user.pk,
            expected_version=task.version,
        )
    assert sorted(error.value.message_dict) == ["due_on", "owner", "title"]
    with pytest.raises(ConcurrentUpdate):
        task_update(
            actor=people.aigul,
            task_id=task.pk,
            title="x",
            due_on=task.due_on,
            owner_id=people.aigul.user.pk,
            expected_version=task.version + 1,
        )
    task_done(actor=people.aigul, task_id=task.pk)
    with pytest.raises(InvalidState):
        task_update(
            actor=people.aigul,
            task_id=task.pk,
            title="x",
            due_on=task.due_on,
            owner_id=people.aigul.user.pk,
            expected_version=task.version + 1,
        )


def test_another_agencys_task_does_not_exist_for_the_receiver(people, shared):
    task = _task(people, shared)
    with pytest.raises(NotFound):
        task_update(
            actor=people.dana,
            task_id=task.pk,
            title="x",
            due_on=task.due_on,
            owner_id=people.dana.user.pk,
            expected_version=task.version,
        )


def test_change_a_task_on_the_case_page_and_through_the_api(people, shared):
    task = _task(people, shared)
    client = _client(people.aigul)
    url = reverse("casework:task_update", args=[task.pk])
    page = client.get(reverse("cases:detail", args=[shared.pk]) + "?tab=tasks").content.decode()
    refused = client.post(url, {"title": "", "expected_version": task.version})
    saved = client.post(
        url,
        {
            "title": "Call again",
            "due_on": task.due_on.isoformat(),
            "owner": str(people.aigul.user.pk),
            "expected_version": task.version,
        },
    )
    api = ApiClient(people.aigul).put(
        f"/tasks/{task.pk}",
        {
            "version": task.version + 1,
            "title": "Call a third time",
            "due_on": task.due_on.isoformat(),
            "owner_id": str(people.aigul.user.pk),
        },
    )
    assert (url in page, refused.status_code, saved.status_code, api.status_code) == (
        True,
        422,
        302,
        200,
    )
    assert f'id="task_{task.pk}_title' in refused.content.decode()
    assert CaseTask.objects.get().title == "Call a third time"


# --- deleting notes and documents -------------------------------------------------------------


def test_the_author_deletes_a_note_and_the_timeline_keeps_no_text(people, shared):
    note = note_add(actor=people.aigul, case_id=shared.pk, text="Secret detail", private=False)
    note_delete(actor=people.aigul, note_id=note.pk)
    event = shared.events.get(kind=CaseEvent.Kind.NOTE_DELETED)
    assert (CaseNote.objects.count(), event.data) == (
        0,
        {"note_id": str(note.pk), "private": False},
    )


def test_a_colleague_may_not_delete_but_a_supervisor_of_the_agency_may(people, shared):
    colleague = _member("asel", people.crisis_centre, Role.CASE_WORKER)
    supervisor = _member("gulnara", people.crisis_centre, Role.SUPERVISOR)
    note = note_add(actor=people.aigul, case_id=shared.pk, text="Note", private=False)
    with pytest.raises(Forbidden):
        note_delete(actor=colleague, note_id=note.pk)
    note_delete(actor=supervisor, note_id=note.pk)
    assert CaseNote.objects.count() == 0


def test_another_agency_may_not_delete_a_shared_note_nor_see_a_private_one(people, shared):
    shared_note = note_add(actor=people.aigul, case_id=shared.pk, text="Shared", private=False)
    private = note_add(actor=people.aigul, case_id=shared.pk, text="Private", private=True)
    with pytest.raises(Forbidden):
        note_delete(actor=people.dana, note_id=shared_note.pk)
    with pytest.raises(NotFound):
        note_delete(actor=people.dana, note_id=private.pk)
    with pytest.raises(NotFound):
        note_delete(actor=people.outsider, note_id=shared_note.pk)
    assert CaseNote.objects.count() == 2


def test_deleting_a_document_removes_its_encrypted_content(people, shared):
    document = attachment_add(
        actor=people.aigul,
        case_id=shared.pk,
        kind="consent_form",
        filename="consent.pdf",
        content=PDF,
        private=False,
    )
    with pytest.raises(Forbidden):
        attachment_delete(actor=people.dana, attachment_id=document.pk)
    attachment_delete(actor=people.aigul, attachment_id=document.pk)
    event = shared.events.get(kind=CaseEvent.Kind.ATTACHMENT_DELETED)
    assert CaseAttachment.objects.filter(pk=document.pk).exists() is False
    assert "consent.pdf" not in str(event.data) and event.data["kind"] == "consent_form"


def test_delete_from_the_page_and_the_api(people, shared):
    mine = note_add(actor=people.dana, case_id=shared.pk, text="From employment", private=False)
    theirs = note_add(actor=people.aigul, case_id=shared.pk, text="From the centre", private=False)
    document = attachment_add(
        actor=people.dana,
        case_id=shared.pk,
        kind="other",
        filename="cv.pdf",
        content=PDF,
        private=True,
    )
    client = _client(people.dana)
    page = client.get(reverse("cases:detail", args=[shared.pk]) + "?tab=notes").content.decode()
    assert reverse("casework:note_delete", args=[mine.pk]) in page
    assert reverse("casework:note_delete", args=[theirs.pk]) not in page
    assert client.post(reverse("casework:note_delete", args=[theirs.pk])).status_code == 403
    assert client.post(reverse("casework:note_delete", args=[mine.pk])).status_code == 302
    api = ApiClient(people.dana)
    assert api.delete(f"/attachments/{document.pk}").status_code == 204
    assert api.delete(f"/attachments/{document.pk}").status_code == 404
    assert ApiClient(people.outsider).delete(f"/notes/{theirs.pk}").status_code == 404
    assert list(CaseNote.objects.values_list("text", flat=True)) == ["From the centre"]
