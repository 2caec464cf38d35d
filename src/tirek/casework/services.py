"""Writes of case notes and tasks: keyword-only, one transaction, one timeline event each."""

from __future__ import annotations

import datetime
import os
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.actor import Actor
from tirek.accounts.models import User
from tirek.accounts.roles import Capability, Role
from tirek.accounts.selectors import agency_members_able_to
from tirek.cases.models import Case, CaseEvent
from tirek.cases.policy import case_require_open
from tirek.cases.services import case_event_record
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.policy import notes_readable, require_work_on
from tirek.casework.reminders import task_assigned_notify
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.core.tasks import task_enqueue_on_commit

MAX_NOTE = 4000
MAX_TITLE = 300
MAX_DAYS_AHEAD = 5 * 366


def _case_for_work(actor: Actor, case_id: UUID | str) -> Case:
    from tirek.cases.selectors import case_view

    view = case_view(actor=actor, case_id=case_id)
    require_work_on(actor, view)
    case_require_open(view.case)
    return view.case


@transaction.atomic
def note_add(*, actor: Actor, case_id: UUID | str, text: str, private: bool) -> CaseNote:
    """Add a note to a case: the owning agency or an agency working on it through a referral.
    A private note is read by the writer's agency only."""
    case = _case_for_work(actor, case_id)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write the note.")]})
    if len(text) > MAX_NOTE:
        raise ValidationError({"text": [_("The note is too long.")]})
    note = CaseNote.objects.create(
        case=case, agency=actor.agency, author=actor.user, text=text, private=private
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.NOTE_ADDED,
        data={"note_id": str(note.pk), "private": private},
    )
    return note


def task_owners(actor: Actor) -> list[User]:
    """Who a task may be given to: the case workers of the actor's agency."""
    return agency_members_able_to(
        agency_id=actor.membership.agency_id, capability=Capability.EDIT_CASES
    )


def task_validate(
    *, title: str, due_on: datetime.date | None, today: datetime.date
) -> dict[str, list[str]]:
    """What a task says and when it is due. (That the owner is of the agency: the service.)"""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Say what is to be done.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("Keep it shorter: the details go in a note.")]
    if due_on is None:
        errors["due_on"] = [_("Give the date it is due.")]
    elif due_on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        errors["due_on"] = [_("The date is too far ahead.")]
    return errors


def task_problems(
    *, actor: Actor, title: str, due_on: datetime.date | None, owner_id: object
) -> dict[str, list[str]]:
    errors = task_validate(title=title, due_on=due_on, today=timezone.localdate())
    owners = {str(u.pk) for u in task_owners(actor)}
    if str(owner_id) not in owners:
        errors["owner"] = [_("Choose a case worker of your agency.")]
    return errors


@transaction.atomic
def task_add(
    *,
    actor: Actor,
    case_id: UUID | str,
    title: str,
    due_on: datetime.date | None,
    owner_id: UUID | str,
) -> CaseTask:
    """Add a task on a case for a member of the actor's agency, due on a date."""
    case = _case_for_work(actor, case_id)
    errors = task_problems(actor=actor, title=title, due_on=due_on, owner_id=owner_id)
    if errors:
        raise ValidationError(errors)
    assert due_on is not None  # noqa: S101 - checked above
    task = CaseTask.objects.create(
        case=case,
        agency=actor.agency,
        title=title.strip(),
        due_on=due_on,
        owner_id=owner_id,
        created_by=actor.user,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.TASK_ADDED,
        data={"task_id": str(task.pk), "due_on": due_on.isoformat()},
    )
    return task


def _task_of_agency(actor: Actor, task_id: UUID | str) -> CaseTask:
    """A task of the actor's agency, locked; ``NotFound`` for any other."""
    try:
        return CaseTask.objects.select_for_update().get(
            pk=task_id, agency_id=actor.membership.agency_id
        )
    except (CaseTask.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None


@transaction.atomic
def task_done(*, actor: Actor, task_id: UUID | str) -> CaseTask:
    """Mark a task of the actor's agency done."""
    task = _task_of_agency(actor, task_id)
    _case_for_work(actor, task.case_id)
    if task.is_done:
        raise InvalidState(_("This task is already done."))
    task.done_at = timezone.now()
    task.done_by = actor.user
    task.version += 1
    task.save(update_fields=["done_at", "done_by", "version", "updated_at"])
    case_event_record(
        case=task.case,
        actor=actor,
        kind=CaseEvent.Kind.TASK_DONE,
        data={"task_id": str(task.pk)},
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: Actor,
    task_id: UUID | str,
    title: str,
    due_on: datetime.date | None,
    owner_id: UUID | str,
    expected_version: int,
) -> CaseTask:
    """Change what an open task of the actor's agency asks, its date or who does it. A new owner
    is told by e-mail through the background task path (never the task or the person)."""
    task = _task_of_agency(actor, task_id)
    _case_for_work(actor, task.case_id)
    if task.is_done:
        raise InvalidState(_("This task is already done."))
    errors = task_problems(actor=actor, title=title, due_on=due_on, owner_id=owner_id)
    if errors:
        raise ValidationError(errors)
    if task.version != expected_version:
        raise ConcurrentUpdate(_("Someone else changed this task meanwhile. Reload to see it."))
    assert due_on is not None  # noqa: S101 - checked above
    reassigned = str(task.owner_id) != str(owner_id)
    changed = [
        name
        for name, old, new in (
            ("title", task.title, title.strip()),
            ("due_on", task.due_on, due_on),
            ("owner", str(task.owner_id), str(owner_id)),
        )
        if old != new
    ]
    task.title = title.strip()
    task.due_on = due_on
    task.owner_id = owner_id
    task.reminded_on = None if "due_on" in changed or reassigned else task.reminded_on
    task.version += 1
    task.save(update_fields=["title", "due_on", "owner", "reminded_on", "version", "updated_at"])
    case_event_record(
        case=task.case,
        actor=actor,
        kind=CaseEvent.Kind.TASK_UPDATED,
        data={"task_id": str(task.pk), "fields": changed, "due_on": due_on.isoformat()},
    )
    if reassigned:
        task_enqueue_on_commit(
            task_assigned_notify, task_id=str(task.pk), owner_id=str(owner_id), version=task.version
        )
    return task


# --- deleting notes and documents ------------------------------------------------------------


def may_delete(actor: Actor, *, author_id: object, agency_id: object) -> bool:
    """The author (acting for the agency that wrote it) or a supervisor of that agency."""
    if actor.membership.agency_id != agency_id or not actor.can(Capability.EDIT_CASES):
        return False
    return actor.user.pk == author_id or actor.role == Role.SUPERVISOR


def _require_delete(actor: Actor, *, author_id: object, agency_id: object) -> None:
    if not may_delete(actor, author_id=author_id, agency_id=agency_id):
        raise Forbidden(_("Only the author or a supervisor of the author's agency may delete it."))


@transaction.atomic
def note_delete(*, actor: Actor, note_id: UUID | str) -> None:
    """Delete a note (author, or a supervisor of the author's agency). The timeline keeps that a
    note was deleted, and by whom; never its text."""
    try:
        note = CaseNote.objects.select_for_update().filter(notes_readable(actor)).get(pk=note_id)
    except (CaseNote.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    case = _case_for_work(actor, note.case_id)
    _require_delete(actor, author_id=note.author_id, agency_id=note.agency_id)
    data = {"note_id": str(note.pk), "private": note.private}
    note.delete()
    case_event_record(case=case, actor=actor, kind=CaseEvent.Kind.NOTE_DELETED, data=data)


@transaction.atomic
def attachment_delete(*, actor: Actor, attachment_id: UUID | str) -> None:
    """Delete a document with its encrypted content (the uploader, or a supervisor of their
    agency). The timeline keeps that it was deleted and its kind; never its name or content."""
    try:
        attachment = (
            CaseAttachment.objects.select_for_update()
            .filter(notes_readable(actor))
            .defer("data")
            .get(pk=attachment_id)
        )
    except (CaseAttachment.DoesNotExist, ValueError, ValidationError):
        raise NotFound() from None
    case = _case_for_work(actor, attachment.case_id)
    _require_delete(actor, author_id=attachment.uploaded_by_id, agency_id=attachment.agency_id)
    data = {
        "attachment_id": str(attachment.pk),
        "kind": attachment.kind,
        "private": attachment.private,
    }
    attachment.delete()
    case_event_record(case=case, actor=actor, kind=CaseEvent.Kind.ATTACHMENT_DELETED, data=data)


# --- attachments ----------------------------------------------------------------------------

# What may be attached, recognised by the first bytes of the file (never by its name).
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def content_type_of(content: bytes) -> str:
    return next((kind for magic, kind in SIGNATURES.items() if content.startswith(magic)), "")


def max_attachment_bytes() -> int:
    return int(settings.TIREK_MAX_UPLOAD_BYTES)


def attachment_validate(*, kind: str, content: bytes | None) -> dict[str, list[str]]:
    """A kind of document, and a PDF, JPEG or PNG file (by its content) within the size limit;
    ``content`` None: no file could be read (its field says why)."""
    errors: dict[str, list[str]] = {}
    if kind not in CaseAttachment.Kind.values:
        errors["kind"] = [_("Choose what kind of document it is.")]
    if content is None:
        return errors
    if not content:
        errors["file"] = [_("Choose a file.")]
    elif len(content) > max_attachment_bytes():
        errors["file"] = [
            _("The file is too large: at most %(size)s MB.")
            % {"size": max_attachment_bytes() // (1024 * 1024)}
        ]
    elif not content_type_of(content):
        errors["file"] = [_("Only PDF, JPEG and PNG files can be attached.")]
    return errors


@transaction.atomic
def attachment_add(
    *,
    actor: Actor,
    case_id: UUID | str,
    kind: str,
    filename: str,
    content: bytes,
    private: bool,
) -> CaseAttachment:
    """Attach a document (PDF, JPEG or PNG, checked by its content; size limited): stored
    encrypted, erased with the person. A private document is read by the writer's agency only."""
    case = _case_for_work(actor, case_id)
    errors = attachment_validate(kind=kind, content=content)
    content_type = content_type_of(content)
    if errors:
        raise ValidationError(errors)
    name = os.path.basename(filename.replace("\\", "/")).strip()[:200] or "document"
    attachment = CaseAttachment.objects.create(
        case=case,
        agency=actor.agency,
        uploaded_by=actor.user,
        kind=kind,
        filename=name,
        content_type=content_type,
        size=len(content),
        data=content,
        private=private,
    )
    case_event_record(
        case=case,
        actor=actor,
        kind=CaseEvent.Kind.ATTACHMENT_ADDED,
        data={"attachment_id": str(attachment.pk), "kind": kind, "private": private},
    )
    return attachment


@transaction.atomic
def attachment_download(*, actor: Actor, attachment_id: UUID | str) -> tuple[CaseAttachment, bytes]:
    """The document and its content, for one who may read it; every download is recorded on the
    case's timeline."""
    from tirek.cases.selectors import case_view

    try:
        attachment = CaseAttachment.objects.get(pk=attachment_id)
        view = case_view(actor=actor, case_id=attachment.case_id)
    except (CaseAttachment.DoesNotExist, ValueError, ValidationError, NotFound):
        raise NotFound() from None
    readable = not attachment.private or attachment.agency_id == actor.membership.agency_id
    if not readable or not attachment.data:
        raise NotFound()
    case_event_record(
        case=view.case,
        actor=actor,
        kind=CaseEvent.Kind.ATTACHMENT_DOWNLOADED,
        data={"attachment_id": str(attachment.pk)},
    )
    return attachment, bytes(attachment.data)
