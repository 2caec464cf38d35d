"""Web views for the signed-in user: API tokens and the agency they act for.

Also ``actor_view``, the decorator every case-work view uses to get the acting user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.forms import ApiTokenCreateForm, MembershipChooseForm
from tirek.accounts.mfa.reauth import sensitive_action
from tirek.accounts.middleware import SESSION_MEMBERSHIP_KEY
from tirek.accounts.models import User
from tirek.accounts.roles import Capability
from tirek.accounts.selectors import api_token_own, api_tokens_of, role_grants_for
from tirek.accounts.services import (
    api_token_create,
    api_token_revoke,
    membership_choose,
    role_grant_decide,
)
from tirek.core.errors import DomainError
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, domain_error_response

ActorViewFunc = Callable[..., HttpResponse]


def actor_view(capability: str | None = None) -> Callable[[ActorViewFunc], ActorViewFunc]:
    """Sign-in required; passes the actor; turns domain errors into 404/403 or a message.

    A signed-in user without an active membership sees a page saying so (403). With
    ``capability``, an actor whose role lacks it gets 403.
    """

    def decorator(view: ActorViewFunc) -> ActorViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor: Actor | None = getattr(request, "actor", None)
            if actor is None:
                return render(request, "web/no_membership.html", status=403)
            if capability is not None and not actor.can(capability):
                raise PermissionDenied(_("Your role does not allow this action."))
            try:
                return view(request, actor, *args, **kwargs)
            except DomainError as error:
                return domain_error_response(request, error)

        return login_required(wrapped)

    return decorator


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - actor_view has checked the sign-in
    return user


@actor_view()
@sensitive_action(methods=["POST"])
def api_tokens(request: HttpRequest, actor: Actor) -> HttpResponse:
    """List the user's own tokens and create one; the secret is shown once, never again."""
    form = ApiTokenCreateForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_token_create(
                actor=actor,
                name=form.cleaned_data["name"] or "",
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
            form = ApiTokenCreateForm()
    if form.errors:
        status = FORM_INVALID
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": api_tokens_of(user=_user(request)), "secret": secret},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@actor_view()
def api_token_revoke_view(request: HttpRequest, actor: Actor, token_id: str) -> HttpResponse:
    """Revoke one of the user's tokens after a confirmation page that says what stops working;
    only the confirmation's button (``confirmed``) revokes."""
    token = api_token_own(user=_user(request), token_id=token_id)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        token = api_token_revoke(user=_user(request), token_id=token.pk)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("accounts:api_tokens")
    if token.revoked_at is not None:
        messages.info(request, _("This token has already been revoked."))
        return redirect("accounts:api_tokens")
    response = render(request, "accounts/api_token_revoke.html", {"token": token})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def membership_choose_view(request: HttpRequest) -> HttpResponse:
    """Act for another of the user's agencies; the choice is kept in the session."""
    form = MembershipChooseForm(request.POST)
    if not form.is_valid():
        return redirect("web:home")
    try:
        membership = membership_choose(
            user=_user(request), membership_id=form.cleaned_data["membership_id"]
        )
    except DomainError as error:
        return domain_error_response(request, error)
    request.session[SESSION_MEMBERSHIP_KEY] = membership.pk
    messages.success(
        request, _("You now act for %(agency)s.") % {"agency": membership.agency.label}
    )
    return HttpResponseRedirect(reverse("web:home"))


@actor_view(Capability.MANAGE_MEMBERS)
@sensitive_action(methods=["POST"])
def role_grants(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Roles that would let a member read cases, waiting for a second administrator."""
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision not in {"approve", "refuse"}:
            messages.error(request, _("Choose to approve or to refuse."))
        else:
            role_grant_decide(
                by=_user(request),
                grant_id=request.POST.get("grant_id", ""),
                approve=decision == "approve",
            )
            messages.success(
                request,
                _("Approved: the role takes effect now.")
                if decision == "approve"
                else _("Refused: nothing changes for the member."),
            )
        return redirect("accounts:role_grants")
    response = render(
        request,
        "accounts/role_grants.html",
        {"grants": role_grants_for(user=_user(request)), "me": _user(request)},
    )
    response["Cache-Control"] = "no-store"
    return response
