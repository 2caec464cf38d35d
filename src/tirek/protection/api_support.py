"""What the protection routers share: opening a case to show one of its protection sections."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.http import HttpRequest

from tirek.cases.reads import Via, case_open
from tirek.cases.selectors import CaseView
from tirek.core.api_support import actor_of
from tirek.core.errors import NotFound

T = TypeVar("T")


def section_open(request: HttpRequest, case_id: UUID, section: str) -> CaseView:
    """The case as the requester may see it, its read of ``section`` recorded (404 outside the
    requester's circle; a section not granted is read as empty, and not recorded)."""
    return case_open(actor=actor_of(request), case_id=case_id, via=Via.PROTECTION, shows={section})


def one_or_404(record: T | None) -> T:
    """A case's single record (its safety plan, its return plan), or 404 when there is none."""
    if record is None:
        raise NotFound()
    return record
