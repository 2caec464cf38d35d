"""API: who am I, and my personal API tokens."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from tirek.accounts.actor import Actor
from tirek.accounts.mfa.reauth import reauthentication_require
from tirek.accounts.models import Agency, ApiToken, Membership
from tirek.accounts.roles import Capability, Role
from tirek.accounts.schemas import MeOut, TokenCreatedOut, TokenCreateIn, TokenOut
from tirek.accounts.selectors import api_tokens_of, memberships_of
from tirek.accounts.services import api_token_create, api_token_revoke
from tirek.core.api_support import SessionActorAuth, actor_of

router = Router(tags=["me and tokens"], by_alias=True)


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
