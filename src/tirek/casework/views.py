"""Notes and tasks on the case page (tabs "Notes" and "Tasks"), and "My tasks"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from tirek.cases.listing import ListFilter
from tirek.cases.models import Case
from tirek.cases.reads import case_open
from tirek.cases.selectors import CaseView, case_view
from tirek.cases.views import case_detail_url, case_page
from tirek.casework.forms import AttachmentForm, NoteForm, TaskForm
from tirek.casework.models import CaseAttachment, CaseTask
from tirek.casework.policy import may_work_on
from tirek.casework.selectors import (
    attachments_for_case,
    notes_for_case,
    tasks_for_case,
    tasks_mine,
)
from tirek.casework.services import (
    attachment_add,
    attachment_download,
    max_attachment_bytes,
    note_add,
    task_add,
    task_done,
)
from tirek.core.errors import DomainError
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, domain_error_response


def may_see_notes(actor: Actor, view: CaseView) -> bool:
    return actor.can(Capability.READ_CASES)


def notes_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    can_write = may_work_on(actor, view) and page.case_is_open(view)
    return {
        "case": view.case,
        "notes": list(notes_for_case(actor=actor, view=view)),
        "form": (bound.get("note_form") or NoteForm()) if can_write else None,
        "attachments": list(attachments_for_case(actor=actor, view=view)),
        "attachment_form": (bound.get("attachment_form") or AttachmentForm())
        if can_write
        else None,
        "agency_id": actor.membership.agency_id,
    }


def tasks_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    can_write = may_work_on(actor, view) and page.case_is_open(view)
    return {
        "case": view.case,
        "tasks": list(tasks_for_case(actor=actor, view=view)),
        "form": (bound.get("task_form") or TaskForm(actor=actor)) if can_write else None,
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
    if form.is_valid():
        try:
            note_add(
                actor=actor,
                case_id=view.case.pk,
                text=form.cleaned_data["text"],
                private=form.cleaned_data["private"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except DomainError as error:
            return domain_error_response(
                request, error, back=case_detail_url(view.case.pk, "notes")
            )
        else:
            messages.success(request, _("Note added."))
            return redirect(case_detail_url(view.case.pk, "notes"))
    view = case_open(actor=actor, case_id=view.case.pk)
    return case_page(request, actor, view, bound={"note_form": form}, status=FORM_INVALID)


@require_POST
@actor_view(Capability.EDIT_CASES)
def task_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_view(actor=actor, case_id=case_id)
    form = TaskForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            task_add(
                actor=actor,
                case_id=view.case.pk,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                owner_id=form.cleaned_data["owner"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except DomainError as error:
            return domain_error_response(
                request, error, back=case_detail_url(view.case.pk, "tasks")
            )
        else:
            messages.success(request, _("Task added."))
            return redirect(case_detail_url(view.case.pk, "tasks"))
    view = case_open(actor=actor, case_id=view.case.pk)
    return case_page(request, actor, view, bound={"task_form": form}, status=FORM_INVALID)


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


@actor_view(Capability.READ_CASES)
def my_tasks(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The open tasks the actor owns, overdue first."""
    today = timezone.localdate()
    tasks = list(tasks_mine(actor=actor))
    return render(
        request,
        "casework/my_tasks.html",
        {
            "tasks": tasks,
            "today": today,
            "overdue": sum(1 for t in tasks if t.due_on < today),
            "can_edit": actor.can(Capability.EDIT_CASES),
        },
    )


@require_POST
@actor_view(Capability.EDIT_CASES)
def attachment_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_view(actor=actor, case_id=case_id)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment_add(
                actor=actor,
                case_id=view.case.pk,
                kind=form.cleaned_data["kind"],
                filename=upload.name or "",
                content=upload.read(max_attachment_bytes() + 1),
                private=form.cleaned_data["private"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except DomainError as error:
            return domain_error_response(
                request, error, back=case_detail_url(view.case.pk, "notes")
            )
        else:
            messages.success(request, _("Document attached."))
            return redirect(case_detail_url(view.case.pk, "attachments"))
    view = case_open(actor=actor, case_id=view.case.pk)
    return case_page(request, actor, view, bound={"attachment_form": form}, status=FORM_INVALID)


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
