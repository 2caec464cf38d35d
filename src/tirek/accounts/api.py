"""API: who am I, and my personal API tokens."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.reauth import reauthentication_require
from tirek.accounts.models import Agency, ApiToken, Membership, RoleGrant
from tirek.accounts.roles import Capability, Role
from tirek.accounts.schemas import (
    MeOut,
    RoleGrantOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from tirek.accounts.selectors import api_tokens_of, memberships_of, role_grants_for
from tirek.accounts.services import api_token_create, api_token_revoke, role_grant_decide
from tirek.core.api_support import SessionActorAuth, actor_of

router = Router(tags=["me and tokens"], by_alias=True)
grants_router = Router(tags=["members"], by_alias=True)


def _role_label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def _membership(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "agency": membership.agency,
        "role": membership.role,
        "role_label": _role_label(membership.role),
    }


def _me(actor: Actor) -> dict[str, Any]:
    user = actor.user
    return {
        "user": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
        },
        "agency": actor.agency,
        "membership_id": actor.membership.pk,
        "role": actor.role,
        "role_label": _role_label(actor.role),
        "capabilities": [c for c in Capability.values if actor.can(c)],
        "memberships": [_membership(m) for m in memberships_of(user=user)],
    }


def _token(token: ApiToken) -> dict[str, Any]:
    agency: Agency = token.membership.agency
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "agency": agency,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


@router.get("/me", response=MeOut, summary="Who the client acts as")
def me(request: HttpRequest) -> dict[str, Any]:
    return _me(actor_of(request))


@router.get("/tokens", response=list[TokenOut], summary="My personal API tokens")
def tokens_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_token(t) for t in api_tokens_of(user=actor_of(request).user)]


@router.post(
    "/tokens",
    response={201: TokenCreatedOut},
    auth=[SessionActorAuth()],
    summary="Create a token (signed-in web session only; the secret is shown once)",
)
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    reauthentication_require(request)
    token, secret = api_token_create(
        actor=actor_of(request), name=payload.name, expires_in_days=payload.expires_in_days
    )
    return Status(201, _token(token) | {"secret": secret})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke one of my tokens")
def token_revoke(request: HttpRequest, token_id: UUID) -> dict[str, Any]:
    return _token(api_token_revoke(user=actor_of(request).user, token_id=token_id))


def _grant(grant: RoleGrant) -> dict[str, Any]:
    user = grant.membership.user
    return {
        "id": grant.pk,
        "member": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
        },
        "agency": grant.agency,
        "role": grant.role,
        "role_label": _role_label(grant.role),
        "status": grant.status,
        "requested_by": grant.requested_by_id,
        "requested_at": grant.requested_at,
        "decided_by": grant.decided_by_id,
        "decided_at": grant.decided_at,
    }


@grants_router.get(
    "/role-grants",
    response=list[RoleGrantOut],
    summary="Roles waiting for a second administrator (agencies I administer)",
)
def role_grants_list(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    actor.require(Capability.MANAGE_MEMBERS)
    return [_grant(g) for g in role_grants_for(user=actor.user)]


def _decide(request: HttpRequest, grant_id: UUID, approve: bool) -> dict[str, Any]:
    actor = actor_of(request)
    actor.require(Capability.MANAGE_MEMBERS)
    reauthentication_require(request)
    grant = role_grant_decide(by=actor.user, grant_id=grant_id, approve=approve)
    return _grant(role_grants_for(user=actor.user, pending_only=False).get(pk=grant.pk))


@grants_router.post(
    "/role-grants/{grant_id}/approve",
    response=RoleGrantOut,
    auth=[SessionActorAuth()],
    summary="Approve a role (a second administrator; signed-in web session, recently confirmed)",
)
def role_grant_approve(request: HttpRequest, grant_id: UUID) -> dict[str, Any]:
    return _decide(request, grant_id, approve=True)


@grants_router.post(
    "/role-grants/{grant_id}/refuse",
    response=RoleGrantOut,
    auth=[SessionActorAuth()],
    summary="Refuse a role, or withdraw one you asked for (signed-in web session)",
)
def role_grant_refuse(request: HttpRequest, grant_id: UUID) -> dict[str, Any]:
    return _decide(request, grant_id, approve=False)
