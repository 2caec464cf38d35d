"""Web pages of matching: intake results on the registration page, the case page's panel,
confirm/reject/undo, and the coordinators' check requests. Thin: parse, call, render."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import BirthDatePrecision, Sex
from tirek.cases.reads import Via, case_identity_reads_record
from tirek.cases.selectors import CaseView
from tirek.cases.views import CasePanel, case_detail_url
from tirek.core.errors import InvalidState, NotFound
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.matching import policy
from tirek.matching.models import PersonPair
from tirek.matching.selectors import (
    Probe,
    askers,
    birth_text,
    case_matches,
    check_requests_for,
    review_queue_for,
)
from tirek.matching.services import (
    TooManyAsks,
    check_request_create,
    check_request_resolve,
    intake_ask,
    pair_decide,
    pair_undo,
    review_decide,
)

REVIEW_PER_PAGE = 25


class IntakeForm(forms.Form):
    """The person fields of the registration form, as far as matching uses them."""

    family_name = forms.CharField(max_length=100, required=False)
    first_name = forms.CharField(max_length=100, required=False)
    patronymic = forms.CharField(max_length=100, required=False)
    sex = forms.ChoiceField(choices=Sex.choices, required=False)
    birth_date = forms.DateField(required=False)
    birth_date_precision = forms.ChoiceField(choices=BirthDatePrecision.choices, required=False)
    citizenship = forms.MultipleChoiceField(required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any code parses; an unknown one simply never matches.
        self.fields["citizenship"].valid_value = lambda value: len(str(value)) == 3  # type: ignore[attr-defined]

    def probe(self) -> Probe:
        data = self.cleaned_data
        citizenship = list(data.get("citizenship") or [])
        return Probe(
            given_name=data.get("first_name") or "",
            family_name=data.get("family_name") or "",
            patronymic=data.get("patronymic") or "",
            birth_date=birth_text(
                data.get("birth_date"), data.get("birth_date_precision") or BirthDatePrecision.DAY
            ),
            sex=data.get("sex") or "",
            citizenship=citizenship[0] if citizenship else "",
        )


def _intake_probe(request: HttpRequest) -> Probe | None:
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return None
    return form.probe()


@require_POST
@actor_view(Capability.REGISTER_CASES)
def intake(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Registration page: likely matches of the person being typed in (HTMX partial)."""
    probe = _intake_probe(request)
    result = None
    if probe is not None and not probe.is_empty:
        try:
            result = intake_ask(actor=actor, probe=probe, via="web")
        except TooManyAsks as error:
            return render(request, "web/_alert.html", {"level": "error", "text": error.message})
    return render(request, "matching/_intake_results.html", {"result": result})


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(str(value))
    except ValueError:
        return None


def _case_id(request: HttpRequest, name: str) -> UUID | None:
    """A case id from the form; 404 for a malformed one (nothing exists under it)."""
    value = request.POST.get(name)
    if not value:
        return None
    case_id = _uuid(value)
    if case_id is None:
        raise Http404
    return case_id


@require_POST
@actor_view(Capability.READ_CASES)
def check_request_create_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Ask the coordinator to check: from intake (the typed fields) or from a case page."""
    case_id = _case_id(request, "case_id")
    probe = None if case_id else _intake_probe(request)
    try:
        check_request_create(actor=actor, probe=probe, case_id=case_id)
    except ValidationError:
        ok, text, status = False, _("Enter a given name or a family name first."), FORM_INVALID
    except InvalidState as error:
        ok, text, status = False, str(error.message), error.status_code
    else:
        ok, status = True, 201
        text = _("Your request was recorded. The coordinator will check and contact you.")
    if case_id and not is_htmx(request):
        (messages.success if ok else messages.error)(request, text)
        return redirect(case_detail_url(case_id, "matches"))
    level = "success" if ok else "error"
    return render(request, "web/_alert.html", {"level": level, "text": text}, status=status)


@require_POST
@actor_view(Capability.EDIT_CASES)
def pair_decide_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Confirm or reject that two cases are of the same person; back to the first case."""
    case_a, case_b = _case_id(request, "case_a"), _case_id(request, "case_b")
    if case_a is None or case_b is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("same", "different"):
        messages.error(request, _("Choose whether the records are the same person."))
        return redirect(case_detail_url(case_a, "matches"))
    try:
        pair_decide(actor=actor, case_a_id=case_a, case_b_id=case_b, same=decision == "same")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Linked as the same person.") if decision == "same" else _("Marked as not the same."),
        )
    return redirect(case_detail_url(case_a, "matches"))


@require_POST
@actor_view(Capability.READ_CASES)
def pair_undo_view(request: HttpRequest, actor: Actor, pair_id: str) -> HttpResponse:
    case_id = _case_id(request, "case_id")
    pair_undo(actor=actor, pair_id=pair_id)
    messages.success(request, _("The link was undone; both records are kept."))
    return redirect(case_detail_url(case_id, "matches") if case_id else "matching:checks")


@actor_view()
def checks(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Coordinators: every request with the case references on both sides. Others: their own."""
    requests = check_requests_for(actor=actor)[:200]
    return render(
        request,
        "matching/checks.html",
        {"requests": requests, "is_coordinator": policy.is_coordinator(actor)},
    )


@require_POST
@actor_view()
def check_resolve_view(request: HttpRequest, actor: Actor, request_id: str) -> HttpResponse:
    try:
        check_request_resolve(
            actor=actor,
            request_id=request_id,
            decision=request.POST.get("decision", ""),
            candidate_case_id=request.POST.get("case_id") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Answer recorded."))
    return redirect("matching:checks")


@require_GET
@actor_view()
def review(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Coordinators: pairs of records the engine is unsure about, by reference and reasons."""
    if not policy.may_review_pairs(actor):
        raise Http404
    queue = review_queue_for(actor=actor)
    page = Paginator(queue.candidates, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    pairs = queue.pairs(page.object_list)
    return render(request, "matching/review.html", {"queue": queue, "page": page, "pairs": pairs})


ASKERS_DAY_CHOICES = (1, 7, 30)


@require_GET
@actor_view()
def askers_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Coordinators: who searched for people at intake, and about how many different people;
    who was refused case openings (what probing looks like)."""
    days = _int(request.GET.get("days"), default=policy.ASKERS_DAYS)
    if days not in ASKERS_DAY_CHOICES:
        days = policy.ASKERS_DAYS
    rows = askers(actor=actor, days=days)
    return render(
        request,
        "matching/askers.html",
        {"rows": rows, "days": days, "day_choices": ASKERS_DAY_CHOICES},
    )


def _int(value: str | None, *, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


@require_POST
@actor_view()
def review_decide_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Coordinators: same person (links the records) or not the same (not suggested again)."""
    if not policy.may_review_pairs(actor):
        raise Http404
    case_a, case_b = _case_id(request, "case_a"), _case_id(request, "case_b")
    if case_a is None or case_b is None:
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        review_decide(actor=actor, case_a_id=case_a, case_b_id=case_b, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except NotFound as error:  # decided or changed meanwhile: back to the list, which is fresh
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Linked as the same person.") if decision == "same" else _("Marked as not the same."),
        )
    return redirect("matching:review")


# --- the case page's panel -------------------------------------------------------------------


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not view.can_see_identity or not actor.can(Capability.READ_CASES):
        return None
    found = case_matches(actor=actor, case=view.case)
    case_identity_reads_record(actor=actor, cases=found.shown_cases, via=Via.MATCH)
    return {
        "case": view.case,
        "found": found,
        "can_decide": policy.may_decide_pairs(actor),
        "can_undo": policy.may_undo(actor, via_check_request=False),
        "statuses": PersonPair.Status,
    }


CASE_PANEL = CasePanel(
    name="matching",
    order=50,
    template="matching/_case_panel.html",
    context=_panel_context,
    tab="person",
    visible_for=lambda actor, view: view.can_see_identity,
    anchors=("matches",),
)
