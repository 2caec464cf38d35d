"""Positive controls of the permission matrix, beside its refusals.

``test_permission_matrix`` walks these routes against objects that do not exist, or with empty
bodies, so every persona is refused there: a row of refusals alone would also pass if the route
were broken for everyone. Here each route is called on a real object of the same kind twice: the
persona allowed to succeeds, and the outsider (outside the case's circle) is refused with the
matrix's status and the object left as it was. ``test_every_refused_row_has_a_control`` keeps
the list whole for these kinds of routes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tirek.accounts.actor import Actor
from tirek.accounts.models import Membership, User
from tirek.accounts.roles import Role
from tirek.casework.models import CaseAttachment, CaseNote, CaseTask
from tirek.casework.services import attachment_add, note_add, task_add
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
from tirek.testing.api import ApiClient
from tirek.testing.builders import case_build, referral_build
from tirek.testing.personas import Personas
from tirek.web.tests.support import SecureClient

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


@dataclass
class Control:
    """One route on a real object: who may, what it sends, what the allowed one gets, what the
    outsider gets, and what must stay as it was when the outsider is refused."""

    kind: str  # "api" or "web"
    method: str
    path: Callable[[World], str]
    allowed: Callable[[World], Actor]
    succeeds: int
    refused: int = 404
    body: Callable[[World], Any] = lambda w: None
    state: Callable[[World], Any] = lambda w: None


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


def _api(
    method: str, path: str, allowed: Callable[[World], Actor], succeeds: int, **kw: Any
) -> Control:
    """An API route; ``path`` names the world's objects, e.g. ``/tasks/{w.task.pk}/done``."""
    return Control(
        "api", method, lambda w: "/" + path.format(w=w).lstrip("/"), allowed, succeeds, **kw
    )


def _web(
    method: str, name: str, of: str, allowed: Callable[[World], Actor], succeeds: int, **kw: Any
) -> Control:
    """A page; ``of`` is the world's object in its URL ("" for none)."""

    def path(w: World) -> str:
        return reverse(name, args=[getattr(w, of).pk] if of else [])

    return Control("web", method, path, allowed, succeeds, **kw)


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
    "POST /tasks/{task_id}/done": _api(
        "POST", "/tasks/{w.task.pk}/done", _owner, 200, state=_task_state
    ),
    "PUT /tasks/{task_id}": _api(
        "PUT",
        "/tasks/{w.task.pk}",
        _owner,
        200,
        body=lambda w: _task_body(w) | {"version": w.task.version},
        state=_task_state,
    ),
    "POST casework:task_done": _web(
        "POST", "casework:task_done", "task", _owner, 302, state=_task_state
    ),
    "POST casework:task_update": _web(
        "POST",
        "casework:task_update",
        "task",
        _owner,
        302,
        body=lambda w: _task_body(w, owner="owner") | {"expected_version": w.task.version},
        state=_task_state,
    ),
    "POST casework:task_add": _web(
        "POST",
        "casework:task_add",
        "case",
        _owner,
        302,
        body=lambda w: _task_body(w, owner="owner"),
        state=lambda w: CaseTask.objects.count(),
    ),
    # notes
    "DELETE /notes/{note_id}": _api("DELETE", "/notes/{w.note.pk}", _owner, 204, state=NOTE_KEPT),
    "POST casework:note_delete": _web(
        "POST", "casework:note_delete", "note", _owner, 302, state=NOTE_KEPT
    ),
    "POST casework:note_add": _web(
        "POST",
        "casework:note_add",
        "case",
        _owner,
        302,
        body=lambda w: {"text": "Called her sister"},
        state=lambda w: CaseNote.objects.count(),
    ),
    # attachments
    "GET /attachments/{attachment_id}/download": _api(
        "GET", "/attachments/{w.attachment.pk}/download", _owner, 200
    ),
    "DELETE /attachments/{attachment_id}": _api(
        "DELETE", "/attachments/{w.attachment.pk}", _owner, 204, state=ATTACHMENT_KEPT
    ),
    "POST /cases/{case_id}/attachments": _api(
        "MULTIPART",
        "/cases/{w.case.pk}/attachments",
        _owner,
        201,
        body=lambda w: {"kind": "consent_form", "file": _pdf()},
        state=lambda w: CaseAttachment.objects.count(),
    ),
    "GET casework:attachment_download": _web(
        "GET", "casework:attachment_download", "attachment", _owner, 200
    ),
    "POST casework:attachment_download": _web(
        "POST", "casework:attachment_download", "attachment", _owner, 200
    ),
    "POST casework:attachment_delete": _web(
        "POST", "casework:attachment_delete", "attachment", _owner, 302, state=ATTACHMENT_KEPT
    ),
    "POST casework:attachment_add": _web(
        "MULTIPART",
        "casework:attachment_add",
        "case",
        _owner,
        302,
        body=lambda w: {"kind": "consent_form", "file": _pdf()},
        state=lambda w: CaseAttachment.objects.count(),
    ),
    # break-glass: the outsider (a case worker of the health department) may not break glass
    "POST /break-glass": _api(
        "POST",
        "/break-glass",
        _embassy_chief,
        201,
        refused=403,
        body=_break_glass,
        state=lambda w: BreakGlassAccess.objects.count(),
    ),
    "GET /break-glass/{access_id}": _api("GET", "/break-glass/{w.access.pk}", _police_chief, 200),
    "POST /break-glass/{access_id}/review": _api(
        "POST",
        "/break-glass/{w.access.pk}/review",
        _centre_chief,
        200,
        body=lambda w: {"justified": True},
        state=_access_state,
    ),
    "POST oversight:break_glass_open": _web(
        "POST",
        "oversight:break_glass_open",
        "",
        _embassy_chief,
        302,
        refused=403,
        body=_break_glass,
        state=lambda w: BreakGlassAccess.objects.count(),
    ),
    "GET oversight:access_detail": _web(
        "GET", "oversight:access_detail", "access", _police_chief, 200
    ),
    "POST oversight:access_detail": _web(
        "POST", "oversight:access_detail", "access", _police_chief, 200
    ),
    "POST oversight:access_review": _web(
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
    "GET /cases/{case_id}/return-plan": _api("GET", "/cases/{w.case.pk}/return-plan", _owner, 200),
    "POST protection:return_plan_save": _web(
        "POST",
        "protection:return_plan_save",
        "case",
        _owner,
        302,
        body=lambda w: {"destination_country": "KGZ", "expected_version": w.return_plan.version},
        state=RETURN_VERSION,
    ),
    # proceedings
    "PUT /proceedings/{proceeding_id}": _api(
        "PUT",
        "/proceedings/{w.proceeding.pk}",
        _owner,
        200,
        body=lambda w: {"version": w.proceeding.version, "role": "injured_party"},
        state=PROCEEDING_VERSION,
    ),
    "POST protection:proceeding_update": _web(
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
    "POST protection:proceeding_add": _web(
        "POST",
        "protection:proceeding_add",
        "case",
        _owner,
        302,
        body=lambda w: {"kind": "civil", "role": "witness"},
        state=lambda w: Proceeding.objects.count(),
    ),
    # support-plan delivery: the agency providing it (employment, dana), not the owner
    "POST /support-plans/{plan_id}/delivery": _api(
        "POST",
        "/support-plans/{w.delivered.pk}/delivery",
        _dana,
        200,
        body=lambda w: _delivery(w) | {"version": w.delivered.version},
        state=DELIVERY_VERSION,
    ),
    "POST protection:support_delivery": _web(
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


def _call(control: Control, world: World, actor: Actor) -> Any:
    path, body = control.path(world), control.body(world)
    if control.kind == "api":
        api = ApiClient(actor)
        if control.method == "MULTIPART":
            return api.client.post(
                "/api/v1" + path, body, secure=True, HTTP_AUTHORIZATION=f"Bearer {api.secret}"
            )
        return api.request(control.method, path, body)
    client = SecureClient()
    client.force_login(actor.user)
    if control.method == "GET":
        return client.get(path)
    return client.post(path, body or {})


@pytest.mark.parametrize("key", CONTROLS)
def test_the_allowed_persona_succeeds(world: World, key: str) -> None:
    control = CONTROLS[key]
    before = control.state(world)
    response = _call(control, world, control.allowed(world))
    assert response.status_code == control.succeeds, response.content[:300]
    if before is not None:
        assert control.state(world) != before  # it did what it says


@pytest.mark.parametrize("key", CONTROLS)
def test_the_outsider_is_refused_on_the_same_object(world: World, key: str) -> None:
    control = CONTROLS[key]
    before = control.state(world)
    response = _call(control, world, world.people.outsider)
    assert (response.status_code, control.state(world)) == (control.refused, before)


# The kinds of routes the matrix walks only against objects that do not exist or with bodies
# that are refused: tasks, notes, attachments, break-glass, return plan, proceedings, delivery.
CONTROLLED = re.compile(
    r"task|note|attachment|break.glass|access_|return|proceeding|delivery", re.IGNORECASE
)


def test_every_refused_row_has_a_control() -> None:
    """A matrix row of these kinds where no persona succeeds must have its control here."""
    refused_for_all = {
        key
        for key, statuses in EXPECTED.items()
        if CONTROLLED.search(key)
        and not any(200 <= int(status) < 400 for status in statuses.split())
        and {int(status) for status in statuses.split()} != {405}
    }
    assert sorted(refused_for_all - set(CONTROLS)) == []
