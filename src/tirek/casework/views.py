"""Notes and tasks on the case page (tabs "Notes" and "Tasks"), and "My tasks"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases import page
from tirek.cases.agenda import agenda_dates_for, due_mark
from tirek.cases.listing import ListFilter
from tirek.cases.models import Case
from tirek.cases.selectors import CaseView, case_view
from tirek.cases.views import case_detail_url, case_form_submit
from tirek.casework.forms import AttachmentForm, NoteForm, TaskForm, owner_choices
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.policy import may_work_on
from tirek.casework.selectors import (
    attachments_for_case,
    notes_for_case,
    tasks_for_case,
    tasks_mine,
)
from tirek.casework.services import (
    attachment_add,
    attachment_delete,
    attachment_download,
    max_attachment_bytes,
    may_delete,
    note_add,
    note_delete,
    task_add,
    task_done,
    task_update,
)
from tirek.core.errors import DomainError, NotFound
from tirek.core.views import domain_error_response


def may_see_notes(actor: Actor, view: CaseView) -> bool:
    return actor.can(Capability.READ_CASES)


def notes_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    can_write = may_work_on(actor, view) and page.case_is_open(view)

    def deletable(items: list[Any], author: str) -> list[Any]:
        for item in items:
            item.can_delete = can_write and may_delete(
                actor, author_id=getattr(item, author), agency_id=item.agency_id
            )
        return items

    return {
        "case": view.case,
        "notes": deletable(list(notes_for_case(actor=actor, view=view)), "author_id"),
        "form": (bound.get("note_form") or NoteForm()) if can_write else None,
        "attachments": deletable(
            list(attachments_for_case(actor=actor, view=view)), "uploaded_by_id"
        ),
        "attachment_form": (bound.get("attachment_form") or AttachmentForm())
        if can_write
        else None,
        "agency_id": actor.membership.agency_id,
    }


def tasks_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    can_write = may_work_on(actor, view) and page.case_is_open(view)
    rows = []
    owners = owner_choices(actor) if can_write else []
    for task in tasks_for_case(actor=actor, view=view):
        form = None
        if can_write and not task.is_done:
            edited = bound.get("task_edit_id") == task.pk
            form = (bound.get("task_edit_form") if edited else None) or TaskForm(
                actor=actor,
                owners=owners,
                initial={
                    "title": task.title,
                    "due_on": task.due_on,
                    "owner": str(task.owner_id),
                    "expected_version": task.version,
                },
                auto_id=f"task_{task.pk}_%s",
            )
        rows.append({"task": task, "form": form})
    return {
        "case": view.case,
        "tasks": rows,
        "form": (bound.get("task_form") or TaskForm(actor=actor, owners=owners))
        if can_write
        else None,
        "can_write": can_write,
        "today": timezone.localdate(),
    }


def task_dues(actor: Actor, view: CaseView) -> list[page.Due]:
    """The open tasks of the actor's agency on the case, for the case header."""
    return [
        page.Due(task.title, task.due_on, tab="tasks", detail=task.owner.display_name)
        for task in tasks_for_case(actor=actor, view=view).filter(done_at__isnull=True)
    ]


def _overdue(cases: QuerySet[Case], value: str, actor: Actor) -> QuerySet[Case]:
    overdue = CaseTask.objects.filter(
        agency_id=actor.membership.agency_id,
        done_at__isnull=True,
        due_on__lt=timezone.localdate(),
    ).values("case_id")
    return cases.filter(pk__in=overdue)


OVERDUE_FILTER = ListFilter(
    "overdue",
    gettext_lazy("Overdue"),
    lambda actor: [("tasks", gettext_lazy("Tasks overdue"))],
    _overdue,
    order=40,
)


@require_POST
@actor_view(Capability.EDIT_CASES)
def note_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_view(actor=actor, case_id=case_id)
    form = NoteForm(request.POST)
    return case_form_submit(
        request,
        actor,
        case_id=view.case.pk,
        form=form,
        bound={"note_form": form},
        anchor="notes",
        call=lambda: note_add(
            actor=actor,
            case_id=view.case.pk,
            text=form.cleaned_data["text"],
            private=form.cleaned_data["private"],
        ),
        done=_("Note added."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def task_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_view(actor=actor, case_id=case_id)
    form = TaskForm(request.POST, actor=actor)
    return case_form_submit(
        request,
        actor,
        case_id=view.case.pk,
        form=form,
        bound={"task_form": form},
        anchor="tasks",
        call=lambda: task_add(
            actor=actor,
            case_id=view.case.pk,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            owner_id=form.cleaned_data["owner"],
        ),
        done=_("Task added."),
    )


def _task_of_agency(actor: Actor, task_id: str) -> CaseTask:
    task = CaseTask.objects.filter(pk=task_id, agency_id=actor.membership.agency_id).first()
    if task is None:
        raise NotFound()
    case_view(actor=actor, case_id=task.case_id)
    return task


@require_POST
@actor_view(Capability.EDIT_CASES)
def task_update_view(request: HttpRequest, actor: Actor, task_id: str) -> HttpResponse:
    """Change a task's title, date or owner (a new owner is told by e-mail)."""
    task = _task_of_agency(actor, task_id)
    form = TaskForm(request.POST, actor=actor, auto_id=f"task_{task.pk}_%s")
    return case_form_submit(
        request,
        actor,
        case_id=task.case_id,
        form=form,
        bound={"task_edit_form": form, "task_edit_id": task.pk},
        anchor="tasks",
        call=lambda: task_update(
            actor=actor,
            task_id=task.pk,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            owner_id=form.cleaned_data["owner"],
            expected_version=form.cleaned_data["expected_version"] or 0,
        ),
        done=_("Task saved."),
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def task_done_view(request: HttpRequest, actor: Actor, task_id: str) -> HttpResponse:
    back = request.POST.get("next") == "mine"
    try:
        task = task_done(actor=actor, task_id=task_id)
    except DomainError as error:
        return domain_error_response(request, error)
    messages.success(request, _("Task done."))
    if back:
        return redirect("casework:my_tasks")
    return redirect(case_detail_url(task.case_id, "tasks"))


@require_POST
@actor_view(Capability.EDIT_CASES)
def note_delete_view(request: HttpRequest, actor: Actor, note_id: str) -> HttpResponse:
    note = CaseNote.objects.filter(pk=note_id).only("case_id").first()
    if note is None:
        raise NotFound()
    note_delete(actor=actor, note_id=note_id)
    messages.success(request, _("Note deleted."))
    return redirect(case_detail_url(note.case_id, "notes"))


@require_POST
@actor_view(Capability.EDIT_CASES)
def attachment_delete_view(request: HttpRequest, actor: Actor, attachment_id: str) -> HttpResponse:
    attachment = CaseAttachment.objects.filter(pk=attachment_id).only("case_id").first()
    if attachment is None:
        raise NotFound()
    attachment_delete(actor=actor, attachment_id=attachment_id)
    messages.success(request, _("Document deleted."))
    return redirect(case_detail_url(attachment.case_id, "attachments"))


@actor_view(Capability.READ_CASES)
def my_tasks(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The open tasks the actor owns and the dates due on the cases they are responsible for
    (court hearings), by date, overdue first."""
    today = timezone.localdate()
    tasks = list(tasks_mine(actor=actor))
    entries: list[dict[str, Any]] = [{"due_on": t.due_on, "task": t} for t in tasks] + [
        {"due_on": d.due_on, "date": d} for d in agenda_dates_for(actor=actor)
    ]
    entries.sort(key=lambda entry: entry["due_on"])
    for entry in entries:
        entry["mark"] = due_mark(entry["due_on"], today=today)
    return render(
        request,
        "casework/my_tasks.html",
        {
            "entries": entries,
            "overdue": sum(1 for t in tasks if t.due_on < today),
            "can_edit": actor.can(Capability.EDIT_CASES),
        },
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def attachment_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_view(actor=actor, case_id=case_id)
    form = AttachmentForm(request.POST, request.FILES)

    def call() -> object:
        upload = form.cleaned_data["file"]
        return attachment_add(
            actor=actor,
            case_id=view.case.pk,
            kind=form.cleaned_data["kind"],
            filename=upload.name or "",
            content=upload.read(max_attachment_bytes() + 1),
            private=form.cleaned_data["private"],
        )

    return case_form_submit(
        request,
        actor,
        case_id=view.case.pk,
        form=form,
        bound={"attachment_form": form},
        anchor="attachments",
        call=call,
        done=_("Document attached."),
    )


@actor_view(Capability.READ_CASES)
def attachment_download_view(
    request: HttpRequest, actor: Actor, attachment_id: str
) -> HttpResponse:
    """The document itself; the download is recorded on the case's timeline."""
    attachment, content = attachment_download(actor=actor, attachment_id=attachment_id)
    return attachment_response(attachment, content)


def attachment_response(attachment: CaseAttachment, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=attachment.filename) or ""
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
