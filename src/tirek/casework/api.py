"""API: notes and tasks of a case, my tasks."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Status
from ninja.files import UploadedFile

from tirek.cases.agenda import agenda_dates_for, due_mark
from tirek.cases.reads import case_open
from tirek.cases.schemas import MAX_ID, enum_of
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.selectors import (
    attachments_for_case,
    notes_for_case,
    tasks_for_case,
    tasks_mine,
)
from tirek.casework.services import (
    MAX_NOTE,
    MAX_TITLE,
    attachment_add,
    attachment_delete,
    attachment_download,
    max_attachment_bytes,
    note_add,
    note_delete,
    task_add,
    task_done,
    task_update,
)
from tirek.casework.views import attachment_response
from tirek.core.api_support import AgencyRef, InSchema, OutSchema, actor_of

router = Router(tags=["casework"], by_alias=True)


class NoteIn(InSchema):
    text: str = Field(max_length=MAX_NOTE)
    private: bool = Field(False, description="Only your agency may read it.")


class NoteOut(OutSchema):
    id: UUID
    text: str
    private: bool
    agency: AgencyRef
    author_name: str
    created_at: datetime.datetime


class TaskIn(InSchema):
    title: str = Field(max_length=MAX_TITLE)
    due_on: datetime.date
    owner_id: UUID = Field(description="A case worker of your agency (GET /me for yourself).")


class TaskUpdateIn(TaskIn):
    version: int = Field(ge=0, le=MAX_ID, description="The version you read; 409 if it changed.")


class TaskOut(OutSchema):
    id: UUID
    case_id: UUID
    version: int
    title: str
    due_on: datetime.date
    owner_id: UUID
    owner_name: str
    done_at: datetime.datetime | None


def _note(note: CaseNote) -> dict[str, Any]:
    return {
        "id": note.pk,
        "text": note.text,
        "private": note.private,
        "agency": note.agency,
        "author_name": note.author.display_name,
        "created_at": note.created_at,
    }


def _task(task: CaseTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "case_id": task.case_id,
        "version": task.version,
        "title": task.title,
        "due_on": task.due_on,
        "owner_id": task.owner_id,
        "owner_name": task.owner.display_name,
        "done_at": task.done_at,
    }


@router.get("/cases/{case_id}/notes", response=list[NoteOut], summary="Notes you may read")
def notes_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id)
    return [_note(n) for n in notes_for_case(actor=actor, view=view)]


@router.post("/cases/{case_id}/notes", response={201: NoteOut}, summary="Add a note")
def notes_add(request: HttpRequest, case_id: UUID, payload: NoteIn) -> Status[dict[str, Any]]:
    note = note_add(
        actor=actor_of(request), case_id=case_id, text=payload.text, private=payload.private
    )
    return Status(201, _note(note))


@router.get(
    "/cases/{case_id}/tasks", response=list[TaskOut], summary="Your agency's tasks on a case"
)
def tasks_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id)
    return [_task(t) for t in tasks_for_case(actor=actor, view=view)]


@router.post("/cases/{case_id}/tasks", response={201: TaskOut}, summary="Add a task")
def tasks_add(request: HttpRequest, case_id: UUID, payload: TaskIn) -> Status[dict[str, Any]]:
    task = task_add(
        actor=actor_of(request),
        case_id=case_id,
        title=payload.title,
        due_on=payload.due_on,
        owner_id=payload.owner_id,
    )
    return Status(201, _task(task))


@router.post("/tasks/{task_id}/done", response=TaskOut, summary="Mark a task done")
def tasks_done(request: HttpRequest, task_id: UUID) -> dict[str, Any]:
    return _task(task_done(actor=actor_of(request), task_id=task_id))


@router.delete(
    "/notes/{note_id}",
    response={204: None},
    summary="Delete a note (its author or a supervisor of the author's agency)",
)
def notes_delete(request: HttpRequest, note_id: UUID) -> Status[None]:
    note_delete(actor=actor_of(request), note_id=note_id)
    return Status(204, None)


@router.get("/tasks/mine", response=list[TaskOut], summary="My open tasks, by due date")
def tasks_my(request: HttpRequest) -> list[dict[str, Any]]:
    return [_task(t) for t in tasks_mine(actor=actor_of(request)).select_related("owner")]


class AgendaDateOut(OutSchema):
    kind: str = Field(description="What is due, e.g. hearing.")
    label: str = Field(description="What is due, in your language.")
    detail: str = Field(description="E.g. which proceedings.")
    due_on: datetime.date
    mark: str = Field(json_schema_extra=enum_of(["overdue", "today", "upcoming", ""]))
    case_id: UUID
    case_reference: str


@router.get(
    "/tasks/mine/dates",
    response=list[AgendaDateOut],
    summary="Other dates due on the cases I am responsible for (court hearings), by date",
)
def tasks_my_dates(request: HttpRequest) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "kind": date.kind,
            "label": str(date.label),
            "detail": str(date.detail),
            "due_on": date.due_on,
            "mark": due_mark(date.due_on, today=today),
            "case_id": date.case_id,
            "case_reference": date.case_reference,
        }
        for date in agenda_dates_for(actor=actor_of(request))
    ]


@router.put(
    "/tasks/{task_id}",
    response=TaskOut,
    summary="Change a task's title, date or owner (a new owner is told by e-mail)",
)
def tasks_update(request: HttpRequest, task_id: UUID, payload: TaskUpdateIn) -> dict[str, Any]:
    return _task(
        task_update(
            actor=actor_of(request),
            task_id=task_id,
            title=payload.title,
            due_on=payload.due_on,
            owner_id=payload.owner_id,
            expected_version=payload.version,
        )
    )


class AttachmentIn(InSchema):
    kind: str = Field("", max_length=24, json_schema_extra=enum_of(CaseAttachment.Kind.values))
    private: bool = Field(False, description="Only your agency may read it.")


class AttachmentOut(OutSchema):
    id: UUID
    kind: str
    filename: str
    content_type: str
    size: int
    private: bool
    agency: AgencyRef
    created_at: datetime.datetime


def _attachment(item: CaseAttachment) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "filename": item.filename,
        "content_type": item.content_type,
        "size": item.size,
        "private": item.private,
        "agency": item.agency,
        "created_at": item.created_at,
    }


@router.get(
    "/cases/{case_id}/attachments",
    response=list[AttachmentOut],
    summary="Documents of a case you may read (without their content)",
)
def attachments_list(request: HttpRequest, case_id: UUID) -> list[dict[str, Any]]:
    actor = actor_of(request)
    view = case_open(actor=actor, case_id=case_id)
    return [_attachment(a) for a in attachments_for_case(actor=actor, view=view)]


@router.post(
    "/cases/{case_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a document (multipart: file, kind, private; PDF, JPEG or PNG)",
)
def attachments_add(
    request: HttpRequest,
    case_id: UUID,
    payload: Form[AttachmentIn],
    file: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    item = attachment_add(
        actor=actor_of(request),
        case_id=case_id,
        kind=payload.kind,
        filename=(file.name or "") if file else "",
        content=file.read(max_attachment_bytes() + 1) if file else b"",
        private=payload.private,
    )
    return Status(201, _attachment(item))


@router.get(
    "/attachments/{attachment_id}/download",
    summary="The document's content; the download is recorded on the case's timeline",
)
def attachments_download(request: HttpRequest, attachment_id: UUID) -> HttpResponse:
    attachment, content = attachment_download(actor=actor_of(request), attachment_id=attachment_id)
    return attachment_response(attachment, content)


@router.delete(
    "/attachments/{attachment_id}",
    response={204: None},
    summary="Delete a document and its content (its uploader or a supervisor of their agency)",
)
def attachments_delete(request: HttpRequest, attachment_id: UUID) -> Status[None]:
    attachment_delete(actor=actor_of(request), attachment_id=attachment_id)
    return Status(204, None)
