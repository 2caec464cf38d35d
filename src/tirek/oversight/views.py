"""Web views: the emergency access page (open, review, own accesses) and the DPO's audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.reauth import sensitive_action
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.core.errors import InvalidState, NotFound
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID
from tirek.oversight.forms import AuditFilterForm, BreakGlassForm, BreakGlassReviewForm
from tirek.oversight.models import BreakGlassAccess
from tirek.oversight.selectors import (
    AuditFilter,
    audit_events,
    audit_rows,
    audit_scope,
    break_glass_for_review,
    break_glass_get,
    break_glass_mine,
)
from tirek.oversight.services import (
    TooManyAttempts,
    audit_export,
    break_glass_open,
    break_glass_review,
)

AUDIT_PAGE_SIZE = 50


def _emergency_page(
    request: HttpRequest, actor: Actor, form: BreakGlassForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "oversight/emergency.html",
        {
            "form": form,
            "to_review": break_glass_for_review(actor=actor)[:100],
            "mine": break_glass_mine(actor=actor)[:50],
            "now": timezone.now(),
        },
        status=status,
    )


@actor_view(Capability.BREAK_GLASS)
def emergency(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Open a case outside the circle; accesses to review; the actor's own accesses."""
    return _emergency_page(request, actor, BreakGlassForm())


@require_POST
@actor_view(Capability.BREAK_GLASS)
@sensitive_action(methods=["POST"])
def break_glass_open_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            access = break_glass_open(
                actor=actor,
                case_reference=form.cleaned_data["case_reference"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except (NotFound, InvalidState, TooManyAttempts) as error:
            form.add_error(None, str(error.message))
        else:
            messages.warning(
                request,
                _(
                    "Emergency access open until %(time)s. Every view is recorded, and the agency "
                    "that owns the case will review your access."
                )
                % {
                    "time": formats.date_format(
                        timezone.localtime(access.expires_at), "SHORT_DATETIME_FORMAT"
                    )
                },
            )
            return redirect("cases:detail", access.case_id)
    return _emergency_page(request, actor, form, status=FORM_INVALID)


def _access_page(
    request: HttpRequest,
    actor: Actor,
    access_id: str,
    form: BreakGlassReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    view = break_glass_get(actor=actor, access_id=access_id)
    can_review = view.is_reviewer and view.access.review == BreakGlassAccess.Review.WAITING
    if can_review and form is None:
        form = BreakGlassReviewForm()
    return render(
        request,
        "oversight/access_detail.html",
        {"view": view, "access": view.access, "form": form if can_review else None},
        status=status,
    )


@actor_view()
def access_detail(request: HttpRequest, actor: Actor, access_id: str) -> HttpResponse:
    """One emergency access, for its opener or the owning agency's reviewers (404 for others)."""
    return _access_page(request, actor, access_id)


@require_POST
@actor_view(Capability.BREAK_GLASS)
def access_review(request: HttpRequest, actor: Actor, access_id: str) -> HttpResponse:
    break_glass_get(actor=actor, access_id=access_id)  # 404 outside the owning agency
    form = BreakGlassReviewForm(request.POST)
    if form.is_valid():
        try:
            break_glass_review(
                actor=actor,
                access_id=access_id,
                justified=form.cleaned_data["justified"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except InvalidState as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Review recorded."))
            return redirect("oversight:emergency")
    return _access_page(request, actor, access_id, form=form, status=FORM_INVALID)


# --- the audit log --------------------------------------------------------------------------


def _audit_form(request: HttpRequest, actor: Actor) -> AuditFilterForm:
    if request.method == "POST":
        return AuditFilterForm(request.POST, actor=actor)
    filters = request.GET.copy()
    filters.pop("page", None)
    return AuditFilterForm(filters or None, actor=actor)


@actor_view()
def audit_log(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The DPO's audit log: filter, page, export. Anyone else: 404."""
    scope = audit_scope(actor=actor)
    form = _audit_form(request, actor)
    context: dict[str, Any] = {"form": form, "scope": scope, "page": None, "rows": []}
    if form.is_bound and not form.is_valid():
        return render(request, "oversight/audit.html", context, status=FORM_INVALID)
    filters = form.to_filter() if form.is_bound else None
    events = audit_events(actor=actor, filters=filters or AuditFilter())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context |= {
        "page": page,
        "rows": audit_rows(page.object_list),
        "query": query.urlencode(),
        "export_url": reverse("oversight:audit_export"),
    }
    return render(request, "oversight/audit.html", context)


@require_POST
@actor_view()
@sensitive_action(methods=["POST"])
def audit_export_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Download the filtered audit log as CSV; the export itself is recorded."""
    audit_scope(actor=actor)
    form = _audit_form(request, actor)
    if not form.is_valid():
        messages.error(request, _("Please correct the filters."))
        return redirect("oversight:audit")
    text, _count = audit_export(actor=actor, filters=form.to_filter())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tirek-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
