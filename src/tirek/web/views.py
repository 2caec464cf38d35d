"""The home page: a dashboard for case work, a pointer to the admin site for administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.cases import policy
from tirek.cases.choices import Section
from tirek.cases.selectors import cases_visible_to
from tirek.referrals.models import Referral
from tirek.referrals.selectors import referral_summary, referrals_inbox

DASHBOARD_ROWS = 5


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor: Actor | None = getattr(request, "actor", None)
    if actor is None:
        return render(request, "web/no_membership.html", status=403)
    if not actor.can(Capability.READ_CASES):
        return render(request, "web/home_admin.html")
    waiting = referrals_inbox(actor=actor, status=Referral.Status.SENT)[:DASHBOARD_ROWS]
    visible = cases_visible_to(actor=actor)
    recent = visible.filter(owner_agency_id=actor.membership.agency_id)
    shared = []
    # A receiving agency works on cases owned by others, through accepted referrals.
    for case in visible.exclude(owner_agency_id=actor.membership.agency_id).order_by("-created_at")[
        :DASHBOARD_ROWS
    ]:
        sections = policy.case_sections(
            actor, case_id=case.pk, owner_agency_id=case.owner_agency_id
        )
        shared.append(
            {"case": case, "name": case.person.full_name if Section.IDENTITY in sections else ""}
        )
    return render(
        request,
        "web/home.html",
        {
            "waiting": [{"referral": r, "summary": referral_summary(r)} for r in waiting],
            "recent_cases": recent.order_by("-created_at")[:DASHBOARD_ROWS],
            "shared_cases": shared,
        },
    )
