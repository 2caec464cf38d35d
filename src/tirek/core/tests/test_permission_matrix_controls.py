"""Positive controls of the permission matrix, beside its refusals.

``test_permission_matrix`` walks these routes against objects that do not exist, or with empty
bodies, so every persona is refused there: a row of refusals alone would also pass if the route
were broken for everyone. Here each route is called on a real object of the same kind twice: the
persona allowed to succeeds, and the outsider (outside the case's circle) is refused with the
matrix's status and the object left as it was. The other kinds of routes have their controls in
``test_permission_controls_*`` (the harness is ``controls``);
``test_every_refused_row_has_a_control`` keeps the list whole for every route.
"""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.services import attachment_add, note_add, task_add
from tirek.core.tests.controls import Control, api, control_tests, web
from tirek.core.tests.test_permission_matrix import EXPECTED
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.services import break_glass_open
from tirek.protection.models import Proceeding, ReturnPlan, SupportPlan
from tirek.protection.return_proceedings import (
    ProceedingInput,
    ReturnInput,
    proceeding_add,
    return_plan_save,
)
from tirek.protection.support import SupportPlanInput, support_plan_add
from tirek.referrals.services import referral_accept
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import Personas

PDF = b"%PDF-1.4\n% synthetic consent form\n%%EOF\n"
REASON = "Police found her at the station at night and she needs shelter now."


@dataclass
class World:
    people: Personas
    case: Any
    task: CaseTask
    note: CaseNote
    attachment: CaseAttachment
    access: BreakGlassAccess  # the police supervisor's emergency access to the case
    return_plan: ReturnPlan
    proceeding: Proceeding
    delivered: SupportPlan  # delivered by the employment department (dana)
    police_chief: Actor  # may break glass; outside the case's circle; has opened the case
    embassy_chief: Actor  # may break glass; outside the case's circle
    centre_chief: Actor  # reviews emergency accesses to the crisis centre's cases


def _supervisor(username: str, agency: Any) -> Actor:
    user = User.objects.create_user(username=username, password=None)
    membership = Membership.objects.create(user=user, agency=agency, role=Role.SUPERVISOR)
    return Actor(user=user, membership=membership)


@pytest.fixture
def world(people: Personas) -> World:
    aigul = people.aigul
    case = case_build(aigul)
    job = referral_build(
        aigul,
        case,
        to=people.employment,
        service=people.employment_service,
        sections=["identity", "support"],
    )
    referral_accept(actor=people.dana, referral_id=job.pk)
    police_chief = _supervisor("matrix-police-chief", people.police)
    due = timezone.localdate() + datetime.timedelta(days=3)
    return World(
        people=people,
        case=case,
        task=task_add(
            actor=aigul, case_id=case.pk, title="Call back", due_on=due, owner_id=aigul.user.pk
        ),
        note=note_add(actor=aigul, case_id=case.pk, text="Met at the centre", private=False),
        attachment=attachment_add(
            actor=aigul,
            case_id=case.pk,
            kind="consent_form",
            filename="consent.pdf",
            content=PDF,
            private=False,
        ),
        access=break_glass_open(actor=police_chief, case_reference=case.reference, reason=REASON),
        return_plan=return_plan_save(
            actor=aigul,
            case_id=case.pk,
            data=ReturnInput(destination_country="UZB"),
            expected_version=0,
        ),
        proceeding=proceeding_add(
            actor=aigul, case_id=case.pk, data=ProceedingInput(role="witness")
        ),
        delivered=support_plan_add(
            actor=aigul,
            case_id=case.pk,
            data=SupportPlanInput(type="Livelihood", objectives="A job", referral_id=job.pk),
        ),
        police_chief=police_chief,
        embassy_chief=_supervisor("matrix-embassy-chief", people.embassy),
        centre_chief=_supervisor("matrix-centre-chief", people.crisis_centre),
    )


def _today() -> str:
    return timezone.localdate().isoformat()


def _task_state(w: World) -> Any:
    return CaseTask.objects.values_list("title", "done_at", "version").get(pk=w.task.pk)


def _exists(model: Any, attribute: str) -> Callable[[World], Any]:
    return lambda w: model.objects.filter(pk=getattr(w, attribute).pk).exists()


def _version(model: Any, attribute: str) -> Callable[[World], Any]:
    return lambda w: model.objects.values_list("version", flat=True).get(
        pk=getattr(w, attribute).pk
    )


def _access_state(w: World) -> Any:
    return BreakGlassAccess.objects.values_list("review", "expires_at").get(pk=w.access.pk)


def _owner(w: World) -> Actor:
    return w.people.aigul


def _owner_user(w: World) -> str:
    return str(w.people.aigul.user.pk)


def _task_body(w: World, *, owner: str = "owner_id") -> dict[str, Any]:
    return {"title": "Call back tomorrow", "due_on": _today(), owner: _owner_user(w)}


def _police_chief(w: World) -> Actor:
    return w.police_chief


def _embassy_chief(w: World) -> Actor:
    return w.embassy_chief


def _centre_chief(w: World) -> Actor:
    return w.centre_chief


def _dana(w: World) -> Actor:
    return w.people.dana


def _delivery(w: World) -> dict[str, Any]:
    return {"status": "in_progress", "actual_start_date": _today()}


def _break_glass(w: World) -> dict[str, Any]:
    return {"case_reference": w.case.reference, "reason": REASON}


NOTE_KEPT, ATTACHMENT_KEPT = _exists(CaseNote, "note"), _exists(CaseAttachment, "attachment")
RETURN_VERSION, PROCEEDING_VERSION = (
    _version(ReturnPlan, "return_plan"),
    _version(Proceeding, "proceeding"),
)
DELIVERY_VERSION = _version(SupportPlan, "delivered")
CONTROLS: dict[str, Control] = {
    # tasks
    "POST /tasks/{task_id}/done": api(
        "POST", "/tasks/{w.task.pk}/done", _owner, 200, state=_task_state
    ),
    "PUT /tasks/{task_id}": api(
        "PUT",
        "/tasks/{w.task.pk}",
        _owner,
        200,
        body=lambda w: _task_body(w) | {"version": w.task.version},
        state=_task_state,
    ),
    "POST casework:task_done": web(
        "POST", "casework:task_done", "task", _owner, 302, state=_task_state
    ),
    "POST casework:task_update": web(
        "POST",
        "casework:task_update",
        "task",
        _owner,
        302,
        body=lambda w: _task_body(w, owner="owner") | {"expected_version": w.task.version},
        state=_task_state,
    ),
    "POST casework:task_add": web(
        "POST",
        "casework:task_add",
        "case",
        _owner,
        302,
        body=lambda w: _task_body(w, owner="owner"),
        state=lambda w: CaseTask.objects.count(),
    ),
    # notes
    "DELETE /notes/{note_id}": api("DELETE", "/notes/{w.note.pk}", _owner, 204, state=NOTE_KEPT),
    "POST casework:note_delete": web(
        "POST", "casework:note_delete", "note", _owner, 302, state=NOTE_KEPT
    ),
    "POST casework:note_add": web(
        "POST",
        "casework:note_add",
        "case",
        _owner,
        302,
        body=lambda w: {"text": "Called her sister"},
        state=lambda w: CaseNote.objects.count(),
    ),
    # attachments
    "GET /attachments/{attachment_id}/download": api(
        "GET", "/attachments/{w.attachment.pk}/download", _owner, 200
    ),
    "DELETE /attachments/{attachment_id}": api(
        "DELETE", "/attachments/{w.attachment.pk}", _owner, 204, state=ATTACHMENT_KEPT
    ),
    "POST /cases/{case_id}/attachments": api(
        "MULTIPART",
        "/cases/{w.case.pk}/attachments",
        _owner,
        201,
        body=lambda w: {"kind": "consent_form", "file": _pdf()},
        state=lambda w: CaseAttachment.objects.count(),
    ),
    "GET casework:attachment_download": web(
        "GET", "casework:attachment_download", "attachment", _owner, 200
    ),
    "POST casework:attachment_download": web(
        "POST", "casework:attachment_download", "attachment", _owner, 200
    ),
    "POST casework:attachment_delete": web(
        "POST", "casework:attachment_delete", "attachment", _owner, 302, state=ATTACHMENT_KEPT
    ),
    "POST casework:attachment_add": web(
        "MULTIPART",
        "casework:attachment_add",
        "case",
        _owner,
        302,
        body=lambda w: {"kind": "consent_form", "file": _pdf()},
        state=lambda w: CaseAttachment.objects.count(),
    ),
    # break-glass: the outsider (a case worker of the health department) may not break glass
    "POST /break-glass": api(
        "POST",
        "/break-glass",
        _embassy_chief,
        201,
        refused=403,
        body=_break_glass,
        state=lambda w: BreakGlassAccess.objects.count(),
    ),
    "GET /break-glass/{access_id}": api("GET", "/break-glass/{w.access.pk}", _police_chief, 200),
    "POST /break-glass/{access_id}/review": api(
        "POST",
        "/break-glass/{w.access.pk}/review",
        _centre_chief,
        200,
        body=lambda w: {"justified": True},
        state=_access_state,
    ),
    "POST oversight:break_glass_open": web(
        "POST",
        "oversight:break_glass_open",
        "",
        _embassy_chief,
        302,
        refused=403,
        body=_break_glass,
        state=lambda w: BreakGlassAccess.objects.count(),
    ),
    "GET oversight:access_detail": web(
        "GET", "oversight:access_detail", "access", _police_chief, 200
    ),
    "POST oversight:access_detail": web(
        "POST", "oversight:access_detail", "access", _police_chief, 200
    ),
    "POST oversight:access_review": web(
        "POST",
        "oversight:access_review",
        "access",
        _centre_chief,
        302,
        refused=403,
        body=lambda w: {"justified": "yes"},
        state=_access_state,
    ),
    # return plan
    "GET /cases/{case_id}/return-plan": api("GET", "/cases/{w.case.pk}/return-plan", _owner, 200),
    "POST protection:return_plan_save": web(
        "POST",
        "protection:return_plan_save",
        "case",
        _owner,
        302,
        body=lambda w: {"destination_country": "KGZ", "expected_version": w.return_plan.version},
        state=RETURN_VERSION,
    ),
    # proceedings
    "PUT /proceedings/{proceeding_id}": api(
        "PUT",
        "/proceedings/{w.proceeding.pk}",
        _owner,
        200,
        body=lambda w: {"version": w.proceeding.version, "role": "injured_party"},
        state=PROCEEDING_VERSION,
    ),
    "POST protection:proceeding_update": web(
        "POST",
        "protection:proceeding_update",
        "proceeding",
        _owner,
        302,
        body=lambda w: {
            "kind": "criminal",
            "role": "injured_party",
            "expected_version": w.proceeding.version,
        },
        state=PROCEEDING_VERSION,
    ),
    "POST protection:proceeding_add": web(
        "POST",
        "protection:proceeding_add",
        "case",
        _owner,
        302,
        body=lambda w: {"kind": "civil", "role": "witness"},
        state=lambda w: Proceeding.objects.count(),
    ),
    # support-plan delivery: the agency providing it (employment, dana), not the owner
    "POST /support-plans/{plan_id}/delivery": api(
        "POST",
        "/support-plans/{w.delivered.pk}/delivery",
        _dana,
        200,
        body=lambda w: _delivery(w) | {"version": w.delivered.version},
        state=DELIVERY_VERSION,
    ),
    "POST protection:support_delivery": web(
        "POST",
        "protection:support_delivery",
        "delivered",
        _dana,
        302,
        body=lambda w: _delivery(w) | {"expected_version": w.delivered.version},
        state=DELIVERY_VERSION,
    ),
}


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")


test_allowed_persona_succeeds, test_outsider_is_refused = control_tests(CONTROLS)


# Rows refused for every persona that have no control, each with why: none so far (the
# session-only API routes have theirs in test_permission_controls_accounts).
WITHOUT_CONTROL: dict[str, str] = {}


def _route(key: str) -> str:
    """The row's route without the matrix's variant ("[pending]", "[tab=...]")."""
    return re.sub(r"\[[^]]*\]$", "", key)


def _answers(statuses: str) -> bool:
    return any(200 <= int(status) < 400 for status in statuses.split())


def _all_controls() -> set[str]:
    """The keys of this module's controls and of every ``test_permission_controls_*`` module's."""
    modules = sorted(Path(__file__).parent.glob("test_permission_controls_*.py"))
    found = [
        importlib.import_module(f"tirek.core.tests.{module.stem}").CONTROLS for module in modules
    ]
    return set(CONTROLS).union(*found)


def test_every_refused_row_has_a_control() -> None:
    """A matrix row where no persona succeeds (but for 405 everywhere) must have a positive
    control, here or in a ``test_permission_controls_*`` module, or be listed in
    ``WITHOUT_CONTROL`` with its reason. A route walked in several variants (a referral accepted
    and one waiting) is controlled where one of its variants succeeds in the matrix."""
    answered = {_route(key) for key, statuses in EXPECTED.items() if _answers(statuses)}
    controlled = _all_controls()
    missing = {
        key
        for key, statuses in EXPECTED.items()
        if not _answers(statuses)
        and {int(status) for status in statuses.split()} != {405}
        and not {key, _route(key)} & controlled
        and _route(key) not in answered
    }
    exempt = set(WITHOUT_CONTROL)
    assert (sorted(missing - exempt), sorted(exempt - missing)) == ([], [])


def test_every_control_is_a_matrix_row() -> None:
    routes = set(EXPECTED) | {_route(key) for key in EXPECTED}
    assert sorted(_all_controls() - routes) == []
