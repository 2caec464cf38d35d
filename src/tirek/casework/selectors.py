"""Reads of notes and tasks, scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from tirek.accounts.actor import Actor
from tirek.cases.selectors import CaseView, cases_visible_to
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.policy import notes_readable


def notes_for_case(*, actor: Actor, view: CaseView) -> QuerySet[CaseNote]:
    return (
        CaseNote.objects.filter(case=view.case)
        .filter(notes_readable(actor))
        .select_related("agency", "author")
    )


def tasks_for_case(*, actor: Actor, view: CaseView) -> QuerySet[CaseTask]:
    """The tasks of the actor's agency on the case (open first, by due date)."""
    return (
        CaseTask.objects.filter(case=view.case, agency_id=actor.membership.agency_id)
        .select_related("owner")
        .order_by("done_at", "due_on", "created_at")
    )


def tasks_mine(*, actor: Actor) -> QuerySet[CaseTask]:
    """The open tasks the actor owns, for their agency, on cases they may still open."""
    return (
        CaseTask.objects.filter(
            owner_id=actor.user.pk,
            agency_id=actor.membership.agency_id,
            done_at__isnull=True,
            case__in=cases_visible_to(actor=actor).values("pk"),
        )
        .select_related("case")
        .order_by("due_on", "created_at")
    )


def attachments_for_case(*, actor: Actor, view: CaseView) -> QuerySet[CaseAttachment]:
    """The documents the actor may read (shared ones, and the private ones of their agency);
    without their content."""
    return (
        CaseAttachment.objects.filter(case=view.case)
        .filter(notes_readable(actor))
        .defer("data")
        .select_related("agency", "uploaded_by")
    )
